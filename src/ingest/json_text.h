// Text-level helpers for JSON values, shared by the JSON parser, inference and JsonFitsType.
// Internal to ingest/; none of them include simdjson.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <memory>
#include <string_view>

namespace sluice::ingest {

// Bytes simdjson may read past the end of its input (SIMDJSON_PADDING; the files that
// include simdjson check that this is enough).
inline constexpr size_t kJsonPadding = 64;

// A reusable copy of some text followed by kJsonPadding zero bytes, as simdjson needs it.
// Allocates only when a longer text than any before comes.
class PaddedBuffer {
 public:
  void Assign(std::string_view text);
  const char* data() const { return buffer_.get(); }
  size_t size() const { return size_; }
  // The bytes readable from data(): at least size() + kJsonPadding.
  size_t capacity() const { return allocated_; }

 private:
  std::unique_ptr<char[]> buffer_;
  size_t allocated_ = 0;
  size_t size_ = 0;
};

inline bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
std::string_view TrimJsonWhitespace(std::string_view text);

// One past the last byte of the JSON value that starts at text[start]. The value must be
// valid JSON (check it first): the scan only follows strings and nesting. Sets
// *has_whitespace when whitespace occurs outside strings, i.e. when the value is not
// compact; leaves it alone otherwise.
size_t JsonValueEnd(std::string_view text, size_t start, bool* has_whitespace);

// Whether `text` is exactly a number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?
// ([eE][+-]?[0-9]+)?. simdjson's On-Demand API leaves unread numbers unchecked.
bool IsJsonNumber(std::string_view text);
// Whether a valid JSON number has neither fraction nor exponent (Jackson's
// VALUE_NUMBER_INT as opposed to VALUE_NUMBER_FLOAT).
bool IsIntegralJsonNumber(std::string_view text);

// Precision and scale of `text` as java.math.BigDecimal(text) has them, which is how
// Spark sizes inferred decimals: an optional sign, digits with an optional '.', an optional
// exponent. "1.50" is (3, 2), "-0012" is (2, 0), "0.00" is (1, 2), "1e3" is (1, -3).
// False for anything else, and for exponents beyond +-100000 (which no decimal can hold).
bool DecimalShape(std::string_view text, int* precision, int* scale);

// A parser and a padded buffer per thread, for parsing JSON text (nested values) again.
// Callers must not nest uses on one thread.
struct JsonScratch {
  simdjson::ondemand::parser parser;
  PaddedBuffer buffer;
};
JsonScratch& ThreadJsonScratch();

}  // namespace sluice::ingest
