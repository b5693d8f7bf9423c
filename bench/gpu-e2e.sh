#!/usr/bin/env bash
# End to end on a GPU machine (called by bench/gpu-check.sh): builds a SceneWorld, dissects the demo classifier at
# conv1, conv3 and conv5 with --device cpu, then runs the statistics again from the same activation cache with
# --device cpu and --device cuda, times both, and checks that every tally.csv, thresholds.csv and topk.csv is
# identical. Usage: bash bench/gpu-e2e.sh JAVA JAR WORKDIR [IMAGES]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="$1" jar="$2" work="$3" images="${4:-4000}"
run() { "$java" -Xmx8g -jar "$jar" "$@"; }
pre=(--size 64 --mean 0.5,0.5,0.5 --std 0.5,0.5,0.5)
layers=(--layer conv1 --layer conv3 --layer conv5)
model="$root/models-onnx/scene_cnn.onnx"
run synth --out "$work/world" --images "$images" -q
run dissect --model "$model" "${layers[@]}" "${pre[@]}" --data "$work/world" --out "$work/first" --device cpu -q \
  | tail -2
for d in cpu cuda; do
  rm -rf "$work/$d"
  cp -r "$work/first" "$work/$d"
  rm -rf "$work/$d"/conv* "$work/$d/report"
  echo "== statistics from the cache, --device $d"
  s=$(date +%s.%N)
  run dissect --model "$model" "${layers[@]}" "${pre[@]}" --data "$work/world" --out "$work/$d" --device "$d" -q \
    | tail -1
  awk -v s="$s" -v e="$(date +%s.%N)" -v d="$d" 'BEGIN { printf "e2e_%s_s=%.2f\n", d, e - s }'
done
diffs=0
for l in conv1 conv3 conv5; do
  for f in tally.csv thresholds.csv topk.csv; do
    if cmp -s "$work/cpu/$l/$f" "$work/cuda/$l/$f"; then echo "identical: $l/$f"
    else echo "DIFFERENT: $l/$f"; diff "$work/cpu/$l/$f" "$work/cuda/$l/$f" | head -5; diffs=$((diffs + 1)); fi
  done
done
echo "e2e: $images images, $diffs file(s) differ between --device cpu and --device cuda"
[ "$diffs" -eq 0 ]
