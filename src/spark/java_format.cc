#include "spark/java_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include "spark/text_format.h"

namespace sluice::spark::internal {
namespace {

// Minimal unsigned big integers (base 2^32, little-endian) to compare a double with a
// decimal exactly.
using Big = std::vector<uint32_t>;

void MultiplySmall(Big& n, uint32_t factor) {
  uint64_t carry = 0;
  for (uint32_t& limb : n) {
    const uint64_t product = static_cast<uint64_t>(limb) * factor + carry;
    limb = static_cast<uint32_t>(product);
    carry = product >> 32;
  }
  if (carry) n.push_back(static_cast<uint32_t>(carry));
}

Big FromDigits(const std::string& digits) {
  Big n = {0};
  for (char c : digits) {
    MultiplySmall(n, 10);
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (size_t i = 0; i < n.size() && carry; ++i) {
      const uint64_t sum = static_cast<uint64_t>(n[i]) + carry;
      n[i] = static_cast<uint32_t>(sum);
      carry = sum >> 32;
    }
    if (carry) n.push_back(static_cast<uint32_t>(carry));
  }
  return n;
}

int Compare(Big a, Big b) {
  while (a.size() > 1 && a.back() == 0) a.pop_back();
  while (b.size() > 1 && b.back() == 0) b.pop_back();
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// Compares |value| with 0.digits x 10^point exactly: -1, 0 or 1.
int CompareExact(double value, const std::string& digits, int point) {
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent);
  const auto mantissa = static_cast<uint64_t>(std::ldexp(fraction, 53));
  exponent -= 53;  // |value| = mantissa x 2^exponent
  Big left = {static_cast<uint32_t>(mantissa), static_cast<uint32_t>(mantissa >> 32)};
  Big right = FromDigits(digits);
  const int ten = point - static_cast<int>(digits.size());  // decimal = digits x 10^ten
  for (int i = 0; i < ten; ++i) MultiplySmall(right, 10);
  for (int i = 0; i < -ten; ++i) MultiplySmall(left, 10);
  for (int i = 0; i < exponent; ++i) MultiplySmall(left, 2);
  for (int i = 0; i < -exponent; ++i) MultiplySmall(right, 2);
  return Compare(left, right);
}

// Rounds 0.digits x 10^point to `fraction` decimals. `tie` decides an exact half: > 0 up,
// < 0 down, 0 half-even; `half_up` rounds every half up instead.
void RoundDigits(std::string& digits, int& point, int fraction, int tie, bool half_up) {
  const int keep = point + fraction;
  if (keep >= static_cast<int>(digits.size())) return;
  if (keep < 0) {
    digits = "0";
    point = 1;
    return;
  }
  const std::string dropped = digits.substr(keep);
  digits.resize(keep);
  bool up;
  if (dropped[0] > '5') {
    up = true;
  } else if (dropped[0] < '5') {
    up = false;
  } else if (dropped.find_first_not_of('0', 1) != std::string::npos || half_up) {
    up = true;
  } else if (tie != 0) {
    up = tie > 0;
  } else {
    up = !digits.empty() && (digits.back() - '0') % 2 == 1;
  }
  if (up) {
    int i = static_cast<int>(digits.size()) - 1;
    while (i >= 0 && digits[i] == '9') digits[i--] = '0';
    if (i < 0) {
      digits.insert(digits.begin(), '1');
      ++point;
    } else {
      ++digits[i];
    }
  }
  if (digits.empty()) {
    digits = "0";
    point = 1;
  }
}

// Splits 0.digits x 10^point into integer digits (no leading zeros) and fraction digits.
void Split(const std::string& digits, int point, std::string* integer, std::string* fraction) {
  integer->clear();
  fraction->clear();
  if (point <= 0) {
    *fraction = std::string(-point, '0') + digits;
  } else {
    *integer = digits.substr(0, std::min<size_t>(point, digits.size()));
    if (static_cast<int>(digits.size()) < point)
      *integer += std::string(point - digits.size(), '0');
    if (static_cast<int>(digits.size()) > point) *fraction = digits.substr(point);
  }
  const size_t first = integer->find_first_not_of('0');
  integer->erase(0, first == std::string::npos ? integer->size() : first);
}

std::string Group(const std::string& integer, int size) {
  if (size <= 0) return integer;
  std::string out;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % size == 0) out += ',';
    out += integer[i];
  }
  return out;
}

// Plain decimal text ("-12.50") as sign, digits and point.
void ReadDecimal(std::string_view text, bool* negative, std::string* digits, int* point) {
  *negative = !text.empty() && text[0] == '-';
  if (*negative) text.remove_prefix(1);
  const size_t dot = text.find('.');
  std::string integer(text.substr(0, dot));
  const std::string fraction(dot == std::string_view::npos ? "" : text.substr(dot + 1));
  const size_t first = integer.find_first_not_of('0');
  integer.erase(0, first == std::string::npos ? integer.size() : first);
  *digits = integer + fraction;
  *point = static_cast<int>(integer.size());
  const size_t lead = digits->find_first_not_of('0');
  if (lead == std::string::npos) {
    *digits = "0";
    *point = 1;
    *negative = false;
    return;
  }
  *point -= static_cast<int>(lead);
  digits->erase(0, lead);
}

// Java's FloatingDecimal writes integral doubles from 2^53 up to 2^63 with the digits of the
// integer (past the shortest ones); those are refused rather than written differently.
Status CheckDigitsKnown(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 9007199254740992.0 && magnitude < 9223372036854775808.0 &&
      std::floor(magnitude) == magnitude) {
    return NotSupported("formatting the double ", JavaDoubleString(value),
                        " as Java does (integral doubles between 2^53 and 2^63) is not supported");
  }
  return Status::OK();
}

}  // namespace

// ---- DecimalFormat ------------------------------------------------------------------------

Result<JavaDecimalFormat> JavaDecimalFormat::Parse(std::string_view pattern) {
  JavaDecimalFormat out;
  auto special = [](char c) {
    return std::strchr("#0,.;%'E", c) != nullptr || (c >= '1' && c <= '9');
  };
  size_t i = 0;
  while (i < pattern.size() && !special(pattern[i])) out.prefix_ += pattern[i++];
  std::string integer;
  while (i < pattern.size() && (pattern[i] == '#' || pattern[i] == '0' || pattern[i] == ',')) {
    integer += pattern[i++];
  }
  std::string fraction;
  const bool point = i < pattern.size() && pattern[i] == '.';
  if (point) {
    ++i;
    while (i < pattern.size() && (pattern[i] == '#' || pattern[i] == '0')) fraction += pattern[i++];
  }
  while (i < pattern.size() && !special(pattern[i])) out.suffix_ += pattern[i++];
  const bool has_digit = integer.find_first_of("#0") != std::string::npos;
  if (i < pattern.size() || !has_digit ||
      out.prefix_.find_first_of("-\xC2\xA4") != std::string::npos ||
      out.suffix_.find_first_of("-\xC2\xA4") != std::string::npos) {
    return NotSupported("format_number: the pattern '", std::string(pattern),
                        "' is not supported (only plain patterns such as '#,##0.00')");
  }
  if (integer.find("0#") != std::string::npos ||
      (integer.find('0') != std::string::npos &&
       integer.find('#', integer.find('0')) != std::string::npos) ||
      fraction.find("#0") != std::string::npos) {
    return InvalidArgument("format_number: malformed pattern '", std::string(pattern), "'");
  }
  for (char c : integer) out.min_integer_ += c == '0';
  if (out.min_integer_ == 0 && point) out.min_integer_ = 1;
  for (char c : fraction) out.min_fraction_ += c == '0';
  out.max_fraction_ = static_cast<int>(fraction.size());
  const size_t comma = integer.rfind(',');
  if (comma != std::string::npos) {
    out.grouping_ = static_cast<int>(integer.size() - comma - 1);
    if (out.grouping_ == 0) {
      return InvalidArgument("format_number: malformed pattern '", std::string(pattern), "'");
    }
  }
  return out;
}

std::string JavaDecimalFormat::Format(bool negative, std::string digits, int point, int tie) const {
  RoundDigits(digits, point, max_fraction_, tie, false);
  std::string integer, fraction;
  Split(digits, point, &integer, &fraction);
  while (static_cast<int>(fraction.size()) > min_fraction_ && !fraction.empty() &&
         fraction.back() == '0') {
    fraction.pop_back();
  }
  if (static_cast<int>(fraction.size()) < min_fraction_) {
    fraction += std::string(min_fraction_ - fraction.size(), '0');
  }
  if (static_cast<int>(integer.size()) < min_integer_) {
    integer = std::string(min_integer_ - integer.size(), '0') + integer;
  }
  if (integer.empty() && fraction.empty()) integer = "0";
  std::string out = negative ? "-" : "";
  out += prefix_ + Group(integer, grouping_);
  if (!fraction.empty()) out += "." + fraction;
  return out + suffix_;
}

Result<std::string> JavaDecimalFormat::FormatDouble(double value) const {
  if (std::isnan(value)) return std::string("NaN");
  const bool negative = std::signbit(value);
  if (std::isinf(value))
    return std::string(negative ? "-" : "") + prefix_ + "\xE2\x88\x9E" + suffix_;
  JavaDecimalFormat capped = *this;
  capped.max_fraction_ = std::min(max_fraction_, 340);
  capped.min_fraction_ = std::min(min_fraction_, 340);
  if (value == 0) return capped.Format(negative, "0", 1, 0);
  SLUICE_RETURN_IF_ERROR(CheckDigitsKnown(value));
  std::string digits;
  int point = 0;
  ShortestDigits(value, &digits, &point);
  int tie = 0;
  const int keep = point + capped.max_fraction_;
  if (keep >= 0 && keep < static_cast<int>(digits.size()) && digits[keep] == '5' &&
      keep + 1 == static_cast<int>(digits.size())) {
    tie = CompareExact(value, digits, point);
    // Java's FloatingDecimal reports a lone digit 5 below 1E-3 (5.0E-4, 5.0E-5, ...) as
    // rounded up, and DecimalFormat then rounds it down.
    if (digits == "5" && std::fabs(value) < 1e-3) tie = -1;
  }
  return capped.Format(negative, digits, point, tie);
}

std::string JavaDecimalFormat::FormatExact(std::string_view decimal) const {
  bool negative = false;
  std::string digits;
  int point = 0;
  ReadDecimal(decimal, &negative, &digits, &point);
  return Format(negative, digits, point, 0);
}

// ---- Formatter ----------------------------------------------------------------------------

namespace {

struct Spec {
  int index = 0;  // 1-based argument index; 0: the next one; -1: the previous one
  std::string flags;
  int width = -1;
  int precision = -1;
  char conversion = 0;
  bool Has(char flag) const { return flags.find(flag) != std::string::npos; }
};

Status Java(std::string_view exception, std::string_view detail) {
  return InvalidArgument("format_string: java.util.", exception, ": ", detail);
}

std::string Justify(std::string text, const Spec& spec) {
  // Pads with spaces to the width (UTF-16 units, as Java counts).
  int64_t length = 0;
  for (char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  for (char c : text) length += (static_cast<unsigned char>(c) & 0xF8) == 0xF0;
  if (spec.width < 0 || length >= spec.width) return text;
  const std::string pad(spec.width - length, ' ');
  return spec.Has('-') ? text + pad : pad + text;
}

std::string AsciiUpper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c -= 32;
  }
  return text;
}

// BigDecimal.toString of plain decimal text (Spark's Decimal.toString).
std::string BigDecimalString(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  const size_t dot = text.find('.');
  const int scale = dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  std::string unscaled(text.substr(0, dot));
  if (dot != std::string_view::npos) unscaled += text.substr(dot + 1);
  const size_t first = unscaled.find_first_not_of('0');
  unscaled = first == std::string::npos ? "0" : unscaled.substr(first);
  const int adjusted = static_cast<int>(unscaled.size()) - 1 - scale;
  std::string sign = negative && unscaled != "0" ? "-" : "";
  if (adjusted >= -6) return sign + std::string(text);
  std::string out = sign + unscaled.substr(0, 1);
  if (unscaled.size() > 1) out += "." + unscaled.substr(1);
  return out + "E" + std::to_string(adjusted);
}

// The sign, grouping, zero padding and parentheses of a formatted magnitude.
std::string NumberLayout(bool negative, std::string magnitude, const Spec& spec) {
  std::string lead, trail;
  if (negative) {
    if (spec.Has('(')) {
      lead = "(";
      trail = ")";
    } else {
      lead = "-";
    }
  } else if (spec.Has('+')) {
    lead = "+";
  } else if (spec.Has(' ')) {
    lead = " ";
  }
  if (spec.Has('0') && spec.width > 0) {
    const int used = static_cast<int>(lead.size() + magnitude.size() + trail.size());
    if (used < spec.width) magnitude = std::string(spec.width - used, '0') + magnitude;
  }
  return Justify(lead + magnitude + trail, spec);
}

Result<std::string> Integral(const FormatArgument& arg, const Spec& spec) {
  const char c = static_cast<char>(std::tolower(spec.conversion));
  if (spec.precision >= 0)
    return Java("IllegalFormatPrecisionException", std::to_string(spec.precision));
  if (c == 'd') {
    if (spec.Has('#'))
      return Java("FormatFlagsConversionMismatchException", "Conversion = d, Flags = #");
    const bool negative = arg.integer < 0;
    const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(arg.integer) : arg.integer;
    std::string digits = std::to_string(magnitude);
    if (spec.Has(',')) digits = Group(digits, 3);
    return NumberLayout(negative, digits, spec);
  }
  for (char flag : {'+', ' ', ',', '('}) {
    if (spec.Has(flag)) {
      return Java("FormatFlagsConversionMismatchException",
                  std::string("Conversion = ") + spec.conversion + ", Flags = " + flag);
    }
  }
  const int bits = arg.kind == FormatArgument::kByte    ? 8
                   : arg.kind == FormatArgument::kShort ? 16
                   : arg.kind == FormatArgument::kInt   ? 32
                                                        : 64;
  uint64_t value = static_cast<uint64_t>(arg.integer);
  if (bits < 64) value &= (uint64_t{1} << bits) - 1;
  char buffer[32];
  snprintf(buffer, sizeof(buffer), c == 'o' ? "%llo" : "%llx",
           static_cast<unsigned long long>(value));
  std::string digits = buffer;
  const std::string prefix = spec.Has('#') ? (c == 'o' ? "0" : "0x") : "";
  if (spec.Has('0') && spec.width > 0 &&
      static_cast<int>(prefix.size() + digits.size()) < spec.width) {
    digits = std::string(spec.width - prefix.size() - digits.size(), '0') + digits;
  }
  std::string out = Justify(prefix + digits, spec);
  return spec.conversion == 'X' ? AsciiUpper(out) : out;
}

// %e, %f, %g of a double: the shortest digits rounded half-up, as Java's Formatter does.
Result<std::string> Floating(double value, const Spec& spec) {
  const char c = static_cast<char>(std::tolower(spec.conversion));
  if (c == 'a') return NotSupported("format_string: %a is not supported");
  if (c == 'e' && spec.Has(','))
    return Java("FormatFlagsConversionMismatchException", "Conversion = e, Flags = ,");
  if (c == 'g' && spec.Has('#'))
    return Java("FormatFlagsConversionMismatchException", "Conversion = g, Flags = #");
  const bool negative = std::signbit(value) && !std::isnan(value);
  if (std::isnan(value) || std::isinf(value)) {
    std::string text = std::isnan(value) ? "NaN" : "Infinity";
    if (std::isnan(value)) return Justify(spec.conversion < 'a' ? AsciiUpper(text) : text, spec);
    Spec no_zero = spec;
    no_zero.flags.erase(std::remove(no_zero.flags.begin(), no_zero.flags.end(), '0'),
                        no_zero.flags.end());
    std::string out = NumberLayout(negative, text, no_zero);
    return spec.conversion < 'a' ? AsciiUpper(out) : out;
  }
  SLUICE_RETURN_IF_ERROR(CheckDigitsKnown(value));
  int precision = spec.precision < 0 ? 6 : spec.precision;
  std::string digits = "0";
  int point = 1;
  if (value != 0) ShortestDigits(value, &digits, &point);
  bool scientific = c == 'e';
  if (c == 'g') {
    if (precision == 0) precision = 1;
    std::string rounded = digits;
    int rounded_point = point;
    if (value != 0) RoundDigits(rounded, rounded_point, precision - rounded_point, 0, true);
    if (value != 0 && (rounded_point - 1 < -4 || rounded_point - 1 >= precision)) {
      scientific = true;
      precision -= 1;
    } else {
      precision = precision - (value == 0 ? 1 : rounded_point);
    }
  }
  std::string magnitude;
  if (scientific) {
    int exponent = value == 0 ? 0 : point - 1;
    if (value != 0) {
      RoundDigits(digits, point, precision + 1 - point, 0, true);
      exponent = point - 1;
    }
    std::string mantissa = digits.substr(0, 1);
    std::string rest = digits.size() > 1 ? digits.substr(1) : "";
    rest.resize(precision, '0');
    if (precision > 0 || spec.Has('#')) mantissa += "." + rest;
    char exp[16];
    snprintf(exp, sizeof(exp), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    magnitude = mantissa + exp;
  } else {
    if (value != 0) RoundDigits(digits, point, precision, 0, true);
    std::string integer, fraction;
    Split(digits, point, &integer, &fraction);
    if (integer.empty()) integer = "0";
    fraction.resize(precision, '0');
    if (spec.Has(',')) integer = Group(integer, 3);
    magnitude = integer;
    if (precision > 0 || spec.Has('#')) magnitude += "." + fraction;
  }
  std::string out = NumberLayout(negative, magnitude, spec);
  return spec.conversion < 'a' ? AsciiUpper(out) : out;
}

std::string GeneralText(const FormatArgument& arg) {
  switch (arg.kind) {
    case FormatArgument::kNull:
      return "null";
    case FormatArgument::kString:
      return arg.text;
    case FormatArgument::kFloat:
      return JavaFloatString(static_cast<float>(arg.real));
    case FormatArgument::kDouble:
      return JavaDoubleString(arg.real);
    case FormatArgument::kBoolean:
      return arg.boolean ? "true" : "false";
    case FormatArgument::kDecimal:
      return BigDecimalString(arg.text);
    default:
      return std::to_string(arg.integer);
  }
}

Result<std::string> Convert(const FormatArgument& arg, const Spec& spec) {
  const char c = static_cast<char>(std::tolower(spec.conversion));
  const bool upper = spec.conversion >= 'A' && spec.conversion <= 'Z';
  if ((spec.Has('-') || spec.Has('0')) && spec.width < 0) {
    return Java("MissingFormatWidthException", std::string("%") + spec.flags + spec.conversion);
  }
  if (spec.Has('-') && spec.Has('0')) return Java("IllegalFormatFlagsException", "Flags = '-0'");
  if (spec.Has('+') && spec.Has(' ')) return Java("IllegalFormatFlagsException", "Flags = '+ '");
  if (c == 'b' || c == 's' || c == 'h') {
    for (char flag : {'#', '+', ' ', '0', ',', '('}) {
      if (spec.Has(flag)) {
        return Java("FormatFlagsConversionMismatchException",
                    std::string("Conversion = ") + spec.conversion + ", Flags = " + flag);
      }
    }
    if (c == 'h') return NotSupported("format_string: %h is not supported");
    std::string text =
        c == 'b' ? (arg.kind == FormatArgument::kNull      ? "false"
                    : arg.kind == FormatArgument::kBoolean ? (arg.boolean ? "true" : "false")
                                                           : "true")
                 : GeneralText(arg);
    if (spec.precision >= 0) {
      size_t cut = 0;
      int units = 0;
      while (cut < text.size() && units < spec.precision) {
        const auto b = static_cast<unsigned char>(text[cut]);
        units += (b & 0xF8) == 0xF0 ? 2 : 1;
        cut += b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
      }
      text = text.substr(0, cut);
    }
    if (upper) {
      for (unsigned char ch : text) {
        if (ch >= 0x80) return NotSupported("format_string: %S of non-ASCII text is not supported");
      }
      text = AsciiUpper(text);
    }
    return Justify(text, spec);
  }
  if (arg.kind == FormatArgument::kNull) {
    Spec plain = spec;
    return Justify(upper ? "NULL" : "null", plain);
  }
  auto mismatch = [&]() {
    return Java("IllegalFormatConversionException",
                std::string(1, spec.conversion) + " != the argument's type");
  };
  const bool integral = arg.kind == FormatArgument::kByte || arg.kind == FormatArgument::kShort ||
                        arg.kind == FormatArgument::kInt || arg.kind == FormatArgument::kLong;
  if (c == 'c') {
    if (arg.kind == FormatArgument::kLong || !integral) return mismatch();
    if (spec.precision >= 0)
      return Java("IllegalFormatPrecisionException", std::to_string(spec.precision));
    int64_t cp = arg.integer;
    if (arg.kind == FormatArgument::kByte) cp &= 0xFF;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Java("IllegalFormatCodePointException", std::to_string(cp));
    }
    std::string text;
    char32_t value = static_cast<char32_t>(cp);
    if (upper && value >= 'a' && value <= 'z') value -= 32;
    if (upper && value >= 0x80)
      return NotSupported("format_string: %C of non-ASCII text is not supported");
    if (value < 0x80) {
      text = std::string(1, static_cast<char>(value));
    } else {
      // UTF-8 of the code point.
      char buffer[5] = {};
      if (value < 0x800) {
        buffer[0] = static_cast<char>(0xC0 | (value >> 6));
        buffer[1] = static_cast<char>(0x80 | (value & 0x3F));
      } else if (value < 0x10000) {
        buffer[0] = static_cast<char>(0xE0 | (value >> 12));
        buffer[1] = static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        buffer[2] = static_cast<char>(0x80 | (value & 0x3F));
      } else {
        buffer[0] = static_cast<char>(0xF0 | (value >> 18));
        buffer[1] = static_cast<char>(0x80 | ((value >> 12) & 0x3F));
        buffer[2] = static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        buffer[3] = static_cast<char>(0x80 | (value & 0x3F));
      }
      text = buffer;
    }
    return Justify(text, spec);
  }
  if (c == 'd' || c == 'o' || c == 'x') {
    if (!integral) return mismatch();
    return Integral(arg, spec);
  }
  if (c == 'e' || c == 'f' || c == 'g' || c == 'a') {
    if (arg.kind != FormatArgument::kFloat && arg.kind != FormatArgument::kDouble)
      return mismatch();
    return Floating(arg.real, spec);
  }
  if (c == 't') return NotSupported("format_string: date and time conversions are not supported");
  return Java("UnknownFormatConversionException",
              std::string("Conversion = '") + spec.conversion + "'");
}

}  // namespace

Result<std::string> JavaFormatString(std::string_view format,
                                     const std::vector<FormatArgument>& args) {
  std::string out;
  size_t ordinary = 0;
  int last = -1;
  size_t i = 0;
  auto digits = [&](size_t* at) {
    int value = -1;
    while (*at < format.size() && format[*at] >= '0' && format[*at] <= '9') {
      value = std::max(value, 0) * 10 + (format[*at] - '0');
      if (value > 100000000) value = 100000000;
      ++*at;
    }
    return value;
  };
  while (i < format.size()) {
    const size_t percent = format.find('%', i);
    if (percent == std::string_view::npos) {
      out += format.substr(i);
      break;
    }
    out += format.substr(i, percent - i);
    size_t at = percent + 1;
    Spec spec;
    // argument index: digits followed by '$'
    size_t probe = at;
    const int number = digits(&probe);
    if (number >= 0 && probe < format.size() && format[probe] == '$') {
      spec.index = number;
      at = probe + 1;
    }
    while (at < format.size() && std::strchr("-#+ 0,(<", format[at]) != nullptr) {
      if (format[at] == '<') {
        spec.index = -1;
      } else {
        spec.flags += format[at];
      }
      ++at;
    }
    spec.width = digits(&at);
    if (at < format.size() && format[at] == '.') {
      ++at;
      spec.precision = digits(&at);
      if (spec.precision < 0) return Java("IllegalFormatPrecisionException", "missing precision");
    }
    if (at >= format.size()) {
      return Java("UnknownFormatConversionException", "Conversion = '%'");
    }
    spec.conversion = format[at++];
    i = at;
    if (spec.conversion == '%') {
      if (spec.precision >= 0)
        return Java("IllegalFormatPrecisionException", std::to_string(spec.precision));
      out += Justify("%", spec);
      continue;
    }
    if (spec.conversion == 'n') {
      out += "\n";
      continue;
    }
    if (!std::strchr("bBhHsScCdoxXeEfgGaAtT", spec.conversion)) {
      return Java("UnknownFormatConversionException",
                  std::string("Conversion = '") + spec.conversion + "'");
    }
    int index;
    if (spec.index == -1) {
      if (last < 0) return Java("MissingFormatArgumentException", "Format specifier '%<'");
      index = last;
    } else if (spec.index > 0) {
      index = spec.index - 1;
    } else {
      index = static_cast<int>(ordinary++);
    }
    if (index >= static_cast<int>(args.size())) {
      return Java("MissingFormatArgumentException",
                  std::string("Format specifier '%") + spec.conversion + "'");
    }
    last = index;
    SLUICE_ASSIGN_OR_RETURN(std::string text, Convert(args[index], spec));
    out += text;
  }
  return out;
}

Result<std::vector<FormatArgument>> DecodeFormatArguments(std::string_view encoded) {
  std::vector<FormatArgument> out;
  size_t i = 0;
  while (i < encoded.size()) {
    const char tag = encoded[i++];
    const size_t colon = encoded.find(':', i);
    if (colon == std::string_view::npos) return InvalidArgument("format_string: bad arguments");
    const size_t length = std::stoul(std::string(encoded.substr(i, colon - i)));
    const std::string text(encoded.substr(colon + 1, length));
    i = colon + 1 + length;
    FormatArgument arg;
    switch (tag) {
      case 'N':
        break;
      case 's':
        arg.kind = FormatArgument::kString;
        arg.text = text;
        break;
      case 'm':
        arg.kind = FormatArgument::kDecimal;
        arg.text = text;
        break;
      case 'z':
        arg.kind = FormatArgument::kBoolean;
        arg.boolean = text == "true";
        break;
      case 'f':
      case 'd':
        arg.kind = tag == 'f' ? FormatArgument::kFloat : FormatArgument::kDouble;
        arg.real = std::strtod(text.c_str(), nullptr);
        break;
      default:
        arg.kind = tag == 'b'   ? FormatArgument::kByte
                   : tag == 'h' ? FormatArgument::kShort
                   : tag == 'i' ? FormatArgument::kInt
                                : FormatArgument::kLong;
        arg.integer = std::stoll(text);
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace sluice::spark::internal
