// Calls of catalog functions: checks (arity, where aggregates, windows and generators may
// appear), argument translation, window specifications, and the catalog itself.
#include "spark/functions.h"

#include <algorithm>

#include "common/strings.h"

namespace sluice::spark::internal {

// ---- The catalog -------------------------------------------------------------------------

void Define(FunctionMap& map, std::string_view name, FunctionKind kind, int min_args, int max_args,
            ScalarFn fn, const char* group) {
  FunctionDef def;
  def.kind = kind;
  def.min_args = min_args;
  def.max_args = max_args;
  def.scalar = std::move(fn);
  def.group = group;
  map[std::string(name)] = std::move(def);
}

void Alias(FunctionMap& map, std::string_view alias, std::string_view name) {
  map[std::string(alias)] = map.at(std::string(name));
}

const std::map<std::string, FunctionDef>& Functions() {
  static const FunctionMap* functions = [] {
    auto* map = new FunctionMap;
    AddStringFunctions(*map);
    AddRegexpFunctions(*map);
    AddMathFunctions(*map);
    AddDatetimeFunctions(*map);
    AddConditionalFunctions(*map);
    AddCollectionFunctions(*map);
    AddLambdaFunctions(*map);
    AddJsonFunctions(*map);
    AddHashFunctions(*map);
    AddAggregateFunctions(*map);
    AddWindowFunctions(*map);
    AddGeneratorFunctions(*map);
    AddMiscFunctions(*map);
    return map;
  }();
  return *functions;
}

// ---- Argument helpers --------------------------------------------------------------------

Expectation Exact(TypeId id) { return Expectation{Accepts::kExact, DataType::Of(id)}; }
Expectation Exact(DataType type) { return Expectation{Accepts::kExact, std::move(type)}; }
Expectation AnyNumeric() { return Expectation{Accepts::kNumeric, DataType::Of(TypeId::kDouble)}; }
Expectation AnyIntegral() { return Expectation{Accepts::kIntegral, DataType::Of(TypeId::kLong)}; }
Expectation AnyOf(Accepts accepts) {
  DataType type;
  switch (accepts) {
    case Accepts::kDecimal:
      type = DataType::Decimal(38, 18);
      break;
    case Accepts::kTimestamp:
      type = DataType::Of(TypeId::kTimestamp);
      break;
    case Accepts::kStringOrBinary:
      type = DataType::Of(TypeId::kString);
      break;
    case Accepts::kArray:
      type = DataType::Array(DataType::Null());
      break;
    default:
      type = DataType::Null();
  }
  return Expectation{accepts, type};
}

Status Expect(Call& call, size_t i, const Expectation& expected) {
  Typed& arg = call.args[i];
  auto target = ImplicitCastType(arg.type, expected);
  if (!target) {
    std::string wanted;
    switch (expected.accepts) {
      case Accepts::kExact:
        wanted = expected.type.Sql();
        break;
      case Accepts::kNumeric:
        wanted = "a number";
        break;
      case Accepts::kIntegral:
        wanted = "an integer";
        break;
      case Accepts::kDecimal:
        wanted = "a decimal";
        break;
      case Accepts::kTimestamp:
        wanted = "a timestamp";
        break;
      case Accepts::kArray:
        wanted = "an array";
        break;
      case Accepts::kMap:
        wanted = "a map";
        break;
      case Accepts::kStruct:
        wanted = "a struct";
        break;
      case Accepts::kStringOrBinary:
        wanted = "a string or binary";
        break;
      case Accepts::kAny:
        wanted = "a value";
        break;
    }
    return call.ArgError(i, "argument " + std::to_string(i + 1) + " of " + call.name + " must be " +
                                wanted + ", but '" + arg.name + "' is " + arg.type.Sql());
  }
  if (!target->SameType(arg.type)) {
    const std::string name = arg.name;
    const auto literal = arg.literal;
    arg = call.translator.Coerce(arg, *target);
    arg.name = name;
    // A string literal cast to a number keeps no literal; a NULL stays recognisable.
    if (literal && literal->type.is(TypeId::kNull)) arg.literal = literal;
  }
  return Status::OK();
}

Status ExpectAll(Call& call, const std::vector<Expectation>& expected) {
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (call.raw[i]->kind == ExprKind::kLambda) continue;
    const Expectation& e = expected.empty() ? Expectation{Accepts::kAny, DataType::Null()}
                                            : expected[std::min(i, expected.size() - 1)];
    SLUICE_RETURN_IF_ERROR(Expect(call, i, e));
  }
  return Status::OK();
}

std::string Fill(std::string_view pattern, const std::vector<Typed>& args) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 1] == '*' &&
        pattern[i + 2] == '}') {
      std::vector<std::string> all;
      for (const Typed& arg : args) all.push_back(arg.sql);
      out += Join(all, ", ");
      i += 2;
      continue;
    }
    if (pattern[i] == '{' && i + 1 < pattern.size() &&
        std::isdigit(static_cast<unsigned char>(pattern[i + 1]))) {
      size_t k = i + 1;
      size_t index = 0;
      while (k < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[k]))) {
        index = index * 10 + (pattern[k] - '0');
        ++k;
      }
      if (k < pattern.size() && pattern[k] == '}' && index < args.size()) {
        out += args[index].sql;
        i = k;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

ScalarFn Template(std::vector<Expectation> inputs, std::string pattern, DataType result) {
  return [inputs = std::move(inputs), pattern = std::move(pattern),
          result = std::move(result)](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, inputs));
    return call.Result(Fill(pattern, call.args), result);
  };
}

Result<DataType> CommonType(Call& call, size_t from, size_t to) {
  std::vector<DataType> types;
  for (size_t i = from; i < to; ++i) types.push_back(call.args[i].type);
  auto common = WiderCommonType(types);
  if (!common) {
    std::vector<std::string> names;
    for (const DataType& type : types) names.push_back(type.Sql());
    return call.Error("the arguments of " + call.name +
                      " have types that do not meet: " + Join(names, ", "));
  }
  for (size_t i = from; i < to; ++i) {
    if (!call.args[i].type.SameType(*common)) {
      const std::string name = call.args[i].name;
      call.args[i] = call.translator.Coerce(call.args[i], *common);
      call.args[i].name = name;
    }
  }
  return *common;
}

Result<std::string> LiteralString(Call& call, size_t i, std::string_view what) {
  const Typed& arg = call.args[i];
  if (arg.literal && arg.literal->type.is(TypeId::kString)) return arg.literal->text;
  return call.ArgError(i, std::string(what) + " of " + call.name + " must be a string literal");
}

Result<int64_t> LiteralInt(Call& call, size_t i, std::string_view what) {
  const Typed& arg = call.args[i];
  if (arg.literal && arg.literal->type.IsIntegral()) return std::stoll(arg.literal->text);
  return call.ArgError(i, std::string(what) + " of " + call.name + " must be an integer literal");
}

std::string As(const std::string& sql, const DataType& to) {
  return "CAST(" + sql + " AS " + ToDuckDbType(to) + ")";
}

// ---- Call --------------------------------------------------------------------------------

const TranslateOptions& Call::options() const { return translator.options(); }

Status Call::Error(std::string_view message) const {
  return translator.ErrorAt(node.span, message);
}

Status Call::ArgError(size_t i, std::string_view message) const {
  if (i < raw.size()) return translator.ErrorAt(raw[i]->span, message);
  return Error(message);
}

std::string Call::DefaultName() const {
  std::vector<std::string> names;
  for (const Typed& arg : args) names.push_back(arg.name);
  return name + "(" + std::string(distinct ? "DISTINCT " : "") + Join(names, ", ") + ")";
}

Typed Call::Result(std::string sql, DataType type, bool nullable) const {
  Typed out;
  out.sql = std::move(sql);
  out.type = std::move(type);
  out.nullable = nullable;
  out.name = DefaultName();
  for (const Typed& arg : args) {
    out.aggregate = out.aggregate || arg.aggregate;
    out.window = out.window || arg.window;
  }
  return out;
}

std::string Call::Aggregate(std::string_view function, const std::vector<std::string>& arguments,
                            std::string_view extra_filter, std::string_view inside) const {
  std::string sql = std::string(function) + "(" + (distinct ? "DISTINCT " : "") +
                    Join(arguments, ", ") + std::string(inside) + ")";
  std::vector<std::string> filters;
  if (!filter.empty()) filters.push_back(filter);
  if (!extra_filter.empty()) filters.push_back(std::string(extra_filter));
  if (!translator.aggregate_filter.empty()) filters.push_back(translator.aggregate_filter);
  if (!filters.empty()) sql += " FILTER (WHERE " + Join(filters, " AND ") + ")";
  // An aggregate over the rows of a group (not a window) of a SELECT being split.
  if (over.empty() && translator.partial != nullptr && translator.partial->active) {
    return translator.SplitAggregate(*this, function, sql);
  }
  return sql + over;
}

::sluice::Result<Typed> Call::Lambda(size_t i, const std::vector<DataType>& parameters) {
  std::vector<LambdaParameter> reads;
  for (const DataType& type : parameters) reads.push_back(LambdaParameter{type, ""});
  return Lambda(i, reads, LambdaArity(i));
}

size_t Call::LambdaArity(size_t i) const {
  return raw[i]->kind == ExprKind::kLambda ? raw[i]->names.size() : 0;
}

::sluice::Result<Typed> Call::Lambda(size_t i, const std::vector<LambdaParameter>& parameters,
                                     size_t arity) {
  const Expr& lambda = *raw[i];
  if (lambda.kind != ExprKind::kLambda) {
    return ArgError(i, "argument " + std::to_string(i + 1) + " of " + name +
                           " must be a lambda function such as x -> x + 1");
  }
  if (lambda.names.size() > parameters.size()) {
    return ArgError(i, "the lambda of " + name + " takes at most " +
                           std::to_string(parameters.size()) + " parameters");
  }
  std::vector<Typed> duckdb_parameters;
  std::vector<std::string> variables;
  for (size_t k = 0; k < arity; ++k) {
    Typed variable;
    variable.sql = translator.NewLambdaVariable();
    variables.push_back(variable.sql);
    duckdb_parameters.push_back(std::move(variable));
  }
  Scope inner = scope;
  for (size_t k = 0; k < lambda.names.size(); ++k) {
    Typed variable;
    const std::string& read = parameters[k].read;
    variable.sql = !read.empty()          ? Fill(read, duckdb_parameters)
                   : k < variables.size() ? variables[k]
                                          : "NULL";
    variable.type = parameters[k].type;
    variable.name = lambda.names[k];
    inner.lambda_variables.emplace_back(lambda.names[k], std::move(variable));
  }
  ExprContext context;
  context.aggregates_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(Typed body, translator.Translate(*lambda.args[0], inner, context));
  Typed out = body;
  out.sql = "lambda " + Join(variables, ", ") + ": " + body.sql;
  out.name = "lambdafunction(" + body.name + ", " + Join(lambda.names, ", ") + ")";
  out.literal.reset();
  return out;
}

// ---- Translating calls -------------------------------------------------------------------

namespace {

Result<std::string> FrameBoundSql(Translator& t, const FrameBound& bound, const Scope& scope) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return std::string("UNBOUNDED PRECEDING");
    case FrameBoundKind::kUnboundedFollowing:
      return std::string("UNBOUNDED FOLLOWING");
    case FrameBoundKind::kCurrentRow:
      return std::string("CURRENT ROW");
    default:
      break;
  }
  SLUICE_ASSIGN_OR_RETURN(Typed offset, t.Translate(*bound.offset, scope, ExprContext{}));
  return offset.sql + (bound.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING");
}

std::string FrameBoundName(const FrameBound& bound, const std::string& offset) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
    case FrameBoundKind::kCurrentRow:
      return "CURRENT ROW";
    default:
      return offset + (bound.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING");
  }
}

struct WindowText {
  std::string sql;
  std::string name;
};

Result<WindowText> WindowSql(Translator& t, const WindowSpec& written, const Scope& scope,
                             bool ranking) {
  // A named window, refined by what the OVER clause adds.
  const WindowSpec* base = nullptr;
  if (!written.base.empty()) {
    if (scope.windows != nullptr) {
      auto it = scope.windows->find(ToLower(written.base));
      if (it != scope.windows->end()) base = it->second;
    }
    if (base == nullptr) return t.ErrorAt(written.span, "unknown window '" + written.base + "'");
  }
  const auto& partition =
      base && written.partition_by.empty() ? base->partition_by : written.partition_by;
  const auto& order = base && written.order_by.empty() ? base->order_by : written.order_by;
  const auto& frame = base && !written.frame ? base->frame : written.frame;
  std::vector<std::string> parts, names;
  ExprContext context;
  context.windows_allowed = false;
  if (!partition.empty()) {
    std::vector<std::string> keys, key_names;
    for (const ExprPtr& e : partition) {
      SLUICE_ASSIGN_OR_RETURN(Typed key, t.Translate(*e, scope, context));
      keys.push_back(key.sql);
      key_names.push_back(key.name);
    }
    parts.push_back("PARTITION BY " + Join(keys, ", "));
    names.push_back("PARTITION BY " + Join(key_names, ", "));
  }
  if (!order.empty()) {
    std::vector<std::string> keys, key_names;
    for (const SortItem& item : order) {
      SLUICE_ASSIGN_OR_RETURN(Typed key, t.Translate(*item.expr, scope, context));
      const bool nulls_first = item.nulls_first.value_or(item.ascending);
      const std::string suffix = std::string(item.ascending ? " ASC" : " DESC") +
                                 (nulls_first ? " NULLS FIRST" : " NULLS LAST");
      keys.push_back(key.sql + suffix);
      key_names.push_back(key.name + suffix);
    }
    parts.push_back("ORDER BY " + Join(keys, ", "));
    names.push_back("ORDER BY " + Join(key_names, ", "));
  }
  if (frame && !ranking) {
    SLUICE_ASSIGN_OR_RETURN(std::string start, FrameBoundSql(t, frame->start, scope));
    SLUICE_ASSIGN_OR_RETURN(std::string end, FrameBoundSql(t, frame->end, scope));
    const std::string kind = frame->rows ? "ROWS" : "RANGE";
    parts.push_back(kind + " BETWEEN " + start + " AND " + end);
    names.push_back(kind + " BETWEEN " + FrameBoundName(frame->start, "") + " AND " +
                    FrameBoundName(frame->end, ""));
  } else if (ranking || order.empty()) {
    names.push_back(std::string(ranking ? "ROWS" : "ROWS") + " BETWEEN UNBOUNDED PRECEDING AND " +
                    (ranking ? "CURRENT ROW" : "UNBOUNDED FOLLOWING"));
  } else {
    names.push_back("RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW");
  }
  return WindowText{" OVER (" + Join(parts, " ") + ")", "(" + Join(names, " ") + ")"};
}

Result<Call> PrepareCall(Translator& t, const Expr& expr, const std::vector<const Expr*>& raw,
                         const Scope& scope, const ExprContext& context, const FunctionDef& def,
                         const std::string& name) {
  Call call{t, expr, scope, name, {}, raw, "", "", expr.distinct, expr.ignore_nulls};
  const int count = static_cast<int>(raw.size());
  if (count < def.min_args || (def.max_args >= 0 && count > def.max_args)) {
    std::string expected =
        def.min_args == def.max_args ? std::to_string(def.min_args)
        : def.max_args < 0           ? "at least " + std::to_string(def.min_args)
                           : std::to_string(def.min_args) + " to " + std::to_string(def.max_args);
    return t.ErrorAt(expr.span, name + " takes " + expected + " argument" +
                                    (expected == "1" ? "" : "s") + ", not " +
                                    std::to_string(count));
  }
  ExprContext arg_context = context;
  arg_context.generators_allowed = false;
  if (def.kind == FunctionKind::kAggregate && !expr.window) {
    arg_context.aggregates_allowed = false;
    arg_context.windows_allowed = false;
  }
  for (const Expr* arg : raw) {
    if (arg->kind == ExprKind::kLambda && def.takes_lambdas) {
      call.args.push_back(Typed{});
      call.args.back().name = "lambdafunction()";
      continue;
    }
    if (arg->kind == ExprKind::kStar) {
      Typed star;
      star.sql = "*";
      star.name = "*";
      call.args.push_back(star);
      continue;
    }
    const Expr* value = arg->kind == ExprKind::kNamedArg ? arg->args[0].get() : arg;
    SLUICE_ASSIGN_OR_RETURN(Typed translated, t.Translate(*value, scope, arg_context));
    if (translated.aggregate && !arg_context.aggregates_allowed) {
      return t.ErrorAt(value->span, "an aggregate function cannot be nested in another aggregate");
    }
    call.args.push_back(std::move(translated));
  }
  if (expr.filter) {
    ExprContext filter_context;
    filter_context.aggregates_allowed = false;
    filter_context.windows_allowed = false;
    SLUICE_ASSIGN_OR_RETURN(Typed filter,
                            t.Condition(*expr.filter, scope, filter_context, "FILTER"));
    call.filter = filter.sql;
  }
  return call;
}

}  // namespace

Result<Typed> TranslateCall(Translator& t, const Expr& expr, const Scope& scope,
                            const ExprContext& context) {
  const std::string name = ToLower(expr.parts.back());
  std::vector<const Expr*> raw;
  for (const ExprPtr& arg : expr.args) raw.push_back(arg.get());

  auto extension = t.options().extensions.find(name);
  if (extension != t.options().extensions.end()) {
    std::vector<Typed> args;
    std::vector<std::string> names;
    for (const Expr* arg : raw) {
      SLUICE_ASSIGN_OR_RETURN(Typed value, t.Translate(*arg, scope, context));
      names.push_back(value.name);
      args.push_back(std::move(value));
    }
    Typed out;
    out.sql = Fill(extension->second.sql, args);
    out.type = extension->second.type;
    const std::string& shown =
        extension->second.display_name.empty() ? name : extension->second.display_name;
    out.name = shown + "(" + Join(names, ", ") + ")";
    return out;
  }

  const auto& functions = Functions();
  auto it = functions.find(name);
  if (it == functions.end()) {
    std::vector<std::string> names;
    for (const auto& entry : functions) names.push_back(entry.first);
    std::string message =
        "function '" + name + "' is not a Spark built-in function that sluice supports";
    const std::string near = NearestName(name, names);
    if (!near.empty()) message += "; did you mean '" + near + "'?";
    return t.ErrorAt(expr.span, message);
  }
  const FunctionDef& def = it->second;
  if (def.kind == FunctionKind::kGenerator) {
    return t.ErrorAt(expr.span, name +
                                    " is a generator: it is allowed only alone in a select "
                                    "list or in LATERAL VIEW");
  }
  if (expr.window && def.kind == FunctionKind::kScalar) {
    return t.ErrorAt(expr.span, name +
                                    " is not an aggregate or window function; OVER is not "
                                    "allowed after it");
  }
  if (def.kind == FunctionKind::kWindow && !expr.window) {
    return t.ErrorAt(expr.span, name + " is a window function and needs OVER (...)");
  }
  if (expr.window && !context.windows_allowed) {
    return t.ErrorAt(expr.span, "window functions are not allowed here");
  }
  if (def.kind == FunctionKind::kAggregate && !expr.window && !context.aggregates_allowed) {
    return t.ErrorAt(expr.span, "aggregate function " + name + " is not allowed here");
  }
  if (!expr.within_group.empty() && !def.within_group) {
    return t.ErrorAt(expr.span, name + " does not take WITHIN GROUP (ORDER BY ...)");
  }
  if (def.kind == FunctionKind::kScalar && (expr.filter || expr.distinct)) {
    return t.ErrorAt(expr.span, std::string(expr.filter ? "FILTER" : "DISTINCT") +
                                    " is only for aggregate functions");
  }
  SLUICE_ASSIGN_OR_RETURN(Call call, PrepareCall(t, expr, raw, scope, context, def, name));
  std::string window_name;
  if (expr.window) {
    const bool ranking = def.kind == FunctionKind::kWindow && !def.framed;
    SLUICE_ASSIGN_OR_RETURN(WindowText window, WindowSql(t, *expr.window, scope, ranking));
    call.over = window.sql;
    window_name = window.name;
  }
  SLUICE_ASSIGN_OR_RETURN(Typed out, def.scalar(call));
  if (def.kind == FunctionKind::kAggregate || def.kind == FunctionKind::kWindow) {
    if (expr.window) {
      out.window = true;
      out.aggregate = false;
      for (const Typed& arg : call.args) out.aggregate = out.aggregate || arg.aggregate;
      out.name += " OVER " + window_name;
    } else {
      out.aggregate = true;
    }
  }
  return out;
}

Result<Generated> TranslateGenerator(Translator& t, const Expr& call_expr, const Scope& scope) {
  const std::string name = ToLower(call_expr.parts.back());
  auto it = Functions().find(name);
  if (it == Functions().end() || it->second.kind != FunctionKind::kGenerator) {
    return t.ErrorAt(call_expr.span, "'" + name +
                                         "' is not a generator function (explode, "
                                         "posexplode, inline, stack, json_tuple, ...)");
  }
  std::vector<const Expr*> raw;
  for (const ExprPtr& arg : call_expr.args) raw.push_back(arg.get());
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(Call call,
                          PrepareCall(t, call_expr, raw, scope, context, it->second, name));
  return it->second.generator(call);
}

Result<Generated> GenerateFromRelation(Translator& t, const Relation& relation,
                                       const Scope& scope) {
  Expr call_expr;
  call_expr.kind = ExprKind::kFunction;
  call_expr.span = relation.span;
  call_expr.parts = relation.name;
  const std::string name = ToLower(relation.name.back());
  auto it = Functions().find(name);
  std::vector<const Expr*> raw;
  for (const ExprPtr& arg : relation.args) raw.push_back(arg.get());
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(Call call,
                          PrepareCall(t, call_expr, raw, scope, context, it->second, name));
  return it->second.generator(call);
}

}  // namespace sluice::spark::internal
