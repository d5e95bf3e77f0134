#include "runtime/pipeline_loader.h"

#include <set>

#include "common/strings.h"
#include "engine/engine.h"
#include "quality/expectations.h"
#include "runtime/inputs.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"
#include "sql/spark_compat.h"
#include "sql/substitution.h"

namespace sluice::runtime {

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
                            sql::SubstituteVariables(text, file, settings.configuration));
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

Status BindQueries(const RuntimeEnv& env) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  SLUICE_RETURN_IF_ERROR(PrepareConnection(*connection));
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
        flow_sql[target.name()].push_back(*rendered);
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
