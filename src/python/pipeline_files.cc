#include "python/pipeline_files.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include "common/strings.h"
#include "python/bindings_internal.h"
#include "python/interpreter.h"
#include "python/snapshot_function.h"

namespace py = pybind11;

namespace sluice::python {

Result<py::module_> ImportLoader() {
  try {
    return py::module_::import("_sluice_py.loader");
  } catch (py::error_already_set& error) {
    return Internal("cannot load sluice's Python modules: ", error.what());
  }
}

// The Status of a Python exception raised by the user's code, at the user's line.
Status PythonErrorStatus(py::module_& loader, py::error_already_set& error) {
  try {
    auto place = loader.attr("describe_error")(error.value())
                     .cast<std::tuple<std::string, int, int, std::string, std::string>>();
    auto& [file, line, column, text, message] = place;
    if (file.empty()) return InvalidArgument(message);
    spark::SourceLocation at{file, line, column, text};
    return InvalidArgument(spark::FormatDiagnostic(at, message));
  } catch (const py::error_already_set& inner) {
    return Internal("Python error while reporting a Python error: ", inner.what());
  }
}

Result<PythonRun> RunPipelineFiles(const std::vector<std::string>& files,
                                   const std::map<std::string, std::string>& configuration,
                                   const std::string& root, SchemaOracle& oracle) {
  SLUICE_RETURN_IF_ERROR(StartInterpreter());
  py::gil_scoped_acquire gil;
  PythonRun run;
  ScopedRun scoped(&oracle, &run.udfs, &run.secrets);
  SLUICE_ASSIGN_OR_RETURN(py::module_ loader, ImportLoader());
  try {
    py::tuple result = loader.attr("run")(files, configuration, root);
    using Line = std::pair<std::string, std::tuple<std::string, int, int, std::string>>;
    auto sources = result[0].cast<std::vector<std::pair<std::string, std::vector<Line>>>>();
    run.warnings = result[1].cast<std::vector<std::string>>();
    for (py::handle item : result[2]) {
      py::tuple entry = py::reinterpret_borrow<py::tuple>(item);
      const std::string flow = entry[0].cast<std::string>();
      run.snapshot_functions[ToLower(flow)] = std::make_shared<SnapshotFunction>(
          flow, entry[2].cast<std::string>(), root, entry[1].ptr());
    }
    for (auto& [file, lines] : sources) {
      GeneratedSource source;
      source.file = file;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) source.text += '\n';
        source.text += lines[i].first;
        auto& [origin_file, line, column, text] = lines[i].second;
        source.line_origins.push_back(spark::SourceLocation{origin_file, line, column, text});
      }
      spark::RegisterGeneratedSource(source.file, source.line_origins);
      run.sources.push_back(std::move(source));
    }
  } catch (py::error_already_set& error) {
    return PythonErrorStatus(loader, error);
  }
  return run;
}

}  // namespace sluice::python
