#include "runtime/python_schemas.h"

#include <deque>
#include <map>
#include <set>

#include "common/strings.h"
#include "graph/graph.h"
#include "runtime/flow_runner.h"
#include "runtime/pipeline_loader.h"
#include "sql/parser.h"

namespace sluice::runtime {

namespace {

// The dataset a query is described as, in a graph of the definitions it reads.
constexpr char kDescribed[] = "__sluice_describe";

// The dataset a statement defines or writes (lower case), or "" for SET.
std::string StatementDataset(const sql::Statement& statement) {
  if (const auto* dataset = std::get_if<sql::DatasetStatement>(&statement)) {
    return ToLower(dataset->name);
  }
  if (const auto* flow = std::get_if<sql::FlowStatement>(&statement)) return ToLower(flow->target);
  return "";
}

const sql::Query* StatementQuery(const sql::Statement& statement) {
  if (const auto* dataset = std::get_if<sql::DatasetStatement>(&statement)) {
    return dataset->query ? &*dataset->query : nullptr;
  }
  if (const auto* flow = std::get_if<sql::FlowStatement>(&statement)) return &flow->query;
  return nullptr;
}

// When a query's graph does not build, whether the definitions it reads are in error on
// their own (a dataset defined twice, a CDC target with a query of its own, a cycle, ...):
// NotFound then, as for a dataset not defined yet, so that the load calls the query
// function again at the end and, if the definitions are still in error, the pipeline's
// graph reports the error where the user wrote them rather than at this query. Only
// errors that more definitions cannot mend count: every dataset read must be defined
// (the rest of the pipeline may be incomplete while the files run), and a table stands in
// for the query, as a pipeline needs one. OK otherwise: the error is the query's.
Status CheckDefinitionsRead(const std::vector<sql::Script>& definitions,
                            const std::set<std::string>& needed, const std::string& first_read,
                            const spec::PipelineSettings& settings) {
  if (first_read.empty()) return Status::OK();
  std::set<std::string> defined;
  for (const sql::Script& script : definitions) {
    for (const sql::Statement& s : script.statements) {
      if (std::holds_alternative<sql::DatasetStatement>(s)) defined.insert(StatementDataset(s));
    }
  }
  for (const std::string& name : needed) {
    if (defined.count(name) == 0) return Status::OK();
  }
  std::vector<sql::Script> scripts = definitions;
  SLUICE_ASSIGN_OR_RETURN(
      sql::Script stand_in,
      sql::ParseScript(std::string("CREATE MATERIALIZED VIEW ") + kDescribed + " AS SELECT 1 AS x",
                       "<DataFrame>"));
  scripts.push_back(std::move(stand_in));
  Result<graph::Graph> graph = graph::BuildGraph(std::move(scripts), settings);
  if (graph.ok()) return Status::OK();
  return NotFound("dataset '" + first_read + "' is not defined: its definitions are in error (" +
                  graph.status().message() + ")");
}

}  // namespace

PipelineSchemas::PipelineSchemas(io::FileSystem& fs, const spec::PipelineSettings& settings,
                                 const std::vector<sql::Script>& sql_scripts,
                                 engine::Database* database)
    : fs_(fs), settings_(settings), sql_scripts_(sql_scripts), database_(database) {}

PipelineSchemas::~PipelineSchemas() = default;

Status PipelineSchemas::FunctionDefined(const std::shared_ptr<python::PythonUdf>& udf) {
  udfs_.push_back(udf);
  if (database_ != nullptr) return python::PythonUdf::Register(udf, *database_);
  return Status::OK();
}

Result<std::vector<spark::Column>> PipelineSchemas::Describe(
    const std::string& query, bool streaming,
    const std::vector<std::pair<std::string, std::string>>& python_sources) {
  std::vector<sql::Script> scripts = sql_scripts_;
  for (const auto& [file, text] : python_sources) {
    SLUICE_ASSIGN_OR_RETURN(sql::Script script, sql::ParseScript(text, file));
    scripts.push_back(std::move(script));
  }
  // The query's UDFs are known through settings (python/udf.h).
  std::string statement;
  for (const auto& udf : udfs_) {
    std::string value;
    for (char c : udf->Setting()) {
      if (c == '\\' || c == '\'') value += '\\';
      value += c;
    }
    statement +=
        "SET " + std::string(python::kUdfSettingPrefix) + udf->sql_name() + " = '" + value + "';\n";
  }
  statement += std::string(streaming ? "CREATE STREAMING TABLE " : "CREATE MATERIALIZED VIEW ") +
               kDescribed + " AS\n" + query;
  SLUICE_ASSIGN_OR_RETURN(sql::Script described, sql::ParseScript(statement, "<DataFrame>"));

  // Only the definitions the query reads, directly or not, make its graph: the rest of the
  // pipeline may still be incomplete while the files run.
  std::map<std::string, std::vector<const sql::Statement*>> writers;
  for (const sql::Script& script : scripts) {
    for (const sql::Statement& s : script.statements) {
      const std::string name = StatementDataset(s);
      if (!name.empty()) writers[name].push_back(&s);
    }
  }
  std::set<std::string> needed;
  std::string first_read;  // the first dataset of the pipeline the query reads
  std::deque<const sql::Statement*> pending = {&described.statements.back()};
  while (!pending.empty()) {
    const sql::Query* read = StatementQuery(*pending.front());
    pending.pop_front();
    if (read == nullptr) continue;
    for (const sql::Reference& reference : read->references) {
      if (reference.kind != sql::ReferenceKind::kDataset) continue;
      const std::string name = ToLower(reference.name);
      auto it = writers.find(name);
      if (it == writers.end()) {
        if (graph::CatalogTableInput(settings_, reference)) continue;
        return NotFound("dataset '" + reference.name + "' is not defined");
      }
      if (first_read.empty()) first_read = reference.name;
      if (!needed.insert(name).second) continue;
      for (const sql::Statement* s : it->second) pending.push_back(s);
    }
  }
  std::vector<sql::Script> reduced;
  for (sql::Script& script : scripts) {
    sql::Script kept;
    kept.file = script.file;
    for (sql::Statement& s : script.statements) {
      const std::string name = StatementDataset(s);
      if (name.empty() || needed.count(name)) kept.statements.push_back(std::move(s));
    }
    reduced.push_back(std::move(kept));
  }
  std::vector<sql::Script> with_query = reduced;
  with_query.push_back(std::move(described));
  Result<graph::Graph> built = graph::BuildGraph(std::move(with_query), settings_);
  if (!built.ok()) {
    SLUICE_RETURN_IF_ERROR(CheckDefinitionsRead(reduced, needed, first_read, settings_));
    return built.status();
  }
  graph::Graph graph = std::move(*built);

  if (database_ == nullptr) {
    SLUICE_ASSIGN_OR_RETURN(own_database_, engine::Database::Open());
    SLUICE_RETURN_IF_ERROR(InstallSparkCompat(*own_database_));
    database_ = own_database_.get();
    for (const auto& udf : udfs_) {
      SLUICE_RETURN_IF_ERROR(python::PythonUdf::Register(udf, *database_));
    }
  }
  RuntimeEnv env;
  env.fs = &fs_;
  env.database = database_;
  env.settings = &settings_;
  env.graph = &graph;
  std::map<std::string, spark::BoundRelation> relations;
  std::map<std::string, std::string> unbound;
  BindOptions options;
  options.skip_input_errors = true;
  options.check_expectations = false;  // the pipeline's analysis reports them, in place
  options.relations = &relations;
  options.unbound = &unbound;
  SLUICE_RETURN_IF_ERROR(BindQueries(env, options));
  auto it = relations.find(kDescribed);
  if (it == relations.end()) {
    const std::string why = unbound.count(kDescribed) ? unbound[kDescribed] : "";
    return InvalidArgument("the columns of this DataFrame are not known yet: " +
                           (why.empty() ? std::string("what it reads cannot be bound") : why) +
                           " (a file source needs files, or a schema given with .schema(...))");
  }
  return it->second.columns;
}

}  // namespace sluice::runtime
