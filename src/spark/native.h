// Spark functions written in C++ (where DuckDB SQL cannot say them well), for the engine
// to register on each database before translated queries run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace sluice::spark {

// A value crossing into or out of a native function: NULL, a boolean, an integer of any
// width, a float or double, or a string (text or bytes, per the declared type).
using NativeValue = std::variant<std::monostate, bool, int64_t, double, std::string>;

struct NativeFunction {
  std::string name;
  std::vector<std::string> parameter_types;  // DuckDB type names (BIGINT, DOUBLE, VARCHAR, ...)
  std::string return_type;
  // Called once per row whose arguments are all non-NULL (unless handles_nulls).
  std::function<Result<NativeValue>(const std::vector<NativeValue>& arguments)> function;
  bool handles_nulls = false;
  bool volatile_result = false;
};

const std::vector<NativeFunction>& NativeFunctions();

// One argument of a raw native, read in place: VARCHAR as `text` (valid during the call),
// DOUBLE as `real`, BIGINT as `integer`.
struct NativeRawArgument {
  std::string_view text;
  double real = 0;
  int64_t integer = 0;
};

// A native on a hot path: a BIGINT result (nullopt: NULL) computed from arguments read in
// place (no value is built per row), called only for rows without NULL arguments. It cannot fail;
// translated SQL takes another way for what it does not answer.
struct NativeRawFunction {
  std::string name;
  std::vector<std::string> parameter_types;  // VARCHAR, DOUBLE or BIGINT
  std::function<std::optional<int64_t>(const NativeRawArgument* arguments)> function;
};

const std::vector<NativeRawFunction>& NativeRawFunctions();

// The state of a native aggregate for one group: rows are added to it, states of the same
// aggregate built in parallel are merged into it (`other` stays intact), and Finish gives
// the result (possibly more than once).
class NativeAggregateState {
 public:
  virtual ~NativeAggregateState() = default;
  virtual Status Add(const std::vector<NativeValue>& arguments) = 0;
  virtual void Merge(const NativeAggregateState& other) = 0;
  virtual Result<NativeValue> Finish() const = 0;
};

// An aggregate function written in C++ (typed as NativeFunction).
struct NativeAggregate {
  std::string name;
  std::vector<std::string> parameter_types;
  std::string return_type;
  std::function<std::unique_ptr<NativeAggregateState>()> new_state;
  bool handles_nulls = false;  // else rows with a NULL argument are skipped
};

const std::vector<NativeAggregate>& NativeAggregates();

}  // namespace sluice::spark
