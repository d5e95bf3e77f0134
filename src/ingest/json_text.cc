#include "ingest/json_text.h"

#include <cstring>

namespace sluice::ingest {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `p` is just past a string's opening quote; returns just past its closing quote (or `end`
// for an unterminated string, which validated input never has).
const char* SkipStringBody(const char* p, const char* end) {
  const char* const body = p;
  while (p < end) {
    const char* quote = static_cast<const char*>(std::memchr(p, '"', end - p));
    if (quote == nullptr) return end;
    // The quote is escaped if an odd number of backslashes precede it.
    const char* q = quote;
    while (q > body && q[-1] == '\\') --q;
    if ((quote - q) % 2 == 0) return quote + 1;
    p = quote + 1;
  }
  return end;
}

}  // namespace

void PaddedBuffer::Assign(std::string_view text) {
  const size_t needed = text.size() + kJsonPadding;
  if (needed > allocated_) {
    // Grow geometrically so that slowly lengthening lines do not reallocate each time.
    allocated_ = needed > 2 * allocated_ ? needed : 2 * allocated_;
    buffer_ = std::make_unique_for_overwrite<char[]>(allocated_);
  }
  if (!text.empty()) std::memcpy(buffer_.get(), text.data(), text.size());
  // Zeros after the text: whatever simdjson reads there is never part of a token.
  std::memset(buffer_.get() + text.size(), 0, kJsonPadding);
  size_ = text.size();
}

std::string_view TrimJsonWhitespace(std::string_view text) {
  while (!text.empty() && IsJsonWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsJsonWhitespace(text.back())) text.remove_suffix(1);
  return text;
}

size_t JsonValueEnd(std::string_view text, size_t start, bool* has_whitespace) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin + start;
  if (p >= end) return text.size();
  if (*p == '"') return SkipStringBody(p + 1, end) - begin;
  if (*p != '{' && *p != '[') {  // a number or a literal: runs to the next delimiter
    while (p < end && !IsJsonWhitespace(*p) && *p != ',' && *p != '}' && *p != ']') ++p;
    return p - begin;
  }
  int depth = 0;
  while (p < end) {
    switch (*p) {
      case '"':
        p = SkipStringBody(p + 1, end);
        continue;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth == 0) return p + 1 - begin;
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        *has_whitespace = true;
        break;
      default:
        break;
    }
    ++p;
  }
  return text.size();
}

bool IsJsonNumber(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  if (i < n && text[i] == '-') ++i;
  if (i >= n || !IsDigit(text[i])) return false;
  if (text[i] == '0') {
    ++i;
  } else {
    while (i < n && IsDigit(text[i])) ++i;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(text[i])) return false;
    while (i < n && IsDigit(text[i])) ++i;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (i >= n || !IsDigit(text[i])) return false;
    while (i < n && IsDigit(text[i])) ++i;
  }
  return i == n;
}

bool IsIntegralJsonNumber(std::string_view text) {
  return text.find_first_of(".eE") == std::string_view::npos;
}

bool DecimalShape(std::string_view text, int* precision, int* scale) {
  size_t i = 0;
  const size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  // The unscaled value's digits are the integer and fraction digits; leading zeros do not
  // count towards the precision.
  size_t digits = 0;
  size_t significant = 0;
  size_t fraction_digits = 0;
  bool in_fraction = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (IsDigit(c)) {
      ++digits;
      if (significant > 0 || c != '0') ++significant;
      if (in_fraction) ++fraction_digits;
    } else if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else {
      break;
    }
  }
  if (digits == 0) return false;
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (i >= n) return false;
    for (; i < n && IsDigit(text[i]); ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 100000) return false;
    }
    if (negative) exponent = -exponent;
  }
  if (i != n) return false;
  if (digits > 1000000) return false;
  *precision = significant == 0 ? 1 : static_cast<int>(significant);
  *scale = static_cast<int>(static_cast<long>(fraction_digits) - exponent);
  return true;
}

JsonScratch& ThreadJsonScratch() {
  thread_local JsonScratch scratch;
  return scratch;
}

}  // namespace sluice::ingest
