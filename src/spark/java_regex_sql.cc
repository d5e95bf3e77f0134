// Java replacement strings and the run-time guards of java_regex.h.
#include <cctype>
#include <vector>

#include "common/strings.h"
#include "spark/java_regex.h"
#include "spark/utf8.h"

namespace sluice::spark::internal {

Result<std::string> TranslateJavaReplacement(std::string_view replacement, const JavaRegex& regex) {
  const std::vector<char32_t> r = DecodeUtf8(replacement);
  std::string out;
  auto invalid = [](std::string_view message) {
    return InvalidArgument("regexp_replace: the replacement is invalid: ", message);
  };
  size_t i = 0;
  auto append_group = [&](int64_t group) -> Status {
    if (group > regex.groups) return invalid("No group " + std::to_string(group));
    if (group > 9) {
      return NotSupported("regexp_replace: references to groups past $9 are not supported");
    }
    out += "\\" + std::to_string(group);
    return Status::OK();
  };
  while (i < r.size()) {
    const char32_t c = r[i];
    if (c == '\\') {
      ++i;
      if (i == r.size()) return invalid("character to be escaped is missing");
      if (r[i] == '\\') {
        out += "\\\\";
      } else {
        AppendUtf8(out, r[i]);
      }
      ++i;
    } else if (c == '$') {
      ++i;
      if (i == r.size()) return invalid("Illegal group reference: group index is missing");
      if (r[i] == '{') {
        ++i;
        std::string name;
        while (i < r.size() && r[i] < 0x80 && std::isalnum(static_cast<int>(r[i]))) {
          name += static_cast<char>(r[i++]);
        }
        if (name.empty()) return invalid("named capturing group has 0 length name");
        if (i == r.size() || r[i] != '}') {
          return invalid("named capturing group is missing trailing '}'");
        }
        ++i;
        if (name[0] >= '0' && name[0] <= '9') {
          return invalid("capturing group name {" + name + "} starts with digit character");
        }
        auto found = regex.names.find(name);
        if (found == regex.names.end()) return invalid("No group with name {" + name + "}");
        SLUICE_RETURN_IF_ERROR(append_group(found->second));
      } else {
        if (r[i] < '0' || r[i] > '9') return invalid("Illegal group reference");
        int64_t group = r[i++] - '0';
        while (i < r.size() && r[i] >= '0' && r[i] <= '9' &&
               group * 10 + (r[i] - '0') <= regex.groups) {
          group = group * 10 + (r[i++] - '0');
        }
        SLUICE_RETURN_IF_ERROR(append_group(group));
      }
    } else {
      AppendUtf8(out, c);
      ++i;
    }
  }
  return out;
}

namespace {

const char* GuardCondition(uint32_t guard) {
  switch (guard) {
    case kGuardFinalTerminator:
      return "regexp_matches({s}, '[\\n\\r\\x{85}\\x{2028}\\x{2029}]\\z')";
    case kGuardLineTerminators:
      return "regexp_matches({s}, '[\\r\\x{85}\\x{2028}\\x{2029}]')";
    case kGuardFinalNewline:
      return "regexp_matches({s}, '\\n\\z')";
    case kGuardNonAsciiWord:
      return "regexp_matches({s}, '[^\\P{L}a-zA-Z]|[^\\P{Nd}0-9]|\\p{Mn}')";
    default:
      return "false";
  }
}

std::string Substitute(std::string text, const std::string& subject) {
  for (size_t at = text.find("{s}"); at != std::string::npos; at = text.find("{s}", at)) {
    text.replace(at, 3, subject);
    at += subject.size();
  }
  return text;
}

constexpr uint32_t kAllGuards[] = {kGuardFinalTerminator, kGuardLineTerminators, kGuardFinalNewline,
                                   kGuardNonAsciiWord};

}  // namespace

std::string JavaRegexGuardSql(uint32_t guards, const std::string& subject) {
  std::vector<std::string> parts;
  for (uint32_t guard : kAllGuards) {
    if (guards & guard) parts.push_back(Substitute(GuardCondition(guard), subject));
  }
  if (parts.empty()) return "";
  return "(" + Join(parts, " OR ") + ")";
}

std::string JavaRegexDynamicGuardSql(const std::string& guards, const std::string& subject) {
  std::vector<std::string> parts;
  for (uint32_t guard : kAllGuards) {
    parts.push_back("((" + guards + ") & " + std::to_string(guard) + " <> 0 AND " +
                    Substitute(GuardCondition(guard), subject) + ")");
  }
  return "(" + Join(parts, " OR ") + ")";
}

}  // namespace sluice::spark::internal
