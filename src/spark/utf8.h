// UTF-8 helpers for the native string functions: code points in and out, as Java's
// String sees them (a string is a sequence of code points; DuckDB strings are valid UTF-8).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::spark::internal {

// The code points of valid UTF-8 text (an invalid byte becomes U+FFFD).
std::vector<char32_t> DecodeUtf8(std::string_view text);

// Appends the UTF-8 form of `cp` (a surrogate or a value past U+10FFFF becomes U+FFFD).
void AppendUtf8(std::string& out, char32_t cp);
std::string EncodeUtf8(const std::vector<char32_t>& cps);

// new String(bytes, UTF-8) in Java: each malformed sequence becomes U+FFFD, with the
// lengths Java's decoder gives malformed input.
std::string DecodeUtf8Java(std::string_view bytes);

// The number of UTF-16 code units of the text (Java's String.length()).
int64_t Utf16Length(std::string_view text);

// Java's Character.isWhitespace: the space separators except the no-break ones, and
// U+0009-U+000D, U+001C-U+001F.
bool IsJavaWhitespace(char32_t cp);

}  // namespace sluice::spark::internal
