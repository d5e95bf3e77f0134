// The filter parser's internals, shared by predicate_parser.cc (operators, from OR down to
// postfix) and predicate_parser_primary.cc (literals, names, calls, CAST, CASE). Internal to
// src/delta; the interface is ParsePredicate in predicate.h.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/strings.h"
#include "delta/predicate.h"
#include "delta/predicate_lexer.h"

namespace sluice::delta::predicate_internal {

// Deeper nesting is rejected rather than risking the stack.
constexpr int kMaxDepth = 128;

// Builds an OpaqueExpr piece by piece: text is appended to the current text run; a child
// starts a new run after it.
class OpaqueBuilder {
 public:
  OpaqueBuilder(Precedence precedence, bool delimited) {
    opaque_.text.emplace_back();
    opaque_.precedence = precedence;
    opaque_.delimited = delimited;
  }
  OpaqueBuilder& Text(std::string_view text) {
    opaque_.text.back() += text;
    return *this;
  }
  OpaqueBuilder& Child(ExpressionPtr child) {
    opaque_.children.push_back(std::move(child));
    opaque_.text.emplace_back();
    return *this;
  }
  ExpressionPtr Build() { return MakeExpression(std::move(opaque_)); }

 private:
  OpaqueExpr opaque_;
};

// Parses the tokens of one filter. Parse functions return null after recording the first
// error; a caller that can recover (keeping bracketed text verbatim) clears it and rewinds.
class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {}

  Result<ExpressionPtr> ParseAll();

 private:
  struct Error {
    size_t token;
    std::string message;
  };

  // Counts nesting for the lifetime of one recursive call.
  class DepthGuard {
   public:
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    bool exceeded() const { return *depth_ > kMaxDepth; }

   private:
    int* depth_;
  };

  const Token& Peek(size_t ahead = 0) const {
    size_t index = pos_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  bool IsKeyword(std::string_view keyword, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kIdentifier && EqualsIgnoreCase(token.text, keyword);
  }
  bool IsSymbol(std::string_view symbol, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kSymbol && token.text == symbol;
  }
  bool AcceptKeyword(std::string_view keyword) {
    if (!IsKeyword(keyword)) return false;
    ++pos_;
    return true;
  }
  bool AcceptSymbol(std::string_view symbol) {
    if (!IsSymbol(symbol)) return false;
    ++pos_;
    return true;
  }
  std::string_view Source(size_t first_token, size_t last_token) const {
    size_t begin = tokens_[first_token].begin;
    return sql_.substr(begin, tokens_[last_token].end - begin);
  }
  std::string Describe(const Token& token) const {
    if (token.kind == TokenKind::kEnd) return "end of filter";
    return "'" + std::string(sql_.substr(token.begin, token.end - token.begin)) + "'";
  }

  // Records the first error (at the current token) and returns null for the caller to pass up.
  ExpressionPtr Fail(std::string message);
  ExpressionPtr Unexpected() { return Fail("unexpected " + Describe(Peek())); }
  ExpressionPtr Expected(std::string_view what);
  bool ExpectKeyword(std::string_view keyword);
  bool ExpectSymbol(std::string_view symbol);

  // The index of the bracket closing the one at `open`, if any.
  std::optional<size_t> MatchingClose(size_t open) const;

  // The bracketed text starting at the current token, verbatim, or an error if unclosed.
  std::optional<std::string> TakeBracketed();

  // After a failure inside the brackets opening at `open`: whether the failure is text the
  // grammar does not model (a keyword such as FROM or ORDER BY, `*`, a lambda arrow) rather
  // than a plainly malformed list, so the bracketed text may be kept verbatim.
  bool CanKeepVerbatim(size_t open) const;
  bool StartsSubquery(size_t ahead) const;
  ExpressionPtr ParseOr();
  ExpressionPtr ParseAnd();
  ExpressionPtr ParseNot();
  ExpressionPtr ParseIs();
  std::optional<CompareOp> PeekCompareOp() const;
  ExpressionPtr ParseComparison();
  ExpressionPtr ParseRange();
  ExpressionPtr ParseInList(ExpressionPtr operand, bool negated);

  // Binary operators without a meaning for skipping, from loosest to tightest.
  ExpressionPtr ParseOtherOperators();

  // operand (op operand)* for ops of one precedence level, as one left-to-right OpaqueExpr.
  template <typename Next>
  ExpressionPtr ParseBinaryLevel(std::initializer_list<std::string_view> ops, const Next& next);
  ExpressionPtr ParseUnary();
  ExpressionPtr ParsePostfix();

  // The type after `::`: a name, optional (parameters), optional [] suffixes.
  std::optional<std::string> ParseShortType();
  ExpressionPtr ParsePrimary();

  // A primary that starts with a bare word: a keyword literal or construct, else a name.
  ExpressionPtr ParseWord();

  // A column path, or a function call when a '(' follows the name.
  ExpressionPtr ParseName();
  ExpressionPtr ParseCall(std::string name);
  ExpressionPtr ParseParenthesized();
  ExpressionPtr ParseCast();
  ExpressionPtr ParseCase();

  // INTERVAL 3 DAY, INTERVAL (n) HOURS, INTERVAL '3' DAY.
  ExpressionPtr ParseInterval();

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::optional<Error> error_;
};

}  // namespace sluice::delta::predicate_internal
