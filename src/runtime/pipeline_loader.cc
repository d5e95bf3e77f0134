#include "runtime/pipeline_loader.h"

#include <regex>
#include <set>

#include "common/strings.h"
#include "engine/engine.h"
#include "quality/expectations.h"
#include "runtime/auto_cdc.h"
#include "runtime/flow_runner.h"
#include "runtime/inputs.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"
#include "sql/spark_compat.h"
#include "sql/substitution.h"

namespace sluice::runtime {

namespace {

// `SET key = value;` at the start of a line: a configuration value for what follows.
const std::regex& SetStatementPattern() {
  static const std::regex pattern(R"((^|\n)[ \t]*SET[ \t]+([A-Za-z0-9_.]+)[ \t]*=[ \t]*([^;\n]*))",
                                  std::regex::icase);
  return pattern;
}

std::string Unquote(std::string value) {
  value = Trim(value);
  if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// ${key} substitution in which a SET statement changes the value of its key for the text
// after it (Databricks: definitions after a SET see its value). The text is cut after each
// SET; every piece is substituted with the values in effect there, led by as many newlines
// as precede it so that errors keep their line numbers.
Result<std::string> Substitute(const std::string& text, const std::string& file,
                               std::map<std::string, std::string> values) {
  std::string out;
  size_t position = 0;
  int lines_before = 0;
  auto piece = [&](size_t end) -> Status {
    const std::string lead(static_cast<size_t>(lines_before), '\n');
    SLUICE_ASSIGN_OR_RETURN(
        std::string substituted,
        sql::SubstituteVariables(lead + text.substr(position, end - position), file, values));
    out += substituted.substr(lead.size());
    for (size_t i = position; i < end; ++i) lines_before += text[i] == '\n' ? 1 : 0;
    position = end;
    return Status::OK();
  };
  for (auto it = std::sregex_iterator(text.begin(), text.end(), SetStatementPattern());
       it != std::sregex_iterator(); ++it) {
    SLUICE_RETURN_IF_ERROR(piece(static_cast<size_t>(it->position(0) + it->length(0))));
    values[(*it)[2].str()] = Unquote((*it)[3].str());
  }
  SLUICE_RETURN_IF_ERROR(piece(text.size()));
  return out;
}

}  // namespace

Result<LoadedPipeline> LoadPipeline(io::FileSystem& fs, const spec::PipelineSettings& settings) {
  LoadedPipeline loaded;
  SLUICE_ASSIGN_OR_RETURN(loaded.sources, spec::ListSourceFiles(fs, settings));
  if (loaded.sources.empty()) {
    return InvalidArgument(settings.settings_file +
                           ": the pipeline has no SQL source files (check `libraries`)");
  }
  std::vector<sql::Script> scripts;
  for (const std::string& file : loaded.sources) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
    SLUICE_ASSIGN_OR_RETURN(std::string substituted,
                            Substitute(text, file, settings.configuration));
    SLUICE_ASSIGN_OR_RETURN(sql::Script script, sql::ParseScript(substituted, file));
    scripts.push_back(std::move(script));
  }
  SLUICE_ASSIGN_OR_RETURN(loaded.graph, graph::BuildGraph(std::move(scripts), settings));
  return loaded;
}

namespace {

Status BindError(const sql::SourceLocation& at, const std::string& what, const Status& cause) {
  return InvalidArgument(sql::FormatDiagnostic(at, what + ": " + cause.message()));
}

}  // namespace

Status CheckQuerySyntax(const RuntimeEnv& env) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  auto check = [&](const sql::Query& query, const std::string& what) -> Status {
    std::string text;
    size_t position = 0;
    for (size_t i = 0; i < query.references.size(); ++i) {
      const sql::Reference& reference = query.references[i];
      text += query.text.substr(position, reference.begin - position) + "__sluice_ref_" +
              std::to_string(i) + "__";
      position = reference.end;
    }
    text += query.text.substr(position);
    auto translated = sql::TranslateSparkSql(text);
    if (!translated.ok()) {
      return InvalidArgument(
          sql::FormatDiagnostic(query.location, what + ": " + translated.status().message()));
    }
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult parsed,
        connection->Query("SELECT j->>'error_message' FROM (SELECT json_serialize_sql(" +
                          QuoteLiteral(*translated) +
                          ")::JSON AS j) WHERE (j->>'error') = 'true'"));
    if (parsed.row_count() == 0) return Status::OK();
    return InvalidArgument(
        sql::FormatDiagnostic(query.location, what + ": " + parsed.at(0, 0).ToString()));
  };
  for (const graph::Flow& flow : env.graph->flows()) {
    SLUICE_RETURN_IF_ERROR(check(flow.query, "the query of flow '" + flow.name + "'"));
  }
  for (const graph::Dataset& dataset : env.graph->datasets()) {
    if (!dataset.is_table() && dataset.definition.query) {
      SLUICE_RETURN_IF_ERROR(
          check(*dataset.definition.query, "the query of view '" + dataset.name() + "'"));
    }
  }
  return Status::OK();
}

Status BindQueries(const RuntimeEnv& env) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};
  const graph::Graph& graph = *env.graph;
  std::map<std::string, std::vector<std::string>> flow_sql;  // target -> bound flow queries
  std::set<std::string> unbound;                             // datasets without a schema
  std::vector<std::unique_ptr<InputRenderer>> renderers;
  std::map<std::string, std::string> defined;  // dataset -> view standing for it

  for (const graph::Flow& flow : graph.flows()) {
    bool blocked = false;
    for (const graph::Input& input : flow.inputs) {
      if (input.kind == sql::ReferenceKind::kDataset && unbound.count(input.dataset))
        blocked = true;
    }
    const graph::Dataset& target = *graph.FindDataset(flow.target);
    if (!blocked) {
      auto renderer = std::make_unique<InputRenderer>(context, graph, *env.settings, nullptr);
      renderer->UseDefinitions(&defined);
      renderer->UseStoredSchemas(CheckpointDir(*env.settings, flow.name));
      auto rendered = renderer->Render(flow.query, flow.inputs);
      if (!rendered.ok()) {
        if (rendered.status().code() != StatusCode::kNotFound) {
          return BindError(flow.location, "flow '" + flow.name + "'", rendered.status());
        }
        blocked = true;
      } else {
        auto described = connection->Query("DESCRIBE " + *rendered);
        if (!described.ok()) {
          return BindError(flow.query.location, "flow '" + flow.name + "'", described.status());
        }
        std::string bound = *rendered;
        if (flow.cdc) {
          // Readers of an AUTO CDC target see its columns, not the change feed's.
          SLUICE_ASSIGN_OR_RETURN(bound, CdcTargetShape(*connection, flow, *rendered));
        }
        flow_sql[target.name()].push_back(bound);
        renderers.push_back(std::move(renderer));
      }
    }
    if (blocked) unbound.insert(target.name());
    // The target's stand-in view is made once all of its flows are bound.
    const auto& bound = flow_sql[target.name()];
    if (unbound.count(target.name()) || bound.size() != target.flows.size()) continue;
    std::string sql = "(" + Join(bound, ") UNION ALL BY NAME (") + ")";
    const std::string view = "__sluice_def_" + std::to_string(defined.size());
    Status made = connection->Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(view) +
                                      " AS SELECT * FROM (" + sql + ")");
    if (!made.ok()) return BindError(target.definition.location, "'" + target.name() + "'", made);
    defined[target.name()] = view;
    std::vector<quality::Rule> rules;
    for (const sql::Expectation& expectation : target.definition.expectations) {
      SLUICE_ASSIGN_OR_RETURN(std::string condition, TranslateCondition(expectation.condition));
      rules.push_back(quality::Rule{expectation.name, condition, quality::Action::kWarn});
      Status valid = quality::ValidateRules(*connection, "SELECT * FROM " + QuoteIdentifier(view),
                                            {rules.back()});
      if (!valid.ok()) {
        return BindError(expectation.location, "expectation '" + expectation.name + "'", valid);
      }
    }
  }
  return Status::OK();
}

}  // namespace sluice::runtime
