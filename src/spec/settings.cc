#include "spec/settings.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <set>

#include "common/strings.h"

namespace sluice::spec {
namespace {

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Absolute(const std::string& base, std::string path) {
  if (StartsWith(path, "file://"))
    path = path.substr(7);
  else if (StartsWith(path, "file:"))
    path = path.substr(5);
  if (!path.empty() && path[0] == '/') return path;
  while (StartsWith(path, "./")) path = path.substr(2);
  if (path.empty() || path == ".") return base;
  return base + "/" + path;
}

// A stable UUID-shaped id from the pipeline's name (FNV-1a, two seeds).
std::string StableId(const std::string& name) {
  auto fnv = [&](uint64_t seed) {
    uint64_t h = seed;
    for (unsigned char c : name) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h;
  };
  const uint64_t a = fnv(14695981039346656037ull), b = fnv(0x9e3779b97f4a7c15ull);
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%08x-%04x-4%03x-8%03x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xfff), static_cast<unsigned>((b >> 48) & 0xfff),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buffer;
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& node, const std::string& message) const {
    const YAML::Mark mark = node.Mark();
    std::string where = file_;
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
    return InvalidArgument(where + ": " + message);
  }
  Result<std::string> Scalar(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) return Error(node, "'" + field + "' must be a single value");
    return node.as<std::string>();
  }
  Result<bool> Bool(const YAML::Node& node, const std::string& field) const {
    SLUICE_ASSIGN_OR_RETURN(std::string text, Scalar(node, field));
    if (EqualsIgnoreCase(text, "true")) return true;
    if (EqualsIgnoreCase(text, "false")) return false;
    return Error(node, "'" + field + "' must be true or false, not '" + text + "'");
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

const std::set<std::string>& CloudOnlyFields() {
  static const auto* fields = new std::set<std::string>{"clusters",
                                                        "photon",
                                                        "channel",
                                                        "edition",
                                                        "serverless",
                                                        "notifications",
                                                        "event_log",
                                                        "budget_policy_id",
                                                        "tags",
                                                        "run_as",
                                                        "root_path",
                                                        "environment",
                                                        "deployment",
                                                        "filters",
                                                        "dry_run",
                                                        "allow_duplicate_names",
                                                        "trigger",
                                                        "restart_window",
                                                        "ingestion_definition",
                                                        "gateway_definition",
                                                        "pipeline_type",
                                                        "creator_user_name",
                                                        "state",
                                                        "cluster_id",
                                                        "last_modified",
                                                        "health",
                                                        "spec"};
  return *fields;
}

Status ReadLibraries(const Reader& reader, const YAML::Node& node, PipelineSettings& settings) {
  if (!node.IsSequence()) return reader.Error(node, "'libraries' must be a list");
  for (const YAML::Node& entry : node) {
    if (!entry.IsMap())
      return reader.Error(entry, "each library must be a map such as glob: {include: path}");
    for (const auto& item : entry) {
      const std::string kind = item.first.as<std::string>();
      Library library;
      std::string key;
      if (kind == "glob") {
        library.kind = Library::Kind::kGlob;
        key = "include";
      } else if (kind == "file" || kind == "notebook") {
        library.kind = kind == "file" ? Library::Kind::kFile : Library::Kind::kNotebook;
        key = "path";
      } else if (kind == "jar" || kind == "maven" || kind == "whl") {
        settings.warnings.push_back(reader.file() + ": library '" + kind +
                                    "' is ignored (only SQL and Python sources run here)");
        continue;
      } else {
        return reader.Error(
            item.first, "unknown library field '" + kind + "' (expected glob, file or notebook)");
      }
      const YAML::Node& value = item.second;
      std::string path;
      if (value.IsScalar()) {
        path = value.as<std::string>();
      } else if (value.IsMap()) {
        for (const auto& inner : value) {
          const std::string name = inner.first.as<std::string>();
          if (name != key) {
            return reader.Error(inner.first, "unknown field '" + name + "' in library '" + kind +
                                                 "' (expected " + key + ")");
          }
          SLUICE_ASSIGN_OR_RETURN(path, reader.Scalar(inner.second, kind + "." + key));
        }
      }
      if (path.empty()) return reader.Error(value, "library '" + kind + "' needs " + key);
      library.path = Absolute(settings.root_dir, path);
      settings.libraries.push_back(std::move(library));
    }
  }
  return Status::OK();
}

// catalog: {name: path, name: {path: p, format: f, options: {k: v}}}
Status ReadCatalogTables(Reader& reader, const YAML::Node& map, PipelineSettings& settings) {
  static const std::set<std::string> kFormats = {"delta", "parquet", "csv", "json", "text"};
  for (const auto& entry : map) {
    CatalogTable table;
    table.name = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    std::string path;
    if (value.IsScalar()) {
      path = value.as<std::string>();
    } else if (value.IsMap()) {
      for (const auto& item : value) {
        const std::string key = item.first.as<std::string>();
        if (key == "path") {
          SLUICE_ASSIGN_OR_RETURN(path,
                                  reader.Scalar(item.second, "catalog." + table.name + ".path"));
        } else if (key == "format") {
          SLUICE_ASSIGN_OR_RETURN(table.format,
                                  reader.Scalar(item.second, "catalog." + table.name + ".format"));
          table.format = ToLower(table.format);
          if (!kFormats.count(table.format)) {
            return reader.Error(item.second, "catalog table '" + table.name +
                                                 "': unknown format '" + table.format +
                                                 "' (delta, parquet, csv, json, text)");
          }
        } else if (key == "options") {
          if (!item.second.IsMap()) {
            return reader.Error(item.second, "catalog table '" + table.name +
                                                 "': options must be a map of read_files options");
          }
          for (const auto& option : item.second) {
            table.options[option.first.as<std::string>()] = option.second.as<std::string>();
          }
        } else {
          return reader.Error(item.first, "catalog table '" + table.name + "': unknown field '" +
                                              key + "' (known: path, format, options)");
        }
      }
    } else {
      return reader.Error(value, "catalog table '" + table.name +
                                     "' must be a path or a map with path, format and options");
    }
    if (path.empty()) return reader.Error(value, "catalog table '" + table.name + "' needs a path");
    table.path = Absolute(settings.root_dir, path);
    settings.catalog_tables.push_back(std::move(table));
  }
  return Status::OK();
}

}  // namespace

const std::vector<std::string>& SettingsFileNames() {
  static const auto* names =
      new std::vector<std::string>{"pipeline.yml", "pipeline.yaml", "pipeline.json",
                                   "spark-pipeline.yml", "spark-pipeline.yaml"};
  return *names;
}

std::map<std::string, std::string> PipelineSettings::DefaultTableProperties() const {
  static constexpr std::string_view kPrefix = "spark.databricks.delta.properties.defaults.";
  std::map<std::string, std::string> properties = {{"delta.enableDeletionVectors", "true"}};
  for (const auto& [key, value] : configuration) {
    if (key.size() > kPrefix.size() && key.compare(0, kPrefix.size(), kPrefix) == 0) {
      properties["delta." + key.substr(kPrefix.size())] = value;
    }
  }
  return properties;
}

std::string PipelineSettings::TablePath(std::string_view dataset) const {
  return tables_dir() + "/" + std::string(dataset);
}

Result<std::string> FindSettingsFile(io::FileSystem& fs, std::string_view path) {
  std::string dir(path);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto info = fs.Stat(dir);
  if (!info.ok()) return NotFound(dir + ": no such file or folder");
  if (!info->is_directory) return dir;
  std::string current = dir;
  while (true) {
    std::vector<std::string> found;
    for (const std::string& name : SettingsFileNames()) {
      const std::string candidate = (current == "/" ? "" : current) + "/" + name;
      if (fs.Exists(candidate)) found.push_back(candidate);
    }
    if (found.size() > 1) {
      return InvalidArgument("two pipeline settings files in " + current + ": " +
                             Join(found, " and ") + "; keep one");
    }
    if (found.size() == 1) return found[0];
    if (current == "/" || current.empty()) break;
    current = Folder(current);
  }
  return NotFound("no pipeline settings file (" + Join(SettingsFileNames(), ", ") + ") in " + dir +
                  " or its parents; create one with `sluice init`");
}

Result<PipelineSettings> LoadSettings(io::FileSystem& fs, const std::string& settings_file) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(settings_file));
  Reader reader(settings_file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return InvalidArgument(settings_file + ":" + std::to_string(error.mark.line + 1) +
                           ": invalid " + (EndsWith(settings_file, ".json") ? "JSON" : "YAML") +
                           ": " + error.msg);
  }
  PipelineSettings settings;
  settings.settings_file = settings_file;
  settings.root_dir = Folder(settings_file);
  settings.storage = settings.root_dir + "/.sluice";
  if (root.IsNull()) return InvalidArgument(settings_file + ": the settings file is empty");
  if (!root.IsMap()) return reader.Error(root, "the settings must be a map of fields");
  try {
    for (const auto& item : root) {
      const std::string field = item.first.as<std::string>();
      const YAML::Node& value = item.second;
      if (field == "name") {
        SLUICE_ASSIGN_OR_RETURN(settings.name, reader.Scalar(value, field));
      } else if (field == "id") {
        SLUICE_ASSIGN_OR_RETURN(settings.id, reader.Scalar(value, field));
      } else if (field == "storage") {
        SLUICE_ASSIGN_OR_RETURN(std::string storage, reader.Scalar(value, field));
        settings.storage = Absolute(settings.root_dir, storage);
      } else if (field == "catalog" && value.IsMap()) {
        SLUICE_RETURN_IF_ERROR(ReadCatalogTables(reader, value, settings));
      } else if (field == "catalog") {
        SLUICE_ASSIGN_OR_RETURN(settings.catalog, reader.Scalar(value, field));
      } else if (field == "schema" || field == "database" || field == "target") {
        SLUICE_ASSIGN_OR_RETURN(settings.schema, reader.Scalar(value, field));
      } else if (field == "libraries") {
        SLUICE_RETURN_IF_ERROR(ReadLibraries(reader, value, settings));
      } else if (field == "configuration") {
        if (!value.IsMap())
          return reader.Error(value, "'configuration' must be a map of keys to values");
        for (const auto& entry : value) {
          const std::string key = entry.first.as<std::string>();
          if (!entry.second.IsScalar()) {
            return reader.Error(entry.second,
                                "configuration value '" + key + "' must be a single value");
          }
          settings.configuration[key] = entry.second.as<std::string>();
        }
      } else if (field == "development") {
        SLUICE_ASSIGN_OR_RETURN(settings.development, reader.Bool(value, field));
      } else if (field == "continuous") {
        SLUICE_ASSIGN_OR_RETURN(settings.continuous, reader.Bool(value, field));
      } else if (CloudOnlyFields().count(field)) {
        settings.warnings.push_back(settings_file + ": field '" + field +
                                    "' has no meaning on one machine and is ignored");
      } else {
        return reader.Error(item.first, "unknown field '" + field +
                                            "' (known: name, id, storage, libraries, catalog, "
                                            "schema, database, target, configuration, "
                                            "development, continuous)");
      }
    }
  } catch (const YAML::Exception& error) {
    return InvalidArgument(settings_file + ":" + std::to_string(error.mark.line + 1) + ": " +
                           error.msg);
  }
  if (settings.name.empty()) settings.name = BaseName(settings.root_dir);
  if (settings.id.empty()) settings.id = StableId(settings.name);
  return settings;
}

Status ApplyConfigurationOverrides(PipelineSettings& settings,
                                   const std::vector<std::string>& overrides) {
  for (const std::string& item : overrides) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      return InvalidArgument("--conf " + item + ": expected key=value");
    }
    settings.configuration[Trim(item.substr(0, equals))] = item.substr(equals + 1);
  }
  return Status::OK();
}

namespace {

// Does `path` match `pattern` ('*' within a segment, '**' across segments)?
bool GlobMatch(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (StartsWith(pattern, "**")) {
    std::string_view rest = pattern.substr(2);
    if (StartsWith(rest, "/")) rest = rest.substr(1);
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(rest, path.substr(i))) return true;
    }
    return false;
  }
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= path.size(); ++i) {
      if (GlobMatch(pattern.substr(1), path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (pattern[0] == '?' ? path[0] != '/' : pattern[0] == path[0]) {
    return GlobMatch(pattern.substr(1), path.substr(1));
  }
  return false;
}

Status CollectFiles(io::FileSystem& fs, const std::string& dir, const std::string& skip,
                    std::vector<std::string>& out) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(dir));
  for (const io::FileInfo& entry : entries) {
    if (entry.name.empty() || entry.name[0] == '.') continue;
    const std::string path = dir + "/" + entry.name;
    if (path == skip) continue;
    if (entry.is_directory) {
      SLUICE_RETURN_IF_ERROR(CollectFiles(fs, path, skip, out));
    } else {
      out.push_back(path);
    }
  }
  return Status::OK();
}

}  // namespace

namespace {

bool IsSourceFile(const std::string& file) {
  return (EndsWith(file, ".sql") || EndsWith(file, ".py")) &&
         file.find("/__pycache__/") == std::string::npos;
}

// Whether a Python file uses the pipeline API (imports dlt or pyspark.pipelines): with no
// libraries listed, such files are the pipeline's and the others are modules they import.
Result<bool> DefinesPipeline(io::FileSystem& fs, const std::string& file) {
  static const std::regex imports(
      R"((^|\n)[ \t]*(import[ \t]+dlt\b|from[ \t]+dlt[ \t]+import|)"
      R"(from[ \t]+pyspark[ \t]+import[ \t]+[^\n]*\bpipelines\b|)"
      R"(import[ \t]+pyspark\.pipelines|from[ \t]+pyspark\.pipelines[ \t]+import))");
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
  return std::regex_search(text, imports);
}

}  // namespace

Result<std::vector<std::string>> ListSourceFiles(io::FileSystem& fs,
                                                 const PipelineSettings& settings) {
  std::set<std::string> sources;
  if (settings.libraries.empty()) {
    std::vector<std::string> files;
    SLUICE_RETURN_IF_ERROR(CollectFiles(fs, settings.root_dir, settings.storage, files));
    for (const std::string& file : files) {
      if (!IsSourceFile(file)) continue;
      if (EndsWith(file, ".py")) {
        SLUICE_ASSIGN_OR_RETURN(bool pipeline, DefinesPipeline(fs, file));
        if (!pipeline) continue;
      }
      sources.insert(file);
    }
    return std::vector<std::string>(sources.begin(), sources.end());
  }
  for (const Library& library : settings.libraries) {
    if (library.kind != Library::Kind::kGlob) {
      std::string path = library.path;
      for (const char* extension : {".sql", ".py"}) {
        if (!fs.Exists(path) && fs.Exists(path + extension)) path += extension;
      }
      if (!fs.Exists(path)) {
        return NotFound(settings.settings_file + ": library " + library.path + " does not exist");
      }
      if (!IsSourceFile(path)) {
        return NotSupported(settings.settings_file + ": library " + library.path +
                            " is neither a SQL (.sql) nor a Python (.py) file");
      }
      sources.insert(path);
      continue;
    }
    std::string pattern = library.path;
    if (EndsWith(pattern, "/")) pattern += "**";
    // The folder before the first wildcard is where listing starts.
    const size_t wildcard = pattern.find_first_of("*?");
    std::string base =
        wildcard == std::string::npos ? pattern : Folder(pattern.substr(0, wildcard + 1));
    auto info = fs.Stat(base);
    if (!info.ok()) {
      return NotFound(settings.settings_file + ": library glob " + library.path +
                      " matches nothing (" + base + " does not exist)");
    }
    std::vector<std::string> files;
    if (!info->is_directory) {
      files.push_back(base);
    } else {
      SLUICE_RETURN_IF_ERROR(CollectFiles(fs, base, settings.storage, files));
      if (wildcard == std::string::npos) pattern += "/**";
    }
    for (const std::string& file : files) {
      if (IsSourceFile(file) && GlobMatch(pattern, file)) sources.insert(file);
    }
  }
  return std::vector<std::string>(sources.begin(), sources.end());
}

}  // namespace sluice::spec
