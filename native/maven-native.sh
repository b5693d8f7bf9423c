#!/usr/bin/env bash
# Called by Maven (java/pom.xml, phase process-classes) to build a native library with CMake (into build/native, the
# directory native/build.sh and CI use, so an earlier build is reused) and its JNI bridge with JavaCPP's Builder,
# and to put both under CLASSES/org/jdissect/<package>/linux-x86_64/, so the tests and the runnable jar carry them:
# - jpeg (every build): libjdissect_jpeg.so, the JPEG decoder of org.jdissect.data.JpegLib, where libjpeg's headers
#   are installed (Debian: libjpeg-dev); without them JPEGs are decoded by ImageIO.
# - cuda (profile "cuda", not with -Djdissect.cpuOnly): libjdissect_cuda.so and the bridge of org.jdissect.cuda.CudaLib
#   (generated from native/jdissect_cuda.h, see maven-javacpp.sh), where nvcc exists; otherwise the build stays
#   CPU-only.
# Off linux-x86_64 neither is built. Prints one line: what it built, or why it built nothing. The tools' output goes
# to BUILD_DIR/maven-native.log and is printed only when a step fails.
# Usage: maven-native.sh jpeg|cuda CLASSES JAVACPP_JAR JAVA
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
part="$1"
classes="$2"
javacpp_jar="$3"
java="$4"
case "$part" in
  jpeg) what="the JPEG decoder" ;;
  cuda) what="the CUDA backend" ;;
  *) echo "[jdissect] maven-native.sh: the part must be jpeg or cuda, got '$part'" >&2; exit 2 ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  [ "$part" = jpeg ] && echo "[jdissect] native libraries are built for linux-x86_64 only: ImageIO decodes JPEGs"
  [ "$part" = cuda ] && echo "[jdissect] the CUDA backend is built for linux-x86_64 only: building the CPU backend only"
  exit 0
fi
nvcc="$(command -v nvcc || true)"
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
  nvcc=/usr/local/cuda/bin/nvcc
fi
if [ "$part" = cuda ] && [ -z "$nvcc" ]; then
  echo "[jdissect] no nvcc on PATH or in /usr/local/cuda/bin: building the CPU backend only"
  exit 0
fi
for tool in cmake g++; do
  if ! command -v "$tool" >/dev/null; then
    echo "[jdissect] no $tool: $what is not built$([ "$part" = jpeg ] && echo " (ImageIO decodes JPEGs)")"
    exit 0
  fi
done

build_dir="${JD_NATIVE_BUILD:-$root/build/native}"
jobs="$(nproc 2>/dev/null || echo 2)"
mkdir -p "$build_dir"
log="$build_dir/maven-native-$part.log"
: > "$log"

# step WHAT COMMAND...: runs COMMAND with its output appended to the log; when it fails, prints that output and stops.
step() {
  local what="$1"
  shift
  local out
  out="$(mktemp)"
  if "$@" > "$out" 2>&1; then
    cat "$out" >> "$log"
    rm -f "$out"
    return 0
  fi
  cat "$out" >> "$log"
  echo "[jdissect] $what failed (the output below is also in $log):" >&2
  cat "$out" >&2
  rm -f "$out"
  exit 1
}

configure() {
  # shellcheck disable=SC2086
  step "configuring the native build (cmake)" cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${JD_CMAKE_ARGS:-}
}
first=0
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  echo "[jdissect] configuring the native build in $build_dir$([ "$part" = cuda ] && echo " (the first CUDA build takes a few minutes)")"
  configure
  first=1
fi

# build_bridge NAME PACKAGE CLASS LIB_TARGET: builds LIB_TARGET with CMake, and the JNI bridge of CLASS (in PACKAGE,
# a path) with JavaCPP when the library, the header or the class changed since the bridge was built, and copies the
# library beside it; adds what it built to built=(...).
built=()
build_bridge() {
  local name="$1" package="$2" class="$3" target="$4"
  local lib="$build_dir/lib/lib$target.so"
  local out="$classes/$package/linux-x86_64"
  local jni="$out/libjni$name.so"
  local before
  before="$(stat -c %Y "$lib" 2>/dev/null || echo none)"
  step "building lib$target.so (cmake --build)" cmake --build "$build_dir" --parallel "$jobs" --target "$target"
  [ -f "$lib" ] || { echo "[jdissect] the native build produced no $lib (see $log)" >&2; exit 1; }
  [ "$(stat -c %Y "$lib")" = "$before" ] || built+=("lib$target.so")
  mkdir -p "$out"
  # what the bridge is built from, by content: Maven recompiles every class when one source changes, so their times
  # would rebuild the bridge (seconds) in every build
  local inputs=("$lib" "$root/native/$target.h" "$classes/$package/$name.class")
  [ -f "$classes/$package/${name}Config.class" ] && inputs+=("$classes/$package/${name}Config.class")
  local sig stamp="$build_dir/jni-$name.sha256"
  sig="$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$jni" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sig" ]; then
    step "building the JNI bridge of $class (JavaCPP Builder)" "$java" -cp "$javacpp_jar" \
      org.bytedeco.javacpp.tools.Builder -cp "$classes" -Dplatform.includepath="$root/native" \
      -Dplatform.linkpath="$build_dir/lib" "$class"
    [ -f "$jni" ] || { echo "[jdissect] JavaCPP built no $jni (see $log)" >&2; exit 1; }
    echo "$sig" > "$stamp"
    built+=("the JNI bridge")
  fi
  cp -p "$lib" "$out/lib$target.so"
}

# report WHAT: the one line, unless this run configured the build (which said so already)
report() {
  if ((${#built[@]})); then
    local list="${built[0]}"
    [ "${#built[@]}" -gt 1 ] && list="$list and ${built[1]}"
    echo "[jdissect] $1: built $list"
  elif [ "$first" -eq 0 ]; then
    echo "[jdissect] $1: up to date"
  fi
}

if [ "$part" = jpeg ]; then
  # libjpeg's headers found when the build was configured? An earlier configuration may predate their install.
  has_jpeg() { grep -Eq '^JPEG_INCLUDE_DIR:PATH=/' "$build_dir/CMakeCache.txt"; }
  if ! has_jpeg && [ "$first" -eq 0 ]; then
    configure
  fi
  if ! has_jpeg; then
    echo "[jdissect] no libjpeg headers (Debian: libjpeg-dev): ImageIO decodes JPEGs"
    exit 0
  fi
  build_bridge JpegLib org/jdissect/data org.jdissect.data.JpegLib jdissect_jpeg
  report "JPEG decoder (libjdissect_jpeg.so)"
  exit 0
fi

[ -f "$build_dir/lib/libjdissect_cuda.so" ] || [ "$first" -eq 1 ] \
  || echo "[jdissect] building the CUDA library in $build_dir (the first build takes a few minutes)"
build_bridge CudaLib org/jdissect/cuda org.jdissect.cuda.CudaLib jdissect_cuda
report "CUDA backend (libjdissect_cuda.so)"
