#include "spark/datetime_zone.h"

#include <cctype>

namespace sluice::spark {
namespace {

// java.time.ZoneId.SHORT_IDS.
const char* const kShortIds[][2] = {
    {"ACT", "Australia/Darwin"},
    {"AET", "Australia/Sydney"},
    {"AGT", "America/Argentina/Buenos_Aires"},
    {"ART", "Africa/Cairo"},
    {"AST", "America/Anchorage"},
    {"BET", "America/Sao_Paulo"},
    {"BST", "Asia/Dhaka"},
    {"CAT", "Africa/Harare"},
    {"CNT", "America/St_Johns"},
    {"CST", "America/Chicago"},
    {"CTT", "Asia/Shanghai"},
    {"EAT", "Africa/Addis_Ababa"},
    {"ECT", "Europe/Paris"},
    {"IET", "America/Indiana/Indianapolis"},
    {"IST", "Asia/Kolkata"},
    {"JST", "Asia/Tokyo"},
    {"MIT", "Pacific/Apia"},
    {"NET", "Asia/Yerevan"},
    {"NST", "Pacific/Auckland"},
    {"PLT", "Asia/Karachi"},
    {"PNT", "America/Phoenix"},
    {"PRT", "America/Puerto_Rico"},
    {"PST", "America/Los_Angeles"},
    {"SST", "Pacific/Guadalcanal"},
    {"VST", "Asia/Ho_Chi_Minh"},
    {"EST", "-05:00"},
    {"MST", "-07:00"},
    {"HST", "-10:00"},
};

bool Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Two(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// ZoneOffset.of: +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss (and the same with '-').
std::optional<int> ParseOffset(std::string_view id) {
  if (id.size() < 2 || (id[0] != '+' && id[0] != '-')) return std::nullopt;
  const int sign = id[0] == '-' ? -1 : 1;
  int hours = 0, minutes = 0, seconds = 0;
  const std::string_view rest = id.substr(1);
  if (rest.size() == 1 && Digits(rest, 0, 1)) {
    hours = rest[0] - '0';
  } else if (rest.size() == 2 && Digits(rest, 0, 2)) {
    hours = Two(rest, 0);
  } else if (rest.size() == 5 && Digits(rest, 0, 2) && rest[2] == ':' && Digits(rest, 3, 2)) {
    hours = Two(rest, 0);
    minutes = Two(rest, 3);
  } else if (rest.size() == 4 && Digits(rest, 0, 4)) {
    hours = Two(rest, 0);
    minutes = Two(rest, 2);
  } else if (rest.size() == 8 && Digits(rest, 0, 2) && rest[2] == ':' && Digits(rest, 3, 2) &&
             rest[5] == ':' && Digits(rest, 6, 2)) {
    hours = Two(rest, 0);
    minutes = Two(rest, 3);
    seconds = Two(rest, 6);
  } else if (rest.size() == 6 && Digits(rest, 0, 6)) {
    hours = Two(rest, 0);
    minutes = Two(rest, 2);
    seconds = Two(rest, 4);
  } else {
    return std::nullopt;
  }
  if (hours > 18 || minutes > 59 || seconds > 59) return std::nullopt;
  const int total = hours * 3600 + minutes * 60 + seconds;
  if (total > 18 * 3600) return std::nullopt;
  return sign * total;
}

// Spark's rewriting of (+|-)h: to (+|-)0h: and of (+|-)hh:m at the end to (+|-)hh:0m.
std::string Rewrite(std::string_view id) {
  std::string out(id);
  for (size_t i = 0; i + 2 < out.size(); ++i) {
    if ((out[i] == '+' || out[i] == '-') && std::isdigit(static_cast<unsigned char>(out[i + 1])) &&
        out[i + 2] == ':') {
      out.insert(i + 1, "0");
      break;
    }
  }
  const size_t n = out.size();
  if (n >= 5 && (out[n - 5] == '+' || out[n - 5] == '-') && Digits(out, n - 4, 2) &&
      out[n - 2] == ':' && Digits(out, n - 1, 1)) {
    out.insert(n - 1, "0");
  }
  return out;
}

}  // namespace

Result<SparkZone> ResolveSparkZone(std::string_view written) {
  std::string id = Rewrite(written);
  for (const auto& entry : kShortIds) {
    if (id == entry[0]) {
      id = entry[1];
      break;
    }
  }
  auto invalid = [&]() {
    return InvalidArgument("[INVALID_TIMEZONE] The timezone: ", written,
                           " is invalid. The timezone must be either a region-based zone ID or a "
                           "zone offset.");
  };
  SparkZone zone;
  if (id == "Z") {
    zone.offset_seconds = 0;
    return zone;
  }
  if (!id.empty() && (id[0] == '+' || id[0] == '-')) {
    zone.offset_seconds = ParseOffset(id);
    if (!zone.offset_seconds) return invalid();
    return zone;
  }
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (id.size() > prefix.size() && id.compare(0, prefix.size(), prefix) == 0 &&
        (id[prefix.size()] == '+' || id[prefix.size()] == '-')) {
      zone.offset_seconds = ParseOffset(std::string_view(id).substr(prefix.size()));
      if (!zone.offset_seconds) return invalid();
      return zone;
    }
  }
  if (id == "UTC" || id == "GMT" || id == "UT") {
    zone.offset_seconds = 0;
    return zone;
  }
  if (id.size() < 2 || !std::isalpha(static_cast<unsigned char>(id[0]))) return invalid();
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("~/._+-").find(c) == std::string_view::npos) {
      return invalid();
    }
  }
  zone.region = id;
  return zone;
}

}  // namespace sluice::spark
