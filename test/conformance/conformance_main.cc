// Runs the conformance suite: one line per case, then "N passed, N failed, N skipped".
// Exits 1 if a case fails or if the cases found differ from those the manifest lists
// (expected_cases.txt: a case whose table or expected files went missing is a failure,
// not a smaller count). A case with a known-bad expectation is reported as skipped only
// when it fails for its known difference alone.
//
// Arguments: --root=DIR reads the tables from DIR instead of ../shared/conformance,
// --manifest=FILE lists the expected cases; any other argument selects the cases whose
// name contains it (and the manifest is checked for those only).
#include <cstdio>
#include <string>

#include "common/strings.h"
#include "conformance/conformance.h"
#include "engine/engine.h"
#include "io/file_system.h"

int main(int argc, char** argv) {
  using namespace sluice;
  std::string manifest_path = SLUICE_CONFORMANCE_MANIFEST;
  std::vector<std::string> filters;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (StartsWith(arg, "--root=")) {
      conformance::SetRoot(arg.substr(7));
    } else if (StartsWith(arg, "--manifest=")) {
      manifest_path = arg.substr(11);
    } else {
      filters.push_back(arg);
    }
  }
  auto selected = [&filters](const std::string& name) {
    if (filters.empty()) return true;
    for (const std::string& filter : filters) {
      if (name.find(filter) != std::string::npos) return true;
    }
    return false;
  };

  auto database = engine::Database::Open();
  if (!database.ok()) {
    std::fprintf(stderr, "%s\n", database.status().ToString().c_str());
    return 1;
  }
  auto connection = (*database)->Connect();
  if (!connection.ok()) {
    std::fprintf(stderr, "%s\n", connection.status().ToString().c_str());
    return 1;
  }
  delta::DeltaContext context;
  context.fs = io::LocalFileSystem();
  context.connection = connection->get();

  auto listed = conformance::ReadManifest(manifest_path);
  if (!listed.ok()) {
    std::fprintf(stderr, "%s\n", listed.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> listed_selected;
  for (const std::string& name : *listed) {
    if (selected(name)) listed_selected.push_back(name);
  }

  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> found;
  for (const conformance::Case& c : conformance::AllCases()) {
    if (!selected(c.name)) continue;
    found.push_back(c.name);
    Status status = c.run(context);
    Status known = status.ok() || !c.known_difference ? Status::OK() : c.known_difference(context);
    if (status.ok()) {
      std::printf("PASS %s\n", c.name.c_str());
      ++passed;
    } else if (c.known_difference && known.ok()) {
      std::printf("SKIP %s: %s (%s)\n", c.name.c_str(), c.skip_reason.c_str(),
                  status.ToString().c_str());
      ++skipped;
    } else {
      std::printf("FAIL %s: %s\n", c.name.c_str(), status.ToString().c_str());
      if (!known.ok()) {
        std::printf("  and not for its known difference alone: %s\n", known.ToString().c_str());
      }
      ++failed;
    }
    std::fflush(stdout);
  }
  for (const std::string& problem : conformance::CompareWithManifest(listed_selected, found)) {
    std::printf("FAIL %s\n", problem.c_str());
    ++failed;
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}
