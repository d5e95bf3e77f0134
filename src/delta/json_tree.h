// A small JSON document tree for the Delta texts that must round-trip exactly: schema strings
// (field metadata values are kept verbatim) and file statistics (numbers keep their digits, so
// decimal bounds never pass through a double).
//
// Parsing uses simdjson; writing follows Jackson's (and so Spark's) escaping: `"`, `\` and
// control characters are escaped, everything else (including non-ASCII UTF-8) is written as is.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice::delta::json_tree {

struct Node {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  bool boolean = false;
  // kNumber: the number exactly as written; kString: the decoded string.
  std::string text;
  // kNumber, kString, kBool, kNull: the token as written (strings with quotes and escapes).
  std::string raw;
  std::vector<Node> elements;                         // kArray
  std::vector<std::pair<std::string, Node>> members;  // kObject, document order, decoded keys

  bool is_null() const { return kind == Kind::kNull; }
  bool is_object() const { return kind == Kind::kObject; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_number() const { return kind == Kind::kNumber; }
  bool is_bool() const { return kind == Kind::kBool; }

  // The first member named `key` of an object; nullptr if absent or not an object.
  const Node* Find(std::string_view key) const;
};

// Parses one complete JSON text. Errors are InvalidArgument("invalid JSON: <reason>").
Result<Node> Parse(std::string_view text);

// Compact JSON of `node`: scalars as written (their raw token), containers rebuilt without
// whitespace. For compact input this reproduces the input byte for byte.
std::string ToCompactJson(const Node& node);

// Appends `value` as a quoted JSON string with Jackson's escaping.
void AppendQuoted(std::string* out, std::string_view value);
std::string Quote(std::string_view value);

}  // namespace sluice::delta::json_tree
