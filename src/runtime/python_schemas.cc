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
  reduced.push_back(std::move(described));
  SLUICE_ASSIGN_OR_RETURN(graph::Graph graph, graph::BuildGraph(std::move(reduced), settings_));

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
