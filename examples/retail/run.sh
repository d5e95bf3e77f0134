#!/usr/bin/env bash
# The retail example: generated JSON orders flow through a bronze streaming table, a checked
# silver streaming table and two gold materialized views. The pipeline runs twice: once on
# the first files, once after new files arrive (only those are read).
# Usage: run.sh BIN_DIR (holding sluice and retail_generate)
set -euo pipefail
bin=$(cd "${1:?usage: run.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
rm -rf .sluice data

step() { printf '\n== %s\n' "$*"; }

step "generate 20 files of 5,000 orders each in data/orders"
"$bin/retail_generate" data/orders 0 20 5000

step "validate the pipeline"
"$bin/sluice" validate

step "first update: every file is new"
"$bin/sluice" run

step "two new files arrive; the second update reads only them"
"$bin/retail_generate" data/orders 20 2 5000
"$bin/sluice" run

step "gold: revenue by month"
"$bin/sluice" query "SELECT month, orders, revenue, customers FROM revenue_by_month ORDER BY month"

step "gold: top customers"
"$bin/sluice" query "SELECT customer_id, orders, revenue FROM revenue_by_customer ORDER BY revenue DESC LIMIT 5"

step "expectations of the last update, from the event log"
"$bin/sluice" query "
  SELECT e.name, e.dataset, e.passed_records, e.failed_records
  FROM (SELECT explode(from_json(details:flow_progress.data_quality.expectations,
                 'array<struct<name: string, dataset: string, passed_records: bigint, failed_records: bigint>>')) AS e
        FROM event_log
        WHERE event_type = 'flow_progress'
          AND details:flow_progress.status = 'COMPLETED'
          AND origin.update_id = (SELECT origin.update_id FROM event_log
                                  WHERE event_type = 'create_update'
                                  ORDER BY timestamp DESC LIMIT 1))
  ORDER BY e.dataset, e.name"
