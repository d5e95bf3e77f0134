// Pieces shared by the formatter (datetime_pattern.cc) and the parser
// (datetime_pattern_parse.cc) of Spark's datetime patterns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::spark::datetime_internal {

extern const char* const kMonths[12];
extern const char* const kMonthsShort[12];

bool IsDigit(char c);
// Whether `word` is at `pos` of `text`, ignoring ASCII case.
bool EqualsIgnoreCaseAt(std::string_view text, size_t pos, std::string_view word);
// The OffsetIdPrinterParser type (an index of "+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM",
// "+HHMMss", "+HH:MM:ss", "+HHMMSS", "+HH:MM:SS") and no-offset text of X, x and Z.
void OffsetStyle(char letter, int count, int* type, std::string* no_offset);
bool OffsetColon(int type);

}  // namespace sluice::spark::datetime_internal
