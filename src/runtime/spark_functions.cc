#include "runtime/spark_functions.h"

#include "engine/aggregate_function.h"
#include "engine/scalar_function.h"
#include "spark/macros.h"
#include "spark/native.h"
#include "spec/secrets.h"

namespace sluice::runtime {
namespace {

engine::Value ToEngine(const spark::NativeValue& value, const std::string& type) {
  if (std::holds_alternative<std::monostate>(value)) return engine::Value::Null();
  if (auto* b = std::get_if<bool>(&value)) return engine::Value::Bool(*b);
  if (auto* i = std::get_if<int64_t>(&value)) return engine::Value::Int(*i);
  if (auto* d = std::get_if<double>(&value)) return engine::Value::Double(*d);
  const std::string& text = std::get<std::string>(value);
  return type == "BLOB" ? engine::Value::Bytes(text) : engine::Value::Text(text);
}

spark::NativeValue FromEngine(const engine::Value& value) {
  if (value.is_null()) return std::monostate{};
  if (auto* b = std::get_if<bool>(&value.data)) return *b;
  if (auto* i = std::get_if<int64_t>(&value.data)) return *i;
  if (auto* d = std::get_if<double>(&value.data)) return *d;
  if (auto* s = std::get_if<std::string>(&value.data)) return *s;
  return std::get<engine::Value::Blob>(value.data).bytes;
}

// A native aggregate's state behind the engine's interface.
class AggregateAdapter : public engine::AggregateState {
 public:
  AggregateAdapter(std::unique_ptr<spark::NativeAggregateState> state, std::string type)
      : state_(std::move(state)), type_(std::move(type)) {}

  Status Add(const std::vector<engine::Value>& arguments) override {
    // Called once per row: the converted arguments reuse one buffer per thread.
    thread_local std::vector<spark::NativeValue> values;
    values.resize(arguments.size());
    for (size_t i = 0; i < arguments.size(); ++i) values[i] = FromEngine(arguments[i]);
    return state_->Add(values);
  }
  void Merge(const engine::AggregateState& other) override {
    state_->Merge(*static_cast<const AggregateAdapter&>(other).state_);
  }
  Result<engine::Value> Finish() const override {
    SLUICE_ASSIGN_OR_RETURN(spark::NativeValue result, state_->Finish());
    return ToEngine(result, type_);
  }

 private:
  std::unique_ptr<spark::NativeAggregateState> state_;
  std::string type_;
};

}  // namespace

Status InstallSparkFunctions(engine::Connection& connection) {
  // secret(scope, key) (spark/functions_misc.cc): the local provider's value (spec/secrets.h).
  engine::ScalarFunctionSpec secret;
  secret.name = "sluice_secret";
  secret.parameter_types = {"VARCHAR", "VARCHAR"};
  secret.return_type = "VARCHAR";
  secret.function = [](const std::vector<engine::Value>& arguments) -> Result<engine::Value> {
    SLUICE_ASSIGN_OR_RETURN(std::string value,
                            spec::LookUpSecret(std::get<std::string>(arguments[0].data),
                                               std::get<std::string>(arguments[1].data)));
    return engine::Value::Text(std::move(value));
  };
  SLUICE_RETURN_IF_ERROR(engine::RegisterScalarFunction(connection, std::move(secret)));
  for (const spark::NativeFunction& native : spark::NativeFunctions()) {
    engine::ScalarFunctionSpec spec;
    spec.name = native.name;
    spec.parameter_types = native.parameter_types;
    spec.return_type = native.return_type;
    spec.handles_nulls = native.handles_nulls;
    spec.volatile_result = native.volatile_result;
    spec.function = [function = native.function, type = native.return_type](
                        const std::vector<engine::Value>& arguments) -> Result<engine::Value> {
      std::vector<spark::NativeValue> values;
      values.reserve(arguments.size());
      for (const engine::Value& argument : arguments) values.push_back(FromEngine(argument));
      SLUICE_ASSIGN_OR_RETURN(spark::NativeValue result, function(values));
      return ToEngine(result, type);
    };
    SLUICE_RETURN_IF_ERROR(engine::RegisterScalarFunction(connection, std::move(spec)));
  }
  for (const spark::NativeRawFunction& native : spark::NativeRawFunctions()) {
    engine::RawScalarFunctionSpec spec;
    spec.name = native.name;
    spec.parameter_types = native.parameter_types;
    constexpr size_t kMaxArguments = 4;
    const size_t count = native.parameter_types.size();
    if (count > kMaxArguments)
      return Internal("raw native " + native.name + ": too many arguments");
    spec.function = [function = native.function, count](const engine::RawArgument* arguments) {
      // The engine's and the natives' raw arguments are the same fields.
      spark::NativeRawArgument converted[kMaxArguments];
      for (size_t i = 0; i < count; ++i) {
        converted[i].text = arguments[i].text;
        converted[i].real = arguments[i].real;
        converted[i].integer = arguments[i].integer;
      }
      return function(converted);
    };
    SLUICE_RETURN_IF_ERROR(engine::RegisterRawScalarFunction(connection, std::move(spec)));
  }
  for (const spark::NativeAggregate& native : spark::NativeAggregates()) {
    engine::AggregateFunctionSpec spec;
    spec.name = native.name;
    spec.parameter_types = native.parameter_types;
    spec.return_type = native.return_type;
    spec.handles_nulls = native.handles_nulls;
    spec.new_state = [new_state = native.new_state, type = native.return_type]() {
      return std::unique_ptr<engine::AggregateState>(
          std::make_unique<AggregateAdapter>(new_state(), type));
    };
    SLUICE_RETURN_IF_ERROR(engine::RegisterAggregateFunction(connection, std::move(spec)));
  }
  // The macros in one transaction: a statement each costs DuckDB a commit each, several
  // times the time of the whole script (this runs whenever a pipeline opens).
  const std::vector<std::string>& macros = spark::SparkMacroDefinitions();
  std::string script = "BEGIN TRANSACTION;\n";
  for (const std::string& statement : macros) script += statement + ";\n";
  script += "COMMIT;";
  if (connection.Execute(script).ok()) return Status::OK();
  // Name the macro that fails.
  (void)connection.Execute("ROLLBACK");
  for (const std::string& statement : macros) {
    SLUICE_RETURN_IF_ERROR(connection.Execute(statement));
  }
  return Status::OK();
}

}  // namespace sluice::runtime
