// URL functions: parse_url (java.net.URI's reading of the URL), url_encode, url_decode.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "url_funcs";

DataType StringType() { return DataType::Of(TypeId::kString); }

// parse_url(url, part[, key]): HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY or
// USERINFO of the URL; with a key, that query parameter's value. NULL for an unknown part or
// a URL java.net.URI rejects (an error in ANSI mode).
Result<Typed> ParseUrlFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  const std::string strict = call.options().ansi ? "true" : "false";
  if (call.args.size() == 2) {
    return call.Result(
        "spark_parse_url(" + call.args[0].sql + ", " + call.args[1].sql + ", " + strict + ")",
        StringType());
  }
  // Spark matches the key as part of a Java regular expression; keys of plain characters
  // mean the same literally.
  const Typed& key = call.args[2];
  const std::string metacharacters = "\\^$.|?*+()[]{}";
  if (auto text = key.StringValue()) {
    if (text->find_first_of(metacharacters) != std::string::npos) {
      return call.translator.UnsupportedAt(
          call.raw[2]->span, "parse_url with a key containing regular expression characters");
    }
  }
  std::string sql = "spark_parse_url_query(" + call.args[0].sql + ", " + call.args[1].sql + ", " +
                    key.sql + ", " + strict + ")";
  if (!key.StringValue()) {
    sql = "CASE WHEN regexp_matches(" + key.sql +
          ", '[\\\\^$.|?*+()\\[\\]{}]') THEN "
          "error('parse_url with a key containing regular expression characters is not "
          "supported') ELSE " +
          sql + " END";
  }
  return call.Result(sql, StringType());
}

}  // namespace

void AddUrlFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "parse_url", k, 2, 3, ParseUrlFn, kGroup);
  Define(map, "url_encode", k, 1, 1, Template({String()}, "spark_url_encode({0})", StringType()),
         kGroup);
  Define(map, "url_decode", k, 1, 1, Template({String()}, "spark_url_decode({0})", StringType()),
         kGroup);
}

}  // namespace sluice::spark::internal
