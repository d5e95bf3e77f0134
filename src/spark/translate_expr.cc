// Expressions: names, literals, operators with Spark's coercions, CASE, CAST, IN, LIKE,
// subqueries, subscripts, struct fields and Databricks JSON paths. Function calls go to
// the catalog (functions.cc).
#include <algorithm>

#include "common/strings.h"
#include "spark/arithmetic.h"
#include "spark/coercion.h"
#include "spark/collection_internal.h"
#include "spark/interval.h"
#include "spark/regexp_sql.h"
#include "spark/text_format.h"
#include "spark/translator_internal.h"

namespace sluice::spark::internal {

std::optional<std::string> Typed::StringValue() const {
  if (literal && literal->type.is(TypeId::kString)) return literal->text;
  return std::nullopt;
}

std::optional<int64_t> Typed::IntValue() const {
  if (literal && literal->type.IsIntegral()) return ParseInt64(literal->text);
  return std::nullopt;
}

Status Translator::ErrorAt(const Span& at, std::string_view message) const {
  if (at.line == 0) return InvalidArgument(std::string(message));
  return InvalidArgument(FormatDiagnostic(source_->Locate(at), message));
}

Status Translator::UnsupportedAt(const Span& at, std::string_view message) const {
  if (at.line == 0) return NotSupported(std::string(message));
  return NotSupported(FormatDiagnostic(source_->Locate(at), message));
}

std::string Translator::NewAlias() { return "\"__r" + std::to_string(++next_alias_) + "\""; }

std::string Translator::NewLambdaVariable() { return "__v" + std::to_string(++next_variable_); }

namespace {

std::string IntervalSql(int64_t months, int64_t days, int64_t micros) {
  return "(to_months(" + std::to_string(months) + ") + to_days(" + std::to_string(days) +
         ") + to_microseconds(" + std::to_string(micros) + "))";
}

// Spark's text of an ANSI interval literal, for column names: INTERVAL '1' DAY, ...
std::string IntervalName(const Literal& literal) {
  const DataType& type = literal.type;
  if (type.is(TypeId::kYearMonthInterval)) {
    const int64_t months = literal.months;
    const std::string sign = months < 0 ? "-" : "";
    const int64_t m = std::llabs(months);
    if (type.start_field == IntervalField::kYear && type.end_field == IntervalField::kMonth) {
      return "INTERVAL '" + sign + std::to_string(m / 12) + "-" + std::to_string(m % 12) +
             "' YEAR TO MONTH";
    }
    if (type.start_field == IntervalField::kYear) {
      return "INTERVAL '" + sign + std::to_string(m / 12) + "' YEAR";
    }
    return "INTERVAL '" + sign + std::to_string(m) + "' MONTH";
  }
  if (type.is(TypeId::kDayTimeInterval)) {
    const __int128 total = static_cast<__int128>(literal.days) * kMicrosPerDay + literal.micros;
    const bool negative = total < 0;
    const __int128 t = negative ? -total : total;
    const int64_t days = static_cast<int64_t>(t / kMicrosPerDay);
    const int64_t rest = static_cast<int64_t>(t % kMicrosPerDay);
    const int64_t hours = rest / kMicrosPerHour, minutes = (rest / kMicrosPerMinute) % 60;
    const int64_t seconds = (rest / kMicrosPerSecond) % 60, fraction = rest % kMicrosPerSecond;
    auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    std::string second_text = two(seconds);
    if (fraction != 0) {
      std::string f = std::to_string(fraction);
      f = std::string(6 - f.size(), '0') + f;
      while (!f.empty() && f.back() == '0') f.pop_back();
      second_text += "." + f;
    }
    const std::string sign = negative ? "-" : "";
    static const char* kNames[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    const int start = static_cast<int>(type.start_field), end = static_cast<int>(type.end_field);
    std::string value;
    // The fields from start to end, the first one unbounded.
    const int64_t total_hours = static_cast<int64_t>(t / kMicrosPerHour);
    const int64_t total_minutes = static_cast<int64_t>(t / kMicrosPerMinute);
    const int64_t total_seconds = static_cast<int64_t>(t / kMicrosPerSecond);
    switch (start) {
      case 2:
        value = std::to_string(days);
        break;
      case 3:
        value = std::to_string(total_hours);
        break;
      case 4:
        value = std::to_string(total_minutes);
        break;
      default: {
        value = std::to_string(total_seconds);
        if (fraction != 0) value += second_text.substr(2);
      }
    }
    for (int field = start + 1; field <= end; ++field) {
      if (field == 3) value += " " + two(hours);
      if (field == 4) value += ":" + two(minutes);
      if (field == 5) value += ":" + second_text;
    }
    std::string name = "INTERVAL '" + sign + value + "' " + kNames[start];
    if (end != start) name += std::string(" TO ") + kNames[end];
    return name;
  }
  return "INTERVAL '" + literal.text + "'";
}

}  // namespace

Typed LiteralTyped(const Literal& literal) {
  Typed out;
  out.type = literal.type;
  out.literal = literal;
  out.nullable = false;
  const std::string& text = literal.text;
  switch (literal.type.id) {
    case TypeId::kNull:
      out.sql = "NULL";
      out.name = "NULL";
      out.nullable = true;
      break;
    case TypeId::kBoolean:
      out.sql = text == "true" ? "TRUE" : "FALSE";
      out.name = text;
      break;
    case TypeId::kInt:
      out.sql = "CAST(" + text + " AS INTEGER)";
      out.name = text;
      break;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kLong:
      out.sql = "CAST(" + text + " AS " + ToDuckDbType(literal.type) + ")";
      out.name = text;
      break;
    case TypeId::kDecimal:
      out.sql = "CAST('" + text + "' AS " + ToDuckDbType(literal.type) + ")";
      out.name = text;
      break;
    case TypeId::kDouble:
    case TypeId::kFloat: {
      out.sql = "CAST('" + text + "' AS " + ToDuckDbType(literal.type) + ")";
      const double value = std::strtod(text.c_str(), nullptr);
      out.name = literal.type.is(TypeId::kDouble) ? JavaDoubleString(value)
                                                  : JavaFloatString(static_cast<float>(value));
      break;
    }
    case TypeId::kString:
      out.sql = QuoteLiteral(text);
      out.name = text;
      break;
    case TypeId::kBinary:
      out.sql = "unhex('" + text + "')";
      out.name = "X'" + text + "'";
      break;
    case TypeId::kDate:
      out.sql = "DATE '" + text + "'";
      out.name = "DATE '" + text + "'";
      break;
    case TypeId::kTimestamp:
      // A wall-clock time (no zone after the time) is resolved in the session zone as Spark
      // resolves it (the earlier offset where the clock repeats).
      if (text.find(' ', 11) == std::string::npos &&
          text.find_first_of("+-", 11) == std::string::npos) {
        out.sql = "spark_local_to_instant(TIMESTAMP '" + text + "')";
      } else {
        out.sql = "CAST('" + text + "' AS TIMESTAMP WITH TIME ZONE)";
      }
      out.name = "TIMESTAMP '" + text + "'";
      break;
    case TypeId::kTimestampNtz:
      out.sql = "TIMESTAMP '" + text + "'";
      out.name = "TIMESTAMP_NTZ '" + text + "'";
      break;
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
    case TypeId::kCalendarInterval:
      out.sql = IntervalSql(literal.months, literal.days, literal.micros);
      out.name = IntervalName(literal);
      break;
    default:
      out.sql = "NULL";
      out.name = "NULL";
  }
  return out;
}

namespace {

// The literal node with normalized date and timestamp text, or an error.
Result<Literal> CheckedLiteral(const Literal& literal) {
  Literal out = literal;
  if (literal.type.is(TypeId::kDate)) {
    auto date = NormalizeDateText(literal.text);
    if (!date) return InvalidArgument("'" + literal.text + "' is not a valid DATE");
    out.text = *date;
  } else if (literal.type.is(TypeId::kTimestamp) || literal.type.is(TypeId::kTimestampNtz)) {
    bool has_zone = false;
    auto timestamp = NormalizeTimestampText(literal.text, &has_zone);
    if (!timestamp) return InvalidArgument("'" + literal.text + "' is not a valid TIMESTAMP");
    out.text = *timestamp;
    // Spark writes the literal back without trailing zero fractions.
    if (!has_zone) {
      std::string text = *timestamp;
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
      out.text = text;
    }
  }
  return out;
}

bool IsComparison(const std::string& op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=" ||
         op == "<=>";
}

Typed Boolean(std::string sql, std::string name, bool nullable) {
  Typed out;
  out.sql = std::move(sql);
  out.type = DataType::Of(TypeId::kBoolean);
  out.name = std::move(name);
  out.nullable = nullable;
  return out;
}

void Inherit(Typed& out, const Typed& a) {
  out.aggregate = out.aggregate || a.aggregate;
  out.window = out.window || a.window;
}

}  // namespace

Result<Typed> Translator::Condition(const Expr& expr, const Scope& scope,
                                    const ExprContext& context, std::string_view what) {
  SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(expr, scope, context));
  if (value.type.is(TypeId::kNull)) return Coerce(value, DataType::Of(TypeId::kBoolean));
  if (!value.type.is(TypeId::kBoolean)) {
    return ErrorAt(expr.span, std::string(what) + " must be a boolean, but '" + value.name +
                                  "' is " + value.type.Sql());
  }
  return value;
}

Result<Typed> Translator::ResolveColumn(const Expr& column, const Scope& scope) {
  const std::vector<std::string>& parts = column.parts;
  // Lambda variables come first, innermost first.
  for (const Scope* s = &scope; s != nullptr; s = s->outer) {
    for (auto it = s->lambda_variables.rbegin(); it != s->lambda_variables.rend(); ++it) {
      if (EqualsIgnoreCase(it->first, parts[0])) {
        Typed value = it->second;
        value.name = parts[0];
        for (size_t k = 1; k < parts.size(); ++k) {
          if (!value.type.is(TypeId::kStruct)) {
            return ErrorAt(column.span,
                           "'" + Join(parts, ".") + "': " + value.name + " is not a struct");
          }
          const StructField* field = value.type.FindField(parts[k]);
          if (field == nullptr) {
            return ErrorAt(column.span, "no field '" + parts[k] + "' in " + value.type.Sql());
          }
          value.sql = "struct_extract(" + value.sql + ", " + QuoteLiteral(field->name) + ")";
          value.name = field->name;
          value.type = DataType(*field->type);  // `field` points into the old type
        }
        return value;
      }
    }
  }
  // Columns: qualified matches first (longest qualifier), then by name.
  struct Match {
    const ScopeColumn* column;
    size_t consumed;  // parts used for qualifier + column
  };
  for (const Scope* s = &scope; s != nullptr; s = s->outer) {
    std::vector<Match> matches;
    for (const ScopeRelation& relation : s->relations) {
      for (const std::vector<std::string>& qualifier : relation.qualifiers) {
        if (qualifier.empty() || qualifier.size() >= parts.size()) continue;
        // The qualifier may match the last parts of a longer written name (db.t.col vs t).
        bool same = true;
        for (size_t k = 0; k < qualifier.size(); ++k) {
          if (!EqualsIgnoreCase(qualifier[k], parts[k])) same = false;
        }
        if (!same) continue;
        for (const ScopeColumn& c : relation.columns) {
          if (EqualsIgnoreCase(c.name, parts[qualifier.size()])) {
            matches.push_back({&c, qualifier.size() + 1});
          }
        }
      }
    }
    if (matches.empty()) {
      for (const ScopeRelation& relation : s->relations) {
        for (const ScopeColumn& c : relation.columns) {
          if (!c.qualified_only && EqualsIgnoreCase(c.name, parts[0])) matches.push_back({&c, 1});
        }
      }
    }
    if (matches.empty()) continue;
    // Prefer the longest qualifier.
    size_t best = 0;
    for (const Match& m : matches) best = std::max(best, m.consumed);
    std::vector<const ScopeColumn*> chosen;
    for (const Match& m : matches) {
      if (m.consumed == best && std::find(chosen.begin(), chosen.end(), m.column) == chosen.end()) {
        chosen.push_back(m.column);
      }
    }
    if (chosen.size() > 1) {
      return ErrorAt(column.span, "the column reference '" + Join(parts, ".") +
                                      "' is ambiguous; qualify it with a table name or alias");
    }
    Typed value;
    value.sql = chosen[0]->sql;
    value.type = chosen[0]->type;
    value.nullable = chosen[0]->nullable;
    value.name = chosen[0]->name;
    value.column = best == parts.size();
    for (size_t k = best; k < parts.size(); ++k) {
      if (value.type.is(TypeId::kStruct)) {
        const StructField* field = value.type.FindField(parts[k]);
        if (field == nullptr) {
          return ErrorAt(column.span, "no field '" + parts[k] + "' in '" + value.name + "' (" +
                                          value.type.Sql() + ")");
        }
        value.sql = "struct_extract(" + value.sql + ", " + QuoteLiteral(field->name) + ")";
        value.name = field->name;
        value.type = DataType(*field->type);  // `field` points into the old type
      } else if (value.type.is(TypeId::kMap) && value.type.key->is(TypeId::kString)) {
        // m.key reads a map of string keys, as Spark's ExtractValue does.
        value.sql = "(" + value.sql + ")[" + QuoteLiteral(parts[k]) + "]";
        value.type = DataType(*value.type.value);  // a copy first: it lives in the old type
        value.name = parts[k];
      } else {
        return ErrorAt(column.span, "'" + Join(parts, ".") + "': '" + value.name + "' (" +
                                        value.type.Sql() + ") has no fields");
      }
    }
    return value;
  }
  // Select-list names (ORDER BY, HAVING).
  if (scope.select_outputs != nullptr && parts.size() == 1) {
    for (const SelectOutput& output : *scope.select_outputs) {
      if (EqualsIgnoreCase(output.name, parts[0])) return output.value;
    }
  }
  std::vector<std::string> candidates;
  for (const ScopeRelation& relation : scope.relations) {
    for (const ScopeColumn& c : relation.columns) candidates.push_back(c.name);
  }
  std::string message = "unknown column '" + Join(parts, ".") + "'";
  const std::string near = NearestName(parts.back(), candidates);
  if (!near.empty()) {
    message += "; did you mean '" + near + "'?";
  } else if (!candidates.empty()) {
    std::vector<std::string> shown(candidates.begin(),
                                   candidates.begin() + std::min<size_t>(candidates.size(), 12));
    message += "; the columns here are " + Join(shown, ", ");
  }
  return ErrorAt(column.span, message);
}

Result<Typed> Translator::Translate(const Expr& expr, const Scope& scope,
                                    const ExprContext& context) {
  switch (expr.kind) {
    case ExprKind::kLiteral: {
      auto literal = CheckedLiteral(expr.literal);
      if (!literal.ok()) return ErrorAt(expr.span, literal.status().message());
      return LiteralTyped(*literal);
    }
    case ExprKind::kColumn:
      return ResolveColumn(expr, scope);
    case ExprKind::kStar:
      return ErrorAt(expr.span, "'*' is allowed only in a select list or in count(*)");
    case ExprKind::kFunction: {
      if (expr.column_first) {
        Expr column;
        column.kind = ExprKind::kColumn;
        column.span = expr.span;
        column.parts = expr.parts;
        auto resolved = ResolveColumn(column, scope);
        if (resolved.ok()) return resolved;
      }
      extern Result<Typed> TranslateCall(Translator & translator, const Expr& expr,
                                         const Scope& scope, const ExprContext& context);
      return TranslateCall(*this, expr, scope, context);
    }
    case ExprKind::kUnary: {
      SLUICE_ASSIGN_OR_RETURN(Typed operand, Translate(*expr.args[0], scope, context));
      Typed out;
      Inherit(out, operand);
      out.nullable = operand.nullable;
      if (expr.op == "NOT") {
        if (operand.type.is(TypeId::kNull))
          operand = Coerce(operand, DataType::Of(TypeId::kBoolean));
        if (!operand.type.is(TypeId::kBoolean)) {
          return ErrorAt(expr.span, "NOT needs a boolean, but '" + operand.name + "' is " +
                                        operand.type.Sql());
        }
        out.sql = "(NOT " + operand.sql + ")";
        out.type = operand.type;
        out.name = "(NOT " + operand.name + ")";
        return out;
      }
      if (operand.type.is(TypeId::kString))
        operand = Coerce(operand, DataType::Of(TypeId::kDouble));
      if (operand.type.is(TypeId::kNull)) operand = Coerce(operand, DataType::Of(TypeId::kInt));
      if (expr.op == "~") {
        if (!operand.type.IsIntegral()) {
          return ErrorAt(expr.span, "~ needs an integral number, but '" + operand.name + "' is " +
                                        operand.type.Sql());
        }
        out.sql = "(~" + operand.sql + ")";
        out.type = operand.type;
        out.name = "~" + operand.name;
        return out;
      }
      if (!operand.type.IsNumeric() && !operand.type.IsInterval()) {
        return ErrorAt(expr.span, "unary " + expr.op + " needs a number or an interval, but '" +
                                      operand.name + "' is " + operand.type.Sql());
      }
      out.type = operand.type;
      if (expr.op == "+") {
        out.sql = operand.sql;
        out.name = "(+ " + operand.name + ")";
        return out;
      }
      out.sql = NegateSql(operand, ModeOf(*this));
      out.name = "(- " + operand.name + ")";
      return out;
    }
    case ExprKind::kBinary: {
      extern Result<Typed> TranslateBinary(Translator & translator, const Expr& expr,
                                           const Scope& scope, const ExprContext& context);
      return TranslateBinary(*this, expr, scope, context);
    }
    case ExprKind::kCase: {
      std::vector<Typed> conditions, values;
      std::optional<Typed> operand;
      size_t k = 0;
      if (expr.has_operand) {
        SLUICE_ASSIGN_OR_RETURN(Typed o, Translate(*expr.args[0], scope, context));
        operand = std::move(o);
        k = 1;
      }
      const size_t pairs_end = expr.args.size() - (expr.has_else ? 1 : 0);
      std::string name = "CASE";
      if (operand) name += " " + operand->name;
      Typed out;
      for (; k + 1 < pairs_end + 1 && k < pairs_end; k += 2) {
        Typed when;
        if (operand) {
          SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[k], scope, context));
          auto common = ComparisonType(operand->type, value.type);
          if (!common) {
            return ErrorAt(expr.args[k]->span,
                           "cannot compare " + operand->type.Sql() + " with " + value.type.Sql());
          }
          when = Boolean(
              "(" + Coerce(*operand, *common).sql + " = " + Coerce(value, *common).sql + ")",
              value.name, true);
          Inherit(when, value);
        } else {
          SLUICE_ASSIGN_OR_RETURN(when,
                                  Condition(*expr.args[k], scope, context, "a WHEN condition"));
        }
        SLUICE_ASSIGN_OR_RETURN(Typed then, Translate(*expr.args[k + 1], scope, context));
        name += " WHEN " + when.name + " THEN " + then.name;
        Inherit(out, when);
        Inherit(out, then);
        conditions.push_back(std::move(when));
        values.push_back(std::move(then));
      }
      std::optional<Typed> otherwise;
      if (expr.has_else) {
        SLUICE_ASSIGN_OR_RETURN(Typed e, Translate(*expr.args.back(), scope, context));
        name += " ELSE " + e.name;
        Inherit(out, e);
        otherwise = std::move(e);
      }
      name += " END";
      std::vector<DataType> types;
      for (const Typed& v : values) types.push_back(v.type);
      if (otherwise) types.push_back(otherwise->type);
      auto common = WiderCommonType(types);
      if (!common) {
        return ErrorAt(
            expr.span, "the branches of CASE have types that do not meet: " + [&] {
              std::vector<std::string> names;
              for (const DataType& t : types) names.push_back(t.Sql());
              return Join(names, ", ");
            }());
      }
      std::string sql = "CASE";
      for (size_t i = 0; i < conditions.size(); ++i) {
        sql += " WHEN " + conditions[i].sql + " THEN " + Coerce(values[i], *common).sql;
      }
      if (otherwise) sql += " ELSE " + Coerce(*otherwise, *common).sql;
      sql += " END";
      out.sql = sql;
      out.type = *common;
      out.name = name;
      return out;
    }
    case ExprKind::kCast: {
      SLUICE_ASSIGN_OR_RETURN(Typed operand, Translate(*expr.args[0], scope, context));
      SLUICE_ASSIGN_OR_RETURN(std::string sql,
                              CastSql(operand, expr.type, expr.try_cast, expr.span));
      Typed out;
      Inherit(out, operand);
      out.sql = sql;
      out.type = expr.type;
      out.name = std::string(expr.try_cast ? "TRY_CAST(" : "CAST(") + operand.name + " AS " +
                 expr.type.Sql() + ")";
      if (operand.column) out.item_name = operand.name;
      // A cast of a literal to a string or number stays foldable for functions that need
      // literal arguments.
      if (operand.literal && (expr.type.is(TypeId::kString) || expr.type.IsIntegral()) &&
          operand.literal->type.is(expr.type.id)) {
        out.literal = operand.literal;
      }
      return out;
    }
    case ExprKind::kIn: {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[0], scope, context));
      if (expr.subquery) {
        SLUICE_ASSIGN_OR_RETURN(TranslatedQuery sub, TranslateQuery(*expr.subquery, &scope));
        if (value.type.is(TypeId::kStruct) && sub.columns.size() > 1) {
          if (value.type.fields.size() != sub.columns.size()) {
            return ErrorAt(expr.span, "IN: the subquery returns " +
                                          std::to_string(sub.columns.size()) + " columns, not " +
                                          std::to_string(value.type.fields.size()));
          }
          // (a, b) IN (SELECT x, y ...): compare the columns pairwise through EXISTS.
          std::vector<std::string> equalities;
          for (size_t i = 0; i < sub.columns.size(); ++i) {
            Typed field{"struct_extract(" + value.sql + ", " +
                            QuoteLiteral(value.type.fields[i].name) + ")",
                        *value.type.fields[i].type};
            Typed column{"__in." + QuoteIdentifier(sub.sql_names[i]), sub.columns[i].type};
            auto common = ComparisonType(field.type, column.type);
            if (!common) return ErrorAt(expr.span, "IN: the types do not compare");
            equalities.push_back("(" + Coerce(field, *common).sql + " = " +
                                 Coerce(column, *common).sql + ")");
          }
          Typed out = Boolean(std::string(expr.negated ? "NOT " : "") + "EXISTS (SELECT 1 FROM (" +
                                  sub.sql + ") AS __in WHERE " + Join(equalities, " AND ") + ")",
                              "(" + value.name + " IN (listquery()))", true);
          Inherit(out, value);
          return out;
        }
        if (sub.columns.size() != 1) {
          return ErrorAt(expr.span, "IN: the subquery must return one column, not " +
                                        std::to_string(sub.columns.size()));
        }
        auto common = ComparisonType(value.type, sub.columns[0].type);
        if (!common) common = WiderType(value.type, sub.columns[0].type);
        if (!common) {
          return ErrorAt(expr.span, "IN: " + value.type.Sql() + " does not compare with " +
                                        sub.columns[0].type.Sql());
        }
        std::string sub_sql = sub.sql;
        if (!sub.columns[0].type.SameType(*common)) {
          Typed column{"__in." + QuoteIdentifier(sub.sql_names[0]), sub.columns[0].type};
          sub_sql = "SELECT " + Coerce(column, *common).sql + " FROM (" + sub.sql + ") AS __in";
        }
        Typed out = Boolean("(" + Coerce(value, *common).sql + (expr.negated ? " NOT" : "") +
                                " IN (" + sub_sql + "))",
                            "(" + value.name + " IN (listquery()))", true);
        Inherit(out, value);
        return out;
      }
      std::vector<Typed> items;
      std::vector<DataType> types{value.type};
      for (size_t i = 1; i < expr.args.size(); ++i) {
        SLUICE_ASSIGN_OR_RETURN(Typed item, Translate(*expr.args[i], scope, context));
        types.push_back(item.type);
        items.push_back(std::move(item));
      }
      auto common = WiderCommonType(types);
      if (!common) {
        // Spark compares with each item's comparison type when there is no common one.
        return ErrorAt(expr.span, "IN: the values have types that do not meet");
      }
      std::vector<std::string> sqls, names;
      Typed out;
      Inherit(out, value);
      for (const Typed& item : items) {
        sqls.push_back(Coerce(item, *common).sql);
        names.push_back(item.name);
        Inherit(out, item);
      }
      out.sql = "(" + Coerce(value, *common).sql + (expr.negated ? " NOT" : "") + " IN (" +
                Join(sqls, ", ") + "))";
      out.type = DataType::Of(TypeId::kBoolean);
      out.name = std::string(expr.negated ? "(NOT " : "") + "(" + value.name + " IN (" +
                 Join(names, ", ") + "))" + (expr.negated ? ")" : "");
      return out;
    }
    case ExprKind::kExists: {
      SLUICE_ASSIGN_OR_RETURN(TranslatedQuery sub, TranslateQuery(*expr.subquery, &scope));
      return Boolean("EXISTS (" + sub.sql + ")", "exists(listquery())", false);
    }
    case ExprKind::kSubquery: {
      SLUICE_ASSIGN_OR_RETURN(TranslatedQuery sub, TranslateQuery(*expr.subquery, &scope));
      if (sub.columns.size() != 1) {
        return ErrorAt(expr.span, "a scalar subquery must return one column, not " +
                                      std::to_string(sub.columns.size()));
      }
      Typed out;
      out.sql = "(" + sub.sql + ")";
      out.type = sub.columns[0].type;
      out.name = "scalarsubquery()";
      return out;
    }
    case ExprKind::kLike: {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[0], scope, context));
      value = Coerce(value, DataType::Of(TypeId::kString));
      std::vector<Typed> patterns;
      for (size_t i = 1; i < expr.args.size(); ++i) {
        SLUICE_ASSIGN_OR_RETURN(Typed pattern, Translate(*expr.args[i], scope, context));
        patterns.push_back(Coerce(pattern, DataType::Of(TypeId::kString)));
      }
      std::string escape = "\\";
      if (expr.escape) {
        SLUICE_ASSIGN_OR_RETURN(Typed e, Translate(*expr.escape, scope, context));
        auto text = e.StringValue();
        if (!text || text->size() != 1) {
          return ErrorAt(expr.escape->span, "ESCAPE needs a string of one character");
        }
        escape = *text;
      }
      std::vector<std::string> tests;
      std::vector<std::string> names;
      Typed out;
      Inherit(out, value);
      for (const Typed& pattern : patterns) {
        Inherit(out, pattern);
        names.push_back(pattern.name);
        if (expr.op == "RLIKE") {
          SLUICE_ASSIGN_OR_RETURN(
              std::string test, RLikeSql(*this, value, pattern, expr.args[tests.size() + 1]->span));
          tests.push_back(test);
        } else {
          extern Result<std::string> LikeSql(Translator & translator, const Typed& value,
                                             const Typed& pattern, const std::string& escape,
                                             bool ignore_case, const Span& at);
          SLUICE_ASSIGN_OR_RETURN(std::string test, LikeSql(*this, value, pattern, escape,
                                                            expr.op == "ILIKE", expr.span));
          tests.push_back(std::move(test));
        }
      }
      std::string sql;
      if (expr.quantifier.empty()) {
        sql = tests[0];
      } else {
        sql = "(" + Join(tests, expr.quantifier == "ALL" ? " AND " : " OR ") + ")";
      }
      if (expr.negated) sql = "(NOT " + sql + ")";
      out.sql = sql;
      out.type = DataType::Of(TypeId::kBoolean);
      const std::string op = expr.op == "RLIKE" ? "RLIKE" : expr.op;
      out.name = expr.quantifier.empty() ? value.name + " " + op + " " + names[0]
                                         : value.name + " " + op + " " + expr.quantifier + " (" +
                                               Join(names, ", ") + ")";
      if (expr.negated) out.name = "(NOT " + out.name + ")";
      return out;
    }
    case ExprKind::kBetween: {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[0], scope, context));
      SLUICE_ASSIGN_OR_RETURN(Typed low, Translate(*expr.args[1], scope, context));
      SLUICE_ASSIGN_OR_RETURN(Typed high, Translate(*expr.args[2], scope, context));
      auto low_type = ComparisonType(value.type, low.type);
      auto high_type = ComparisonType(value.type, high.type);
      if (!low_type || !high_type) {
        return ErrorAt(expr.span, "BETWEEN: the bounds do not compare with " + value.type.Sql());
      }
      std::string sql = "(" + Coerce(value, *low_type).sql + " >= " + Coerce(low, *low_type).sql +
                        " AND " + Coerce(value, *high_type).sql +
                        " <= " + Coerce(high, *high_type).sql + ")";
      if (expr.negated) sql = "(NOT " + sql + ")";
      // Spark 3.5 parses BETWEEN as two comparisons, and names it so.
      std::string name = "((" + value.name + " >= " + low.name + ") AND (" + value.name +
                         " <= " + high.name + "))";
      if (expr.negated) name = "(NOT " + name + ")";
      Typed out = Boolean(sql, name, true);
      Inherit(out, value);
      Inherit(out, low);
      Inherit(out, high);
      return out;
    }
    case ExprKind::kIsNull: {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[0], scope, context));
      Typed out = Boolean("(" + value.sql + (expr.negated ? " IS NOT NULL)" : " IS NULL)"),
                          "(" + value.name + (expr.negated ? " IS NOT NULL)" : " IS NULL)"), false);
      Inherit(out, value);
      return out;
    }
    case ExprKind::kIsBool: {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[0], scope, context));
      if (value.type.is(TypeId::kNull)) value = Coerce(value, DataType::Of(TypeId::kBoolean));
      if (!value.type.is(TypeId::kBoolean)) {
        return ErrorAt(expr.span, "IS " + expr.op + " needs a boolean");
      }
      std::string test;
      if (expr.op == "TRUE") {
        test = "coalesce(" + value.sql + ", FALSE)";
      } else if (expr.op == "FALSE") {
        test = "coalesce(NOT " + value.sql + ", FALSE)";
      } else {
        test = "(" + value.sql + " IS NULL)";
      }
      if (expr.negated) test = "(NOT " + test + ")";
      Typed out = Boolean(
          test, "(" + value.name + " IS " + (expr.negated ? "NOT " : "") + expr.op + ")", false);
      Inherit(out, value);
      return out;
    }
    case ExprKind::kIsDistinct: {
      SLUICE_ASSIGN_OR_RETURN(Typed a, Translate(*expr.args[0], scope, context));
      SLUICE_ASSIGN_OR_RETURN(Typed b, Translate(*expr.args[1], scope, context));
      auto common = ComparisonType(a.type, b.type);
      if (!common)
        return ErrorAt(expr.span, "cannot compare " + a.type.Sql() + " with " + b.type.Sql());
      Typed out = Boolean("(" + Coerce(a, *common).sql +
                              (expr.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
                              Coerce(b, *common).sql + ")",
                          expr.negated ? "(" + a.name + " <=> " + b.name + ")"
                                       : "(NOT (" + a.name + " <=> " + b.name + "))",
                          false);
      Inherit(out, a);
      Inherit(out, b);
      return out;
    }
    case ExprKind::kLambda:
      return ErrorAt(expr.span,
                     "a lambda function is allowed only as an argument of a "
                     "higher-order function such as transform or filter");
    case ExprKind::kNamedArg:
      return ErrorAt(expr.span, "named argument '" + expr.name + "' is not allowed here");
    case ExprKind::kSubscript: {
      SLUICE_ASSIGN_OR_RETURN(Typed base, Translate(*expr.args[0], scope, context));
      SLUICE_ASSIGN_OR_RETURN(Typed index, Translate(*expr.args[1], scope, context));
      Typed out;
      Inherit(out, base);
      Inherit(out, index);
      out.name = base.name + "[" + index.name + "]";
      if (base.type.is(TypeId::kArray)) {
        if (index.type.is(TypeId::kString) || index.type.is(TypeId::kNull)) {
          index = Coerce(index, DataType::Of(TypeId::kInt));
        }
        if (!index.type.IsIntegral()) {
          return ErrorAt(expr.args[1]->span,
                         "an array index must be an integer, not " + index.type.Sql());
        }
        // Spark's arr[i] is 0-based; out of range (or negative) gives NULL.
        if (options_.ansi) {
          out.sql = "spark_array_at_strict(" + base.sql + ", " + index.sql + ")";
        } else {
          out.sql = "list_extract(" + base.sql + ", CASE WHEN " + index.sql + " >= 0 THEN " +
                    index.sql + " + 1 END)";
        }
        out.type = *base.type.element;
        return out;
      }
      if (base.type.is(TypeId::kMap)) {
        auto key_type = ImplicitCastType(index.type, Expectation::Of(*base.type.key));
        if (!key_type || !key_type->SameType(*base.type.key)) {
          return ErrorAt(expr.args[1]->span, "a key of " + base.type.Sql() + " must be " +
                                                 base.type.key->Sql() + ", not " +
                                                 index.type.Sql());
        }
        out.sql = "(" + base.sql + ")[" + Coerce(index, *base.type.key).sql + "]";
        out.type = *base.type.value;
        return out;
      }
      if (base.type.is(TypeId::kStruct)) {
        auto name = index.StringValue();
        const StructField* field = name ? base.type.FindField(*name) : nullptr;
        if (field == nullptr) {
          return ErrorAt(expr.args[1]->span,
                         "a struct field must be named by a string literal "
                         "that names one of its fields");
        }
        out.sql = "struct_extract(" + base.sql + ", " + QuoteLiteral(field->name) + ")";
        out.type = *field->type;
        out.name = base.name + "." + *name;  // Spark's GetStructField: `s.f`
        return out;
      }
      return ErrorAt(expr.span, "'" + base.name + "' is " + base.type.Sql() +
                                    "; only arrays, maps and structs take [ ]");
    }
    case ExprKind::kField: {
      SLUICE_ASSIGN_OR_RETURN(Typed base, Translate(*expr.args[0], scope, context));
      Typed out;
      Inherit(out, base);
      if (base.type.is(TypeId::kStruct)) {
        const StructField* field = base.type.FindField(expr.name);
        if (field == nullptr) {
          return ErrorAt(expr.span, "no field '" + expr.name + "' in " + base.type.Sql());
        }
        out.sql = "struct_extract(" + base.sql + ", " + QuoteLiteral(field->name) + ")";
        out.type = *field->type;
        out.name = field->name;
        return out;
      }
      if (base.type.is(TypeId::kArray) && base.type.element->is(TypeId::kStruct)) {
        const StructField* field = base.type.element->FindField(expr.name);
        if (field == nullptr) {
          return ErrorAt(expr.span, "no field '" + expr.name + "' in " + base.type.element->Sql());
        }
        const std::string v = NewLambdaVariable();
        out.sql = "list_transform(" + base.sql + ", lambda " + v + ": struct_extract(" + v + ", " +
                  QuoteLiteral(field->name) + "))";
        out.type = DataType::Array(*field->type);
        out.name = base.name + "." + field->name;
        return out;
      }
      if (base.type.is(TypeId::kMap) && base.type.key->is(TypeId::kString)) {
        out.sql = "(" + base.sql + ")[" + QuoteLiteral(expr.name) + "]";
        out.type = *base.type.value;
        out.name = base.name + "." + expr.name;
        return out;
      }
      return ErrorAt(expr.span, "'" + base.name + "' (" + base.type.Sql() + ") has no fields");
    }
    case ExprKind::kJsonPath: {
      SLUICE_ASSIGN_OR_RETURN(Typed base, Translate(*expr.args[0], scope, context));
      if (!base.type.is(TypeId::kString)) {
        return ErrorAt(expr.span, "the ':' JSON path operator needs a STRING of JSON, but '" +
                                      base.name + "' is " + base.type.Sql());
      }
      Typed out;
      Inherit(out, base);
      if (expr.name.find("[*]") != std::string::npos) {
        out.sql = "CAST(to_json(json_extract(" + base.sql + ", " + QuoteLiteral(expr.name) +
                  ")) AS VARCHAR)";
      } else {
        out.sql = "spark_json_path(" + base.sql + ", " + QuoteLiteral(expr.name) + ")";
      }
      out.type = DataType::Of(TypeId::kString);
      out.name = base.name + ":" + expr.name.substr(2);
      return out;
    }
    case ExprKind::kStruct: {
      // (a, b): struct(a, b), its fields named as struct(...) names them.
      std::vector<std::string> names, value_names;
      std::vector<Typed> values;
      for (size_t i = 0; i < expr.args.size(); ++i) {
        SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*expr.args[i], scope, context));
        const std::string alias = i < expr.aliases.size() ? expr.aliases[i] : "";
        names.push_back(StructFieldName(*expr.args[i], alias, i));
        value_names.push_back(value.name);
        values.push_back(std::move(value));
      }
      // Names DuckDB cannot hold (repeated, empty) fall back to positions, for (a, a) IN (...).
      auto out = StructFromFields(*this, expr.span, names, values);
      if (!out.ok()) {
        for (size_t i = 0; i < names.size(); ++i) names[i] = "col" + std::to_string(i + 1);
        out = StructFromFields(*this, expr.span, names, values);
      }
      if (!out.ok()) return out.status();
      out->name = "named_struct(" + Join(value_names, ", ") + ")";
      return *out;
    }
  }
  return ErrorAt(expr.span, "unsupported expression");
}

Result<Typed> TranslateBinary(Translator& translator, const Expr& expr, const Scope& scope,
                              const ExprContext& context) {
  SLUICE_ASSIGN_OR_RETURN(Typed a, translator.Translate(*expr.args[0], scope, context));
  SLUICE_ASSIGN_OR_RETURN(Typed b, translator.Translate(*expr.args[1], scope, context));
  const std::string& op = expr.op;
  Typed out;
  Inherit(out, a);
  Inherit(out, b);
  out.nullable = a.nullable || b.nullable;
  out.name = "(" + a.name + " " + op + " " + b.name + ")";
  // Spark parses a <> b (and a != b) as NOT (a = b), and names it so.
  if (op == "<>") out.name = "(NOT (" + a.name + " = " + b.name + "))";
  auto mismatch = [&](std::string_view what) -> Status {
    return translator.ErrorAt(expr.span, std::string(what) + ": '" + a.name + "' is " +
                                             a.type.Sql() + " and '" + b.name + "' is " +
                                             b.type.Sql());
  };
  if (op == "AND" || op == "OR") {
    for (Typed* side : {&a, &b}) {
      if (side->type.is(TypeId::kNull))
        *side = translator.Coerce(*side, DataType::Of(TypeId::kBoolean));
      if (!side->type.is(TypeId::kBoolean)) return mismatch(op + " needs booleans");
    }
    out.sql = "(" + a.sql + " " + op + " " + b.sql + ")";
    out.type = DataType::Of(TypeId::kBoolean);
    return out;
  }
  if (IsComparison(op)) {
    auto common = ComparisonType(a.type, b.type);
    if (!common) return mismatch("cannot compare");
    if (common->is(TypeId::kMap)) return mismatch("maps cannot be compared");
    const std::string l = translator.Coerce(a, *common).sql, r = translator.Coerce(b, *common).sql;
    out.type = DataType::Of(TypeId::kBoolean);
    if (op == "<=>") {
      out.sql = "(" + l + " IS NOT DISTINCT FROM " + r + ")";
      out.nullable = false;
    } else {
      out.sql = "(" + l + " " + op + " " + r + ")";
    }
    return out;
  }
  if (op == "||") {
    if (a.type.is(TypeId::kArray) || b.type.is(TypeId::kArray)) {
      auto common = WiderType(a.type, b.type);
      if (!common || !common->is(TypeId::kArray)) return mismatch("|| on arrays needs two arrays");
      out.sql = "spark_array_concat(" + translator.Coerce(a, *common).sql + ", " +
                translator.Coerce(b, *common).sql + ")";
      out.type = *common;
      out.name = "concat(" + a.name + ", " + b.name + ")";
      return out;
    }
    if (a.type.is(TypeId::kBinary) && b.type.is(TypeId::kBinary)) {
      out.sql = "CAST((" + a.sql + " || " + b.sql + ") AS BLOB)";
      out.type = a.type;
      out.name = "concat(" + a.name + ", " + b.name + ")";
      return out;
    }
    const DataType string = DataType::Of(TypeId::kString);
    out.sql = "CAST((" + translator.Coerce(a, string).sql + " || " +
              translator.Coerce(b, string).sql + ") AS VARCHAR)";
    out.type = string;
    out.name = "concat(" + a.name + ", " + b.name + ")";
    return out;
  }
  if (op == "&" || op == "|" || op == "^") {
    DataType left = a.type.is(TypeId::kNull) ? b.type : a.type;
    DataType right = b.type.is(TypeId::kNull) ? left : b.type;
    if (left.is(TypeId::kNull)) left = right = DataType::Of(TypeId::kInt);
    auto common = TightestCommonType(left, right);
    if (!common || !common->IsIntegral()) return mismatch(op + " needs integral numbers");
    const std::string l = translator.Coerce(a, *common).sql, r = translator.Coerce(b, *common).sql;
    out.sql = op == "^" ? "xor(" + l + ", " + r + ")" : "(" + l + " " + op + " " + r + ")";
    out.type = *common;
    return out;
  }
  if (op == "<<" || op == ">>" || op == ">>>") {
    const char* function = op == "<<"   ? "shiftleft"
                           : op == ">>" ? "shiftright"
                                        : "shiftrightunsigned";
    out.name = std::string(function) + "(" + a.name + ", " + b.name + ")";
    DataType left = a.type.IsIntegral() && !a.type.is(TypeId::kLong) ? DataType::Of(TypeId::kInt)
                                                                     : DataType::Of(TypeId::kLong);
    if (!a.type.IsIntegral() && !a.type.is(TypeId::kNull))
      return mismatch(op + " needs an integer");
    const std::string x = translator.Coerce(a, left).sql;
    const std::string n = translator.Coerce(b, DataType::Of(TypeId::kInt)).sql;
    out.sql = std::string("spark_") + function + "_" + (left.is(TypeId::kLong) ? "long" : "int") +
              "(" + x + ", " + n + ")";
    out.type = left;
    return out;
  }
  return BinaryArithmetic(translator, op, a, b, ModeOf(translator), expr.span, std::move(out));
}

}  // namespace sluice::spark::internal
