// Native functions of the regexp group: Java patterns and replacement strings that are
// not literals, translated to RE2 when the query runs.
#include "spark/java_regex.h"
#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

// The translation of the last pattern seen on this thread (a column of patterns usually
// repeats them).
Result<JavaRegex> Translate(const std::string& pattern) {
  thread_local std::string last_pattern;
  thread_local std::optional<Result<JavaRegex>> last;
  if (!last || last_pattern != pattern) {
    last = TranslateJavaRegex(pattern);
    last_pattern = pattern;
  }
  return *last;
}

}  // namespace

void AddRegexpNatives(std::vector<NativeFunction>& out) {
  out.push_back({"spark_java_regex",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(JavaRegex regex, Translate(Text(a[0])));
                   return NativeValue(regex.re2);
                 }});
  // Guard bits, then 256 when the pattern can match the empty string, 512 when it can
  // match a non-empty one, 1024 when a group is inside a repetition that can match the
  // empty string, and the number of groups from bit 16.
  out.push_back({"spark_java_regex_info",
                 {"VARCHAR"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(JavaRegex regex, Translate(Text(a[0])));
                   const int64_t info = static_cast<int64_t>(regex.guards) |
                                        (regex.nullable ? 256 : 0) | (regex.consumes ? 512 : 0) |
                                        (regex.capture_in_empty_loop ? 1024 : 0) |
                                        (static_cast<int64_t>(regex.groups) << 16);
                   return NativeValue(info);
                 }});
  out.push_back({"spark_java_replacement",
                 {"VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(JavaRegex regex, Translate(Text(a[1])));
                   SLUICE_ASSIGN_OR_RETURN(std::string rewrite,
                                           TranslateJavaReplacement(Text(a[0]), regex));
                   return NativeValue(std::move(rewrite));
                 }});
}

}  // namespace sluice::spark::internal
