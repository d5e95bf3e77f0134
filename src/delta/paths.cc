#include "delta/paths.h"

#include <cctype>
#include <filesystem>

#include "common/strings.h"
#include "delta/value_text.h"

namespace sluice::delta {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void AppendEscaped(std::string* out, std::string_view bytes) {
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out->push_back('%');
    out->push_back(kHex[u >> 4]);
    out->push_back(kHex[u & 0xF]);
  }
}

bool IsAsciiAllowedInPath(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '!':
    case '~':
    case '*':
    case '\'':
    case '(':
    case ')':
    case ',':
    case ';':
    case '$':
    case '&':
    case '+':
    case '=':
    case '@':
    case '/':
      return true;
    default:
      return false;
  }
}

// Java's Character.isSpaceChar (Unicode Zs, Zl, Zp) or isISOControl, for non-ASCII code points.
bool JavaQuotesNonAscii(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F) return true;
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return true;
  }
  return false;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of a URI scheme prefix ("s3" in "s3://b/k") or 0 if `text` has none.
size_t SchemeLength(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return 0;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == ':') return i;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return 0;
    }
  }
  return 0;
}

// The encoded path part of a file: URI, or NotSupported for another host.
Result<std::string_view> FileUriPath(std::string_view uri) {
  std::string_view rest = uri.substr(5);  // after "file:"
  if (StartsWith(rest, "//")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (!authority.empty() && !EqualsIgnoreCase(authority, "localhost")) {
      return NotSupported("\"", uri, "\" names a file on host \"", authority,
                          "\"; only local files are supported");
    }
    rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  }
  if (!StartsWith(rest, "/")) return InvalidArgument("\"", uri, "\" is not an absolute file URI");
  return rest;
}

std::string Normalize(const std::string& path) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

}  // namespace

std::string EncodeAddPath(std::string_view relative_path) {
  std::string out;
  out.reserve(relative_path.size());
  size_t pos = 0;
  while (pos < relative_path.size()) {
    char c = relative_path[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (IsAsciiAllowedInPath(c)) {
        out.push_back(c);
      } else {
        AppendEscaped(&out, relative_path.substr(pos, 1));
      }
      ++pos;
      continue;
    }
    size_t start = pos;
    uint32_t code_point = 0;
    if (!value_text::NextCodePoint(relative_path, &pos, &code_point)) {
      AppendEscaped(&out, relative_path.substr(start, 1));  // not UTF-8: escape the byte
      pos = start + 1;
      continue;
    }
    std::string_view bytes = relative_path.substr(start, pos - start);
    if (JavaQuotesNonAscii(code_point)) {
      AppendEscaped(&out, bytes);
    } else {
      out.append(bytes);
    }
  }
  return out;
}

Result<std::string> DecodeAddPath(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out.push_back(encoded[i]);
      continue;
    }
    if (i + 2 >= encoded.size() || HexValue(encoded[i + 1]) < 0 || HexValue(encoded[i + 2]) < 0) {
      return InvalidArgument("path \"", encoded, "\": '%' at offset ", i,
                             " is not followed by two hex digits");
    }
    out.push_back(static_cast<char>(HexValue(encoded[i + 1]) * 16 + HexValue(encoded[i + 2])));
    i += 2;
  }
  return out;
}

Result<std::string> ResolveDataFilePath(std::string_view table_root, std::string_view add_path) {
  if (add_path.empty()) return InvalidArgument("empty data file path");
  std::string root;
  if (StartsWith(table_root, "file:")) {
    SLUICE_ASSIGN_OR_RETURN(std::string_view root_path, FileUriPath(table_root));
    SLUICE_ASSIGN_OR_RETURN(root, DecodeAddPath(root_path));
  } else {
    root = std::string(table_root);
  }

  std::string_view encoded = add_path;
  bool absolute = false;
  if (StartsWith(add_path, "file:")) {
    SLUICE_ASSIGN_OR_RETURN(encoded, FileUriPath(add_path));
    absolute = true;
  } else if (size_t scheme = SchemeLength(add_path); scheme > 0) {
    return NotSupported("data file \"", add_path, "\" is on ", add_path.substr(0, scheme),
                        " storage; only local files are supported");
  } else {
    absolute = StartsWith(add_path, "/");
  }
  SLUICE_ASSIGN_OR_RETURN(std::string decoded, DecodeAddPath(encoded));
  if (absolute) return Normalize(decoded);
  if (root.empty())
    return InvalidArgument("relative data file path \"", add_path, "\" needs a table root");
  return Normalize(root + "/" + decoded);
}

}  // namespace sluice::delta
