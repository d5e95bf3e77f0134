#include "runtime/query.h"

#include <cctype>

#include "common/strings.h"
#include "common/time_format.h"
#include "delta/history.h"
#include "delta/scan.h"
#include "eventlog/event_log.h"
#include "runtime/cloud_files_state.h"
#include "runtime/inputs.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"
#include "sql/spark_compat.h"

namespace sluice::runtime {
namespace {

// Skips spaces from `at`; then, if `text` continues with `word` (case-insensitive, as a
// whole word), moves past it.
bool ConsumeWord(const std::string& text, size_t& at, std::string_view word) {
  size_t i = at;
  while (i < text.size() && isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (text.size() - i < word.size() || !EqualsIgnoreCase(text.substr(i, word.size()), word)) {
    return false;
  }
  const size_t end = i + word.size();
  if (end < text.size() && (isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
    return false;
  }
  at = end;
  return true;
}

struct TimeTravel {
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  size_t end = 0;  // where the clause ends in the text
};

// `VERSION AS OF n` or `TIMESTAMP AS OF 'ts'` at `at`, if present.
std::optional<TimeTravel> ParseTimeTravel(const std::string& text, size_t at) {
  TimeTravel travel;
  size_t i = at;
  const bool by_version = ConsumeWord(text, i, "VERSION");
  if (!by_version && !ConsumeWord(text, i, "TIMESTAMP")) return std::nullopt;
  if (!ConsumeWord(text, i, "AS") || !ConsumeWord(text, i, "OF")) return std::nullopt;
  while (i < text.size() && isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (by_version) {
    size_t start = i;
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) ++i;
    auto number = ParseInt64(text.substr(start, i - start));
    if (!number) return std::nullopt;
    travel.version = number;
  } else {
    if (i >= text.size() || text[i] != '\'') return std::nullopt;
    size_t close = text.find('\'', i + 1);
    if (close == std::string::npos) return std::nullopt;
    travel.timestamp = text.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  travel.end = i;
  return travel;
}

}  // namespace

Result<engine::QueryResult> QueryPipeline(const RuntimeEnv& env, const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};

  // The parser finds the references (and their places) as it does in pipeline queries.
  const std::string prefix = "CREATE MATERIALIZED VIEW __sluice_query AS\n";
  SLUICE_ASSIGN_OR_RETURN(std::string expanded, ExpandCloudFilesState(env, sql));
  SLUICE_ASSIGN_OR_RETURN(sql::Script script, sql::ParseScript(prefix + expanded, "<query>"));
  if (script.statements.size() != 1 ||
      !std::holds_alternative<sql::DatasetStatement>(script.statements[0])) {
    return InvalidArgument("query: expected one SELECT statement");
  }
  const sql::Query& query = *std::get<sql::DatasetStatement>(script.statements[0]).query;

  std::string text;
  size_t position = 0;
  std::vector<std::pair<std::string, std::string>> replacements;  // placeholder -> relation
  std::vector<delta::ScanPlan> scans;
  auto release = [&] {
    for (const delta::ScanPlan& plan : scans) (void)delta::ReleaseScan(*connection, plan);
  };
  InputRenderer views(context, *env.graph, *env.settings, nullptr);
  for (size_t i = 0; i < query.references.size(); ++i) {
    const sql::Reference& reference = query.references[i];
    size_t end = reference.end;
    std::optional<TimeTravel> travel = ParseTimeTravel(query.text, end);
    if (travel) end = travel->end;
    std::string relation;
    const graph::Dataset* dataset = reference.kind == sql::ReferenceKind::kDataset
                                        ? env.graph->FindDataset(reference.name)
                                        : nullptr;
    std::string root;
    if (dataset != nullptr && dataset->is_table()) {
      root = env.settings->TablePath(dataset->name());
    } else if (reference.kind == sql::ReferenceKind::kDeltaPath) {
      root = reference.name;
    } else if (reference.kind == sql::ReferenceKind::kDataset &&
               EqualsIgnoreCase(reference.name, "event_log") && dataset == nullptr) {
      root = env.settings->event_log_dir();
    }
    if (!root.empty()) {
      std::optional<int64_t> version;
      if (travel && travel->version) version = travel->version;
      if (travel && travel->timestamp) {
        const std::optional<int64_t> millis = ParseTimestampMillis(*travel->timestamp);
        if (!millis) {
          release();
          return InvalidArgument("TIMESTAMP AS OF '" + *travel->timestamp +
                                 "': not a timestamp (use 'YYYY-MM-DD HH:MM:SS')");
        }
        SLUICE_ASSIGN_OR_RETURN(version, delta::VersionAtTimestamp(*env.fs, root, *millis));
      }
      auto snapshot = delta::LoadSnapshot(context, root, version);
      if (!snapshot.ok()) {
        release();
        if (snapshot.status().code() == StatusCode::kNotFound &&
            !env.fs->Exists(root + "/_delta_log")) {
          return NotFound("'" + reference.name + "' has no data yet (run an update first)");
        }
        return snapshot.status();
      }
      auto plan = delta::PlanScan(context, **snapshot);
      if (!plan.ok()) {
        release();
        return plan.status();
      }
      relation = "(" + plan->sql + ") AS " + QuoteIdentifier(reference.name);
      scans.push_back(std::move(*plan));
    } else if (dataset != nullptr) {
      // A view: its query over the tables' latest snapshots.
      std::vector<graph::Input> inputs{graph::Input{sql::ReferenceKind::kDataset, dataset->name()}};
      sql::Query single;
      single.text = dataset->name();
      sql::Reference whole;
      whole.name = dataset->name();
      whole.begin = 0;
      whole.end = single.text.size();
      single.references.push_back(whole);
      auto rendered = views.Render(single, inputs);
      if (!rendered.ok()) {
        release();
        return rendered.status();
      }
      relation = *rendered;
    } else {
      release();
      std::vector<std::string> names{"event_log"};
      for (const graph::Dataset& candidate : env.graph->datasets())
        names.push_back(candidate.name());
      std::string message = "query: unknown dataset '" + reference.name + "'";
      const std::string nearest = sql::NearestName(reference.name, names);
      if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
      return InvalidArgument(message);
    }
    const std::string placeholder = "__sluice_ref_" + std::to_string(i) + "__";
    text += query.text.substr(position, reference.begin - position) + placeholder;
    replacements.emplace_back(placeholder, relation);
    position = end;
  }
  text += query.text.substr(position);
  auto translated = sql::TranslateSparkSql(text);
  if (!translated.ok()) {
    release();
    return translated.status();
  }
  for (const auto& [placeholder, relation] : replacements) {
    translated->replace(translated->find(placeholder), placeholder.size(), relation);
  }
  auto result = connection->Query(*translated, true);
  release();
  return result;
}

}  // namespace sluice::runtime
