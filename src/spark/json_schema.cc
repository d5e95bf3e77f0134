// schema_of_json: Spark's inference of a JSON value's type (JsonInferSchema).
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "spark/json_convert.h"

namespace sluice::spark {
namespace {

bool FitsInt64(const std::string& text) {
  const std::string canonical = CanonicalInteger(text);
  errno = 0;
  char* end = nullptr;
  std::strtoll(canonical.c_str(), &end, 10);
  return errno != ERANGE && *end == '\0';
}

}  // namespace

namespace {

// Java's String.compareTo: by UTF-16 code units.
std::u16string Utf16(const std::string& text) {
  std::u16string out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    uint32_t code = c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra > 0) code = c & (0x3F >> extra);
    ++i;
    for (int k = 0; k < extra && i < text.size(); ++k) code = (code << 6) | (text[i++] & 0x3F);
    if (code >= 0x10000) {
      code -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (code >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (code & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(code));
    }
  }
  return out;
}

bool NameLess(const StructField& a, const StructField& b) { return Utf16(a.name) < Utf16(b.name); }

// JsonInferSchema.compatibleType.
DataType Compatible(const DataType& a, const DataType& b) {
  if (a.SameType(b)) return a;
  if (a.is(TypeId::kNull)) return b;
  if (b.is(TypeId::kNull)) return a;
  const bool a_long = a.is(TypeId::kLong), b_long = b.is(TypeId::kLong);
  const bool a_double = a.is(TypeId::kDouble), b_double = b.is(TypeId::kDouble);
  const bool a_decimal = a.is(TypeId::kDecimal), b_decimal = b.is(TypeId::kDecimal);
  if ((a_long || a_double) && (b_long || b_double)) return DataType::Of(TypeId::kDouble);
  if ((a_double && b_decimal) || (a_decimal && b_double)) return DataType::Of(TypeId::kDouble);
  if ((a_long && b_decimal) || (a_decimal && b_long)) {
    const DataType& d = a_decimal ? a : b;
    if (d.precision - d.scale >= 19 + 1) return d;  // the decimal holds every long
    return Compatible(a_decimal ? a : DataType::Decimal(20, 0),
                      b_decimal ? b : DataType::Decimal(20, 0));
  }
  if (a_decimal && b_decimal) {
    const int scale = std::max(a.scale, b.scale);
    const int range = std::max(a.precision - a.scale, b.precision - b.scale);
    if (range + scale > 38) return DataType::Of(TypeId::kDouble);
    return DataType::Decimal(range + scale, scale);
  }
  if (a.is(TypeId::kStruct) && b.is(TypeId::kStruct)) {
    std::vector<StructField> fields;
    size_t i = 0, j = 0;
    while (i < a.fields.size() || j < b.fields.size()) {
      if (j >= b.fields.size() || (i < a.fields.size() && NameLess(a.fields[i], b.fields[j]))) {
        fields.push_back(a.fields[i++]);
      } else if (i >= a.fields.size() || NameLess(b.fields[j], a.fields[i])) {
        fields.push_back(b.fields[j++]);
      } else {
        StructField field = a.fields[i];
        field.type =
            std::make_shared<const DataType>(Compatible(*a.fields[i].type, *b.fields[j].type));
        fields.push_back(std::move(field));
        ++i, ++j;
      }
    }
    return DataType::Struct(std::move(fields));
  }
  if (a.is(TypeId::kArray) && b.is(TypeId::kArray)) {
    return DataType::Array(Compatible(*a.element, *b.element));
  }
  return DataType::Of(TypeId::kString);
}

DataType Infer(const JsonValue& v, const JsonConvertOptions& options) {
  using Kind = JsonValue::Kind;
  switch (v.kind) {
    case Kind::kNull:
      return DataType::Null();
    case Kind::kString:
      return v.text.empty() ? DataType::Null() : DataType::Of(TypeId::kString);
    case Kind::kTrue:
    case Kind::kFalse:
      return DataType::Of(options.primitives_as_string ? TypeId::kString : TypeId::kBoolean);
    case Kind::kInt: {
      if (options.primitives_as_string) return DataType::Of(TypeId::kString);
      if (FitsInt64(v.text)) return DataType::Of(TypeId::kLong);
      std::string digits = CanonicalInteger(v.text);
      if (digits[0] == '-') digits = digits.substr(1);
      const int precision = static_cast<int>(digits.size());
      if (precision <= 38) return DataType::Decimal(precision, 0);
      return DataType::Of(TypeId::kDouble);
    }
    case Kind::kFloat:
      return DataType::Of(options.primitives_as_string ? TypeId::kString : TypeId::kDouble);
    case Kind::kObject: {
      std::vector<StructField> fields;
      for (const auto& [name, value] : v.fields) {
        fields.push_back(
            StructField{name, std::make_shared<const DataType>(Infer(value, options)), true, {}});
      }
      std::stable_sort(fields.begin(), fields.end(), NameLess);
      return DataType::Struct(std::move(fields));
    }
    case Kind::kArray: {
      DataType element = DataType::Null();
      for (const JsonValue& item : v.items) element = Compatible(element, Infer(item, options));
      return DataType::Array(element);
    }
  }
  return DataType::Of(TypeId::kString);
}

// JsonInferSchema.canonicalizeType: NULL types become STRING, empty structs and unnamed
// fields are dropped.
std::optional<DataType> Canonical(const DataType& type) {
  if (type.is(TypeId::kArray)) {
    auto element = Canonical(*type.element);
    if (!element) return std::nullopt;
    return DataType::Array(*element);
  }
  if (type.is(TypeId::kStruct)) {
    std::vector<StructField> fields;
    for (const StructField& field : type.fields) {
      if (field.name.empty()) continue;
      auto canonical = Canonical(*field.type);
      if (!canonical) continue;
      StructField out = field;
      out.type = std::make_shared<const DataType>(*canonical);
      fields.push_back(std::move(out));
    }
    if (fields.empty()) return std::nullopt;
    return DataType::Struct(std::move(fields));
  }
  if (type.is(TypeId::kNull)) return DataType::Of(TypeId::kString);
  return type;
}

}  // namespace

Result<DataType> InferJsonSchema(const std::string& json, const JsonConvertOptions& options) {
  JsonValue value;
  const JsonRead read = ReadJson(json, options.read, &value);
  if (read == JsonRead::kMalformed) {
    return InvalidArgument("[MALFORMED_RECORD_IN_PARSING] schema_of_json: malformed JSON '" + json +
                           "'");
  }
  const DataType type = read == JsonRead::kEmpty ? DataType::Null() : Infer(value, options);
  if (type.is(TypeId::kStruct)) return Canonical(type).value_or(DataType::Struct({}));
  if (type.is(TypeId::kArray) && type.element->is(TypeId::kStruct)) {
    auto element = Canonical(*type.element);
    return DataType::Array(element.value_or(DataType::Struct({})));
  }
  return Canonical(type).value_or(DataType::Of(TypeId::kString));
}

}  // namespace sluice::spark
