#include "delta/partition_values.h"

#include <limits>

#include "common/strings.h"
#include "delta/value_text.h"

namespace sluice::delta {
namespace {

namespace vt = value_text;

std::string Cast(std::string_view expression, const DataType& type) {
  return StrCat("CAST(", expression, " AS ", ToDuckDbType(type), ")");
}

// A VARCHAR literal; NUL bytes, which SQL text cannot hold, are spliced in with chr(0).
std::string SqlString(std::string_view text) {
  if (text.find('\0') == std::string_view::npos) return QuoteLiteral(text);
  std::string out = "(";
  size_t start = 0;
  while (true) {
    size_t nul = text.find('\0', start);
    out += QuoteLiteral(text.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) break;
    out += " || chr(0) || ";
    start = nul + 1;
  }
  return out + ")";
}

std::string HexEscapedBlob(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "'";
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out += "\\x";
    out += kHex[u >> 4];
    out += kHex[u & 0xF];
  }
  return out + "'";
}

struct IntegerRange {
  int64_t min;
  int64_t max;
};

std::optional<IntegerRange> RangeOf(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return IntegerRange{-128, 127};
    case TypeKind::kShort:
      return IntegerRange{-32768, 32767};
    case TypeKind::kInteger:
      return IntegerRange{std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    case TypeKind::kLong:
      return IntegerRange{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
    default:
      return std::nullopt;
  }
}

std::string ColumnLabel(std::string_view column_name) {
  return column_name.empty() ? std::string() : StrCat(" for column \"", column_name, "\"");
}

Status InvalidValue(std::string_view what, std::string_view text, const DataType& type,
                    std::string_view column_name, std::string_view detail = "") {
  return InvalidArgument("invalid ", what, " \"", text, "\"", ColumnLabel(column_name), " of type ",
                         type.ToString(), detail);
}

// The civil-date literal when DuckDB's DATE syntax can hold it, else epoch arithmetic.
std::string DateLiteral(int64_t days) {
  int64_t year = 0;
  int month = 0;
  int day = 0;
  vt::CivilFromDays(days, &year, &month, &day);
  if (year >= 1 && year <= 9999) return "DATE '" + vt::FormatDate(days) + "'";
  return StrCat("(DATE '1970-01-01' + ", days, ")");
}

// DuckDB renders a BLOB as text with non-printable bytes (and backslash) as \xHH.
std::optional<std::string> DecodeDuckDbBlob(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 3 >= text.size() || text[i + 1] != 'x') return std::nullopt;
    int high = hex(text[i + 2]);
    int low = hex(text[i + 3]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 3;
  }
  return out;
}

}  // namespace

Result<std::string> DeltaTextToSql(std::string_view text, const DataType& type,
                                   std::string_view column_name, std::string_view what) {
  switch (type.kind()) {
    case TypeKind::kString:
      return SqlString(text);
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong: {
      IntegerRange range = *RangeOf(type.kind());
      auto value = vt::ParseIntegerInRange(text, range.min, range.max);
      if (!value) return InvalidValue(what, text, type, column_name);
      return Cast(std::to_string(*value), type);
    }
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      if (!vt::ParseDouble(text)) return InvalidValue(what, text, type, column_name);
      return Cast(QuoteLiteral(text), type);
    }
    case TypeKind::kBoolean:
      if (EqualsIgnoreCase(text, "true")) return std::string("true");
      if (EqualsIgnoreCase(text, "false")) return std::string("false");
      return InvalidValue(what, text, type, column_name);
    case TypeKind::kBinary:
      return Cast(HexEscapedBlob(text), type);
    case TypeKind::kDate: {
      auto days = vt::ParseDate(text);
      if (!days) return InvalidValue(what, text, type, column_name, " (expected YYYY-MM-DD)");
      return DateLiteral(*days);
    }
    case TypeKind::kDecimal: {
      auto decimal = vt::ParseDecimal(text);
      std::optional<std::string> plain;
      if (decimal) plain = vt::DecimalToPlain(*decimal, type.precision(), type.scale());
      if (!plain) return InvalidValue(what, text, type, column_name);
      return Cast(QuoteLiteral(*plain), type);
    }
    case TypeKind::kTimestamp: {
      // Without a zone the value is in the writer's zone, which the log does not record;
      // Spark writers commonly run in UTC, and UTC is the only reading that is stable.
      auto timestamp = vt::ParseTimestamp(text);
      if (!timestamp) {
        return InvalidValue(what, text, type, column_name,
                            " (expected YYYY-MM-DD HH:MM:SS[.ffffff] or ISO-8601)");
      }
      return Cast(QuoteLiteral(vt::FormatTimestamp(timestamp->micros, ' ',
                                                   vt::FractionStyle::kMicros, "+00")),
                  type);
    }
    case TypeKind::kTimestampNtz: {
      auto timestamp = vt::ParseTimestamp(text);
      if (!timestamp || timestamp->has_zone) {
        return InvalidValue(what, text, type, column_name,
                            " (expected YYYY-MM-DD HH:MM:SS[.ffffff] without a time zone)");
      }
      return Cast(
          QuoteLiteral(vt::FormatTimestamp(timestamp->micros, ' ', vt::FractionStyle::kMicros, "")),
          type);
    }
    case TypeKind::kVoid:
      return Cast("NULL", type);
    case TypeKind::kStruct:
    case TypeKind::kArray:
    case TypeKind::kMap:
      break;
  }
  return InvalidArgument(what, ColumnLabel(column_name), ": type ", type.ToString(),
                         " cannot hold a ", what);
}

Result<std::string> PartitionValueToSql(const std::optional<std::string>& value,
                                        const DataType& type, std::string_view column_name) {
  if (type.is_nested()) {
    return InvalidArgument("partition column", ColumnLabel(column_name), " has type ",
                           type.ToString(), "; only primitive types can be partition columns");
  }
  if (!value.has_value() || value->empty()) return Cast("NULL", type);
  return DeltaTextToSql(*value, type, column_name, "partition value");
}

Result<std::optional<std::string>> SerializePartitionValue(
    const std::optional<std::string>& engine_text, const DataType& type,
    std::string_view column_name) {
  using Out = std::optional<std::string>;
  if (type.is_nested()) {
    return InvalidArgument("partition column", ColumnLabel(column_name), " has type ",
                           type.ToString(), "; only primitive types can be partition columns");
  }
  if (!engine_text.has_value() || type.kind() == TypeKind::kVoid) return Out();
  const std::string& text = *engine_text;
  constexpr std::string_view kWhat = "value from the engine";
  switch (type.kind()) {
    case TypeKind::kString:
      if (text.empty()) return Out();
      return Out(text);
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong: {
      IntegerRange range = *RangeOf(type.kind());
      auto value = vt::ParseIntegerInRange(text, range.min, range.max);
      if (!value) return InvalidValue(kWhat, text, type, column_name);
      return Out(std::to_string(*value));
    }
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      auto value = vt::ParseDouble(text);
      if (!value) return InvalidValue(kWhat, text, type, column_name);
      if (type.kind() == TypeKind::kFloat) {
        return Out(vt::JavaFloatString(static_cast<float>(*value)));
      }
      return Out(vt::JavaDoubleString(*value));
    }
    case TypeKind::kBoolean:
      if (EqualsIgnoreCase(text, "true")) return Out("true");
      if (EqualsIgnoreCase(text, "false")) return Out("false");
      return InvalidValue(kWhat, text, type, column_name);
    case TypeKind::kBinary: {
      auto bytes = DecodeDuckDbBlob(text);
      if (!bytes) return InvalidValue(kWhat, text, type, column_name);
      if (bytes->empty()) return Out();
      if (!vt::IsValidUtf8(*bytes)) {
        return InvalidValue(kWhat, text, type, column_name,
                            ": a binary partition value must be valid UTF-8 text");
      }
      return Out(std::move(*bytes));
    }
    case TypeKind::kDate: {
      auto days = vt::ParseDate(text);
      if (!days) return InvalidValue(kWhat, text, type, column_name);
      return Out(vt::FormatDate(*days));
    }
    case TypeKind::kDecimal: {
      auto decimal = vt::ParseDecimal(text);
      std::optional<std::string> plain;
      if (decimal) plain = vt::DecimalToPlain(*decimal, type.precision(), type.scale());
      if (!plain) return InvalidValue(kWhat, text, type, column_name);
      return Out(std::move(*plain));
    }
    case TypeKind::kTimestamp: {
      auto timestamp = vt::ParseTimestamp(text);
      if (!timestamp) return InvalidValue(kWhat, text, type, column_name);
      return Out(vt::FormatTimestamp(timestamp->micros, 'T', vt::FractionStyle::kMicros, "Z"));
    }
    case TypeKind::kTimestampNtz: {
      auto timestamp = vt::ParseTimestamp(text);
      if (!timestamp || timestamp->has_zone) return InvalidValue(kWhat, text, type, column_name);
      return Out(vt::FormatTimestamp(timestamp->micros, ' ', vt::FractionStyle::kTrimmed, ""));
    }
    default:
      break;
  }
  return InvalidValue(kWhat, text, type, column_name);
}

std::string EscapePartitionPathName(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto needs_escaping = [](unsigned char c) {
    if (c >= 0x01 && c <= 0x1F) return true;
    switch (c) {
      case '"':
      case '#':
      case '%':
      case '\'':
      case '*':
      case '/':
      case ':':
      case '=':
      case '?':
      case '\\':
      case 0x7F:
      case '{':
      case '[':
      case ']':
      case '^':
        return true;
      default:
        return false;
    }
  };
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (needs_escaping(u)) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string UnescapePartitionPathName(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string PartitionPathSegment(std::string_view column, const std::optional<std::string>& value) {
  std::string out = EscapePartitionPathName(column) + "=";
  if (!value.has_value() || value->empty()) {
    out += kHiveDefaultPartition;
  } else {
    out += EscapePartitionPathName(*value);
  }
  return out;
}

std::string PartitionDirectory(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& values) {
  std::string out;
  for (const auto& [column, value] : values) {
    if (!out.empty()) out += "/";
    out += PartitionPathSegment(column, value);
  }
  return out;
}

}  // namespace sluice::delta
