// Native functions of the url group: parse_url reads URLs as java.net.URI does (RFC 2396
// with Java's leniencies); url_encode / url_decode are URLEncoder / URLDecoder with UTF-8.
#include <cstring>
#include <optional>

#include "spark/native_groups.h"
#include "spark/utf8.h"

namespace sluice::spark::internal {

namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

bool IsAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char32_t c) { return IsAlpha(c) || IsDigit(c); }
bool IsHex(char32_t c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Character classes of java.net.URI's parser.
enum Class : unsigned {
  kAlnum = 1,
  kMark = 2,          // -_.!~*'()
  kEscaped = 4,       // %XX, and other (non-ASCII, non-space, non-control) characters
  kReserved = 8,      // ;/?:@&=+$,[]
  kPathExtra = 16,    // :@&=+$,;/
  kUserExtra = 32,    // ;:&=+$,
  kServerExtra = 64,  // .:@[] and -
  kRegExtra = 128,    // $,;:@&=+
  kSchemeExtra = 256  // +-.
};
constexpr unsigned kUnreserved = kAlnum | kMark;
constexpr unsigned kUric = kReserved | kUnreserved | kEscaped;
constexpr unsigned kPath = kUnreserved | kEscaped | kPathExtra;
constexpr unsigned kUserInfo = kUnreserved | kEscaped | kUserExtra;
constexpr unsigned kServer = kUserInfo | kAlnum | kServerExtra;
constexpr unsigned kRegName = kUnreserved | kEscaped | kRegExtra;

bool InClass(char32_t c, unsigned mask) {
  if (c < 0x80) {
    const char ch = static_cast<char>(c);
    if ((mask & kAlnum) && IsAlnum(c)) return true;
    if ((mask & kMark) && c != 0 && std::strchr("-_.!~*'()", ch)) return true;
    if ((mask & kReserved) && c != 0 && std::strchr(";/?:@&=+$,[]", ch)) return true;
    if ((mask & kPathExtra) && c != 0 && std::strchr(":@&=+$,;/", ch)) return true;
    if ((mask & kUserExtra) && c != 0 && std::strchr(";:&=+$,", ch)) return true;
    if ((mask & kServerExtra) && c != 0 && std::strchr(".:@[]-", ch)) return true;
    if ((mask & kRegExtra) && c != 0 && std::strchr("$,;:@&=+", ch)) return true;
    if ((mask & kSchemeExtra) && c != 0 && std::strchr("+-.", ch)) return true;
    return false;
  }
  // "other" characters: not controls, not space separators.
  const bool space = c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
                     c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  const bool control = c >= 0x80 && c <= 0x9F;
  return (mask & kEscaped) && !space && !control;
}

struct Uri {
  std::optional<std::string> scheme, authority, user_info, host, path, query, fragment;
};

// java.net.URI's parser, for the components parse_url reads. nullopt: URISyntaxException.
class UriParser {
 public:
  explicit UriParser(std::string_view text) : s_(DecodeUtf8(text)) {}

  std::optional<Uri> Parse() {
    const size_t n = s_.size();
    size_t p = Scan(0, n, U"/?#", U":");
    if (p != kFail && p < n && s_[p] == ':') {
      if (p == 0 || !IsAlpha(s_[0])) return std::nullopt;
      for (size_t i = 1; i < p; ++i) {
        if (!IsAlnum(s_[i]) && !InClass(s_[i], kSchemeExtra)) return std::nullopt;
      }
      uri_.scheme = Sub(0, p);
      ++p;
      if (p < n && s_[p] == '/') {
        if (!Hierarchical(p, n, &p)) return std::nullopt;
      } else {
        const size_t q = ScanUntil(p, n, U"#");
        if (q <= p || !Check(p, q, kUric)) return std::nullopt;
        p = q;  // opaque: no authority, path or query
      }
    } else {
      if (!Hierarchical(0, n, &p)) return std::nullopt;
    }
    if (p < n && s_[p] == '#') {
      if (!Check(p + 1, n, kUric)) return std::nullopt;
      uri_.fragment = Sub(p + 1, n);
      p = n;
    }
    if (p < n) return std::nullopt;
    return uri_;
  }

 private:
  static constexpr size_t kFail = static_cast<size_t>(-1);

  std::string Sub(size_t from, size_t to) const {
    std::string out;
    for (size_t i = from; i < to; ++i) AppendUtf8(out, s_[i]);
    return out;
  }
  // The first index in [from, to) of a character of `stop`; kFail if one of `error`
  // comes first; `to` if neither.
  size_t Scan(size_t from, size_t to, std::u32string_view error, std::u32string_view stop) const {
    for (size_t i = from; i < to; ++i) {
      if (error.find(s_[i]) != std::u32string_view::npos) return kFail;
      if (stop.find(s_[i]) != std::u32string_view::npos) return i;
    }
    return to;
  }
  size_t ScanUntil(size_t from, size_t to, std::u32string_view stop) const {
    for (size_t i = from; i < to; ++i) {
      if (stop.find(s_[i]) != std::u32string_view::npos) return i;
    }
    return to;
  }
  // The end of the run of characters of `mask` (and escapes) from `from`.
  size_t ScanClass(size_t from, size_t to, unsigned mask) const {
    size_t i = from;
    while (i < to) {
      if (s_[i] == '%' && (mask & kEscaped)) {
        if (i + 2 < to && IsHex(s_[i + 1]) && IsHex(s_[i + 2])) {
          i += 3;
          continue;
        }
        break;
      }
      if (!InClass(s_[i], mask)) break;
      ++i;
    }
    return i;
  }
  bool Check(size_t from, size_t to, unsigned mask) const {
    return ScanClass(from, to, mask) == to;
  }

  bool Hierarchical(size_t start, size_t n, size_t* end) {
    size_t p = start;
    if (p + 1 < n && s_[p] == '/' && s_[p + 1] == '/') {
      p += 2;
      const size_t q = ScanUntil(p, n, U"/?#");
      if (q > p) {
        if (!Authority(p, q)) return false;
      } else if (q >= n) {
        return false;
      }
      p = q;
    }
    size_t q = ScanUntil(p, n, U"?#");
    if (!Check(p, q, kPath)) return false;
    uri_.path = Sub(p, q);
    p = q;
    if (p < n && s_[p] == '?') {
      ++p;
      q = ScanUntil(p, n, U"#");
      if (!Check(p, q, kUric)) return false;
      uri_.query = Sub(p, q);
      p = q;
    }
    *end = p;
    return true;
  }

  bool Authority(size_t p, size_t n) {
    const bool server_chars = ScanClass(p, n, kServer) == n;
    const bool registry_chars = ScanClass(p, n, kRegName) == n;
    if (registry_chars && !server_chars) {
      uri_.authority = Sub(p, n);
      return true;
    }
    if (server_chars && Server(p, n)) {
      uri_.authority = Sub(p, n);
      return true;
    }
    uri_.user_info.reset();
    uri_.host.reset();
    if (registry_chars) {
      uri_.authority = Sub(p, n);
      return true;
    }
    return false;
  }

  bool Server(size_t start, size_t n) {
    size_t p = start;
    const size_t at = Scan(p, n, U"/?#", U"@");
    if (at != kFail && at < n && s_[at] == '@') {
      if (!Check(p, at, kUserInfo)) return false;
      uri_.user_info = Sub(p, at);
      p = at + 1;
    }
    if (p < n && s_[p] == '[') return false;  // IPv6 literals are refused by the caller
    size_t q = IPv4(p, n);
    if (q == kFail) q = Hostname(p, n);
    if (q == kFail) return false;
    p = q;
    if (p < n && s_[p] == ':') {
      ++p;
      size_t d = p;
      while (d < n && IsDigit(s_[d])) ++d;
      if (d - p > 9) return false;
      p = d;
    }
    return p == n;
  }

  size_t IPv4(size_t start, size_t n) {
    size_t p = start;
    for (int part = 0; part < 4; ++part) {
      if (part > 0) {
        if (p >= n || s_[p] != '.') return kFail;
        ++p;
      }
      size_t d = p;
      int value = 0;
      while (d < n && IsDigit(s_[d]) && d - p < 3) value = value * 10 + (s_[d++] - '0');
      if (d == p || value > 255 || (d < n && IsDigit(s_[d]))) return kFail;
      p = d;
    }
    if (p < n && s_[p] != ':') return kFail;
    uri_.host = Sub(start, p);
    return p;
  }

  size_t Hostname(size_t start, size_t n) {
    size_t p = start;
    size_t last = kFail;
    while (true) {
      size_t q = p;
      while (q < n && IsAlnum(s_[q])) ++q;
      if (q <= p) break;
      last = p;
      p = q;
      q = p;
      while (q < n && (IsAlnum(s_[q]) || s_[q] == '-')) ++q;
      if (q > p) {
        if (s_[q - 1] == '-') return kFail;
        p = q;
      }
      if (p < n && s_[p] == '.') {
        ++p;
        if (p >= n) break;
      } else {
        break;
      }
    }
    if (p < n && s_[p] != ':') return kFail;
    if (last == kFail) return kFail;
    if (last > start && !IsAlpha(s_[last])) return kFail;
    uri_.host = Sub(start, p);
    return p;
  }

  std::vector<char32_t> s_;
  Uri uri_;
};

bool HasIPv6(std::string_view url) { return url.find('[') != std::string_view::npos; }

std::optional<std::string> Part(const Uri& uri, const std::string& part) {
  if (part == "HOST") return uri.host;
  if (part == "PATH") return uri.path;
  if (part == "QUERY") return uri.query;
  if (part == "REF") return uri.fragment;
  if (part == "PROTOCOL") return uri.scheme;
  if (part == "FILE") {
    if (uri.query && uri.path) return *uri.path + "?" + *uri.query;
    return uri.path;
  }
  if (part == "AUTHORITY") return uri.authority;
  if (part == "USERINFO") return uri.user_info;
  return std::nullopt;
}

NativeValue Optional(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

Result<std::optional<Uri>> ReadUri(const std::string& url, bool strict) {
  if (HasIPv6(url)) {
    return NotSupported("parse_url: URLs with '[' (IPv6 hosts) are not supported");
  }
  auto uri = UriParser(url).Parse();
  if (!uri && strict) {
    return InvalidArgument("[INVALID_URL] The url is invalid: ", url,
                           ". Use `try_parse_url` to tolerate invalid URL and return NULL "
                           "instead.");
  }
  return uri;
}

// The value of `key` in a query: Spark matches (&|^)key=([^&]*) and takes the group.
std::optional<std::string> QueryValue(const std::string& query, const std::string& key) {
  const std::string needle = key + "=";
  for (size_t i = 0; i <= query.size(); ++i) {
    if (i > 0 && query[i - 1] != '&') continue;
    if (query.compare(i, needle.size(), needle) != 0) continue;
    const size_t from = i + needle.size();
    const size_t to = query.find('&', from);
    return query.substr(from, to == std::string::npos ? std::string::npos : to - from);
  }
  return std::nullopt;
}

// URLEncoder.encode(s, UTF-8): letters, digits and .-*_ stay; space is '+'.
std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (IsAlnum(b) || b == '.' || b == '-' || b == '*' || b == '_') {
      out += c;
    } else if (b == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

// URLDecoder.decode(s, UTF-8): '+' is a space, runs of %XX are UTF-8 bytes.
Result<std::string> UrlDecode(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '+') {
      out += ' ';
      ++i;
    } else if (text[i] == '%') {
      std::string bytes;
      while (i + 2 < text.size() && text[i] == '%') {
        // Integer.parseInt(s, 16) of the two characters: a '+' sign is taken, '-' fails.
        const char a = text[i + 1], b = text[i + 2];
        if (!(IsHex(a) || a == '+') || !IsHex(b)) {
          return InvalidArgument("URLDecoder: Illegal hex characters in escape (%) pattern");
        }
        const int hi = a == '+' ? 0 : std::stoi(std::string(1, a), nullptr, 16);
        const int lo = std::stoi(std::string(1, b), nullptr, 16);
        bytes += static_cast<char>(hi * 16 + lo);
        i += 3;
      }
      if (i < text.size() && text[i] == '%') {
        return InvalidArgument("URLDecoder: Incomplete trailing escape (%) pattern");
      }
      out += DecodeUtf8Java(bytes);
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace

void AddUrlNatives(std::vector<NativeFunction>& out) {
  out.push_back({"spark_parse_url",
                 {"VARCHAR", "VARCHAR", "BOOLEAN"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(auto uri, ReadUri(Text(a[0]), std::get<bool>(a[2])));
                   if (!uri) return NativeValue(std::monostate{});
                   return Optional(Part(*uri, Text(a[1])));
                 }});
  out.push_back({"spark_parse_url_query",
                 {"VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(auto uri, ReadUri(Text(a[0]), std::get<bool>(a[3])));
                   if (!uri || Text(a[1]) != "QUERY" || !uri->query) {
                     return NativeValue(std::monostate{});
                   }
                   return Optional(QueryValue(*uri->query, Text(a[2])));
                 }});
  out.push_back({"spark_url_encode",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(UrlEncode(Text(a[0])));
                 }});
  out.push_back({"spark_url_decode",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(std::string text, UrlDecode(Text(a[0])));
                   return NativeValue(std::move(text));
                 }});
}

}  // namespace sluice::spark::internal
