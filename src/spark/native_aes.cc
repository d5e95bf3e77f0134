// aes_encrypt / aes_decrypt as Spark computes them (ExpressionImplUtils): AES with a 16, 24
// or 32 byte key in ECB (PKCS padding), CBC (PKCS padding, a 16-byte IV written before the
// ciphertext) or GCM (no padding, a 12-byte IV before and a 16-byte tag after the
// ciphertext, optional additional authenticated data); a random IV when none is given.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <string>

#include "common/strings.h"
#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

enum class Mode { kEcb, kCbc, kGcm };

struct CipherMode {
  Mode mode;
  size_t iv_length;
};

Result<CipherMode> ModeOf(const std::string& mode, const std::string& padding) {
  const std::string m = ToUpper(mode), p = ToUpper(padding);
  const bool none = p == "NONE", pkcs = p == "PKCS", fallback = p == "DEFAULT";
  if (m == "ECB" && (pkcs || fallback)) return CipherMode{Mode::kEcb, 0};
  if (m == "CBC" && (pkcs || fallback)) return CipherMode{Mode::kCbc, 16};
  if (m == "GCM" && (none || fallback)) return CipherMode{Mode::kGcm, 12};
  return InvalidArgument("[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-", mode,
                         " with the padding ", padding,
                         " by the aes_encrypt/aes_decrypt "
                         "function.");
}

Result<const EVP_CIPHER*> CipherOf(Mode mode, size_t key_length) {
  switch (key_length) {
    case 16:
      return mode == Mode::kEcb   ? EVP_aes_128_ecb()
             : mode == Mode::kCbc ? EVP_aes_128_cbc()
                                  : EVP_aes_128_gcm();
    case 24:
      return mode == Mode::kEcb   ? EVP_aes_192_ecb()
             : mode == Mode::kCbc ? EVP_aes_192_cbc()
                                  : EVP_aes_192_gcm();
    case 32:
      return mode == Mode::kEcb   ? EVP_aes_256_ecb()
             : mode == Mode::kCbc ? EVP_aes_256_cbc()
                                  : EVP_aes_256_gcm();
    default:
      return InvalidArgument(
          "[INVALID_PARAMETER_VALUE.AES_KEY_LENGTH] The value of parameter(s) "
          "`key` in `aes_encrypt`/`aes_decrypt` is invalid: expects a binary "
          "value with 16, 24 or 32 bytes, but got ",
          key_length, " bytes.");
  }
}

using Context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Status CryptoError() {
  return InvalidArgument(
      "[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] The value of parameter(s) "
      "`expr`, `key` in `aes_encrypt`/`aes_decrypt` is invalid: detail message: "
      "the input could not be decrypted with this key, mode and padding");
}

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Runs the cipher over `input` (after the AAD, for GCM), appending to `out`.
Status Run(EVP_CIPHER_CTX* ctx, const std::string& aad, const unsigned char* input, size_t length,
           std::string* out) {
  int written = 0;
  if (!aad.empty()) {
    if (EVP_CipherUpdate(ctx, nullptr, &written, Bytes(aad), static_cast<int>(aad.size())) != 1)
      return CryptoError();
  }
  const size_t start = out->size();
  out->resize(start + length + 32);
  auto* buffer = reinterpret_cast<unsigned char*>(out->data()) + start;
  if (EVP_CipherUpdate(ctx, buffer, &written, input, static_cast<int>(length)) != 1)
    return CryptoError();
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx, buffer + written, &final_written) != 1) return CryptoError();
  out->resize(start + static_cast<size_t>(written + final_written));
  return Status::OK();
}

// Arguments: input, key, mode, padding, iv, aad.
Result<NativeValue> Encrypt(const std::vector<NativeValue>& a) {
  const auto& input = std::get<std::string>(a[0]);
  const auto& key = std::get<std::string>(a[1]);
  // The key is checked before the mode, as in Spark.
  SLUICE_RETURN_IF_ERROR(CipherOf(Mode::kEcb, key.size()).status());
  SLUICE_ASSIGN_OR_RETURN(CipherMode mode,
                          ModeOf(std::get<std::string>(a[2]), std::get<std::string>(a[3])));
  SLUICE_ASSIGN_OR_RETURN(const EVP_CIPHER* cipher, CipherOf(mode.mode, key.size()));
  std::string iv = std::get<std::string>(a[4]);
  const auto& aad = std::get<std::string>(a[5]);
  if (iv.empty()) {
    iv.resize(mode.iv_length);
    if (!iv.empty() &&
        RAND_bytes(reinterpret_cast<unsigned char*>(iv.data()), static_cast<int>(iv.size())) != 1) {
      return IOError("aes_encrypt: no random bytes for the IV");
    }
  } else if (mode.mode == Mode::kEcb) {
    return InvalidArgument("[UNSUPPORTED_FEATURE.AES_MODE_IV] The feature is not supported: AES-",
                           std::get<std::string>(a[2]),
                           " does not support initialization vectors (IVs).");
  }
  if (iv.size() != mode.iv_length) {
    return InvalidArgument(
        "[INVALID_PARAMETER_VALUE.AES_IV_LENGTH] The value of parameter(s) "
        "`iv` in `aes_encrypt` is invalid: supports 16-byte CBC IVs and "
        "12-byte GCM IVs, but got ",
        iv.size(), " bytes for ", std::get<std::string>(a[2]), ".");
  }
  if (!aad.empty() && mode.mode != Mode::kGcm) {
    return InvalidArgument("[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: ",
                           std::get<std::string>(a[2]),
                           " does not support additional authenticated data (AAD).");
  }
  Context ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, Bytes(key), iv.empty() ? nullptr : Bytes(iv),
                        1) != 1) {
    return CryptoError();
  }
  std::string out = iv;
  SLUICE_RETURN_IF_ERROR(Run(ctx.get(), aad, Bytes(input), input.size(), &out));
  if (mode.mode == Mode::kGcm) {
    unsigned char tag[16];
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) != 1) return CryptoError();
    out.append(reinterpret_cast<const char*>(tag), 16);
  }
  return NativeValue(out);
}

// Arguments: input, key, mode, padding, aad.
Result<NativeValue> Decrypt(const std::vector<NativeValue>& a) {
  const auto& input = std::get<std::string>(a[0]);
  const auto& key = std::get<std::string>(a[1]);
  SLUICE_RETURN_IF_ERROR(CipherOf(Mode::kEcb, key.size()).status());
  SLUICE_ASSIGN_OR_RETURN(CipherMode mode,
                          ModeOf(std::get<std::string>(a[2]), std::get<std::string>(a[3])));
  SLUICE_ASSIGN_OR_RETURN(const EVP_CIPHER* cipher, CipherOf(mode.mode, key.size()));
  const auto& aad = std::get<std::string>(a[4]);
  if (!aad.empty() && mode.mode != Mode::kGcm) {
    return InvalidArgument("[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: ",
                           std::get<std::string>(a[2]),
                           " does not support additional authenticated data (AAD).");
  }
  const size_t tag_length = mode.mode == Mode::kGcm ? 16 : 0;
  if (input.size() < mode.iv_length + tag_length) return CryptoError();
  const std::string iv = input.substr(0, mode.iv_length);
  Context ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, Bytes(key), iv.empty() ? nullptr : Bytes(iv),
                        0) != 1) {
    return CryptoError();
  }
  const size_t body = input.size() - mode.iv_length - tag_length;
  if (tag_length > 0) {
    std::string tag = input.substr(input.size() - tag_length);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_length),
                            tag.data()) != 1) {
      return CryptoError();
    }
  }
  std::string out;
  SLUICE_RETURN_IF_ERROR(Run(ctx.get(), aad, Bytes(input) + mode.iv_length, body, &out));
  return NativeValue(out);
}

}  // namespace

void AddAesNatives(std::vector<NativeFunction>& out) {
  NativeFunction encrypt{
      "spark_aes_encrypt", {"BLOB", "BLOB", "VARCHAR", "VARCHAR", "BLOB", "BLOB"}, "BLOB", Encrypt};
  encrypt.volatile_result = true;  // a random IV unless one is given
  out.push_back(std::move(encrypt));
  out.push_back(
      {"spark_aes_decrypt", {"BLOB", "BLOB", "VARCHAR", "VARCHAR", "BLOB"}, "BLOB", Decrypt});
  out.push_back({"spark_try_aes_decrypt",
                 {"BLOB", "BLOB", "VARCHAR", "VARCHAR", "BLOB"},
                 "BLOB",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   auto result = Decrypt(a);
                   if (!result.ok()) return NativeValue(std::monostate{});
                   return result;
                 }});
}

}  // namespace sluice::spark::internal
