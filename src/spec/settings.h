// Pipeline settings: the settings file (Spark Declarative Pipelines' spark-pipeline.yml or
// Databricks' JSON/YAML pipeline settings), its discovery, and the values derived from it.
//
// The format is specified in docs/settings.md. Paths in settings are relative to the folder
// of the settings file; every path here is absolute after loading.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::spec {

// The settings file names looked for, in order of preference within one folder.
const std::vector<std::string>& SettingsFileNames();

// Finds the settings file for `path`: `path` itself when it is a file; else the first
// settings file in `path` or, failing that, in its parents (nearest first). Two settings
// files in one folder are an error naming both; none is NotFound naming `path`.
Result<std::string> FindSettingsFile(io::FileSystem& fs, std::string_view path);

struct Library {
  enum class Kind { kGlob, kFile, kNotebook };
  Kind kind = Kind::kGlob;
  std::string path;  // absolute; for kGlob a pattern such as /p/transformations/**
};

// A table outside the pipeline that queries read by name (`catalog` map of the settings):
// `samples.tpch.orders` -> a Delta table or files.
struct CatalogTable {
  std::string name;    // as the settings write it, e.g. samples.tpch.orders
  std::string path;    // absolute
  std::string format;  // delta, parquet, csv, json, text; empty: by the path (see docs)
  std::map<std::string, std::string> options;  // read_files options for files
};

struct PipelineSettings {
  std::string settings_file;  // absolute path of the file read
  std::string root_dir;       // its folder
  std::string id;             // `id` when given, else derived from the name (stable)
  std::string name;           // `name` when given, else the folder's name
  std::string storage;        // absolute; default <root_dir>/.sluice
  std::string catalog;        // the default catalog's name (Databricks); empty when not set
  std::vector<CatalogTable> catalog_tables;  // `catalog` given as a map of tables
  std::string schema;                        // `schema`, `database` or `target`; empty when not set
  std::vector<Library> libraries;
  std::map<std::string, std::string> configuration;  // values as strings
  bool development = false;
  bool continuous = false;
  // Accepted fields with no meaning here (clusters, photon, ...): one message each,
  // naming the field and the file.
  std::vector<std::string> warnings;

  std::string tables_dir() const { return storage + "/tables"; }
  std::string checkpoints_dir() const { return storage + "/checkpoints"; }
  std::string event_log_dir() const { return storage + "/system/events"; }
  std::string TablePath(std::string_view dataset) const;
  // The properties new tables of the pipeline get unless their definition sets them:
  // delta.enableDeletionVectors=true (as Databricks creates pipeline tables), then every
  // `spark.databricks.delta.properties.defaults.<name>` of the configuration as
  // delta.<name> (Spark's defaults for new tables; `...enableDeletionVectors: false`
  // turns deletion vectors off).
  std::map<std::string, std::string> DefaultTableProperties() const;
};

// Reads and checks a settings file (YAML for .yml/.yaml, JSON for .json). Errors name the
// file and, where the parser gives one, the line: unknown fields, wrong types, missing
// required values, invalid YAML/JSON.
Result<PipelineSettings> LoadSettings(io::FileSystem& fs, const std::string& settings_file);

// Applies `--conf key=value` overrides (InvalidArgument for an item without '=').
Status ApplyConfigurationOverrides(PipelineSettings& settings,
                                   const std::vector<std::string>& overrides);

// The source files of the pipeline, sorted and without duplicates: every file a library
// names or matches (glob `*` within a folder, `**` across folders). `.sql` and `.py` files
// are sources (not those under __pycache__); a `file`/`notebook` library that does not
// exist is NotFound naming it; a library of another language is NotSupported naming it.
// With no libraries at all, every `.sql` file below root_dir (outside storage and hidden
// folders) is a source, and every `.py` file there that imports `dlt` or
// `pyspark.pipelines` (the others are modules those may import).
Result<std::vector<std::string>> ListSourceFiles(io::FileSystem& fs,
                                                 const PipelineSettings& settings);

}  // namespace sluice::spec
