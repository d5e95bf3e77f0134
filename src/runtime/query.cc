#include "runtime/query.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/time_format.h"
#include "delta/history.h"
#include "delta/scan.h"
#include "eventlog/event_log.h"
#include "runtime/cloud_files_state.h"
#include "runtime/inputs.h"
#include "runtime/spark_sql.h"
#include "runtime/stateful_stream.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"

namespace sluice::runtime {
namespace {

// Resolves what `sluice query` reads: pipeline tables (with time travel), views (their
// query over the tables' latest snapshots), the event log, Delta and file paths, and
// cloud_files_state(...) and checkpoint_offsets(...).
class QueryResolver : public spark::RelationResolver {
 public:
  QueryResolver(const RuntimeEnv& env, delta::DeltaContext& context, const sql::Query& query)
      : env_(env),
        context_(context),
        query_(query),
        views_(context, *env.graph, *env.settings, nullptr) {}
  ~QueryResolver() override { Release(); }

  void Release() {
    for (const delta::ScanPlan& plan : scans_) (void)delta::ReleaseScan(*context_.connection, plan);
    scans_.clear();
    (void)views_.Release();
  }

  Result<spark::BoundRelation> Resolve(const spark::Relation& relation) override {
    if (relation.kind == spark::RelationKind::kFunction &&
        EqualsIgnoreCase(relation.name.back(), "cloud_files_state")) {
      SLUICE_ASSIGN_OR_RETURN(std::string sql, CloudFilesStateRelation(env_, relation));
      return DescribeRelation(*context_.connection, sql);
    }
    if (relation.kind == spark::RelationKind::kFunction &&
        EqualsIgnoreCase(relation.name.back(), "checkpoint_offsets")) {
      SLUICE_ASSIGN_OR_RETURN(std::string sql, CheckpointOffsetsRelation(env_, relation));
      return DescribeRelation(*context_.connection, sql);
    }
    if (relation.reference < 0 ||
        static_cast<size_t>(relation.reference) >= query_.references.size()) {
      return Internal("unresolved reference");
    }
    const sql::Reference& reference = query_.references[relation.reference];
    const graph::Dataset* dataset = reference.kind == sql::ReferenceKind::kDataset
                                        ? env_.graph->FindDataset(reference.name)
                                        : nullptr;
    std::string root;
    if (dataset != nullptr && dataset->is_table()) {
      root = dataset->storage_path;
    } else if (reference.kind == sql::ReferenceKind::kDeltaPath) {
      root = graph::ResolveSourcePath(*env_.settings, reference.name);
    } else if (reference.kind == sql::ReferenceKind::kDataset &&
               EqualsIgnoreCase(reference.name, "event_log") && dataset == nullptr) {
      root = env_.settings->event_log_dir();
    } else if (reference.kind == sql::ReferenceKind::kDataset && dataset == nullptr &&
               reference.qualifier.empty() && IsLateRowsTable(reference.name)) {
      root = env_.settings->TablePath(reference.name);
    }
    if (!root.empty()) {
      SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation table, TableAt(relation, reference, root));
      if (root == env_.settings->event_log_dir()) return EventLogView(std::move(table));
      return table;
    }
    if (dataset == nullptr || !reference.qualifier.empty()) {
      if (auto external = graph::CatalogTableInput(*env_.settings, reference)) {
        if (external->kind == sql::ReferenceKind::kDeltaPath) {
          return TableAt(relation, reference, external->path);
        }
        return views_.Relation(*external, reference);
      }
    }
    if (dataset != nullptr || reference.kind == sql::ReferenceKind::kReadFiles ||
        reference.kind == sql::ReferenceKind::kKafka ||
        reference.kind == sql::ReferenceKind::kJdbc) {
      graph::Input input;
      input.kind = reference.kind;
      if (dataset != nullptr) input.dataset = dataset->name();
      if (reference.kind != sql::ReferenceKind::kDataset) input.path = reference.name;
      if (reference.kind == sql::ReferenceKind::kKafka ||
          reference.kind == sql::ReferenceKind::kJdbc) {
        input.options = reference.options;
      }
      return views_.Relation(input, reference);
    }
    std::vector<std::string> names{"event_log"};
    for (const graph::Dataset& candidate : env_.graph->datasets())
      names.push_back(candidate.name());
    const std::string written =
        reference.qualifier.empty() ? reference.name : reference.qualifier + "." + reference.name;
    std::string message = "unknown dataset '" + written + "'";
    const std::string nearest = sql::NearestName(reference.name, names);
    if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
    return InvalidArgument(sql::FormatDiagnostic(reference.location, message));
  }

 private:
  // A table that receives the late rows of a stateful flow (pipelines.lateRows.table).
  bool IsLateRowsTable(const std::string& name) const {
    for (const graph::Flow& flow : env_.graph->flows()) {
      const graph::Dataset* target = env_.graph->FindDataset(flow.target);
      if (target == nullptr) continue;
      auto late = LateRowsTable(*target, flow.conf, *env_.settings);
      if (late && EqualsIgnoreCase(*late, name)) return true;
    }
    return false;
  }

  Result<spark::BoundRelation> TableAt(const spark::Relation& relation,
                                       const sql::Reference& reference, const std::string& root) {
    std::optional<int64_t> version;
    if (relation.version_as_of) {
      const spark::Expr& at = *relation.version_as_of;
      if (at.kind != spark::ExprKind::kLiteral || !at.literal.type.IsIntegral()) {
        return InvalidArgument(
            sql::FormatDiagnostic(reference.location, "VERSION AS OF needs a version number"));
      }
      version = ParseInt64(at.literal.text);
    }
    if (relation.timestamp_as_of) {
      const spark::Expr& at = *relation.timestamp_as_of;
      const bool text =
          at.kind == spark::ExprKind::kLiteral && (at.literal.type.is(spark::TypeId::kString) ||
                                                   at.literal.type.is(spark::TypeId::kTimestamp) ||
                                                   at.literal.type.is(spark::TypeId::kDate));
      const std::optional<int64_t> millis =
          text ? ParseTimestampMillis(at.literal.text) : std::nullopt;
      if (!millis) {
        return InvalidArgument(sql::FormatDiagnostic(
            reference.location, "TIMESTAMP AS OF needs a timestamp such as '2024-01-01 12:00:00'"));
      }
      SLUICE_ASSIGN_OR_RETURN(version, delta::VersionAtTimestamp(*env_.fs, root, *millis));
    }
    auto snapshot = delta::LoadSnapshot(context_, root, version);
    if (!snapshot.ok()) {
      if (snapshot.status().code() == StatusCode::kNotFound &&
          !env_.fs->Exists(root + "/_delta_log")) {
        return NotFound("'" + reference.name + "' has no data yet (run an update first)");
      }
      return snapshot.status();
    }
    SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(context_, **snapshot));
    const std::string sql = "(" + plan.sql + ")";
    scans_.push_back(std::move(plan));
    return DescribeRelation(*context_.connection, sql);
  }

  // The event log as Databricks' event_log() shows it: origin, sequence and error are
  // structs (stored as JSON text), details stays JSON text for the `:` path operator.
  Result<spark::BoundRelation> EventLogView(spark::BoundRelation table) {
    static const std::map<std::string, std::string> kStructs = {
        {"origin",
         R"({"pipeline_id":"VARCHAR","pipeline_name":"VARCHAR","update_id":"VARCHAR","dataset_name":"VARCHAR","flow_id":"VARCHAR","flow_name":"VARCHAR","batch_id":"BIGINT"})"},
        {"sequence",
         R"({"data_plane_id":{"instance":"VARCHAR","seq_no":"BIGINT"},"control_plane_seq_no":"BIGINT"})"},
        {"error",
         R"({"exceptions":[{"class_name":"VARCHAR","message":"VARCHAR"}],"fatal":"BOOLEAN"})"}};
    std::vector<std::string> items;
    for (const spark::Column& column : table.columns) {
      auto it = kStructs.find(column.name);
      if (it == kStructs.end()) {
        items.push_back(QuoteIdentifier(column.name));
      } else {
        items.push_back("from_json(" + QuoteIdentifier(column.name) + ", " +
                        QuoteLiteral(it->second) + ") AS " + QuoteIdentifier(column.name));
      }
    }
    return DescribeRelation(*context_.connection,
                            "(SELECT " + Join(items, ", ") + " FROM " + table.sql + ")");
  }

  const RuntimeEnv& env_;
  delta::DeltaContext& context_;
  const sql::Query& query_;
  InputRenderer views_;
  std::vector<delta::ScanPlan> scans_;
};

// DESCRIBE [TABLE] name: the text after the keywords, or nullopt for another statement.
std::optional<std::string> DescribedName(const std::string& sql) {
  std::string rest = Trim(sql);
  while (!rest.empty() && rest.back() == ';') rest = Trim(rest.substr(0, rest.size() - 1));
  auto word = [&](std::string_view keyword) {
    if (rest.size() > keyword.size() && EqualsIgnoreCase(rest.substr(0, keyword.size()), keyword) &&
        std::isspace(static_cast<unsigned char>(rest[keyword.size()]))) {
      rest = Trim(rest.substr(keyword.size()));
      return true;
    }
    return false;
  };
  if (!word("DESCRIBE") && !word("DESC")) return std::nullopt;
  word("TABLE");
  return rest;
}

}  // namespace

struct PipelineQuery::Resolver {
  sql::Query query;
  std::unique_ptr<QueryResolver> resolver;
};

PipelineQuery::~PipelineQuery() {
  if (resolver_ && resolver_->resolver) resolver_->resolver->Release();
}

Result<std::unique_ptr<PipelineQuery>> PipelineQuery::Translate(const RuntimeEnv& env,
                                                                delta::DeltaContext& context,
                                                                const std::string& sql,
                                                                const std::string& file) {
  std::unique_ptr<PipelineQuery> out(new PipelineQuery());
  out->resolver_ = std::make_unique<Resolver>();
  SLUICE_ASSIGN_OR_RETURN(out->resolver_->query, sql::ParseStandaloneQuery(sql, file));
  out->resolver_->resolver = std::make_unique<QueryResolver>(env, context, out->resolver_->query);
  SLUICE_ASSIGN_OR_RETURN(
      spark::Translation translated,
      spark::TranslateQuery(*out->resolver_->query.parsed, *out->resolver_->resolver,
                            SparkOptions(*env.settings, {})));
  out->sql_ = std::move(translated.sql);
  out->columns_ = std::move(translated.columns);
  return out;
}

Result<std::vector<spark::Column>> UpdateSchemas::Describe(
    const std::string& query, bool /*streaming*/,
    const std::vector<std::pair<std::string, std::string>>& /*python_sources*/) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env_.database->Connect());
  delta::DeltaContext context{env_.fs, connection.get(), env_.clock};
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<PipelineQuery> translated,
                          PipelineQuery::Translate(env_, context, query, "query"));
  return translated->columns();
}

Status UpdateSchemas::FunctionDefined(const std::shared_ptr<python::PythonUdf>& /*udf*/) {
  return NotSupported(
      "a UDF defined inside a snapshot function; define it at the top of the pipeline file");
}

Result<engine::QueryResult> QueryPipeline(const RuntimeEnv& env, const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};
  const std::optional<std::string> described = DescribedName(sql);
  SLUICE_ASSIGN_OR_RETURN(
      sql::Query query,
      sql::ParseStandaloneQuery(described ? "SELECT * FROM " + *described : sql, "query"));
  QueryResolver resolver(env, context, query);
  spark::TranslateOptions options = SparkOptions(*env.settings, {});
  options.table_functions.push_back("cloud_files_state");
  options.table_functions.push_back("checkpoint_offsets");
  SLUICE_RETURN_IF_ERROR(UseSessionTimeZone(*connection, options));
  auto translated = spark::TranslateQuery(*query.parsed, resolver, options);
  if (!translated.ok()) return translated.status();
  if (described) {
    // Spark's DESCRIBE: a row per column with its name, type and comment.
    std::vector<std::vector<engine::Value>> rows;
    for (const spark::Column& column : translated->columns) {
      rows.push_back({engine::Value::Text(column.name),
                      engine::Value::Text(column.type.SimpleString()), engine::Value::Null()});
    }
    return engine::QueryResult({"col_name", "data_type", "comment"},
                               {"VARCHAR", "VARCHAR", "VARCHAR"}, std::move(rows));
  }
  // Timestamps print as Spark prints them (in the session time zone, without an offset).
  std::vector<std::string> renamed, items;
  for (size_t i = 0; i < translated->columns.size(); ++i) {
    const std::string column = "\"c" + std::to_string(i) + "\"";
    renamed.push_back(column);
    const spark::DataType& type = translated->columns[i].type;
    const bool timestamp = type.is(spark::TypeId::kTimestamp);
    items.push_back((timestamp ? "spark_timestamp_to_string(" + column + ")" : column) + " AS " +
                    QuoteIdentifier(translated->columns[i].name));
  }
  auto result = connection->Query("SELECT " + Join(items, ", ") + " FROM (" + translated->sql +
                                      ") AS __query(" + Join(renamed, ", ") + ")",
                                  true);
  resolver.Release();
  return result;
}

}  // namespace sluice::runtime

namespace sluice::runtime {

Result<engine::QueryResult> ReadEvents(const RuntimeEnv& env, const EventFilter& filter) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};
  SLUICE_ASSIGN_OR_RETURN(eventlog::EventLogScan scan,
                          eventlog::PlanEventLogScan(context, env.settings->event_log_dir()));
  const std::string log = "(" + scan.plan.sql + ")";
  std::string sql =
      "SELECT timestamp, event_type, level, message, details, error, origin, id FROM " + log;
  std::vector<std::string> where;
  if (filter.update == "latest") {
    where.push_back("(origin->>'$.update_id') = (SELECT origin->>'$.update_id' FROM " + log +
                    " WHERE event_type = 'create_update' ORDER BY timestamp DESC, "
                    "(sequence->>'$.control_plane_seq_no')::BIGINT DESC LIMIT 1)");
  } else if (!filter.update.empty()) {
    where.push_back("(origin->>'$.update_id') = " + QuoteLiteral(filter.update));
  }
  if (!filter.type.empty()) where.push_back("event_type = " + QuoteLiteral(filter.type));
  if (!where.empty()) sql += " WHERE " + Join(where, " AND ");
  sql += " ORDER BY timestamp, (sequence->>'$.data_plane_id.seq_no')::BIGINT";
  if (filter.limit) sql += " LIMIT " + std::to_string(*filter.limit);
  auto result = connection->Query(sql);
  (void)eventlog::ReleaseEventLogScan(*connection, scan);
  return result;
}

Result<std::map<std::string, std::string>> LastUpdateConfiguration(
    io::FileSystem& fs, engine::Database& database, const spec::PipelineSettings& settings) {
  std::map<std::string, std::string> out;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, database.Connect());
  delta::DeltaContext context{&fs, connection.get(), Clock::Real()};
  auto scan = eventlog::PlanEventLogScan(context, settings.event_log_dir());
  if (!scan.ok()) {
    if (scan.status().code() == StatusCode::kNotFound) return out;
    return scan.status();
  }
  auto result = connection->Query(
      "SELECT json_extract_string(details, '$.create_update.config.configuration') FROM (" +
      scan->plan.sql +
      ") WHERE event_type = 'create_update' ORDER BY timestamp DESC, "
      "(sequence->>'$.control_plane_seq_no')::BIGINT DESC LIMIT 1");
  (void)eventlog::ReleaseEventLogScan(*connection, *scan);
  if (!result.ok()) return result.status();
  if (result->row_count() == 0 || result->at(0, 0).is_null()) return out;
  const auto json = nlohmann::json::parse(result->at(0, 0).ToString(), nullptr, false);
  if (!json.is_object()) return out;
  for (const auto& [key, value] : json.items()) {
    out[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return out;
}

}  // namespace sluice::runtime
