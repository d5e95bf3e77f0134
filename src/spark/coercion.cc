#include "spark/coercion.h"

#include <algorithm>
#include <string>

#include "common/strings.h"

namespace sluice::spark {
namespace {

// Whether decimal `d` holds every value of integral type `t` (DecimalType.isWiderThan).
bool DecimalHolds(const DataType& d, const DataType& t) {
  const DataType needed = DecimalForType(t);
  return d.precision - d.scale >= needed.precision - needed.scale && d.scale >= needed.scale;
}

bool IsStringLike(const DataType& type) { return type.is(TypeId::kString); }

bool HasString(const DataType& type) {
  switch (type.id) {
    case TypeId::kString:
      return true;
    case TypeId::kArray:
      return HasString(*type.element);
    case TypeId::kMap:
      return HasString(*type.key) || HasString(*type.value);
    case TypeId::kStruct:
      for (const StructField& field : type.fields) {
        if (HasString(*field.type)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return 0;
    case TypeId::kShort:
      return 1;
    case TypeId::kInt:
      return 2;
    case TypeId::kLong:
      return 3;
    case TypeId::kFloat:
      return 4;
    case TypeId::kDouble:
      return 5;
    default:
      return -1;
  }
}

std::optional<DataType> CommonComplexType(const DataType& a, const DataType& b,
                                          const CommonTypeRule& common) {
  if (a.is(TypeId::kArray) && b.is(TypeId::kArray)) {
    auto element = common(*a.element, *b.element);
    if (!element) return std::nullopt;
    return DataType::Array(*element, a.contains_null || b.contains_null);
  }
  if (a.is(TypeId::kMap) && b.is(TypeId::kMap)) {
    auto key = common(*a.key, *b.key);
    auto value = common(*a.value, *b.value);
    if (!key || !value) return std::nullopt;
    return DataType::Map(*key, *value, a.contains_null || b.contains_null);
  }
  if (a.is(TypeId::kStruct) && b.is(TypeId::kStruct)) {
    if (a.fields.size() != b.fields.size()) return std::nullopt;
    std::vector<StructField> fields;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      if (!EqualsIgnoreCase(a.fields[i].name, b.fields[i].name)) return std::nullopt;
      auto type = common(*a.fields[i].type, *b.fields[i].type);
      if (!type) return std::nullopt;
      StructField field = a.fields[i];
      field.type = std::make_shared<const DataType>(*type);
      field.nullable = a.fields[i].nullable || b.fields[i].nullable;
      fields.push_back(std::move(field));
    }
    return DataType::Struct(std::move(fields));
  }
  return std::nullopt;
}

DataType BoundedDecimal(int precision, int scale) {
  return DataType::Decimal(std::min(precision, kMaxDecimalPrecision),
                           std::min(scale, kMaxDecimalPrecision));
}

DataType AdjustedDecimal(int precision, int scale) {
  if (precision <= kMaxDecimalPrecision) return DataType::Decimal(precision, scale);
  const int int_digits = precision - scale;
  const int min_scale = std::min(scale, 6);
  const int adjusted = std::max(kMaxDecimalPrecision - int_digits, min_scale);
  return DataType::Decimal(kMaxDecimalPrecision, adjusted);
}

DataType WiderDecimal(const DataType& a, const DataType& b) {
  const int scale = std::max(a.scale, b.scale);
  const int range = std::max(a.precision - a.scale, b.precision - b.scale);
  return BoundedDecimal(range + scale, scale);
}

DataType DecimalOfIntegralLiteral(const std::string& text) {
  std::string digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits = digits.substr(1);
  size_t lead = 0;
  while (lead + 1 < digits.size() && digits[lead] == '0') ++lead;
  const int precision = static_cast<int>(digits.size() - lead);
  return DataType::Decimal(std::max(precision, 1), 0);
}

std::optional<DataType> TightestCommonType(const DataType& a, const DataType& b) {
  if (a.SameType(b)) return a;
  if (a.is(TypeId::kNull)) return b;
  if (b.is(TypeId::kNull)) return a;
  if (a.IsIntegral() && b.is(TypeId::kDecimal) && DecimalHolds(b, a)) return b;
  if (a.is(TypeId::kDecimal) && b.IsIntegral() && DecimalHolds(a, b)) return a;
  const int ra = NumericRank(a.id), rb = NumericRank(b.id);
  if (ra >= 0 && rb >= 0) return ra >= rb ? a : b;
  if ((a.is(TypeId::kTimestampNtz) && b.is(TypeId::kDate)) ||
      (a.is(TypeId::kDate) && b.is(TypeId::kTimestampNtz))) {
    return DataType::Of(TypeId::kTimestampNtz);
  }
  if (a.IsDatetime() && b.IsDatetime()) return DataType::Of(TypeId::kTimestamp);
  if (a.id == b.id && (a.is(TypeId::kDayTimeInterval) || a.is(TypeId::kYearMonthInterval))) {
    DataType out = a;
    out.start_field = static_cast<IntervalField>(
        std::min(static_cast<int>(a.start_field), static_cast<int>(b.start_field)));
    out.end_field = static_cast<IntervalField>(
        std::max(static_cast<int>(a.end_field), static_cast<int>(b.end_field)));
    return out;
  }
  return CommonComplexType(a, b, TightestCommonType);
}

namespace {
thread_local bool ansi_coercion = false;
}  // namespace

bool AnsiCoercion() { return ansi_coercion; }

AnsiCoercionScope::AnsiCoercionScope(bool ansi) : previous_(ansi_coercion) { ansi_coercion = ansi; }
AnsiCoercionScope::~AnsiCoercionScope() { ansi_coercion = previous_; }

std::optional<DataType> AnsiStringPromotion(const DataType& other) {
  if (other.IsIntegral()) return DataType::Of(TypeId::kLong);
  if (other.IsFractional() || other.is(TypeId::kDecimal)) return DataType::Of(TypeId::kDouble);
  if (other.IsInterval() || !other.IsAtomic()) return std::nullopt;
  return other;
}

std::optional<DataType> WiderType(const DataType& a, const DataType& b) {
  if (auto tight = TightestCommonType(a, b)) return tight;
  // findWiderTypeForDecimal
  if (a.is(TypeId::kDecimal) && b.is(TypeId::kDecimal)) return WiderDecimal(a, b);
  if (a.IsIntegral() && b.is(TypeId::kDecimal)) return WiderDecimal(DecimalForType(a), b);
  if (a.is(TypeId::kDecimal) && b.IsIntegral()) return WiderDecimal(a, DecimalForType(b));
  if ((a.IsFractional() && b.is(TypeId::kDecimal)) ||
      (a.is(TypeId::kDecimal) && b.IsFractional())) {
    return DataType::Of(TypeId::kDouble);
  }
  // stringPromotion
  if (AnsiCoercion() && IsStringLike(a) != IsStringLike(b)) {
    return AnsiStringPromotion(IsStringLike(a) ? b : a);
  }
  if (IsStringLike(a) && b.IsAtomic() && !b.is(TypeId::kBinary) && !b.is(TypeId::kBoolean)) {
    return DataType::Of(TypeId::kString);
  }
  if (IsStringLike(b) && a.IsAtomic() && !a.is(TypeId::kBinary) && !a.is(TypeId::kBoolean)) {
    return DataType::Of(TypeId::kString);
  }
  return CommonComplexType(a, b, WiderType);
}

std::optional<DataType> WiderCommonType(const std::vector<DataType>& types) {
  // String types first, as Spark orders them, so that the result does not depend on the
  // order of the arguments.
  std::vector<DataType> ordered;
  for (const DataType& type : types) {
    if (HasString(type)) ordered.push_back(type);
  }
  for (const DataType& type : types) {
    if (!HasString(type)) ordered.push_back(type);
  }
  std::optional<DataType> common = DataType::Null();
  for (const DataType& type : ordered) {
    common = WiderType(*common, type);
    if (!common) return std::nullopt;
  }
  return common;
}

std::optional<DataType> ComparisonType(const DataType& a, const DataType& b) {
  const bool sa = IsStringLike(a), sb = IsStringLike(b);
  if (sa && sb) return a;
  // ANSI: PromoteStrings casts both sides of a comparison to the string's wider type.
  if (AnsiCoercion() && (sa || sb) && !a.is(TypeId::kNull) && !b.is(TypeId::kNull)) {
    return AnsiStringPromotion(sa ? b : a);
  }
  if ((sa && b.is(TypeId::kDate)) || (a.is(TypeId::kDate) && sb))
    return DataType::Of(TypeId::kDate);
  if ((sa && b.is(TypeId::kTimestamp)) || (a.is(TypeId::kTimestamp) && sb)) {
    return DataType::Of(TypeId::kTimestamp);
  }
  if ((sa && b.is(TypeId::kTimestampNtz)) || (a.is(TypeId::kTimestampNtz) && sb)) {
    return DataType::Of(TypeId::kTimestampNtz);
  }
  if ((sa && b.is(TypeId::kNull)) || (a.is(TypeId::kNull) && sb)) {
    return DataType::Of(TypeId::kString);
  }
  if ((a.is(TypeId::kTimestamp) && b.is(TypeId::kDate)) ||
      (a.is(TypeId::kDate) && b.is(TypeId::kTimestamp))) {
    return DataType::Of(TypeId::kTimestamp);
  }
  if ((a.is(TypeId::kDecimal) && sb) || (sa && b.is(TypeId::kDecimal))) {
    return DataType::Of(TypeId::kDouble);
  }
  if (sa && b.IsAtomic()) return b;
  if (sb && a.IsAtomic()) return a;
  if (auto tight = TightestCommonType(a, b)) return tight;
  if (a.IsNumeric() && b.IsNumeric()) return WiderType(a, b);
  if (a.IsComplex() && b.IsComplex()) return WiderType(a, b);
  return std::nullopt;
}

bool AcceptsType(const Expectation& expected, const DataType& type) {
  switch (expected.accepts) {
    case Accepts::kExact:
      return type.SameType(expected.type);
    case Accepts::kNumeric:
      return type.IsNumeric();
    case Accepts::kIntegral:
      return type.IsIntegral();
    case Accepts::kDecimal:
      return type.is(TypeId::kDecimal);
    case Accepts::kTimestamp:
      return type.is(TypeId::kTimestamp) || type.is(TypeId::kTimestampNtz);
    case Accepts::kArray:
      return type.is(TypeId::kArray);
    case Accepts::kMap:
      return type.is(TypeId::kMap);
    case Accepts::kStruct:
      return type.is(TypeId::kStruct);
    case Accepts::kStringOrBinary:
      return type.is(TypeId::kString) || type.is(TypeId::kBinary);
    case Accepts::kAny:
      return true;
  }
  return false;
}

std::optional<DataType> ImplicitCastType(const DataType& from, const Expectation& expected) {
  if (AcceptsType(expected, from)) return from;
  const DataType& target = expected.type;
  if (from.is(TypeId::kNull)) {
    if (expected.accepts == Accepts::kArray || expected.accepts == Accepts::kMap ||
        expected.accepts == Accepts::kStruct || expected.accepts == Accepts::kAny) {
      return target;
    }
    return target;
  }
  switch (expected.accepts) {
    case Accepts::kNumeric:
      if (from.is(TypeId::kString)) return DataType::Of(TypeId::kDouble);
      return std::nullopt;
    case Accepts::kIntegral:
      if (from.is(TypeId::kString)) return DataType::Of(TypeId::kLong);
      if (from.IsNumeric()) return target;
      return std::nullopt;
    case Accepts::kDecimal:
      if (from.IsNumeric()) return DecimalForType(from);
      if (from.is(TypeId::kString)) return DataType::Decimal(38, 18);
      return std::nullopt;
    case Accepts::kTimestamp:
      if (from.is(TypeId::kDate) || from.is(TypeId::kString))
        return DataType::Of(TypeId::kTimestamp);
      return std::nullopt;
    case Accepts::kStringOrBinary:
      if (from.IsAtomic()) return DataType::Of(TypeId::kString);
      return std::nullopt;
    case Accepts::kArray:
    case Accepts::kMap:
    case Accepts::kStruct:
    case Accepts::kAny:
      return std::nullopt;
    case Accepts::kExact:
      break;
  }
  // A concrete target.
  if (from.IsNumeric() && target.IsNumeric()) return target;
  if (from.is(TypeId::kDate) &&
      (target.is(TypeId::kTimestamp) || target.is(TypeId::kTimestampNtz))) {
    return target;
  }
  if ((from.is(TypeId::kTimestamp) || from.is(TypeId::kTimestampNtz)) && target.is(TypeId::kDate)) {
    return target;
  }
  if (from.is(TypeId::kTimestampNtz) && target.is(TypeId::kTimestamp)) return target;
  if (from.is(TypeId::kString)) {
    if (target.IsNumeric() || target.IsDatetime() || target.is(TypeId::kBinary)) return target;
    if (target.is(TypeId::kDayTimeInterval) || target.is(TypeId::kYearMonthInterval)) return target;
  }
  if (target.is(TypeId::kString) && from.IsAtomic()) return target;
  if (from.is(TypeId::kArray) && target.is(TypeId::kArray)) {
    auto element = ImplicitCastType(*from.element, Expectation::Of(*target.element));
    if (!element) return std::nullopt;
    return DataType::Array(*element, from.contains_null);
  }
  return std::nullopt;
}

}  // namespace sluice::spark
