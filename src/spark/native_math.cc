// Native functions of the math group: Java's floating-point functions (NaN and infinities
// as java.lang.Math gives them, where DuckDB's raise errors), pmod, conv, bin, unhex and
// width_bucket.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "spark/decimal_text.h"
#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

double Number(const NativeValue& value) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  return static_cast<double>(std::get<int64_t>(value));
}
int64_t Int(const NativeValue& value) { return std::get<int64_t>(value); }
const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

NativeFunction Unary(const char* name, double (*f)(double)) {
  return {
      name, {"DOUBLE"}, "DOUBLE", [f](const std::vector<NativeValue>& a) -> Result<NativeValue> {
        return NativeValue(f(Number(a[0])));
      }};
}

// Spark's logarithms are NULL at and below their asymptote (Hive's behaviour).
NativeFunction Logarithm(const char* name, double (*f)(double), double asymptote) {
  return {name,
          {"DOUBLE"},
          "DOUBLE",
          [f, asymptote](const std::vector<NativeValue>& a) -> Result<NativeValue> {
            const double x = Number(a[0]);
            if (x <= asymptote) return NativeValue{};
            return NativeValue(f(x));
          }};
}

NativeFunction Binary(const char* name, double (*f)(double, double)) {
  return {name,
          {"DOUBLE", "DOUBLE"},
          "DOUBLE",
          [f](const std::vector<NativeValue>& a) -> Result<NativeValue> {
            return NativeValue(f(Number(a[0]), Number(a[1])));
          }};
}

// Java's Math.toDegrees / toRadians (JDK 9 and later: one multiplication).
double ToDegrees(double x) { return x * 57.29577951308232; }
double ToRadians(double x) { return x * 0.017453292519943295; }
// Spark's formulas for the inverse hyperbolic functions.
double Acosh(double x) { return std::log(x + std::sqrt(x * x - 1.0)); }
double Asinh(double x) {
  if (x == -std::numeric_limits<double>::infinity()) return x;
  return std::log(x + std::sqrt(x * x + 1.0));
}
double Atanh(double x) { return 0.5 * (std::log1p(x) - std::log1p(-x)); }
// glibc's cbrt is off by an ulp for some exact cubes (27); the extended-precision root
// rounded to double is not.
double Cbrt(double x) { return static_cast<double>(std::cbrt(static_cast<long double>(x))); }
double Cot(double x) { return 1 / std::tan(x); }
double Csc(double x) { return 1 / std::sin(x); }
double Sec(double x) { return 1 / std::cos(x); }
double Log2(double x) { return std::log(x) / std::log(2.0); }
// atan2 of -0.0 as of 0.0 (Spark adds 0.0 to both sides).
double Atan2(double y, double x) { return std::atan2(y + 0.0, x + 0.0); }
double Pow(double x, double y) { return std::pow(x, y); }
double Hypot(double x, double y) { return std::hypot(x, y); }
double Rint(double x) { return std::nearbyint(x); }
double Signum(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

// pmod(a, n) = ((a % n) + n) % n when a % n < 0, in the arithmetic of the operands' type.
template <typename T>
T Pmod(T a, T n) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    if (n == -1) return 0;  // MIN_VALUE % -1
    const T r = a % n;
    if (r >= 0) return r;
    const T sum = static_cast<T>(static_cast<U>(r) + static_cast<U>(n));  // wraps as Java
    return sum % n;
  } else {
    const T r = std::fmod(a, n);
    return r < 0 ? std::fmod(r + n, n) : r;
  }
}

// Java's Character.digit for ASCII, in `radix`; -1 for anything else.
int Digit(unsigned char c, int radix) {
  int d = -1;
  if (c >= '0' && c <= '9') d = c - '0';
  if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
  return d < radix ? d : -1;
}

// Spark's conv (NumberConverter.convert): the digits read as an unsigned 64-bit number
// (up to the first invalid digit; all ones on overflow), a leading '-' negating it; a
// negative to_base writes the value as signed.
Result<NativeValue> Conv(const std::vector<NativeValue>& a) {
  std::string text = Text(a[0]);
  const int64_t from = Int(a[1]), to = Int(a[2]);
  const bool ansi = std::get<bool>(a[3]);
  if (from < 2 || from > 36 || std::llabs(to) < 2 || std::llabs(to) > 36) return NativeValue{};
  const size_t begin = text.find_first_not_of(' ');
  const size_t end = text.find_last_not_of(' ');
  text = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
  if (text.empty()) return NativeValue{};
  bool negative = text[0] == '-';
  uint64_t value = 0;
  const uint64_t radix = static_cast<uint64_t>(from);
  for (size_t i = negative ? 1 : 0; i < text.size(); ++i) {
    const int d = Digit(static_cast<unsigned char>(text[i]), static_cast<int>(from));
    if (d < 0) break;
    if (value > (UINT64_MAX - static_cast<uint64_t>(d)) / radix) {
      if (ansi) return InvalidArgument("[ARITHMETIC_OVERFLOW] Overflow in function conv().");
      value = UINT64_MAX;
      break;
    }
    value = value * radix + static_cast<uint64_t>(d);
  }
  if (negative && to > 0) value = static_cast<int64_t>(value) < 0 ? UINT64_MAX : 0 - value;
  if (to < 0 && static_cast<int64_t>(value) < 0) {
    value = 0 - value;
    negative = true;
  }
  const uint64_t out_radix = static_cast<uint64_t>(std::llabs(to));
  std::string digits;
  do {
    const int d = static_cast<int>(value % out_radix);
    digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : 'A' + d - 10));
    value /= out_radix;
  } while (value != 0);
  if (negative && to < 0) digits.insert(digits.begin(), '-');
  return NativeValue(digits);
}

// Java's Long.toBinaryString.
std::string Bin(int64_t value) {
  uint64_t v = static_cast<uint64_t>(value);
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + (v & 1)));
    v >>= 1;
  } while (v != 0);
  return out;
}

// Spark's unhex: an odd count of digits reads as if a '0' led; NULL for any non-hex digit.
NativeValue Unhex(const std::string& text) {
  std::string out;
  size_t i = 0;
  int pending = -1;
  if (text.size() % 2 == 1) pending = 0;
  for (; i < text.size(); ++i) {
    const int d = Digit(static_cast<unsigned char>(text[i]), 16);
    if (d < 0) return NativeValue{};
    if (pending < 0) {
      pending = d;
    } else {
      out.push_back(static_cast<char>(pending * 16 + d));
      pending = -1;
    }
  }
  return NativeValue(out);
}

// Spark's WidthBucket.computeBucketNumber.
NativeValue WidthBucket(double value, double min, double max, int64_t buckets) {
  if (buckets <= 0 || buckets == INT64_MAX || std::isnan(value) || min == max ||
      !std::isfinite(min) || !std::isfinite(max)) {
    return NativeValue{};
  }
  const double lower = std::min(min, max), upper = std::max(min, max);
  if (min < max) {
    if (value < lower) return NativeValue(int64_t{0});
    if (value >= upper) return NativeValue(buckets + 1);
    return NativeValue(
        static_cast<int64_t>(static_cast<double>(buckets) * (value - lower) / (upper - lower)) + 1);
  }
  if (value > upper) return NativeValue(int64_t{0});
  if (value <= lower) return NativeValue(buckets + 1);
  return NativeValue(
      static_cast<int64_t>(static_cast<double>(buckets) * (upper - value) / (upper - lower)) + 1);
}

}  // namespace

void AddMathNatives(std::vector<NativeFunction>& out) {
  for (const auto& [name, f] : std::vector<std::pair<const char*, double (*)(double)>>{
           {"spark_sin", [](double x) { return std::sin(x); }},
           {"spark_cos", [](double x) { return std::cos(x); }},
           {"spark_tan", [](double x) { return std::tan(x); }},
           {"spark_asin", [](double x) { return std::asin(x); }},
           {"spark_acos", [](double x) { return std::acos(x); }},
           {"spark_atan", [](double x) { return std::atan(x); }},
           {"spark_sinh", [](double x) { return std::sinh(x); }},
           {"spark_cosh", [](double x) { return std::cosh(x); }},
           {"spark_tanh", [](double x) { return std::tanh(x); }},
           {"spark_asinh", Asinh},
           {"spark_acosh", Acosh},
           {"spark_atanh", Atanh},
           {"spark_cot", Cot},
           {"spark_csc", Csc},
           {"spark_sec", Sec},
           {"spark_exp", [](double x) { return std::exp(x); }},
           {"spark_expm1", [](double x) { return std::expm1(x); }},
           {"spark_sqrt", [](double x) { return std::sqrt(x); }},
           {"spark_cbrt", Cbrt},
           {"spark_degrees", ToDegrees},
           {"spark_radians", ToRadians},
           {"spark_rint", Rint},
           {"spark_signum", Signum},
       }) {
    out.push_back(Unary(name, f));
  }
  out.push_back(Logarithm(
      "spark_ln", [](double x) { return std::log(x); }, 0.0));
  out.push_back(Logarithm(
      "spark_log10", [](double x) { return std::log10(x); }, 0.0));
  out.push_back(Logarithm("spark_log2", Log2, 0.0));
  out.push_back(Logarithm(
      "spark_log1p", [](double x) { return std::log1p(x); }, -1.0));
  out.push_back(Binary("spark_atan2", Atan2));
  out.push_back(Binary("spark_pow", Pow));
  out.push_back(Binary("spark_hypot", Hypot));
  out.push_back({"spark_log",
                 {"DOUBLE", "DOUBLE"},
                 "DOUBLE",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const double base = Number(a[0]), x = Number(a[1]);
                   if (base <= 0.0 || x <= 0.0) return NativeValue{};
                   return NativeValue(std::log(x) / std::log(base));
                 }});
  out.push_back({"spark_pmod_int",
                 {"INTEGER", "INTEGER"},
                 "INTEGER",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(int64_t{
                       Pmod(static_cast<int32_t>(Int(a[0])), static_cast<int32_t>(Int(a[1])))});
                 }});
  out.push_back({"spark_pmod_long",
                 {"BIGINT", "BIGINT"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(Pmod(Int(a[0]), Int(a[1])));
                 }});
  out.push_back({"spark_pmod_float",
                 {"FLOAT", "FLOAT"},
                 "FLOAT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(static_cast<double>(
                       Pmod(static_cast<float>(Number(a[0])), static_cast<float>(Number(a[1])))));
                 }});
  out.push_back({"spark_pmod_double",
                 {"DOUBLE", "DOUBLE"},
                 "DOUBLE",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(Pmod(Number(a[0]), Number(a[1])));
                 }});
  out.push_back({"spark_conv", {"VARCHAR", "INTEGER", "INTEGER", "BOOLEAN"}, "VARCHAR", Conv});
  out.push_back({"spark_bin",
                 {"BIGINT"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(Bin(Int(a[0])));
                 }});
  out.push_back(
      {"spark_unhex",
       {"VARCHAR"},
       "BLOB",
       [](const std::vector<NativeValue>& a) -> Result<NativeValue> { return Unhex(Text(a[0])); }});
  out.push_back({"spark_width_bucket",
                 {"DOUBLE", "DOUBLE", "DOUBLE", "BIGINT"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return WidthBucket(Number(a[0]), Number(a[1]), Number(a[2]), Int(a[3]));
                 }});
  AddDecimalNatives(out);
}

}  // namespace sluice::spark::internal
