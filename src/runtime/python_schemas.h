// The schemas Python pipeline files ask for while they run (df.columns, withColumn, ...):
// a query is bound, as analysis binds flows (BindQueries), against the definitions that
// it reads among the pipeline's SQL files and the Python files' statements so far.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "io/file_system.h"
#include "python/pipeline_files.h"
#include "spec/settings.h"
#include "sql/ast.h"

namespace sluice::runtime {

class PipelineSchemas : public python::SchemaOracle {
 public:
  // `sql_scripts` are the parsed SQL files; `database` (may be null: one is opened on first
  // use) binds queries.
  PipelineSchemas(io::FileSystem& fs, const spec::PipelineSettings& settings,
                  const std::vector<sql::Script>& sql_scripts, engine::Database* database);
  ~PipelineSchemas() override;

  Result<std::vector<spark::Column>> Describe(
      const std::string& query, bool streaming,
      const std::vector<std::pair<std::string, std::string>>& python_sources) override;
  Status FunctionDefined(const std::shared_ptr<python::PythonUdf>& udf) override;

 private:
  io::FileSystem& fs_;
  const spec::PipelineSettings& settings_;
  const std::vector<sql::Script>& sql_scripts_;
  engine::Database* database_;
  std::unique_ptr<engine::Database> own_database_;
  std::vector<std::shared_ptr<python::PythonUdf>> udfs_;
};

}  // namespace sluice::runtime
