#!/usr/bin/env bash
# Installs what sluice needs on a Debian 12 machine, and nothing twice:
#  1. the Debian -dev packages it builds against (apt-get, as root);
#  2. DuckDB from the npm registry at a pinned version, checked by SHA-256 and unpacked
#     into .deps/ (ignored by git): libduckdb.so from @duckdb/node-bindings-linux-x64 and
#     duckdb.h from the duckdb package (same release);
#  3. the web UI's browser libraries from the npm registry, pinned and checked the same way,
#     unpacked into .deps/ui-vendor/ (the build copies them beside the UI's pages): the graph
#     layout @dagrejs/dagre and the chart library uplot;
#  4. the browser tests' driver playwright-core from the npm registry, pinned and checked the
#     same way, unpacked into .deps/ui-test/node_modules/ (the tests drive Debian's chromium,
#     which scripts/test.sh installs).
# A second run finds everything in place and returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

DUCKDB_VERSION=1.4.4
BINDINGS_PKG=@duckdb/node-bindings-linux-x64
BINDINGS_VERSION=1.4.4-r.4
BINDINGS_SHA256=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
HEADER_PKG=duckdb
HEADER_VERSION=1.4.4
HEADER_SHA256=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed
DAGRE_VERSION=1.1.4
DAGRE_SHA256=3b687db50a5bd13595a6019b01ac19bd20f86087b0fa0a4562f778453a896abd
UPLOT_VERSION=1.6.32
UPLOT_SHA256=4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d
PLAYWRIGHT_VERSION=1.65.2
PLAYWRIGHT_SHA256=7430e43aaff66666975cef27e2268c670d79ad35da50215e654d9cb7be53643e

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsimdjson-dev libroaring-dev libfmt-dev libcli11-dev
  libyaml-cpp-dev libre2-dev zlib1g-dev libzstd-dev libssl-dev libxxhash-dev
  python3-dev pybind11-dev python3-pandas librdkafka-dev libpq-dev postgresql
  libcpp-httplib-dev
)

install_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm comes with Node.js where that is installed; Debian's npm package only if neither is.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# fetch_npm PKG VERSION SHA256 DEST: downloads the package tarball with `npm pack`,
# checks its SHA-256 and leaves it at DEST.
fetch_npm() {
  local pkg=$1 version=$2 sha=$3 dest=$4
  if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then return 0; fi
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null 2>&1) || {
    echo "setup: npm pack $pkg@$version failed" >&2; rm -rf "$tmp"; exit 1; }
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  if ! echo "$sha  $tgz" | sha256sum -c --status; then
    echo "setup: checksum mismatch for $pkg@$version (expected $sha)" >&2
    rm -rf "$tmp"; exit 1
  fi
  mv "$tgz" "$dest"
  rm -rf "$tmp"
}

install_duckdb() {
  local dir=$root/.deps/duckdb-$DUCKDB_VERSION
  [ -f "$dir/lib/libduckdb.so" ] && [ -f "$dir/include/duckdb.h" ] && [ -f "$dir/.complete" ] && return 0
  echo "setup: fetching DuckDB $DUCKDB_VERSION from the npm registry"
  mkdir -p "$root/.deps/downloads" "$dir/lib" "$dir/include"
  local bindings=$root/.deps/downloads/bindings-$BINDINGS_VERSION.tgz
  local header=$root/.deps/downloads/duckdb-$HEADER_VERSION.tgz
  fetch_npm "$BINDINGS_PKG" "$BINDINGS_VERSION" "$BINDINGS_SHA256" "$bindings"
  fetch_npm "$HEADER_PKG" "$HEADER_VERSION" "$HEADER_SHA256" "$header"
  tar -xzf "$bindings" -C "$dir/lib" --strip-components=1 package/libduckdb.so package/LICENSE
  tar -xzf "$header" -C "$dir/include" --strip-components=5 package/src/duckdb/src/include/duckdb.h
  touch "$dir/.complete"
}

install_ui_vendor() {
  local dir=$root/.deps/ui-vendor
  local stamp="dagre-$DAGRE_VERSION uplot-$UPLOT_VERSION"
  [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$stamp" ] && return 0
  echo "setup: fetching the web UI's browser libraries from the npm registry"
  mkdir -p "$root/.deps/downloads" "$dir"
  local dagre=$root/.deps/downloads/dagre-$DAGRE_VERSION.tgz
  local uplot=$root/.deps/downloads/uplot-$UPLOT_VERSION.tgz
  fetch_npm @dagrejs/dagre "$DAGRE_VERSION" "$DAGRE_SHA256" "$dagre"
  fetch_npm uplot "$UPLOT_VERSION" "$UPLOT_SHA256" "$uplot"
  tar -xzf "$dagre" -C "$dir" --strip-components=2 package/dist/dagre.min.js
  tar -xzf "$dagre" -O package/LICENSE > "$dir/dagre.LICENSE"
  tar -xzf "$uplot" -C "$dir" --strip-components=2 package/dist/uPlot.iife.min.js \
    package/dist/uPlot.min.css
  tar -xzf "$uplot" -O package/LICENSE > "$dir/uPlot.LICENSE"
  echo "$stamp" > "$dir/.complete"
}

# playwright-core has no dependencies: its package is the whole of node_modules/playwright-core.
install_ui_test() {
  local dir=$root/.deps/ui-test/node_modules/playwright-core
  local stamp="playwright-core-$PLAYWRIGHT_VERSION"
  [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$stamp" ] && return 0
  echo "setup: fetching the browser tests' driver playwright-core from the npm registry"
  mkdir -p "$root/.deps/downloads"
  local tgz=$root/.deps/downloads/playwright-core-$PLAYWRIGHT_VERSION.tgz
  fetch_npm playwright-core "$PLAYWRIGHT_VERSION" "$PLAYWRIGHT_SHA256" "$tgz"
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xzf "$tgz" -C "$dir" --strip-components=1
  echo "$stamp" > "$dir/.complete"
}

install_debian_packages
install_duckdb
install_ui_vendor
install_ui_test
