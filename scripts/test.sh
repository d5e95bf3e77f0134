#!/usr/bin/env bash
# Sets everything up, builds the Debug configuration (ASan + UBSan) and runs the whole
# default test suite with CTest. Arguments, if any, replace the default selection and go
# to ctest (e.g. `-L slow` for the slow suites, `-R conformance`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
jobs=$(nproc)
cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/debug -j "$jobs"
cd build/debug
[ $# -eq 0 ] && set -- -LE slow
ctest --output-on-failure -j "$jobs" "$@"
