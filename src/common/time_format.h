// Rendering and parsing of UTC instants as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// "2024-01-02T03:04:05.678Z" for milliseconds since the epoch (UTC).
std::string FormatTimestampMillis(int64_t millis);

// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.fff...]" or the same with 'T', optionally
// followed by 'Z' or a "+HH:MM"/"-HH:MM" offset (no suffix = UTC), into milliseconds
// since the epoch. nullopt for anything else.
std::optional<int64_t> ParseTimestampMillis(std::string_view text);

}  // namespace sluice
