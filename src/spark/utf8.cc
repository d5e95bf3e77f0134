#include "spark/utf8.h"

namespace sluice::spark::internal {

std::vector<char32_t> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    const int extra = b < 0x80           ? 0
                      : (b >> 5) == 0x6  ? 1
                      : (b >> 4) == 0xE  ? 2
                      : (b >> 3) == 0x1E ? 3
                                         : -1;
    if (extra < 0 || i + extra >= text.size()) {
      if (extra != 0) {
        out.push_back(0xFFFD);
        ++i;
        continue;
      }
    }
    char32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string EncodeUtf8(const std::vector<char32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t cp : cps) AppendUtf8(out, cp);
  return out;
}

int64_t Utf16Length(std::string_view text) {
  int64_t n = 0;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) ++n;  // a lead byte starts a code point
    if ((b & 0xF8) == 0xF0) ++n;  // four-byte sequences are surrogate pairs
  }
  return n;
}

bool IsJavaWhitespace(char32_t cp) {
  if ((cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20)) return true;
  return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x2006) || (cp >= 0x2008 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

namespace {

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

// new String(bytes, UTF-8): each malformed sequence becomes U+FFFD, with the lengths Java's
// decoder gives malformed input.
std::string DecodeUtf8Java(std::string_view bytes) {
  std::string out;
  const size_t n = bytes.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  size_t i = 0;
  auto bad = [&](size_t length) {
    AppendUtf8(out, 0xFFFD);
    i += length;
  };
  while (i < n) {
    const unsigned char b1 = at(i);
    const size_t left = n - i;
    if (b1 < 0x80) {
      out += static_cast<char>(b1);
      ++i;
    } else if (b1 >= 0xC2 && b1 <= 0xDF) {
      if (left < 2) {
        bad(left);
      } else if (!IsContinuation(at(i + 1))) {
        bad(1);
      } else {
        out.append(bytes.substr(i, 2));
        i += 2;
      }
    } else if ((b1 >> 4) == 0xE) {
      if (left < 3) {
        if (left > 1 &&
            ((b1 == 0xE0 && (at(i + 1) & 0xE0) == 0x80) || !IsContinuation(at(i + 1)))) {
          bad(1);
        } else {
          bad(left);
        }
        continue;
      }
      const unsigned char b2 = at(i + 1), b3 = at(i + 2);
      if ((b1 == 0xE0 && (b2 & 0xE0) == 0x80) || !IsContinuation(b2) || !IsContinuation(b3)) {
        bad(((b1 == 0xE0 && (b2 & 0xE0) == 0x80) || !IsContinuation(b2)) ? 1 : 2);
        continue;
      }
      const char32_t cp = ((b1 & 0x0F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        bad(3);
      } else {
        out.append(bytes.substr(i, 3));
        i += 3;
      }
    } else if ((b1 >> 3) == 0x1E) {
      auto malformed_second = [&](unsigned char b2) {
        return (b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) || (b1 == 0xF4 && (b2 & 0xF0) != 0x80) ||
               !IsContinuation(b2);
      };
      if (left < 4) {
        if (left > 1 && malformed_second(at(i + 1))) {
          bad(1);
        } else if (left > 2 && !IsContinuation(at(i + 2))) {
          bad(2);
        } else {
          bad(left);
        }
        continue;
      }
      const unsigned char b2 = at(i + 1), b3 = at(i + 2), b4 = at(i + 3);
      const char32_t cp =
          ((b1 & 0x07) << 18) | ((b2 & 0x3F) << 12) | ((b3 & 0x3F) << 6) | (b4 & 0x3F);
      if (!IsContinuation(b2) || !IsContinuation(b3) || !IsContinuation(b4) || cp < 0x10000 ||
          cp > 0x10FFFF) {
        if (b1 > 0xF4 || malformed_second(b2)) {
          bad(1);
        } else if (!IsContinuation(b3)) {
          bad(2);
        } else {
          bad(3);
        }
        continue;
      }
      out.append(bytes.substr(i, 4));
      i += 4;
    } else {
      bad(1);
    }
  }
  return out;
}

}  // namespace sluice::spark::internal
