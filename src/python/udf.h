// Python user-defined functions (F.udf, @udf, pandas_udf, spark.udf.register).
//
// A UDF defined by a pipeline file is a DuckDB scalar function of any arguments, called
// once per chunk of rows: the embedded interpreter converts the chunk's values to Python's
// (as PySpark does: dates, datetimes, Decimals, lists, Rows), calls the function on each
// row (or, for a pandas UDF, once on pandas Series) and converts the results to the
// declared return type; a value not of that type is NULL, as in Spark. Translated SQL
// calls it through a pipeline setting `sluice.udf.<sql name>` that the Python files' SQL
// sets, which gives the translator its name, return type and SQL (UdfExtension).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "engine/engine.h"
#include "spark/translator.h"

namespace sluice::python {

inline constexpr char kUdfSettingPrefix[] = "sluice.udf.";

class PythonUdf {
 public:
  // `function` is a borrowed reference to the Python callable (a new reference is kept);
  // call with the GIL held.
  // `sql_name` calls it in Spark SQL; `function_name` is the DuckDB function.
  PythonUdf(std::string sql_name, std::string function_name, std::string display_name,
            spark::DataType return_type, bool pandas, void* function);
  ~PythonUdf();  // releases the callable under the GIL
  PythonUdf(const PythonUdf&) = delete;
  PythonUdf& operator=(const PythonUdf&) = delete;

  const std::string& sql_name() const { return sql_name_; }
  const std::string& display_name() const { return display_name_; }
  const spark::DataType& return_type() const { return return_type_; }

  // The value of the setting that defines this UDF for the translator.
  std::string Setting() const;

  // Registers the function on `database` (once per database).
  static Status Register(const std::shared_ptr<PythonUdf>& udf, engine::Database& database);

  // Calls the function on a chunk of rows (see engine::BatchScalarFunctionSpec).
  Status Call(const std::vector<std::vector<engine::Value>>& arguments,
              const std::vector<std::string>& kinds, size_t rows,
              std::vector<engine::Value>& results) const;

 private:
  std::string sql_name_;
  std::string function_name_;
  std::string display_name_;
  spark::DataType return_type_;
  bool pandas_;
  void* function_;  // PyObject*, owned
  std::mutex mutex_;
  std::set<const engine::Database*> registered_on_;
};

// The translator's extension for a UDF setting's value (PythonUdf::Setting).
Result<spark::TranslateOptions::Extension> UdfExtension(std::string_view setting);

}  // namespace sluice::python
