#!/usr/bin/env bash
# The tally as the pipeline runs it (label PNGs decoded inside it) against NetDissect-Lite's formulation
# (bench/peer/netdissect_tally.py: PIL resize, numpy bincount), timed in the same run on the same dissection: a
# layer shaped like ResNet-18's layer4 (512 units at 7 x 7, the fixed random network of ComposeWorkload) over a
# SceneWorld of IMAGES images at 224 x 224 (label maps 112 x 112). Prints both speeds and how many units' rows of the
# two tally.csv files differ (none since the resizing is PIL's bit for bit, infinities from half-precision overflow
# included).
# bench/tally.sh measures the statistics alone (labels decoded once, outside the timing).
# Usage: bash bench/tally-peer.sh [IMAGES=1000] [WORK=/tmp/jdissect-tally-peer]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-1000}"
work="${2:-/tmp/jdissect-tally-peer}"
size=224
bench=tally-peer.sh
source bench/layer4-workload.sh
out="$work/dissection-$images"
rm -rf "$out"
# twice: the second run resumes from the first's activation cache, so its tally decodes the label PNGs itself, as the
# peer's does (after an inference pass in the same process the tally reads the maps that pass kept: LabelRuns)
for _ in 1 2; do
  java -jar "$jar" dissect --model "$model" --data "$world" --layer layer --size 224 --mean 0,0,0 \
    --std 1,1,1 --out "$out" -q >/dev/null
done
echo "== NetDissect-Lite's tally (numpy, one core) on the same activations and thresholds"
start=$(date +%s%N)
/usr/bin/python3 bench/peer/netdissect_tally.py "$world" "$out" layer layer.f16 512 7 7 "$work/peer-tally.csv"
peer_ms=$(( ($(date +%s%N) - start) / 1000000 ))
/usr/bin/python3 - "$out/layer/report.json" "$peer_ms" "$images" "$out/layer/tally.csv" "$work/peer-tally.csv" <<'PY'
import csv, json, sys
report = json.load(open(sys.argv[1]))
ours = report["timings_seconds"]["tally"]
peer = float(sys.argv[2]) / 1000
n = int(sys.argv[3])
a = {r[0]: r for r in list(csv.reader(open(sys.argv[4])))[1:]}
b = {r[0]: r for r in list(csv.reader(open(sys.argv[5])))[1:]}
differ = sorted((u for u in a if a[u] != b.get(u)), key=int)
print("tally.csv: %d of %d units' rows identical%s" % (len(a) - len(differ), len(a),
      (" (differ: units " + ", ".join(differ[:20]) + ")") if differ else ""))
print("jdissect tally, label PNGs decoded inside it (%s): %.2f s, %.0f images/s" % (report["settings"]["backend"], ours, n / ours))
print("NetDissect-Lite's tally (one process): %.1f s, %.0f images/s; ratio %.1fx" % (peer, n / peer, peer / ours))
PY
