#include "delta/z85.h"

#include <array>
#include <cstdint>

namespace sluice::delta {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
static_assert(kAlphabet.size() == 85);

// Character -> digit, or -1 for characters outside the alphabet.
constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

std::string Z85Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 3) / 4 * 5);
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t value = 0;
    for (size_t j = 0; j < 4; ++j) {
      uint8_t byte = i + j < bytes.size() ? static_cast<uint8_t>(bytes[i + j]) : 0;
      value = (value << 8) | byte;
    }
    char group[5];
    for (int k = 4; k >= 0; --k) {
      group[k] = kAlphabet[value % 85];
      value /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::string> Z85Decode(std::string_view text) {
  if (text.size() % 5 != 0) {
    return InvalidArgument("Z85 text has length ", text.size(), ", not a multiple of 5");
  }
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    // A final group with k leading '#' holds 4 - k bytes: the padding of the Rust z85 crate,
    // found in real inline deletion vectors. '#' (84) never leads a standard group, because
    // 84 * 85^4 exceeds 32 bits, so this reading is unambiguous.
    size_t pad = 0;
    if (i + 5 == text.size()) {
      while (pad < 5 && text[i + pad] == '#') ++pad;
      if (pad > 3) return InvalidArgument("Z85 text ends with an invalid group");
    }
    uint64_t value = 0;
    for (size_t j = pad; j < 5; ++j) {
      int digit = kDecode[static_cast<unsigned char>(text[i + j])];
      if (digit < 0) {
        return InvalidArgument("Z85 text has an invalid character at position ", i + j);
      }
      value = value * 85 + static_cast<uint64_t>(digit);
    }
    int bytes = static_cast<int>(4 - pad);
    if (value >> (8 * bytes) != 0) {
      return InvalidArgument("Z85 group at position ", i, " exceeds ", 8 * bytes, " bits");
    }
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
  }
  return out;
}

}  // namespace sluice::delta
