// Java regular expressions (java.util.regex, as Spark's regexp functions use them) written
// as RE2 patterns (DuckDB's regexp functions) that match exactly the same text.
//
// What RE2 reads differently is rewritten: `.` excludes every Java line terminator, \s
// includes \x0B, \h and \v are Java's classes, case-insensitive matching folds ASCII letters
// only, character classes are spelled out as code point ranges. What RE2 cannot express
// (backreferences, lookaround, atomic groups, possessive quantifiers, \G, nested or
// intersected classes, Unicode case folding) is refused. A few constructs match the same
// text except on some inputs; the translation records them as guards, and the caller
// refuses those inputs at run time (GuardSql).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::spark::internal {

// Inputs on which RE2's reading of the translation may differ from Java's.
enum JavaRegexGuard : uint32_t {
  // `$` or \Z outside MULTILINE match before a final line terminator in Java.
  kGuardFinalTerminator = 1,
  // MULTILINE `^` and `$` know \r, \u0085, \u2028, \u2029 as line terminators in Java, and
  // `^` does not match after a terminator that ends the input.
  kGuardLineTerminators = 2,
  kGuardFinalNewline = 4,
  // \b and \B count non-ASCII letters and digits (and combining marks) as word characters
  // in Java.
  kGuardNonAsciiWord = 8,
};

struct JavaRegex {
  std::string re2;
  int groups = 0;                    // capturing groups
  std::map<std::string, int> names;  // named groups and their numbers
  bool nullable = false;             // can match the empty string
  bool consumes = false;             // can match a non-empty string
  // A capturing group inside a repeated part that can match the empty string: Java ends
  // the repetition with an empty pass that RE2 does not make, so the group's text differs.
  bool capture_in_empty_loop = false;
  uint32_t guards = 0;  // JavaRegexGuard bits
};

// Translates a Java pattern. A pattern Java rejects is InvalidArgument (Spark fails the
// query too); one RE2 cannot match the same way is NotSupported, naming the construct.
Result<JavaRegex> TranslateJavaRegex(std::string_view pattern);

// A Java replacement string (Matcher.appendReplacement: $n, ${name}, \ escapes) as an RE2
// rewrite string. InvalidArgument when Java rejects it (Java fails only once a match is
// found); NotSupported for references to groups past 9.
Result<std::string> TranslateJavaReplacement(std::string_view replacement, const JavaRegex& regex);

// The SQL condition, on the subject `subject`, under which the translation may not match
// as Java does (empty when there is none): the inputs `guards` names.
std::string JavaRegexGuardSql(uint32_t guards, const std::string& subject);

// The same for guards known only at run time (an SQL integer expression of guard bits).
std::string JavaRegexDynamicGuardSql(const std::string& guards, const std::string& subject);

}  // namespace sluice::spark::internal
