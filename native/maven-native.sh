#!/usr/bin/env bash
# Called by Maven (java/pom.xml, profile "cuda", phase process-classes): where nvcc exists, builds
# libjdissect_cuda.so with CMake (into build/native, the directory native/build.sh and CI use, so an earlier build
# is reused) and the JNI bridge of org.jdissect.cuda.CudaLib with JavaCPP's Builder, and puts both under
# CLASSES/org/jdissect/cuda/linux-x86_64/, so the tests and the runnable jar carry them. Without nvcc (or off
# linux-x86_64) it says so in one line and leaves the build CPU-only.
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
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  echo "[jdissect] configuring the native build in $build_dir (first CUDA build: a few minutes)"
  # shellcheck disable=SC2086
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${JD_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$build_dir" --parallel "$jobs" --target jdissect_cuda | grep -v '^\[.*\] Built target\|^Consolidate\|^\[ *[0-9]*%\] Linking' || true
lib="$build_dir/lib/libjdissect_cuda.so"
if [ ! -f "$lib" ]; then
  echo "[jdissect] the native build produced no $lib" >&2
  exit 1
fi

out="$classes/org/jdissect/cuda/linux-x86_64"
jni="$out/libjniCudaLib.so"
mkdir -p "$out"
if [ ! -f "$jni" ] || [ "$lib" -nt "$jni" ] || [ "$classes/org/jdissect/cuda/CudaLib.class" -nt "$jni" ] \
    || [ "$root/native/jdissect_cuda.h" -nt "$jni" ]; then
  echo "[jdissect] JavaCPP: building the JNI bridge $jni"
  "$java" -cp "$javacpp_jar" org.bytedeco.javacpp.tools.Builder -cp "$classes" \
    -Dplatform.includepath="$root/native" -Dplatform.linkpath="$build_dir/lib" \
    org.jdissect.cuda.CudaLib 2>&1 | grep -v '^Info: \|^Warning: Without "Adapter"' || true
  [ -f "$jni" ] || { echo "[jdissect] JavaCPP built no $jni" >&2; exit 1; }
  touch "$jni"
fi
cp -p "$lib" "$out/libjdissect_cuda.so"
