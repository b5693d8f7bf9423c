#!/usr/bin/env bash
# Called by Maven (java/pom.xml, profile "cuda", phase process-classes): where nvcc exists, builds
# libjdissect_cuda.so with CMake (into build/native, the directory native/build.sh and CI use, so an earlier build
# is reused) and the JNI bridge of org.jdissect.cuda.CudaLib (generated from native/jdissect_cuda.h, see
# maven-javacpp.sh) with JavaCPP's Builder, and puts both under CLASSES/org/jdissect/cuda/linux-x86_64/, so the tests
# and the runnable jar carry them. Without nvcc (or off linux-x86_64) the build stays CPU-only.
# Prints one line: what it built, or why it built nothing. The tools' output goes to BUILD_DIR/maven-native.log and
# is printed only when a step fails.
# Usage: maven-native.sh CLASSES JAVACPP_JAR JAVA
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classes="$1"
javacpp_jar="$2"
java="$3"

nvcc="$(command -v nvcc || true)"
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
  nvcc=/usr/local/cuda/bin/nvcc
fi
if [ -z "$nvcc" ]; then
  echo "[jdissect] no nvcc on PATH or in /usr/local/cuda/bin: building the CPU backend only"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[jdissect] the CUDA backend is built for linux-x86_64 only: building the CPU backend only"
  exit 0
fi

build_dir="${JD_NATIVE_BUILD:-$root/build/native}"
jobs="$(nproc 2>/dev/null || echo 2)"
mkdir -p "$build_dir"
log="$build_dir/maven-native.log"
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

lib="$build_dir/lib/libjdissect_cuda.so"
out="$classes/org/jdissect/cuda/linux-x86_64"
jni="$out/libjniCudaLib.so"
built=()

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  echo "[jdissect] building the CUDA library in $build_dir (the first build takes a few minutes)"
  # shellcheck disable=SC2086
  step "configuring the native build (cmake)" cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${JD_CMAKE_ARGS:-}
  first=1
else
  first=0
fi
before="$(stat -c %Y "$lib" 2>/dev/null || echo none)"
step "building libjdissect_cuda.so (cmake --build)" cmake --build "$build_dir" --parallel "$jobs" --target jdissect_cuda
[ -f "$lib" ] || { echo "[jdissect] the native build produced no $lib (see $log)" >&2; exit 1; }
[ "$(stat -c %Y "$lib")" = "$before" ] || built+=("libjdissect_cuda.so")

mkdir -p "$out"
if [ ! -f "$jni" ] || [ "$lib" -nt "$jni" ] || [ "$classes/org/jdissect/cuda/CudaLib.class" -nt "$jni" ] \
    || [ "$classes/org/jdissect/cuda/CudaLibConfig.class" -nt "$jni" ] || [ "$root/native/jdissect_cuda.h" -nt "$jni" ]; then
  step "building the JNI bridge (JavaCPP Builder)" "$java" -cp "$javacpp_jar" org.bytedeco.javacpp.tools.Builder \
    -cp "$classes" -Dplatform.includepath="$root/native" -Dplatform.linkpath="$build_dir/lib" org.jdissect.cuda.CudaLib
  [ -f "$jni" ] || { echo "[jdissect] JavaCPP built no $jni (see $log)" >&2; exit 1; }
  touch "$jni"
  built+=("the JNI bridge")
fi
cp -p "$lib" "$out/libjdissect_cuda.so"

if [ "$first" -eq 0 ]; then
  if ((${#built[@]})); then
    what="${built[0]}"
    [ "${#built[@]}" -gt 1 ] && what="$what and ${built[1]}"
    echo "[jdissect] CUDA backend: built $what"
  else
    echo "[jdissect] CUDA backend: libjdissect_cuda.so and its JNI bridge are up to date"
  fi
fi
