// Schema inference for JSON and CSV values, following Spark (JsonInferSchema,
// CSVInferSchema) as Auto Loader and read_files use it with inferColumnTypes:
//
//  JSON: integral numbers -> long (decimal(38,0)-range integers beyond long -> double);
//        other numbers -> double; true/false -> boolean; strings -> string; objects ->
//        struct of their fields (sorted by name, as Spark sorts inferred JSON fields);
//        arrays -> array of the merged element type; null -> void (no type yet).
//  CSV:  tries int, long, double, boolean, timestamp (ISO or timestampFormat), date (ISO
//        or dateFormat, only when the value has no time part), and falls back to string;
//        NULL fields -> void.
//
// Types of one column across records merge as Spark merges them: void with X is X;
// integer with long is long; integral with double is double; struct with struct merges
// fields by name; array with array merges elements; anything else becomes string.
#pragma once

#include "delta/schema.h"
#include "ingest/records.h"
#include "ingest/values.h"

namespace sluice::ingest {

struct InferenceOptions {
  const DateTimePattern* date_format = nullptr;       // CSV only
  const DateTimePattern* timestamp_format = nullptr;  // CSV only
  bool prefers_decimal = false;  // JSON: non-integral numbers as decimal when they fit
};

delta::DataTypePtr InferJsonType(const RawField& field, const InferenceOptions& options);
delta::DataTypePtr InferCsvType(const RawField& field, const InferenceOptions& options);
delta::DataTypePtr MergeTypes(const delta::DataTypePtr& a, const delta::DataTypePtr& b);

// Whether a JSON value's text fits a nested type: an object for struct (and map), an array
// for array, recursively for the fields that are present. Used to rescue nested values
// that do not fit before DuckDB casts the JSON text.
bool JsonFitsType(std::string_view json_text, const delta::DataType& type);

}  // namespace sluice::ingest
