#!/usr/bin/env bash
# jdissect compose against the plain numpy reference (bench/peer/compose_ref.py, dense masks and the obvious loops,
# as compexp computes), on one workload in one run: a layer shaped like ResNet-18's layer4 (512 units at 7 x 7, from
# the fixed random network of ComposeWorkload) dissected on a SceneWorld of IMAGES images at 112 x 112 (label maps
# 56 x 56). jdissect explains all 512 units; the reference, slower by orders of magnitude, explains the first
# REF_UNITS, and the two must give the same formula and IoU for each of them. Prints both times, the reference's
# extrapolated to 512 units, and the ratio.
# Usage: bash bench/compose.sh [IMAGES=2000] [REF_UNITS=4] [WORK=/tmp/jdissect-compose-bench]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-2000}"
ref_units="${2:-4}"
work="${3:-/tmp/jdissect-compose-bench}"
size=112
bench=compose.sh
source bench/layer4-workload.sh
out="$work/dissection-$images"
java -jar "$jar" dissect --model "$model" --data "$world" --layer layer --size 112 --mean 0,0,0 \
  --std 1,1,1 --out "$out" -q >/dev/null
units="$(seq -s, 1 "$ref_units")"
echo "== jdissect compose: 512 units, $images images ($(nproc) cores)"
start=$(date +%s%N)
java -jar "$jar" compose --dissection "$out" --layer layer -q --show 3
jd_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "== reference (numpy, one core): units $units"
/usr/bin/python3 bench/peer/compose_ref.py "$out" "$out/layer" --units "$units" > "$work/reference.csv"
cat "$work/reference.csv"
/usr/bin/python3 - "$work/reference.csv" "$out/layer/compose.csv" "$jd_ms" <<'PY'
import csv, sys
ref = {r["unit"]: r for r in csv.DictReader(open(sys.argv[1]))}
ours = {r["unit"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = [u for u, r in ref.items() if r["formula"] != ours[u]["formula"] or float(r["iou"]) != float(ours[u]["iou"])]
per_unit = sum(float(r["seconds"]) for r in ref.values()) / len(ref)
jd = float(sys.argv[3]) / 1000
print("same formula and IoU for %d of %d units%s" % (len(ref) - len(bad), len(ref), (": differ " + ",".join(bad)) if bad else ""))
print("reference: %.2f s per unit, %.0f s for 512 units (extrapolated); jdissect compose: %.1f s for 512 units, "
      "whole process; ratio %.0fx" % (per_unit, per_unit * 512, jd, per_unit * 512 / jd))
sys.exit(1 if bad else 0)
PY
