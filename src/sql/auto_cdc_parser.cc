// AUTO CDC / APPLY CHANGES flows (docs/sql.md, "AUTO CDC"): the clauses after the source may
// come in any order (Databricks and Spark document different orders); each at most once.
#include <set>

#include "common/strings.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

// The synthesized query reads the source as written: SELECT * FROM <source>.
constexpr std::string_view kQueryPrefix = "SELECT * FROM ";

constexpr std::string_view kClauses =
    "an AUTO CDC clause (IGNORE NULL UPDATES, APPLY AS DELETE WHEN, APPLY AS TRUNCATE WHEN, "
    "SEQUENCE BY, COLUMNS, STORED AS or TRACK HISTORY ON)";

// Words that may follow an operand inside a condition or sequence expression. Any other bare
// word after an operand is taken for a misspelt clause, so that `SEQUENCE BY ts SORTED AS ...`
// is an error there and not part of the expression.
bool JoinsOperands(const Token& token) {
  static const std::set<std::string> kWords = {
      "and",          "or",          "not",         "is",       "in",     "like",    "ilike",
      "rlike",        "regexp",      "between",     "case",     "when",   "then",    "else",
      "end",          "escape",      "collate",     "distinct", "from",   "div",     "mod",
      "similar",      "glob",        "any",         "some",     "all",    "exists",  "as",
      "to",           "at",          "time",        "zone",     "over",   "filter",  "year",
      "years",        "month",       "months",      "week",     "weeks",  "day",     "days",
      "hour",         "hours",       "minute",      "minutes",  "second", "seconds", "millisecond",
      "milliseconds", "microsecond", "microseconds"};
  return token.kind == Token::Kind::kIdentifier && kWords.count(ToLower(token.value)) > 0;
}

bool EndsOperand(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kString:
    case Token::Kind::kNumber:
    case Token::Kind::kQuotedIdentifier:
      return true;
    case Token::Kind::kIdentifier:
      return !JoinsOperands(token) || token.IsKeyword("end");
    case Token::Kind::kSymbol:
      return token.IsSymbol(")") || token.IsSymbol("]");
    case Token::Kind::kEnd:
      return false;
  }
  return false;
}

class AutoCdcParser : private TokenCursor {
 public:
  using TokenCursor::TokenCursor;

  Status Parse(const std::optional<std::string>& target, FlowStatement& flow);

 private:
  Status Source(AutoCdc& cdc, Query& query);
  Status Clause(AutoCdc& cdc, std::set<std::string>& seen);
  Result<ColumnSelection> Selection();
  Result<Expression> ExpressionToNextClause(std::string_view clause);
  bool AtClauseStart(size_t k) const;
};

Status AutoCdcParser::Parse(const std::optional<std::string>& target, FlowStatement& flow) {
  AutoCdc cdc;
  cdc.location = Location(Peek());
  if (Accept("AUTO")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("CDC"));
  } else {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("APPLY"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("CHANGES"));
  }
  if (Peek().IsKeyword("ONCE")) {
    return NotSupported(FormatDiagnostic(Location(Peek()), "AUTO CDC ONCE is not supported"));
  }
  if (target) {
    cdc.target = *target;
  } else {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("INTO"));
    SLUICE_ASSIGN_OR_RETURN(cdc.target, Name(&cdc.target_location));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
  Query query;
  SLUICE_RETURN_IF_ERROR(Source(cdc, query));
  cdc.keys_location = Location(Peek());
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("KEYS"));
  SLUICE_ASSIGN_OR_RETURN(cdc.keys, ColumnNameList(&cdc.key_locations));
  std::set<std::string> seen;
  while (!AtEnd()) SLUICE_RETURN_IF_ERROR(Clause(cdc, seen));
  flow.target = cdc.target;
  flow.query = std::move(query);
  flow.cdc = std::move(cdc);
  return Status::OK();
}

Status AutoCdcParser::Source(AutoCdc& cdc, Query& query) {
  // SNAPSHOT is a keyword only before a name: `FROM snapshot KEYS (...)` reads a dataset
  // named snapshot.
  if (Peek().IsKeyword("SNAPSHOT") && Peek(1).IsName() && !Peek(1).IsKeyword("KEYS")) {
    ++i_;
    cdc.from_snapshot = true;
    if (Peek().IsKeyword("FUNCTION") && Peek(1).IsName() && !Peek(1).IsKeyword("KEYS")) {
      query.location = Location(Peek());
      cdc.snapshot_function = Peek(1).value;
      i_ += 2;
      return Status::OK();
    }
  }
  const size_t start = i_;
  const std::string_view what = "the source: a dataset name, STREAM(name) or delta.`/path`";
  if (AtEnd()) return Expected(what);
  if (Peek().IsKeyword("KEYS")) return Expected(what);
  SLUICE_ASSIGN_OR_RETURN(auto parsed,
                          spark::ParseRelationAt(source_, t_, start, end_, /*alias=*/false));
  spark::RelationPtr relation = std::move(parsed.first);
  if (relation->kind == spark::RelationKind::kFunction) {
    return Error(t_[start],
                 "an AUTO CDC source is a dataset or delta.`/path`, not read_files(...); read the "
                 "files into a streaming table or view and name it here");
  }
  if (relation->kind != spark::RelationKind::kTable) return Expected(what);
  i_ = parsed.second;
  query.text = std::string(kQueryPrefix) + Text(start, i_);
  query.location = Location(t_[start]);
  spark::ParsedQuery select = spark::SelectAllFrom(source_, std::move(relation));
  // Offsets relative to the synthesized text, in which the source starts after the prefix
  // (unsigned wrap-around cancels out).
  SLUICE_ASSIGN_OR_RETURN(query.references, ReferencesOf(*select.query, *source_,
                                                         t_[start].offset - kQueryPrefix.size()));
  query.parsed = std::make_shared<const spark::ParsedQuery>(std::move(select));
  return Status::OK();
}

bool AutoCdcParser::AtClauseStart(size_t k) const {
  const Token& word = t_[k];
  const Token& next = t_[k + 1];  // k < end_, so at most the statement's end token
  return (word.IsKeyword("IGNORE") && next.IsKeyword("NULL")) ||
         (word.IsKeyword("APPLY") && next.IsKeyword("AS")) ||
         (word.IsKeyword("SEQUENCE") && next.IsKeyword("BY")) ||
         (word.IsKeyword("SYSTEM") && next.IsKeyword("SEQUENCE")) ||
         (word.IsKeyword("STORED") && next.IsKeyword("AS")) ||
         (word.IsKeyword("TRACK") && next.IsKeyword("HISTORY")) ||
         (word.IsKeyword("KEYS") && next.IsSymbol("(")) || word.IsKeyword("COLUMNS");
}

Result<Expression> AutoCdcParser::ExpressionToNextClause(std::string_view clause) {
  const size_t begin = i_;
  size_t k = begin;
  int depth = 0;
  for (; k < end_; ++k) {
    const Token& token = t_[k];
    if (token.IsSymbol("(")) {
      ++depth;
    } else if (token.IsSymbol(")")) {
      --depth;
    } else if (depth == 0) {
      if (AtClauseStart(k)) break;
      if (k > begin && token.kind == Token::Kind::kIdentifier && !JoinsOperands(token) &&
          EndsOperand(t_[k - 1])) {
        i_ = k;
        return Expected(kClauses);
      }
    }
  }
  if (k == begin) return Expected("an expression after " + std::string(clause));
  Expression expression;
  expression.text = Text(begin, k);
  SLUICE_ASSIGN_OR_RETURN(expression.parsed, ParseExpressionTokens(begin, k));
  expression.location = Location(t_[begin]);
  i_ = k;
  return expression;
}

Result<ColumnSelection> AutoCdcParser::Selection() {
  ColumnSelection selection;
  selection.location = Location(Peek());
  if (AcceptSymbol("*")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXCEPT"));
    selection.except = true;
    SLUICE_ASSIGN_OR_RETURN(selection.names, ColumnNameList());
    return selection;
  }
  if (Peek().IsSymbol("(")) {
    SLUICE_ASSIGN_OR_RETURN(selection.names, ColumnNameList());
    return selection;
  }
  do {
    if (!Peek().IsName()) return Expected("a column name or * EXCEPT (...)");
    selection.names.push_back(t_[i_++].value);
  } while (AcceptSymbol(","));
  return selection;
}

Status AutoCdcParser::Clause(AutoCdc& cdc, std::set<std::string>& seen) {
  const Token& at = Peek();
  auto once = [&](const std::string& clause) -> Status {
    if (seen.insert(clause).second) return Status::OK();
    return Error(at, clause + " is given twice");
  };
  if (Accept("IGNORE")) {
    SLUICE_RETURN_IF_ERROR(once("IGNORE NULL UPDATES"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULL"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("UPDATES"));
    cdc.ignore_null_updates = true;
    if (Accept("ON")) {
      SLUICE_ASSIGN_OR_RETURN(cdc.ignore_null_updates_on, Selection());
    }
  } else if (Accept("APPLY")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
    const bool is_delete = Accept("DELETE");
    if (!is_delete && !Accept("TRUNCATE")) return Expected("DELETE or TRUNCATE");
    const std::string clause = is_delete ? "APPLY AS DELETE" : "APPLY AS TRUNCATE";
    SLUICE_RETURN_IF_ERROR(once(clause));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("WHEN"));
    SLUICE_ASSIGN_OR_RETURN(Expression condition, ExpressionToNextClause(clause + " WHEN"));
    (is_delete ? cdc.delete_condition : cdc.truncate_condition) = std::move(condition);
  } else if (Accept("SEQUENCE")) {
    SLUICE_RETURN_IF_ERROR(once("SEQUENCE BY"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(cdc.sequence_by, ExpressionToNextClause("SEQUENCE BY"));
  } else if (at.IsKeyword("SYSTEM") && Peek(1).IsKeyword("SEQUENCE")) {
    return NotSupported(FormatDiagnostic(Location(at), "SYSTEM SEQUENCE BY is not supported"));
  } else if (Accept("COLUMNS")) {
    if (Peek().IsKeyword("TO") && Peek(1).IsKeyword("UPDATE")) {
      return NotSupported(FormatDiagnostic(Location(at), "COLUMNS TO UPDATE is not supported"));
    }
    SLUICE_RETURN_IF_ERROR(once("COLUMNS"));
    SLUICE_ASSIGN_OR_RETURN(cdc.columns, Selection());
  } else if (Accept("STORED")) {
    SLUICE_RETURN_IF_ERROR(once("STORED AS"));
    cdc.stored_as_location = Location(at);
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
    if (Peek().IsKeyword("BITEMPORAL")) {
      return NotSupported(
          FormatDiagnostic(Location(Peek()), "STORED AS BITEMPORAL is not supported"));
    }
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("SCD"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("TYPE"));
    if (Peek().kind != Token::Kind::kNumber || (Peek().raw != "1" && Peek().raw != "2")) {
      return Expected("1 or 2");
    }
    cdc.scd_type = Peek().raw == "1" ? 1 : 2;
    ++i_;
  } else if (Accept("TRACK")) {
    SLUICE_RETURN_IF_ERROR(once("TRACK HISTORY"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("HISTORY"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("ON"));
    SLUICE_ASSIGN_OR_RETURN(cdc.track_history, Selection());
  } else if (at.IsKeyword("KEYS") || at.IsKeyword("FROM")) {
    return Error(at, std::string(at.IsKeyword("KEYS") ? "KEYS" : "FROM") + " is given twice");
  } else {
    return Expected(kClauses);
  }
  return Status::OK();
}

}  // namespace

Status ParseAutoCdc(std::shared_ptr<const spark::SourceText> source,
                    const std::vector<Token>& tokens, size_t begin, size_t end,
                    const std::optional<std::string>& target, FlowStatement& flow) {
  AutoCdcParser parser(std::move(source), tokens, begin, end);
  return parser.Parse(target, flow);
}

}  // namespace sluice::sql::internal
