#!/usr/bin/env bash
# Sets everything up, builds the Release configuration and runs the retail example pipeline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF \
  -DSLUICE_BUILD_BENCH=OFF >/dev/null
cmake --build build/release -j "$(nproc)"
bash examples/retail/run.sh "$root/build/release/bin"
