// Decimal arithmetic on digit strings, and the natives that use it: exact decimal
// operations beyond DuckDB's 38 digits, and Java's BigDecimal rounding (round, bround,
// ceil and floor with a scale).
#include <cmath>
#include <cstdlib>

#include "spark/decimal_text.h"
#include "spark/text_format.h"

namespace sluice::spark::internal {
namespace {

// ---- Magnitudes: decimal digit strings without leading zeros ("" is zero) ----------------

std::string Strip(const std::string& digits) {
  const size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? std::string() : digits.substr(first);
}

int Compare(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string Add(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int sum = carry;
    if (i < a.size()) sum += a[a.size() - 1 - i] - '0';
    if (i < b.size()) sum += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + sum % 10));
    carry = sum / 10;
  }
  return Strip(std::string(out.rbegin(), out.rend()));
}

// a - b for a >= b.
std::string Subtract(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int d = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) d -= b[b.size() - 1 - i] - '0';
    borrow = d < 0 ? 1 : 0;
    out.push_back(static_cast<char>('0' + d + borrow * 10));
  }
  return Strip(std::string(out.rbegin(), out.rend()));
}

std::string Multiply(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return "";
  std::vector<int> product(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) {
      product[i + j + 1] += (a[i] - '0') * (b[j] - '0');
    }
  }
  for (size_t k = product.size() - 1; k > 0; --k) {
    product[k - 1] += product[k] / 10;
    product[k] %= 10;
  }
  std::string out;
  for (int d : product) out.push_back(static_cast<char>('0' + d));
  return Strip(out);
}

// The quotient truncated and the remainder of a / b, b nonzero.
std::pair<std::string, std::string> Divide(const std::string& a, const std::string& b) {
  std::string quotient, remainder;
  for (char c : a) {
    remainder = Strip(remainder + c);
    int digit = 0;
    while (Compare(remainder, b) >= 0) {
      remainder = Subtract(remainder, b);
      ++digit;
    }
    quotient.push_back(static_cast<char>('0' + digit));
  }
  return {Strip(quotient), remainder};
}

std::string Shift(const std::string& digits, int zeros) {
  return digits.empty() || zeros <= 0 ? digits : digits + std::string(zeros, '0');
}

DecimalDigits Signed(bool negative, std::string digits, int scale) {
  DecimalDigits out;
  out.digits = Strip(digits);
  out.negative = negative && !out.digits.empty();
  out.scale = scale;
  return out;
}

// ---- Spark's decimal operators -----------------------------------------------------------

DecimalDigits AddSigned(const DecimalDigits& a, const DecimalDigits& b) {
  const int scale = std::max(a.scale, b.scale);
  const std::string x = Shift(a.digits, scale - a.scale), y = Shift(b.digits, scale - b.scale);
  if (a.negative == b.negative) return Signed(a.negative, Add(x, y), scale);
  if (Compare(x, y) >= 0) return Signed(a.negative, Subtract(x, y), scale);
  return Signed(b.negative, Subtract(y, x), scale);
}

// The exact result of a op b (division: rounded half up at `scale`), or nullopt for a zero
// divisor.
std::optional<DecimalDigits> Operate(const DecimalDigits& a, const DecimalDigits& b, char op,
                                     int scale) {
  switch (op) {
    case '+':
      return AddSigned(a, b);
    case '-': {
      DecimalDigits negated = b;
      negated.negative = !b.negative && !b.digits.empty();
      return AddSigned(a, negated);
    }
    case '*':
      return Signed(a.negative != b.negative, Multiply(a.digits, b.digits), a.scale + b.scale);
    case '/': {
      if (b.digits.empty()) return std::nullopt;
      const int shift = scale + b.scale - a.scale;
      const std::string n = Shift(a.digits, shift), d = Shift(b.digits, -shift);
      auto [quotient, remainder] = Divide(n, d);
      if (Compare(Add(remainder, remainder), d) >= 0) quotient = Add(quotient, "1");
      return Signed(a.negative != b.negative, quotient, scale);
    }
    case '%': {
      if (b.digits.empty()) return std::nullopt;
      const int common = std::max(a.scale, b.scale);
      auto [quotient, remainder] =
          Divide(Shift(a.digits, common - a.scale), Shift(b.digits, common - b.scale));
      return Signed(a.negative, remainder, common);
    }
    default:
      return std::nullopt;
  }
}

Rounding RoundingOf(int64_t mode) {
  switch (mode) {
    case 1:
      return Rounding::kHalfEven;
    case 2:
      return Rounding::kCeiling;
    case 3:
      return Rounding::kFloor;
    case 4:
      return Rounding::kDown;
    default:
      return Rounding::kHalfUp;
  }
}

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }
int64_t Int(const NativeValue& value) { return std::get<int64_t>(value); }
double Number(const NativeValue& value) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  return static_cast<double>(std::get<int64_t>(value));
}

// Java's BigDecimal.valueOf(d).setScale(scale, mode) as text, for a finite double.
std::string RoundedDoubleText(double value, int64_t scale, int64_t mode) {
  auto parsed = ParseDecimal(JavaDoubleString(value));
  if (!parsed) return "0";
  return DecimalText(Rescale(*parsed, static_cast<int>(scale), RoundingOf(mode)));
}

Result<NativeValue> DecimalArith(const std::vector<NativeValue>& a) {
  auto x = ParseDecimal(Text(a[0]));
  auto y = ParseDecimal(Text(a[1]));
  const std::string& op = Text(a[2]);
  const int precision = static_cast<int>(Int(a[3]));
  const int scale = static_cast<int>(Int(a[4]));
  const bool ansi = std::get<bool>(a[5]);
  if (!x || !y || op.size() != 1) return InvalidArgument("spark_decimal_arith: bad arguments");
  auto exact = Operate(*x, *y, op[0], scale);
  if (!exact) {
    if (ansi) return InvalidArgument("[DIVIDE_BY_ZERO] Division by zero.");
    return NativeValue{};
  }
  const DecimalDigits result = Rescale(*exact, scale, Rounding::kHalfUp);
  if (IntegralDigits(result) > precision - scale) {
    if (ansi) {
      return InvalidArgument("[NUMERIC_VALUE_OUT_OF_RANGE] " + DecimalText(result) +
                             " cannot be represented as Decimal(" + std::to_string(precision) +
                             ", " + std::to_string(scale) + ").");
    }
    return NativeValue{};
  }
  return NativeValue(DecimalText(result));
}

// round(x, scale) of an integral value with a negative scale, its result wrapped to `bits`
// bits as Java's BigDecimal.intValue / longValue do.
int64_t RoundIntegral(int64_t value, int64_t scale, int64_t mode, int64_t bits) {
  if (scale >= 0) return value;
  auto parsed = ParseDecimal(std::to_string(value));
  const DecimalDigits rounded = Rescale(*parsed, static_cast<int>(scale), RoundingOf(mode));
  unsigned __int128 magnitude = 0;
  for (char c : Shift(rounded.digits, -rounded.scale)) {
    magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
  }
  if (rounded.negative) magnitude = ~magnitude + 1;
  const uint64_t low = static_cast<uint64_t>(magnitude);
  if (bits >= 64) return static_cast<int64_t>(low);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  const uint64_t v = low & mask;
  return static_cast<int64_t>((v ^ sign) - sign);
}

}  // namespace

std::optional<DecimalDigits> ParseDecimal(std::string_view text) {
  size_t i = 0;
  DecimalDigits out;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  std::string digits;
  int fraction = 0;
  bool point = false, any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      if (point) ++fraction;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    char* end = nullptr;
    const std::string rest(text.substr(i + 1));
    exponent = static_cast<int>(std::strtol(rest.c_str(), &end, 10));
    if (end == rest.c_str() || *end != '\0') return std::nullopt;
  } else if (i != text.size()) {
    return std::nullopt;
  }
  return Signed(out.negative, digits, fraction - exponent);
}

DecimalDigits Rescale(const DecimalDigits& value, int scale, Rounding mode) {
  if (scale >= value.scale) {
    return Signed(value.negative, Shift(value.digits, scale - value.scale), scale);
  }
  const size_t drop = static_cast<size_t>(value.scale - scale);
  std::string padded = value.digits;
  if (padded.size() < drop + 1) padded.insert(0, drop + 1 - padded.size(), '0');
  std::string kept = padded.substr(0, padded.size() - drop);
  const std::string dropped = padded.substr(padded.size() - drop);
  const bool inexact = dropped.find_first_not_of('0') != std::string::npos;
  const int half = dropped.compare("5" + std::string(drop - 1, '0'));
  bool up = false;
  switch (mode) {
    case Rounding::kHalfUp:
      up = half >= 0;
      break;
    case Rounding::kHalfEven:
      up = half > 0 || (half == 0 && (kept.back() - '0') % 2 == 1);
      break;
    case Rounding::kCeiling:
      up = inexact && !value.negative;
      break;
    case Rounding::kFloor:
      up = inexact && value.negative;
      break;
    case Rounding::kDown:
      break;
  }
  kept = Strip(kept);
  if (up) kept = Add(kept, "1");
  return Signed(value.negative, kept, scale);
}

std::string DecimalText(const DecimalDigits& value) {
  std::string out = value.negative ? "-" : "";
  if (value.scale <= 0) {
    return out + (value.digits.empty() ? "0" : Shift(value.digits, -value.scale));
  }
  std::string digits = value.digits;
  const size_t scale = static_cast<size_t>(value.scale);
  if (digits.size() < scale + 1) digits.insert(0, scale + 1 - digits.size(), '0');
  return out + digits.substr(0, digits.size() - scale) + "." + digits.substr(digits.size() - scale);
}

int IntegralDigits(const DecimalDigits& value) {
  return std::max(0, static_cast<int>(value.digits.size()) - value.scale);
}

void AddDecimalNatives(std::vector<NativeFunction>& out) {
  out.push_back({"spark_decimal_arith",
                 {"VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "BOOLEAN"},
                 "VARCHAR",
                 DecimalArith});
  // Modes: 0 HALF_UP, 1 HALF_EVEN, 2 CEILING, 3 FLOOR.
  out.push_back({"spark_round_decimal",
                 {"VARCHAR", "INTEGER", "INTEGER"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   auto parsed = ParseDecimal(Text(a[0]));
                   if (!parsed) return InvalidArgument("spark_round_decimal: not a decimal");
                   return NativeValue(DecimalText(
                       Rescale(*parsed, static_cast<int>(Int(a[1])), RoundingOf(Int(a[2])))));
                 }});
  // Doubles and floats round the decimal of their shortest text (BigDecimal.valueOf);
  // NaN and infinities stay themselves.
  out.push_back({"spark_round_double",
                 {"DOUBLE", "INTEGER", "INTEGER"},
                 "DOUBLE",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const double x = Number(a[0]);
                   if (!std::isfinite(x)) return NativeValue(x);
                   return NativeValue(
                       std::strtod(RoundedDoubleText(x, Int(a[1]), Int(a[2])).c_str(), nullptr));
                 }});
  out.push_back({"spark_round_float",
                 {"FLOAT", "INTEGER", "INTEGER"},
                 "FLOAT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const double x = Number(a[0]);
                   if (!std::isfinite(x)) return NativeValue(x);
                   const std::string text = RoundedDoubleText(x, Int(a[1]), Int(a[2]));
                   return NativeValue(static_cast<double>(std::strtof(text.c_str(), nullptr)));
                 }});
  out.push_back({"spark_round_integral",
                 {"BIGINT", "INTEGER", "INTEGER", "INTEGER"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(RoundIntegral(Int(a[0]), Int(a[1]), Int(a[2]), Int(a[3])));
                 }});
}

}  // namespace sluice::spark::internal
