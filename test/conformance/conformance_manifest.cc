// The manifest of conformance cases: the suite must find exactly the cases it lists, so
// that a table or expected folder that goes missing fails the run instead of quietly
// running fewer cases.
#include <fstream>
#include <set>

#include "common/strings.h"
#include "conformance/conformance.h"

namespace sluice::conformance {

Result<std::vector<std::string>> ReadManifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read the manifest ", path);
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    std::string name(Trim(line));
    if (name.empty() || name.front() == '#') continue;
    names.push_back(std::move(name));
  }
  return names;
}

std::vector<std::string> CompareWithManifest(const std::vector<std::string>& listed,
                                             const std::vector<std::string>& found) {
  const std::set<std::string> listed_set(listed.begin(), listed.end());
  const std::set<std::string> found_set(found.begin(), found.end());
  std::vector<std::string> problems;
  for (const std::string& name : listed) {
    if (!found_set.count(name)) {
      problems.push_back(name + ": listed in the manifest but not found (are its table and " +
                         "expected files there?)");
    }
  }
  for (const std::string& name : found) {
    if (!listed_set.count(name)) problems.push_back(name + ": found but not in the manifest");
  }
  return problems;
}

}  // namespace sluice::conformance
