// The Python files of a pipeline, run in the embedded interpreter (interpreter.h).
//
// Each file runs once, as on Databricks and Spark: its decorators and functions (`dlt`,
// `pyspark.pipelines`) define datasets and flows, and the DataFrames its query functions
// return are compiled to Spark SQL. What the files define comes back as statements of the
// pipeline SQL dialect (docs/sql.md), one generated source per Python file, whose lines
// remember the Python call each came from: the sql/ and graph/ layers take them as they
// take SQL files, and every error in them names the user's Python file and line.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "python/udf.h"
#include "spark/diagnostics.h"
#include "spark/translator.h"

namespace sluice::python {

class SnapshotFunction;

// A pipeline SQL text generated from Python code.
struct GeneratedSource {
  std::string file;  // the Python file the statements were defined in
  std::string text;  // statements of the pipeline SQL dialect
  // Where each line of `text` comes from (file, line, column and text of a Python call).
  std::vector<spark::SourceLocation> line_origins;
};

// How query functions learn the schema of a DataFrame while the files run (df.columns,
// withColumn, drop, ...), from the pipeline's definitions so far.
class SchemaOracle {
 public:
  virtual ~SchemaOracle() = default;
  // The columns of the Spark SQL query `query` (which reads streams if `streaming`) when
  // the pipeline holds its SQL files' definitions and `python_sources` (the Python files'
  // definitions so far, as pipeline SQL texts keyed by file). NotFound when it reads a
  // dataset that is not defined (yet); other errors explain why it does not bind.
  virtual Result<std::vector<spark::Column>> Describe(
      const std::string& query, bool streaming,
      const std::vector<std::pair<std::string, std::string>>& python_sources) = 0;
  // A file defined a UDF: queries described from now on may call it.
  virtual Status FunctionDefined(const std::shared_ptr<PythonUdf>& udf) = 0;
};

struct PythonRun {
  std::vector<GeneratedSource> sources;  // in the order of the files
  std::vector<std::string> warnings;     // "file:line: text"
  // The UDFs the files defined; each must be registered (PythonUdf::Register) on the
  // databases that run the pipeline's queries.
  std::vector<std::shared_ptr<PythonUdf>> udfs;
  // Secret values the files read (dbutils.secrets.get), to keep out of logs and output.
  std::vector<std::string> secrets;
  // The callable sources of snapshot AUTO CDC flows, by lower-case flow name.
  std::map<std::string, std::shared_ptr<SnapshotFunction>> snapshot_functions;
};

// Runs the Python `files` (absolute paths) of a pipeline whose settings are in `root`,
// with the pipeline `configuration` visible to spark.conf.get, asking `oracle` for
// schemas. A Python error (a syntax error, an exception, a misuse of the API) is
// InvalidArgument naming the file and line of the user's code; the generated sources are
// registered with spark::RegisterGeneratedSource under their file's name.
Result<PythonRun> RunPipelineFiles(const std::vector<std::string>& files,
                                   const std::map<std::string, std::string>& configuration,
                                   const std::string& root, SchemaOracle& oracle);

}  // namespace sluice::python
