#!/usr/bin/env bash
# Called by Maven (java/pom.xml, phase generate-sources) in every build, with or without nvcc and -Djdissect.cpuOnly:
# generates org.jdissect.cuda.CudaLib, the Java API of the C API, from native/jdissect_cuda.h with JavaCPP's parser,
# configured by org.jdissect.cuda.CudaLibConfig, into TARGET/generated-sources/javacpp (a source root of the compile).
# The parser reads only the header (no C compiler, no CUDA). Nothing happens when neither the header, the
# configuration, JavaCPP nor this script changed since the last run; CudaLib.java is rewritten only when its text
# changes, so that an unchanged API does not make Maven recompile. Prints one line when it writes CudaLib.java, and
# the parser's output when it fails.
# Usage: maven-javacpp.sh TARGET JAVACPP_JAR JDK_BIN
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$1"
javacpp_jar="$2"
jdk_bin="$3"

header="$root/native/jdissect_cuda.h"
config="$root/java/src/main/java/org/jdissect/cuda/CudaLibConfig.java"
out="$target/generated-sources/javacpp/org/jdissect/cuda/CudaLib.java"
work="$target/javacpp-parser"
stamp="$work/parsed"

if [ -f "$out" ] && [ -f "$stamp" ]; then
  stale=0
  for input in "$header" "$config" "$javacpp_jar" "${BASH_SOURCE[0]}"; do
    [ "$input" -nt "$stamp" ] && stale=1
  done
  [ "$stale" -eq 0 ] && exit 0
fi

rm -rf "$work"
mkdir -p "$work/classes" "$work/out"
log="$work/parser.log"
# The parser reads the header as on linux-x86_64, the one platform the library is built for, on any build machine.
if ! { "$jdk_bin/javac" -nowarn --release 17 -cp "$javacpp_jar" -d "$work/classes" "$config" \
       && "$jdk_bin/java" -cp "$javacpp_jar" org.bytedeco.javacpp.tools.Builder -cp "$work/classes" -d "$work/out" \
            -nogenerate -Dplatform=linux-x86_64 -Dplatform.includepath="$root/native" org.jdissect.cuda.CudaLibConfig
     } >"$log" 2>&1 || [ ! -f "$work/out/org/jdissect/cuda/CudaLib.java" ]; then
  echo "[jdissect] JavaCPP could not generate org.jdissect.cuda.CudaLib from native/jdissect_cuda.h:" >&2
  cat "$log" >&2
  exit 1
fi
if ! cmp -s "$work/out/org/jdissect/cuda/CudaLib.java" "$out"; then
  mkdir -p "$(dirname "$out")"
  cp "$work/out/org/jdissect/cuda/CudaLib.java" "$out"
  echo "[jdissect] JavaCPP: org.jdissect.cuda.CudaLib generated from native/jdissect_cuda.h"
fi
touch "$stamp"
