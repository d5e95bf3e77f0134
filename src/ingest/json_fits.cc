// JsonFitsType: whether nested JSON converts to a column type, checked with the same value
// parsers (values.h) that convert top-level values, and Spark's rules for which JSON
// tokens a type takes (JacksonParser.makeConverter).
#include <simdjson.h>

#include <cfloat>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "ingest/inference.h"
#include "ingest/json_text.h"

namespace sluice::ingest {
namespace {

namespace od = simdjson::ondemand;
using delta::DataType;
using delta::TypeKind;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

constexpr int kMaxDepth = 1000;

int IntegralBits(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return 8;
    case TypeKind::kShort:
      return 16;
    case TypeKind::kInteger:
      return 32;
    default:
      return 64;
  }
}

bool HasDigit(std::string_view text) {
  return text.find_first_of("0123456789") != std::string_view::npos;
}

// A number token (valid JSON) for a scalar type.
bool NumberFits(std::string_view token, const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kString:
      return true;
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong: {
      int64_t value = 0;
      return IsIntegralJsonNumber(token) && ParseInteger(token, IntegralBits(type.kind()), &value);
    }
    case TypeKind::kDouble: {
      double value = 0;
      return ParseDouble(token, &value);
    }
    case TypeKind::kFloat: {
      double value = 0;
      return ParseDouble(token, &value) && std::fabs(value) <= FLT_MAX;
    }
    case TypeKind::kDecimal: {
      std::string canonical;
      return ParseDecimal(token, type.precision(), type.scale(), &canonical);
    }
    default:
      return false;
  }
}

// A decoded string for a scalar type.
bool StringFits(std::string_view text, const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kString:
    case TypeKind::kBinary:
      return true;
    case TypeKind::kDouble:
    case TypeKind::kFloat: {
      // Only the NaN and infinity spellings: Spark reads no other number from a string.
      double value = 0;
      return !HasDigit(text) && ParseDouble(text, &value);
    }
    case TypeKind::kDecimal: {
      std::string canonical;
      return ParseDecimal(text, type.precision(), type.scale(), &canonical);
    }
    case TypeKind::kDate: {
      int32_t days = 0;
      return ParseDate(text, nullptr, &days);
    }
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampNtz: {
      int64_t micros = 0;
      return ParseTimestamp(text, nullptr, &micros);
    }
    default:
      return false;
  }
}

// A map key (always a string in JSON) for the map's key type.
bool KeyFits(std::string_view key, const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong: {
      int64_t value = 0;
      return ParseInteger(key, IntegralBits(type.kind()), &value);
    }
    default:
      return StringFits(key, type);
  }
}

bool Fits(od::value value, const DataType& type, int depth);

bool StructFits(od::object object, const DataType& type, int depth) {
  std::vector<std::string_view> seen;
  for (auto entry : object) {
    od::field field;
    if (std::move(entry).get(field)) return false;
    std::string_view name;
    if (field.unescaped_key().get(name)) return false;
    // Only the first value of a repeated key counts, as in the parser.
    bool repeated = false;
    for (std::string_view other : seen) repeated = repeated || other == name;
    if (repeated) continue;
    seen.push_back(name);
    for (const delta::StructField& struct_field : type.fields()) {
      if (struct_field.name != name) continue;
      if (!Fits(field.value(), *struct_field.type, depth + 1)) return false;
      break;
    }
  }
  return true;
}

bool MapFits(od::object object, const DataType& type, int depth) {
  for (auto entry : object) {
    od::field field;
    if (std::move(entry).get(field)) return false;
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (!KeyFits(key, *type.key_type())) return false;
    if (!Fits(field.value(), *type.value_type(), depth + 1)) return false;
  }
  return true;
}

bool ArrayFits(od::array array, const DataType& type, int depth) {
  for (auto entry : array) {
    od::value element;
    if (std::move(entry).get(element)) return false;
    if (!Fits(element, *type.element_type(), depth + 1)) return false;
  }
  return true;
}

bool Fits(od::value value, const DataType& type, int depth) {
  if (depth > kMaxDepth) return false;
  od::json_type json_type;
  if (value.type().get(json_type)) return false;
  switch (json_type) {
    case od::json_type::null: {
      bool null = false;
      return !value.is_null().get(null) && null;
    }
    case od::json_type::object: {
      // A string column takes the object as its JSON text.
      if (type.kind() == TypeKind::kString) return true;
      od::object object;
      if (value.get_object().get(object)) return false;
      if (type.kind() == TypeKind::kStruct) return StructFits(object, type, depth);
      if (type.kind() == TypeKind::kMap) return MapFits(object, type, depth);
      return false;
    }
    case od::json_type::array: {
      if (type.kind() == TypeKind::kString) return true;
      if (type.kind() != TypeKind::kArray) return false;
      od::array array;
      if (value.get_array().get(array)) return false;
      return ArrayFits(array, type, depth);
    }
    case od::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) return false;
      return StringFits(text, type);
    }
    case od::json_type::number: {
      std::string_view token = TrimJsonWhitespace(value.raw_json_token());
      return IsJsonNumber(token) && NumberFits(token, type);
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (value.get_bool().get(flag)) return false;
      return type.kind() == TypeKind::kBoolean || type.kind() == TypeKind::kString;
    }
  }
  return false;
}

}  // namespace

bool JsonFitsType(std::string_view json_text, const delta::DataType& type) {
  const std::string_view text = TrimJsonWhitespace(json_text);
  if (text.empty()) return false;
  // One value and nothing after it. (The text is expected to come from the JSON parser,
  // hence valid; parts that a type does not look into, such as an object for a string
  // field, are not checked again.)
  bool has_whitespace = false;
  if (JsonValueEnd(text, 0, &has_whitespace) != text.size()) return false;
  // On-Demand treats a scalar document apart; literals and numbers are checked by their
  // text, and a string is decoded as the only element of an array.
  const bool scalar = text.front() != '{' && text.front() != '[';
  std::string wrapped;
  if (scalar) {
    if (text == "null") return true;
    if (text == "true" || text == "false") {
      return type.kind() == TypeKind::kBoolean || type.kind() == TypeKind::kString;
    }
    if (text.front() != '"') return IsJsonNumber(text) && NumberFits(text, type);
    wrapped = "[" + std::string(text) + "]";
  }
  JsonScratch& scratch = ThreadJsonScratch();
  scratch.buffer.Assign(scalar ? std::string_view(wrapped) : text);
  od::document doc;
  if (scratch.parser
          .iterate(scratch.buffer.data(), scratch.buffer.size(), scratch.buffer.capacity())
          .get(doc)) {
    return false;
  }
  if (scalar) {
    od::array array;
    if (doc.get_array().get(array)) return false;
    int elements = 0;
    for (auto entry : array) {
      od::value element;
      if (std::move(entry).get(element) || ++elements > 1) return false;
      if (!Fits(element, type, 1)) return false;
    }
    if (elements != 1) return false;
  } else {
    od::value root;
    if (doc.get_value().get(root)) return false;
    if (!Fits(root, type, 1)) return false;
  }
  return true;
}

}  // namespace sluice::ingest
