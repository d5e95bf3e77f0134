#include "sql/spark_compat.h"

#include <functional>
#include <map>

#include "common/strings.h"
#include "sql/lexer.h"

namespace sluice::sql {
namespace {

// Spark functions that are DuckDB functions under another name, same arguments.
const std::map<std::string, std::string>& Renames() {
  static const auto* renames = new std::map<std::string, std::string>{
      {"get_json_object", "json_extract_string"},
      {"nvl", "coalesce"},
      {"lcase", "lower"},
      {"ucase", "upper"},
      {"dayofmonth", "day"},
      {"dayofweek", "spark_dayofweek"},
      {"explode", "unnest"},
      {"array_contains", "list_contains"},
      {"size", "spark_size"},
      {"cardinality", "spark_size"},
      {"date_add", "spark_date_add"},
      {"date_sub", "spark_date_sub"},
      {"datediff", "spark_datediff"},
      {"sha2", "spark_sha2"},
      {"regexp_replace", "spark_regexp_replace"},
      {"collect_set", "spark_collect_set"},
      {"collect_list", "spark_collect_list"},
      {"nanvl", "spark_nanvl"},
      {"rlike", "regexp_matches"},
      {"regexp_like", "regexp_matches"},
      {"struct", "struct_pack_positional"},
  };
  return *renames;
}

bool IsLiteralString(const std::vector<Token>& tokens, size_t begin, size_t end) {
  return end == begin + 1 && tokens[begin].kind == Token::Kind::kString;
}

class Translator {
 public:
  Translator(std::string_view text, std::vector<Token> tokens)
      : text_(text), t_(std::move(tokens)) {}

  Result<std::string> Run() { return Range(0, t_.size() - 1, /*leading_gap=*/true); }

 private:
  size_t Matching(size_t open) const { return MatchingParenthesis(t_, open, t_.size() - 1); }
  // The source between token i-1 and token i (spaces, comments).
  std::string_view Gap(size_t i) const {
    const size_t start = i == 0 ? 0 : t_[i - 1].offset + t_[i - 1].raw.size();
    return text_.substr(start, t_[i].offset - start);
  }
  std::vector<std::pair<size_t, size_t>> Arguments(size_t open, size_t close) const {
    std::vector<std::pair<size_t, size_t>> args;
    size_t start = open + 1;
    int depth = 0;
    for (size_t i = open + 1; i < close; ++i) {
      if (t_[i].IsSymbol("(")) ++depth;
      if (t_[i].IsSymbol(")")) --depth;
      if (depth == 0 && t_[i].IsSymbol(",")) {
        args.emplace_back(start, i);
        start = i + 1;
      }
    }
    if (start < close) args.emplace_back(start, close);
    return args;
  }
  Result<std::string> Arg(const std::pair<size_t, size_t>& arg) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, Range(arg.first, arg.second, false));
    return Trim(text);
  }
  Result<std::vector<std::string>> Args(size_t open, size_t close) {
    std::vector<std::string> out;
    for (const auto& arg : Arguments(open, close)) {
      SLUICE_ASSIGN_OR_RETURN(std::string text, Arg(arg));
      out.push_back(std::move(text));
    }
    return out;
  }
  Result<std::string> Range(size_t from, size_t to, bool leading_gap);
  // A call of a function needing more than a rename; nullopt when not special.
  Result<std::optional<std::string>> Special(const std::string& name, size_t open, size_t close);
  // The translated operand ending just before token `end` (for infix RLIKE).
  size_t OperandStart(size_t end) const;

  std::string_view text_;
  std::vector<Token> t_;
};

size_t Translator::OperandStart(size_t end) const {
  if (end == 0) return 0;
  size_t i = end - 1;
  if (t_[i].IsSymbol(")")) {
    int depth = 0;
    while (true) {
      if (t_[i].IsSymbol(")")) ++depth;
      if (t_[i].IsSymbol("(") && --depth == 0) break;
      if (i == 0) return 0;
      --i;
    }
    if (i > 0 && t_[i - 1].IsName()) --i;
  }
  while (i >= 2 && t_[i - 1].IsSymbol(".") && t_[i - 2].IsName()) i -= 2;
  return i;
}

Result<std::optional<std::string>> Translator::Special(const std::string& name, size_t open,
                                                       size_t close) {
  const auto raw_args = Arguments(open, close);
  auto literal_pattern = [&](size_t index) -> Result<std::optional<std::string>> {
    if (raw_args.size() <= index) return std::optional<std::string>();
    const auto& arg = raw_args[index];
    if (!IsLiteralString(t_, arg.first, arg.second)) {
      return InvalidArgument(name + ": the format must be a string literal");
    }
    SLUICE_ASSIGN_OR_RETURN(std::string format, SparkPatternToStrftime(t_[arg.first].value));
    return std::optional<std::string>(QuoteLiteral(format));
  };
  if (name == "to_timestamp" || name == "to_date" || name == "unix_timestamp" ||
      name == "to_unix_timestamp" || name == "date_format" || name == "from_unixtime") {
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> args, Args(open, close));
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> format, literal_pattern(1));
    if (name == "date_format") {
      if (args.size() != 2 || !format)
        return InvalidArgument("date_format(ts, 'pattern') needs a pattern");
      return std::optional<std::string>("strftime(CAST(" + args[0] + " AS TIMESTAMP), " + *format +
                                        ")");
    }
    if (name == "from_unixtime") {
      if (args.empty()) return InvalidArgument("from_unixtime needs a number of seconds");
      const std::string f = format.value_or("'%Y-%m-%d %H:%M:%S'");
      return std::optional<std::string>("strftime(make_timestamp(CAST(" + args[0] +
                                        " AS BIGINT) * 1000000), " + f + ")");
    }
    if ((name == "unix_timestamp" || name == "to_unix_timestamp") && args.empty()) {
      return std::optional<std::string>("CAST(epoch(current_timestamp) AS BIGINT)");
    }
    if (args.empty()) return InvalidArgument(name + " needs an argument");
    std::string timestamp = format
                                ? "try_strptime(CAST(" + args[0] + " AS VARCHAR), " + *format + ")"
                                : "spark_to_timestamp(" + args[0] + ")";
    if (name == "to_date") {
      return std::optional<std::string>(format ? "CAST(" + timestamp + " AS DATE)"
                                               : "spark_to_date(" + args[0] + ")");
    }
    if (name == "to_timestamp")
      return std::optional<std::string>("CAST(" + timestamp + " AS TIMESTAMP)");
    return std::optional<std::string>("CAST(epoch(" + timestamp + ") AS BIGINT)");
  }
  if (name == "current_timestamp" || name == "now") {
    return std::optional<std::string>("CAST(current_timestamp AS TIMESTAMP)");
  }
  if (name == "current_date") return std::optional<std::string>("current_date");
  if (name == "window") {
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> args, Args(open, close));
    if (args.size() == 3 && args[1] != args[2]) {
      return NotSupported(
          "window(ts, duration, slide): sliding windows are not supported; use a tumbling "
          "window(ts, duration)");
    }
    if (args.size() < 2 || !IsLiteralString(t_, raw_args[1].first, raw_args[1].second)) {
      return InvalidArgument("window(ts, 'duration') needs a duration string such as '5 minutes'");
    }
    const std::string width = "INTERVAL " + QuoteLiteral(t_[raw_args[1].first].value);
    const std::string start = "time_bucket(" + width + ", CAST(" + args[0] +
                              " AS TIMESTAMP), TIMESTAMP '1970-01-01 00:00:00')";
    return std::optional<std::string>("struct_pack(\"start\" := " + start +
                                      ", \"end\" := " + start + " + " + width + ")");
  }
  if (name == "named_struct") {
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> args, Args(open, close));
    if (args.size() % 2 != 0) return InvalidArgument("named_struct needs name, value pairs");
    std::vector<std::string> fields;
    for (size_t k = 0; k < args.size(); k += 2) {
      if (!IsLiteralString(t_, raw_args[k].first, raw_args[k].second)) {
        return InvalidArgument("named_struct: field names must be string literals");
      }
      fields.push_back(QuoteIdentifier(t_[raw_args[k].first].value) + " := " + args[k + 1]);
    }
    return std::optional<std::string>("struct_pack(" + Join(fields, ", ") + ")");
  }
  if (name == "struct") {
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> args, Args(open, close));
    std::vector<std::string> fields;
    for (size_t k = 0; k < args.size(); ++k) {
      const auto& arg = raw_args[k];
      // Spark names a field after a plain column, else col1, col2, ...
      std::string field = "col" + std::to_string(k + 1);
      if (arg.second == arg.first + 1 && t_[arg.first].IsName()) field = t_[arg.first].value;
      fields.push_back(QuoteIdentifier(field) + " := " + args[k]);
    }
    return std::optional<std::string>("struct_pack(" + Join(fields, ", ") + ")");
  }
  return std::optional<std::string>();
}

Result<std::string> Translator::Range(size_t from, size_t to, bool leading_gap) {
  std::string out;
  size_t i = from;
  while (i < to) {
    const Token& token = t_[i];
    if (leading_gap || i > from) out += Gap(i);
    // CAST(x AS type): Spark type names.
    if (token.IsKeyword("CAST") || token.IsKeyword("TRY_CAST")) {
      if (i + 1 < to && t_[i + 1].IsSymbol("(")) {
        const size_t close = Matching(i + 1);
        size_t as = close;
        int depth = 0;
        for (size_t k = i + 2; k < close; ++k) {
          if (t_[k].IsSymbol("(")) ++depth;
          if (t_[k].IsSymbol(")")) --depth;
          if (depth == 0 && t_[k].IsKeyword("AS")) as = k;
        }
        if (as < close) {
          SLUICE_ASSIGN_OR_RETURN(std::string value, Range(i + 2, as, false));
          const size_t type_begin = t_[as + 1].offset;
          const size_t type_end = t_[close].offset;
          SLUICE_ASSIGN_OR_RETURN(std::string type, TranslateSparkType(text_.substr(
                                                        type_begin, type_end - type_begin)));
          // Spark casts return NULL for bad input (ANSI mode off): TRY_CAST.
          out += "TRY_CAST(" + Trim(value) + " AS " + type + ")";
          i = close + 1;
          continue;
        }
      }
    }
    // SELECT * EXCEPT (a, b): DuckDB spells it EXCLUDE (EXCEPT after * is never the set
    // operation, which follows a query).
    if (token.IsKeyword("EXCEPT") && i > from && t_[i - 1].IsSymbol("*") && i + 1 < to &&
        t_[i + 1].IsSymbol("(")) {
      out += "EXCLUDE";
      ++i;
      continue;
    }
    // x [NOT] RLIKE p, x REGEXP p
    if ((token.IsKeyword("RLIKE") || token.IsKeyword("REGEXP")) && i > from) {
      // Replace the already written left operand.
      size_t end_left = i;
      bool negated = false;
      if (t_[i - 1].IsKeyword("NOT")) {
        negated = true;
        end_left = i - 1;
      }
      const size_t start = std::max(OperandStart(end_left), from);
      SLUICE_ASSIGN_OR_RETURN(std::string left, Range(start, end_left, false));
      // Remove what was written for [start, i).
      SLUICE_ASSIGN_OR_RETURN(std::string written, Range(start, i, false));
      std::string gap_before(Gap(i));
      const size_t cut = written.size() + gap_before.size();
      if (out.size() >= cut) out.resize(out.size() - cut);
      // Right operand: one primary.
      size_t right_end = i + 2;
      if (i + 1 < to && t_[i + 1].IsSymbol("("))
        right_end = Matching(i + 1) + 1;
      else if (i + 2 < to && t_[i + 1].IsName() && t_[i + 2].IsSymbol("("))
        right_end = Matching(i + 2) + 1;
      else {
        while (right_end + 1 < to && t_[right_end].IsSymbol(".") && t_[right_end + 1].IsName())
          right_end += 2;
      }
      SLUICE_ASSIGN_OR_RETURN(std::string right, Range(i + 1, right_end, false));
      out += std::string(negated ? "NOT " : "") + "regexp_matches(" + Trim(left) + ", " +
             Trim(right) + ")";
      i = right_end;
      continue;
    }
    // Databricks JSON paths: col:a.b[0]
    if (token.IsName() && i + 2 < to && t_[i + 1].IsSymbol(":") && t_[i + 2].IsName() &&
        t_[i + 1].offset == token.offset + token.raw.size()) {
      std::string path = "$." + t_[i + 2].value;
      size_t k = i + 3;
      while (k < to) {
        if (t_[k].IsSymbol(".") && k + 1 < to && t_[k + 1].IsName()) {
          path += "." + t_[k + 1].value;
          k += 2;
        } else if (t_[k].IsSymbol("[") && k + 2 < to && t_[k + 2].IsSymbol("]")) {
          path += "[" + t_[k + 1].value + "]";
          k += 3;
        } else {
          break;
        }
      }
      out += "json_extract_string(" + std::string(token.raw) + ", " + QuoteLiteral(path) + ")";
      i = k;
      continue;
    }
    if (token.kind == Token::Kind::kIdentifier && i + 1 < to && t_[i + 1].IsSymbol("(")) {
      const std::string name = ToLower(token.raw);
      const size_t close = Matching(i + 1);
      SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> special, Special(name, i + 1, close));
      if (special) {
        out += *special;
        i = close + 1;
        continue;
      }
      auto rename = Renames().find(name);
      if (rename != Renames().end() && name != "struct") {
        out += rename->second;
        ++i;
        continue;
      }
    }
    // Spark string literals take backslash escapes; DuckDB's do not: re-quote the value.
    // In Spark SQL "text" is a string literal too, and identifiers take backquotes.
    if (token.kind == Token::Kind::kQuotedIdentifier && !token.raw.empty() &&
        token.raw.front() == '`') {
      out += QuoteIdentifier(token.value);
      ++i;
      continue;
    }
    if (token.kind == Token::Kind::kString || (token.kind == Token::Kind::kQuotedIdentifier &&
                                               !token.raw.empty() && token.raw.front() == '"')) {
      out += QuoteLiteral(token.value);
      ++i;
      continue;
    }
    out += token.raw;
    ++i;
  }
  return out;
}

}  // namespace

Result<std::string> TranslateSparkSql(std::string_view query) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(query, "<query>"));
  Translator translator(query, std::move(tokens));
  SLUICE_ASSIGN_OR_RETURN(std::string out, translator.Run());
  return out;
}

Result<std::string> TranslateSparkType(std::string_view type) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(type, "<type>"));
  // Recursive descent over: name [ (args) ] | ARRAY<t> | MAP<k, v> | STRUCT<name[:] t, ...>
  size_t i = 0;
  std::function<Result<std::string>()> parse = [&]() -> Result<std::string> {
    if (!tokens[i].IsName()) return InvalidArgument("unknown type: " + std::string(type));
    const std::string name = ToUpper(tokens[i].value);
    ++i;
    if (tokens[i].IsSymbol("<")) {
      ++i;
      if (name == "ARRAY") {
        SLUICE_ASSIGN_OR_RETURN(std::string element, parse());
        if (!tokens[i].IsSymbol(">"))
          return InvalidArgument("unclosed ARRAY<: " + std::string(type));
        ++i;
        return element + "[]";
      }
      if (name == "MAP") {
        SLUICE_ASSIGN_OR_RETURN(std::string key, parse());
        if (!tokens[i].IsSymbol(","))
          return InvalidArgument("MAP<key, value> expected: " + std::string(type));
        ++i;
        SLUICE_ASSIGN_OR_RETURN(std::string value, parse());
        if (!tokens[i].IsSymbol(">")) return InvalidArgument("unclosed MAP<: " + std::string(type));
        ++i;
        return "MAP(" + key + ", " + value + ")";
      }
      if (name == "STRUCT") {
        std::vector<std::string> fields;
        while (!tokens[i].IsSymbol(">")) {
          if (!tokens[i].IsName())
            return InvalidArgument("STRUCT field name expected: " + std::string(type));
          std::string field = QuoteIdentifier(tokens[i].value);
          ++i;
          if (tokens[i].IsSymbol(":")) ++i;
          SLUICE_ASSIGN_OR_RETURN(std::string field_type, parse());
          if (tokens[i].IsKeyword("NOT")) i += 2;
          if (tokens[i].IsKeyword("COMMENT")) i += 2;
          fields.push_back(field + " " + field_type);
          if (tokens[i].IsSymbol(","))
            ++i;
          else if (!tokens[i].IsSymbol(">"))
            return InvalidArgument("bad STRUCT: " + std::string(type));
        }
        ++i;
        return "STRUCT(" + Join(fields, ", ") + ")";
      }
      return InvalidArgument("unknown type: " + std::string(type));
    }
    std::string args;
    if (tokens[i].IsSymbol("(")) {
      size_t k = i;
      while (k < tokens.size() && !tokens[k].IsSymbol(")")) ++k;
      for (size_t a = i; a <= k && a < tokens.size(); ++a) args += tokens[a].raw;
      i = k + 1;
    }
    static const std::map<std::string, std::string> kNames = {
        {"LONG", "BIGINT"},
        {"STRING", "VARCHAR"},
        {"BYTE", "TINYINT"},
        {"SHORT", "SMALLINT"},
        {"BINARY", "BLOB"},
        {"INT", "INTEGER"},
        {"FLOAT", "FLOAT"},
        {"REAL", "FLOAT"},
        {"TIMESTAMP_NTZ", "TIMESTAMP"},
        {"TIMESTAMP_LTZ", "TIMESTAMP WITH TIME ZONE"},
        {"DEC", "DECIMAL"},
        {"NUMERIC", "DECIMAL"},
        {"VOID", "VARCHAR"},
    };
    auto it = kNames.find(name);
    if (name == "VARCHAR" || name == "CHAR") return std::string("VARCHAR");
    return (it == kNames.end() ? name : it->second) + args;
  };
  SLUICE_ASSIGN_OR_RETURN(std::string out, parse());
  if (tokens[i].kind != Token::Kind::kEnd)
    return InvalidArgument("unknown type: " + std::string(type));
  return out;
}

Result<std::string> SparkPatternToStrftime(std::string_view pattern) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\'') {
      const size_t close = pattern.find('\'', i + 1);
      if (close == std::string_view::npos)
        return InvalidArgument("unclosed quote in pattern '" + std::string(pattern) + "'");
      if (close == i + 1) out += '\'';
      for (char literal : pattern.substr(i + 1, close - i - 1))
        out += literal == '%' ? "%%" : std::string(1, literal);
      i = close + 1;
      continue;
    }
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    const bool letter = std::isalpha(static_cast<unsigned char>(c));
    if (!letter) {
      for (size_t k = 0; k < n; ++k) out += c == '%' ? "%%" : std::string(1, c);
      i += n;
      continue;
    }
    std::string piece;
    switch (c) {
      case 'y':
      case 'u':
        piece = n == 2 ? "%y" : "%Y";
        break;
      case 'M':
      case 'L':
        piece = n >= 4 ? "%B" : n == 3 ? "%b" : "%m";
        break;
      case 'd':
        piece = "%d";
        break;
      case 'D':
        piece = "%j";
        break;
      case 'H':
        piece = "%H";
        break;
      case 'h':
        piece = "%I";
        break;
      case 'm':
        piece = "%M";
        break;
      case 's':
        piece = "%S";
        break;
      case 'S':
        piece = n <= 3 ? "%g" : n <= 6 ? "%f" : "%n";
        break;
      case 'a':
        piece = "%p";
        break;
      case 'E':
        piece = n >= 4 ? "%A" : "%a";
        break;
      case 'X':
      case 'Z':
      case 'x':
        piece = "%z";
        break;
      case 'z':
        piece = "%Z";
        break;
      default:
        return InvalidArgument("unsupported letter '" + std::string(1, c) +
                               "' in datetime pattern '" + std::string(pattern) + "'");
    }
    out += piece;
    i += n;
  }
  return out;
}

const std::vector<std::string>& SparkCompatDefinitions() {
  static const auto* definitions = new std::vector<std::string>{
      "CREATE OR REPLACE MACRO spark_to_timestamp(s) AS TRY_CAST(s AS TIMESTAMP)",
      "CREATE OR REPLACE MACRO spark_to_date(s) AS TRY_CAST(s AS DATE)",
      "CREATE OR REPLACE MACRO spark_date_add(d, n) AS "
      "CAST(TRY_CAST(d AS DATE) + CAST(n AS INTEGER) AS DATE)",
      "CREATE OR REPLACE MACRO spark_date_sub(d, n) AS "
      "CAST(TRY_CAST(d AS DATE) - CAST(n AS INTEGER) AS DATE)",
      "CREATE OR REPLACE MACRO spark_datediff(end_date, start_date) AS "
      "CAST(TRY_CAST(end_date AS DATE) - TRY_CAST(start_date AS DATE) AS INTEGER)",
      "CREATE OR REPLACE MACRO spark_sha2(s, bits) AS CASE WHEN bits IN (0, 256) THEN "
      "sha256(CAST(s AS VARCHAR)) ELSE error('sha2: only 256-bit SHA-2 is supported') END",
      // Spark's optional fourth argument is the 1-based position where matching starts.
      "CREATE OR REPLACE MACRO spark_regexp_replace"
      "(s, p, r) AS regexp_replace(s, p, regexp_replace(r, '\\$(\\d)', '\\\\\\1', 'g'), 'g'), "
      "(s, p, r, pos) AS substr(s, 1, pos - 1) || "
      "regexp_replace(substr(s, pos), p, regexp_replace(r, '\\$(\\d)', '\\\\\\1', 'g'), 'g')",
      "CREATE OR REPLACE MACRO spark_collect_set(x) AS list_distinct(list(x))",
      "CREATE OR REPLACE MACRO spark_collect_list(x) AS list_filter(list(x), v -> v IS NOT "
      "NULL)",
      "CREATE OR REPLACE MACRO spark_size(x) AS coalesce(len(x), -1)",
      "CREATE OR REPLACE MACRO spark_nanvl(a, b) AS CASE WHEN isnan(a) THEN b ELSE a END",
      "CREATE OR REPLACE MACRO spark_dayofweek(d) AS dayofweek(d) + 1",
  };
  return *definitions;
}

}  // namespace sluice::sql
