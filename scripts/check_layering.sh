#!/usr/bin/env bash
# Checks that every #include "module/..." in src/ follows the allowed edges of
# ../shared/DESIGN.md, section 1, and that only src/engine includes duckdb.h.
# Prints each violation as file:line and exits 1 if there is any.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src" || exit 1

# module: the modules it may include (besides itself).
allowed='
common:
io: common
engine: common
delta: io engine common
spec: io common
spark: common
sql: spark common
python: sql spark spec engine common
graph: sql spark spec common
quality: engine common
cdc: engine delta common
eventlog: delta engine common
ingest: delta engine io common
streaming: delta engine io common
sources: engine common
runtime: common io engine delta spec spark sql python graph quality cdc eventlog ingest sources streaming
api: runtime delta engine io common
ui: api common
tools: api ui common
'

find . \( -name '*.h' -o -name '*.cc' \) -print0 | sort -z | xargs -0 grep -n -H -E '^[[:space:]]*#[[:space:]]*include' |
  awk -v allowed="$allowed" '
    BEGIN {
      n = split(allowed, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        split(lines[i], parts, ":")
        module = parts[1]
        known[module] = 1
        edges[module] = " " parts[2] " "
      }
      failures = 0
    }
    {
      # ./delta/scan.cc:12:#include "delta/x.h"
      split($0, fields, ":")
      file = substr(fields[1], 3)
      line = fields[2]
      text = substr($0, length(fields[1]) + length(fields[2]) + 3)
      split(file, path, "/")
      module = path[1]
      if (!(module in known)) {
        if (!(file in reported)) { print file ": module \047" module "\047 is not in the layering table"; reported[file] = 1 }
        failures = 1
        next
      }
      if (text ~ /duckdb\.h/ && module != "engine") {
        print file ":" line ": only src/engine may include duckdb.h"; failures = 1
      }
      if (match(text, /[<"][^\/">]+\//)) {
        target = substr(text, RSTART + 1, RLENGTH - 2)
        if ((target in known) && target != module && index(edges[module], " " target " ") == 0) {
          print file ":" line ": " module " may not include " target "/ (allowed:" edges[module] ")"
          failures = 1
        }
      }
    }
    END {
      if (failures == 0) print "layering: ok"
      exit failures
    }'
