#include "spark/types.h"

#include <cctype>

#include "common/strings.h"

namespace sluice::spark {

DataType DataType::Of(TypeId id) {
  DataType type;
  type.id = id;
  if (id == TypeId::kDecimal) {
    type.precision = 10;
    type.scale = 0;
  }
  if (id == TypeId::kYearMonthInterval) {
    type.start_field = IntervalField::kYear;
    type.end_field = IntervalField::kMonth;
  }
  if (id == TypeId::kDayTimeInterval) {
    type.start_field = IntervalField::kDay;
    type.end_field = IntervalField::kSecond;
  }
  return type;
}

DataType DataType::Decimal(int precision, int scale) {
  DataType type;
  type.id = TypeId::kDecimal;
  type.precision = precision;
  type.scale = scale;
  return type;
}

DataType DataType::Array(DataType element, bool contains_null) {
  DataType type;
  type.id = TypeId::kArray;
  type.element = std::make_shared<const DataType>(std::move(element));
  type.contains_null = contains_null;
  return type;
}

DataType DataType::Map(DataType key, DataType value, bool value_contains_null) {
  DataType type;
  type.id = TypeId::kMap;
  type.key = std::make_shared<const DataType>(std::move(key));
  type.value = std::make_shared<const DataType>(std::move(value));
  type.contains_null = value_contains_null;
  return type;
}

DataType DataType::Struct(std::vector<StructField> fields) {
  DataType type;
  type.id = TypeId::kStruct;
  type.fields = std::move(fields);
  return type;
}

DataType DataType::YearMonthInterval(IntervalField start, IntervalField end) {
  DataType type;
  type.id = TypeId::kYearMonthInterval;
  type.start_field = start;
  type.end_field = end;
  return type;
}

DataType DataType::DayTimeInterval(IntervalField start, IntervalField end) {
  DataType type;
  type.id = TypeId::kDayTimeInterval;
  type.start_field = start;
  type.end_field = end;
  return type;
}

bool DataType::IsNumeric() const {
  switch (id) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return true;
    default:
      return false;
  }
}

bool DataType::IsIntegral() const {
  return id == TypeId::kByte || id == TypeId::kShort || id == TypeId::kInt || id == TypeId::kLong;
}

const StructField* DataType::FindField(std::string_view name) const {
  for (const StructField& field : fields) {
    if (field.name == name) return &field;
  }
  for (const StructField& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) return &field;
  }
  return nullptr;
}

namespace {

const char* FieldName(IntervalField field) {
  switch (field) {
    case IntervalField::kYear:
      return "year";
    case IntervalField::kMonth:
      return "month";
    case IntervalField::kDay:
      return "day";
    case IntervalField::kHour:
      return "hour";
    case IntervalField::kMinute:
      return "minute";
    case IntervalField::kSecond:
      return "second";
  }
  return "";
}

std::string IntervalName(const DataType& type) {
  std::string name = std::string("interval ") + FieldName(type.start_field);
  if (type.end_field != type.start_field) name += std::string(" to ") + FieldName(type.end_field);
  return name;
}

// Spark quotes field names that are not plain identifiers in type strings.
std::string FieldNameSql(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  if (plain) return name;
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

}  // namespace

std::string DataType::SimpleString() const {
  switch (id) {
    case TypeId::kNull:
      return "void";
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kByte:
      return "tinyint";
    case TypeId::kShort:
      return "smallint";
    case TypeId::kInt:
      return "int";
    case TypeId::kLong:
      return "bigint";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kTimestampNtz:
      return "timestamp_ntz";
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      return IntervalName(*this);
    case TypeId::kCalendarInterval:
      return "interval";
    case TypeId::kArray:
      return "array<" + element->SimpleString() + ">";
    case TypeId::kMap:
      return "map<" + key->SimpleString() + "," + value->SimpleString() + ">";
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ",";
        out += FieldNameSql(fields[i].name) + ":" + fields[i].type->SimpleString();
      }
      return out + ">";
    }
  }
  return "";
}

std::string DataType::Sql() const {
  switch (id) {
    case TypeId::kArray:
      return "ARRAY<" + element->Sql() + ">";
    case TypeId::kMap:
      return "MAP<" + key->Sql() + ", " + value->Sql() + ">";
    case TypeId::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += FieldNameSql(fields[i].name) + ": " + fields[i].type->Sql();
      }
      return out + ">";
    }
    case TypeId::kNull:
      return "VOID";
    default:
      return ToUpper(SimpleString());
  }
}

bool DataType::SameType(const DataType& other) const {
  if (id != other.id) return false;
  switch (id) {
    case TypeId::kDecimal:
      return precision == other.precision && scale == other.scale;
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      return start_field == other.start_field && end_field == other.end_field;
    case TypeId::kArray:
      return element->SameType(*other.element);
    case TypeId::kMap:
      return key->SameType(*other.key) && value->SameType(*other.value);
    case TypeId::kStruct:
      if (fields.size() != other.fields.size()) return false;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name != other.fields[i].name ||
            !fields[i].type->SameType(*other.fields[i].type)) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

bool DataType::operator==(const DataType& other) const { return SameType(other); }

std::string ToDuckDbType(const DataType& type) {
  switch (type.id) {
    case TypeId::kNull:
      return "INTEGER";  // DuckDB's type of an untyped NULL literal
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kByte:
      return "TINYINT";
    case TypeId::kShort:
      return "SMALLINT";
    case TypeId::kInt:
      return "INTEGER";
    case TypeId::kLong:
      return "BIGINT";
    case TypeId::kFloat:
      return "FLOAT";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kDecimal:
      return "DECIMAL(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::kString:
      return "VARCHAR";
    case TypeId::kBinary:
      return "BLOB";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kTimestamp:
      return "TIMESTAMP WITH TIME ZONE";
    case TypeId::kTimestampNtz:
      return "TIMESTAMP";
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
    case TypeId::kCalendarInterval:
      return "INTERVAL";
    case TypeId::kArray:
      return ToDuckDbType(*type.element) + "[]";
    case TypeId::kMap:
      return "MAP(" + ToDuckDbType(*type.key) + ", " + ToDuckDbType(*type.value) + ")";
    case TypeId::kStruct: {
      if (type.fields.empty()) return "STRUCT(\"__empty\" INTEGER)";
      std::string out = "STRUCT(";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteIdentifier(type.fields[i].name) + " " + ToDuckDbType(*type.fields[i].type);
      }
      return out + ")";
    }
  }
  return "VARCHAR";
}

DataType DecimalForType(const DataType& type) {
  switch (type.id) {
    case TypeId::kByte:
      return DataType::Decimal(3, 0);
    case TypeId::kShort:
      return DataType::Decimal(5, 0);
    case TypeId::kInt:
      return DataType::Decimal(10, 0);
    case TypeId::kLong:
      return DataType::Decimal(20, 0);
    case TypeId::kFloat:
      return DataType::Decimal(14, 7);
    case TypeId::kDouble:
      return DataType::Decimal(30, 15);
    case TypeId::kDecimal:
      return type;
    default:
      return DataType::Decimal(38, 18);
  }
}

namespace {

// A reader of DuckDB's type text, as DESCRIBE and column_type print it.
class DuckDbTypeReader {
 public:
  explicit DuckDbTypeReader(std::string_view text) : text_(text) {}

  Result<DataType> Read(bool* exact) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, Type(exact));
    Space();
    if (at_ != text_.size()) return Bad();
    return type;
  }

 private:
  void Space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool Accept(char c) {
    Space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  std::string Word() {
    Space();
    const size_t start = at_;
    while (at_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_')) {
      ++at_;
    }
    return ToUpper(text_.substr(start, at_ - start));
  }
  Result<std::string> Name() {
    Space();
    if (at_ < text_.size() && text_[at_] == '"') {
      std::string name;
      ++at_;
      while (at_ < text_.size()) {
        if (text_[at_] == '"') {
          if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
            name += '"';
            at_ += 2;
            continue;
          }
          ++at_;
          return name;
        }
        name += text_[at_++];
      }
      return Bad();
    }
    const size_t start = at_;
    while (at_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
    if (start == at_) return Bad();
    return std::string(text_.substr(start, at_ - start));
  }
  Result<int> Number() {
    Space();
    int value = 0;
    const size_t start = at_;
    while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) {
      value = value * 10 + (text_[at_++] - '0');
    }
    if (start == at_) return Bad();
    return value;
  }
  Status Bad() const {
    return NotSupported("cannot read the DuckDB type '" + std::string(text_) + "'");
  }

  Result<DataType> Type(bool* exact) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, Base(exact));
    // Postfix list and array markers: T[] and T[n].
    while (Accept('[')) {
      Space();
      if (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) {
        SLUICE_ASSIGN_OR_RETURN(int size, Number());
        (void)size;
        *exact = false;  // a fixed-size ARRAY reads as a LIST
      }
      if (!Accept(']')) return Bad();
      type = DataType::Array(std::move(type));
    }
    return type;
  }

  Result<DataType> Base(bool* exact) {
    const std::string word = Word();
    auto simple = [&](TypeId id) { return DataType::Of(id); };
    auto widened = [&](TypeId id) {
      *exact = false;
      return DataType::Of(id);
    };
    if (word == "BOOLEAN" || word == "BOOL") return simple(TypeId::kBoolean);
    if (word == "TINYINT" || word == "INT1") return simple(TypeId::kByte);
    if (word == "SMALLINT" || word == "INT2") return simple(TypeId::kShort);
    if (word == "INTEGER" || word == "INT4" || word == "INT") return simple(TypeId::kInt);
    if (word == "BIGINT" || word == "INT8") return simple(TypeId::kLong);
    if (word == "UTINYINT") return widened(TypeId::kShort);
    if (word == "USMALLINT") return widened(TypeId::kInt);
    if (word == "UINTEGER") return widened(TypeId::kLong);
    if (word == "UBIGINT" || word == "HUGEINT" || word == "UHUGEINT") {
      *exact = false;
      return DataType::Decimal(word == "UBIGINT" ? 20 : 38, 0);
    }
    if (word == "FLOAT" || word == "REAL" || word == "FLOAT4") return simple(TypeId::kFloat);
    if (word == "DOUBLE" || word == "FLOAT8") return simple(TypeId::kDouble);
    if (word == "DECIMAL" || word == "NUMERIC") {
      int precision = 18, scale = 3;
      if (Accept('(')) {
        SLUICE_ASSIGN_OR_RETURN(precision, Number());
        if (Accept(',')) {
          SLUICE_ASSIGN_OR_RETURN(scale, Number());
        }
        if (!Accept(')')) return Bad();
      }
      return DataType::Decimal(precision, scale);
    }
    if (word == "VARCHAR" || word == "TEXT" || word == "STRING") {
      if (Accept('(')) {
        SLUICE_ASSIGN_OR_RETURN(int length, Number());
        (void)length;
        if (!Accept(')')) return Bad();
      }
      return simple(TypeId::kString);
    }
    if (word == "UUID" || word == "JSON" || word == "ENUM" || word == "BIT") {
      if (word == "ENUM" && Accept('(')) {
        int depth = 1;
        while (at_ < text_.size() && depth > 0) {
          if (text_[at_] == '\'') {
            ++at_;
            while (at_ < text_.size() && text_[at_] != '\'') ++at_;
          } else if (text_[at_] == '(') {
            ++depth;
          } else if (text_[at_] == ')') {
            --depth;
          }
          ++at_;
        }
      }
      // JSON is VARCHAR in DuckDB; the others need a cast to read as text.
      if (word != "JSON") *exact = false;
      return DataType::Of(TypeId::kString);
    }
    if (word == "BLOB" || word == "BYTEA" || word == "BINARY" || word == "VARBINARY")
      return simple(TypeId::kBinary);
    if (word == "DATE") return simple(TypeId::kDate);
    if (word == "TIMESTAMPTZ") return simple(TypeId::kTimestamp);
    if (word == "TIMESTAMP" || word == "DATETIME") {
      const size_t save = at_;
      if (Word() == "WITH" && Word() == "TIME" && Word() == "ZONE") {
        return simple(TypeId::kTimestamp);
      }
      at_ = save;
      return simple(TypeId::kTimestampNtz);
    }
    if (word == "TIMESTAMP_S" || word == "TIMESTAMP_MS" || word == "TIMESTAMP_NS") {
      return widened(TypeId::kTimestampNtz);
    }
    if (word == "INTERVAL") return simple(TypeId::kCalendarInterval);
    if (word == "STRUCT") {
      if (!Accept('(')) return Bad();
      std::vector<StructField> fields;
      if (!Accept(')')) {
        while (true) {
          StructField field;
          SLUICE_ASSIGN_OR_RETURN(field.name, Name());
          SLUICE_ASSIGN_OR_RETURN(DataType type, Type(exact));
          field.type = std::make_shared<const DataType>(std::move(type));
          fields.push_back(std::move(field));
          if (Accept(')')) break;
          if (!Accept(',')) return Bad();
        }
      }
      return DataType::Struct(std::move(fields));
    }
    if (word == "MAP") {
      if (!Accept('(')) return Bad();
      SLUICE_ASSIGN_OR_RETURN(DataType key, Type(exact));
      if (!Accept(',')) return Bad();
      SLUICE_ASSIGN_OR_RETURN(DataType value, Type(exact));
      if (!Accept(')')) return Bad();
      return DataType::Map(std::move(key), std::move(value));
    }
    if (word == "NULL") return DataType::Null();
    return NotSupported("the DuckDB type " + std::string(text_) +
                        " has no Spark equivalent; cast the column to a Spark type");
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

Result<DataType> FromDuckDbType(std::string_view duckdb_type, bool* exact) {
  bool ignored = true;
  bool* flag = exact != nullptr ? exact : &ignored;
  *flag = true;
  return DuckDbTypeReader(duckdb_type).Read(flag);
}

}  // namespace sluice::spark
