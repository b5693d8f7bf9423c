#!/usr/bin/env bash
# Ranking every unit of a classifier's top layer for all classes: head cached once + masked tail per ablation,
# against re-running the whole model per ablation (timed on a sample of units, extrapolated). Prints the speedup
# and the masked tail's images/s.
# Usage: bash bench/ablation.sh [--images 1000] [--threads N] [--baseline-units 8] [--model M --layer L --size S]
#        [--device cpu|cuda|auto]   (where the ablations run; default cpu)
#        [--data BRODEN_DIR --mean a,b,c --std a,b,c]   (real images instead of noise: the first IMAGES of the dataset)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ] || [ ! -f bench/target/classes/org/jdissect/bench/AblationBench.class ]; then
  mvn -q -B -o -DskipTests package
fi
exec java -Xmx4g -cp "bench/target/classes:$jar" org.jdissect.bench.AblationBench "$@"
