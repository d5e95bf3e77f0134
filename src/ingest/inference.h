// Schema inference for JSON and CSV values, following Spark (JsonInferSchema,
// CSVInferSchema) as Auto Loader and read_files use it with inferColumnTypes:
//
//  JSON: integral numbers -> long, beyond long -> decimal(digits,0) up to 38 digits, then
//        double; other numbers -> double (with prefers_decimal: the decimal that Java's
//        BigDecimal sizes them to, e.g. 1.50 -> decimal(3,2), while it fits 38 digits; a
//        string that reads as such a decimal is one too); true/false -> boolean; strings ->
//        string, except "" -> void (Spark takes it for null); objects -> struct of their
//        fields (sorted by name, as Spark sorts inferred JSON fields; a repeated key counts
//        once); arrays -> array of the merged element type; null -> void (no type yet).
//  CSV:  tries, in Spark's order, integer, long, decimal(digits,0) (integers beyond long,
//        up to 38 digits), double (also NaN, Inf, Infinity), date (ISO or dateFormat; without
//        a dateFormat only when the value has no time part), timestamp (ISO or
//        timestampFormat), boolean (ignoring case), and falls back to string; NULL and empty
//        fields -> void. The checks are values.h's parsers, so a value converts to the type
//        inferred from it.
//
// Types of one column across records merge as Spark merges them: void with X is X;
// byte < short < integer < long < float < double take the wider; a decimal with an
// integral type or another decimal widens to hold both (beyond 38 digits: double); decimal
// with double is double; timestamp with timestamp_ntz is timestamp; struct with struct
// merges fields by exact name (two structs sorted by name, as inferred ones are, merge
// into a sorted struct; otherwise the first one's order is kept and new fields follow);
// array with array merges elements; anything else becomes string (date with timestamp too,
// as Spark's CSV inference does).
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
//
// null fits every type. A struct checks the object's keys that match its fields by exact
// name (the first of a repeated key) and ignores the others; a map checks every key
// (integral key types: ParseInteger) and value. Scalars take the JSON tokens Spark's
// reader takes, checked with values.h: integral types an integral number in range; float
// and double any number (float within its range) or a string spelling NaN or infinity;
// decimal a number or string that ParseDecimal fits; boolean true/false; date and
// timestamps a string that ParseDate/ParseTimestamp read without a pattern; binary a
// string; string any value (nested ones as their JSON text); void only null. The text is
// expected to come from the JSON parser: parts that the type does not look into are not
// validated again.
bool JsonFitsType(std::string_view json_text, const delta::DataType& type);

}  // namespace sluice::ingest
