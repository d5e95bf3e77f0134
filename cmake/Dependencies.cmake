# Third-party dependencies: Debian packages found by CMake, and DuckDB unpacked by
# scripts/setup.sh into .deps/ from the npm registry.
set(DUCKDB_VERSION 1.4.4)
set(DUCKDB_DIR "${CMAKE_SOURCE_DIR}/.deps/duckdb-${DUCKDB_VERSION}" CACHE PATH "DuckDB lib + header")
set(DUCKDB_LIB_DIR "${DUCKDB_DIR}/lib")
if(NOT EXISTS "${DUCKDB_LIB_DIR}/libduckdb.so" OR NOT EXISTS "${DUCKDB_DIR}/include/duckdb.h")
  message(FATAL_ERROR "DuckDB ${DUCKDB_VERSION} not found in ${DUCKDB_DIR}: run scripts/setup.sh")
endif()
add_library(duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb PROPERTIES
  IMPORTED_LOCATION "${DUCKDB_LIB_DIR}/libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${DUCKDB_DIR}/include")

find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(simdjson REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(PkgConfig REQUIRED)

# CRoaring ships no CMake config in Debian 12; link it by name.
find_path(ROARING_INCLUDE_DIR roaring/roaring.h)
find_library(ROARING_LIBRARY roaring)
if(NOT ROARING_INCLUDE_DIR OR NOT ROARING_LIBRARY)
  message(FATAL_ERROR "CRoaring not found: run scripts/setup.sh (libroaring-dev)")
endif()
add_library(roaring UNKNOWN IMPORTED GLOBAL)
set_target_properties(roaring PROPERTIES
  IMPORTED_LOCATION "${ROARING_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${ROARING_INCLUDE_DIR}")

# libzstd-dev ships no CMake config in Debian 12 either.
find_path(ZSTD_INCLUDE_DIR zstd.h)
find_library(ZSTD_LIBRARY zstd)
if(NOT ZSTD_INCLUDE_DIR OR NOT ZSTD_LIBRARY)
  message(FATAL_ERROR "zstd not found: run scripts/setup.sh (libzstd-dev)")
endif()
add_library(zstd UNKNOWN IMPORTED GLOBAL)
set_target_properties(zstd PROPERTIES
  IMPORTED_LOCATION "${ZSTD_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${ZSTD_INCLUDE_DIR}")

# libxxhash-dev ships no CMake config either.
find_path(XXHASH_INCLUDE_DIR xxhash.h)
find_library(XXHASH_LIBRARY xxhash)
if(NOT XXHASH_INCLUDE_DIR OR NOT XXHASH_LIBRARY)
  message(FATAL_ERROR "xxHash not found: run scripts/setup.sh (libxxhash-dev)")
endif()
add_library(xxhash UNKNOWN IMPORTED GLOBAL)
set_target_properties(xxhash PROPERTIES
  IMPORTED_LOCATION "${XXHASH_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${XXHASH_INCLUDE_DIR}")

# librdkafka (librdkafka-dev) for Kafka sources and sinks, RE2 (libre2-dev) for patterns.
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libpq (libpq-dev) for PostgreSQL sources.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# cpp-httplib (libcpp-httplib-dev) for the web UI's server, and the UI's browser libraries
# that scripts/setup.sh unpacks from the npm registry.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
set(UI_VENDOR_DIR "${CMAKE_SOURCE_DIR}/.deps/ui-vendor")
if(NOT EXISTS "${UI_VENDOR_DIR}/dagre.min.js" OR NOT EXISTS "${UI_VENDOR_DIR}/uPlot.iife.min.js")
  message(FATAL_ERROR "the web UI's libraries are not in ${UI_VENDOR_DIR}: run scripts/setup.sh")
endif()

# The embedded CPython (Debian's python3-dev) and pybind11's headers (pybind11-dev).
pkg_check_modules(PYTHON_EMBED REQUIRED IMPORTED_TARGET python3-embed)
find_path(PYBIND11_INCLUDE_DIR pybind11/embed.h)
if(NOT PYBIND11_INCLUDE_DIR)
  message(FATAL_ERROR "pybind11 not found: run scripts/setup.sh (pybind11-dev)")
endif()

if(SLUICE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SLUICE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
