#!/usr/bin/env bash
# The same dissection run through the command line and as a library user runs it (the Dissection builder in a plain
# JVM), each as a whole process, alternated: wall time and peak memory of each, from /usr/bin/time. The workload: a
# layer shaped like ResNet-18's layer4 (512 units at 7 x 7) over IMAGES SceneWorld images at 224 x 224. The command
# line (./jdissect, with the JVM options its launcher chooses for the machine) also writes the HTML report; the
# library runs do not: one with the JVM's defaults, one with the launcher's options for this machine. First, once, the
# model alone in ONNX Runtime on preprocessed tensors (ModelAlone): the physical limit the runs are compared with.
# Usage: bash bench/library-run.sh [IMAGES=1000] [RUNS=3] [WORK=/tmp/jdissect-library-run]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-1000}"
runs="${2:-3}"
work="${3:-/tmp/jdissect-library-run}"
size=224
bench=library-run.sh
source bench/layer4-workload.sh
[ -x /usr/bin/time ] || { echo "library-run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
# the options ./jdissect passes on this machine (its "exec java" line, traced without running anything else), less
# its class archive, which belongs to the launcher's jar
opts="$(bash -x ./jdissect --version 2>&1 >/dev/null | sed -n 's/^+ exec java \(.*\) -jar .*/\1/p' \
  | tr ' ' '\n' | grep -v -e '^-Xlog:cds' -e '^-XX:SharedArchiveFile=' | tr '\n' ' ' | sed 's/ *$//')"
echo "launcher's JVM options here: ${opts:-none}"
java -cp "bench/target/classes:$jar" org.jdissect.bench.ModelAlone "$model" layer "$size" "$images"
for i in $(seq 1 "$runs"); do
  rm -rf "$work/cli" "$work/lib" "$work/lib-opts"
  /usr/bin/time -f "cli       run $i: %e s wall, %U s user, %M KB peak" ./jdissect dissect --model "$model" \
    --data "$world" --layer layer --size 224 --mean 0,0,0 --std 1,1,1 --out "$work/cli" -q >/dev/null
  /usr/bin/time -f "lib       run $i: %e s wall, %U s user, %M KB peak" java -cp "bench/target/classes:$jar" \
    org.jdissect.bench.LibraryRun "$model" "$world" layer 224 "$work/lib" >/dev/null
  # shellcheck disable=SC2086 # the options are words
  /usr/bin/time -f "lib+opts  run $i: %e s wall, %U s user, %M KB peak" java $opts -cp "bench/target/classes:$jar" \
    org.jdissect.bench.LibraryRun "$model" "$world" layer 224 "$work/lib-opts" >/dev/null
done
