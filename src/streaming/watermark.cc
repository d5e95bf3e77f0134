#include "streaming/watermark.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace sluice::streaming {

Result<WatermarkTracker> WatermarkTracker::FromJson(const std::string& json, bool max_policy) {
  WatermarkTracker tracker(max_policy);
  if (json.empty()) return tracker;
  nlohmann::json value = nlohmann::json::parse(json, nullptr, false);
  if (value.is_discarded() || !value.is_object()) {
    return Corruption("the stored watermark is corrupt: " + json);
  }
  tracker.watermark_ms_ = value.value("watermark_ms", int64_t{0});
  if (value.contains("inputs") && value["inputs"].is_object()) {
    for (const auto& [name, ms] : value["inputs"].items()) {
      if (ms.is_number_integer()) tracker.input_watermarks_ms_[name] = ms.get<int64_t>();
    }
  }
  return tracker;
}

std::string WatermarkTracker::ToJson() const {
  nlohmann::json value;
  value["watermark_ms"] = watermark_ms_;
  value["inputs"] = nlohmann::json::object();
  for (const auto& [name, ms] : input_watermarks_ms_) value["inputs"][name] = ms;
  return value.dump();
}

void WatermarkTracker::Observe(const std::string& input, int64_t max_event_time_us,
                               int64_t delay_us) {
  // Spark keeps event times in milliseconds (a division that truncates).
  const int64_t candidate = max_event_time_us / 1000 - delay_us / 1000;
  auto it = input_watermarks_ms_.find(input);
  if (it == input_watermarks_ms_.end()) {
    input_watermarks_ms_[input] = candidate;
  } else {
    it->second = std::max(it->second, candidate);
  }
}

bool WatermarkTracker::Advance() {
  if (input_watermarks_ms_.empty()) return false;
  int64_t combined = input_watermarks_ms_.begin()->second;
  for (const auto& [name, ms] : input_watermarks_ms_) {
    combined = max_policy_ ? std::max(combined, ms) : std::min(combined, ms);
  }
  if (combined <= watermark_ms_) return false;
  watermark_ms_ = combined;
  return true;
}

}  // namespace sluice::streaming
