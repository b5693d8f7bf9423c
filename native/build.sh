#!/usr/bin/env bash
# Configures (Release), builds and tests the native part of jdissect: bash native/build.sh [BUILD_DIR]
# Without nvcc only the host part is built; without a GPU the GPU tests are reported as skipped. Extra CMake
# arguments can be given in JD_CMAKE_ARGS (e.g. JD_CMAKE_ARGS="-DCMAKE_CUDA_ARCHITECTURES=native").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build/native}"
jobs="$(nproc 2>/dev/null || echo 2)"

# shellcheck disable=SC2086
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${JD_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs"
cd "$build_dir"
ctest --output-on-failure --parallel "$jobs"
# ctest hides the output of skipped tests; show why they skipped.
if [ -f Testing/Temporary/LastTest.log ]; then
  grep -h '^SKIP:' Testing/Temporary/LastTest.log || true
fi
