#include "python/udf.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include "common/strings.h"
#include "engine/scalar_function.h"
#include "spark/parser.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// How results travel from Python to DuckDB: the DuckDB type the function returns and the
// SQL that turns it into the Spark type's DuckDB type.
struct Transport {
  std::string duckdb_type;  // BOOLEAN, BIGINT, DOUBLE, VARCHAR or BLOB
  std::string kind;         // for the Python side: bool, int, float, str, bytes, text, json
};

Transport TransportOf(const spark::DataType& type) {
  using spark::TypeId;
  switch (type.id) {
    case TypeId::kBoolean:
      return {"BOOLEAN", "bool"};
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return {"BIGINT", "int"};
    case TypeId::kFloat:
    case TypeId::kDouble:
      return {"DOUBLE", "float"};
    case TypeId::kString:
      return {"VARCHAR", "str"};
    case TypeId::kBinary:
      return {"BLOB", "bytes"};
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
    case TypeId::kDecimal:
      return {"VARCHAR", "text"};
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct:
      return {"VARCHAR", "json"};
    default:
      return {"VARCHAR", "unsupported"};
  }
}

// The SQL of a call of `function` over `{*}` as a value of `type`.
std::string CallSql(const std::string& function, const spark::DataType& type) {
  using spark::TypeId;
  const std::string call = function + "({*})";
  const std::string target = spark::ToDuckDbType(type);
  switch (type.id) {
    case TypeId::kBoolean:
    case TypeId::kLong:
    case TypeId::kDouble:
    case TypeId::kString:
    case TypeId::kBinary:
      return call;
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct:
      return "TRY_CAST(CAST(" + call + " AS JSON) AS " + target + ")";
    default:
      return "TRY_CAST(" + call + " AS " + target + ")";
  }
}

py::object ToPython(const engine::Value& value) {
  if (value.is_null()) return py::none();
  if (const auto* b = std::get_if<bool>(&value.data)) return py::bool_(*b);
  if (const auto* i = std::get_if<int64_t>(&value.data)) return py::int_(*i);
  if (const auto* d = std::get_if<double>(&value.data)) return py::float_(*d);
  if (const auto* s = std::get_if<std::string>(&value.data)) return py::str(*s);
  if (const auto* blob = std::get_if<engine::Value::Blob>(&value.data)) {
    return py::bytes(blob->bytes);
  }
  return py::none();
}

Result<engine::Value> FromPython(const py::handle& value) {
  if (value.is_none()) return engine::Value::Null();
  if (py::isinstance<py::bool_>(value)) return engine::Value::Bool(value.cast<bool>());
  if (py::isinstance<py::int_>(value)) return engine::Value::Int(value.cast<int64_t>());
  if (py::isinstance<py::float_>(value)) return engine::Value::Double(value.cast<double>());
  if (py::isinstance<py::str>(value)) return engine::Value::Text(value.cast<std::string>());
  if (py::isinstance<py::bytes>(value)) return engine::Value::Bytes(value.cast<std::string>());
  return Internal("a Python UDF result of an unexpected type");
}

}  // namespace

PythonUdf::PythonUdf(std::string sql_name, std::string function_name, std::string display_name,
                     spark::DataType return_type, bool pandas, void* function)
    : sql_name_(std::move(sql_name)),
      function_name_(std::move(function_name)),
      display_name_(std::move(display_name)),
      return_type_(std::move(return_type)),
      pandas_(pandas),
      function_(function) {
  Py_XINCREF(static_cast<PyObject*>(function_));
}

PythonUdf::~PythonUdf() {
  py::gil_scoped_acquire gil;
  Py_XDECREF(static_cast<PyObject*>(function_));
}

std::string PythonUdf::Setting() const {
  return display_name_ + ";" + return_type_.Sql() + ";" + CallSql(function_name_, return_type_);
}

Status PythonUdf::Register(const std::shared_ptr<PythonUdf>& udf, engine::Database& database) {
  {
    std::lock_guard<std::mutex> lock(udf->mutex_);
    if (!udf->registered_on_.insert(&database).second) return Status::OK();
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, database.Connect());
  engine::BatchScalarFunctionSpec spec;
  spec.name = udf->function_name_;
  spec.return_type = TransportOf(udf->return_type_).duckdb_type;
  spec.function = [udf](const std::vector<std::vector<engine::Value>>& arguments,
                        const std::vector<std::string>& kinds, size_t rows,
                        std::vector<engine::Value>& results) {
    return udf->Call(arguments, kinds, rows, results);
  };
  return engine::RegisterBatchScalarFunction(*connection, std::move(spec));
}

Status PythonUdf::Call(const std::vector<std::vector<engine::Value>>& arguments,
                       const std::vector<std::string>& kinds, size_t rows,
                       std::vector<engine::Value>& results) const {
  py::gil_scoped_acquire gil;
  try {
    py::list columns;
    for (const auto& column : arguments) {
      py::list values(column.size());
      for (size_t row = 0; row < column.size(); ++row) values[row] = ToPython(column[row]);
      columns.append(values);
    }
    static py::object call_batch = py::module_::import("_sluice_py.udf").attr("call_batch");
    py::list out = call_batch(py::handle(static_cast<PyObject*>(function_)), display_name_, pandas_,
                              TransportOf(return_type_).kind, kinds, columns, rows);
    for (const py::handle& value : out) {
      SLUICE_ASSIGN_OR_RETURN(engine::Value converted, FromPython(value));
      results.push_back(std::move(converted));
    }
  } catch (py::error_already_set& error) {
    return InvalidArgument(py::str(error.value()).cast<std::string>());
  }
  return Status::OK();
}

Result<spark::TranslateOptions::Extension> UdfExtension(std::string_view setting) {
  const size_t first = setting.find(';');
  const size_t second = first == std::string_view::npos ? first : setting.find(';', first + 1);
  if (second == std::string_view::npos) return InvalidArgument("malformed UDF setting");
  spark::TranslateOptions::Extension extension;
  extension.display_name = std::string(setting.substr(0, first));
  SLUICE_ASSIGN_OR_RETURN(extension.type,
                          spark::ParseDataType(setting.substr(first + 1, second - first - 1)));
  extension.sql = std::string(setting.substr(second + 1));
  return extension;
}

}  // namespace sluice::python
