#!/usr/bin/env bash
# Sets everything up, builds the Debug configuration (ASan + UBSan) and runs the whole
# default test suite with CTest. Arguments, if any, replace the default selection and go
# to ctest (e.g. `-L slow` for the slow suites, `-R conformance`, `-L browser` for the
# web UI's browser tests, which drive Debian's chromium: installed here when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  echo "test: installing Debian's chromium for the browser tests"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
jobs=$(nproc)
cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/debug -j "$jobs"
cd build/debug
[ $# -eq 0 ] && set -- -LE slow
ctest --output-on-failure -j "$jobs" "$@"
