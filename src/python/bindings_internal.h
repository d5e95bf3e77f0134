// Shared between the `_sluice` module (bindings.cc) and the runner of pipeline files.
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "python/pipeline_files.h"
#include "python/udf.h"
#include "spark/types.h"

namespace sluice::python {

// Spark's JSON of a data type, as PySpark's DataType.jsonValue() writes it.
nlohmann::json TypeJson(const spark::DataType& type);

// Spark's JSON of a struct of `columns`.
std::string ColumnsJson(const std::vector<spark::Column>& columns);

// Makes `oracle` the one `_sluice.describe` asks on this thread, and `udfs` where
// `_sluice.define_udf` adds UDFs and `_sluice.note_secret` secrets, until destroyed.
class ScopedRun {
 public:
  ScopedRun(SchemaOracle* oracle, std::vector<std::shared_ptr<PythonUdf>>* udfs,
            std::vector<std::string>* secrets);
  ~ScopedRun();
  ScopedRun(const ScopedRun&) = delete;
  ScopedRun& operator=(const ScopedRun&) = delete;

 private:
  SchemaOracle* previous_oracle_;
  std::vector<std::shared_ptr<PythonUdf>>* previous_udfs_;
  std::vector<std::string>* previous_secrets_;
};

// sluice's module that runs the user's code (_sluice_py.loader); call with the GIL held.
Result<pybind11::module_> ImportLoader();

// The Status of a Python exception raised by the user's code (while pipeline files run or
// a function of theirs is called), at the user's line when it has one.
Status PythonErrorStatus(pybind11::module_& loader, pybind11::error_already_set& error);

}  // namespace sluice::python

// Creates the `_sluice` module (a new reference, or NULL with a Python error set).
extern "C" PyObject* sluice_python_init_module();
