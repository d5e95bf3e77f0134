// More string functions: repeat, space, find_in_set, levenshtein, soundex, split_part,
// substring_index, translate, overlay, mask, luhn_check; and the string group's macros.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "string_funcs";

DataType StringType() { return DataType::Of(TypeId::kString); }
DataType IntType() { return DataType::Of(TypeId::kInt); }

Result<Typed> LevenshteinFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), Int()}));
  if (call.args.size() == 2) {
    return call.Result("spark_levenshtein(" + call.args[0].sql + ", " + call.args[1].sql + ")",
                       IntType());
  }
  return call.Result("spark_levenshtein_within(" + call.args[0].sql + ", " + call.args[1].sql +
                         ", " + call.args[2].sql + ")",
                     IntType());
}

// overlay(input PLACING replace FROM pos [FOR len]): input's characters (or bytes) before
// pos, then replace, then input from pos + len; len < 0 means replace's length.
Result<Typed> OverlayFn(Call& call) {
  const bool binary = call.args[0].type.is(TypeId::kBinary);
  if (binary != call.args[1].type.is(TypeId::kBinary) && !call.args[1].type.is(TypeId::kNull) &&
      !call.args[0].type.is(TypeId::kNull)) {
    return call.Error("overlay: the input and the replacement must both be strings or binary");
  }
  const Expectation text = binary ? Binary() : String();
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {text, text, Int(), Int()}));
  const std::string len = call.args.size() == 4 ? call.args[3].sql : "-1";
  const std::string function = binary ? "spark_blob_overlay(" : "spark_overlay(";
  Typed out = call.Result(function + call.args[0].sql + ", " + call.args[1].sql + ", " +
                              call.args[2].sql + ", " + len + ")",
                          binary ? DataType::Of(TypeId::kBinary) : StringType());
  out.name = "overlay(" + call.args[0].name + ", " + call.args[1].name + ", " + call.args[2].name +
             ", " + (call.args.size() == 4 ? call.args[3].name : "-1") + ")";
  return out;
}

// mask(input[, upperChar, lowerChar, digitChar, otherChar]): each upper-case letter,
// lower-case letter and decimal digit (Unicode categories Lu, Ll, Nd) is replaced by the
// given character, others by otherChar; a NULL replacement keeps those characters.
Result<Typed> MaskFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  static const char* kDefaults[] = {"X", "x", "n", nullptr};
  static const char* kNames[] = {"upperChar", "lowerChar", "digitChar", "otherChar"};
  std::vector<std::optional<std::string>> masks;
  for (size_t k = 0; k < 4; ++k) {
    const size_t i = k + 1;
    if (i >= call.args.size()) {
      masks.push_back(kDefaults[k] ? std::optional<std::string>(kDefaults[k]) : std::nullopt);
      continue;
    }
    if (call.args[i].IsNullLiteral()) {
      masks.push_back(std::nullopt);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(std::string value, LiteralString(call, i, kNames[k]));
    size_t characters = 0;
    for (char c : value) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (characters != 1) {
      return call.ArgError(
          i, std::string("mask: ") + kNames[k] + " must be a string literal of one character");
    }
    masks.push_back(value);
  }
  const char* classes[] = {"\\p{Lu}", "\\p{Ll}", "\\p{Nd}"};
  std::string sql = "CASE";
  for (size_t k = 0; k < 3; ++k) {
    sql += " WHEN regexp_full_match(__c, '" + std::string(classes[k]) + "') THEN " +
           (masks[k] ? QuoteLiteral(*masks[k]) : std::string("__c"));
  }
  sql += " ELSE " + (masks[3] ? QuoteLiteral(*masks[3]) : std::string("__c")) + " END";
  Typed out = call.Result("CASE WHEN " + call.args[0].sql +
                              " IS NOT NULL THEN array_to_string(list_transform(string_split(" +
                              call.args[0].sql + ", ''), lambda __c: " + sql + "), '') END",
                          StringType());
  return out;
}

}  // namespace

void AddStringMoreFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const DataType string = StringType();
  const DataType integer = IntType();
  Define(map, "repeat", k, 2, 2, Template({String(), Int()}, "repeat({0}, {1})", string), kGroup);
  Define(map, "space", k, 1, 1, Template({Int()}, "repeat(' ', {0})", string), kGroup);
  Define(map, "find_in_set", k, 2, 2, Template({String()}, "spark_find_in_set({0}, {1})", integer),
         kGroup);
  Define(map, "levenshtein", k, 2, 3, LevenshteinFn, kGroup);
  Define(map, "soundex", k, 1, 1, Template({String()}, "spark_soundex({0})", string), kGroup);
  Define(map, "split_part", k, 3, 3,
         Template({String(), String(), Int()}, "spark_split_part({0}, {1}, {2})", string), kGroup);
  Define(map, "substring_index", k, 3, 3,
         Template({String(), String(), Int()}, "spark_substring_index({0}, {1}, {2})", string),
         kGroup);
  Define(map, "translate", k, 3, 3, Template({String()}, "translate({0}, {1}, {2})", string),
         kGroup);
  Define(map, "overlay", k, 3, 4, OverlayFn, kGroup);
  Define(map, "mask", k, 1, 5, MaskFn, kGroup);
  Define(map, "luhn_check", k, 1, 1,
         Template({String()}, "spark_luhn_check({0})", DataType::Of(TypeId::kBoolean)), kGroup);
}

void AddCaseMacros(std::vector<MacroDef>& out);

void AddStringMacros(std::vector<MacroDef>& out) {
  AddCaseMacros(out);
  static const MacroDef kMacros[] = {
      // upper / lower / initcap as Java's String.toUpperCase / toLowerCase and
      // Character.toTitleCase: DuckDB's mapping, but for the characters it maps otherwise
      // (case_mapping.cc). Java lowers a capital sigma by its place in a word (final or not),
      // which is refused.
      {"spark_java_upper(s)",
       "CASE WHEN regexp_matches(s, spark_java_upper_class()) THEN "
       "array_to_string(list_transform(string_split(s, ''), lambda c: "
       "coalesce(spark_java_upper_map()[c], upper(c))), '') ELSE upper(s) END"},
      {"spark_java_lower(s)",
       "CASE WHEN contains(s, '\xCE\xA3') THEN error('lower: text with a capital sigma is not "
       "supported (Java lowers it by its place in a word)') WHEN regexp_matches(s, "
       "spark_java_lower_class()) THEN array_to_string(list_transform(string_split(s, ''), lambda "
       "c: coalesce(spark_java_lower_map()[c], lower(c))), '') ELSE lower(s) END"},
      // Character.toTitleCase of one UTF-16 unit (a character outside the BMP is kept).
      {"spark_java_title(c)",
       "CASE WHEN unicode(c) > 65535 THEN c ELSE coalesce(spark_java_title_map()[c], upper(c)) "
       "END"},
      // initcap: lower case, then the first character of the string and each one after a
      // space in title case.
      {"spark_java_initcap(s)",
       "array_to_string(list_transform(string_split(spark_java_lower(s), ' '), lambda w: CASE "
       "WHEN w = '' THEN '' ELSE spark_java_title(substr(w, 1, 1)) || substr(w, 2) END), ' ')"},
      // Charsets: UTF-8 directly (a malformed byte sequence goes to the Java-like decoder,
      // which writes U+FFFD), others through the natives.
      {"spark_decode(b, cs)",
       "CASE WHEN lower(cs) IN ('utf-8', 'utf8') THEN coalesce(try(decode(b)), "
       "spark_charset_decode(b, cs)) ELSE spark_charset_decode(b, cs) END"},
      {"spark_encode(s, cs)",
       "CASE WHEN lower(cs) IN ('utf-8', 'utf8') THEN encode(s) ELSE spark_charset_encode(s, cs) "
       "END"},
      // base64 as Java's MIME encoder writes it: lines of 76 characters joined by CRLF.
      {"spark_base64(b)",
       "array_to_string(list_transform(range(0, length(to_base64(b)), 76), lambda i: "
       "substr(to_base64(b), i + 1, 76)), chr(13) || chr(10))"},
      // ByteArray.subStringSQL: substring on bytes, positions as substring's.
      {"spark_blob_start(b, pos)",
       "CASE WHEN pos > 0 THEN CAST(pos AS BIGINT) - 1 WHEN pos < 0 THEN octet_length(b) + pos "
       "ELSE 0 END"},
      {"spark_blob_substring(b, pos, len)",
       "CASE WHEN b IS NULL OR pos IS NULL OR len IS NULL THEN NULL WHEN "
       "greatest(spark_blob_start(b, pos), 0) >= least(spark_blob_start(b, pos) + len, "
       "octet_length(b)) THEN ''::BLOB ELSE unhex(substr(hex(b), CAST(2 * "
       "greatest(spark_blob_start(b, pos), 0) + 1 AS BIGINT), CAST(2 * "
       "(least(spark_blob_start(b, pos) + len, octet_length(b)) - greatest(spark_blob_start(b, "
       "pos), 0)) AS BIGINT))) END"},
      // Byte-aligned search: each byte as two hex digits and a space.
      {"spark_blob_hex_spaced(b)", R"(regexp_replace(hex(b), '(..)', '\1 ', 'g'))"},
      {"spark_blob_contains(a, b)", "contains(spark_blob_hex_spaced(a), spark_blob_hex_spaced(b))"},
      // ByteArray.lpad / rpad: pad bytes repeat from the start; truncated to len bytes.
      {"spark_blob_lpad(b, n, pad)",
       "CASE WHEN n <= 0 THEN ''::BLOB WHEN octet_length(pad) = 0 OR n <= octet_length(b) THEN "
       "spark_blob_substring(b, 1, n) ELSE unhex(lpad(hex(b), CAST(2 * n AS INTEGER), hex(pad))) "
       "END"},
      {"spark_blob_rpad(b, n, pad)",
       "CASE WHEN n <= 0 THEN ''::BLOB WHEN octet_length(pad) = 0 OR n <= octet_length(b) THEN "
       "spark_blob_substring(b, 1, n) ELSE unhex(rpad(hex(b), CAST(2 * n AS INTEGER), hex(pad))) "
       "END"},
      // UTF8String.indexOf from pos - 1, as locate: an empty substr is found at 1.
      {"spark_locate(sub, s, pos)",
       "CASE WHEN pos IS NULL THEN 0 WHEN sub IS NULL OR s IS NULL THEN NULL WHEN pos < 1 THEN 0 "
       "WHEN sub = '' THEN 1 WHEN instr(substr(s, pos), sub) = 0 THEN 0 ELSE CAST(instr(substr(s, "
       "pos), sub) + pos - 1 AS INTEGER) END"},
      // UTF8String.findInSet: 0 when str has a comma or is not an element.
      {"spark_find_in_set(s, set)",
       "CASE WHEN s IS NULL OR set IS NULL THEN NULL WHEN contains(s, ',') THEN 0 ELSE "
       "CAST(coalesce(list_position(string_split(set, ','), s), 0) AS INTEGER) END"},
      // split_part: the delimiter is literal text; an empty one keeps the string whole;
      // a negative index counts from the end; out of range gives ''.
      {"spark_split_part(s, d, n)",
       "CASE WHEN s IS NULL OR d IS NULL OR n IS NULL THEN NULL WHEN n = 0 THEN "
       "error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or "
       "> 0 (the first element has index 1).') WHEN d = '' THEN CASE WHEN n IN (1, -1) THEN s "
       "ELSE '' END ELSE coalesce(list_extract(string_split(s, d), n), '') END"},
      // Overlay.calculate.
      {"spark_overlay(s, r, pos, len)",
       "spark_substring(s, 1, pos - 1) || r || spark_substring(s, CAST(pos AS BIGINT) + CASE "
       "WHEN len >= 0 THEN len ELSE length(r) END, 2147483647)"},
      {"spark_blob_overlay(s, r, pos, len)",
       "spark_blob_substring(s, 1, pos - 1) || r || spark_blob_substring(s, CAST(pos AS BIGINT) "
       "+ CASE WHEN len >= 0 THEN len ELSE octet_length(r) END, 2147483647)"},
      // Luhn's check over ASCII digits; Java's Character.isDigit also takes other scripts'
      // digits, which are refused rather than read differently.
      {"spark_luhn_sum(s)",
       "list_sum(list_transform(string_split(reverse(s), ''), lambda c, i: CASE WHEN i % 2 = 0 "
       "THEN (CAST(c AS INTEGER) * 2) % 10 + (CAST(c AS INTEGER) * 2) // 10 ELSE CAST(c AS "
       "INTEGER) END))"},
      {"spark_luhn_check(s)",
       "CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(s, '[0-9]+') THEN spark_luhn_sum(s) "
       "% 10 = 0 WHEN regexp_full_match(s, '\\p{Nd}+') THEN error('luhn_check: digits outside "
       "0-9 are not supported') ELSE false END"},
  };
  for (const MacroDef& macro : kMacros) out.push_back(macro);
}

}  // namespace sluice::spark::internal
