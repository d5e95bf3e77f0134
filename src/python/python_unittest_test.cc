// Runs the Python unit tests of sluice's Python modules (src/python/tests/test_*.py) in the
// embedded interpreter, with the real `_sluice` module.
#include <gtest/gtest.h>
#include <pybind11/embed.h>

#include <string>

#include "python/interpreter.h"

namespace py = pybind11;

namespace sluice::python {
namespace {

TEST(PythonUnitTests, AllPass) {
  Status started = StartInterpreter();
  ASSERT_TRUE(started.ok()) << started.ToString();
  py::gil_scoped_acquire gil;
  const std::string tests = std::string(SLUICE_SOURCE_DIR) + "/src/python/tests";
  py::dict scope;
  scope["tests"] = tests;
  py::exec(R"(
import io, sys, unittest
sys.path.insert(0, tests)
suite = unittest.defaultTestLoader.discover(tests, pattern="test_*.py", top_level_dir=tests)
stream = io.StringIO()
result = unittest.TextTestRunner(stream=stream, verbosity=1).run(suite)
sys.path.remove(tests)
report = stream.getvalue()
ran = result.testsRun
ok = result.wasSuccessful()
)",
           scope);
  const int ran = scope["ran"].cast<int>();
  EXPECT_GT(ran, 0);
  EXPECT_TRUE(scope["ok"].cast<bool>()) << scope["report"].cast<std::string>();
}

}  // namespace
}  // namespace sluice::python
