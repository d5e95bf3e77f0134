// Small string helpers shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

std::vector<std::string> Split(std::string_view text, char separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::string ToLower(std::string_view text);
std::string ToUpper(std::string_view text);
std::string Trim(std::string_view text);

// `text` with every occurrence of each non-empty `secrets` value, and of every value given
// to NoteSecretValue, replaced by "[REDACTED]".
std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets = {});
// Remembers a secret value this process read (a pipeline's secret), so that RedactSecrets
// hides it wherever sluice prints or logs text. Thread-safe.
void NoteSecretValue(const std::string& value);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Parses a whole decimal integer; nullopt on anything else (sign allowed, no spaces).
std::optional<int64_t> ParseInt64(std::string_view text);

// Quotes `name` as a SQL identifier: "a""b" for a"b.
std::string QuoteIdentifier(std::string_view name);
// Quotes `name` as a Spark SQL identifier: `a``b` for a`b.
std::string QuoteSparkIdentifier(std::string_view name);
// Quotes `text` as a SQL string literal: 'it''s' for it's.
std::string QuoteLiteral(std::string_view text);

// Zero-padded decimal, e.g. PadNumber(7, 20) = "00000000000000000007".
std::string PadNumber(uint64_t value, int width);

// The candidate closest to `name` (case-insensitive edit distance) when it is close enough
// to be a likely typo; "" otherwise.
std::string NearestName(std::string_view name, const std::vector<std::string>& candidates);

// `text` as a JSON string literal, quotes included: ", \ and control characters escaped
// (\n, \r, \t, \b, \f, else \u00XX); other bytes, UTF-8 included, as they are.
std::string JsonString(std::string_view text);
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace sluice
