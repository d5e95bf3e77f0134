// Regular expression functions: rlike / regexp / regexp_like, regexp_count,
// regexp_extract, regexp_extract_all, regexp_instr, regexp_replace, regexp_substr, split.
// Patterns are Java's (java_regex.h translates them to RE2); a literal pattern is
// translated, checked and refused here, any other when the query runs.
#include "common/strings.h"
#include "spark/functions.h"
#include "spark/java_regex.h"
#include "spark/regexp_sql.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "regexp_funcs";

DataType StringType() { return DataType::Of(TypeId::kString); }
DataType IntType() { return DataType::Of(TypeId::kInt); }

constexpr const char* kGuardMessage =
    "[UNSUPPORTED] sluice matches Java regular expressions with RE2, which reads this value "
    "differently: a line terminator at its end or \\r, U+0085, U+2028, U+2029 with ^ or $, a "
    "non-ASCII letter or digit with \\b or \\B, or a character outside the BMP with a pattern "
    "that matches the empty string";

// A pattern argument: a literal (translated now) or an expression (translated per row).
struct Pattern {
  bool literal = false;
  bool null = false;
  JavaRegex regex;   // when literal
  std::string re2;   // SQL of the RE2 pattern
  std::string info;  // SQL of spark_java_regex_info, when not literal
  std::string java;  // SQL of the Java pattern
};

Result<Pattern> PatternOf(Translator& translator, const Typed& arg, const Span& span,
                          const std::string& function) {
  Pattern out;
  out.java = arg.sql;
  if (arg.IsNullLiteral()) {
    out.null = out.literal = true;
    return out;
  }
  if (auto text = arg.StringValue()) {
    auto regex = TranslateJavaRegex(*text);
    if (!regex.ok()) {
      if (regex.status().code() == StatusCode::kNotSupported) {
        return translator.UnsupportedAt(span, regex.status().message());
      }
      return translator.ErrorAt(span, function + ": " + std::string(regex.status().message()));
    }
    out.literal = true;
    out.regex = std::move(*regex);
    out.re2 = QuoteLiteral(out.regex.re2);
    return out;
  }
  out.re2 = "spark_java_regex(" + arg.sql + ")";
  out.info = "spark_java_regex_info(" + arg.sql + ")";
  return out;
}

Result<Pattern> PatternOf(Call& call, size_t i) {
  return PatternOf(call.translator, call.args[i], call.raw[i]->span, call.name);
}

std::string SupplementaryCondition(const std::string& s) {
  return "regexp_matches(" + s + ", '[\\x{10000}-\\x{10FFFF}]')";
}

// `sql` with the pattern's run-time guards on the subject: an error for a value RE2 would
// match differently. `empty_advance` adds the guard of functions that step over empty
// matches (Java steps by UTF-16 units, RE2 by code points).
std::string Guarded(const Pattern& p, const std::string& s, const std::string& sql,
                    bool empty_advance = false) {
  std::string condition;
  if (p.literal) {
    condition = JavaRegexGuardSql(p.regex.guards, s);
    if (empty_advance && p.regex.nullable) {
      const std::string supplementary = SupplementaryCondition(s);
      condition =
          condition.empty() ? supplementary : "(" + condition + " OR " + supplementary + ")";
    }
  } else {
    condition = JavaRegexDynamicGuardSql(p.info, s);
    if (empty_advance) {
      condition = "(" + condition + " OR ((" + p.info + ") & 256 <> 0 AND " +
                  SupplementaryCondition(s) + "))";
    }
  }
  if (condition.empty()) return sql;
  return "CASE WHEN " + condition + " THEN error('" + kGuardMessage + "') ELSE " + sql + " END";
}

// The group count check of regexp_extract(_all): Spark fails when idx is out of range,
// but only on a value the pattern matches.
std::string GroupIndexError(const Call& call, const std::string& groups, const std::string& idx) {
  return "error('[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` "
         "in `" +
         call.name + "` is invalid: Expects group index between 0 and ' || " + groups +
         " || ', but got ' || " + idx + " || '.')";
}

Typed Named(Typed out, const Call& call, bool upper) {
  if (upper) {
    std::vector<std::string> names;
    for (const Typed& arg : call.args) names.push_back(arg.name);
    out.name = ToUpper(call.name) + "(" + Join(names, ", ") + ")";
  }
  return out;
}

Result<Typed> RLikeFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  const DataType boolean = DataType::Of(TypeId::kBoolean);
  if (p.null) return Named(call.Result("CAST(NULL AS BOOLEAN)", boolean), call, true);
  const std::string& s = call.args[0].sql;
  return Named(call.Result(Guarded(p, s, "regexp_matches(" + s + ", " + p.re2 + ")"), boolean),
               call, true);
}

// DuckDB's regexp_extract_all reports an empty match twice when it is found past where the
// search started; with a pattern that can match the empty string the matches are read
// through (?s:(.*?))(pattern), whose doubled entries can be recognized and dropped.
std::string PiecesPattern(const Pattern& p, bool capture) {
  const char* open = capture ? "(" : "(?:";
  if (p.literal) return QuoteLiteral("(?s:(.*?))" + std::string(open) + p.regex.re2 + ")");
  return "'(?s:(.*?))" + std::string(open) + "' || " + p.re2 + " || ')'";
}

Result<Typed> CountFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  if (p.null) return call.Result("CAST(NULL AS INTEGER)", IntType());
  const std::string& s = call.args[0].sql;
  const std::string plain = "len(regexp_extract_all(" + s + ", " + p.re2 + ", 0))";
  const std::string pieces =
      "spark_regexp_count_nullable(" + s + ", " + PiecesPattern(p, true) + ")";
  std::string count = plain;
  if (!p.literal) {
    count = "CASE WHEN (" + p.info + ") & 256 <> 0 THEN " + pieces + " ELSE " + plain + " END";
  } else if (p.regex.nullable) {
    count = pieces;
  }
  return call.Result(Guarded(p, s, "CAST(" + count + " AS INTEGER)", true), IntType());
}

// regexp_extract and regexp_extract_all: `all` picks the list form.
Result<Typed> ExtractFn(Call& call, bool all) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), Int()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  const DataType type = all ? DataType::Array(StringType()) : StringType();
  const std::string null_sql = all ? "CAST(NULL AS VARCHAR[])" : "CAST(NULL AS VARCHAR)";
  if (call.args.size() == 2) {
    call.args.push_back(LiteralTyped(Literal{DataType::Of(TypeId::kInt), "1"}));
  }
  if (p.null || call.args[2].IsNullLiteral()) return call.Result(null_sql, type);
  const std::string& s = call.args[0].sql;
  const std::string function = all ? "regexp_extract_all(" : "regexp_extract(";
  const std::string no_match = all ? "CAST([] AS VARCHAR[])" : "''";
  auto out_of_range = [&](const std::string& groups, const std::string& idx) {
    return "CASE WHEN " + s + " IS NULL THEN NULL WHEN regexp_matches(" + s + ", " + p.re2 +
           ") THEN " + GroupIndexError(call, groups, idx) + " ELSE " + no_match + " END";
  };
  auto idx = call.args[2].IntValue();
  if (p.literal && p.regex.capture_in_empty_loop && (!idx || *idx > 0)) {
    return call.translator.UnsupportedAt(
        call.raw[1]->span, call.name +
                               " of a group inside a repetition that can match the empty "
                               "string (Java's last, empty pass sets the group)");
  }
  // The list of group g's texts, one per match (a pattern matching the empty string goes
  // through PiecesPattern, where group g is g + 2).
  auto list_of = [&](const std::string& g) {
    if (!all) return function + s + ", " + p.re2 + ", " + g + ")";
    const std::string direct = function + s + ", " + p.re2 + ", " + g + ")";
    const std::string pieces = "spark_regexp_extract_all_nullable(" + s + ", " +
                               PiecesPattern(p, true) + ", " + g + " + 2)";
    if (!p.literal) {
      return "CASE WHEN (" + p.info + ") & 256 <> 0 THEN " + pieces + " ELSE " + direct + " END";
    }
    return p.regex.nullable ? pieces : direct;
  };
  std::string sql;
  if (p.literal && idx) {
    if (*idx < 0 || *idx > p.regex.groups) {
      sql = out_of_range(std::to_string(p.regex.groups), std::to_string(*idx));
    } else {
      sql = list_of(std::to_string(*idx));
    }
  } else if (p.literal) {
    const std::string& i = call.args[2].sql;
    sql = "CASE";
    for (int g = 0; g <= p.regex.groups; ++g) {
      sql += " WHEN " + i + " = " + std::to_string(g) + " THEN " + list_of(std::to_string(g));
    }
    sql += " WHEN " + i + " IS NOT NULL THEN " +
           out_of_range(std::to_string(p.regex.groups), "CAST(" + i + " AS VARCHAR)") + " END";
  } else if (idx) {
    const std::string groups = "((" + p.info + ") >> 16)";
    sql = "CASE WHEN " + std::to_string(*idx) + " < 0 OR " + std::to_string(*idx) + " > " + groups +
          " THEN " + out_of_range("CAST(" + groups + " AS VARCHAR)", std::to_string(*idx)) +
          (*idx > 0 ? " WHEN (" + p.info + ") & 1024 <> 0 THEN error('" + call.name +
                          " of a group inside a repetition that can match the empty string is "
                          "not supported')"
                    : std::string()) +
          " ELSE " + list_of(std::to_string(*idx)) + " END";
  } else {
    return call.translator.UnsupportedAt(
        call.node.span, call.name + " with a pattern and a group index that are both not literals");
  }
  return call.Result(Guarded(p, s, sql, all), type);
}

Result<Typed> SubstrFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  if (p.null) return call.Result("CAST(NULL AS VARCHAR)", StringType());
  const std::string& s = call.args[0].sql;
  return call.Result(Guarded(p, s, "nullif(regexp_extract(" + s + ", " + p.re2 + ", 0), '')"),
                     StringType());
}

// regexp_instr: the 1-based position (in UTF-16 units, as Java counts) of the first match;
// 0 when there is none. The index argument is accepted and, as in Spark, not used.
Result<Typed> InstrFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), Int()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  if (p.null || (call.args.size() == 3 && call.args[2].IsNullLiteral())) {
    return call.Result("CAST(NULL AS INTEGER)", IntType());
  }
  const std::string& s = call.args[0].sql;
  const std::string prefix_pattern = p.literal ? QuoteLiteral("(?s:(.*?))(?:" + p.regex.re2 + ")")
                                               : "'(?s:(.*?))(?:' || " + p.re2 + " || ')'";
  std::string sql = "CASE WHEN regexp_matches(" + s + ", " + p.re2 +
                    ") THEN CAST(spark_utf16_length(regexp_extract(" + s + ", " + prefix_pattern +
                    ", 1)) + 1 AS INTEGER) WHEN " + s + " IS NOT NULL THEN 0 END";
  if (call.args.size() == 3) {
    sql = "CASE WHEN " + call.args[2].sql + " IS NULL THEN NULL ELSE " + sql + " END";
  }
  return call.Result(Guarded(p, s, sql), IntType());
}

Result<Typed> ReplaceFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), String(), Int()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  int64_t position = 1;
  if (call.args.size() == 4) {
    if (call.args[3].IsNullLiteral()) return call.Result("CAST(NULL AS VARCHAR)", StringType());
    SLUICE_ASSIGN_OR_RETURN(position, LiteralInt(call, 3, "the position"));
    if (position <= 0) {
      return call.ArgError(3, "the position of regexp_replace must be in (0, 2147483647], not " +
                                  std::to_string(position));
    }
  }
  if (p.null || call.args[2].IsNullLiteral()) {
    return call.Result("CAST(NULL AS VARCHAR)", StringType());
  }
  const std::string& s = call.args[0].sql;
  const Typed& rep = call.args[2];
  auto rep_text = rep.StringValue();
  // RE2 skips an empty match right after a non-empty one; Java replaces it.
  const std::string differs =
      "regexp_replace with a pattern that matches both empty and "
      "non-empty text and a non-empty replacement";
  std::string rewrite;
  std::string invalid;  // Java's error for the replacement, raised on a match
  if (p.literal && rep_text) {
    if (p.regex.nullable && p.regex.consumes && !rep_text->empty()) {
      return call.translator.UnsupportedAt(call.node.span, differs);
    }
    if (p.regex.capture_in_empty_loop && rep_text->find('$') != std::string::npos) {
      return call.translator.UnsupportedAt(
          call.raw[2]->span,
          "regexp_replace referring to a group inside a repetition that can "
          "match the empty string (Java's last, empty pass sets the group)");
    }
    auto translated = TranslateJavaReplacement(*rep_text, p.regex);
    if (translated.ok()) {
      rewrite = QuoteLiteral(*translated);
    } else if (translated.status().code() == StatusCode::kNotSupported) {
      return call.translator.UnsupportedAt(call.raw[2]->span, translated.status().message());
    } else {
      invalid = std::string(translated.status().message());
    }
  } else {
    if (p.literal && ((p.regex.nullable && p.regex.consumes) || p.regex.capture_in_empty_loop)) {
      return call.translator.UnsupportedAt(call.node.span, differs);
    }
    rewrite = "spark_java_replacement(" + rep.sql + ", " + p.java + ")";
  }
  auto replace = [&](const std::string& subject) {
    std::string body = invalid.empty()
                           ? "regexp_replace(" + subject + ", " + p.re2 + ", " + rewrite + ", 'g')"
                           : "error(" + QuoteLiteral(invalid) + ")";
    std::string sql = "CASE WHEN regexp_matches(" + subject + ", " + p.re2 + ") THEN " + body +
                      " ELSE " + subject + " END";
    if (!p.literal) {
      sql = "CASE WHEN ((" + p.info + ") & 768 = 768 AND " + rep.sql + " <> '') OR ((" + p.info +
            ") & 1024 <> 0 AND contains(" + rep.sql + ", '$')) THEN error('" + differs +
            " (or a group inside a repetition that can match the empty string) is not "
            "supported') ELSE " +
            sql + " END";
    }
    return "CASE WHEN " + rep.sql + " IS NULL THEN NULL ELSE " + sql + " END";
  };
  std::string sql;
  if (position == 1) {
    sql = Guarded(p, s, replace(s), true);
  } else {
    // Java searches the region from position - 1 (in UTF-16 units) as a whole input.
    const std::string start = std::to_string(position);
    const std::string tail = "substr(" + s + ", " + start + ")";
    sql = "CASE WHEN " + SupplementaryCondition(s) +
          " THEN error('regexp_replace: a position "
          "past 1 in a string with characters outside the BMP is not supported') WHEN " +
          std::to_string(position - 1) + " < length(" + s + ") THEN substr(" + s + ", 1, " +
          std::to_string(position - 1) + ") || " + Guarded(p, tail, replace(tail), true) +
          " ELSE " + s + " END";
  }
  return call.Result(sql, StringType());
}

// split(str, regex[, limit]): Java's Pattern.split with limit (<= 0: no limit, trailing
// empty strings kept); an empty regex splits into characters.
Result<Typed> SplitFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), Int()}));
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(call, 1));
  const DataType type = DataType::Array(StringType(), false);
  const std::string limit = call.args.size() == 3 ? call.args[2].sql : "-1";
  if (p.null || (call.args.size() == 3 && call.args[2].IsNullLiteral())) {
    return call.Result("CAST(NULL AS VARCHAR[])", type);
  }
  const std::string& s = call.args[0].sql;
  const std::string characters = "spark_split_characters(" + s + ", " + limit + ")";
  if (p.literal && p.regex.re2.empty()) return call.Result(characters, type);
  if (p.literal && p.regex.nullable) {
    return call.translator.UnsupportedAt(call.raw[1]->span,
                                         "split with a pattern that can match the empty string");
  }
  const std::string pieces_pattern = p.literal ? QuoteLiteral("(?s:(.*?))(?:" + p.regex.re2 + ")")
                                               : "'(?s:(.*?))(?:' || " + p.re2 + " || ')'";
  std::string sql = "spark_split_regex(" + s + ", " + pieces_pattern + ", " + limit + ")";
  if (!p.literal) {
    sql = "CASE WHEN " + p.java + " = '' THEN " + characters + " WHEN (" + p.info +
          ") & 256 <> 0 THEN error('split with a pattern that can match the empty string is "
          "not supported') ELSE " +
          sql + " END";
  }
  return call.Result(Guarded(p, s, sql), type);
}

}  // namespace

Result<std::string> RLikeSql(Translator& translator, const Typed& value, const Typed& pattern,
                             const Span& pattern_span) {
  SLUICE_ASSIGN_OR_RETURN(Pattern p, PatternOf(translator, pattern, pattern_span, "RLIKE"));
  if (p.null) return std::string("CAST(NULL AS BOOLEAN)");
  return Guarded(p, value.sql, "regexp_matches(" + value.sql + ", " + p.re2 + ")");
}

void AddRegexpFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "rlike", k, 2, 2, RLikeFn, kGroup);
  Alias(map, "regexp", "rlike");
  Alias(map, "regexp_like", "rlike");
  Define(map, "regexp_count", k, 2, 2, CountFn, kGroup);
  Define(
      map, "regexp_extract", k, 2, 3, [](Call& c) { return ExtractFn(c, false); }, kGroup);
  Define(
      map, "regexp_extract_all", k, 2, 3, [](Call& c) { return ExtractFn(c, true); }, kGroup);
  Define(map, "regexp_substr", k, 2, 2, SubstrFn, kGroup);
  Define(map, "regexp_instr", k, 2, 3, InstrFn, kGroup);
  Define(map, "regexp_replace", k, 3, 4, ReplaceFn, kGroup);
  Define(map, "split", k, 2, 3, SplitFn, "string_funcs");
}

void AddRegexpMacros(std::vector<MacroDef>& out) {
  static const MacroDef kMacros[] = {
      // Over the matches of q = (?s:(.*?))(pattern): an entry whose piece is not empty and
      // whose match is empty is followed by the same match again, which is dropped.
      {"spark_regexp_extract_all_nullable(s, q, g)",
       "[z[3] for z in list_zip(regexp_extract_all(s, q, 1), regexp_extract_all(s, q, 2), "
       "regexp_extract_all(s, q, g), list_prepend(NULL, regexp_extract_all(s, q, 1)), "
       "list_prepend(NULL, regexp_extract_all(s, q, 2)), true) if NOT coalesce(z[4] <> '' AND "
       "z[5] = '', false)]"},
      {"spark_regexp_count_nullable(s, q)",
       "len(regexp_extract_all(s, q, 1)) - len([1 for z in list_zip(regexp_extract_all(s, q, 1), "
       "regexp_extract_all(s, q, 2), true) if z[1] <> '' AND z[2] = ''])"},
      // Java's String.length(): characters outside the BMP count twice.
      {"spark_utf16_length(s)",
       R"(length(s) + length(regexp_replace(s, '[^\x{10000}-\x{10FFFF}]', '', 'g')))"},
      // UTF8String.split with an empty pattern: characters; with limit > 0 the last entry
      // holds the rest.
      {"spark_split_characters(s, n)",
       "CASE WHEN s IS NULL OR n IS NULL THEN NULL WHEN s = '' THEN [''] WHEN n <= 0 OR n >= "
       "length(s) THEN string_split(s, '') ELSE list_concat(string_split(s, '')[1:n - 1], "
       "[substr(s, n)]) END"},
      // Pattern.split over the matches of `q` = (?s:(.*?))(?:regex): group 1 of each is the
      // piece before a match, and the text after the last counted match is the last piece.
      {"spark_split_tail(s, q, k)",
       "substr(s, CAST(1 + coalesce(list_sum(list_transform(regexp_extract_all(s, q, 0)[1:k], "
       "lambda m: length(m))), 0) AS BIGINT))"},
      {"spark_split_regex(s, q, n)",
       "CASE WHEN s IS NULL OR n IS NULL THEN NULL WHEN n > 0 AND len(regexp_extract_all(s, q, "
       "1)) >= n THEN list_concat(regexp_extract_all(s, q, 1)[1:n - 1], [spark_split_tail(s, q, "
       "n - 1)]) ELSE list_concat(regexp_extract_all(s, q, 1), [spark_split_tail(s, q, "
       "len(regexp_extract_all(s, q, 1)))]) END"},
  };
  for (const MacroDef& macro : kMacros) out.push_back(macro);
}

}  // namespace sluice::spark::internal
