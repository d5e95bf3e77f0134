// Event-time watermarks, as Spark's WatermarkTracker keeps them: each watermarked input
// records the largest event time a batch saw; after the batch, an input's watermark is that
// maximum less its delay, and the flow's watermark is the minimum over the inputs that have
// seen rows (spark.sql.streaming.multipleWatermarkPolicy = min, Spark's default) or their
// maximum (policy max). The flow's watermark only moves forward. Times are kept in
// milliseconds, as Spark keeps them; the first batch runs with watermark 0 (the epoch).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace sluice::streaming {

class WatermarkTracker {
 public:
  explicit WatermarkTracker(bool max_policy = false) : max_policy_(max_policy) {}

  // The tracker as ToJson wrote it ("{}" or empty: a new one).
  static Result<WatermarkTracker> FromJson(const std::string& json, bool max_policy);
  std::string ToJson() const;

  // The watermark in effect: rows at or before it are late for stateful operators.
  int64_t watermark_ms() const { return watermark_ms_; }
  int64_t watermark_us() const { return watermark_ms_ * 1000; }

  // Records a batch's largest event time (microseconds) on one input with its delay.
  void Observe(const std::string& input, int64_t max_event_time_us, int64_t delay_us);
  // Applies what the batch observed; returns whether the watermark moved.
  bool Advance();

 private:
  bool max_policy_ = false;
  int64_t watermark_ms_ = 0;
  std::map<std::string, int64_t> input_watermarks_ms_;  // inputs that have seen rows
};

}  // namespace sluice::streaming
