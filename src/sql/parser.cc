#include "sql/parser.h"

#include "common/strings.h"
#include "sql/diagnostics.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

using internal::TokenLocation;

class StatementParser {
 public:
  StatementParser(std::string_view text, std::string_view file, const std::vector<Token>& tokens,
                  size_t begin, size_t end)
      : text_(text), file_(file), t_(tokens), i_(begin), end_(end) {}

  Result<Statement> Parse();

 private:
  const Token& Peek(size_t ahead = 0) const {
    return i_ + ahead < end_ ? t_[i_ + ahead] : t_[end_];
  }
  bool AtEnd() const { return i_ >= end_; }
  bool Accept(std::string_view keyword) {
    if (Peek().IsKeyword(keyword)) {
      ++i_;
      return true;
    }
    return false;
  }
  bool AcceptSymbol(std::string_view symbol) {
    if (Peek().IsSymbol(symbol)) {
      ++i_;
      return true;
    }
    return false;
  }
  Status Error(const Token& at, std::string_view message) const {
    return InvalidArgument(FormatDiagnostic(TokenLocation(text_, file_, at), message));
  }
  Status Expected(std::string_view what) const {
    const Token& at = Peek();
    const std::string found = at.kind == Token::Kind::kEnd || AtEnd()
                                  ? "the end of the statement"
                                  : "'" + std::string(at.raw) + "'";
    return Error(at, "expected " + std::string(what) + " but found " + found);
  }
  Status ExpectKeyword(std::string_view keyword) {
    if (Accept(keyword)) return Status::OK();
    return Expected(keyword);
  }
  Status ExpectSymbol(std::string_view symbol) {
    if (AcceptSymbol(symbol)) return Status::OK();
    return Expected("'" + std::string(symbol) + "'");
  }
  // A possibly qualified name; returns its last part.
  Result<std::string> Name(SourceLocation* location);
  Result<std::string> StringLiteral(std::string_view what);
  // Text of the source between tokens [from, to).
  std::string Text(size_t from, size_t to) const {
    if (from >= to) return "";
    const size_t begin = t_[from].offset;
    const size_t end = t_[to - 1].offset + t_[to - 1].raw.size();
    return std::string(text_.substr(begin, end - begin));
  }
  size_t Matching(size_t open) const;
  Result<Query> QueryToEnd();
  Result<std::vector<std::string>> ColumnNameList();

  Result<Statement> Dataset(const Token& create);
  Status ColumnList(DatasetStatement& dataset);
  Status Constraint(DatasetStatement& dataset);
  Status Clauses(DatasetStatement& dataset);
  Result<Statement> Flow();
  Result<Statement> Set();

  std::string_view text_;
  std::string_view file_;
  const std::vector<Token>& t_;
  size_t i_;
  size_t end_;
};

size_t StatementParser::Matching(size_t open) const { return MatchingParenthesis(t_, open, end_); }

Result<std::string> StatementParser::Name(SourceLocation* location) {
  if (!Peek().IsName()) return Expected("a name");
  if (location != nullptr) *location = TokenLocation(text_, file_, Peek());
  std::string name = Peek().value;
  ++i_;
  while (Peek().IsSymbol(".") && Peek(1).IsName()) {
    name = Peek(1).value;
    if (location != nullptr) *location = TokenLocation(text_, file_, Peek(1));
    i_ += 2;
  }
  return name;
}

Result<std::string> StatementParser::StringLiteral(std::string_view what) {
  if (Peek().kind != Token::Kind::kString) return Expected(what);
  return t_[i_++].value;
}

Result<Query> StatementParser::QueryToEnd() {
  if (AtEnd()) return Expected("a query");
  Query query;
  const size_t begin = i_;
  query.location = TokenLocation(text_, file_, t_[begin]);
  query.text = Text(begin, end_);
  SLUICE_ASSIGN_OR_RETURN(
      query.references, internal::FindReferences(text_, file_, t_, begin, end_, t_[begin].offset));
  i_ = end_;
  return query;
}

Result<std::vector<std::string>> StatementParser::ColumnNameList() {
  std::vector<std::string> names;
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    if (!Peek().IsName()) return Expected("a column name");
    names.push_back(t_[i_++].value);
    if (AcceptSymbol(")")) break;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
  return names;
}

Status StatementParser::Constraint(DatasetStatement& dataset) {
  // After CONSTRAINT.
  SourceLocation location;
  if (!Peek().IsName()) return Expected("a constraint name");
  location = TokenLocation(text_, file_, Peek());
  std::string name = t_[i_++].value;
  if (Accept("PRIMARY") || Accept("FOREIGN") || Accept("UNIQUE") || Accept("CHECK")) {
    // Informational constraints: skip to the end of the item.
    int depth = 0;
    while (!AtEnd() && !(depth == 0 && (Peek().IsSymbol(",") || Peek().IsSymbol(")")))) {
      if (Peek().IsSymbol("(")) ++depth;
      if (Peek().IsSymbol(")")) --depth;
      ++i_;
    }
    return Status::OK();
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXPECT"));
  if (!Peek().IsSymbol("(")) return Expected("'(' and the expectation's condition");
  const size_t close = Matching(i_);
  if (close >= end_) return Error(Peek(), "the expectation's '(' is not closed");
  if (close == i_ + 1) return Error(Peek(), "the expectation has no condition");
  Expectation expectation;
  expectation.name = name;
  expectation.condition = Text(i_ + 1, close);
  expectation.location = location;
  i_ = close + 1;
  if (Accept("ON")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("VIOLATION"));
    if (Accept("FAIL")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("UPDATE"));
      expectation.action = ViolationAction::kFail;
    } else if (Accept("DROP")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("ROW"));
      expectation.action = ViolationAction::kDrop;
    } else {
      return Expected("FAIL UPDATE or DROP ROW");
    }
  }
  for (const Expectation& other : dataset.expectations) {
    if (EqualsIgnoreCase(other.name, name)) {
      return InvalidArgument(FormatDiagnostic(
          location, "expectation '" + name + "' is defined twice for '" + dataset.name + "'"));
    }
  }
  dataset.expectations.push_back(std::move(expectation));
  return Status::OK();
}

Status StatementParser::ColumnList(DatasetStatement& dataset) {
  // After '('.
  while (true) {
    if (Accept("CONSTRAINT")) {
      SLUICE_RETURN_IF_ERROR(Constraint(dataset));
    } else if (Peek().IsKeyword("PRIMARY") || Peek().IsKeyword("FOREIGN")) {
      int depth = 0;
      while (!AtEnd() && !(depth == 0 && (Peek().IsSymbol(",") || Peek().IsSymbol(")")))) {
        if (Peek().IsSymbol("(")) ++depth;
        if (Peek().IsSymbol(")")) --depth;
        ++i_;
      }
    } else {
      ColumnDefinition column;
      if (!Peek().IsName()) return Expected("a column definition or CONSTRAINT");
      column.location = TokenLocation(text_, file_, Peek());
      column.name = t_[i_++].value;
      const size_t type_begin = i_;
      int depth = 0;
      while (!AtEnd()) {
        const Token& token = Peek();
        if (depth == 0 && (token.IsSymbol(",") || token.IsSymbol(")") || token.IsKeyword("NOT") ||
                           token.IsKeyword("COMMENT") || token.IsKeyword("GENERATED") ||
                           token.IsKeyword("DEFAULT") || token.IsKeyword("MASK") ||
                           token.IsKeyword("CONSTRAINT"))) {
          break;
        }
        if (token.IsSymbol("(") || token.IsSymbol("<")) ++depth;
        if (token.IsSymbol(")") || token.IsSymbol(">")) --depth;
        ++i_;
      }
      column.type = Text(type_begin, i_);
      while (true) {
        if (Accept("NOT")) {
          SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULL"));
          column.not_null = true;
        } else if (Accept("COMMENT")) {
          SLUICE_ASSIGN_OR_RETURN(column.comment, StringLiteral("a comment string"));
        } else if (Peek().IsKeyword("GENERATED") || Peek().IsKeyword("DEFAULT") ||
                   Peek().IsKeyword("MASK")) {
          return NotSupported(
              FormatDiagnostic(TokenLocation(text_, file_, Peek()),
                               std::string(Peek().raw) + " columns are not supported"));
        } else {
          break;
        }
      }
      dataset.columns.push_back(std::move(column));
    }
    if (AcceptSymbol(")")) return Status::OK();
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
}

Status StatementParser::Clauses(DatasetStatement& dataset) {
  while (!AtEnd()) {
    if (Accept("AS")) {
      SLUICE_ASSIGN_OR_RETURN(Query query, QueryToEnd());
      dataset.query = std::move(query);
      return Status::OK();
    }
    if (Accept("USING")) {
      if (!Peek().IsKeyword("DELTA")) return Expected("DELTA (tables are Delta tables)");
      ++i_;
    } else if (Accept("PARTITIONED")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
      SLUICE_ASSIGN_OR_RETURN(dataset.partition_by, ColumnNameList());
    } else if (Accept("CLUSTER")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
      if (Accept("AUTO")) {
        dataset.cluster_by = {"AUTO"};
      } else {
        SLUICE_ASSIGN_OR_RETURN(dataset.cluster_by, ColumnNameList());
      }
    } else if (Accept("COMMENT")) {
      SLUICE_ASSIGN_OR_RETURN(dataset.comment, StringLiteral("a comment string"));
    } else if (Accept("TBLPROPERTIES")) {
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
      while (true) {
        std::string key;
        if (Peek().kind == Token::Kind::kString) {
          key = t_[i_++].value;
        } else {
          if (!Peek().IsName()) return Expected("a property name");
          key = t_[i_++].value;
          while (Peek().IsSymbol(".") && Peek(1).IsName()) {
            key += "." + Peek(1).value;
            i_ += 2;
          }
        }
        AcceptSymbol("=");
        const Token& value = Peek();
        if (value.kind == Token::Kind::kEnd || AtEnd() || value.IsSymbol(",") ||
            value.IsSymbol(")")) {
          return Expected("a property value");
        }
        dataset.properties[key] = value.value;
        ++i_;
        if (AcceptSymbol(")")) break;
        SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
      }
    } else if (Peek().IsKeyword("LOCATION") || Peek().IsKeyword("SCHEDULE") ||
               Peek().IsKeyword("WITH") || Peek().IsKeyword("REFRESH")) {
      return NotSupported(
          FormatDiagnostic(TokenLocation(text_, file_, Peek()),
                           std::string(Peek().raw) + " is not supported in pipeline definitions"));
    } else if (Peek().IsKeyword("FLOW")) {
      return NotSupported(FormatDiagnostic(
          TokenLocation(text_, file_, Peek()),
          "FLOW clauses are not supported yet; use CREATE FLOW ... AS INSERT INTO"));
    } else {
      return Expected("AS, COMMENT, PARTITIONED BY, CLUSTER BY, TBLPROPERTIES or ';'");
    }
  }
  return Status::OK();
}

Result<Statement> StatementParser::Dataset(const Token& create) {
  // After CREATE [OR REFRESH].
  bool is_private = false, temporary = false, streaming = false, live = false, materialized = false;
  while (true) {
    if (Accept("PRIVATE")) {
      is_private = true;
    } else if (Accept("TEMPORARY") || Accept("TEMP")) {
      temporary = true;
    } else if (Accept("STREAMING") || Accept("INCREMENTAL")) {
      streaming = true;
    } else if (Accept("LIVE")) {
      live = true;
    } else if (Accept("MATERIALIZED")) {
      materialized = true;
    } else {
      break;
    }
  }
  DatasetStatement dataset;
  dataset.legacy_syntax = live;
  if (Accept("TABLE")) {
    if (streaming) {
      dataset.kind = DatasetKind::kStreamingTable;
    } else if (live) {
      dataset.kind = DatasetKind::kMaterializedView;
    } else {
      return Error(create,
                   "CREATE TABLE is not a pipeline dataset; use CREATE STREAMING TABLE or "
                   "CREATE MATERIALIZED VIEW");
    }
    dataset.is_private = is_private || temporary;
  } else if (Accept("VIEW")) {
    if (materialized) {
      dataset.kind = DatasetKind::kMaterializedView;
      dataset.is_private = is_private;
    } else if (temporary || live) {
      dataset.kind = DatasetKind::kTemporaryView;
    } else {
      dataset.kind = DatasetKind::kView;
    }
  } else {
    return Expected("STREAMING TABLE, MATERIALIZED VIEW, VIEW or FLOW");
  }
  if (Accept("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
  }
  SLUICE_ASSIGN_OR_RETURN(dataset.name, Name(&dataset.location));
  if (AcceptSymbol("(")) SLUICE_RETURN_IF_ERROR(ColumnList(dataset));
  SLUICE_RETURN_IF_ERROR(Clauses(dataset));
  if (!dataset.query && dataset.kind != DatasetKind::kStreamingTable) {
    return Error(t_[end_], "'" + dataset.name + "' needs AS followed by a query");
  }
  return Statement(std::move(dataset));
}

Result<Statement> StatementParser::Flow() {
  FlowStatement flow;
  SLUICE_ASSIGN_OR_RETURN(flow.name, Name(&flow.location));
  if (Accept("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(flow.comment, StringLiteral("a comment string"));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  if (Peek().IsKeyword("AUTO") || Peek().IsKeyword("APPLY")) {
    return NotSupported(FormatDiagnostic(TokenLocation(text_, file_, Peek()),
                                         "AUTO CDC flows are not supported yet"));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("INSERT"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("INTO"));
  flow.once = Accept("ONCE");
  SLUICE_ASSIGN_OR_RETURN(flow.target, Name(nullptr));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("NAME"));
  SLUICE_ASSIGN_OR_RETURN(flow.query, QueryToEnd());
  return Statement(std::move(flow));
}

Result<Statement> StatementParser::Set() {
  SetStatement set;
  set.location = TokenLocation(text_, file_, Peek());
  size_t k = i_;
  while (k < end_ && !t_[k].IsSymbol("=")) ++k;
  if (k == i_ || k >= end_) return Expected("key = value");
  set.key = Trim(Text(i_, k));
  if (k + 1 < end_) {
    if (k + 2 == end_ && t_[k + 1].kind == Token::Kind::kString) {
      set.value = t_[k + 1].value;
    } else {
      set.value = Trim(Text(k + 1, end_));
    }
  }
  i_ = end_;
  return Statement(std::move(set));
}

Result<Statement> StatementParser::Parse() {
  const Token& first = Peek();
  if (Accept("SET")) return Set();
  if (Accept("USE")) {
    SetStatement set;
    set.location = TokenLocation(text_, file_, first);
    set.key = Accept("CATALOG")                          ? "catalog"
              : (Accept("SCHEMA") || Accept("DATABASE")) ? "schema"
                                                         : "schema";
    if (!Peek().IsName()) return Expected("a name");
    set.value = t_[i_++].value;
    if (!AtEnd()) return Expected("';'");
    return Statement(std::move(set));
  }
  if (Peek().IsKeyword("APPLY")) {
    return NotSupported(FormatDiagnostic(TokenLocation(text_, file_, first),
                                         "APPLY CHANGES (AUTO CDC) is not supported yet"));
  }
  if (!Accept("CREATE")) {
    return Error(first,
                 "unsupported statement; a pipeline file may contain CREATE STREAMING TABLE, "
                 "CREATE MATERIALIZED VIEW, CREATE VIEW, CREATE FLOW and SET");
  }
  if (Accept("OR")) {
    if (!Accept("REFRESH") && !Accept("REPLACE")) return Expected("REFRESH");
  }
  if (Accept("FLOW")) return Flow();
  return Dataset(first);
}

}  // namespace

Result<Script> ParseScript(std::string_view text, std::string_view file) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text, file));
  Script script;
  script.file = std::string(file);
  size_t begin = 0;
  int depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.IsSymbol("(")) ++depth;
    if (token.IsSymbol(")")) --depth;
    const bool end = token.kind == Token::Kind::kEnd || (depth <= 0 && token.IsSymbol(";"));
    if (!end) continue;
    if (i > begin) {
      StatementParser parser(text, file, tokens, begin, i);
      SLUICE_ASSIGN_OR_RETURN(Statement statement, parser.Parse());
      script.statements.push_back(std::move(statement));
    }
    begin = i + 1;
    depth = 0;
  }
  return script;
}

}  // namespace sluice::sql
