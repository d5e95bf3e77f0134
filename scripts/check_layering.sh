#!/usr/bin/env bash
# Checks that every #include "module/..." in src/ follows the allowed edges of
# ../shared/DESIGN.md, section 1, and that only src/engine includes duckdb.h.
# Prints each violation as file:line and exits 1 if there is any.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src" || exit 1

declare -A allowed=(
  [common]=""
  [io]="common"
  [engine]="common"
  [delta]="io engine common"
  [spec]="io common"
  [sql]="common"
  [graph]="sql spec common"
  [quality]="engine common"
  [cdc]="engine delta common"
  [eventlog]="delta engine common"
  [runtime]="common io engine delta spec sql graph quality cdc eventlog"
  [api]="runtime delta engine io common"
  [tools]="api common"
  [web]="api common"
)
modules=" ${!allowed[*]} "

failures=0
while IFS= read -r file; do
  module=${file%%/*}
  [ -n "${allowed[$module]+x}" ] || { echo "$file: module '$module' is not in the layering table"; failures=1; continue; }
  while IFS=: read -r line text; do
    target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^/">]+)\/.*$/\1/' <<<"$text")
    if [[ "$text" =~ duckdb\.h ]] && [ "$module" != engine ]; then
      echo "$file:$line: only src/engine may include duckdb.h"; failures=1
    fi
    [[ "$modules" == *" $target "* ]] || continue
    [ "$target" = "$module" ] && continue
    if [[ " ${allowed[$module]} " != *" $target "* ]]; then
      echo "$file:$line: $module may not include $target/ (allowed: ${allowed[$module]:-nothing})"
      failures=1
    fi
  done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include' "$file")
done < <(find . -name '*.h' -o -name '*.cc' | sed 's|^\./||' | sort)

[ $failures -eq 0 ] && echo "layering: ok"
exit $failures
