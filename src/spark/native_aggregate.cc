// Native aggregates: Spark's one-pass statistics (central moments, co-moments and the
// regressions built on them) with Spark's update and merge arithmetic, and its exact
// percentiles. Each state follows one Spark aggregation buffer; a result differs from
// Spark's only where Spark's own result depends on how its input was partitioned (the
// order in which partial buffers are merged).
#include <algorithm>
#include <cmath>
#include <map>

#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

double AsDouble(const NativeValue& value) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  if (auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  return 0;
}

int64_t AsLong(const NativeValue& value) {
  if (auto* i = std::get_if<int64_t>(&value)) return *i;
  if (auto* d = std::get_if<double>(&value)) return static_cast<int64_t>(*d);
  return 0;
}

// CentralMomentAgg's buffer: count, mean and the 2nd to 4th central moment sums.
struct Moments {
  double n = 0, avg = 0, m2 = 0, m3 = 0, m4 = 0;

  void Add(double x) {
    const double new_n = n + 1.0;
    const double delta = x - avg;
    const double delta_n = delta / new_n;
    const double new_m2 = m2 + delta * (delta - delta_n);
    const double delta2 = delta * delta;
    const double delta_n2 = delta_n * delta_n;
    const double new_m3 = m3 - 3.0 * delta_n * new_m2 + delta * (delta2 - delta_n2);
    m4 = m4 - 4.0 * delta_n * new_m3 - 6.0 * delta_n2 * new_m2 +
         delta * (delta * delta2 - delta_n * delta_n2);
    m3 = new_m3;
    m2 = new_m2;
    avg = avg + delta_n;
    n = new_n;
  }

  void Merge(const Moments& o) {
    const double n1 = n, n2 = o.n;
    const double new_n = n1 + n2;
    const double delta = o.avg - avg;
    const double delta_n = new_n == 0.0 ? 0.0 : delta / new_n;
    const double new_m2 = m2 + o.m2 + delta * delta_n * n1 * n2;
    const double new_m3 = m3 + o.m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) +
                          3.0 * delta_n * (n1 * o.m2 - n2 * m2);
    m4 = m4 + o.m4 + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2) +
         6.0 * delta_n * delta_n * (n1 * n1 * o.m2 + n2 * n2 * m2) +
         4.0 * delta_n * (n1 * o.m3 - n2 * m3);
    m3 = new_m3;
    m2 = new_m2;
    avg = avg + delta_n * n2;
    n = new_n;
  }
};

// The buffer of Covariance and PearsonCorrelation over pairs (x, y).
struct CoMoments {
  double n = 0, x_avg = 0, y_avg = 0, ck = 0, x_mk = 0, y_mk = 0;

  void Add(double x, double y) {
    const double new_n = n + 1.0;
    const double dx = x - x_avg;
    const double dy = y - y_avg;
    const double new_x_avg = x_avg + dx / new_n;
    const double new_y_avg = y_avg + dy / new_n;
    ck = ck + dx * (y - new_y_avg);
    x_mk = x_mk + dx * (x - new_x_avg);
    y_mk = y_mk + dy * (y - new_y_avg);
    x_avg = new_x_avg;
    y_avg = new_y_avg;
    n = new_n;
  }

  void Merge(const CoMoments& o) {
    const double n1 = n, n2 = o.n;
    const double new_n = n1 + n2;
    const double dx = o.x_avg - x_avg;
    const double dx_n = new_n == 0.0 ? 0.0 : dx / new_n;
    const double dy = o.y_avg - y_avg;
    const double dy_n = new_n == 0.0 ? 0.0 : dy / new_n;
    ck = ck + o.ck + dx * dy_n * n1 * n2;
    x_mk = x_mk + o.x_mk + dx * dx_n * n1 * n2;
    y_mk = y_mk + o.y_mk + dy * dy_n * n1 * n2;
    x_avg = x_avg + dx_n * n2;
    y_avg = y_avg + dy_n * n2;
    n = new_n;
  }
};

NativeValue Null() { return std::monostate{}; }

// A state holding one accumulator, finished by a formula.
template <typename Accumulator>
class FormulaState : public NativeAggregateState {
 public:
  using AddFn = void (*)(Accumulator&, const std::vector<NativeValue>&);
  using FinishFn = NativeValue (*)(const Accumulator&);
  FormulaState(AddFn add, FinishFn finish) : add_(add), finish_(finish) {}

  Status Add(const std::vector<NativeValue>& arguments) override {
    add_(accumulator_, arguments);
    return Status::OK();
  }
  void Merge(const NativeAggregateState& other) override {
    accumulator_.Merge(static_cast<const FormulaState&>(other).accumulator_);
  }
  Result<NativeValue> Finish() const override { return finish_(accumulator_); }

 private:
  Accumulator accumulator_;
  AddFn add_;
  FinishFn finish_;
};

template <typename Accumulator>
NativeAggregate Formula(std::string name, std::vector<std::string> parameters,
                        typename FormulaState<Accumulator>::AddFn add,
                        typename FormulaState<Accumulator>::FinishFn finish,
                        bool handles_nulls = false) {
  NativeAggregate out;
  out.name = std::move(name);
  out.parameter_types = std::move(parameters);
  out.return_type = "DOUBLE";
  out.handles_nulls = handles_nulls;
  out.new_state = [add, finish]() -> std::unique_ptr<NativeAggregateState> {
    return std::make_unique<FormulaState<Accumulator>>(add, finish);
  };
  return out;
}

void AddOne(Moments& m, const std::vector<NativeValue>& a) { m.Add(AsDouble(a[0])); }
void AddPair(CoMoments& m, const std::vector<NativeValue>& a) {
  m.Add(AsDouble(a[0]), AsDouble(a[1]));
}

// RegrSlope and RegrIntercept: the covariance of (x, y) and the variance of x, over rows
// where both are set (Spark 3.5.2 on; earlier releases counted x where y was NULL).
struct Regression {
  CoMoments covariance;
  Moments x;
  void Merge(const Regression& o) {
    covariance.Merge(o.covariance);
    x.Merge(o.x);
  }
};

// Arguments (y, x).
void AddRegression(Regression& r, const std::vector<NativeValue>& a) {
  r.covariance.Add(AsDouble(a[1]), AsDouble(a[0]));
  r.x.Add(AsDouble(a[1]));
}

// ---- Exact percentiles (PercentileBase) -------------------------------------------------

// Spark's ordering of doubles: NaN above everything; -0.0 and 0.0 are separate keys.
struct DoubleKeyLess {
  bool operator()(double a, double b) const {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    if (a != b) return a < b;
    return std::signbit(a) && !std::signbit(b);
  }
};

// Arguments: value, percentage, frequency, kind (bit 0: descending order, bit 1: discrete).
class PercentileState : public NativeAggregateState {
 public:
  Status Add(const std::vector<NativeValue>& a) override {
    if (std::holds_alternative<std::monostate>(a[0]) ||
        std::holds_alternative<std::monostate>(a[2])) {
      return Status::OK();
    }
    percentage_ = AsDouble(a[1]);
    kind_ = AsLong(a[3]);
    const int64_t frequency = AsLong(a[2]);
    if (frequency < 0) {
      return InvalidArgument("Negative values found in the frequency of percentile: ", frequency);
    }
    if (frequency > 0) counts_[AsDouble(a[0])] += frequency;
    return Status::OK();
  }

  void Merge(const NativeAggregateState& other) override {
    const auto& o = static_cast<const PercentileState&>(other);
    for (const auto& [key, count] : o.counts_) counts_[key] += count;
    if (!o.counts_.empty()) {
      percentage_ = o.percentage_;
      kind_ = o.kind_;
    }
  }

  Result<NativeValue> Finish() const override {
    if (counts_.empty()) return Null();
    std::vector<std::pair<double, int64_t>> accumulated;
    int64_t total = 0;
    auto push = [&](double key, int64_t count) {
      total += count;
      accumulated.emplace_back(key, total);
    };
    if (kind_ & 1) {
      for (auto it = counts_.rbegin(); it != counts_.rend(); ++it) push(it->first, it->second);
    } else {
      for (const auto& [key, count] : counts_) push(key, count);
    }
    // The first entry whose accumulated count reaches `count`.
    auto at = [&](int64_t count) {
      auto it = std::lower_bound(
          accumulated.begin(), accumulated.end(), count,
          [](const std::pair<double, int64_t>& e, int64_t c) { return e.second < c; });
      if (it == accumulated.end()) --it;
      return it->first;
    };
    if (kind_ & 2) {
      const double position = static_cast<double>(total) * percentage_;
      return NativeValue(at(static_cast<int64_t>(std::ceil(position))));
    }
    const double position = static_cast<double>(total - 1) * percentage_;
    const int64_t lower = static_cast<int64_t>(std::floor(position));
    const int64_t higher = static_cast<int64_t>(std::ceil(position));
    const double lower_key = at(lower + 1);
    if (higher == lower) return NativeValue(lower_key);
    const double higher_key = at(higher + 1);
    if (higher_key == lower_key) return NativeValue(lower_key);
    return NativeValue((static_cast<double>(higher) - position) * lower_key +
                       (position - static_cast<double>(lower)) * higher_key);
  }

 private:
  std::map<double, int64_t, DoubleKeyLess> counts_;
  double percentage_ = 0;
  int64_t kind_ = 0;
};

// ---- Bitmaps (BitmapExpressionUtils) -----------------------------------------------------

constexpr size_t kBitmapBytes = 4096;

// bitmap_construct_agg (arguments: a bit position) and bitmap_or_agg (a bitmap): a
// 4096-byte bitmap, all zero for no rows.
class BitmapState : public NativeAggregateState {
 public:
  explicit BitmapState(bool positions) : positions_(positions), bits_(kBitmapBytes, '\0') {}

  Status Add(const std::vector<NativeValue>& a) override {
    if (positions_) {
      const int64_t position = std::get<int64_t>(a[0]);
      if (position < 0 || position >= static_cast<int64_t>(kBitmapBytes * 8)) {
        return InvalidArgument("[INVALID_BITMAP_POSITION] The 0-indexed bitmap position ", position,
                               " is out of bounds. The bitmap has ", kBitmapBytes * 8, " bits (",
                               kBitmapBytes, " bytes).");
      }
      bits_[static_cast<size_t>(position / 8)] |= static_cast<char>(1 << (position % 8));
      return Status::OK();
    }
    const std::string& other = std::get<std::string>(a[0]);
    for (size_t i = 0; i < std::min(other.size(), kBitmapBytes); ++i) bits_[i] |= other[i];
    return Status::OK();
  }
  void Merge(const NativeAggregateState& other) override {
    const std::string& bits = static_cast<const BitmapState&>(other).bits_;
    for (size_t i = 0; i < kBitmapBytes; ++i) bits_[i] |= bits[i];
  }
  Result<NativeValue> Finish() const override { return NativeValue(bits_); }

 private:
  bool positions_;
  std::string bits_;
};

}  // namespace

void AddAggregateNatives(std::vector<NativeAggregate>& out) {
  const std::vector<std::string> one = {"DOUBLE"};
  const std::vector<std::string> two = {"DOUBLE", "DOUBLE"};
  // Central moments: NULL for no rows; the sample forms are NULL for one row and skewness
  // and kurtosis for a zero variance (spark.sql.legacy.statisticalAggregate off).
  out.push_back(Formula<Moments>("spark_var_pop", one, AddOne, [](const Moments& m) {
    return m.n == 0.0 ? Null() : NativeValue(m.m2 / m.n);
  }));
  out.push_back(Formula<Moments>("spark_var_samp", one, AddOne, [](const Moments& m) {
    return m.n == 0.0 || m.n == 1.0 ? Null() : NativeValue(m.m2 / (m.n - 1.0));
  }));
  out.push_back(Formula<Moments>("spark_stddev_pop", one, AddOne, [](const Moments& m) {
    return m.n == 0.0 ? Null() : NativeValue(std::sqrt(m.m2 / m.n));
  }));
  out.push_back(Formula<Moments>("spark_stddev_samp", one, AddOne, [](const Moments& m) {
    return m.n == 0.0 || m.n == 1.0 ? Null() : NativeValue(std::sqrt(m.m2 / (m.n - 1.0)));
  }));
  out.push_back(Formula<Moments>("spark_skewness", one, AddOne, [](const Moments& m) {
    if (m.n == 0.0 || m.m2 == 0.0) return Null();
    return NativeValue(std::sqrt(m.n) * m.m3 / std::sqrt(m.m2 * m.m2 * m.m2));
  }));
  out.push_back(Formula<Moments>("spark_kurtosis", one, AddOne, [](const Moments& m) {
    if (m.n == 0.0 || m.m2 == 0.0) return Null();
    return NativeValue(m.n * m.m4 / (m.m2 * m.m2) - 3.0);
  }));
  // RegrReplacement (regr_sxx, regr_syy): the second moment sum itself.
  out.push_back(Formula<Moments>("spark_moment_sum", one, AddOne, [](const Moments& m) {
    return m.n == 0.0 ? Null() : NativeValue(m.m2);
  }));
  // Co-moments over pairs where both values are set.
  out.push_back(Formula<CoMoments>("spark_covar_pop", two, AddPair, [](const CoMoments& m) {
    return m.n == 0.0 ? Null() : NativeValue(m.ck / m.n);
  }));
  out.push_back(Formula<CoMoments>("spark_covar_samp", two, AddPair, [](const CoMoments& m) {
    return m.n == 0.0 || m.n == 1.0 ? Null() : NativeValue(m.ck / (m.n - 1.0));
  }));
  out.push_back(Formula<CoMoments>("spark_comoment_sum", two, AddPair, [](const CoMoments& m) {
    return m.n == 0.0 ? Null() : NativeValue(m.ck);
  }));
  out.push_back(Formula<CoMoments>("spark_corr", two, AddPair, [](const CoMoments& m) {
    if (m.n == 0.0 || m.n == 1.0) return Null();
    return NativeValue(m.ck / std::sqrt(m.x_mk * m.y_mk));
  }));
  // regr_r2(y, x) as Spark 3.5 computes it over (y, x): NULL when y is constant, 1 when x
  // is, else the squared correlation.
  out.push_back(Formula<CoMoments>("spark_regr_r2", two, AddPair, [](const CoMoments& m) {
    if (m.x_mk == 0.0) return Null();
    if (m.y_mk == 0.0) return NativeValue(1.0);
    const double corr = m.ck / std::sqrt(m.x_mk * m.y_mk);
    return NativeValue(corr * corr);
  }));
  out.push_back(
      Formula<Regression>("spark_regr_slope", two, AddRegression, [](const Regression& r) {
        return r.x.m2 == 0.0 ? Null() : NativeValue(r.covariance.ck / r.x.m2);
      }));
  out.push_back(
      Formula<Regression>("spark_regr_intercept", two, AddRegression, [](const Regression& r) {
        if (r.x.m2 == 0.0) return Null();
        return NativeValue(r.covariance.y_avg - r.covariance.ck / r.x.m2 * r.covariance.x_avg);
      }));

  NativeAggregate percentile;
  percentile.name = "spark_percentile";
  percentile.parameter_types = {"DOUBLE", "DOUBLE", "BIGINT", "INTEGER"};
  percentile.return_type = "DOUBLE";
  percentile.handles_nulls = true;
  percentile.new_state = []() -> std::unique_ptr<NativeAggregateState> {
    return std::make_unique<PercentileState>();
  };
  out.push_back(std::move(percentile));
  AddApproximatePercentileNative(out);

  for (bool positions : {true, false}) {
    NativeAggregate bitmap;
    bitmap.name = positions ? "spark_bitmap_construct" : "spark_bitmap_or";
    bitmap.parameter_types = {positions ? "BIGINT" : "BLOB"};
    bitmap.return_type = "BLOB";
    bitmap.new_state = [positions]() -> std::unique_ptr<NativeAggregateState> {
      return std::make_unique<BitmapState>(positions);
    };
    out.push_back(std::move(bitmap));
  }
}

}  // namespace sluice::spark::internal
