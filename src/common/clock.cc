#include "common/clock.h"

#include <chrono>

namespace sluice {
namespace {

class RealClock final : public Clock {
 public:
  int64_t NowMillis() const override { return NowMicros() / 1000; }
  int64_t NowMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Clock* Clock::Real() {
  static RealClock clock;
  return &clock;
}

}  // namespace sluice
