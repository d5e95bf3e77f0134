// The `_sluice` module of the embedded interpreter: what sluice's Python modules ask of
// the C++ side (their own sources, Spark SQL parsing, DDL, schemas of queries).
#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/strings.h"
#include "python/bindings_internal.h"
#include "python/embedded_sources.h"
#include "spark/parser.h"
#include "spec/secrets.h"
#include "sql/parser.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

thread_local SchemaOracle* current_oracle = nullptr;
thread_local std::vector<std::shared_ptr<PythonUdf>>* current_udfs = nullptr;
thread_local std::vector<std::string>* current_secrets = nullptr;

const char* IntervalFieldName(spark::IntervalField field) {
  switch (field) {
    case spark::IntervalField::kYear:
      return "year";
    case spark::IntervalField::kMonth:
      return "month";
    case spark::IntervalField::kDay:
      return "day";
    case spark::IntervalField::kHour:
      return "hour";
    case spark::IntervalField::kMinute:
      return "minute";
    case spark::IntervalField::kSecond:
      return "second";
  }
  return "second";
}

std::string IntervalName(const spark::DataType& type) {
  std::string name = std::string("interval ") + IntervalFieldName(type.start_field);
  if (type.end_field != type.start_field)
    name += std::string(" to ") + IntervalFieldName(type.end_field);
  return name;
}

nlohmann::json FieldsJson(const std::vector<spark::StructField>& fields) {
  nlohmann::json out = nlohmann::json::array();
  for (const spark::StructField& field : fields) {
    nlohmann::json metadata = nlohmann::json::object();
    if (field.comment) metadata["comment"] = *field.comment;
    out.push_back({{"name", field.name},
                   {"type", TypeJson(*field.type)},
                   {"nullable", field.nullable},
                   {"metadata", metadata}});
  }
  return out;
}

[[noreturn]] void Raise(const Status& status) {
  static py::object error = py::module_::import("_sluice").attr("Error");
  static py::object unresolved = py::module_::import("_sluice").attr("UnresolvedDataset");
  PyErr_SetString((status.code() == StatusCode::kNotFound ? unresolved : error).ptr(),
                  status.message().c_str());
  throw py::error_already_set();
}

}  // namespace

nlohmann::json TypeJson(const spark::DataType& type) {
  using spark::TypeId;
  switch (type.id) {
    case TypeId::kNull:
      return "void";
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kByte:
      return "byte";
    case TypeId::kShort:
      return "short";
    case TypeId::kInt:
      return "integer";
    case TypeId::kLong:
      return "long";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kTimestampNtz:
      return "timestamp_ntz";
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      return IntervalName(type);
    case TypeId::kCalendarInterval:
      return "interval";
    case TypeId::kArray:
      return {{"type", "array"},
              {"elementType", TypeJson(*type.element)},
              {"containsNull", type.contains_null}};
    case TypeId::kMap:
      return {{"type", "map"},
              {"keyType", TypeJson(*type.key)},
              {"valueType", TypeJson(*type.value)},
              {"valueContainsNull", type.contains_null}};
    case TypeId::kStruct:
      return {{"type", "struct"}, {"fields", FieldsJson(type.fields)}};
  }
  return "void";
}

std::string ColumnsJson(const std::vector<spark::Column>& columns) {
  std::vector<spark::StructField> fields;
  for (const spark::Column& column : columns) {
    fields.push_back(spark::StructField{
        column.name, std::make_shared<const spark::DataType>(column.type), column.nullable, {}});
  }
  return nlohmann::json{{"type", "struct"}, {"fields", FieldsJson(fields)}}.dump();
}

ScopedRun::ScopedRun(SchemaOracle* oracle, std::vector<std::shared_ptr<PythonUdf>>* udfs,
                     std::vector<std::string>* secrets)
    : previous_oracle_(current_oracle),
      previous_udfs_(current_udfs),
      previous_secrets_(current_secrets) {
  current_oracle = oracle;
  current_udfs = udfs;
  current_secrets = secrets;
}

ScopedRun::~ScopedRun() {
  current_oracle = previous_oracle_;
  current_udfs = previous_udfs_;
  current_secrets = previous_secrets_;
}

}  // namespace sluice::python

using sluice::python::Raise;

namespace {

void DefineModule(py::module_& m) {
  namespace sp = sluice::python;
  py::object base = py::module_::import("builtins").attr("Exception");
  py::object error =
      py::reinterpret_steal<py::object>(PyErr_NewException("_sluice.Error", base.ptr(), nullptr));
  m.attr("Error") = error;
  m.attr("UnresolvedDataset") = py::reinterpret_steal<py::object>(
      PyErr_NewException("_sluice.UnresolvedDataset", error.ptr(), nullptr));

  // A secret value the files read: it is redacted wherever sluice prints or logs.
  m.def("note_secret", [](const std::string& value) {
    if (sp::current_secrets != nullptr) sp::current_secrets->push_back(value);
  });

  // A secret from the local provider (spec/secrets.h), or None when it has none; a secrets
  // file it may not read raises.
  m.def("secret", [error](const std::string& scope, const std::string& key) -> py::object {
    auto value = sluice::spec::LookUpSecret(scope, key);
    if (value.ok()) return py::str(*value);
    if (value.status().code() == sluice::StatusCode::kNotFound) return py::none();
    PyErr_SetString(error.ptr(), value.status().message().c_str());
    throw py::error_already_set();
  });

  // The environment variable `name` as the process has it now, or None.
  m.def("getenv", [](const std::string& name) -> py::object {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return py::none();
    return py::str(value);
  });

  // (source, is package) of one of sluice's own modules, or None.
  m.def("embedded_source", [](const std::string& name) -> py::object {
    static const auto* by_name = [] {
      auto* map = new std::map<std::string, const sp::EmbeddedSource*>();
      for (const sp::EmbeddedSource& source : sp::EmbeddedSources())
        (*map)[source.module] = &source;
      return map;
    }();
    auto it = by_name->find(name);
    if (it == by_name->end()) return py::none();
    return py::make_tuple(py::str(it->second->source), it->second->package);
  });

  // Spark's JSON of a DDL column list (a struct), or of one data type.
  m.def("parse_ddl", [](const std::string& text) {
    auto columns = sluice::spark::ParseDdlColumns(text);
    if (columns.ok()) {
      return sp::TypeJson(sluice::spark::DataType::Struct(*columns)).dump();
    }
    auto type = sluice::spark::ParseDataType(text);
    if (!type.ok()) Raise(columns.status());
    return sp::TypeJson(*type).dump();
  });

  m.def("check_expression", [](const std::string& text) {
    auto parsed = sluice::spark::ParseExpressionText(text, "<expression>");
    if (!parsed.ok()) Raise(parsed.status());
  });

  m.def("query_reads_stream", [](const std::string& text) {
    auto query = sluice::sql::ParseStandaloneQuery(text, "<spark.sql>");
    if (!query.ok()) Raise(query.status());
    for (const auto& reference : query->references) {
      if (reference.streaming) return true;
    }
    return false;
  });

  // Defines a Python UDF returning `return_type` (DDL): its SQL name (`name`, or a new one)
  // and the value of the pipeline setting that makes it known to Spark SQL.
  m.def("define_udf", [](std::optional<std::string> name, const std::string& display,
                         const std::string& return_type, py::object function, bool pandas) {
    if (sp::current_udfs == nullptr || sp::current_oracle == nullptr) {
      Raise(sluice::InvalidArgument("UDFs can be defined only while a pipeline loads"));
    }
    auto type = sluice::spark::ParseDataType(return_type);
    if (!type.ok()) Raise(type.status());
    static std::atomic<int> counter{0};
    const std::string function_name = "sluice_udf_" + std::to_string(++counter);
    auto udf =
        std::make_shared<sp::PythonUdf>(name ? sluice::ToLower(*name) : function_name,
                                        function_name, display, *type, pandas, function.ptr());
    sluice::Status defined = sp::current_oracle->FunctionDefined(udf);
    if (!defined.ok()) Raise(defined);
    sp::current_udfs->push_back(udf);
    return py::make_tuple(udf->sql_name(), udf->Setting());
  });

  // The schema (Spark's JSON of a struct) of a query, given the pipeline's definitions so
  // far from the Python files: [(file, pipeline SQL text)].
  m.def("describe", [](const std::string& query, bool streaming,
                       const std::vector<std::pair<std::string, std::string>>& sources) {
    if (sp::current_oracle == nullptr) {
      Raise(sluice::InvalidArgument("schemas are known only while a pipeline loads"));
    }
    auto columns = sp::current_oracle->Describe(query, streaming, sources);
    if (!columns.ok()) Raise(columns.status());
    return sp::ColumnsJson(*columns);
  });
}

py::module_::module_def module_definition;

}  // namespace

extern "C" PyObject* sluice_python_init_module() {
  auto m = py::module_::create_extension_module("_sluice", nullptr, &module_definition);
  try {
    DefineModule(m);
    return m.release().ptr();
  } catch (py::error_already_set& error) {
    error.restore();
    return nullptr;
  } catch (const std::exception& error) {
    PyErr_SetString(PyExc_ImportError, error.what());
    return nullptr;
  }
}
