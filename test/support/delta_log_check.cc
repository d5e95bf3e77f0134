#include "support/delta_log_check.h"

#include <algorithm>
#include <filesystem>

#include "delta/log_validator.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::testing {

namespace fs = std::filesystem;

std::vector<std::string> FindDeltaTables(const std::string& root) {
  std::vector<std::string> tables;
  std::error_code error;
  if (fs::is_directory(fs::path(root) / "_delta_log", error)) {
    tables.push_back(fs::path(root).lexically_normal().string());
  }
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_directory(error)) continue;
    if (it->path().filename() == "_delta_log") {
      it.disable_recursion_pending();  // a log holds no tables
      continue;
    }
    if (fs::is_directory(it->path() / "_delta_log", error)) {
      tables.push_back(it->path().lexically_normal().string());
    }
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

std::vector<std::string> ValidateDeltaLog(const std::string& table_root) {
  // A database of its own, with one thread and closed before returning: a test may fork
  // afterwards (crash tests), and a child must not inherit a database's worker threads.
  engine::Database::Options options;
  options.threads = 1;
  auto database = engine::Database::Open(options);
  if (!database.ok()) return {table_root + ": " + database.status().ToString()};
  auto connection = (*database)->Connect();
  if (!connection.ok()) return {table_root + ": " + connection.status().ToString()};
  auto violations = delta::ValidateLog(*io::LocalFileSystem(), **connection, table_root);
  if (!violations.ok()) return {table_root + ": " + violations.status().ToString()};
  std::vector<std::string> lines;
  for (const delta::LogViolation& violation : *violations) {
    lines.push_back(table_root + ": " + violation.ToString());
  }
  return lines;
}

std::vector<std::string> ValidateDeltaLogs(const std::string& root,
                                           const std::set<std::string>& exempt) {
  std::vector<std::string> lines;
  for (const std::string& table : FindDeltaTables(root)) {
    if (exempt.count(table)) continue;
    std::vector<std::string> found = ValidateDeltaLog(table);
    lines.insert(lines.end(), found.begin(), found.end());
  }
  return lines;
}

}  // namespace sluice::testing
