#include "python/snapshot_function.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include "python/bindings_internal.h"
#include "python/interpreter.h"

namespace py = pybind11;

namespace sluice::python {

SnapshotFunction::SnapshotFunction(std::string flow, std::string file, std::string root,
                                   void* function)
    : flow_(std::move(flow)), file_(std::move(file)), root_(std::move(root)), function_(function) {
  Py_XINCREF(static_cast<PyObject*>(function_));
}

SnapshotFunction::~SnapshotFunction() {
  py::gil_scoped_acquire gil;
  Py_XDECREF(static_cast<PyObject*>(function_));
}

Result<std::optional<SnapshotFunction::Snapshot>> SnapshotFunction::Next(
    std::optional<int64_t> latest_version, const std::map<std::string, std::string>& configuration,
    SchemaOracle& oracle) const {
  SLUICE_RETURN_IF_ERROR(StartInterpreter());
  py::gil_scoped_acquire gil;
  std::vector<std::shared_ptr<PythonUdf>> udfs;
  std::vector<std::string> secrets;
  ScopedRun scoped(&oracle, &udfs, &secrets);
  SLUICE_ASSIGN_OR_RETURN(py::module_ loader, ImportLoader());
  try {
    py::object latest = latest_version ? py::object(py::int_(*latest_version)) : py::none();
    py::object result = loader.attr("next_snapshot")(
        py::reinterpret_borrow<py::object>(static_cast<PyObject*>(function_)), latest,
        configuration, root_, flow_, file_);
    if (result.is_none()) return std::optional<Snapshot>();
    auto [query, version] = result.cast<std::pair<std::string, int64_t>>();
    return std::optional<Snapshot>(Snapshot{std::move(query), version});
  } catch (py::error_already_set& error) {
    return PythonErrorStatus(loader, error);
  } catch (const py::cast_error&) {
    return InvalidArgument("the snapshot function of flow '" + flow_ +
                           "' returned a version that is not a 64-bit integer");
  }
}

}  // namespace sluice::python
