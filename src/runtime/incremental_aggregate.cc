#include "runtime/incremental_aggregate.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace sluice::runtime {
namespace {

using Json = nlohmann::json;

// An expression without what does not change its meaning (aliases, positions), so that
// a GROUP BY expression can be matched with a select-list item.
Json Canonical(const Json& expression) {
  if (expression.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : expression.items()) {
      if (key == "alias" || key == "query_location") continue;
      out[key] = Canonical(value);
    }
    return out;
  }
  if (expression.is_array()) {
    Json out = Json::array();
    for (const Json& item : expression) out.push_back(Canonical(item));
    return out;
  }
  return expression;
}

// Whether a subquery or a window function appears anywhere in `expression`.
bool HasSubqueryOrWindow(const Json& expression) {
  if (expression.is_object()) {
    const std::string cls = expression.value("class", "");
    if (cls == "SUBQUERY" || cls == "WINDOW") return true;
    for (const auto& [key, value] : expression.items()) {
      if (HasSubqueryOrWindow(value)) return true;
    }
  } else if (expression.is_array()) {
    for (const Json& item : expression) {
      if (HasSubqueryOrWindow(item)) return true;
    }
  }
  return false;
}

// The kind of a select-list item that is not a key, or nullopt if it is not a mergeable
// aggregate.
std::optional<AggregateKind> AggregateOf(const Json& item) {
  // A cast of an aggregate (the Spark front-end casts sum to Spark's result type) merges as
  // the aggregate: the merged value is cast to the column's type again.
  if (item.value("class", "") == "CAST" && !item.value("try_cast", false) &&
      item.contains("child")) {
    return AggregateOf(item["child"]);
  }
  // Spark's sum of decimals (TRY_CAST to DECIMAL(p + 10, s): NULL on overflow) merges as a
  // sum while p + 10 < 38: adding two sums of that type cannot overflow before ten billion
  // rows. At 38 digits an overflow is near, and the view is recomputed.
  if (item.value("class", "") == "CAST" && item.value("try_cast", false) &&
      item.contains("child") && item["cast_type"].value("id", "") == "DECIMAL" &&
      item["cast_type"]["type_info"].value("width", 38) < 38) {
    const std::optional<AggregateKind> inner = AggregateOf(item["child"]);
    if (inner == AggregateKind::kSum) return inner;
    return std::nullopt;
  }
  // So does Spark's sum of integers, which wraps around as Java's long arithmetic does.
  if (item.value("class", "") == "FUNCTION" &&
      ToLower(item.value("function_name", "")) == "spark_wrap_long_huge" &&
      item["children"].size() == 1) {
    const std::optional<AggregateKind> inner = AggregateOf(item["children"][0]);
    if (inner == AggregateKind::kSum) return inner;
    return std::nullopt;
  }
  if (item.value("class", "") != "FUNCTION") return std::nullopt;
  if (!item.value("schema", "").empty() || !item.value("catalog", "").empty()) return std::nullopt;
  if (!item["filter"].is_null() || item.value("export_state", false)) return std::nullopt;
  if (item.contains("order_bys") && !item["order_bys"]["orders"].empty()) return std::nullopt;
  const std::string name = ToLower(item.value("function_name", ""));
  const Json& children = item["children"];
  const bool distinct = item.value("distinct", false);
  if (name == "count_star" && children.empty() && !distinct) return AggregateKind::kCount;
  if (children.size() != 1 || HasSubqueryOrWindow(children)) return std::nullopt;
  if (name == "count") return distinct ? AggregateKind::kCountDistinct : AggregateKind::kCount;
  if (distinct) return std::nullopt;
  if (name == "sum") return AggregateKind::kSum;
  if (name == "min") return AggregateKind::kMin;
  if (name == "max") return AggregateKind::kMax;
  return std::nullopt;
}

// The index of the select-list item a GROUP BY expression names: an ordinal, an output
// alias, or the same expression.
std::optional<size_t> KeyItem(const Json& group, const Json& select_list) {
  if (group.value("class", "") == "CONSTANT" && group["value"]["value"].is_number_integer()) {
    const int64_t ordinal = group["value"]["value"].get<int64_t>();
    if (ordinal >= 1 && static_cast<size_t>(ordinal) <= select_list.size()) {
      return static_cast<size_t>(ordinal - 1);
    }
    return std::nullopt;
  }
  const Json canonical = Canonical(group);
  for (size_t i = 0; i < select_list.size(); ++i) {
    if (Canonical(select_list[i]) == canonical) return i;
  }
  if (group.value("class", "") == "COLUMN_REF" && group["column_names"].size() == 1) {
    const std::string name = group["column_names"][0].get<std::string>();
    for (size_t i = 0; i < select_list.size(); ++i) {
      if (EqualsIgnoreCase(select_list[i].value("alias", ""), name)) return i;
    }
  }
  return std::nullopt;
}

Json IntegerConstant(int64_t value) {
  return Json{{"class", "CONSTANT"},
              {"type", "VALUE_CONSTANT"},
              {"alias", ""},
              {"query_location", 0},
              {"value",
               {{"type", {{"id", "INTEGER"}, {"type_info", nullptr}}},
                {"is_null", false},
                {"value", value}}}};
}

// The query of distinct (keys..., __sluice_value) pairs for the count(DISTINCT x) item at
// `column`: the same FROM and WHERE, grouped by the keys and x.
Result<std::string> DistinctPairsSql(engine::Connection& connection, const Json& statement,
                                     const std::vector<size_t>& keys, size_t column,
                                     const std::vector<std::string>& names) {
  Json pairs = statement;
  Json& node = pairs["node"];
  const Json original = node["select_list"];
  Json select_list = Json::array();
  Json group_expressions = Json::array();
  Json group_set = Json::array();
  for (size_t i = 0; i < keys.size(); ++i) {
    Json item = original[keys[i]];
    item["alias"] = names[keys[i]];
    select_list.push_back(std::move(item));
  }
  Json value = original[column]["children"][0];
  value["alias"] = "__sluice_value";
  select_list.push_back(std::move(value));
  for (size_t i = 0; i < select_list.size(); ++i) {
    group_expressions.push_back(IntegerConstant(static_cast<int64_t>(i + 1)));
    group_set.push_back(i);
  }
  node["select_list"] = std::move(select_list);
  node["group_expressions"] = std::move(group_expressions);
  node["group_sets"] = Json::array({group_set});
  const Json document{{"error", false}, {"statements", Json::array({pairs})}};
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult sql,
      connection.Query("SELECT json_deserialize_sql(" + QuoteLiteral(document.dump()) + "::JSON)"));
  if (sql.row_count() != 1 || sql.at(0, 0).is_null()) {
    return Internal("could not rebuild the distinct pairs query");
  }
  return sql.at(0, 0).ToString();
}

}  // namespace

Result<std::optional<AggregatePlan>> PlanIncrementalAggregate(
    engine::Connection& connection, const std::string& sql, const std::string& source_placeholder,
    const std::vector<std::string>& names) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult serialized,
                          connection.Query("SELECT json_serialize_sql(" + QuoteLiteral(sql) + ")"));
  if (serialized.row_count() != 1) return std::optional<AggregatePlan>();
  const Json document = Json::parse(serialized.at(0, 0).ToString(), nullptr, false);
  if (document.is_discarded() || document.value("error", true)) {
    return std::optional<AggregatePlan>();
  }
  if (!document.contains("statements") || document["statements"].size() != 1) {
    return std::optional<AggregatePlan>();
  }
  const Json& statement = document["statements"][0];
  const Json& node = statement["node"];
  const std::optional<AggregatePlan> not_incremental;
  if (node.value("type", "") != "SELECT_NODE") return not_incremental;
  if (!node["modifiers"].empty() || !node["cte_map"]["map"].empty()) return not_incremental;
  if (!node["having"].is_null() || !node["qualify"].is_null() || !node["sample"].is_null()) {
    return not_incremental;
  }
  if (node.value("aggregate_handling", "") != "STANDARD_HANDLING") return not_incremental;
  const Json& from = node["from_table"];
  if (from.value("type", "") != "BASE_TABLE" || !from["sample"].is_null() ||
      !from["at_clause"].is_null() || from.value("table_name", "") != source_placeholder ||
      !from.value("schema_name", "").empty()) {
    return not_incremental;
  }
  if (HasSubqueryOrWindow(node["where_clause"])) return not_incremental;
  const Json& select_list = node["select_list"];
  const Json& groups = node["group_expressions"];
  if (select_list.size() != names.size() || select_list.empty()) return not_incremental;
  if (!groups.empty()) {
    // One plain grouping set holding every GROUP BY expression (no ROLLUP, CUBE, sets).
    if (node["group_sets"].size() != 1 || node["group_sets"][0].size() != groups.size()) {
      return not_incremental;
    }
  }

  AggregatePlan plan;
  plan.columns.assign(select_list.size(), AggregateKind::kCount);
  std::vector<bool> is_key(select_list.size(), false);
  for (const Json& group : groups) {
    std::optional<size_t> item = KeyItem(group, select_list);
    if (!item || HasSubqueryOrWindow(group)) return not_incremental;  // a key not in the output
    is_key[*item] = true;
  }
  std::vector<size_t> keys;
  for (size_t i = 0; i < select_list.size(); ++i) {
    if (is_key[i]) {
      plan.columns[i] = AggregateKind::kKey;
      keys.push_back(i);
      continue;
    }
    std::optional<AggregateKind> kind = AggregateOf(select_list[i]);
    if (!kind) return not_incremental;
    plan.columns[i] = *kind;
  }
  for (size_t i = 0; i < select_list.size(); ++i) {
    if (plan.columns[i] != AggregateKind::kCountDistinct) continue;
    SLUICE_ASSIGN_OR_RETURN(plan.distinct_pairs_sql[i],
                            DistinctPairsSql(connection, statement, keys, i, names));
  }
  return std::optional<AggregatePlan>(std::move(plan));
}

std::vector<std::string> AggregateKeyColumns(const AggregatePlan& plan,
                                             const std::vector<std::string>& names) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < plan.columns.size(); ++i) {
    if (plan.columns[i] == AggregateKind::kKey) keys.push_back(QuoteIdentifier(names[i]));
  }
  return keys;
}

std::string MergeAggregatesSql(const AggregatePlan& plan, const std::vector<std::string>& names,
                               const std::vector<std::string>& types, const std::string& current,
                               const std::string& delta,
                               const std::map<size_t, std::string>& increments) {
  const std::vector<std::string> keys = AggregateKeyColumns(plan, names);
  auto join_on = [&](const std::string& left, const std::string& right) {
    if (keys.empty()) return std::string("TRUE");
    std::vector<std::string> equal;
    for (const std::string& key : keys) {
      equal.push_back(left + "." + key + " IS NOT DISTINCT FROM " + right + "." + key);
    }
    return Join(equal, " AND ");
  };
  std::vector<std::string> items;
  for (size_t i = 0; i < plan.columns.size(); ++i) {
    const std::string column = QuoteIdentifier(names[i]);
    const std::string o = "o." + column;
    const std::string d = "d." + column;
    std::string merged;
    switch (plan.columns[i]) {
      case AggregateKind::kKey:
        merged = "CASE WHEN o.__sluice_present THEN " + o + " ELSE " + d + " END";
        break;
      case AggregateKind::kCount:
        merged = "coalesce(" + o + ", 0) + coalesce(" + d + ", 0)";
        break;
      case AggregateKind::kSum:
        merged = "CASE WHEN " + o + " IS NULL THEN " + d + " WHEN " + d + " IS NULL THEN " + o +
                 " ELSE " + o + " + " + d + " END";
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax: {
        const std::string better = plan.columns[i] == AggregateKind::kMin ? " < " : " > ";
        merged = "CASE WHEN " + o + " IS NULL THEN " + d + " WHEN " + d + " IS NULL THEN " + o +
                 " WHEN " + d + better + o + " THEN " + d + " ELSE " + o + " END";
        break;
      }
      case AggregateKind::kCountDistinct:
        merged =
            "coalesce(" + o + ", 0) + coalesce(i" + std::to_string(i) + ".__sluice_increment, 0)";
        break;
    }
    items.push_back("CAST(" + merged + " AS " + types[i] + ") AS " + column);
  }
  std::string sql = "SELECT " + Join(items, ", ") +
                    " FROM (SELECT *, TRUE AS __sluice_present FROM " + current +
                    ") o FULL OUTER JOIN (" + delta + ") d ON " + join_on("o", "d");
  for (const auto& [index, relation] : increments) {
    // The merged key: the current row's when there is one, else the new row's.
    std::vector<std::string> equal;
    for (const std::string& key : keys) {
      const std::string alias = "i" + std::to_string(index);
      equal.push_back("(CASE WHEN o.__sluice_present THEN o." + key + " ELSE d." + key +
                      " END) IS NOT DISTINCT FROM " + alias + "." + key);
    }
    sql += " LEFT JOIN (" + relation + ") i" + std::to_string(index) + " ON " +
           (equal.empty() ? std::string("TRUE") : Join(equal, " AND "));
  }
  return sql;
}

}  // namespace sluice::runtime
