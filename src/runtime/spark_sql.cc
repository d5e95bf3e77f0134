#include "runtime/spark_sql.h"

#include "common/strings.h"
#include "python/udf.h"

namespace sluice::runtime {

bool IsNondeterministic(const std::string& query) {
  const std::string lower = ToLower(query);
  for (const char* name :
       {"current_timestamp", "current_date", "now(", "random(", "rand(", "randn(", "uuid(",
        "gen_random_uuid", "unix_timestamp()", "current_time", "localtimestamp", "curdate(",
        "shuffle(", "monotonically_increasing_id", "spark_partition_id", "input_file_"}) {
    if (lower.find(name) != std::string::npos) return true;
  }
  return false;
}

spark::TranslateOptions SparkOptions(const spec::PipelineSettings& settings,
                                     const std::map<std::string, std::string>& conf) {
  spark::TranslateOptions options;
  auto value = [&](const std::string& key) -> std::optional<std::string> {
    for (const auto* source : {&conf, &settings.configuration}) {
      for (const auto& [name, text] : *source) {
        if (EqualsIgnoreCase(name, key)) return text;
      }
    }
    return std::nullopt;
  };
  if (auto ansi = value("spark.sql.ansi.enabled"))
    options.ansi = EqualsIgnoreCase(Trim(*ansi), "true");
  if (auto zone = value("spark.sql.session.timeZone")) options.session_time_zone = Trim(*zone);
  if (auto policy = value("spark.sql.legacy.timeParserPolicy")) {
    options.time_parser_policy = ToUpper(Trim(*policy));
  }
  // Python UDFs of the pipeline (python/udf.h): sluice.udf.<sql name> = <definition>.
  for (const auto& [key, text] : conf) {
    if (!StartsWith(key, python::kUdfSettingPrefix)) continue;
    auto extension = python::UdfExtension(text);
    if (extension.ok()) {
      options.extensions[key.substr(std::string(python::kUdfSettingPrefix).size())] = *extension;
    }
  }
  return options;
}

Status UseSessionTimeZone(engine::Connection& connection, const spark::TranslateOptions& options) {
  std::string zone = options.session_time_zone;
  // Spark takes offsets as zone ids; DuckDB (ICU) names them Etc/GMT-n (signs inverted) or
  // takes them as +hh:mm in timestamps only, so offsets other than whole hours are refused.
  if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    const std::string hours = zone.substr(
        1, zone.find(':') == std::string::npos ? std::string::npos : zone.find(':') - 1);
    const bool whole = zone.find(':') == std::string::npos || EndsWith(zone, ":00");
    auto n = ParseInt64(hours);
    if (!n || !whole) {
      return InvalidArgument("spark.sql.session.timeZone = " + zone +
                             ": use a region (e.g. Europe/Paris) or a whole-hour offset");
    }
    zone =
        *n == 0 ? "UTC" : "Etc/GMT" + std::string(zone[0] == '+' ? "-" : "+") + std::to_string(*n);
  }
  if (EqualsIgnoreCase(zone, "UTC") || zone.empty()) return Status::OK();
  Status set = connection.Execute("SET TimeZone = " + QuoteLiteral(zone));
  if (!set.ok()) {
    return InvalidArgument("spark.sql.session.timeZone = " + options.session_time_zone +
                           " is not a known time zone");
  }
  return Status::OK();
}

Result<DescribedColumns> DescribeColumns(engine::Connection& connection,
                                         const std::string& relation_sql) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection.Query("DESCRIBE SELECT * FROM " + relation_sql));
  DescribedColumns columns;
  for (size_t row = 0; row < described.row_count(); ++row) {
    columns.emplace_back(described.at(row, 0).ToString(), described.at(row, 1).ToString());
  }
  return columns;
}

Result<spark::BoundRelation> RelationOfColumns(const std::string& relation_sql,
                                               const DescribedColumns& columns) {
  spark::BoundRelation relation;
  relation.sql = relation_sql;
  for (const auto& [name, type] : columns) {
    bool exact = true;
    auto spark_type = spark::FromDuckDbType(type, &exact);
    if (!spark_type.ok()) {
      return NotSupported("column '" + name + "': " + spark_type.status().message());
    }
    relation.columns.push_back(spark::Column{name, *spark_type, true});
    // Types DuckDB holds exactly as Spark's need no cast (their printed forms may differ).
    relation.source_types.push_back(exact ? spark::ToDuckDbType(*spark_type) : type);
  }
  return relation;
}

Result<spark::BoundRelation> DescribeRelation(engine::Connection& connection,
                                              const std::string& relation_sql) {
  SLUICE_ASSIGN_OR_RETURN(DescribedColumns columns, DescribeColumns(connection, relation_sql));
  return RelationOfColumns(relation_sql, columns);
}

namespace {

class FixedRelations : public spark::RelationResolver {
 public:
  explicit FixedRelations(const std::vector<spark::BoundRelation>& relations)
      : relations_(relations) {}
  Result<spark::BoundRelation> Resolve(const spark::Relation& relation) override {
    if (relation.reference < 0 || static_cast<size_t>(relation.reference) >= relations_.size()) {
      return Internal("unresolved reference " + std::to_string(relation.reference));
    }
    return relations_[relation.reference];
  }

 private:
  const std::vector<spark::BoundRelation>& relations_;
};

}  // namespace

Result<spark::Translation> TranslateWithRelations(
    const sql::Query& query, const std::vector<spark::BoundRelation>& relations,
    const spark::TranslateOptions& options) {
  if (query.parsed == nullptr) return Internal("the query was not parsed");
  FixedRelations resolver(relations);
  return spark::TranslateQuery(*query.parsed, resolver, options);
}

Result<std::string> TranslateOver(engine::Connection& connection,
                                  const spark::ParsedExpression& expression,
                                  const std::string& relation_sql,
                                  const spark::TranslateOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation relation,
                          DescribeRelation(connection, "(" + relation_sql + ")"));
  SLUICE_ASSIGN_OR_RETURN(
      spark::Translation translated,
      spark::TranslateExpression(expression, relation.columns, options, relation.source_types));
  return translated.sql;
}

}  // namespace sluice::runtime
