// Reads values out of DuckDB data chunks: primitives as typed engine::Values, everything
// else as the text DuckDB's CAST(x AS VARCHAR) prints (session time zone UTC).
#pragma once

#include <duckdb.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace sluice::engine::internal {

// Reads one column of a chunk. Built once per column and chunk; cheap.
class ColumnReader {
 public:
  ColumnReader(duckdb_vector vector, duckdb_logical_type type);
  ~ColumnReader();
  ColumnReader(const ColumnReader&) = delete;
  ColumnReader& operator=(const ColumnReader&) = delete;

  // The value at `row`; primitives typed, other types as text (or JSON, see Json()).
  Value Get(size_t row, bool nested_as_json = false) const;
  // The value at `row` as text, quoted the way DuckDB quotes values inside nested values
  // when `nested` is true ('abc' for strings).
  std::string Text(size_t row, bool nested) const;
  // The value at `row` as JSON: numbers and booleans bare, lists as arrays, structs and
  // maps as objects (map keys as their text), everything else as a JSON string.
  std::string Json(size_t row) const;
  bool IsValid(size_t row) const;

 private:
  duckdb_vector vector_;
  duckdb_logical_type type_;  // owned
  duckdb_type id_;
  void* data_;
  uint64_t* validity_;
  // For DECIMAL: storage and scale; ENUM: dictionary.
  duckdb_type storage_ = DUCKDB_TYPE_INVALID;
  int scale_ = 0;
  std::vector<std::string> dictionary_;
  // For nested types: readers of the children (struct fields, list/array elements,
  // map keys and values as the struct child of the list).
  std::vector<std::unique_ptr<ColumnReader>> children_;
  std::vector<std::string> child_names_;
  size_t array_size_ = 0;
};

// Readers of every column of `chunk`.
std::vector<std::unique_ptr<ColumnReader>> ChunkReaders(duckdb_data_chunk chunk);

// Reads row `row` of every column into `values` (one per reader); whether any is NULL.
bool ReadRow(const std::vector<std::unique_ptr<ColumnReader>>& readers, size_t row,
             std::vector<Value>& values);

}  // namespace sluice::engine::internal
