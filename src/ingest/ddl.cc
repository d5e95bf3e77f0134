#include "ingest/ddl.h"

#include <cctype>

#include "common/strings.h"

namespace sluice::ingest {
namespace {

class DdlParser {
 public:
  DdlParser(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  Result<std::vector<DdlColumn>> Columns() {
    std::vector<DdlColumn> columns;
    SkipSpace();
    if (AtEnd()) return columns;
    while (true) {
      DdlColumn column;
      SLUICE_ASSIGN_OR_RETURN(std::string name, Name());
      column.path.push_back(std::move(name));
      while (Consume('.')) {
        SLUICE_ASSIGN_OR_RETURN(std::string part, Name());
        column.path.push_back(std::move(part));
      }
      SLUICE_ASSIGN_OR_RETURN(column.type, Type());
      SLUICE_RETURN_IF_ERROR(Trailer(column.nullable));
      columns.push_back(std::move(column));
      SkipSpace();
      if (AtEnd()) break;
      if (!Consume(',')) return Error("expected ',' between columns");
    }
    return columns;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  void SkipSpace() {
    while (!AtEnd() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (!AtEnd() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Error(const std::string& message) const {
    const std::string at = AtEnd() ? "the end" : "'" + std::string(text_.substr(pos_, 20)) + "'";
    return InvalidArgument(std::string(what_) + ": " + message + " at " + at + " in '" +
                           std::string(text_) + "'");
  }
  Result<std::string> Name() {
    SkipSpace();
    if (!AtEnd() && text_[pos_] == '`') {
      std::string name;
      ++pos_;
      while (!AtEnd()) {
        if (text_[pos_] == '`') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '`') {
            name += '`';
            pos_ += 2;
            continue;
          }
          ++pos_;
          return name;
        }
        name += text_[pos_++];
      }
      return Error("unclosed `");
    }
    const size_t start = pos_;
    while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                        text_[pos_] == '_' || static_cast<unsigned char>(text_[pos_]) >= 0x80)) {
      ++pos_;
    }
    if (start == pos_) return Error("expected a column name");
    return std::string(text_.substr(start, pos_ - start));
  }
  std::string Word() {
    SkipSpace();
    const size_t start = pos_;
    while (!AtEnd() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return ToUpper(text_.substr(start, pos_ - start));
  }
  Result<int> Number() {
    SkipSpace();
    const size_t start = pos_;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    auto value = ParseInt64(text_.substr(start, pos_ - start));
    if (!value || *value > 1000) return Error("expected a number");
    return static_cast<int>(*value);
  }

  Result<delta::DataTypePtr> Type() {
    const size_t start = pos_;
    const std::string word = Word();
    using delta::DataType;
    if (word == "STRING" || word == "VARCHAR" || word == "CHAR") {
      if (word != "STRING" && Consume('(')) {
        SLUICE_RETURN_IF_ERROR(Number().status());
        if (!Consume(')')) return Error("expected ')'");
      }
      return DataType::String();
    }
    if (word == "INT" || word == "INTEGER") return DataType::Integer();
    if (word == "BIGINT" || word == "LONG") return DataType::Long();
    if (word == "SMALLINT" || word == "SHORT") return DataType::Short();
    if (word == "TINYINT" || word == "BYTE") return DataType::Byte();
    if (word == "DOUBLE") return DataType::Double();
    if (word == "FLOAT" || word == "REAL") return DataType::Float();
    if (word == "BOOLEAN" || word == "BOOL") return DataType::Boolean();
    if (word == "DATE") return DataType::Date();
    if (word == "TIMESTAMP" || word == "TIMESTAMP_LTZ") return DataType::Timestamp();
    if (word == "TIMESTAMP_NTZ") return DataType::TimestampNtz();
    if (word == "BINARY") return DataType::Binary();
    if (word == "DECIMAL" || word == "DEC" || word == "NUMERIC") {
      int precision = 10, scale = 0;
      if (Consume('(')) {
        SLUICE_ASSIGN_OR_RETURN(precision, Number());
        if (Consume(',')) {
          SLUICE_ASSIGN_OR_RETURN(scale, Number());
        }
        if (!Consume(')')) return Error("expected ')'");
      }
      if (!DataType::IsValidDecimal(precision, scale)) return Error("invalid decimal precision");
      return DataType::Decimal(precision, scale);
    }
    if (word == "ARRAY") {
      if (!Consume('<')) return Error("expected '<' after ARRAY");
      SLUICE_ASSIGN_OR_RETURN(delta::DataTypePtr element, Type());
      if (!Consume('>')) return Error("expected '>'");
      return DataType::Array(element);
    }
    if (word == "MAP") {
      if (!Consume('<')) return Error("expected '<' after MAP");
      SLUICE_ASSIGN_OR_RETURN(delta::DataTypePtr key, Type());
      if (!Consume(',')) return Error("expected ',' in MAP<key, value>");
      SLUICE_ASSIGN_OR_RETURN(delta::DataTypePtr value, Type());
      if (!Consume('>')) return Error("expected '>'");
      return DataType::Map(key, value);
    }
    if (word == "STRUCT") {
      if (!Consume('<')) return Error("expected '<' after STRUCT");
      std::vector<delta::StructField> fields;
      if (!Consume('>')) {
        while (true) {
          delta::StructField field;
          SLUICE_ASSIGN_OR_RETURN(field.name, Name());
          Consume(':');
          SLUICE_ASSIGN_OR_RETURN(field.type, Type());
          SLUICE_RETURN_IF_ERROR(Trailer(field.nullable));
          fields.push_back(std::move(field));
          if (Consume('>')) break;
          if (!Consume(',')) return Error("expected ',' or '>' in STRUCT");
        }
      }
      return DataType::Struct(std::move(fields));
    }
    pos_ = start;
    return Error("expected a type");
  }

  // NOT NULL and COMMENT 'text' after a column's type.
  Status Trailer(bool& nullable) {
    while (true) {
      const size_t start = pos_;
      const std::string word = Word();
      if (word == "NOT") {
        if (Word() != "NULL") return Error("expected NULL after NOT");
        nullable = false;
      } else if (word == "COMMENT") {
        SkipSpace();
        if (AtEnd() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
          return Error("expected a string after COMMENT");
        }
        const char quote = text_[pos_++];
        while (!AtEnd() && text_[pos_] != quote) pos_ += text_[pos_] == '\\' ? 2 : 1;
        if (AtEnd()) return Error("unclosed comment string");
        ++pos_;
      } else {
        pos_ = start;
        return Status::OK();
      }
    }
  }

  std::string_view text_;
  std::string_view what_;
  size_t pos_ = 0;
};

// `type` with the field at `path` (below it) set to `hint`, adding missing struct fields.
Result<delta::DataTypePtr> SetNested(const delta::DataTypePtr& type, const delta::ColumnPath& path,
                                     size_t depth, const delta::DataTypePtr& hint) {
  if (depth == path.size()) return hint;
  if (type == nullptr || !type->is_struct()) {
    return InvalidArgument("schemaHints: " + delta::ColumnPathToString(path) + ": " +
                           path[depth - 1] + " is not a struct");
  }
  std::vector<delta::StructField> fields = type->fields();
  for (delta::StructField& field : fields) {
    if (EqualsIgnoreCase(field.name, path[depth])) {
      SLUICE_ASSIGN_OR_RETURN(field.type, SetNested(field.type, path, depth + 1, hint));
      return delta::DataType::Struct(std::move(fields));
    }
  }
  if (depth + 1 != path.size()) {
    return InvalidArgument("schemaHints: " + delta::ColumnPathToString(path) + ": no field " +
                           path[depth]);
  }
  delta::StructField added;
  added.name = path[depth];
  added.type = hint;
  fields.push_back(std::move(added));
  return delta::DataType::Struct(std::move(fields));
}

}  // namespace

Result<std::vector<DdlColumn>> ParseDdlColumns(std::string_view text, std::string_view what) {
  return DdlParser(text, what).Columns();
}

Result<delta::Schema> SchemaFromDdl(std::string_view text, std::string_view what) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<DdlColumn> columns, ParseDdlColumns(text, what));
  std::vector<delta::StructField> fields;
  for (DdlColumn& column : columns) {
    if (column.path.size() != 1) {
      return InvalidArgument(std::string(what) + ": " + delta::ColumnPathToString(column.path) +
                             " is a nested path; declare the struct instead");
    }
    for (const delta::StructField& field : fields) {
      if (EqualsIgnoreCase(field.name, column.path[0])) {
        return InvalidArgument(std::string(what) + ": column " + field.name + " appears twice");
      }
    }
    delta::StructField field;
    field.name = column.path[0];
    field.type = column.type;
    field.nullable = column.nullable;
    fields.push_back(std::move(field));
  }
  return delta::Schema(std::move(fields));
}

Result<delta::Schema> ApplyHints(const delta::Schema& schema, const std::vector<DdlColumn>& hints) {
  std::vector<delta::StructField> fields = schema.fields();
  for (const DdlColumn& hint : hints) {
    bool found = false;
    for (delta::StructField& field : fields) {
      if (!EqualsIgnoreCase(field.name, hint.path[0])) continue;
      SLUICE_ASSIGN_OR_RETURN(field.type, SetNested(field.type, hint.path, 1, hint.type));
      found = true;
      break;
    }
    if (found) continue;
    delta::StructField added;
    added.name = hint.path[0];
    if (hint.path.size() == 1) {
      added.type = hint.type;
    } else {
      SLUICE_ASSIGN_OR_RETURN(added.type,
                              SetNested(delta::DataType::Struct({}), hint.path, 1, hint.type));
    }
    fields.push_back(std::move(added));
  }
  return delta::Schema(std::move(fields));
}

}  // namespace sluice::ingest
