// The CPython interpreter embedded in sluice: one per process, started on first use.
//
// It runs the Python files of pipelines (pipeline_files.h). sluice's own modules (`dlt`,
// `pyspark`, ...) are served from the binary ahead of anything installed; the interpreter
// ignores PYTHON* environment variables other than PYTHONPATH, so that a Python of another
// installation cannot break it. Python runs only with the GIL held: every entry point
// takes it with `pybind11::gil_scoped_acquire`.
#pragma once

#include "common/status.h"

namespace sluice::python {

// Starts the interpreter if it is not running. Thread-safe; fails only when CPython cannot
// start (its standard library missing), with the reason.
Status StartInterpreter();

}  // namespace sluice::python
