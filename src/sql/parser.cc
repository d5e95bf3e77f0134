#include "sql/parser.h"

#include "common/strings.h"
#include "sql/diagnostics.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace internal {

Status TokenCursor::Expected(std::string_view what) const {
  const Token& at = Peek();
  const std::string found = at.kind == Token::Kind::kEnd || AtEnd()
                                ? "the end of the statement"
                                : "'" + std::string(at.raw) + "'";
  return Error(at, "expected " + std::string(what) + " but found " + found);
}

Result<std::string> TokenCursor::Name(SourceLocation* location) {
  if (!Peek().IsName()) return Expected("a name");
  if (location != nullptr) *location = Location(Peek());
  std::string name = Peek().value;
  ++i_;
  while (Peek().IsSymbol(".") && Peek(1).IsName()) {
    name = Peek(1).value;
    if (location != nullptr) *location = Location(Peek(1));
    i_ += 2;
  }
  return name;
}

Result<std::string> TokenCursor::StringLiteral(std::string_view what) {
  if (Peek().kind != Token::Kind::kString) return Expected(what);
  return t_[i_++].value;
}

Result<std::vector<std::string>> TokenCursor::ColumnNameList(
    std::vector<SourceLocation>* locations) {
  std::vector<std::string> names;
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    if (!Peek().IsName()) return Expected("a column name");
    if (locations != nullptr) locations->push_back(Location(Peek()));
    names.push_back(t_[i_++].value);
    if (AcceptSymbol(")")) break;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
  return names;
}

Result<Query> TokenCursor::ParseQueryTokens(size_t begin, size_t end) const {
  Query query;
  query.location = TokenLocation(text_, file_, t_[begin]);
  query.text = Text(begin, end);
  SLUICE_ASSIGN_OR_RETURN(spark::ParsedQuery parsed, spark::ParseQuery(source_, t_, begin, end));
  SLUICE_ASSIGN_OR_RETURN(query.references,
                          ReferencesOf(*parsed.query, *source_, t_[begin].offset));
  query.parsed = std::make_shared<const spark::ParsedQuery>(std::move(parsed));
  return query;
}

Result<std::shared_ptr<const spark::ParsedExpression>> TokenCursor::ParseExpressionTokens(
    size_t begin, size_t end) const {
  SLUICE_ASSIGN_OR_RETURN(spark::ParsedExpression parsed,
                          spark::ParseExpression(source_, t_, begin, end));
  return std::make_shared<const spark::ParsedExpression>(std::move(parsed));
}

std::string TokenCursor::Text(size_t from, size_t to) const {
  if (from >= to) return "";
  const size_t begin = t_[from].offset;
  const size_t end = t_[to - 1].offset + t_[to - 1].raw.size();
  return std::string(text_.substr(begin, end - begin));
}

}  // namespace internal

namespace {

using internal::TokenLocation;

class StatementParser : private internal::TokenCursor {
 public:
  using TokenCursor::TokenCursor;

  // Appends what the statement declares: one statement, or two for CREATE STREAMING TABLE
  // ... FLOW AUTO CDC (the table and its flow).
  Status Parse(std::vector<Statement>& out);

 private:
  Result<Query> QueryToEnd();

  Status Dataset(const Token& create, std::vector<Statement>& out);
  Status ColumnList(DatasetStatement& dataset);
  Status Constraint(DatasetStatement& dataset);
  Status Clauses(DatasetStatement& dataset, std::optional<FlowStatement>& flow);
  // `(key [=] value, ...)` after TBLPROPERTIES or OPTIONS; keys may be dotted names or
  // strings, values are unquoted.
  Status PropertyList(std::map<std::string, std::string>& properties);
  Result<Statement> Sink();
  Result<Statement> Flow();
  Result<Statement> ApplyChanges();
  Result<Statement> Set();
};

Result<Query> StatementParser::QueryToEnd() {
  if (AtEnd()) return Expected("a query");
  SLUICE_ASSIGN_OR_RETURN(Query query, ParseQueryTokens(i_, end_));
  i_ = end_;
  return query;
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
  SLUICE_ASSIGN_OR_RETURN(expectation.parsed, ParseExpressionTokens(i_ + 1, close));
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
                           token.IsKeyword("CONSTRAINT") || token.IsKeyword("PRIMARY") ||
                           token.IsKeyword("FOREIGN") || token.IsKeyword("REFERENCES"))) {
          break;
        }
        if (token.IsSymbol("(") || token.IsSymbol("<")) ++depth;
        if (token.IsSymbol(")") || token.IsSymbol(">")) --depth;
        // `>>` closes two nested types (ARRAY<STRUCT<a: INT>>).
        if (token.IsSymbol(">>") || token.IsSymbol(">>>"))
          depth -= static_cast<int>(token.raw.size());
        ++i_;
      }
      column.type = Text(type_begin, i_);
      while (true) {
        if (Accept("NOT")) {
          SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULL"));
          column.not_null = true;
        } else if (Accept("COMMENT")) {
          SLUICE_ASSIGN_OR_RETURN(column.comment, StringLiteral("a comment string"));
        } else if (Peek().IsKeyword("CONSTRAINT") || Peek().IsKeyword("PRIMARY") ||
                   Peek().IsKeyword("FOREIGN") || Peek().IsKeyword("REFERENCES")) {
          // Informational column constraints ([CONSTRAINT name] PRIMARY KEY | [FOREIGN KEY]
          // REFERENCES parent [(column)] [options]): not enforced, skipped to the column's end.
          int nested = 0;
          while (!AtEnd() && !(nested == 0 && (Peek().IsSymbol(",") || Peek().IsSymbol(")") ||
                                               Peek().IsKeyword("COMMENT")))) {
            if (Peek().IsSymbol("(")) ++nested;
            if (Peek().IsSymbol(")")) --nested;
            ++i_;
          }
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

Status StatementParser::Clauses(DatasetStatement& dataset, std::optional<FlowStatement>& flow) {
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
      SLUICE_RETURN_IF_ERROR(PropertyList(dataset.properties));
    } else if (Peek().IsKeyword("LOCATION")) {
      if (dataset.kind != DatasetKind::kStreamingTable &&
          dataset.kind != DatasetKind::kMaterializedView) {
        return Error(Peek(), "LOCATION is only for streaming tables and materialized views");
      }
      ++i_;
      SLUICE_ASSIGN_OR_RETURN(dataset.storage_location, StringLiteral("the table's path"));
    } else if (Peek().IsKeyword("SCHEDULE") || Peek().IsKeyword("WITH") ||
               Peek().IsKeyword("REFRESH")) {
      return NotSupported(
          FormatDiagnostic(TokenLocation(text_, file_, Peek()),
                           std::string(Peek().raw) + " is not supported in pipeline definitions"));
    } else if (Peek().IsKeyword("FLOW") && Peek(1).IsKeyword("AUTO")) {
      if (dataset.kind != DatasetKind::kStreamingTable) {
        return Error(Peek(), "FLOW AUTO CDC is only for streaming tables");
      }
      flow.emplace();
      flow->name = dataset.name;
      flow->location = dataset.location;
      SLUICE_RETURN_IF_ERROR(
          internal::ParseAutoCdc(source_, t_, i_ + 1, end_, dataset.name, *flow));
      flow->cdc->target_location = dataset.location;
      i_ = end_;
      return Status::OK();
    } else if (Peek().IsKeyword("FLOW")) {
      return NotSupported(FormatDiagnostic(
          TokenLocation(text_, file_, Peek()),
          "this FLOW clause is not supported; use FLOW AUTO CDC, AS query or CREATE FLOW ... AS "
          "INSERT INTO"));
    } else {
      return Expected(
          "AS, FLOW, COMMENT, PARTITIONED BY, CLUSTER BY, TBLPROPERTIES, LOCATION or ';'");
    }
  }
  return Status::OK();
}

Status StatementParser::PropertyList(std::map<std::string, std::string>& properties) {
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
    if (value.kind == Token::Kind::kEnd || AtEnd() || value.IsSymbol(",") || value.IsSymbol(")")) {
      return Expected("a property value");
    }
    properties[key] = value.value;
    ++i_;
    if (AcceptSymbol(")")) return Status::OK();
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
}

// CREATE SINK [IF NOT EXISTS] name USING format [OPTIONS (key 'value', ...)] [COMMENT c]
Result<Statement> StatementParser::Sink() {
  DatasetStatement sink;
  sink.kind = DatasetKind::kSink;
  if (Accept("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
  }
  SLUICE_ASSIGN_OR_RETURN(sink.name, Name(&sink.location));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("USING"));
  if (!Peek().IsName()) return Expected("the sink's format (delta)");
  sink.sink_format = t_[i_++].value;
  while (!AtEnd()) {
    if (Accept("OPTIONS")) {
      SLUICE_RETURN_IF_ERROR(PropertyList(sink.sink_options));
    } else if (Accept("COMMENT")) {
      SLUICE_ASSIGN_OR_RETURN(sink.comment, StringLiteral("a comment string"));
    } else {
      return Expected("OPTIONS, COMMENT or ';'");
    }
  }
  return Statement(std::move(sink));
}

Status StatementParser::Dataset(const Token& create, std::vector<Statement>& out) {
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
  std::optional<FlowStatement> flow;
  SLUICE_RETURN_IF_ERROR(Clauses(dataset, flow));
  if (!dataset.query && dataset.kind != DatasetKind::kStreamingTable) {
    return Error(t_[end_], "'" + dataset.name + "' needs AS followed by a query");
  }
  out.push_back(std::move(dataset));
  if (flow) out.push_back(std::move(*flow));
  return Status::OK();
}

Result<Statement> StatementParser::Flow() {
  FlowStatement flow;
  SLUICE_ASSIGN_OR_RETURN(flow.name, Name(&flow.location));
  if (Accept("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(flow.comment, StringLiteral("a comment string"));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  if (Peek().IsKeyword("AUTO") || Peek().IsKeyword("APPLY")) {
    SLUICE_RETURN_IF_ERROR(internal::ParseAutoCdc(source_, t_, i_, end_, std::nullopt, flow));
    i_ = end_;
    return Statement(std::move(flow));
  }
  if (!Peek().IsKeyword("INSERT")) return Expected("INSERT INTO, AUTO CDC or APPLY CHANGES");
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("INSERT"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("INTO"));
  flow.once = Accept("ONCE");
  SLUICE_ASSIGN_OR_RETURN(flow.target, Name(nullptr));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("NAME"));
  SLUICE_ASSIGN_OR_RETURN(flow.query, QueryToEnd());
  return Statement(std::move(flow));
}

// The legacy statement APPLY CHANGES INTO target ...: a flow named after its target.
Result<Statement> StatementParser::ApplyChanges() {
  FlowStatement flow;
  SLUICE_RETURN_IF_ERROR(internal::ParseAutoCdc(source_, t_, i_, end_, std::nullopt, flow));
  i_ = end_;
  flow.name = flow.target;
  flow.location = flow.cdc->target_location;
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

Status StatementParser::Parse(std::vector<Statement>& out) {
  const Token& first = Peek();
  auto one = [&out](Result<Statement> statement) -> Status {
    if (!statement.ok()) return statement.status();
    out.push_back(std::move(*statement));
    return Status::OK();
  };
  if (Accept("SET")) return one(Set());
  if (Accept("RESET")) {
    SetStatement reset;
    reset.location = TokenLocation(text_, file_, Peek());
    reset.reset = true;
    reset.key = Trim(Text(i_, end_));
    if (reset.key.empty()) return Expected("a key");
    i_ = end_;
    out.push_back(std::move(reset));
    return Status::OK();
  }
  if (Accept("USE")) {
    SetStatement set;
    set.location = TokenLocation(text_, file_, first);
    set.key = Accept("CATALOG")                          ? "catalog"
              : (Accept("SCHEMA") || Accept("DATABASE")) ? "schema"
                                                         : "schema";
    if (!Peek().IsName()) return Expected("a name");
    set.value = t_[i_++].value;
    if (!AtEnd()) return Expected("';'");
    out.push_back(std::move(set));
    return Status::OK();
  }
  if (Peek().IsKeyword("APPLY")) return one(ApplyChanges());
  if (!Accept("CREATE")) {
    return Error(first,
                 "unsupported statement; a pipeline file may contain CREATE STREAMING TABLE, "
                 "CREATE MATERIALIZED VIEW, CREATE VIEW, CREATE FLOW, CREATE SINK, APPLY CHANGES "
                 "INTO and SET");
  }
  if (Accept("OR")) {
    if (!Accept("REFRESH") && !Accept("REPLACE")) return Expected("REFRESH");
  }
  if (Accept("FLOW")) return one(Flow());
  if (Accept("SINK")) return one(Sink());
  return Dataset(first, out);
}

}  // namespace

Result<Script> ParseScript(std::string_view text, std::string_view file) {
  auto source = std::make_shared<spark::SourceText>();
  source->file = std::string(file);
  source->text = std::string(text);
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(source->text, file));
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
      StatementParser parser(source, tokens, begin, i);
      SLUICE_RETURN_IF_ERROR(parser.Parse(script.statements));
    }
    begin = i + 1;
    depth = 0;
  }
  return script;
}

}  // namespace sluice::sql

namespace sluice::sql {
namespace {

class QueryOnly : private internal::TokenCursor {
 public:
  using TokenCursor::TokenCursor;
  Result<Query> Parse(size_t end) {
    if (end > i_ && t_[end - 1].IsSymbol(";")) --end;
    if (end == i_) return Expected("a query");
    return ParseQueryTokens(i_, end);
  }
};

}  // namespace

Result<Query> ParseStandaloneQuery(std::string_view text, std::string_view file) {
  auto source = std::make_shared<spark::SourceText>();
  source->file = std::string(file);
  source->text = std::string(text);
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(source->text, file));
  const size_t end = tokens.size() - 1;
  QueryOnly parser(source, tokens, 0, end);
  return parser.Parse(end);
}

}  // namespace sluice::sql
