#!/usr/bin/env bash
# The CPU backend on a fixed workload shaped like ResNet-18 layer4 on Broden (512 units, 7x7 maps, 112x112 label
# maps, ~3 labels per pixel): images/s of pass 1 (thresholds, top-k) and pass 2 (tally), CPU time, peak RSS.
# Usage: bash bench/tally.sh [images=2000] [repeats=5] [threads=all]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ] || [ ! -d bench/target/classes/org/jdissect/bench ]; then
  mvn -q -B -DskipTests package
fi
exec java -Xmx6g -cp "bench/target/classes:$jar" org.jdissect.bench.TallyBench "${1:-2000}" "${2:-5}" ${3:+"$3"}
