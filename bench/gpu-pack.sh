#!/usr/bin/env bash
# Builds, here (where nvcc, Maven and a JDK are), everything bench/gpu-check.sh needs on a GPU machine that has no
# network, no Maven and no JDK: a jlink'd minimal Java runtime, the jdissect jar (with its native libraries) and
# JavaCPP's jar, libjdissect_cuda.so, the native test binaries and the C API benchmark, as one xz-compressed tar:
#   build/gpu-pack.tar.xz   (well under the 64 MiB a device run may carry; carry just this one path)
# Usage: bash bench/gpu-pack.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] || { echo "gpu-pack: needs nvcc to build the CUDA code" >&2; exit 1; }
[ -x /usr/local/cuda/bin/nvcc ] && export PATH="/usr/local/cuda/bin:$PATH"

echo "== native build (build/native)"
if [ ! -f build/native/CMakeCache.txt ]; then cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null; fi
cmake --build build/native --parallel "$(nproc)" >/dev/null
echo "== jar with the JNI bridge"
mvn -q -B -o -DskipTests package
jar="java/target/jdissect-0.1.0-SNAPSHOT.jar"
unzip -l "$jar" | grep -q 'org/jdissect/cuda/linux-x86_64/libjniCudaLib.so' || { echo "gpu-pack: $jar lacks the JNI bridge" >&2; exit 1; }
javacpp_version="$(sed -n 's:.*<javacpp.version>\(.*\)</javacpp.version>.*:\1:p' pom.xml)"
javacpp_jar="$HOME/.m2/repository/org/bytedeco/javacpp/$javacpp_version/javacpp-$javacpp_version.jar"

pack=build/gpu-pack
rm -rf "$pack" build/gpu-pack.tar.xz
mkdir -p "$pack/lib" "$pack/native"
echo "== minimal Java runtime (jlink)"
# A JDK that bundles its image libraries (Temurin does; Debian's links the system's libjpeg, libpng, lcms2 and
# freetype, which a bare GPU machine may lack): JD_JLINK, else a Temurin JDK, else the jlink on the PATH.
jlink_bin="${JD_JLINK:-}"
if [ -z "$jlink_bin" ]; then
  for j in /usr/lib/jvm/temurin-*/bin/jlink /opt/java/openjdk/bin/jlink; do [ -x "$j" ] && { jlink_bin="$j"; break; }; done
fi
jlink_bin="${jlink_bin:-jlink}"
major="$("$jlink_bin" --version | cut -d. -f1)"
compress="--compress=2"; [ "$major" -ge 21 ] && compress="--compress=zip-6"
echo "   $jlink_bin (Java $major)"
"$jlink_bin" --add-modules java.base,java.desktop,java.logging,java.management,java.sql,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages "$compress" --output "$pack/jre"
missing="$(find "$pack/jre/lib" -name '*.so' ! -name 'libawt_xawt.so' ! -name 'libjsound.so' ! -name 'libsplashscreen.so' \
  -exec ldd {} + 2>/dev/null | grep 'not found' | grep -v libjvm | sort -u || true)"
[ -z "$missing" ] || echo "gpu-pack: warning: the runtime's libraries need what a bare machine may lack:$missing" >&2
cp "$jar" "$pack/lib/jdissect.jar"
cp "$javacpp_jar" "$pack/lib/javacpp.jar"
jar cf "$pack/lib/jdissect-bench.jar" -C bench/target/classes .
# The runnable jar for the end-to-end check, with ONNX Runtime's natives for linux-x64 only (the others are 270 MB)
cp "java/target/jdissect-0.1.0-SNAPSHOT-all.jar" "$pack/lib/jdissect-all.jar"
zip -q -d "$pack/lib/jdissect-all.jar" 'ai/onnxruntime/native/osx-*' 'ai/onnxruntime/native/win-*' \
  'ai/onnxruntime/native/linux-aarch64/*' >/dev/null
cp build/native/lib/libjdissect_cuda.so "$pack/native/"
for t in test_reference test_api_errors test_stats jd_bench; do
  cp "build/native/$t" "$pack/native/"
done
git rev-parse HEAD > "$pack/COMMIT" 2>/dev/null || true
echo "== compress"
tar -C build -cf - gpu-pack | xz -9 -T0 > build/gpu-pack.tar.xz
rm -rf "$pack"
ls -l build/gpu-pack.tar.xz | awk '{printf "build/gpu-pack.tar.xz: %.1f MiB (carry this path to the GPU machine)\n", $5 / 1048576}'
