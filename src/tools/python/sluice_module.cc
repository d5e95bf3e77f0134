// The `sluice` Python module: a pipeline from a notebook or a script.
//
//   import sluice
//   p = sluice.Pipeline("path/to/project", conf={"source_path": "data"})
//   report = p.run()                       # {"state": "COMPLETED", "flows": [...], ...}
//   rows = p.read("orders")                # a list of tuples
//   frame = p.query("SELECT ...", pandas=True)
//   events = p.events(update="latest", type="flow_progress")
//
// It wraps the public C++ API (sluice/pipeline.h). Pipelines run with the GIL released, so
// that their Python UDFs can run on DuckDB's threads. Values come back as Python values:
// DECIMAL as Decimal, DATE as date, TIMESTAMP as datetime, nested values from JSON.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "sluice/pipeline.h"

namespace py = pybind11;

namespace sluice {
namespace {

[[noreturn]] void Raise(const Status& status) {
  static py::object error = py::module_::import("sluice").attr("SluiceError");
  PyErr_SetString(error.ptr(), status.message().c_str());
  throw py::error_already_set();
}

template <typename T>
T Take(Result<T> result) {
  if (!result.ok()) Raise(result.status());
  return std::move(*result);
}

py::object CellValue(const Cell& cell, const std::string& type) {
  if (cell.is_null()) return py::none();
  if (const auto* b = std::get_if<bool>(&cell.value)) return py::bool_(*b);
  if (const auto* i = std::get_if<int64_t>(&cell.value)) return py::int_(*i);
  if (const auto* d = std::get_if<double>(&cell.value)) return py::float_(*d);
  const std::string& text = std::get<std::string>(cell.value);
  if (type.rfind("DECIMAL", 0) == 0) {
    return py::module_::import("decimal").attr("Decimal")(text);
  }
  if (type == "DATE")
    return py::module_::import("datetime").attr("date").attr("fromisoformat")(text);
  if (type.rfind("TIMESTAMP", 0) == 0) {
    return py::module_::import("datetime").attr("datetime").attr("fromisoformat")(text);
  }
  if (type.find('[') != std::string::npos || type.rfind("STRUCT", 0) == 0 ||
      type.rfind("MAP", 0) == 0 || type == "JSON") {
    return py::module_::import("json").attr("loads")(text);
  }
  return py::str(text);
}

py::object RowsToPython(const Rows& rows, bool pandas) {
  py::list out;
  for (const auto& row : rows.rows) {
    py::tuple values(row.size());
    for (size_t i = 0; i < row.size(); ++i) values[i] = CellValue(row[i], rows.column_types[i]);
    out.append(values);
  }
  if (!pandas) return out;
  return py::module_::import("pandas")
      .attr("DataFrame")
      .attr("from_records")(out, py::arg("columns") = rows.column_names);
}

py::dict ReportToPython(const UpdateReport& report) {
  py::list flows;
  for (const FlowReport& flow : report.flows) {
    py::list expectations;
    for (const ExpectationReport& e : flow.expectations) {
      expectations.append(py::dict(py::arg("name") = e.name, py::arg("dataset") = e.dataset,
                                   py::arg("action") = e.action,
                                   py::arg("passed_records") = e.passed_records,
                                   py::arg("failed_records") = e.failed_records));
    }
    flows.append(py::dict(py::arg("name") = flow.name, py::arg("dataset") = flow.dataset,
                          py::arg("state") = flow.state, py::arg("output_rows") = flow.output_rows,
                          py::arg("dropped_records") = flow.dropped_records,
                          py::arg("expectations") = expectations, py::arg("seconds") = flow.seconds,
                          py::arg("error") = flow.error));
  }
  return py::dict(py::arg("update_id") = report.update_id, py::arg("state") = report.state,
                  py::arg("flows") = flows, py::arg("seconds") = report.seconds);
}

py::dict GraphToPython(const PipelineGraph& graph) {
  py::list datasets;
  for (const DatasetInfo& d : graph.datasets) {
    datasets.append(py::dict(py::arg("name") = d.name, py::arg("type") = d.type,
                             py::arg("path") = d.path, py::arg("expectations") = d.expectations,
                             py::arg("file") = d.file, py::arg("line") = d.line));
  }
  py::list flows;
  for (const FlowInfo& f : graph.flows) {
    flows.append(py::dict(py::arg("name") = f.name, py::arg("target") = f.target,
                          py::arg("streaming") = f.streaming, py::arg("once") = f.once,
                          py::arg("inputs") = f.inputs));
  }
  return py::dict(py::arg("datasets") = datasets, py::arg("flows") = flows);
}

// A pipeline opened from Python.
class PythonPipeline {
 public:
  PythonPipeline(const std::string& path, const std::map<std::string, std::string>& conf) {
    PipelineOptions options;
    for (const auto& [key, value] : conf) options.conf_overrides.push_back(key + "=" + value);
    auto opened = [&] {
      py::gil_scoped_release release;
      return Pipeline::Open(path, options);
    }();
    pipeline_ = Take(std::move(opened));
  }

  std::string name() const { return pipeline_->name(); }
  std::string storage() const { return pipeline_->storage(); }
  std::vector<std::string> warnings() const { return pipeline_->warnings(); }

  py::dict Validate() {
    auto graph = [&] {
      py::gil_scoped_release release;
      return pipeline_->Validate();
    }();
    return GraphToPython(Take(std::move(graph)));
  }

  py::dict Run(bool full_refresh_all, std::vector<std::string> full_refresh,
               std::vector<std::string> refresh, std::vector<std::string> reset_checkpoint) {
    RunOptions options;
    options.full_refresh_all = full_refresh_all;
    options.full_refresh = std::move(full_refresh);
    options.refresh = std::move(refresh);
    options.reset_checkpoint = std::move(reset_checkpoint);
    options.continuous = false;
    auto report = [&] {
      py::gil_scoped_release release;
      return pipeline_->Run(options);
    }();
    return ReportToPython(Take(std::move(report)));
  }

  py::object Query(const std::string& sql, bool pandas) {
    auto rows = [&] {
      py::gil_scoped_release release;
      return pipeline_->Query(sql);
    }();
    return RowsToPython(Take(std::move(rows)), pandas);
  }

  py::object Read(const std::string& dataset, bool pandas) {
    std::string quoted = "`";
    for (char c : dataset) quoted += c == '`' ? std::string("``") : std::string(1, c);
    return Query("SELECT * FROM " + quoted + "`", pandas);
  }

  py::object Events(std::optional<std::string> update, std::optional<std::string> type,
                    std::optional<int64_t> limit, bool pandas) {
    EventQuery query;
    query.update = update.value_or("");
    query.type = type.value_or("");
    query.limit = limit;
    auto rows = [&] {
      py::gil_scoped_release release;
      return pipeline_->Events(query);
    }();
    return RowsToPython(Take(std::move(rows)), pandas);
  }

  std::vector<std::pair<std::string, std::string>> Compile() {
    auto compiled = [&] {
      py::gil_scoped_release release;
      return pipeline_->Compile();
    }();
    return Take(std::move(compiled));
  }

 private:
  std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace
}  // namespace sluice

PYBIND11_MODULE(sluice, m) {
  using sluice::PythonPipeline;
  m.doc() = "Run sluice pipelines and read their datasets and event logs from Python.";
  py::object base = py::module_::import("builtins").attr("Exception");
  m.attr("SluiceError") = py::reinterpret_steal<py::object>(
      PyErr_NewException("sluice.SluiceError", base.ptr(), nullptr));
  py::class_<PythonPipeline>(m, "Pipeline")
      .def(py::init<const std::string&, const std::map<std::string, std::string>&>(),
           py::arg("path") = ".", py::arg("conf") = std::map<std::string, std::string>{})
      .def_property_readonly("name", &PythonPipeline::name)
      .def_property_readonly("storage", &PythonPipeline::storage)
      .def_property_readonly("warnings", &PythonPipeline::warnings)
      .def("validate", &PythonPipeline::Validate)
      .def("compile", &PythonPipeline::Compile)
      .def("run", &PythonPipeline::Run, py::arg("full_refresh_all") = false,
           py::arg("full_refresh") = std::vector<std::string>{},
           py::arg("refresh") = std::vector<std::string>{},
           py::arg("reset_checkpoint") = std::vector<std::string>{})
      .def("query", &PythonPipeline::Query, py::arg("sql"), py::arg("pandas") = false)
      .def("read", &PythonPipeline::Read, py::arg("dataset"), py::arg("pandas") = false)
      .def("events", &PythonPipeline::Events, py::arg("update") = py::none(),
           py::arg("type") = py::none(), py::arg("limit") = py::none(), py::arg("pandas") = false);
}
