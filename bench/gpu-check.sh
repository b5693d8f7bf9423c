#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU and no network, Maven or JDK: prints the device, runs the native
# tests, the Java CUDA-versus-CPU cross-check and the C API benchmark (and, where python3 has PyTorch, the PyTorch
# formulation of the same statistics in bench/peer/), and writes everything to OUTDIR. About 2-3 minutes; each step
# has its own time limit so the whole stays under 5.
#
# Needs build/gpu-pack.tar.xz, made beforehand on a build machine by bench/gpu-pack.sh (a minimal Java runtime, the
# jars, libjdissect_cuda.so, the test and benchmark binaries); JD_PACK=FILE points elsewhere.
# Usage: bash bench/gpu-check.sh OUTDIR
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: bash bench/gpu-check.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
packfile="${JD_PACK:-$root/build/gpu-pack.tar.xz}"
exec > >(tee "$out/gpu-check.log") 2>&1
start=$(date +%s)
if [ ! -f "$packfile" ]; then
  echo "gpu-check: $packfile is missing: run bash bench/gpu-pack.sh on a machine with nvcc and Maven, and carry it"
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xJf "$packfile" -C "$work"
p="$work/gpu-pack"
export LD_LIBRARY_PATH="$p/native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "gpu-check: pack of commit $(cat "$p/COMMIT" 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%M:%SZ)"

failed=0
skipped=0
# step NAME SECONDS COMMAND...: runs it with a time limit, keeps its output in OUTDIR/NAME.txt. Exit 77 is how a
# test says it found no usable GPU and skipped: here, where the check exists to run them, that is a failure.
step() {
  local name="$1" limit="$2"
  shift 2
  echo "== $name"
  timeout "$limit" "$@" > "$out/$name.txt" 2>&1
  local rc=$?
  cat "$out/$name.txt"
  case $rc in
    0) echo "-- $name: ok" ;;
    77) echo "-- $name: SKIPPED (no usable GPU found): counted as failed"; failed=$((failed + 1)); skipped=$((skipped + 1)) ;;
    124) echo "-- $name: TIMED OUT after ${limit}s"; failed=$((failed + 1)) ;;
    *) echo "-- $name: FAILED (exit $rc)"; failed=$((failed + 1)) ;;
  esac
}

echo "== device"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv | tee "$out/device.txt"
  nvidia-smi > "$out/nvidia-smi.txt" 2>&1
else
  echo "no nvidia-smi on PATH" | tee "$out/device.txt"
fi

for t in test_reference test_api_errors test_stats; do
  step "native-$t" 90 "$p/native/$t"
done
# memory errors in the kernels (out-of-bounds, races on shared memory): the README's "0 errors" comes from here
if command -v compute-sanitizer >/dev/null; then
  step native-test_stats-sanitizer 150 compute-sanitizer --error-exitcode 1 "$p/native/test_stats"
else
  echo "== native-test_stats-sanitizer: not run (no compute-sanitizer on PATH)" | tee "$out/native-test_stats-sanitizer.txt"
fi
step java-cross-check 150 "$p/jre/bin/java" -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$work/javacpp-cache" \
  -cp "$p/lib/jdissect.jar:$p/lib/javacpp.jar" org.jdissect.cuda.CrossCheck
# jd_bench writes its inputs (7.9 GB at full scale) so that the PyTorch peer times the same bytes, the same way
mkdir -p "$work/bench-data"
step kernel-bench 300 "$p/native/jd_bench" --images 63000 --repeats 3 --dump "$work/bench-data"
step e2e-demo 150 bash "$root/bench/gpu-e2e.sh" "$p/jre/bin/java" "$p/lib/jdissect-all.jar" "$work/e2e" 4000
if command -v python3 >/dev/null && python3 -c 'import torch' 2>/dev/null; then
  if [ -f "$work/bench-data/meta.txt" ]; then
    step peer-pytorch 400 python3 "$root/bench/peer/torch_stats.py" --data "$work/bench-data" --repeats 3
  else
    echo "== peer-pytorch: not run (jd_bench wrote no inputs: see kernel-bench.txt)" | tee "$out/peer-pytorch.txt"
    failed=$((failed + 1))
  fi
else
  echo "== peer-pytorch: skipped (no python3 with torch)" | tee "$out/peer-pytorch.txt"
fi

echo "== summary"
{
  grep -h '^device:' "$out/kernel-bench.txt" 2>/dev/null
  ours=$(grep -h '^pass1_s=' "$out/kernel-bench.txt" 2>/dev/null)
  peer=$(grep -h '^peer_quantile_ips=' "$out/peer-pytorch.txt" 2>/dev/null)
  if [ -n "$ours" ]; then
    eval "$ours"
    awk -v p="$pass1_s" -v t="$pass2_s" 'BEGIN {
      printf "jdissect (63,000 images, through the C API from host memory, copies included): pass 1 (quantile, top-k) %.3f s (%.0f images/s), pass 2 (tally) %.3f s (%.0f images/s)\n", p, 63000/p, t, 63000/t
      printf "bars on an H100: tally <= 2 s: %s; quantile and top-k <= 1 s: %s\n", (t <= 2 ? "met" : "NOT met"), (p <= 1 ? "met" : "NOT met") }'
    if [ -n "$peer" ]; then
      eval "$peer"
      awk -v p="$pass1_s" -v t="$pass2_s" -v p1="$peer_pass1_ips" -v pt="$peer_tally_ips" 'BEGIN {
        printf "speed-up over PyTorch on the same inputs, both from host memory with copies, best of 3: pass 1 %.1fx (its quantile and top-k), tally %.1fx (bar: >= 5x)\n", (63000/p)/p1, (63000/t)/pt }'
      grep -h '^intersections:' "$out/peer-pytorch.txt" 2>/dev/null
    fi
  fi
  grep -h 'cross-check:' "$out/java-cross-check.txt" 2>/dev/null | tail -1
  grep -h '^e2e' "$out/e2e-demo.txt" 2>/dev/null
  echo "steps failed: $failed (of which skipped for want of a GPU: $skipped); $(( $(date +%s) - start )) s in all"
} | tee "$out/summary.txt"
[ "$failed" -eq 0 ]
