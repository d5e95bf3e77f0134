// JSON type inference and the merging of inferred types, after Spark's JsonInferSchema and
// TypeCoercion.findTightestCommonType. CSV inference is in inference_csv.cc.
#include "ingest/inference.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "ingest/json_text.h"

namespace sluice::ingest {
namespace {

namespace od = simdjson::ondemand;
using delta::DataType;
using delta::DataTypePtr;
using delta::StructField;
using delta::TypeKind;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

constexpr int kMaxDecimalPrecision = 38;
constexpr int kMaxDepth = 1000;

// Jackson's number types as Spark maps them: INT and LONG are long, BIG_INTEGER a decimal
// of its digits, FLOAT and DOUBLE double (or, with prefersDecimal, the decimal BigDecimal
// sizes them to); decimals beyond 38 digits are double.
DataTypePtr NumberType(std::string_view text, bool prefers_decimal) {
  if (IsIntegralJsonNumber(text)) {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end) return DataType::Long();
  } else if (!prefers_decimal) {
    return DataType::Double();
  }
  int precision = 0;
  int scale = 0;
  if (!DecimalShape(text, &precision, &scale)) return DataType::Double();
  if (scale < 0) {
    // 1e3 is 1000: Spark cannot make a decimal of negative scale, sluice widens it.
    precision -= scale;
    scale = 0;
  }
  precision = std::max(precision, scale);
  if (precision > kMaxDecimalPrecision) return DataType::Double();
  return DataType::Decimal(precision, scale);
}

DataTypePtr StringType(std::string_view text, bool prefers_decimal) {
  // Spark takes "" for null, since some writers do not tell them apart.
  if (text.empty()) return DataType::Void();
  int precision = 0;
  int scale = 0;
  if (prefers_decimal && DecimalShape(text, &precision, &scale) && scale >= 0 &&
      scale <= precision && precision <= kMaxDecimalPrecision) {
    return DataType::Decimal(precision, scale);
  }
  return DataType::String();
}

// The type of one parsed value; nullptr if the text turns out not to be valid JSON.
DataTypePtr InferValue(od::value value, bool prefers_decimal, int depth) {
  if (depth > kMaxDepth) return nullptr;
  od::json_type type;
  if (value.type().get(type)) return nullptr;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (value.get_object().get(object)) return nullptr;
      std::vector<StructField> fields;
      for (auto entry : object) {
        od::field field;
        if (std::move(entry).get(field)) return nullptr;
        std::string_view name;
        if (field.unescaped_key().get(name)) return nullptr;
        // A repeated key keeps its first value, as the parser does.
        const bool repeated = std::any_of(fields.begin(), fields.end(),
                                          [&](const StructField& f) { return f.name == name; });
        if (repeated) continue;
        DataTypePtr field_type = InferValue(field.value(), prefers_decimal, depth + 1);
        if (field_type == nullptr) return nullptr;
        StructField struct_field;
        struct_field.name = std::string(name);
        struct_field.type = std::move(field_type);
        fields.push_back(std::move(struct_field));
      }
      std::sort(fields.begin(), fields.end(),
                [](const StructField& a, const StructField& b) { return a.name < b.name; });
      return DataType::Struct(std::move(fields));
    }
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array)) return nullptr;
      DataTypePtr element_type = DataType::Void();
      for (auto entry : array) {
        od::value element;
        if (std::move(entry).get(element)) return nullptr;
        DataTypePtr type = InferValue(element, prefers_decimal, depth + 1);
        if (type == nullptr) return nullptr;
        element_type = MergeTypes(element_type, type);
      }
      return DataType::Array(std::move(element_type));
    }
    case od::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) return nullptr;
      return StringType(text, prefers_decimal);
    }
    case od::json_type::number: {
      std::string_view token = TrimJsonWhitespace(value.raw_json_token());
      if (!IsJsonNumber(token)) return nullptr;
      return NumberType(token, prefers_decimal);
    }
    case od::json_type::boolean:
      return DataType::Boolean();
    case od::json_type::null:
      return DataType::Void();
  }
  return nullptr;
}

DataTypePtr InferNested(std::string_view json, bool prefers_decimal) {
  JsonScratch& scratch = ThreadJsonScratch();
  scratch.buffer.Assign(json);
  od::document doc;
  if (scratch.parser
          .iterate(scratch.buffer.data(), scratch.buffer.size(), scratch.buffer.capacity())
          .get(doc)) {
    return nullptr;
  }
  od::value root;
  if (doc.get_value().get(root)) return nullptr;
  return InferValue(root, prefers_decimal, 1);
}

// ---- merging ----

bool IsIntegral(TypeKind kind) {
  return kind == TypeKind::kByte || kind == TypeKind::kShort || kind == TypeKind::kInteger ||
         kind == TypeKind::kLong;
}

// Spark's numericPrecedence: byte < short < integer < long < float < double.
int NumericRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return 1;
    case TypeKind::kShort:
      return 2;
    case TypeKind::kInteger:
      return 3;
    case TypeKind::kLong:
      return 4;
    case TypeKind::kFloat:
      return 5;
    case TypeKind::kDouble:
      return 6;
    default:
      return 0;
  }
}

// DecimalType.forType: the decimal that holds every value of an integral type.
int IntegralDigits(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return 3;
    case TypeKind::kShort:
      return 5;
    case TypeKind::kInteger:
      return 10;
    default:
      return 20;
  }
}

DataTypePtr MergeDecimals(int p1, int s1, int p2, int s2) {
  const int scale = std::max(s1, s2);
  const int range = std::max(p1 - s1, p2 - s2);
  if (range + scale > kMaxDecimalPrecision) return DataType::Double();
  return DataType::Decimal(range + scale, scale);
}

bool SortedByName(const std::vector<StructField>& fields) {
  return std::is_sorted(fields.begin(), fields.end(),
                        [](const StructField& a, const StructField& b) { return a.name < b.name; });
}

StructField Merged(const StructField& a, const StructField& b) {
  if (a == b) return a;
  StructField field;
  field.name = a.name;
  field.type = MergeTypes(a.type, b.type);
  return field;
}

// Fields are matched by exact name. Inferred structs are sorted by name and merge like
// sorted lists into a sorted struct, as in Spark; otherwise `a`'s order is kept and the
// fields only `b` has come last, in `b`'s order.
DataTypePtr MergeStructs(const DataType& a, const DataType& b) {
  const std::vector<StructField>& fa = a.fields();
  const std::vector<StructField>& fb = b.fields();
  std::vector<StructField> fields;
  fields.reserve(fa.size() + fb.size());
  if (SortedByName(fa) && SortedByName(fb)) {
    size_t i = 0;
    size_t j = 0;
    while (i < fa.size() && j < fb.size()) {
      const int order = fa[i].name.compare(fb[j].name);
      if (order == 0) {
        fields.push_back(Merged(fa[i++], fb[j++]));
      } else if (order < 0) {
        fields.push_back(fa[i++]);
      } else {
        fields.push_back(fb[j++]);
      }
    }
    fields.insert(fields.end(), fa.begin() + i, fa.end());
    fields.insert(fields.end(), fb.begin() + j, fb.end());
    return DataType::Struct(std::move(fields));
  }
  std::vector<bool> used(fb.size(), false);
  for (const StructField& field : fa) {
    auto match = std::find_if(fb.begin(), fb.end(),
                              [&](const StructField& other) { return other.name == field.name; });
    if (match == fb.end()) {
      fields.push_back(field);
    } else {
      used[match - fb.begin()] = true;
      fields.push_back(Merged(field, *match));
    }
  }
  for (size_t j = 0; j < fb.size(); ++j) {
    if (!used[j]) fields.push_back(fb[j]);
  }
  return DataType::Struct(std::move(fields));
}

}  // namespace

delta::DataTypePtr InferJsonType(const RawField& field, const InferenceOptions& options) {
  switch (field.kind) {
    case FieldKind::kNull:
      return DataType::Void();
    case FieldKind::kBool:
      return DataType::Boolean();
    case FieldKind::kString:
      return StringType(field.text, options.prefers_decimal);
    case FieldKind::kNumber:
      return NumberType(field.text, options.prefers_decimal);
    case FieldKind::kObject:
    case FieldKind::kArray:
      break;
  }
  DataTypePtr type = InferNested(field.text, options.prefers_decimal);
  // Only text that did not come from the JSON parser can fail here; it stays text.
  return type != nullptr ? type : DataType::String();
}

delta::DataTypePtr MergeTypes(const delta::DataTypePtr& a, const delta::DataTypePtr& b) {
  if (a == nullptr) return b;
  if (b == nullptr || a == b || *a == *b) return a;
  const TypeKind ka = a->kind();
  const TypeKind kb = b->kind();
  if (ka == TypeKind::kVoid) return b;
  if (kb == TypeKind::kVoid) return a;

  if (NumericRank(ka) > 0 && NumericRank(kb) > 0) {
    return NumericRank(ka) >= NumericRank(kb) ? a : b;
  }
  if (ka == TypeKind::kDecimal && kb == TypeKind::kDecimal) {
    return MergeDecimals(a->precision(), a->scale(), b->precision(), b->scale());
  }
  if (ka == TypeKind::kDecimal || kb == TypeKind::kDecimal) {
    const DataType& decimal = ka == TypeKind::kDecimal ? *a : *b;
    const TypeKind other = ka == TypeKind::kDecimal ? kb : ka;
    if (other == TypeKind::kDouble) return DataType::Double();
    if (IsIntegral(other)) {
      const int digits = IntegralDigits(other);
      // A decimal with room for all the integral type's digits is the wider type.
      if (decimal.precision() - decimal.scale() >= digits) {
        return ka == TypeKind::kDecimal ? a : b;
      }
      return MergeDecimals(digits, 0, decimal.precision(), decimal.scale());
    }
    return DataType::String();
  }
  if ((ka == TypeKind::kTimestamp && kb == TypeKind::kTimestampNtz) ||
      (ka == TypeKind::kTimestampNtz && kb == TypeKind::kTimestamp)) {
    return DataType::Timestamp();
  }
  if (ka == TypeKind::kStruct && kb == TypeKind::kStruct) return MergeStructs(*a, *b);
  if (ka == TypeKind::kArray && kb == TypeKind::kArray) {
    return DataType::Array(MergeTypes(a->element_type(), b->element_type()),
                           a->contains_null() || b->contains_null());
  }
  // Dates with timestamps included: Spark's CSV inference (3.4+) makes them strings.
  return DataType::String();
}

}  // namespace sluice::ingest
