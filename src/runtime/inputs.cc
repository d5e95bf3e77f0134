#include "runtime/inputs.h"

#include <algorithm>
#include <atomic>

#include "common/strings.h"
#include "delta/paths.h"
#include "runtime/file_tree.h"
#include "sql/spark_compat.h"

namespace sluice::runtime {

const char* const kNoDataYet = "the stream's source has no data yet";

namespace {

// View names unique across renderers sharing a connection.
std::atomic<int64_t> next_view{0};

bool IsTrue(const std::map<std::string, std::string>& options, std::string_view key) {
  for (const auto& [name, value] : options) {
    if (EqualsIgnoreCase(name, key)) return EqualsIgnoreCase(value, "true");
  }
  return false;
}

std::optional<std::string> Option(const std::map<std::string, std::string>& options,
                                  std::string_view key) {
  for (const auto& [name, value] : options) {
    if (EqualsIgnoreCase(name, key)) return value;
  }
  return std::nullopt;
}

std::string FileList(const std::vector<std::string>& files) {
  std::vector<std::string> quoted;
  quoted.reserve(files.size());
  for (const std::string& file : files) quoted.push_back(QuoteLiteral(file));
  return "[" + Join(quoted, ", ") + "]";
}

// The format of a read_files source: its `format` option, else the first file's extension.
std::string FileFormat(const std::vector<std::string>& files,
                       const std::map<std::string, std::string>& options) {
  std::string format = ToLower(Option(options, "format").value_or(""));
  if (!format.empty() || files.empty()) return format;
  const std::string& first = files.front();
  if (EndsWith(first, ".json") || EndsWith(first, ".jsonl") || EndsWith(first, ".ndjson")) {
    return "json";
  }
  if (EndsWith(first, ".csv") || EndsWith(first, ".tsv")) return "csv";
  if (EndsWith(first, ".parquet")) return "parquet";
  return "";
}

// The DuckDB reader for files with read_files' options. `columns` (a DuckDB struct literal
// of names to types) fixes the schema instead of detecting it on every bind.
Result<std::string> ReaderCall(const std::string& path, const std::vector<std::string>& files,
                               const std::map<std::string, std::string>& options,
                               const std::string& columns = "") {
  const std::string format = FileFormat(files, options);
  const std::string list = FileList(files);
  const std::string fixed = columns.empty() ? "" : ", columns = " + columns;
  if (format == "json") {
    return "read_json(" + list + (columns.empty() ? ", union_by_name = true" : fixed) + ")";
  }
  if (format == "csv") {
    std::string call = "read_csv(" + list + (columns.empty() ? ", union_by_name = true" : fixed);
    call += ", header = " + std::string(IsTrue(options, "header") ? "true" : "false");
    if (auto sep = Option(options, "sep")) call += ", delim = " + QuoteLiteral(*sep);
    if (auto sep = Option(options, "delimiter")) call += ", delim = " + QuoteLiteral(*sep);
    return call + ")";
  }
  if (format == "parquet") return "read_parquet(" + list + ", union_by_name = true)";
  if (format.empty()) {
    return InvalidArgument("read_files('" + path +
                           "'): cannot tell the file format; add format => 'json', 'csv' or "
                           "'parquet'");
  }
  return NotSupported("read_files('" + path + "'): format '" + format +
                      "' is not supported (json, csv, parquet are)");
}

}  // namespace

InputRenderer::~InputRenderer() { (void)Release(); }

Status InputRenderer::Release() {
  Status first = Status::OK();
  for (const delta::ScanPlan& plan : scans_) {
    Status status = delta::ReleaseScan(*context_.connection, plan);
    if (first.ok()) first = status;
  }
  scans_.clear();
  for (auto it = views_.rbegin(); it != views_.rend(); ++it) {
    Status status = context_.connection->Execute("DROP VIEW IF EXISTS " + QuoteIdentifier(*it));
    if (first.ok()) first = status;
  }
  views_.clear();
  rendered_views_.clear();
  return first;
}

std::string InputRenderer::ViewName(const std::string& display) {
  // Named after the dataset, so that `name.column` works, unless the name is taken (a
  // query reading one table both in full and as a stream).
  if (display.find('/') != std::string::npos ||
      std::find(views_.begin(), views_.end(), display) != views_.end()) {
    return "__sluice_table_" + std::to_string(next_view++);
  }
  return display;
}

Result<std::string> InputRenderer::MakeView(std::string name, const std::string& sql) {
  SLUICE_RETURN_IF_ERROR(context_.connection->Execute("CREATE OR REPLACE TEMP VIEW " +
                                                      QuoteIdentifier(name) + " AS " + sql));
  views_.push_back(name);
  return QuoteIdentifier(name);
}

std::string InputRenderer::Placeholder(size_t index) {
  return "__sluice_ref_" + std::to_string(index) + "__";
}

Result<std::string> InputRenderer::TranslateWithPlaceholders(const sql::Query& query) {
  std::string text;
  size_t position = 0;
  for (size_t i = 0; i < query.references.size(); ++i) {
    const sql::Reference& reference = query.references[i];
    text += query.text.substr(position, reference.begin - position);
    text += Placeholder(i);
    position = reference.end;
  }
  text += query.text.substr(position);
  return sql::TranslateSparkSql(text);
}

Result<std::string> InputRenderer::Render(const sql::Query& query,
                                          const std::vector<graph::Input>& inputs) {
  // References are replaced by placeholders, the Spark SQL is translated, and then the
  // placeholders become the views, so that nothing generated here is ever rewritten.
  SLUICE_ASSIGN_OR_RETURN(std::string translated, TranslateWithPlaceholders(query));
  for (size_t i = 0; i < query.references.size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(std::string relation, RelationFor(inputs[i], query.references[i]));
    const std::string placeholder = Placeholder(i);
    const size_t at = translated.find(placeholder);
    if (at == std::string::npos) {
      return Internal("the translated query lost reference " + std::to_string(i));
    }
    translated.replace(at, placeholder.size(), relation);
  }
  return translated;
}

Result<std::string> InputRenderer::RelationFor(const graph::Input& input,
                                               const sql::Reference& reference) {
  const bool skip_change_commits = IsTrue(reference.options, "skipChangeCommits");
  switch (input.kind) {
    case sql::ReferenceKind::kDataset: {
      const graph::Dataset* dataset = graph_.FindDataset(input.dataset);
      if (dataset == nullptr) return Internal("unresolved dataset " + input.dataset);
      if (!dataset->is_table()) return ViewRelation(*dataset);
      if (definitions_ != nullptr) {
        auto it = definitions_->find(dataset->name());
        if (it == definitions_->end())
          return NotFound("'" + dataset->name() + "' has no schema yet");
        return MakeView(ViewName(dataset->name()), "SELECT * FROM " + QuoteIdentifier(it->second));
      }
      return TableRelation("dataset:" + dataset->name(), settings_.TablePath(dataset->name()),
                           dataset->name(), input.streaming, skip_change_commits);
    }
    case sql::ReferenceKind::kDeltaPath:
      return TableRelation("delta:" + input.path, input.path, input.path, input.streaming,
                           skip_change_commits);
    case sql::ReferenceKind::kReadFiles:
      return FilesRelation("files:" + input.path, input.path, reference.options, input.streaming);
  }
  return Internal("unknown reference kind");
}

Result<std::string> InputRenderer::ViewRelation(const graph::Dataset& view) {
  const std::string key = ToLower(view.name());
  if (auto it = rendered_views_.find(key); it != rendered_views_.end()) return it->second;
  SLUICE_ASSIGN_OR_RETURN(std::string sql, Render(*view.definition.query, view.view_inputs));
  SLUICE_ASSIGN_OR_RETURN(std::string name, MakeView(view.name(), sql));
  rendered_views_[key] = name;
  return name;
}

Result<std::string> InputRenderer::TableRelation(const std::string& key, const std::string& root,
                                                 const std::string& display, bool streaming,
                                                 bool skip_change_commits) {
  const std::string view_name = ViewName(display);
  if (!streaming) {
    if (auto it = rendered_views_.find("batch:" + key); it != rendered_views_.end()) {
      return it->second;
    }
  } else if (auto it = rendered_views_.find("stream:" + key); it != rendered_views_.end()) {
    return it->second;
  }
  auto snapshot = delta::LoadSnapshot(context_, root);
  if (!snapshot.ok()) {
    if (snapshot.status().code() != StatusCode::kNotFound) return snapshot.status();
    if (!streaming) {
      return NotFound("'" + display + "' has no data yet: its table " + root +
                      " does not exist (it is created by the first update that writes it)");
    }
    return NotFound(kNoDataYet);
  }
  const delta::Snapshot& latest = **snapshot;
  delta::ScanOptions options;
  if (streaming && stream_ != nullptr) {
    SourceOffset offset;
    if (stream_->replay) {
      auto it = stream_->offsets.sources.find(key);
      if (it == stream_->offsets.sources.end()) {
        offset.table_id = latest.metadata().id;
        offset.start_version = offset.end_version = latest.version();
      } else {
        offset = it->second;
      }
    } else if (auto it = stream_->offsets.sources.find(key); it != stream_->offsets.sources.end()) {
      offset = it->second;
    } else {
      SLUICE_ASSIGN_OR_RETURN(offset, PlanTableStream(key, latest, skip_change_commits, display));
      stream_->offsets.sources[key] = offset;
    }
    delta::SnapshotPtr end = *snapshot;
    if (offset.end_version != latest.version()) {
      SLUICE_ASSIGN_OR_RETURN(end, delta::LoadSnapshot(context_, root, offset.end_version));
    }
    std::vector<delta::AddFile> files;
    if (offset.initial_snapshot) {
      files = end->files();
    } else if (offset.end_version > offset.start_version) {
      SLUICE_ASSIGN_OR_RETURN(files, FilesOfRange(*end, offset, skip_change_commits, display));
    }
    if (!files.empty()) stream_->new_data = true;
    scan_files_.push_back(std::move(files));
    std::vector<const delta::AddFile*> pointers;
    for (const delta::AddFile& file : scan_files_.back()) pointers.push_back(&file);
    options.files = std::move(pointers);
    SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(context_, *end, options));
    SLUICE_ASSIGN_OR_RETURN(std::string name, MakeView(view_name, plan.sql));
    scans_.push_back(std::move(plan));
    rendered_views_["stream:" + key] = name;
    return name;
  }
  SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(context_, latest, options));
  SLUICE_ASSIGN_OR_RETURN(std::string name, MakeView(view_name, plan.sql));
  scans_.push_back(std::move(plan));
  rendered_views_["batch:" + key] = name;
  return name;
}

Result<SourceOffset> InputRenderer::PlanTableStream(const std::string& key,
                                                    const delta::Snapshot& latest,
                                                    bool skip_change_commits,
                                                    const std::string& display) {
  SourceOffset offset;
  offset.table_id = latest.metadata().id;
  offset.end_version = latest.version();
  const auto& committed = stream_->checkpoint->committed_sources();
  auto it = committed.find(key);
  if (it == committed.end()) {
    offset.initial_snapshot = true;
    offset.start_version = -1;
    return offset;
  }
  const SourceOffset& previous = it->second;
  if (previous.table_id != offset.table_id) {
    return InvalidArgument("'" + display +
                           "' was replaced by a different table since this flow last read it "
                           "(was it fully refreshed?); fully refresh this flow's table or reset "
                           "its checkpoint (--reset-checkpoint)");
  }
  offset.start_version = previous.end_version;
  if (offset.end_version < offset.start_version) {
    return InvalidArgument("'" + display + "' is at version " + std::to_string(offset.end_version) +
                           ", older than version " + std::to_string(offset.start_version) +
                           " that this flow already read");
  }
  return offset;
}

Result<std::vector<delta::AddFile>> InputRenderer::FilesOfRange(const delta::Snapshot& end,
                                                                const SourceOffset& offset,
                                                                bool skip_change_commits,
                                                                const std::string& display) {
  std::vector<delta::AddFile> files;
  for (int64_t version = offset.start_version + 1; version <= offset.end_version; ++version) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<delta::Action> actions,
                            delta::ReadCommit(*context_.fs, end.table_root(), version));
    bool changes_data = false;
    std::vector<delta::AddFile> added;
    for (delta::Action& action : actions) {
      if (auto* add = std::get_if<delta::AddFile>(&action)) {
        if (add->data_change) added.push_back(std::move(*add));
      } else if (auto* remove = std::get_if<delta::RemoveFile>(&action)) {
        changes_data = changes_data || remove->data_change;
      }
    }
    if (changes_data) {
      if (skip_change_commits) continue;
      return InvalidArgument(
          "'" + display + "' version " + std::to_string(version) +
          " updated or deleted rows, but a streaming read only takes appended rows; read it with "
          "STREAM(" +
          display +
          ") WITH (skipChangeCommits = true) to ignore such commits, or "
          "fully refresh the reading table");
    }
    for (delta::AddFile& add : added) files.push_back(std::move(add));
  }
  return files;
}

Result<std::string> InputRenderer::FilesRelation(const std::string& key, const std::string& path,
                                                 const std::map<std::string, std::string>& options,
                                                 bool streaming) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> listing,
                          ListFilesRecursively(*context_.fs, path));
  std::vector<std::string> all;
  for (const io::FileInfo& file : listing) all.push_back(file.name);
  std::vector<std::string> files = all;
  if (streaming && stream_ != nullptr) {
    if (stream_->replay) {
      auto it = stream_->offsets.sources.find(key);
      files = it == stream_->offsets.sources.end() ? std::vector<std::string>{} : it->second.files;
    } else if (auto it = stream_->offsets.sources.find(key); it != stream_->offsets.sources.end()) {
      files = it->second.files;
    } else {
      const auto& seen = stream_->checkpoint->seen_files();
      auto seen_it = seen.find(key);
      files.clear();
      for (const std::string& file : all) {
        if (seen_it == seen.end() || !seen_it->second.count(file)) files.push_back(file);
      }
      SourceOffset offset;
      offset.files = files;
      stream_->offsets.sources[key] = offset;
    }
    if (!files.empty()) stream_->new_data = true;
  }
  std::string sql;
  if (files.empty()) {
    if (all.empty()) {
      // A stream over a folder without files simply has nothing to read yet.
      if (streaming && stream_ != nullptr) return NotFound(kNoDataYet);
      return NotFound("read_files('" + path + "'): no files found");
    }
    // Nothing new: the relation keeps its columns but has no rows.
    SLUICE_ASSIGN_OR_RETURN(std::string reader, ReaderCall(path, {all.front()}, options));
    sql = "SELECT * FROM " + reader + " LIMIT 0";
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::string reader, ReaderCall(path, files, options));
    // Text formats detect their schema by sampling every file; do it once here, so that
    // the binds of the query, the write and its checks do not repeat it.
    const std::string format = FileFormat(files, options);
    if (format == "json" || format == "csv") {
      SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                              context_.connection->Query("DESCRIBE SELECT * FROM " + reader));
      std::vector<std::string> columns;
      for (size_t row = 0; row < described.row_count(); ++row) {
        columns.push_back(QuoteLiteral(described.at(row, 0).ToString()) + ": " +
                          QuoteLiteral(described.at(row, 1).ToString()));
      }
      SLUICE_ASSIGN_OR_RETURN(reader,
                              ReaderCall(path, files, options, "{" + Join(columns, ", ") + "}"));
    }
    sql = "SELECT * FROM " + reader;
  }
  return MakeView("__sluice_files_" + std::to_string(next_view++), sql);
}

Result<std::string> InputVersions(const delta::DeltaContext& context, const graph::Graph& graph,
                                  const spec::PipelineSettings& settings,
                                  const std::vector<graph::Input>& inputs) {
  std::string out;
  for (const graph::Input& input : inputs) {
    const graph::Dataset* dataset =
        input.kind == sql::ReferenceKind::kDataset ? graph.FindDataset(input.dataset) : nullptr;
    if (dataset != nullptr && !dataset->is_table()) {
      SLUICE_ASSIGN_OR_RETURN(std::string view,
                              InputVersions(context, graph, settings, dataset->view_inputs));
      out += "view " + dataset->name() + " {\n" + view + "}\n";
      continue;
    }
    if (input.kind == sql::ReferenceKind::kReadFiles) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> listing,
                              ListFilesRecursively(*context.fs, input.path));
      out += "files " + input.path + "\n";
      for (const io::FileInfo& file : listing) {
        out += "  " + file.name + ":" + std::to_string(file.size) + ":" +
               std::to_string(file.modification_time_ms) + "\n";
      }
      continue;
    }
    const std::string root = dataset != nullptr ? settings.TablePath(dataset->name()) : input.path;
    auto snapshot = delta::LoadSnapshot(context, root);
    if (!snapshot.ok()) {
      if (snapshot.status().code() != StatusCode::kNotFound) return snapshot.status();
      out += "table " + root + " missing\n";
      continue;
    }
    out += "table " + root + " " + (*snapshot)->metadata().id + "@" +
           std::to_string((*snapshot)->version()) + "\n";
  }
  return out;
}

}  // namespace sluice::runtime
