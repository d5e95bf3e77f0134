#!/usr/bin/env bash
# The retail example in Python: the same tables as ../run.sh builds from SQL, from the same
# kind of generated orders. `sluice compile` shows the pipeline SQL the Python compiles to.
# Usage: run.sh BIN_DIR (holding sluice and retail_generate)
set -euo pipefail
bin=$(cd "${1:?usage: run.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
rm -rf .sluice data

step() { printf '\n== %s\n' "$*"; }

step "generate 20 files of 5,000 orders each in data/orders"
"$bin/retail_generate" data/orders 0 20 5000

step "the pipeline SQL the Python files compile to"
"$bin/sluice" compile

step "first update: every file is new"
"$bin/sluice" run

step "two new files arrive; the second update reads only them"
"$bin/retail_generate" data/orders 20 2 5000
"$bin/sluice" run

step "gold: revenue by month"
"$bin/sluice" query "SELECT month, orders, revenue, customers FROM revenue_by_month ORDER BY month"
