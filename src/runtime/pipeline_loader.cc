#include "runtime/pipeline_loader.h"

#include <optional>
#include <regex>
#include <set>

#include "common/strings.h"
#include "engine/engine.h"
#include "quality/expectations.h"
#include "runtime/analysis_memo.h"
#include "runtime/auto_cdc.h"
#include "runtime/flow_runner.h"
#include "runtime/inputs.h"
#include "runtime/python_schemas.h"
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

Result<LoadedPipeline> LoadPipeline(io::FileSystem& fs, const spec::PipelineSettings& settings,
                                    engine::Database* database) {
  LoadedPipeline loaded;
  SLUICE_ASSIGN_OR_RETURN(loaded.sources, spec::ListSourceFiles(fs, settings));
  if (loaded.sources.empty()) {
    return InvalidArgument(settings.settings_file +
                           ": the pipeline has no source files (check `libraries`)");
  }
  std::vector<sql::Script> scripts;
  std::vector<std::string> python_files;
  std::vector<std::string> secrets;
  for (const std::string& file : loaded.sources) {
    if (EndsWith(file, ".py")) {
      python_files.push_back(file);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
    SLUICE_ASSIGN_OR_RETURN(std::string substituted,
                            Substitute(text, file, settings.configuration));
    SLUICE_ASSIGN_OR_RETURN(sql::Script script, sql::ParseScript(substituted, file));
    scripts.push_back(std::move(script));
  }
  if (!python_files.empty()) {
    // Python files run after the SQL files are parsed, so that they can ask for the
    // schemas of datasets defined in SQL.
    PipelineSchemas schemas(fs, settings, scripts, database);
    SLUICE_ASSIGN_OR_RETURN(
        python::PythonRun run,
        python::RunPipelineFiles(python_files, settings.configuration, settings.root_dir, schemas));
    for (python::GeneratedSource& source : run.sources) {
      SLUICE_ASSIGN_OR_RETURN(sql::Script script, sql::ParseScript(source.text, source.file));
      scripts.push_back(std::move(script));
      // Printed SQL shows no secret either.
      loaded.compiled.emplace_back(source.file, RedactSecrets(std::move(source.text), run.secrets));
    }
    loaded.warnings = std::move(run.warnings);
    loaded.udfs = std::move(run.udfs);
    loaded.snapshot_functions = std::move(run.snapshot_functions);
    secrets = run.secrets;
    if (database != nullptr) {
      for (const auto& udf : loaded.udfs) {
        SLUICE_RETURN_IF_ERROR(python::PythonUdf::Register(udf, *database));
      }
    }
  }
  SLUICE_ASSIGN_OR_RETURN(loaded.graph, graph::BuildGraph(std::move(scripts), settings));
  for (std::string& secret : secrets) loaded.graph.AddSecret(std::move(secret));
  for (const graph::Flow& flow : loaded.graph.flows()) {
    if (!flow.cdc || flow.cdc->snapshot_function.empty()) continue;
    if (loaded.snapshot_functions.count(ToLower(flow.name)) == 0) {
      return InvalidArgument(sql::FormatDiagnostic(
          flow.query.location,
          "FROM SNAPSHOT FUNCTION is the source of a Python create_auto_cdc_from_snapshot_flow "
          "with a function; in SQL, name the table or view that holds the snapshot"));
    }
  }
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

// Analysis views: every flow's query (and a target's union of several) gets a view name.
// A statement binds every view below it, so a view is made only when a statement needs it:
// to bind what the memo does not know, or to describe it for a reader.
class LazyViews {
 public:
  explicit LazyViews(engine::Connection& connection) : connection_(connection) {}

  // A name for a view of `sql`, which reads `inputs` (those that are views named here are
  // made before it).
  std::string Add(std::string sql, const std::vector<spark::BoundRelation>& inputs) {
    const std::string name = "__sluice_def_" + std::to_string(views_.size());
    Pending& view = views_[name];
    view.sql = std::move(sql);
    view.reads = NamedIn(inputs);
    return name;
  }

  // Makes the view `name` and, first, those it reads.
  Status Make(const std::string& name) {
    Pending& view = views_.at(name);
    if (view.made) return Status::OK();
    for (const std::string& read : view.reads) SLUICE_RETURN_IF_ERROR(Make(read));
    SLUICE_RETURN_IF_ERROR(connection_.Execute("CREATE OR REPLACE TEMP VIEW " +
                                               QuoteIdentifier(name) + " AS " + view.sql));
    view.made = true;
    return Status::OK();
  }

  // Makes the views among `inputs`, for a statement over them.
  Status MakeAll(const std::vector<spark::BoundRelation>& inputs) {
    for (const std::string& name : NamedIn(inputs)) SLUICE_RETURN_IF_ERROR(Make(name));
    return Status::OK();
  }

 private:
  struct Pending {
    std::string sql;
    std::vector<std::string> reads;
    bool made = false;
  };

  std::vector<std::string> NamedIn(const std::vector<spark::BoundRelation>& inputs) const {
    std::vector<std::string> names;
    for (const spark::BoundRelation& input : inputs) {
      for (const auto& [name, view] : views_) {
        if (input.sql == QuoteIdentifier(name)) names.push_back(name);
      }
    }
    return names;
  }

  engine::Connection& connection_;
  std::map<std::string, Pending> views_;
};

Status BindQueries(const RuntimeEnv& env, bool skip_input_errors) {
  BindOptions options;
  options.skip_input_errors = skip_input_errors;
  // An update keeps what it found for the next one (validation only reads).
  options.save_memo = skip_input_errors;
  return BindQueries(env, options);
}

Status BindQueries(const RuntimeEnv& env, const BindOptions& options) {
  const bool skip_input_errors = options.skip_input_errors;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, env.database->Connect());
  delta::DeltaContext context{env.fs, connection.get(), env.clock};
  const graph::Graph& graph = *env.graph;
  AnalysisMemo memo = AnalysisMemo::Load(*env.fs, env.settings->storage + "/system/analysis.json");
  std::map<std::string, std::vector<std::string>> flow_views;  // target -> its flows' views
  std::set<std::string> unbound;                               // datasets without a schema
  std::vector<std::unique_ptr<InputRenderer>> renderers;
  std::map<std::string, DefinedDataset> defined;

  LazyViews views(*connection);

  for (const graph::Flow& flow : graph.flows()) {
    // A snapshot function's rows are known only when it is called, as the flow runs.
    bool blocked = flow.cdc && !flow.cdc->snapshot_function.empty();
    if (blocked && options.unbound) {
      (*options.unbound)[flow.target] =
          "its snapshots come from a Python function, called when the update runs";
    }
    for (const graph::Input& input : flow.inputs) {
      if (input.kind == sql::ReferenceKind::kDataset && unbound.count(input.dataset))
        blocked = true;
    }
    const graph::Dataset& target = *graph.FindDataset(flow.target);
    std::optional<spark::BoundRelation> flow_relation;
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
        if (options.unbound) (*options.unbound)[target.name()] = rendered.status().message();
      } else {
        const std::vector<spark::BoundRelation> inputs = renderer->resolved();
        std::string bound = *rendered;
        // A view read by a target of several flows or by AUTO CDC is always bound.
        const bool memoized = !flow.cdc && target.flows.size() == 1;
        if (flow.cdc) {
          SLUICE_RETURN_IF_ERROR(views.MakeAll(inputs));
          // Readers of an AUTO CDC target see its columns, not the change feed's.
          SLUICE_ASSIGN_OR_RETURN(bound,
                                  CdcTargetShape(*connection, flow, *env.settings, *rendered));
        }
        renderers.push_back(std::move(renderer));
        const std::string view = views.Add(bound, inputs);
        const std::string key = memoized ? AnalysisMemo::Key(bound, inputs) : "";
        if (const DescribedColumns* columns = memoized ? memo.Find(key) : nullptr) {
          SLUICE_ASSIGN_OR_RETURN(flow_relation,
                                  RelationOfColumns(QuoteIdentifier(view), *columns));
        } else {
          Status made = views.Make(view);
          if (!made.ok()) return BindError(flow.query.location, "flow '" + flow.name + "'", made);
          if (memoized) {
            SLUICE_ASSIGN_OR_RETURN(DescribedColumns described,
                                    DescribeColumns(*connection, QuoteIdentifier(view)));
            SLUICE_ASSIGN_OR_RETURN(flow_relation,
                                    RelationOfColumns(QuoteIdentifier(view), described));
            memo.Remember(key, std::move(described));
          }
        }
        flow_views[target.name()].push_back(view);
      }
    }
    if (blocked) {
      if (options.unbound && !options.unbound->count(target.name())) {
        (*options.unbound)[target.name()] = "it reads a dataset that cannot be bound yet";
      }
      unbound.insert(target.name());
    }
    // The target's definition is known once all of its flows are bound.
    const auto& bound_views = flow_views[target.name()];
    if (unbound.count(target.name()) || bound_views.size() != target.flows.size()) continue;
    std::string view = bound_views.front();
    if (bound_views.size() > 1) {
      std::vector<std::string> selects;
      std::vector<spark::BoundRelation> parts;
      for (const std::string& name : bound_views) {
        selects.push_back("SELECT * FROM " + QuoteIdentifier(name));
        parts.push_back(spark::BoundRelation{QuoteIdentifier(name), {}, {}});
      }
      view = views.Add(Join(selects, " UNION ALL BY NAME "), parts);
      Status made = views.Make(view);
      if (!made.ok()) return BindError(target.definition.location, "'" + target.name() + "'", made);
    }
    DefinedDataset& definition = defined[target.name()];
    definition.view = view;
    definition.relation = flow_relation;
    definition.make_view = [&views, view]() { return views.Make(view); };
    if (options.relations) {
      if (!definition.relation) {
        SLUICE_RETURN_IF_ERROR(views.Make(view));
        SLUICE_ASSIGN_OR_RETURN(definition.relation,
                                DescribeRelation(*connection, QuoteIdentifier(view)));
      }
      (*options.relations)[target.name()] = *definition.relation;
    }
    if (target.definition.expectations.empty() || !options.check_expectations) continue;
    if (!definition.relation) {
      SLUICE_RETURN_IF_ERROR(views.Make(view));
      SLUICE_ASSIGN_OR_RETURN(definition.relation,
                              DescribeRelation(*connection, QuoteIdentifier(view)));
    }
    const std::string rows = "SELECT * FROM " + QuoteIdentifier(view);
    for (const sql::Expectation& expectation : target.definition.expectations) {
      auto condition = spark::TranslateExpression(*expectation.parsed, definition.relation->columns,
                                                  SparkOptions(*env.settings, target.conf),
                                                  definition.relation->source_types);
      if (!condition.ok()) {
        return BindError(expectation.location, "expectation '" + expectation.name + "'",
                         condition.status());
      }
      const std::string key =
          AnalysisMemo::Key("expectation " + condition->sql, {*definition.relation});
      if (memo.Find(key) != nullptr) continue;
      Status valid = views.Make(view);
      if (valid.ok()) {
        valid = quality::ValidateRules(
            *connection, rows,
            {quality::Rule{expectation.name, condition->sql, quality::Action::kWarn}});
      }
      if (!valid.ok()) {
        return BindError(expectation.location, "expectation '" + expectation.name + "'", valid);
      }
      memo.Remember(key, {});
    }
  }
  if (options.save_memo) (void)memo.Save();
  return Status::OK();
}

}  // namespace sluice::runtime
