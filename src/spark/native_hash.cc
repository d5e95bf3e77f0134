// Native functions of the hash group: Spark's Murmur3 hash (Murmur3_x86_32 with Spark's
// byte-at-a-time tail) and XXH64 of one value given a seed, per Spark's value encodings;
// crc32 (zlib) and SHA-2 (OpenSSL).
#include <openssl/evp.h>
#include <xxhash.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

// ---- Murmur3_x86_32 as Spark's Murmur3_x86_32 class computes it --------------------------

uint32_t Rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

uint32_t MixK1(uint32_t k1) {
  k1 *= 0xcc9e2d51u;
  k1 = Rotl32(k1, 15);
  return k1 * 0x1b873593u;
}

uint32_t MixH1(uint32_t h1, uint32_t k1) {
  h1 ^= k1;
  h1 = Rotl32(h1, 13);
  return h1 * 5 + 0xe6546b64u;
}

uint32_t Fmix(uint32_t h1, uint32_t length) {
  h1 ^= length;
  h1 ^= h1 >> 16;
  h1 *= 0x85ebca6bu;
  h1 ^= h1 >> 13;
  h1 *= 0xc2b2ae35u;
  return h1 ^ (h1 >> 16);
}

uint32_t MurmurInt(uint32_t value, uint32_t seed) { return Fmix(MixH1(seed, MixK1(value)), 4); }

uint32_t MurmurLong(uint64_t value, uint32_t seed) {
  uint32_t h1 = MixH1(seed, MixK1(static_cast<uint32_t>(value)));
  h1 = MixH1(h1, MixK1(static_cast<uint32_t>(value >> 32)));
  return Fmix(h1, 8);
}

// Whole 4-byte words little-endian, then each remaining byte alone, sign-extended.
uint32_t MurmurBytes(const std::string& bytes, uint32_t seed) {
  const size_t aligned = bytes.size() - bytes.size() % 4;
  uint32_t h1 = seed;
  for (size_t i = 0; i < aligned; i += 4) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + i);
    const uint32_t word = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
    h1 = MixH1(h1, MixK1(word));
  }
  for (size_t i = aligned; i < bytes.size(); ++i) {
    const int32_t half_word = static_cast<signed char>(bytes[i]);
    h1 = MixH1(h1, MixK1(static_cast<uint32_t>(half_word)));
  }
  return Fmix(h1, static_cast<uint32_t>(bytes.size()));
}

// ---- XXH64 of Spark's encodings: ints and longs as their little-endian bytes -------------

uint64_t XxInt(uint32_t value, uint64_t seed) {
  unsigned char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  return XXH64(bytes, 4, seed);
}

uint64_t XxLong(uint64_t value, uint64_t seed) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  return XXH64(bytes, 8, seed);
}

uint64_t XxBytes(const std::string& bytes, uint64_t seed) {
  return XXH64(bytes.data(), bytes.size(), seed);
}

// ---- Spark's encodings of values ---------------------------------------------------------

// Float.floatToIntBits / Double.doubleToLongBits, with -0.0 as 0.0 (NaN is canonical).
uint32_t FloatBits(float value) {
  if (value == 0.0f) return 0;
  if (std::isnan(value)) return 0x7fc00000u;
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}

uint64_t DoubleBits(double value) {
  if (value == 0.0) return 0;
  if (std::isnan(value)) return 0x7ff8000000000000ull;
  uint64_t bits;
  std::memcpy(&bits, &value, 8);
  return bits;
}

// BigInteger.toByteArray of an unscaled decimal given as text: the shortest big-endian
// two's complement bytes.
std::string BigIntegerBytes(const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  unsigned __int128 magnitude = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
  }
  unsigned __int128 value = negative ? ~magnitude + 1 : magnitude;
  std::string bytes;
  for (int i = 15; i >= 0; --i) bytes.push_back(static_cast<char>(value >> (8 * i)));
  // Drop leading bytes that only repeat the sign of the next one.
  size_t start = 0;
  while (start + 1 < bytes.size()) {
    const auto b = static_cast<unsigned char>(bytes[start]);
    const bool next_negative = static_cast<unsigned char>(bytes[start + 1]) & 0x80;
    if ((b == 0x00 && !next_negative) || (b == 0xff && next_negative)) {
      ++start;
    } else {
      break;
    }
  }
  return bytes.substr(start);
}

int64_t Int(const NativeValue& value) { return std::get<int64_t>(value); }
double Number(const NativeValue& value) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  return static_cast<double>(std::get<int64_t>(value));
}
const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }
bool IsNull(const NativeValue& value) { return std::holds_alternative<std::monostate>(value); }

// A hash step: the hash of the value (argument 0) given the seed (argument 1); a NULL value
// leaves the seed as it is.
using Step = int64_t (*)(const NativeValue& value, int64_t seed);

NativeFunction HashStep(std::string name, const char* value_type, const char* seed_type,
                        Step step) {
  NativeFunction f{std::move(name),
                   {value_type, seed_type},
                   seed_type,
                   [step](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                     if (IsNull(a[1])) return NativeValue{};
                     if (IsNull(a[0])) return a[1];
                     return NativeValue(step(a[0], Int(a[1])));
                   }};
  f.handles_nulls = true;
  return f;
}

int64_t Signed32(uint32_t h) { return static_cast<int32_t>(h); }
uint32_t Seed32(int64_t seed) { return static_cast<uint32_t>(seed); }

void AddMurmur3(std::vector<NativeFunction>& out) {
  out.push_back(
      HashStep("spark_murmur3_int", "INTEGER", "INTEGER", [](const NativeValue& v, int64_t s) {
        return Signed32(MurmurInt(static_cast<uint32_t>(Int(v)), Seed32(s)));
      }));
  out.push_back(
      HashStep("spark_murmur3_long", "BIGINT", "INTEGER", [](const NativeValue& v, int64_t s) {
        return Signed32(MurmurLong(static_cast<uint64_t>(Int(v)), Seed32(s)));
      }));
  out.push_back(
      HashStep("spark_murmur3_float", "FLOAT", "INTEGER", [](const NativeValue& v, int64_t s) {
        return Signed32(MurmurInt(FloatBits(static_cast<float>(Number(v))), Seed32(s)));
      }));
  out.push_back(
      HashStep("spark_murmur3_double", "DOUBLE", "INTEGER", [](const NativeValue& v, int64_t s) {
        return Signed32(MurmurLong(DoubleBits(Number(v)), Seed32(s)));
      }));
  out.push_back(HashStep(
      "spark_murmur3_string", "VARCHAR", "INTEGER",
      [](const NativeValue& v, int64_t s) { return Signed32(MurmurBytes(Text(v), Seed32(s))); }));
  out.push_back(HashStep(
      "spark_murmur3_bytes", "BLOB", "INTEGER",
      [](const NativeValue& v, int64_t s) { return Signed32(MurmurBytes(Text(v), Seed32(s))); }));
  out.push_back(HashStep("spark_murmur3_bigdecimal", "VARCHAR", "INTEGER",
                         [](const NativeValue& v, int64_t s) {
                           return Signed32(MurmurBytes(BigIntegerBytes(Text(v)), Seed32(s)));
                         }));
}

void AddXxHash64(std::vector<NativeFunction>& out) {
  out.push_back(
      HashStep("spark_xxhash64_int", "INTEGER", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(XxInt(static_cast<uint32_t>(Int(v)), static_cast<uint64_t>(s)));
      }));
  out.push_back(
      HashStep("spark_xxhash64_long", "BIGINT", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(
            XxLong(static_cast<uint64_t>(Int(v)), static_cast<uint64_t>(s)));
      }));
  out.push_back(
      HashStep("spark_xxhash64_float", "FLOAT", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(
            XxInt(FloatBits(static_cast<float>(Number(v))), static_cast<uint64_t>(s)));
      }));
  out.push_back(
      HashStep("spark_xxhash64_double", "DOUBLE", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(XxLong(DoubleBits(Number(v)), static_cast<uint64_t>(s)));
      }));
  out.push_back(
      HashStep("spark_xxhash64_string", "VARCHAR", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(XxBytes(Text(v), static_cast<uint64_t>(s)));
      }));
  out.push_back(
      HashStep("spark_xxhash64_bytes", "BLOB", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(XxBytes(Text(v), static_cast<uint64_t>(s)));
      }));
  out.push_back(HashStep(
      "spark_xxhash64_bigdecimal", "VARCHAR", "BIGINT", [](const NativeValue& v, int64_t s) {
        return static_cast<int64_t>(XxBytes(BigIntegerBytes(Text(v)), static_cast<uint64_t>(s)));
      }));
}

// SHA-2 of `bits` (224, 256, 384, 512; 0 is 256) as lower-case hex, or NULL.
NativeValue Sha2(const std::string& bytes, int64_t bits) {
  const EVP_MD* md = bits == 224                ? EVP_sha224()
                     : bits == 256 || bits == 0 ? EVP_sha256()
                     : bits == 384              ? EVP_sha384()
                     : bits == 512              ? EVP_sha512()
                                                : nullptr;
  if (md == nullptr) return NativeValue{};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, md, nullptr) != 1) {
    return NativeValue{};
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return NativeValue(out);
}

}  // namespace

void AddHashNatives(std::vector<NativeFunction>& out) {
  AddMurmur3(out);
  AddXxHash64(out);
  out.push_back({"spark_crc32",
                 {"BLOB"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const std::string& bytes = Text(a[0]);
                   const uLong crc =
                       crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
                             static_cast<uInt>(bytes.size()));
                   return NativeValue(static_cast<int64_t>(crc));
                 }});
  out.push_back({"spark_sha2",
                 {"BLOB", "INTEGER"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return Sha2(Text(a[0]), Int(a[1]));
                 }});
}

}  // namespace sluice::spark::internal
