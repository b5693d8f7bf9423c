#!/usr/bin/env bash
# Generator dissection and edits on the demo models: samples/s of gan-dissect (generate, segment, tally) and of
# edits with the head cached (tail only) against re-running the whole generator; statistics and ablations on the
# backend of the device argument (cpu, cuda or auto).
# Usage: bash bench/gan.sh [models=models-onnx] [layer=layer3] [samples=400] [edits=20] [repeats=3] [device=cpu]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ] || [ ! -f bench/target/classes/org/jdissect/bench/GanBench.class ]; then
  mvn -q -B -DskipTests package
fi
exec java -Xmx4g -cp "bench/target/classes:$jar" org.jdissect.bench.GanBench "$@"
