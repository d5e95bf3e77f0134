// Generators: explode, explode_outer, posexplode, posexplode_outer, inline, inline_outer,
// stack, json_tuple. Each produces rows by a SELECT that runs as a LATERAL subquery of its
// input.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "generator_funcs";

void DefineGenerator(FunctionMap& map, const char* name, int min_args, int max_args,
                     std::function<Result<Generated>(Call&)> fn) {
  FunctionDef def;
  def.kind = FunctionKind::kGenerator;
  def.min_args = min_args;
  def.max_args = max_args;
  def.generator = std::move(fn);
  def.group = kGroup;
  map[name] = std::move(def);
}

Generated Rows(std::string select, std::vector<Column> columns, bool outer) {
  Generated out;
  // An outer generator makes one row of NULLs from no rows by itself, so that it also does
  // without an input relation (SELECT explode_outer(...), FROM explode_outer(...)).
  out.select_sql = outer ? "SELECT __g.* FROM (SELECT 1) AS __one LEFT JOIN LATERAL (" + select +
                               ") AS __g ON TRUE"
                         : std::move(select);
  for (const Column& column : columns) out.sql_names.push_back(column.name);
  out.columns = std::move(columns);
  out.outer = outer;
  return out;
}

Result<Generated> Explode(Call& call, bool outer, bool positions) {
  const Typed& x = call.args[0];
  const std::string count = "CAST(" +
                            std::string(x.type.is(TypeId::kMap) ? "cardinality(" : "len(") + x.sql +
                            ") AS BIGINT)";
  const std::string pos = "CAST(unnest(range(" + count + ")) AS INTEGER) AS \"pos\", ";
  std::vector<Column> columns;
  if (positions) columns.push_back(Column{"pos", DataType::Of(TypeId::kInt), false});
  if (x.type.is(TypeId::kArray)) {
    columns.push_back(Column{"col", *x.type.element, true});
    return Rows("SELECT " + std::string(positions ? pos : "") + "unnest(" + x.sql + ") AS \"col\"",
                columns, outer);
  }
  if (x.type.is(TypeId::kMap)) {
    columns.push_back(Column{"key", *x.type.key, false});
    columns.push_back(Column{"value", *x.type.value, true});
    return Rows("SELECT " + std::string(positions ? pos : "") + "unnest(map_keys(" + x.sql +
                    ")) AS \"key\", unnest(map_values(" + x.sql + ")) AS \"value\"",
                columns, outer);
  }
  if (x.type.is(TypeId::kNull)) {
    columns.push_back(Column{"col", DataType::Null(), true});
    return Rows("SELECT " + std::string(positions ? pos : "") +
                    "unnest(CAST(NULL AS INTEGER[])) AS \"col\"",
                columns, outer);
  }
  return call.ArgError(
      0, call.name + " needs an array or a map, but '" + x.name + "' is " + x.type.Sql());
}

Result<Generated> Inline(Call& call, bool outer) {
  const Typed& x = call.args[0];
  if (!x.type.is(TypeId::kArray) || !x.type.element->is(TypeId::kStruct)) {
    return call.ArgError(
        0, call.name + " needs an array of structs, but '" + x.name + "' is " + x.type.Sql());
  }
  std::vector<Column> columns;
  std::vector<std::string> items;
  for (const StructField& field : x.type.element->fields) {
    columns.push_back(Column{field.name, *field.type, true});
    items.push_back("struct_extract(__inline.s, " + QuoteLiteral(field.name) + ") AS " +
                    QuoteIdentifier(field.name));
  }
  return Rows(
      "SELECT " + Join(items, ", ") + " FROM (SELECT unnest(" + x.sql + ") AS s) AS __inline",
      columns, outer);
}

Result<Generated> Stack(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(int64_t rows, LiteralInt(call, 0, "the number of rows"));
  if (rows < 1) return call.ArgError(0, "stack needs at least one row");
  const size_t values = call.args.size() - 1;
  const size_t width = (values + rows - 1) / rows;
  std::vector<Column> columns;
  std::vector<std::string> items;
  for (size_t c = 0; c < width; ++c) {
    std::vector<DataType> types;
    for (int64_t r = 0; r < rows; ++r) {
      const size_t i = 1 + r * width + c;
      if (i < call.args.size()) types.push_back(call.args[i].type);
    }
    auto common = WiderCommonType(types);
    if (!common)
      return call.Error("stack: the values of column " + std::to_string(c) + " do not meet");
    std::vector<std::string> cells;
    for (int64_t r = 0; r < rows; ++r) {
      const size_t i = 1 + r * width + c;
      cells.push_back(i < call.args.size() ? call.translator.Coerce(call.args[i], *common).sql
                                           : "CAST(NULL AS " + ToDuckDbType(*common) + ")");
    }
    const std::string name = "col" + std::to_string(c);
    columns.push_back(Column{name, *common, true});
    items.push_back("unnest(" + As("[" + Join(cells, ", ") + "]", DataType::Array(*common)) +
                    ") AS " + QuoteIdentifier(name));
  }
  return Rows("SELECT " + Join(items, ", "), columns, false);
}

// json_tuple(json, name, ...): one row of the named fields (c0, c1, ...), as strings; a
// row of NULLs when the JSON is NULL, malformed or not an object.
Result<Generated> JsonTuple(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  std::vector<Column> columns;
  std::vector<std::string> items;
  for (size_t i = 1; i < call.args.size(); ++i) {
    const std::string name = "c" + std::to_string(i - 1);
    columns.push_back(Column{name, DataType::Of(TypeId::kString), true});
    items.push_back("spark_json_tuple(" + call.args[0].sql + ", " + call.args[i].sql + ") AS " +
                    QuoteIdentifier(name));
  }
  return Rows("SELECT " + Join(items, ", "), columns, false);
}

}  // namespace

void AddGeneratorFunctions(FunctionMap& map) {
  DefineGenerator(map, "explode", 1, 1, [](Call& c) { return Explode(c, false, false); });
  DefineGenerator(map, "explode_outer", 1, 1, [](Call& c) { return Explode(c, true, false); });
  DefineGenerator(map, "posexplode", 1, 1, [](Call& c) { return Explode(c, false, true); });
  DefineGenerator(map, "posexplode_outer", 1, 1, [](Call& c) { return Explode(c, true, true); });
  DefineGenerator(map, "inline", 1, 1, [](Call& c) { return Inline(c, false); });
  DefineGenerator(map, "inline_outer", 1, 1, [](Call& c) { return Inline(c, true); });
  DefineGenerator(map, "stack", 2, -1, Stack);
  DefineGenerator(map, "json_tuple", 2, -1, JsonTuple);
}

}  // namespace sluice::spark::internal
