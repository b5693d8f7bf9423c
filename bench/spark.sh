#!/usr/bin/env bash
# A campaign on Spark against jdissect dissect once per model: the demo classifier's three layers (conv1, conv3,
# conv5) over 4 checkpoint-like models (the classifier and 3 copies with perturbed weights, bench/perturb_model.py) on
# a SceneWorld probe set. Prints the wall times, the Spark job's overhead on this machine, the per-image costs the
# single-machine runs measured (their report.json timings), and checks that the campaign's files equal the
# single-machine runs' byte for byte.
# Usage: bash bench/spark.sh [images=1000] [master=local[*]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-1000}"
master="${2:-local[*]}"
work="${BENCH_DIR:-/tmp/jdissect-bench-spark}"
rm -rf "$work"
mkdir -p "$work/models"
# build both launchers' jars first, so that no build is timed
./jdissect --help >/dev/null
./jdissect dissect --spark 'local[1]' --help >/dev/null

cp models-onnx/scene_cnn.onnx "$work/models/epoch4.onnx"
i=1
for scale in 0.30 0.20 0.10; do
  /usr/bin/python3 bench/perturb_model.py models-onnx/scene_cnn.onnx "$work/models/epoch$i.onnx" "$scale" "$i"
  i=$((i + 1))
done
printf '%s\n' epoch1.onnx epoch2.onnx epoch3.onnx epoch4.onnx > "$work/models/list.txt"
./jdissect synth --out "$work/world" --images "$images" --size 64 --seed 21 -q >/dev/null

common=(--data "$work/world" --layer conv1 --layer conv3 --layer conv5 --size 64 --mean 0.5,0.5,0.5
        --std 0.5,0.5,0.5 -q)
now() { date +%s.%N; }
single_total=0
for m in epoch1 epoch2 epoch3 epoch4; do
  t0=$(now)
  ./jdissect dissect --model "$work/models/$m.onnx" --out "$work/single/$m" "${common[@]}" >/dev/null 2>&1
  t1=$(now)
  single_total=$(echo "$single_total + $t1 - $t0" | bc)
  echo "single  $m: $(echo "$t1 - $t0" | bc) s"
done
t0=$(now)
./jdissect dissect --models "$work/models/list.txt" --out "$work/spark" --spark "$master" "${common[@]}" \
  >/dev/null 2>"$work/spark.err"
t1=$(now)
spark_total=$(echo "$t1 - $t0" | bc)
t0=$(now)
./jdissect dissect --model "$work/models/epoch4.onnx" --out "$work/spark-one" --spark "$master" "${common[@]}" \
  >/dev/null 2>>"$work/spark.err"
t1=$(now)
spark_one=$(echo "$t1 - $t0" | bc)

same=0
differ=0
for m in epoch1 epoch2 epoch3 epoch4; do
  for l in conv1 conv3 conv5; do
    for f in tally.csv thresholds.csv topk.csv iou.csv; do
      if cmp -s "$work/single/$m/$l/$f" "$work/spark/$m/$l/$f"; then same=$((same + 1)); else differ=$((differ + 1)); fi
    done
  done
done

/usr/bin/python3 - "$work" "$images" "$single_total" "$spark_total" "$spark_one" <<'PY'
import json, sys
work, images, single, spark, spark_one = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:6])
inf = thr = tal = 0.0
for m in ["epoch1", "epoch2", "epoch3", "epoch4"]:
    t = json.load(open(f"{work}/single/{m}/conv5/report.json"))["timings_seconds"]
    inf += next(v for k, v in t.items() if k.startswith("inference"))
    for l in ["conv1", "conv3", "conv5"]:
        t = json.load(open(f"{work}/single/{m}/{l}/report.json"))["timings_seconds"]
        thr += t["thresholds"]
        tal += t["tally"]
n = 4 * images
print(f"images: {images} per model, 4 models, 3 layers")
print(f"jdissect dissect x 4 (each: JVM start, dissection, HTML report): {single:.1f} s")
print(f"  of which dissection (report.json timings): inference {inf:.1f} s, thresholds {thr:.1f} s, tally {tal:.1f} s")
print(f"  per image and model, on this machine's 2 cores: inference {1000*inf/n:.2f} ms, thresholds {1000*thr/n:.2f} ms, "
      f"tally {1000*tal/n:.2f} ms; total {1000*(inf+thr+tal)/n:.2f} ms")
print(f"campaign on Spark (one context, one job per model): {spark:.1f} s; one model on Spark: {spark_one:.1f} s")
print(f"Spark campaign / 4 single runs: {spark/single:.2f}; Spark overhead over the dissection time: "
      f"{spark - (inf+thr+tal):.1f} s")
core_ms = 2 * 1000 * (inf + thr + tal) / n
print(f"core-ms per image and model (3 layers): {core_ms:.2f}")
for nodes, cores in [(100, 16)]:
    probe = 10_000_000
    secs = probe * core_ms / 1000 / (nodes * cores)
    print(f"on paper, {nodes} nodes x {cores} cores, {probe:,} images, one model: {secs/60:.1f} min of compute "
          f"(at this VM's per-core speed, perfect scaling), plus the job's fixed cost")
PY
echo "files equal to the single-machine runs': $same; different: $differ"
[ "$differ" -eq 0 ]
