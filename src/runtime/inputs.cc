#include "runtime/inputs.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>

#include "common/strings.h"
#include "common/sync_point.h"
#include "delta/paths.h"
#include "ingest/ddl.h"
#include "ingest/options.h"
#include "runtime/file_tree.h"
#include "runtime/jdbc_pushdown.h"
#include "runtime/jdbc_source.h"
#include "runtime/secret_options.h"
#include "runtime/spark_sql.h"

namespace sluice::runtime {

const char* const kNoDataYet = "the stream's source has no data yet";

namespace {

bool IsTrue(const std::map<std::string, std::string>& options, std::string_view key) {
  for (const auto& [name, value] : options) {
    if (EqualsIgnoreCase(name, key)) return EqualsIgnoreCase(value, "true");
  }
  return false;
}

// Whether `text` names the _metadata column: the word on its own, not part of a longer
// name such as order_metadata.
bool MentionsMetadataColumn(const std::string& text) {
  const std::string lower = ToLower(text);
  auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  for (size_t at = lower.find("_metadata"); at != std::string::npos;
       at = lower.find("_metadata", at + 1)) {
    const size_t end = at + 9;
    if ((at == 0 || !is_name_char(lower[at - 1])) &&
        (end >= lower.size() || !is_name_char(lower[end]))) {
      return true;
    }
  }
  return false;
}

// schemaHints naming columns a stored schema lacks add them (so that a hint added after the
// first start lets a failOnNewColumns flow go on); the stored columns keep their types.
Status AddHintedColumns(const ingest::SourceOptions& options, delta::Schema* schema) {
  if (options.schema_hints.empty()) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(std::vector<ingest::DdlColumn> hints,
                          ingest::ParseDdlColumns(options.schema_hints, "schemaHints"));
  std::vector<ingest::DdlColumn> missing;
  for (ingest::DdlColumn& hint : hints) {
    if (schema->Find(hint.path.front()) == nullptr) missing.push_back(std::move(hint));
  }
  if (missing.empty()) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(*schema, ingest::ApplyHints(*schema, missing));
  return Status::OK();
}

// A stable name for a file source's key in file names (FNV-1a, hex).
std::string KeyHash(const std::string& key) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 15];
  return out;
}

// The files present when a stream with includeExistingFiles = false first started; written
// once, at that start, and never read as input.
Result<std::set<std::string>> ExistingFilesBaseline(io::FileSystem& fs, const std::string& dir,
                                                    const std::string& key,
                                                    const std::vector<ingest::InputFile>& listing,
                                                    bool first_start) {
  const std::string path = dir + "/_existing/" + KeyHash(key) + ".txt";
  std::set<std::string> existing;
  auto text = fs.ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() != StatusCode::kNotFound) return text.status();
    if (!first_start) return existing;
    std::string lines;
    for (const ingest::InputFile& file : listing) lines += file.path + "\n";
    SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/_existing"));
    Status put = fs.PutIfAbsent(path, lines);
    if (!put.ok() && put.code() != StatusCode::kAlreadyExists) return put;
    SLUICE_ASSIGN_OR_RETURN(text, fs.ReadFile(path));
  }
  for (const std::string& line : Split(*text, '\n')) {
    if (!line.empty()) existing.insert(line);
  }
  return existing;
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
  for (const std::string& table : tables_) {
    Status status = context_.connection->Execute("DROP TABLE IF EXISTS " + QuoteIdentifier(table));
    if (first.ok()) first = status;
  }
  tables_.clear();
  rendered_views_.clear();
  file_reads_.clear();
  return first;
}

std::string InputRenderer::ViewName(const std::string& display) {
  // Named after the dataset, so that `name.column` works, unless the name is taken (a
  // query reading one table both in full and as a stream).
  if (display.find('/') != std::string::npos ||
      std::find(views_.begin(), views_.end(), display) != views_.end()) {
    return context_.connection->UniqueName("__sluice_table_");
  }
  return display;
}

Result<std::string> InputRenderer::MakeView(std::string name, const std::string& sql) {
  SLUICE_RETURN_IF_ERROR(context_.connection->Execute("CREATE OR REPLACE TEMP VIEW " +
                                                      QuoteIdentifier(name) + " AS " + sql));
  views_.push_back(name);
  return QuoteIdentifier(name);
}

namespace {

// Resolves a query's references to the views the renderer makes for them.
class ReferenceResolver : public spark::RelationResolver {
 public:
  ReferenceResolver(InputRenderer& renderer, engine::Connection& connection,
                    const sql::Query& query, const std::vector<graph::Input>& inputs)
      : renderer_(renderer), connection_(connection), query_(query), inputs_(inputs) {}

  Result<spark::BoundRelation> Resolve(const spark::Relation& relation) override {
    const int index = relation.reference;
    if (index < 0 || static_cast<size_t>(index) >= query_.references.size() ||
        static_cast<size_t>(index) >= inputs_.size()) {
      return Internal("unresolved reference " + std::to_string(index));
    }
    renderer_.SetResolving(&relation);
    auto bound = renderer_.Relation(inputs_[index], query_.references[index]);
    renderer_.SetResolving(nullptr);
    if (!bound.ok()) renderer_.MarkInputFailed();
    return bound;
  }

 private:
  InputRenderer& renderer_;
  engine::Connection& connection_;
  const sql::Query& query_;
  const std::vector<graph::Input>& inputs_;
};

}  // namespace

Result<std::string> InputRenderer::Render(const sql::Query& query,
                                          const std::vector<graph::Input>& inputs) {
  static const std::map<std::string, std::string> kNone;
  return Render(query, inputs, kNone);
}

Result<std::string> InputRenderer::Render(const sql::Query& query,
                                          const std::vector<graph::Input>& inputs,
                                          const std::map<std::string, std::string>& conf) {
  SLUICE_ASSIGN_OR_RETURN(spark::Translation translation,
                          Translate(query, inputs, conf, nullptr, nullptr));
  return std::move(translation.sql);
}

Result<std::string> InputRenderer::Render(
    const sql::Query& query, const std::vector<graph::Input>& inputs,
    const std::map<std::string, std::string>& conf,
    const std::function<void(spark::TranslateOptions&)>& adjust) {
  SLUICE_ASSIGN_OR_RETURN(spark::Translation translation,
                          Translate(query, inputs, conf, nullptr, &adjust));
  return std::move(translation.sql);
}

Result<spark::Translation> InputRenderer::RenderRelationRows(
    const sql::Query& query, const spark::Relation& relation,
    const std::vector<graph::Input>& inputs, const std::map<std::string, std::string>& conf) {
  return Translate(query, inputs, conf, &relation, nullptr);
}

Result<spark::Translation> InputRenderer::RenderRelationRows(
    const sql::Query& query, const spark::Relation& relation,
    const std::vector<graph::Input>& inputs, const std::map<std::string, std::string>& conf,
    const std::function<void(spark::TranslateOptions&)>& adjust) {
  return Translate(query, inputs, conf, &relation, &adjust);
}

Result<spark::Translation> InputRenderer::RenderPartialAggregate(
    const sql::Query& query, const spark::SelectBody& select,
    const std::vector<graph::Input>& inputs, const std::map<std::string, std::string>& conf,
    const std::function<void(spark::TranslateOptions&)>& adjust) {
  partial_of_ = &select;
  auto translated = Translate(query, inputs, conf, nullptr, &adjust);
  partial_of_ = nullptr;
  return translated;
}

Result<spark::Translation> InputRenderer::Translate(
    const sql::Query& query, const std::vector<graph::Input>& inputs,
    const std::map<std::string, std::string>& conf, const spark::Relation* rows_of,
    const std::function<void(spark::TranslateOptions&)>* adjust) {
  if (query.parsed == nullptr) return Internal("the query was not parsed");
  spark::TranslateOptions options = SparkOptions(settings_, conf);
  if (adjust != nullptr) (*adjust)(options);
  const auto* outer_conf = conf_;
  conf_ = &conf;
  // read_files relations get a _metadata column only for queries that use it, since
  // `SELECT *` would otherwise carry it into the table.
  const bool mentions_metadata = mentions_metadata_;
  // input_file_name() reads the file path from _metadata too.
  mentions_metadata_ = MentionsMetadataColumn(query.text) ||
                       ToLower(query.text).find("input_file_name") != std::string::npos;
  input_failed_ = false;
  const spark::Query* outer_pushdown = pushdown_query_;
  pushdown_query_ =
      rows_of == nullptr && partial_of_ == nullptr ? query.parsed->query.get() : nullptr;
  ReferenceResolver resolver(*this, *context_.connection, query, inputs);
  auto translated = partial_of_ != nullptr ? spark::TranslatePartialAggregate(
                                                 *query.parsed, *partial_of_, resolver, options)
                    : rows_of != nullptr
                        ? spark::TranslateRelationRows(*query.parsed, *rows_of, resolver, options)
                        : spark::TranslateQuery(*query.parsed, resolver, options);
  mentions_metadata_ = mentions_metadata;
  conf_ = outer_conf;
  pushdown_query_ = outer_pushdown;
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
      if (definitions_ != nullptr) return Internal("definitions are bound by Relation");
      return TableRelation("dataset:" + dataset->name(), dataset->storage_path, dataset->name(),
                           input.streaming, skip_change_commits);
    }
    case sql::ReferenceKind::kDeltaPath:
      return TableRelation("delta:" + input.path, input.path, input.path, input.streaming,
                           skip_change_commits);
    case sql::ReferenceKind::kReadFiles:
      return FilesRelation("files:" + input.path, reference, input, input.streaming);
    case sql::ReferenceKind::kKafka:
      return KafkaRelation(input.path, input);
    case sql::ReferenceKind::kJdbc:
      return JdbcRelation(input);
  }
  return Internal("unknown reference kind");
}

Result<spark::BoundRelation> InputRenderer::Relation(const graph::Input& input,
                                                     const sql::Reference& reference) {
  const graph::Dataset* dataset =
      input.kind == sql::ReferenceKind::kDataset ? graph_.FindDataset(input.dataset) : nullptr;
  if (definitions_ == nullptr || dataset == nullptr || !dataset->is_table()) {
    SLUICE_ASSIGN_OR_RETURN(std::string view, RelationFor(input, reference));
    SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation relation,
                            DescribeRelation(*context_.connection, view));
    resolved_.push_back(relation);
    return relation;
  }
  // Analysis reads the definition's view itself: the translated query names its relations
  // by aliases of its own, so no view named after the dataset is needed.
  auto it = definitions_->find(dataset->name());
  if (it == definitions_->end()) return NotFound("'" + dataset->name() + "' has no schema yet");
  DefinedDataset& definition = it->second;
  if (!definition.relation) {
    if (definition.make_view) SLUICE_RETURN_IF_ERROR(definition.make_view());
    SLUICE_ASSIGN_OR_RETURN(
        definition.relation,
        DescribeRelation(*context_.connection, QuoteIdentifier(definition.view)));
  }
  resolved_.push_back(*definition.relation);
  return *definition.relation;
}

Result<std::string> InputRenderer::ViewRelation(const graph::Dataset& view) {
  const std::string key = ToLower(view.name());
  if (auto it = rendered_views_.find(key); it != rendered_views_.end()) return it->second;
  SLUICE_ASSIGN_OR_RETURN(std::string sql,
                          Render(*view.definition.query, view.view_inputs, view.conf));
  SLUICE_ASSIGN_OR_RETURN(std::string name, MakeView(view.name(), sql));
  SLUICE_ASSIGN_OR_RETURN(name, ApplyViewExpectations(view, name));
  rendered_views_[key] = name;
  return name;
}

// A view's expectations act on the rows its readers see, as on Databricks: rows failing a
// DROP ROW rule are left out, and a row failing a FAIL UPDATE rule fails the reading flow.
// (Warn rules change no rows.)
Result<std::string> InputRenderer::ApplyViewExpectations(const graph::Dataset& view,
                                                         const std::string& rows) {
  std::vector<std::string> conditions;
  for (const sql::Expectation& expectation : view.definition.expectations) {
    if (expectation.action == sql::ViolationAction::kWarn) continue;
    SLUICE_ASSIGN_OR_RETURN(
        std::string condition,
        TranslateOver(*context_.connection, *expectation.parsed, "SELECT * FROM " + rows,
                      SparkOptions(settings_, view.conf)));
    if (expectation.action == sql::ViolationAction::kDrop) {
      conditions.push_back("(" + condition + ") IS NOT FALSE");
    } else {
      const std::string message = "expectation '" + expectation.name + "' of view '" + view.name() +
                                  "' failed (ON VIOLATION FAIL UPDATE): " + expectation.condition;
      conditions.push_back("CASE WHEN (" + condition + ") IS FALSE THEN error(" +
                           QuoteLiteral(message) + ") ELSE true END");
    }
  }
  if (conditions.empty()) return rows;
  return MakeView(view.name() + "_checked",
                  "SELECT * FROM " + rows + " WHERE " + Join(conditions, " AND "));
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

Result<std::string> InputRenderer::FilesRelation(const std::string& key,
                                                 const sql::Reference& reference,
                                                 const graph::Input& input, bool streaming) {
  const std::string& path = input.path;
  // Auto Loader's session settings (SET spark.databricks.cloudFiles.<option>) are defaults
  // for the options the reference does not give.
  // A catalog table's options (format included) come with its input.
  std::map<std::string, std::string> given = reference.options;
  for (const auto& [name, value] : input.options) given.emplace(name, value);
  constexpr std::string_view kSessionPrefix = "spark.databricks.cloudfiles.";
  for (const auto* source : {conf_, &settings_.configuration}) {
    if (source == nullptr) continue;
    for (const auto& [key, value] : *source) {
      if (!StartsWith(ToLower(key), kSessionPrefix)) continue;
      const std::string option = key.substr(kSessionPrefix.size());
      bool set = false;
      for (const auto& [name, ignored] : given) {
        set =
            set || EqualsIgnoreCase(name, option) || EqualsIgnoreCase(name, "cloudFiles." + option);
      }
      if (!set) given[option] = value;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(
      ingest::SourceOptions options,
      ingest::ParseSourceOptions(given,
                                 reference.cloud_files ? ingest::SourceSyntax::kCloudFiles
                                                       : ingest::SourceSyntax::kReadFiles,
                                 path));
  SLUICE_ASSIGN_OR_RETURN(std::vector<ingest::InputFile> listing,
                          ListSourceFiles(*context_.fs, path));
  // Analysis (with definitions, before any flow runs) lists too; the sync point marks the
  // listings that choose what a flow reads.
  if (definitions_ == nullptr) {
    SLUICE_SYNC_POINT("read_files.listed");
  }
  PlannedFileRead plan;
  plan.key = key;
  plan.options = options;
  const bool stream = streaming && stream_ != nullptr;
  std::string schema_dir = schema_dir_;
  if (stream) {
    schema_dir = stream_->checkpoint->dir();
    auto planned = stream_->offsets.sources.find(key);
    if (stream_->replay || planned != stream_->offsets.sources.end()) {
      // The batch's files were chosen before (a replay after a crash, or a second
      // reference to the same source): read exactly those.
      std::map<std::string, const ingest::InputFile*> by_path;
      for (const ingest::InputFile& file : listing) by_path[file.path] = &file;
      if (planned != stream_->offsets.sources.end()) {
        for (const SourceFile& chosen : planned->second.files) {
          // A file gone since it was chosen (removed after the batch failed) is left out:
          // nothing of the batch was written, and there is nothing left to read of it.
          auto it = by_path.find(chosen.path);
          if (it != by_path.end()) plan.files.push_back(*it->second);
        }
      }
    } else {
      const auto& seen = stream_->checkpoint->seen_files();
      auto seen_it = seen.find(key);
      const bool first_start = seen_it == seen.end();
      std::set<std::string> existing;
      if (!options.include_existing_files) {
        SLUICE_ASSIGN_OR_RETURN(
            existing, ExistingFilesBaseline(*context_.fs, schema_dir, key, listing, first_start));
      }
      std::vector<ingest::InputFile> candidates;
      for (const ingest::InputFile& file : listing) {
        if (existing.count(file.path)) continue;
        if (seen_it != seen.end()) {
          auto read = seen_it->second.find(file.path);
          if (read != seen_it->second.end()) {
            const SourceFile& before = read->second.file;
            const bool changed = before.size != file.size ||
                                 before.modification_time_ms != file.modification_time_ms;
            if (!options.allow_overwrites || !changed) continue;
          }
        }
        candidates.push_back(file);
      }
      Backlog backlog;
      plan.files = TakeBatch(std::move(candidates), options, &backlog);
      stream_->backlog[key] = backlog;
      SourceOffset offset;
      for (const ingest::InputFile& file : plan.files) {
        offset.files.push_back({file.path, file.size, file.modification_time_ms});
      }
      stream_->offsets.sources[key] = std::move(offset);
    }
    if (!plan.files.empty()) stream_->new_data = true;
  } else {
    plan.files = listing;
  }
  if (listing.empty() && plan.files.empty()) {
    // A stream over a folder without files simply has nothing to read yet.
    if (stream) return NotFound(kNoDataYet);
    // Analysis binds a read whose format and schema are given before any file arrives: its
    // columns come from the schema, as Spark's do, so definitions reading it bind too.
    if (definitions_ == nullptr || options.schema.empty() || !options.format) {
      return NotFound("read_files('" + path + "'): no files found");
    }
  }
  const std::vector<ingest::InputFile>& sample = plan.files.empty() ? listing : plan.files;
  if (options.format) {
    plan.format = *options.format;
  } else if (auto format = ingest::FormatOfFileName(sample.front().path)) {
    plan.format = *format;
  } else {
    return InvalidArgument("read_files('" + path + "'): cannot tell the file format of " +
                           sample.front().path +
                           "; add format => 'json', 'csv', 'parquet' or 'text'");
  }
  std::optional<StoredSchema> stored;
  if (!schema_dir.empty() && options.schema.empty()) {
    SLUICE_ASSIGN_OR_RETURN(stored, LoadStoredSchema(*context_.fs, schema_dir, key));
    if (stored) SLUICE_RETURN_IF_ERROR(AddHintedColumns(options, &stored->schema));
  }
  if (!stored) {
    SLUICE_ASSIGN_OR_RETURN(
        StoredSchema inferred,
        InferSourceSchema(*context_.fs, *context_.connection, plan.format, options, sample));
    inferred.partition_types = PartitionTypes(inferred.partition_columns, listing, options);
    inferred.version = 0;
    if (stream && options.schema.empty()) {
      SLUICE_RETURN_IF_ERROR(SaveStoredSchema(*context_.fs, schema_dir, key, inferred));
    }
    stored = std::move(inferred);
  }
  plan.schema = std::move(*stored);
  if (stream) stream_->offsets.sources[key].schema_version = plan.schema.version;
  plan.rescued_column = plan.format == ingest::FileFormat::kText ? "" : options.RescuedColumn();
  if (plan.schema.schema.Find(plan.rescued_column) != nullptr) plan.rescued_column.clear();
  // Analysis binds the relation's columns, which the schema decides, and never reads its
  // rows: Parquet files are not opened (binding a folder's every file each update would
  // grow with the folder), and the bound SQL stays the same from one update to the next.
  if (definitions_ != nullptr && plan.format == ingest::FileFormat::kParquet) plan.files.clear();
  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<FileRead> read,
      FileRead::Make(*context_.fs, *context_.connection, std::move(plan), mentions_metadata_));
  file_reads_.push_back(std::move(read));
  const FileRead& made = *file_reads_.back();
  if (!made.NewFields().empty()) {
    return Aborted("new columns found in " + path + " (schemaEvolutionMode addNewColumns)");
  }
  return MakeView(context_.connection->UniqueName("__sluice_files_"), made.sql());
}

Result<std::string> InputRenderer::KafkaRelation(const std::string& key,
                                                 const graph::Input& input) {
  auto failed = [&](const Status& status) {
    return status.WithContext("read_kafka (" + key.substr(6) + ")");
  };
  // Analysis checks the options and binds the columns, which are fixed, without reading
  // secrets or connecting to Kafka.
  const bool analysis = definitions_ != nullptr;
  auto given = analysis ? Result<std::map<std::string, std::string>>(input.options)
                        : ResolveSecretOptions(input.options);
  if (!given.ok()) return failed(given.status());
  auto options = sources::ParseKafkaOptions(*given, input.streaming);
  if (!options.ok()) return failed(options.status());
  if (analysis) {
    return MakeView(context_.connection->UniqueName("__sluice_kafka_"),
                    KafkaColumnsOnlySql(options->include_headers));
  }
  auto client = sources::KafkaClient::Connect(*options);
  if (!client.ok()) return failed(client.status());
  std::vector<sources::OffsetRange> ranges;
  const bool stream = input.streaming && stream_ != nullptr;
  if (stream) {
    auto planned = stream_->offsets.sources.find(key);
    if (planned == stream_->offsets.sources.end() && stream_->replay) {
      return Internal("the replayed batch has no offsets for " + key);
    }
    if (planned == stream_->offsets.sources.end()) {
      KafkaPlanNotes notes;
      std::optional<KafkaEnds> no_ends;
      std::optional<KafkaEnds>& ends =
          stream_->kafka_ends != nullptr ? (*stream_->kafka_ends)[key] : no_ends;
      auto offset = PlanKafkaBatch(**client, *stream_->checkpoint, *context_.fs, key,
                                   context_.clock->NowMillis(), ends, &notes);
      if (!offset.ok()) return failed(offset.status());
      stream_->lost_offsets += notes.lost_offsets;
      stream_->backlog[key].records = notes.backlog_records;
      planned = stream_->offsets.sources.emplace(key, std::move(*offset)).first;
    }
    ranges = RangesOf(planned->second);
    for (const sources::OffsetRange& range : ranges) {
      if (range.end > range.start) stream_->new_data = true;
    }
    // Offsets that moved without records to read (skipped after data loss, partitions
    // gone or new) still make a batch, so that the checkpoint moves with them.
    const auto& committed = stream_->checkpoint->committed_sources();
    auto last = committed.find(key);
    if (last != committed.end()) {
      std::map<std::pair<std::string, int32_t>, int64_t> ends;
      for (const PartitionRange& range : last->second.partitions) {
        ends[{range.topic, range.partition}] = range.end;
      }
      std::map<std::pair<std::string, int32_t>, int64_t> planned_ends;
      for (const PartitionRange& range : planned->second.partitions) {
        planned_ends[{range.topic, range.partition}] = range.end;
      }
      if (ends != planned_ends) stream_->new_data = true;
    }
  } else {
    auto batch = KafkaBatchReadRanges(**client);
    if (!batch.ok()) return failed(batch.status());
    ranges = std::move(*batch);
  }
  client->reset();
  const std::string table = context_.connection->UniqueName("__sluice_kafka_records_");
  int64_t lost = 0;
  Status read = ReadKafkaRanges(*context_.connection, *options, std::move(ranges), table, &lost);
  if (!read.ok()) return failed(read);
  tables_.push_back(table);
  if (stream) stream_->lost_offsets += lost;
  return MakeView(context_.connection->UniqueName("__sluice_kafka_"),
                  "SELECT * FROM " + QuoteIdentifier(table));
}

Result<std::string> InputRenderer::JdbcRelation(const graph::Input& input) {
  const std::string& key = input.path;
  auto failed = [&](const Status& status) {
    return status.WithContext("read_jdbc (" + key.substr(5) + ")");
  };
  JdbcRead read;
  // Analysis describes the relation (its columns come from PostgreSQL) without reading it.
  read.columns_only = definitions_ != nullptr;
  if (pushdown_query_ != nullptr && resolving_ != nullptr) {
    read.pushed = PushableConditions(*pushdown_query_, *resolving_);
    read.columns = ColumnsUsed(*pushdown_query_, *resolving_);
  }
  if (input.streaming && (definitions_ != nullptr || stream_ != nullptr)) {
    // A stream reads the rows whose incremental column passed the last batch's largest
    // value, up to the largest value when the batch was planned.
    auto max = JdbcIncrementalMax(input.options);
    if (!max.ok()) return failed(max.status());
    if (stream_ != nullptr) {
      auto planned = stream_->offsets.sources.find(key);
      if (planned == stream_->offsets.sources.end()) {
        const auto& committed = stream_->checkpoint->committed_sources();
        auto last = committed.find(key);
        SourceOffset offset;
        if (last != committed.end()) offset.after = last->second.up_to;
        offset.up_to = *max ? *max : offset.after;
        if (offset.up_to != offset.after) stream_->new_data = true;
        planned = stream_->offsets.sources.emplace(key, std::move(offset)).first;
      }
      read.incremental = true;
      read.after = planned->second.after;
      read.up_to = planned->second.up_to;
      if (read.up_to == read.after) read.up_to.reset();  // nothing new
    }
  }
  const std::string table = context_.connection->UniqueName("__sluice_jdbc_rows_");
  Status status = ReadJdbcSource(*context_.connection, input.options, table, read);
  if (!status.ok()) return failed(status);
  tables_.push_back(table);
  return MakeView(context_.connection->UniqueName("__sluice_jdbc_"),
                  "SELECT * FROM " + QuoteIdentifier(table));
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
    if (input.kind == sql::ReferenceKind::kJdbc) {
      // A database's tables have no version to compare: read again every update.
      out += input.path + " read at " + std::to_string(context.clock->NowMicros()) + "\n";
      continue;
    }
    if (input.kind == sql::ReferenceKind::kKafka) {
      // What the topics hold now: their partitions and where each ends.
      SLUICE_ASSIGN_OR_RETURN(auto resolved, ResolveSecretOptions(input.options));
      SLUICE_ASSIGN_OR_RETURN(sources::KafkaOptions options,
                              sources::ParseKafkaOptions(resolved, input.streaming));
      SLUICE_ASSIGN_OR_RETURN(auto client, sources::KafkaClient::Connect(options));
      SLUICE_ASSIGN_OR_RETURN(auto partitions, client->Partitions());
      SLUICE_ASSIGN_OR_RETURN(auto marks, client->Watermarks(partitions));
      out += input.path + "\n";
      for (const auto& [partition, mark] : marks) {
        out += "  " + partition.ToString() + ":" + std::to_string(mark.low) + "-" +
               std::to_string(mark.high) + "\n";
      }
      continue;
    }
    if (input.kind == sql::ReferenceKind::kReadFiles) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ingest::InputFile> listing,
                              ListSourceFiles(*context.fs, input.path));
      out += "files " + input.path + "\n";
      for (const ingest::InputFile& file : listing) {
        out += "  " + file.path + ":" + std::to_string(file.size) + ":" +
               std::to_string(file.modification_time_ms) + "\n";
      }
      continue;
    }
    const std::string root = dataset != nullptr ? dataset->storage_path : input.path;
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
