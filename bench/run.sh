#!/usr/bin/env bash
# Builds the Release configuration and runs every benchmark. Each prints its ratios
# against DuckDB doing the same work in the same run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF \
  -DSLUICE_BUILD_BENCH=ON >/dev/null
cmake --build build/release -j "$(nproc)"
for bench in build/release/bench/*_bench; do
  echo "== $(basename "$bench")"
  "$bench" "$@"
done
