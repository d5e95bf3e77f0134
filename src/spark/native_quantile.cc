// percentile_approx as Spark computes it: a Greenwald-Khanna quantile summary
// (QuantileSummaries) with Spark's head buffer, compression thresholds, merge and query
// rules, so that the value returned is the one Spark's summary returns for the same rows
// in the same order.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

constexpr int kCompressThreshold = 10000;
constexpr size_t kHeadSize = 50000;

struct Sample {
  double value;
  int64_t g;
  int64_t delta;
};

// Java's Arrays.sort order of doubles: -0.0 before 0.0, NaN last.
bool JavaDoubleLess(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  if (a < b) return true;
  if (a > b) return false;
  return std::signbit(a) && !std::signbit(b);
}

class Summary {
 public:
  explicit Summary(double relative_error) : relative_error_(relative_error) {}

  int64_t count() const { return count_; }
  size_t sampled_size() const { return sampled_.size(); }
  bool head_empty() const { return head_.empty(); }

  void Insert(double x) {
    head_.push_back(x);
    if (head_.size() >= kHeadSize) {
      InsertHead();
      if (sampled_.size() >= kCompressThreshold) Compress();
    }
  }

  // Inserts the head buffer and compresses the samples.
  void Compress() {
    InsertHead();
    sampled_ = CompressSamples(sampled_, 2 * relative_error_ * static_cast<double>(count_));
  }

  // Merges a compressed summary into this compressed one.
  void Merge(const Summary& other) {
    if (other.count_ == 0) return;
    if (count_ == 0) {
      sampled_ = other.sampled_;
      count_ = other.count_;
      relative_error_ = other.relative_error_;
      return;
    }
    std::vector<Sample> merged;
    merged.reserve(sampled_.size() + other.sampled_.size());
    const double merged_error = std::max(relative_error_, other.relative_error_);
    const int64_t merged_count = count_ + other.count_;
    const auto self_extra = static_cast<int64_t>(
        std::floor(2 * other.relative_error_ * static_cast<double>(other.count_)));
    const auto other_extra =
        static_cast<int64_t>(std::floor(2 * relative_error_ * static_cast<double>(count_)));
    size_t i = 0, j = 0;
    while (i < sampled_.size() && j < other.sampled_.size()) {
      if (sampled_[i].value < other.sampled_[j].value) {
        Sample s = sampled_[i++];
        if (j > 0) s.delta += self_extra;
        merged.push_back(s);
      } else {
        Sample s = other.sampled_[j++];
        if (i > 0) s.delta += other_extra;
        merged.push_back(s);
      }
    }
    while (i < sampled_.size()) merged.push_back(sampled_[i++]);
    while (j < other.sampled_.size()) merged.push_back(other.sampled_[j++]);
    sampled_ = CompressSamples(merged, 2 * merged_error * static_cast<double>(merged_count));
    count_ = merged_count;
    relative_error_ = merged_error;
  }

  // The value at `quantile` of a compressed summary.
  std::optional<double> Query(double quantile) const {
    if (sampled_.empty()) return std::nullopt;
    if (quantile <= relative_error_) return sampled_.front().value;
    if (quantile >= 1 - relative_error_) return sampled_.back().value;
    const auto rank = static_cast<int64_t>(std::ceil(quantile * static_cast<double>(count_)));
    int64_t widest = INT64_MIN;
    for (const Sample& s : sampled_) widest = std::max(widest, s.delta + s.g);
    const int64_t target_error = widest / 2;
    int64_t min_rank = 0;
    for (size_t i = 0; i + 1 < sampled_.size(); ++i) {
      min_rank += sampled_[i].g;
      const int64_t max_rank = min_rank + sampled_[i].delta;
      if (max_rank - target_error <= rank && rank <= min_rank + target_error) {
        return sampled_[i].value;
      }
    }
    return sampled_.back().value;
  }

 private:
  void InsertHead() {
    if (head_.empty()) return;
    std::vector<double> sorted = head_;
    std::sort(sorted.begin(), sorted.end(), JavaDoubleLess);
    std::vector<Sample> samples;
    samples.reserve(sampled_.size() + sorted.size());
    size_t sample_index = 0;
    int64_t current = count_;
    for (size_t op = 0; op < sorted.size(); ++op) {
      const double x = sorted[op];
      while (sample_index < sampled_.size() && sampled_[sample_index].value <= x) {
        samples.push_back(sampled_[sample_index++]);
      }
      ++current;
      const bool edge =
          samples.empty() || (sample_index == sampled_.size() && op == sorted.size() - 1);
      const int64_t delta = edge ? 0
                                 : static_cast<int64_t>(std::floor(2 * relative_error_ *
                                                                   static_cast<double>(current)));
      samples.push_back(Sample{x, 1, delta});
    }
    while (sample_index < sampled_.size()) samples.push_back(sampled_[sample_index++]);
    sampled_ = std::move(samples);
    count_ = current;
    head_.clear();
  }

  static std::vector<Sample> CompressSamples(const std::vector<Sample>& samples,
                                             double merge_threshold) {
    if (samples.empty()) return {};
    std::vector<Sample> reversed;  // built from the end, reversed at the end
    Sample head = samples.back();
    for (size_t i = samples.size() - 2; i >= 1 && i < samples.size(); --i) {
      const Sample& s = samples[i];
      if (static_cast<double>(s.g + head.g + head.delta) < merge_threshold) {
        head.g += s.g;
      } else {
        reversed.push_back(head);
        head = s;
      }
    }
    reversed.push_back(head);
    if (samples.front().value <= head.value && samples.size() > 1) {
      reversed.push_back(samples.front());
    }
    return std::vector<Sample>(reversed.rbegin(), reversed.rend());
  }

  double relative_error_;
  std::vector<Sample> sampled_;
  int64_t count_ = 0;  // samples inserted into sampled_ (not the head buffer)
  std::vector<double> head_;
};

// ApproximatePercentile's PercentileDigest. Arguments: value, percentage, accuracy.
class ApproximatePercentileState : public NativeAggregateState {
 public:
  Status Add(const std::vector<NativeValue>& a) override {
    if (std::holds_alternative<std::monostate>(a[0])) return Status::OK();
    if (!summary_) {
      percentage_ = std::get<double>(a[1]);
      const int64_t accuracy = std::get<int64_t>(a[2]);
      const double relative_error = 1.0 / static_cast<double>(accuracy);
      summary_.emplace(relative_error);
      // (1 / relativeError).toInt * 2 * 2 in Java's int arithmetic.
      const double inverse = 1 / relative_error;
      const int32_t whole = inverse >= 2147483647.0 ? INT32_MAX : static_cast<int32_t>(inverse);
      buffer_limit_ = static_cast<int32_t>(static_cast<uint32_t>(whole) * 4u);
    }
    summary_->Insert(std::get<double>(a[0]));
    compressed_ = false;
    if (static_cast<int64_t>(summary_->sampled_size()) >= buffer_limit_) {
      summary_->Compress();
      compressed_ = true;
    }
    return Status::OK();
  }

  void Merge(const NativeAggregateState& other_state) override {
    const auto& other = static_cast<const ApproximatePercentileState&>(other_state);
    if (!other.summary_) return;
    Summary incoming = *other.summary_;
    if (!other.compressed_) incoming.Compress();
    if (!summary_) {
      summary_ = std::move(incoming);
      percentage_ = other.percentage_;
      buffer_limit_ = other.buffer_limit_;
      compressed_ = true;
      return;
    }
    if (!compressed_) summary_->Compress();
    summary_->Merge(incoming);
    compressed_ = true;
  }

  Result<NativeValue> Finish() const override {
    if (!summary_) return NativeValue(std::monostate{});
    Summary summary = *summary_;
    if (!compressed_) summary.Compress();
    if (summary.count() == 0) return NativeValue(std::monostate{});
    std::optional<double> value = summary.Query(percentage_);
    if (!value) return NativeValue(std::monostate{});
    return NativeValue(*value);
  }

 private:
  std::optional<Summary> summary_;
  double percentage_ = 0;
  int64_t buffer_limit_ = 0;
  bool compressed_ = true;
};

}  // namespace

void AddApproximatePercentileNative(std::vector<NativeAggregate>& out) {
  NativeAggregate aggregate;
  aggregate.name = "spark_percentile_approx";
  aggregate.parameter_types = {"DOUBLE", "DOUBLE", "INTEGER"};
  aggregate.return_type = "DOUBLE";
  aggregate.new_state = []() -> std::unique_ptr<NativeAggregateState> {
    return std::make_unique<ApproximatePercentileState>();
  };
  out.push_back(std::move(aggregate));
}

}  // namespace sluice::spark::internal
