#include "runtime/pipeline_loader.h"

#include <regex>
#include <set>

#include "common/strings.h"
#include "engine/engine.h"
#include "quality/expectations.h"
#include "runtime/auto_cdc.h"
#include "runtime/flow_runner.h"
#include "runtime/inputs.h"
#include "runtime/spark_sql.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"
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

// An error binding `what`, located at `at` unless the cause already names its own place
// in a source (file:line:col: ...): then `what` goes after that place, so that the
// message shows one source line and caret.
Status BindError(const sql::SourceLocation& at, const std::string& what, const Status& cause) {
  const std::string& message = cause.message();
  const std::string prefix = at.file + ":";
  if (!at.file.empty() && StartsWith(message, prefix)) {
    // file:line:col: text -> file:line:col: what: text
    size_t colons = prefix.size();
    for (int part = 0; part < 2 && colons != std::string::npos; ++part) {
      colons = message.find(':', colons);
      if (colons != std::string::npos) ++colons;
    }
    if (colons != std::string::npos && colons < message.size() && message[colons] == ' ') {
      return InvalidArgument(message.substr(0, colons + 1) + what + ": " +
                             message.substr(colons + 1));
    }
  }
  return InvalidArgument(sql::FormatDiagnostic(at, what + ": " + message));
}

}  // namespace

Status BindQueries(const RuntimeEnv& env, bool skip_input_errors) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};
  const graph::Graph& graph = *env.graph;
  std::map<std::string, std::vector<std::string>> flow_views;  // target -> its flows' views
  std::set<std::string> unbound;                               // datasets without a schema
  std::vector<std::unique_ptr<InputRenderer>> renderers;
  std::map<std::string, DefinedDataset> defined;
  // Each statement binds every view below it, so analysis makes one view per flow and
  // describes each definition once, when its first reader asks.
  int views_made = 0;
  auto make_view = [&](const std::string& sql) -> Result<std::string> {
    const std::string view = "__sluice_def_" + std::to_string(views_made++);
    SLUICE_RETURN_IF_ERROR(
        connection->Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(view) + " AS " + sql));
    return view;
  };

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
      auto rendered = renderer->Render(flow.query, flow.inputs, flow.conf);
      if (!rendered.ok()) {
        // What the inputs hold (files that cannot be read, schemas that grow) is the flows'
        // business when they run; analysis is about the definitions.
        if (skip_input_errors && renderer->input_failed()) {
          blocked = true;
        } else if (rendered.status().code() != StatusCode::kNotFound) {
          return BindError(flow.location, "flow '" + flow.name + "'", rendered.status());
        }
        blocked = true;
      } else {
        std::string bound = *rendered;
        if (flow.cdc) {
          // Readers of an AUTO CDC target see its columns, not the change feed's.
          SLUICE_ASSIGN_OR_RETURN(bound,
                                  CdcTargetShape(*connection, flow, *env.settings, *rendered));
        }
        renderers.push_back(std::move(renderer));
        auto view = make_view(bound);
        if (!view.ok()) {
          return BindError(flow.query.location, "flow '" + flow.name + "'", view.status());
        }
        flow_views[target.name()].push_back(*view);
      }
    }
    if (blocked) unbound.insert(target.name());
    // The target's definition is known once all of its flows are bound.
    const auto& views = flow_views[target.name()];
    if (unbound.count(target.name()) || views.size() != target.flows.size()) continue;
    std::string view = views.front();
    if (views.size() > 1) {
      std::vector<std::string> selects;
      for (const std::string& name : views)
        selects.push_back("SELECT * FROM " + QuoteIdentifier(name));
      auto made = make_view(Join(selects, " UNION ALL BY NAME "));
      if (!made.ok()) {
        return BindError(target.definition.location, "'" + target.name() + "'", made.status());
      }
      view = *made;
    }
    DefinedDataset& definition = defined[target.name()];
    definition.view = view;
    if (target.definition.expectations.empty()) continue;
    SLUICE_ASSIGN_OR_RETURN(definition.relation,
                            DescribeRelation(*connection, QuoteIdentifier(view)));
    const std::string rows = "SELECT * FROM " + QuoteIdentifier(view);
    for (const sql::Expectation& expectation : target.definition.expectations) {
      auto condition = spark::TranslateExpression(*expectation.parsed, definition.relation->columns,
                                                  SparkOptions(*env.settings, target.conf),
                                                  definition.relation->source_types);
      if (!condition.ok()) {
        return BindError(expectation.location, "expectation '" + expectation.name + "'",
                         condition.status());
      }
      Status valid = quality::ValidateRules(
          *connection, rows,
          {quality::Rule{expectation.name, condition->sql, quality::Action::kWarn}});
      if (!valid.ok()) {
        return BindError(expectation.location, "expectation '" + expectation.name + "'", valid);
      }
    }
  }
  return Status::OK();
}

}  // namespace sluice::runtime
