// Native functions of the string group: charsets (encode, decode), base64 as Java's MIME
// codec reads it, levenshtein, soundex, substring_index, with Spark's semantics.
#include <algorithm>
#include <optional>

#include "common/strings.h"
#include "spark/native_groups.h"
#include "spark/utf8.h"

namespace sluice::spark::internal {

void AddStringFormatNatives(std::vector<NativeFunction>& out);
void AddRegexpNatives(std::vector<NativeFunction>& out);
void AddUrlNatives(std::vector<NativeFunction>& out);

namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }
int64_t Int(const NativeValue& value) { return std::get<int64_t>(value); }

// ---- Charsets ----------------------------------------------------------------------------

enum class Charset { kAscii, kLatin1, kUtf8, kUtf16, kUtf16Be, kUtf16Le };

// The charsets Spark documents for encode / decode, under the names Java knows them by.
std::optional<Charset> FindCharset(std::string_view name) {
  static const std::pair<const char*, Charset> kNames[] = {
      {"us-ascii", Charset::kAscii},
      {"ascii", Charset::kAscii},
      {"iso646-us", Charset::kAscii},
      {"ansi_x3.4-1968", Charset::kAscii},
      {"cp367", Charset::kAscii},
      {"csascii", Charset::kAscii},
      {"default", Charset::kAscii},
      {"646", Charset::kAscii},
      {"iso-8859-1", Charset::kLatin1},
      {"iso8859-1", Charset::kLatin1},
      {"iso8859_1", Charset::kLatin1},
      {"iso_8859_1", Charset::kLatin1},
      {"iso_8859-1", Charset::kLatin1},
      {"8859_1", Charset::kLatin1},
      {"latin1", Charset::kLatin1},
      {"l1", Charset::kLatin1},
      {"cp819", Charset::kLatin1},
      {"ibm819", Charset::kLatin1},
      {"csisolatin1", Charset::kLatin1},
      {"utf-8", Charset::kUtf8},
      {"utf8", Charset::kUtf8},
      {"unicode-1-1-utf-8", Charset::kUtf8},
      {"utf-16", Charset::kUtf16},
      {"utf_16", Charset::kUtf16},
      {"utf16", Charset::kUtf16},
      {"unicode", Charset::kUtf16},
      {"unicodebig", Charset::kUtf16},
      {"utf-16be", Charset::kUtf16Be},
      {"utf_16be", Charset::kUtf16Be},
      {"x-utf-16be", Charset::kUtf16Be},
      {"unicodebigunmarked", Charset::kUtf16Be},
      {"utf-16le", Charset::kUtf16Le},
      {"utf_16le", Charset::kUtf16Le},
      {"x-utf-16le", Charset::kUtf16Le},
      {"unicodelittleunmarked", Charset::kUtf16Le},
  };
  const std::string lower = ToLower(name);
  for (const auto& [known, charset] : kNames) {
    if (lower == known) return charset;
  }
  return std::nullopt;
}

Status CharsetError(const std::string& function, const std::string& name) {
  return NotSupported("[INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) `charset` in `",
                      function, "` is invalid: expects one of the charsets 'US-ASCII', ",
                      "'ISO-8859-1', 'UTF-8', 'UTF-16BE', 'UTF-16LE', 'UTF-16', but got '", name,
                      "'.");
}

void AppendUtf16(std::string& out, char32_t unit, bool big_endian) {
  const char hi = static_cast<char>((unit >> 8) & 0xFF), lo = static_cast<char>(unit & 0xFF);
  out += big_endian ? hi : lo;
  out += big_endian ? lo : hi;
}

// String.getBytes(charset): characters the charset cannot hold become '?'.
std::string EncodeCharset(std::string_view text, Charset charset) {
  if (charset == Charset::kUtf8) return std::string(text);
  std::string out;
  const std::vector<char32_t> cps = DecodeUtf8(text);
  if (charset == Charset::kUtf16 && !cps.empty()) out += "\xFE\xFF";
  for (char32_t cp : cps) {
    switch (charset) {
      case Charset::kAscii:
        out += cp < 0x80 ? static_cast<char>(cp) : '?';
        break;
      case Charset::kLatin1:
        out += cp < 0x100 ? static_cast<char>(cp) : '?';
        break;
      default: {
        const bool big = charset != Charset::kUtf16Le;
        if (cp >= 0x10000) {
          AppendUtf16(out, 0xD800 + ((cp - 0x10000) >> 10), big);
          AppendUtf16(out, 0xDC00 + ((cp - 0x10000) & 0x3FF), big);
        } else {
          AppendUtf16(out, cp, big);
        }
      }
    }
  }
  return out;
}

// new String(bytes, UTF-16[BE|LE]): a byte order mark decides UTF-16's order (big-endian
// without one); an unpaired surrogate or a dangling byte becomes U+FFFD.
std::string DecodeUtf16Java(std::string_view bytes, Charset charset) {
  bool big = charset != Charset::kUtf16Le;
  size_t i = 0;
  auto unit_at = [&](size_t k) {
    const auto a = static_cast<unsigned char>(bytes[k]),
               b = static_cast<unsigned char>(bytes[k + 1]);
    return static_cast<char32_t>(big ? (a << 8 | b) : (b << 8 | a));
  };
  if (charset == Charset::kUtf16 && bytes.size() >= 2) {
    const char32_t mark = unit_at(0);
    if (mark == 0xFEFF) {
      i = 2;
    } else if (mark == 0xFFFE) {
      big = false;
      i = 2;
    }
  }
  std::string out;
  while (i + 1 < bytes.size()) {
    const char32_t unit = unit_at(i);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 3 < bytes.size()) {
        const char32_t low = unit_at(i + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        } else {
          AppendUtf8(out, 0xFFFD);
        }
        i += 4;
      } else {
        AppendUtf8(out, 0xFFFD);
        i = bytes.size();
      }
    } else {
      AppendUtf8(out, unit >= 0xDC00 && unit <= 0xDFFF ? 0xFFFD : unit);
      i += 2;
    }
  }
  if (i < bytes.size()) AppendUtf8(out, 0xFFFD);
  return out;
}

std::string DecodeCharset(std::string_view bytes, Charset charset) {
  std::string out;
  switch (charset) {
    case Charset::kUtf8:
      return DecodeUtf8Java(bytes);
    case Charset::kAscii:
      for (char c : bytes) {
        if (static_cast<unsigned char>(c) < 0x80) {
          out += c;
        } else {
          AppendUtf8(out, 0xFFFD);
        }
      }
      return out;
    case Charset::kLatin1:
      for (char c : bytes) AppendUtf8(out, static_cast<unsigned char>(c));
      return out;
    default:
      return DecodeUtf16Java(bytes, charset);
  }
}

// ---- Base64 ------------------------------------------------------------------------------

int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return c == '=' ? -2 : -1;
}

// Java's MIME base64 decoder: characters outside the alphabet are skipped; padding ends
// the input and must complete its unit; a unit of one character is an error.
Result<std::string> DecodeBase64Mime(std::string_view text) {
  std::string out;
  uint32_t bits = 0;
  int shift = 18;
  size_t i = 0;
  const Status wrong_ending =
      InvalidArgument("unbase64: Input byte array has wrong 4-byte ending unit");
  for (; i < text.size(); ++i) {
    const int v = Base64Value(static_cast<unsigned char>(text[i]));
    if (v == -1) continue;
    if (v == -2) {
      if (shift == 18) return wrong_ending;
      if (shift == 6) {
        ++i;
        if (i >= text.size() || text[i] != '=') return wrong_ending;
      }
      ++i;
      break;
    }
    bits |= static_cast<uint32_t>(v) << shift;
    shift -= 6;
    if (shift < 0) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      shift = 18;
      bits = 0;
    }
  }
  if (shift == 6) {
    out += static_cast<char>((bits >> 16) & 0xFF);
  } else if (shift == 0) {
    out += static_cast<char>((bits >> 16) & 0xFF);
    out += static_cast<char>((bits >> 8) & 0xFF);
  } else if (shift == 12) {
    return InvalidArgument("unbase64: Last unit does not have enough valid bits");
  }
  for (; i < text.size(); ++i) {
    if (Base64Value(static_cast<unsigned char>(text[i])) >= 0) {
      return InvalidArgument("unbase64: Input byte array has incorrect ending byte at ",
                             std::to_string(i + 1));
    }
  }
  return out;
}

// Spark's UnBase64.isValidBase64 (RFC 4648 groups, whitespace ignored).
bool IsValidBase64(std::string_view text) {
  int position = 0, padding = 0;
  for (char32_t c : DecodeUtf8(text)) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '/' ||
        c == '+') {
      if (padding != 0) return false;
      ++position;
    } else if (c == '=') {
      ++padding;
      if (padding > 2 || position % 4 < 2) return false;
    } else if (IsJavaWhitespace(c)) {
      if (padding != 0) return false;
    } else {
      return false;
    }
  }
  return padding > 0 ? (position + padding) % 4 == 0 : position % 4 != 1;
}

// ---- Other string natives ---------------------------------------------------------------

// UTF8String.levenshteinDistance, on code points; with a threshold, -1 when the distance
// is larger.
int64_t Levenshtein(std::string_view a, std::string_view b) {
  const std::vector<char32_t> s = DecodeUtf8(a), t = DecodeUtf8(b);
  std::vector<int64_t> row(t.size() + 1);
  for (size_t j = 0; j <= t.size(); ++j) row[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= s.size(); ++i) {
    int64_t diagonal = row[0];
    row[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= t.size(); ++j) {
      const int64_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (s[i - 1] == t[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[t.size()];
}

// UTF8String.soundex: American Soundex over the bytes; a string whose first byte is not
// an ASCII letter is returned as it is.
std::string Soundex(const std::string& text) {
  static const char kCodes[] = "01230127022455012623017202";
  if (text.empty()) return text;
  auto upper = [](unsigned char c) { return c >= 'a' && c <= 'z' ? c - 32 : c; };
  unsigned char first = upper(text[0]);
  if (first < 'A' || first > 'Z') return text;
  std::string out = {static_cast<char>(first), '0', '0', '0'};
  size_t next = 1;
  char last = kCodes[first - 'A'];
  for (size_t i = 1; i < text.size() && next < 4; ++i) {
    const unsigned char c = upper(text[i]);
    if (c < 'A' || c > 'Z') {
      last = '0';
      continue;
    }
    const char code = kCodes[c - 'A'];
    if (code == '7') continue;
    if (code != '0' && code != last) out[next++] = code;
    last = code;
  }
  return out;
}

// UTF8String.subStringIndex: occurrences are searched byte by byte and may overlap.
std::string SubstringIndex(const std::string& text, const std::string& delim, int64_t count) {
  if (delim.empty() || count == 0) return "";
  if (count > 0) {
    size_t index = std::string::npos;
    for (size_t from = 0; count > 0; --count, from = index + 1) {
      index = text.find(delim, from);
      if (index == std::string::npos) return text;
    }
    return text.substr(0, index);
  }
  int64_t index = static_cast<int64_t>(text.size());
  for (; count < 0; ++count) {
    if (index - 1 < 0) return text;
    const size_t found = text.rfind(delim, static_cast<size_t>(index - 1));
    if (found == std::string::npos) return text;
    index = static_cast<int64_t>(found);
  }
  return text.substr(static_cast<size_t>(index) + delim.size());
}

}  // namespace

void AddStringNatives(std::vector<NativeFunction>& out) {
  out.push_back({"spark_charset_encode",
                 {"VARCHAR", "VARCHAR"},
                 "BLOB",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   auto charset = FindCharset(Text(a[1]));
                   if (!charset) return CharsetError("encode", Text(a[1]));
                   return NativeValue(EncodeCharset(Text(a[0]), *charset));
                 }});
  out.push_back({"spark_charset_decode",
                 {"BLOB", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   auto charset = FindCharset(Text(a[1]));
                   if (!charset) return CharsetError("decode", Text(a[1]));
                   return NativeValue(DecodeCharset(Text(a[0]), *charset));
                 }});
  out.push_back({"spark_unbase64",
                 {"VARCHAR"},
                 "BLOB",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(std::string bytes, DecodeBase64Mime(Text(a[0])));
                   return NativeValue(std::move(bytes));
                 }});
  out.push_back({"spark_is_base64",
                 {"VARCHAR"},
                 "BOOLEAN",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(IsValidBase64(Text(a[0])));
                 }});
  out.push_back({"spark_levenshtein",
                 {"VARCHAR", "VARCHAR"},
                 "INTEGER",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(Levenshtein(Text(a[0]), Text(a[1])));
                 }});
  out.push_back({"spark_levenshtein_within",
                 {"VARCHAR", "VARCHAR", "INTEGER"},
                 "INTEGER",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const int64_t distance = Levenshtein(Text(a[0]), Text(a[1]));
                   return NativeValue(distance > Int(a[2]) ? int64_t{-1} : distance);
                 }});
  out.push_back({"spark_soundex",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(Soundex(Text(a[0])));
                 }});
  out.push_back({"spark_substring_index",
                 {"VARCHAR", "VARCHAR", "INTEGER"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(SubstringIndex(Text(a[0]), Text(a[1]), Int(a[2])));
                 }});
  AddStringFormatNatives(out);
  AddRegexpNatives(out);
  AddUrlNatives(out);
}

}  // namespace sluice::spark::internal
