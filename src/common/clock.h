// Time as sluice sees it: a Clock can be replaced in tests to make time deterministic.
#pragma once

#include <atomic>
#include <cstdint>

namespace sluice {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMillis() const = 0;
  // Microseconds since the Unix epoch, UTC.
  virtual int64_t NowMicros() const = 0;

  // The process-wide real clock; never null, lives forever.
  static Clock* Real();
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_millis) : now_micros_(now_millis * 1000) {}
  int64_t NowMillis() const override { return now_micros_.load() / 1000; }
  int64_t NowMicros() const override { return now_micros_.load(); }
  void AdvanceMillis(int64_t millis) { now_micros_ += millis * 1000; }
  void SetMillis(int64_t millis) { now_micros_ = millis * 1000; }

 private:
  std::atomic<int64_t> now_micros_;
};

}  // namespace sluice
