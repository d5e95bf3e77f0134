// Finding the datasets, Delta paths and file sources a query reads.
#include <optional>
#include <set>

#include "common/strings.h"
#include "sql/diagnostics.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

bool EndsFromList(const Token& token) {
  for (const char* word :
       {"WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "QUALIFY",
        "WINDOW", "SELECT", "CLUSTER", "DISTRIBUTE", "SORT", "OFFSET", "PIVOT", "UNPIVOT"}) {
    if (token.IsKeyword(word)) return true;
  }
  return false;
}

class ReferenceFinder {
 public:
  ReferenceFinder(std::string_view text, std::string_view file, const std::vector<Token>& tokens,
                  size_t begin, size_t end, size_t query_offset)
      : text_(text), file_(file), t_(tokens), begin_(begin), end_(end), base_(query_offset) {}

  Result<std::vector<Reference>> Find();
  // The reference at `*i`, if the tokens there are one; advances `*i` past it.
  Result<std::optional<Reference>> One(size_t* i);

 private:
  void CollectCteNames();
  // Reads a table item at i (after FROM, JOIN or a comma of a FROM list); advances i past
  // what it consumed when it is a reference.
  Status Item(size_t& i);
  // name, a.b.c or delta.`/path`; returns the index after it, or i when not a name.
  size_t NameChain(size_t i, std::vector<const Token*>& parts) const;
  Status ReadFilesCall(size_t& i, Reference& reference);
  Status Options(size_t& i, Reference& reference);
  Status CloudFilesCall(size_t& i, Reference& reference);
  size_t Matching(size_t open) const;  // index of the `)` closing the `(` at `open`
  Status Error(const Token& token, std::string_view message) const {
    return InvalidArgument(FormatDiagnostic(TokenLocation(text_, file_, token), message));
  }

  std::string_view text_;
  std::string_view file_;
  const std::vector<Token>& t_;
  size_t begin_, end_, base_;
  std::set<std::string> ctes_;
  std::vector<Reference> out_;
};

void ReferenceFinder::CollectCteNames() {
  for (size_t i = begin_; i + 2 < end_; ++i) {
    const bool after_with =
        t_[i].IsKeyword("WITH") || t_[i].IsKeyword("RECURSIVE") || t_[i].IsSymbol(",");
    if (!after_with || !t_[i + 1].IsName()) continue;
    size_t k = i + 2;
    if (t_[k].IsSymbol("(")) k = Matching(k) + 1;
    if (k + 1 < end_ && t_[k].IsKeyword("AS") && t_[k + 1].IsSymbol("(")) {
      ctes_.insert(ToLower(t_[i + 1].value));
    }
  }
}

size_t ReferenceFinder::Matching(size_t open) const { return MatchingParenthesis(t_, open, end_); }

size_t ReferenceFinder::NameChain(size_t i, std::vector<const Token*>& parts) const {
  if (i >= end_ || !t_[i].IsName()) return i;
  parts.push_back(&t_[i++]);
  while (i + 1 < end_ && t_[i].IsSymbol(".") && t_[i + 1].IsName()) {
    parts.push_back(&t_[i + 1]);
    i += 2;
  }
  return i;
}

Status ReferenceFinder::ReadFilesCall(size_t& i, Reference& reference) {
  // i is at read_files; i + 1 is `(`.
  const size_t close = Matching(i + 1);
  if (close >= end_) return Error(t_[i], "read_files(...) is not closed");
  reference.kind = ReferenceKind::kReadFiles;
  reference.location = TokenLocation(text_, file_, t_[i]);
  size_t k = i + 2;
  bool has_path = false;
  while (k < close) {
    const size_t item_start = k;
    int depth = 0;
    while (k < close && !(depth == 0 && t_[k].IsSymbol(","))) {
      if (t_[k].IsSymbol("(")) ++depth;
      if (t_[k].IsSymbol(")")) --depth;
      ++k;
    }
    const size_t item_end = k;
    // name => value, where the name may be dotted (cloudFiles.format) with or without
    // backticks.
    size_t arrow = item_start + 1;
    while (arrow + 1 < item_end && (t_[arrow].IsSymbol(".") || t_[arrow - 1].IsSymbol("."))) {
      ++arrow;
    }
    if (item_end - item_start >= 3 && arrow < item_end &&
        (t_[arrow].IsSymbol("=>") || t_[arrow].IsSymbol(":="))) {
      std::string name;
      for (size_t n = item_start; n < arrow; ++n) name += t_[n].IsSymbol(".") ? "." : t_[n].value;
      std::string value;
      for (size_t v = arrow + 1; v < item_end; ++v) {
        value += t_[v].kind == Token::Kind::kString ? t_[v].value : std::string(t_[v].raw);
      }
      reference.options[name] = value;
    } else if (!has_path && item_end - item_start == 1 &&
               t_[item_start].kind == Token::Kind::kString) {
      reference.name = t_[item_start].value;
      has_path = true;
    } else {
      return Error(t_[item_start],
                   "read_files takes a path string and then named options (name => value)");
    }
    if (k < close) ++k;  // the comma
  }
  if (!has_path) return Error(t_[i], "read_files needs a path as its first argument");
  i = close + 1;
  return Status::OK();
}

Status ReferenceFinder::CloudFilesCall(size_t& i, Reference& reference) {
  // cloud_files('path', 'format' [, map('key', 'value', ...)]); i is at cloud_files.
  const size_t close = Matching(i + 1);
  if (close >= end_) return Error(t_[i], "cloud_files(...) is not closed");
  reference.kind = ReferenceKind::kReadFiles;
  reference.cloud_files = true;
  reference.streaming = true;  // Auto Loader is a streaming source, STREAM or not
  reference.location = TokenLocation(text_, file_, t_[i]);
  size_t k = i + 2;
  auto string_at = [&](size_t at, const char* what) -> Result<std::string> {
    if (at >= close || t_[at].kind != Token::Kind::kString) {
      return Error(t_[at < close ? at : close], std::string("cloud_files expects ") + what);
    }
    return t_[at].value;
  };
  SLUICE_ASSIGN_OR_RETURN(reference.name, string_at(k, "a path string first"));
  ++k;
  if (k >= close || !t_[k].IsSymbol(","))
    return Error(t_[k], "cloud_files expects a format after the path");
  ++k;
  SLUICE_ASSIGN_OR_RETURN(reference.options["format"], string_at(k, "a format string second"));
  ++k;
  if (k < close) {
    if (!t_[k].IsSymbol(",") || k + 2 >= close || !EqualsIgnoreCase(t_[k + 1].value, "map") ||
        !t_[k + 2].IsSymbol("(")) {
      return Error(t_[k], "cloud_files expects map('option', 'value', ...) as its third argument");
    }
    const size_t map_close = Matching(k + 2);
    std::vector<std::string> items;
    for (size_t m = k + 3; m < map_close; ++m) {
      if (t_[m].IsSymbol(",")) continue;
      if (t_[m].kind != Token::Kind::kString) {
        return Error(t_[m], "cloud_files options are string literals: map('option', 'value', ...)");
      }
      items.push_back(t_[m].value);
    }
    if (items.size() % 2 != 0) {
      return Error(t_[k + 1], "map(...) needs an even number of strings (option, value pairs)");
    }
    for (size_t m = 0; m < items.size(); m += 2) reference.options[items[m]] = items[m + 1];
    k = map_close + 1;
  }
  if (k != close) return Error(t_[k < close ? k : i], "unexpected argument to cloud_files");
  i = close + 1;
  return Status::OK();
}

Status ReferenceFinder::Options(size_t& i, Reference& reference) {
  // WITH ( key [=] value, ... ) directly after a streaming source.
  if (!(i + 1 < end_ && t_[i].IsKeyword("WITH") && t_[i + 1].IsSymbol("("))) return Status::OK();
  const size_t close = Matching(i + 1);
  size_t k = i + 2;
  while (k < close) {
    std::string key;
    while (k < close && !t_[k].IsSymbol("=") && !t_[k].IsSymbol(",")) {
      key += t_[k].kind == Token::Kind::kString ? t_[k].value : t_[k].value;
      ++k;
    }
    std::string value = "true";
    if (k < close && t_[k].IsSymbol("=")) {
      ++k;
      value.clear();
      while (k < close && !t_[k].IsSymbol(",")) value += t_[k++].value;
    }
    if (key.empty()) return Error(t_[k < close ? k : i], "expected an option name");
    reference.options[key] = value;
    if (k < close) ++k;
  }
  i = close + 1;
  return Status::OK();
}

Status ReferenceFinder::Item(size_t& i) {
  if (t_[i].IsKeyword("LATERAL")) ++i;
  if (i >= end_) return Status::OK();
  Reference reference;
  const size_t start = i;
  size_t k = i;
  bool parenthesized = false;
  if (t_[k].IsKeyword("STREAM") && k + 1 < end_ &&
      (t_[k + 1].IsSymbol("(") || t_[k + 1].IsName())) {
    reference.streaming = true;
    ++k;
    if (t_[k].IsSymbol("(")) {
      parenthesized = true;
      ++k;
    }
  }
  std::vector<const Token*> parts;
  size_t after = NameChain(k, parts);
  if (parts.empty()) {
    if (reference.streaming)
      return Error(t_[k], "expected a table name or read_files(...) after STREAM");
    return Status::OK();
  }
  if (after < end_ && t_[after].IsSymbol("(")) {
    if (parts.size() == 1 && EqualsIgnoreCase(parts[0]->value, "read_files")) {
      SLUICE_RETURN_IF_ERROR(ReadFilesCall(k, reference));
      after = k;
    } else if (parts.size() == 1 && EqualsIgnoreCase(parts[0]->value, "cloud_files")) {
      SLUICE_RETURN_IF_ERROR(CloudFilesCall(k, reference));
      after = k;
    } else {
      if (reference.streaming)
        return Error(*parts[0], "STREAM reads a table or read_files(...), not a function");
      return Status::OK();  // another table function: not a reference
    }
  } else {
    reference.location = TokenLocation(text_, file_, *parts[0]);
    if (parts.size() == 2 && parts[0]->IsKeyword("delta") &&
        parts[1]->kind == Token::Kind::kQuotedIdentifier && parts[1]->raw[0] == '`') {
      reference.kind = ReferenceKind::kDeltaPath;
      reference.name = parts[1]->value;
    } else {
      reference.name = parts.back()->value;
      std::vector<std::string> qualifier;
      for (size_t p = 0; p + 1 < parts.size(); ++p) qualifier.push_back(parts[p]->value);
      reference.qualifier = Join(qualifier, ".");
      if (parts.size() == 1 && ctes_.count(ToLower(reference.name))) return Status::OK();
      reference.location = TokenLocation(text_, file_, *parts.back());
      if (parts.size() > 1) reference.location = TokenLocation(text_, file_, *parts[0]);
    }
  }
  if (parenthesized) {
    if (after >= end_ || !t_[after].IsSymbol(")")) {
      return Error(t_[after < end_ ? after : end_], "expected ')' to close STREAM(");
    }
    ++after;
  }
  if (reference.streaming) SLUICE_RETURN_IF_ERROR(Options(after, reference));
  const size_t end_offset =
      after < t_.size() ? t_[after - 1].offset + t_[after - 1].raw.size() : t_[start].offset;
  reference.begin = t_[start].offset - base_;
  reference.end = end_offset - base_;
  out_.push_back(std::move(reference));
  i = after;
  return Status::OK();
}

Result<std::vector<Reference>> ReferenceFinder::Find() {
  CollectCteNames();
  std::vector<bool> in_from{false};
  bool expect_item = false;
  size_t i = begin_;
  while (i < end_) {
    const Token& token = t_[i];
    const size_t depth = in_from.size() - 1;
    if (expect_item) {
      expect_item = false;
      if (!token.IsSymbol("(")) {
        const size_t before = i;
        SLUICE_RETURN_IF_ERROR(Item(i));
        if (i != before) continue;
      }
    }
    if (token.IsSymbol("(")) {
      in_from.push_back(false);
    } else if (token.IsSymbol(")")) {
      if (in_from.size() > 1) in_from.pop_back();
    } else if (token.IsKeyword("FROM") && !(i > 0 && t_[i - 1].IsKeyword("DISTINCT"))) {
      // (`x IS [NOT] DISTINCT FROM y` compares; it reads no table.)
      in_from[depth] = true;
      expect_item = true;
    } else if (token.IsKeyword("JOIN")) {
      expect_item = true;
    } else if (token.IsSymbol(",") && in_from[depth]) {
      expect_item = true;
    } else if (EndsFromList(token) || token.IsKeyword("ON") || token.IsKeyword("USING")) {
      if (!token.IsKeyword("ON") && !token.IsKeyword("USING")) in_from[depth] = false;
      // Commas inside an ON condition would not start tables, but ON conditions rarely
      // hold top-level commas; a following `, t` after a join condition does.
    }
    ++i;
  }
  return out_;
}

Result<std::optional<Reference>> ReferenceFinder::One(size_t* i) {
  size_t k = *i;
  SLUICE_RETURN_IF_ERROR(Item(k));
  if (out_.empty()) return std::optional<Reference>();
  *i = k;
  return std::optional<Reference>(std::move(out_.back()));
}

}  // namespace

SourceLocation TokenLocation(std::string_view text, std::string_view file, const Token& token) {
  return LocationAt(text, file, token.offset, token.line, token.column);
}

Result<std::vector<Reference>> FindReferences(std::string_view text, std::string_view file,
                                              const std::vector<Token>& tokens, size_t begin,
                                              size_t end, size_t query_offset) {
  ReferenceFinder finder(text, file, tokens, begin, end, query_offset);
  return finder.Find();
}

Result<std::optional<Reference>> ReadReference(std::string_view text, std::string_view file,
                                               const std::vector<Token>& tokens, size_t* i,
                                               size_t end, size_t query_offset) {
  ReferenceFinder finder(text, file, tokens, *i, end, query_offset);
  return finder.One(i);
}

}  // namespace sluice::sql::internal
