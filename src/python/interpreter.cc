#include "python/interpreter.h"

#include <pybind11/embed.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "python/bindings_internal.h"
#include "python/embedded_sources.h"

namespace py = pybind11;

// Debug builds run under LeakSanitizer; CPython, pybind11 and the extension modules pipeline
// code imports (numpy and pandas, and libcrypto through hashlib) keep interpreter-wide
// allocations until the process ends, by design.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpython3\nleak:pybind11::detail::get_local_internals\n"
         "leak:pybind11::detail::get_internals\nleak:cpython-311-x86_64-linux-gnu.so\n"
         "leak:libcrypto.so\nleak:sluice_python_init_module\n";
}

extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }

namespace sluice::python {

namespace {

// Installs the hook that serves sluice's modules (and with it `_sluice`) in the running
// interpreter.
void InstallModules() {
  py::module_ sys = py::module_::import("sys");
  py::dict modules = sys.attr("modules");
  if (!modules.contains("_sluice")) {
    PyObject* created = sluice_python_init_module();
    if (created == nullptr) throw py::error_already_set();
    modules["_sluice"] = py::reinterpret_steal<py::object>(created);
  }
  // The import hook is itself one of the embedded modules: run its source directly.
  for (const EmbeddedSource& source : EmbeddedSources()) {
    if (std::string(source.module) != "_sluice_py.importer") continue;
    py::dict scope;
    scope["__name__"] = "_sluice_py.importer";
    py::module_ builtins = py::module_::import("builtins");
    builtins.attr("exec")(
        builtins.attr("compile")(source.source, "<sluice>/_sluice_py/importer.py", "exec"), scope);
    scope["install"]();
  }
}

// In a Python process that imported sluice's extension module, sluice uses that
// interpreter.
std::string JoinRunning() {
  py::gil_scoped_acquire gil;
  try {
    InstallModules();
  } catch (const py::error_already_set& error) {
    return std::string("cannot load sluice's Python modules: ") + error.what();
  }
  return "";
}

std::string StartOnce() {
  if (Py_IsInitialized()) return JoinRunning();
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.use_environment = 0;  // PYTHONHOME & co. of another Python must not apply
  config.install_signal_handlers = 0;
  config.parse_argv = 0;
  config.user_site_directory = 0;
  try {
    py::initialize_interpreter(&config, 0, nullptr, true);
  } catch (const std::exception& error) {
    return std::string("cannot start the embedded Python: ") + error.what();
  }
  try {
    py::module_ sys = py::module_::import("sys");
    if (const char* path = std::getenv("PYTHONPATH")) {
      py::list entries = sys.attr("path");
      py::str separator(":");
      py::list parts = py::str(path).attr("split")(separator);
      for (size_t i = parts.size(); i > 0; --i) {
        if (!py::str(parts[i - 1]).attr("__len__")().cast<int>()) continue;
        entries.insert(1, parts[i - 1]);
      }
    }
    sys.attr("dont_write_bytecode") = true;
    InstallModules();
  } catch (const py::error_already_set& error) {
    return std::string("cannot start the embedded Python: ") + error.what();
  }
  // Other threads take the GIL when they need it.
  PyEval_SaveThread();
  return "";
}

}  // namespace

Status StartInterpreter() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] { failure = StartOnce(); });
  if (!failure.empty()) return Internal(failure);
  return Status::OK();
}

}  // namespace sluice::python
