#!/usr/bin/env bash
# The example: builds a small partitioned Delta table of taxi trips with the sluice CLI,
# then reads, time-travels, deletes, compacts and vacuums it. Usage: run.sh PATH/TO/sluice
set -euo pipefail
sluice=${1:?usage: run.sh PATH/TO/sluice}
here=$(cd "$(dirname "$0")" && pwd)
table=$here/.sluice/trips
rm -rf "$here/.sluice"

step() { printf '\n== %s\n' "$*"; }

step "create a partitioned table from generated rows"
"$sluice" table write "$table" "
  SELECT i AS trip_id,
         ['Manhattan', 'Brooklyn', 'Queens', 'Bronx'][1 + i % 4] AS borough,
         DATE '2026-01-01' + (i % 7)::INTEGER AS pickup_date,
         round(2.5 + (i * 7919 % 4000) / 100.0, 2)::DECIMAL(10, 2) AS fare,
         TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_minutes(i) AS pickup_time
  FROM range(10000) t(i)" --mode overwrite --partition-by borough

step "append three small batches (three more commits, small files in every partition)"
for batch in 1 2 3; do
  "$sluice" table write "$table" "
    SELECT 10000 * $batch + i AS trip_id,
           ['Manhattan', 'Brooklyn', 'Queens', 'Bronx'][1 + i % 4] AS borough,
           DATE '2026-01-08' + $batch AS pickup_date, 12.50::DECIMAL(10, 2) AS fare,
           TIMESTAMPTZ '2026-01-08 08:00:00+00' + to_minutes(i) AS pickup_time
    FROM range(100) t(i)"
done

step "describe"
"$sluice" table describe "$table"

step "scan with a filter (files of other boroughs are skipped)"
"$sluice" table scan "$table" --where "borough = 'Queens' AND fare > 40" --limit 5

step "delete cheap trips (only affected files are rewritten)"
"$sluice" table delete "$table" --where "fare < 5"

step "time travel: the table as of version 0"
"$sluice" table scan "$table" --version 0 --columns borough --limit 3 --format csv

step "compact small files"
"$sluice" table optimize "$table"

step "history"
"$sluice" table history "$table"

step "vacuum (dry run, keeping nothing older than now)"
"$sluice" table vacuum "$table" --retain 0 --dry-run --force
