# Sourced by the benches that compare with a Python peer on a layer shaped like ResNet-18's layer4: builds the jars
# if needed, checks /usr/bin/python3 for numpy and PIL, and writes into WORK a SceneWorld of IMAGES images at SIZE x
# SIZE (kept between runs) and the fixed random model of ComposeWorkload at that size.
# Needs: root, work, images, size, and the caller's name in bench. Sets: jar, world, model.
jar=java/target/jdissect-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ] || [ ! -f bench/target/classes/org/jdissect/bench/ComposeWorkload.class ]; then
  mvn -q -B -DskipTests package
fi
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null || {
  echo "$bench: /usr/bin/python3 needs numpy and PIL (apt-get install python3-numpy python3-pil)" >&2; exit 2; }
mkdir -p "$work"
world="$work/world-$images-$size"
[ -f "$world/index.csv" ] || java -jar "$jar" synth --out "$world" --images "$images" --size "$size" --seed 3 -q
model="$work/layer4-$size.onnx"
java -cp "bench/target/classes:$jar" org.jdissect.bench.ComposeWorkload "$model" 1 "$size" >/dev/null
