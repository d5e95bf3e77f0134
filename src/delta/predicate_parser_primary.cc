// Primaries of the filter grammar (see predicate_parser.h): literals, typed literals,
// column paths, function calls, parenthesized expressions and row values, CAST, CASE and
// INTERVAL.
#include <optional>

#include "delta/predicate_parser.h"

namespace sluice::delta::predicate_internal {
namespace {

bool IsIntervalUnit(std::string_view word) {
  static constexpr std::string_view kUnits[] = {
      "year",       "years",    "month",       "months",       "week",        "weeks",
      "day",        "days",     "hour",        "hours",        "minute",      "minutes",
      "second",     "seconds",  "millisecond", "milliseconds", "microsecond", "microseconds",
      "quarter",    "quarters", "decade",      "decades",      "century",     "centuries",
      "millennium", "millennia"};
  std::string lower = ToLower(word);
  for (std::string_view unit : kUnits) {
    if (lower == unit) return true;
  }
  return false;
}

// The DuckDB type of a `TYPE 'text'` literal, or empty if `word` is not such a type.
std::string TypedLiteralType(std::string_view word) {
  std::string lower = ToLower(word);
  if (lower == "date") return "DATE";
  if (lower == "time") return "TIME";
  if (lower == "timestamp" || lower == "timestamp_ntz" || lower == "datetime") return "TIMESTAMP";
  if (lower == "timestamptz" || lower == "timestamp_ltz") return "TIMESTAMPTZ";
  if (lower == "interval") return "INTERVAL";
  return "";
}

}  // namespace

ExpressionPtr Parser::ParsePrimary() {
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::kNumber: {
      ++pos_;
      LiteralExpr literal;
      literal.text = token.text;
      if (token.text.find_first_of("eE") != std::string::npos) {
        literal.kind = LiteralExpr::Kind::kFloat;
      } else if (token.text.find('.') != std::string::npos) {
        literal.kind = LiteralExpr::Kind::kDecimal;
      } else {
        literal.kind = LiteralExpr::Kind::kInteger;
      }
      return MakeExpression(std::move(literal));
    }
    case TokenKind::kString:
      ++pos_;
      return MakeExpression(LiteralExpr{LiteralExpr::Kind::kString, token.text, ""});
    case TokenKind::kIdentifier:
      return ParseWord();
    case TokenKind::kQuotedIdentifier:
      return ParseName();
    case TokenKind::kSymbol:
      if (token.text == "(") return ParseParenthesized();
      if (token.text == "[" || token.text == "{") {
        std::optional<std::string> text = TakeBracketed();
        if (!text) return nullptr;
        return OpaqueBuilder(Precedence::kAtom, true).Text(*text).Build();
      }
      return Unexpected();
    case TokenKind::kEnd:
      return Expected("an expression");
  }
  return Unexpected();
}

ExpressionPtr Parser::ParseWord() {
  const Token& token = Peek();
  if (IsKeyword("null")) {
    ++pos_;
    return MakeExpression(LiteralExpr{LiteralExpr::Kind::kNull, "", ""});
  }
  if (IsKeyword("true") || IsKeyword("false")) {
    ++pos_;
    return MakeExpression(LiteralExpr{LiteralExpr::Kind::kBoolean, ToLower(token.text), ""});
  }
  if (IsKeyword("case")) return ParseCase();
  if ((IsKeyword("cast") || IsKeyword("try_cast")) && IsSymbol("(", 1)) return ParseCast();
  if (IsKeyword("exists") && IsSymbol("(", 1)) {
    ++pos_;
    std::optional<std::string> text = TakeBracketed();
    if (!text) return nullptr;
    return OpaqueBuilder(Precedence::kAtom, true).Text("EXISTS " + *text).Build();
  }
  std::string type = TypedLiteralType(token.text);
  if (!type.empty()) {
    if (type == "INTERVAL" &&
        (Peek(1).kind == TokenKind::kNumber || IsSymbol("(", 1) ||
         (Peek(1).kind == TokenKind::kString && Peek(2).kind == TokenKind::kIdentifier &&
          IsIntervalUnit(Peek(2).text)))) {
      return ParseInterval();
    }
    if (Peek(1).kind == TokenKind::kString) {
      std::string text = Peek(1).text;
      pos_ += 2;
      return MakeExpression(LiteralExpr{LiteralExpr::Kind::kTyped, std::move(text), type});
    }
  }
  if (IsReservedWord(token.text)) return Unexpected();
  return ParseName();
}

ExpressionPtr Parser::ParseName() {
  size_t first = pos_;
  std::vector<std::string> path{Peek().text};
  ++pos_;
  while (IsSymbol(".") &&
         (Peek(1).kind == TokenKind::kIdentifier || Peek(1).kind == TokenKind::kQuotedIdentifier)) {
    path.push_back(Peek(1).text);
    pos_ += 2;
  }
  if (IsSymbol("(")) return ParseCall(std::string(Source(first, pos_ - 1)));
  return MakeExpression(ColumnExpr{std::move(path)});
}

ExpressionPtr Parser::ParseCall(std::string name) {
  size_t open = pos_++;
  OpaqueBuilder call(Precedence::kAtom, true);
  call.Text(name + "(");
  if (AcceptSymbol(")")) return call.Text(")").Build();
  while (true) {
    ExpressionPtr argument = ParseOr();
    if (!argument) break;
    call.Child(std::move(argument));
    if (AcceptSymbol(",")) {
      call.Text(", ");
      continue;
    }
    if (AcceptSymbol(")")) return call.Text(")").Build();
    Expected("',' or ')' after a function argument");
    break;
  }
  if (!CanKeepVerbatim(open)) return nullptr;
  error_.reset();
  pos_ = open;
  std::optional<std::string> arguments = TakeBracketed();
  if (!arguments) return nullptr;
  return OpaqueBuilder(Precedence::kAtom, true).Text(name + *arguments).Build();
}

ExpressionPtr Parser::ParseParenthesized() {
  if (StartsSubquery(1)) {
    std::optional<std::string> text = TakeBracketed();
    if (!text) return nullptr;
    return OpaqueBuilder(Precedence::kAtom, true).Text(*text).Build();
  }
  ++pos_;
  ExpressionPtr inner = ParseOr();
  if (!inner) return nullptr;
  if (IsSymbol(",")) {
    // A row value, e.g. (a, b) = (1, 2).
    OpaqueBuilder row(Precedence::kAtom, true);
    row.Text("(").Child(std::move(inner));
    while (AcceptSymbol(",")) {
      ExpressionPtr next = ParseOr();
      if (!next) return nullptr;
      row.Text(", ").Child(std::move(next));
    }
    if (!ExpectSymbol(")")) return nullptr;
    return row.Text(")").Build();
  }
  if (!ExpectSymbol(")")) return nullptr;
  return inner;
}

ExpressionPtr Parser::ParseCast() {
  bool is_try = IsKeyword("try_cast");
  pos_ += 2;  // the keyword and '('
  ExpressionPtr operand = ParseOr();
  if (!operand || !ExpectKeyword("AS")) return nullptr;
  // The type runs to the ')' closing the CAST.
  size_t first = pos_;
  int depth = 0;
  while (Peek().kind != TokenKind::kEnd && !(depth == 0 && IsSymbol(")"))) {
    if (IsSymbol("(")) ++depth;
    if (IsSymbol(")")) --depth;
    ++pos_;
  }
  if (pos_ == first) return Expected("a type after AS");
  std::string type(Source(first, pos_ - 1));
  if (!ExpectSymbol(")")) return nullptr;
  return MakeExpression(CastExpr{std::move(operand), std::move(type), is_try});
}

ExpressionPtr Parser::ParseCase() {
  ++pos_;
  OpaqueBuilder builder(Precedence::kAtom, true);
  builder.Text("CASE");
  if (!IsKeyword("when")) {
    ExpressionPtr subject = ParseOr();
    if (!subject) return nullptr;
    builder.Text(" ").Child(std::move(subject));
  }
  if (!IsKeyword("when")) return Expected("WHEN");
  while (AcceptKeyword("when")) {
    ExpressionPtr condition = ParseOr();
    if (!condition || !ExpectKeyword("THEN")) return nullptr;
    ExpressionPtr result = ParseOr();
    if (!result) return nullptr;
    builder.Text(" WHEN ").Child(std::move(condition)).Text(" THEN ").Child(std::move(result));
  }
  if (AcceptKeyword("else")) {
    ExpressionPtr otherwise = ParseOr();
    if (!otherwise) return nullptr;
    builder.Text(" ELSE ").Child(std::move(otherwise));
  }
  if (!ExpectKeyword("END")) return nullptr;
  return builder.Text(" END").Build();
}

ExpressionPtr Parser::ParseInterval() {
  ++pos_;
  OpaqueBuilder builder(Precedence::kAtom, false);
  builder.Text("INTERVAL ");
  ExpressionPtr amount = ParsePrimary();
  if (!amount) return nullptr;
  builder.Child(std::move(amount));
  if (Peek().kind == TokenKind::kIdentifier && IsIntervalUnit(Peek().text)) {
    builder.Text(" " + ToLower(Peek().text));
    ++pos_;
  }
  return builder.Build();
}

}  // namespace sluice::delta::predicate_internal
