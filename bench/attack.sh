#!/usr/bin/env bash
# Queries per second of `jdissect attack` on the demo classifier (CPU): the same untargeted attack run with each
# candidate scored alone (--batch 1) and with the candidates of every image still being attacked scored together
# (--batch 32), alternated, REPEATS times each. Prints per run the queries, the attack's seconds (choosing the images,
# attacking, scoring the PNGs again; not the unit analysis), queries/s and the whole process's peak RSS, then the
# medians and their ratio.
# Usage: bash bench/attack.sh [IMAGES] [QUERIES] [REPEATS]   (defaults 20 200 3; a 300-image world is made once)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-20}"
queries="${2:-200}"
repeats="${3:-3}"
work="${JDISSECT_BENCH_DIR:-/tmp/jdissect-attack-bench}"
mkdir -p "$work"
[ -f "$work/world/index.csv" ] || ./jdissect synth --out "$work/world" --images 300 --size 128 --seed 1 -q
common=(--model models-onnx/scene_cnn.onnx --layer conv5 --data "$work/world" --classes models-onnx/scene_cnn_classes.csv
  --from ski_resort-s --to any --epsilon 8/255 --size 64 --mean 0.5,0.5,0.5 --std 0.5,0.5,0.5 --device cpu -q)
# the ranking once (ablate --mode rank inside the first attack), reused by every timed run
[ -f "$work/ranking/ranking/rank.json" ] || ./jdissect attack "${common[@]}" --images 1 --queries 1 --out "$work/ranking" >/dev/null
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
declare -A rates
for r in $(seq 1 "$repeats"); do
  for b in 1 32; do
    out="$work/run-b$b"
    rm -rf "$out"
    /usr/bin/time -f "%M" -o "$work/rss" java -jar "$jar" attack "${common[@]}" --images "$images" --queries "$queries" --batch "$b" \
      --ranking "$work/ranking/ranking" --out "$out" >/dev/null
    line=$(/usr/bin/python3 - "$out/attack.json" "$work/rss" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print("%d %.2f %.1f %.0f" % (s["queries"], s["seconds"], s["queries_per_second"], rss))
EOF
)
    set -- $line
    printf 'run %d --batch %-2d: %6d queries in %6.2f s: %7.1f queries/s, peak RSS %4.0f MiB\n' "$r" "$b" "$1" "$2" "$3" "$4"
    rates[$b]="${rates[$b]:-} $3"
  done
done
/usr/bin/python3 - "${rates[1]}" "${rates[32]}" <<'EOF'
import statistics, sys
one = [float(x) for x in sys.argv[1].split()]
many = [float(x) for x in sys.argv[2].split()]
m1, m32 = statistics.median(one), statistics.median(many)
print("median queries/s: --batch 1 %.1f, --batch 32 %.1f (%.2fx)" % (m1, m32, m32 / m1))
EOF
