#include "common/uuid.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>

namespace sluice {

std::string NewUuid() {
  static std::mutex mutex;
  static std::mt19937_64 generator;
  static pid_t seeded_for = 0;
  uint64_t high = 0;
  uint64_t low = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    // Reseed in a forked child: it must not repeat its parent's (or siblings') UUIDs,
    // which name data files that concurrent writers put side by side.
    if (seeded_for != getpid()) {
      std::random_device device;
      std::seed_seq seed{device(), device(), device(), device(), static_cast<unsigned>(getpid())};
      generator.seed(seed);
      seeded_for = getpid();
    }
    high = generator();
    low = generator();
  }
  high = (high & ~uint64_t{0xF000}) | uint64_t{0x4000};          // version 4
  low = (low & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

}  // namespace sluice
