// Delta types <-> DuckDB SQL type names.

#include <cctype>

#include "common/strings.h"
#include "delta/schema.h"

namespace sluice::delta {
namespace {

// Recursive-descent reader of one DuckDB type name, e.g.
// STRUCT("a" INTEGER, "b c" VARCHAR[])[] or MAP(VARCHAR, DECIMAL(18,3)).
class DuckDbTypeParser {
 public:
  explicit DuckDbTypeParser(std::string_view text) : text_(text) {}

  Result<DataTypePtr> ParseAll() {
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr type, ParseType());
    SkipSpaces();
    if (pos_ != text_.size()) return Malformed("unexpected text after the type");
    return type;
  }

 private:
  Status Malformed(std::string_view what) const {
    return InvalidArgument("invalid DuckDB type \"", text_, "\": ", what, " at offset ", pos_);
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Peek(char c) {
    SkipSpaces();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  bool Accept(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }

  Status Expect(char c) {
    if (Accept(c)) return Status::OK();
    return Malformed(std::string("expected '") + c + "'");
  }

  // A bare word: letters, digits, '_'.
  std::string Word() {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  // Consumes the words of `phrase` (space separated, any case) if they come next.
  bool AcceptWords(std::string_view phrase) {
    size_t saved = pos_;
    for (const std::string& expected : Split(phrase, ' ')) {
      if (!EqualsIgnoreCase(Word(), expected)) {
        pos_ = saved;
        return false;
      }
    }
    return true;
  }

  // "quoted ""name""" or a bare word.
  Result<std::string> Identifier() {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      std::string name;
      while (pos_ < text_.size()) {
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            name += '"';
            ++pos_;
            continue;
          }
          return name;
        }
        name += c;
      }
      return Malformed("unterminated quoted name");
    }
    std::string word = Word();
    if (word.empty()) return Malformed("expected a name");
    return word;
  }

  Result<int> Number() {
    std::string digits = Word();
    auto value = ParseInt64(digits);
    if (!value || *value < 0 || *value > 1000000) return Malformed("expected a number");
    return static_cast<int>(*value);
  }

  Status SkipStringLiterals() {  // ENUM('a', 'it''s')
    SLUICE_RETURN_IF_ERROR(Expect('('));
    while (!Accept(')')) {
      if (!Accept('\'')) return Malformed("expected a string literal");
      while (true) {
        if (pos_ >= text_.size()) return Malformed("unterminated string literal");
        if (text_[pos_++] == '\'') {
          if (pos_ < text_.size() && text_[pos_] == '\'') {
            ++pos_;
            continue;
          }
          break;
        }
      }
      Accept(',');
    }
    return Status::OK();
  }

  Result<DataTypePtr> ParseType() {
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr type, ParseBase());
    while (Accept('[')) {
      if (!Peek(']')) SLUICE_RETURN_IF_ERROR(Number().status());  // fixed-size ARRAY
      SLUICE_RETURN_IF_ERROR(Expect(']'));
      type = DataType::Array(std::move(type), true);
    }
    return type;
  }

  Result<DataTypePtr> ParseBase() {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      SLUICE_ASSIGN_OR_RETURN(std::string quoted, Identifier());
      if (EqualsIgnoreCase(quoted, "NULL")) return DataType::Void();
      return Named(quoted);
    }
    std::string name = Word();
    if (name.empty()) return Malformed("expected a type name");
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

    if (upper == "STRUCT" || upper == "ROW") return ParseStruct();
    if (upper == "MAP") return ParseMap();
    if (upper == "DECIMAL" || upper == "NUMERIC") return ParseDecimal();
    if (upper == "ENUM") {
      SLUICE_RETURN_IF_ERROR(SkipStringLiterals());
      return DataType::String();
    }
    if (upper == "UNION") return NotSupported(Unsupported("UNION"));
    if ((upper == "TIMESTAMP" || upper == "TIME") && AcceptWords("WITH TIME ZONE")) {
      upper += " WITH TIME ZONE";
    } else if (upper == "DOUBLE") {
      AcceptWords("PRECISION");
    }
    if (upper == "VARCHAR" || upper == "CHAR" || upper == "BPCHAR") {
      if (Accept('(')) {  // VARCHAR(n): the length is not enforced by DuckDB either
        SLUICE_RETURN_IF_ERROR(Number().status());
        SLUICE_RETURN_IF_ERROR(Expect(')'));
      }
    }
    return Named(upper);
  }

  std::string Unsupported(std::string_view name) const {
    return StrCat("DuckDB type ", name, " has no Delta Lake equivalent (in \"", text_,
                  "\"); cast the column to a supported type");
  }

  Result<DataTypePtr> Named(std::string_view upper) {
    struct Mapping {
      std::string_view name;
      TypeKind kind;
    };
    static constexpr Mapping kMappings[] = {
        {"VARCHAR", TypeKind::kString},
        {"TEXT", TypeKind::kString},
        {"STRING", TypeKind::kString},
        {"CHAR", TypeKind::kString},
        {"BPCHAR", TypeKind::kString},
        {"UUID", TypeKind::kString},
        {"JSON", TypeKind::kString},
        {"BIGINT", TypeKind::kLong},
        {"INT8", TypeKind::kLong},
        {"LONG", TypeKind::kLong},
        {"UINTEGER", TypeKind::kLong},
        {"UINT32", TypeKind::kLong},
        {"INTEGER", TypeKind::kInteger},
        {"INT", TypeKind::kInteger},
        {"INT4", TypeKind::kInteger},
        {"INT32", TypeKind::kInteger},
        {"SIGNED", TypeKind::kInteger},
        {"USMALLINT", TypeKind::kInteger},
        {"UINT16", TypeKind::kInteger},
        {"SMALLINT", TypeKind::kShort},
        {"INT2", TypeKind::kShort},
        {"INT16", TypeKind::kShort},
        {"SHORT", TypeKind::kShort},
        {"UTINYINT", TypeKind::kShort},
        {"UINT8", TypeKind::kShort},
        {"TINYINT", TypeKind::kByte},
        {"INT1", TypeKind::kByte},
        {"FLOAT", TypeKind::kFloat},
        {"FLOAT4", TypeKind::kFloat},
        {"REAL", TypeKind::kFloat},
        {"DOUBLE", TypeKind::kDouble},
        {"FLOAT8", TypeKind::kDouble},
        {"BOOLEAN", TypeKind::kBoolean},
        {"BOOL", TypeKind::kBoolean},
        {"LOGICAL", TypeKind::kBoolean},
        {"BLOB", TypeKind::kBinary},
        {"BYTEA", TypeKind::kBinary},
        {"BINARY", TypeKind::kBinary},
        {"VARBINARY", TypeKind::kBinary},
        {"DATE", TypeKind::kDate},
        {"TIMESTAMP WITH TIME ZONE", TypeKind::kTimestamp},
        {"TIMESTAMPTZ", TypeKind::kTimestamp},
        {"TIMESTAMP", TypeKind::kTimestampNtz},
        {"DATETIME", TypeKind::kTimestampNtz},
        {"TIMESTAMP_US", TypeKind::kTimestampNtz},
        {"TIMESTAMP_S", TypeKind::kTimestampNtz},
        {"TIMESTAMP_MS", TypeKind::kTimestampNtz},
        {"TIMESTAMP_NS", TypeKind::kTimestampNtz},
        {"NULL", TypeKind::kVoid},
    };
    for (const Mapping& mapping : kMappings) {
      if (upper == mapping.name) return DataType::Primitive(mapping.kind);
    }
    if (upper == "UBIGINT" || upper == "UINT64") return DataType::Decimal(20, 0);
    if (upper == "HUGEINT" || upper == "INT128") return DataType::Decimal(38, 0);
    static constexpr std::string_view kUnsupported[] = {
        "INTERVAL",  "TIME",     "TIME WITH TIME ZONE",
        "TIMETZ",    "TIME_NS",  "BIT",
        "BITSTRING", "UHUGEINT", "UINT128",
        "VARINT",    "BIGNUM",   "UNKNOWN",
        "GEOMETRY",  "ANY",      "POINTER",
        "VARIANT"};
    for (std::string_view unsupported : kUnsupported) {
      if (upper == unsupported) return NotSupported(Unsupported(upper));
    }
    return InvalidArgument("unknown DuckDB type \"", upper, "\" in \"", text_, "\"");
  }

  Result<DataTypePtr> ParseStruct() {
    SLUICE_RETURN_IF_ERROR(Expect('('));
    std::vector<StructField> fields;
    if (!Accept(')')) {
      do {
        StructField field;
        SLUICE_ASSIGN_OR_RETURN(field.name, Identifier());
        SLUICE_ASSIGN_OR_RETURN(field.type, ParseType());
        field.nullable = true;
        fields.push_back(std::move(field));
      } while (Accept(','));
      SLUICE_RETURN_IF_ERROR(Expect(')'));
    }
    return DataType::Struct(std::move(fields));
  }

  Result<DataTypePtr> ParseMap() {
    SLUICE_RETURN_IF_ERROR(Expect('('));
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr key, ParseType());
    SLUICE_RETURN_IF_ERROR(Expect(','));
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr value, ParseType());
    SLUICE_RETURN_IF_ERROR(Expect(')'));
    return DataType::Map(std::move(key), std::move(value), true);
  }

  Result<DataTypePtr> ParseDecimal() {
    int precision = 18;  // DuckDB's DECIMAL without parameters
    int scale = 3;
    if (Accept('(')) {
      SLUICE_ASSIGN_OR_RETURN(precision, Number());
      scale = 0;
      if (Accept(',')) {
        SLUICE_ASSIGN_OR_RETURN(scale, Number());
      }
      SLUICE_RETURN_IF_ERROR(Expect(')'));
    }
    if (!DataType::IsValidDecimal(precision, scale)) {
      return InvalidArgument("invalid DuckDB type \"", text_, "\": DECIMAL(", precision, ",", scale,
                             ") is out of range");
    }
    return DataType::Decimal(precision, scale);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string ToDuckDbType(const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kString:
      return "VARCHAR";
    case TypeKind::kLong:
      return "BIGINT";
    case TypeKind::kInteger:
      return "INTEGER";
    case TypeKind::kShort:
      return "SMALLINT";
    case TypeKind::kByte:
      return "TINYINT";
    case TypeKind::kFloat:
      return "FLOAT";
    case TypeKind::kDouble:
      return "DOUBLE";
    case TypeKind::kBoolean:
      return "BOOLEAN";
    case TypeKind::kBinary:
      return "BLOB";
    case TypeKind::kDate:
      return "DATE";
    case TypeKind::kTimestamp:
      return "TIMESTAMP WITH TIME ZONE";
    case TypeKind::kTimestampNtz:
      return "TIMESTAMP";
    case TypeKind::kDecimal:
      return "DECIMAL(" + std::to_string(type.precision()) + "," + std::to_string(type.scale()) +
             ")";
    case TypeKind::kVoid:
      return "INTEGER";
    case TypeKind::kStruct: {
      std::string out = "STRUCT(";
      for (size_t i = 0; i < type.fields().size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteIdentifier(type.fields()[i].name) + " " + ToDuckDbType(*type.fields()[i].type);
      }
      return out + ")";
    }
    case TypeKind::kArray:
      return ToDuckDbType(*type.element_type()) + "[]";
    case TypeKind::kMap:
      return "MAP(" + ToDuckDbType(*type.key_type()) + ", " + ToDuckDbType(*type.value_type()) +
             ")";
  }
  return "UNKNOWN";
}

Result<DataTypePtr> FromDuckDbType(std::string_view duckdb_type) {
  return DuckDbTypeParser(duckdb_type).ParseAll();
}

}  // namespace sluice::delta
