#include "spark/parser.h"

#include <cctype>
#include <set>

#include "common/strings.h"
#include "spark/interval.h"
#include "spark/parser_internal.h"

namespace sluice::spark {
namespace internal {
namespace {

constexpr int kMaxNesting = 500;

}  // namespace

bool Parser::Accept(std::string_view keyword) {
  if (Peek().IsKeyword(keyword) && !AtEnd()) {
    ++i_;
    return true;
  }
  return false;
}

bool Parser::AcceptSymbol(std::string_view symbol) {
  if (Peek().IsSymbol(symbol) && !AtEnd()) {
    ++i_;
    return true;
  }
  return false;
}

bool Parser::AcceptWords(std::initializer_list<std::string_view> words) {
  size_t k = 0;
  for (std::string_view word : words) {
    if (!Peek(k).IsKeyword(word) || i_ + k >= end_) return false;
    ++k;
  }
  i_ += k;
  return true;
}

Status Parser::ExpectKeyword(std::string_view keyword) {
  if (Accept(keyword)) return Status::OK();
  return Expected(keyword);
}

Status Parser::ExpectSymbol(std::string_view symbol) {
  if (AcceptSymbol(symbol)) return Status::OK();
  return Expected("'" + std::string(symbol) + "'");
}

Status Parser::Expected(std::string_view what) const {
  const Token& at = Peek();
  const std::string found = at.kind == Token::Kind::kEnd || AtEnd()
                                ? "the end of the query"
                                : "'" + std::string(at.raw) + "'";
  return Error(at, "expected " + std::string(what) + " but found " + found);
}

Status Parser::Error(const Token& at, std::string_view message) const {
  return InvalidArgument(FormatDiagnostic(source_->Locate(SpanOf(at)), message));
}

Status Parser::Unsupported(const Token& at, std::string_view message) const {
  return NotSupported(FormatDiagnostic(source_->Locate(SpanOf(at)), message));
}

Span Parser::SpanOf(const Token& token) const {
  return Span{token.offset, token.end_offset(), token.line, token.column};
}

Span Parser::SpanFrom(size_t first) const {
  const Token& start = t_[std::min(first, end_)];
  Span span{start.offset, start.offset, start.line, start.column};
  if (i_ > first) span.end = t_[i_ - 1].end_offset();
  return span;
}

Status Parser::EnterNested() {
  if (++depth_ > kMaxNesting) {
    --depth_;
    return Error(Peek(), "the query nests too deeply");
  }
  return Status::OK();
}

// ---- Names -------------------------------------------------------------------------------

Result<std::string> Parser::Identifier(std::string_view what) {
  if (!Peek().IsName() || AtEnd()) return Expected(what);
  return Next().value;
}

Result<std::vector<std::string>> Parser::QualifiedName() {
  std::vector<std::string> parts;
  SLUICE_ASSIGN_OR_RETURN(std::string first, Identifier());
  parts.push_back(std::move(first));
  while (Peek().IsSymbol(".") && Peek(1).IsName()) {
    i_ += 1;
    parts.push_back(Next().value);
  }
  return parts;
}

Result<std::vector<std::string>> Parser::IdentifierList() {
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  std::vector<std::string> names;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(std::string name, Identifier("a column name"));
    names.push_back(std::move(name));
    if (AcceptSymbol(")")) return names;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
}

bool Parser::IsReservedForAlias(const Token& token) const {
  if (token.kind != Token::Kind::kIdentifier) return false;
  static const auto* reserved = new std::set<std::string>{
      "ALL",     "AND",       "ANTI",       "AS",      "BETWEEN",   "BY",          "CASE",
      "CLUSTER", "CROSS",     "DISTRIBUTE", "ELSE",    "END",       "EXCEPT",      "FETCH",
      "FOR",     "FROM",      "FULL",       "GROUP",   "HAVING",    "ILIKE",       "IN",
      "INNER",   "INTERSECT", "IS",         "JOIN",    "KEYS",      "LATERAL",     "LEFT",
      "LIKE",    "LIMIT",     "MINUS",      "NATURAL", "NOT",       "OFFSET",      "ON",
      "OR",      "ORDER",     "OUTER",      "OVER",    "PIVOT",     "QUALIFY",     "REGEXP",
      "RIGHT",   "RLIKE",     "SELECT",     "SEMI",    "SORT",      "TABLESAMPLE", "THEN",
      "UNION",   "UNPIVOT",   "USING",      "VALUES",  "WATERMARK", "WHEN",        "WHERE",
      "WINDOW",  "WITH"};
  return reserved->count(ToUpper(token.raw)) > 0;
}

bool Parser::AtAlias() const { return !AtEnd() && Peek().IsName() && !IsReservedForAlias(Peek()); }

Result<std::optional<std::string>> Parser::OptionalAlias() {
  if (Accept("AS")) {
    SLUICE_ASSIGN_OR_RETURN(std::string alias, Identifier("an alias"));
    return std::optional<std::string>(std::move(alias));
  }
  if (AtAlias()) return std::optional<std::string>(Next().value);
  return std::optional<std::string>();
}

Result<std::string> Parser::StringLiteral(std::string_view what) {
  if (Peek().kind != Token::Kind::kString || AtEnd()) return Expected(what);
  std::string value = Next().value;
  while (Peek().kind == Token::Kind::kString && !AtEnd()) value += Next().value;
  return value;
}

// ---- Literals ----------------------------------------------------------------------------

ExprPtr Parser::MakeLiteral(DataType type, std::string text, const Span& span) const {
  auto expr = std::make_unique<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->span = span;
  expr->literal.type = std::move(type);
  expr->literal.text = std::move(text);
  return expr;
}

namespace {

// The decimal type of a literal's digits, as Spark's BigDecimal-based rule: precision is
// the number of significant digits (at least the scale), scale the digits after the point.
DataType DecimalOfLiteral(const std::string& digits) {
  const size_t point = digits.find('.');
  const std::string whole = point == std::string::npos ? digits : digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
  std::string significant = whole + fraction;
  size_t lead = 0;
  while (lead + 1 < significant.size() && significant[lead] == '0') ++lead;
  significant = significant.substr(lead);
  const int scale = static_cast<int>(fraction.size());
  int precision = static_cast<int>(significant.size());
  if (significant == "0") precision = 1;
  return DataType::Decimal(std::max(precision, scale), scale);
}

bool FitsInt64(const std::string& digits) {
  std::string trimmed = digits;
  size_t lead = 0;
  while (lead + 1 < trimmed.size() && trimmed[lead] == '0') ++lead;
  trimmed = trimmed.substr(lead);
  if (trimmed.size() < 19) return true;
  if (trimmed.size() > 19) return false;
  return trimmed <= "9223372036854775807";
}

}  // namespace

Result<ExprPtr> Parser::NumberLiteral() {
  const Token& token = Next();
  const Span span = SpanOf(token);
  std::string raw = ToUpper(token.raw);
  std::string suffix;
  if (EndsWith(raw, "BD")) {
    suffix = "BD";
  } else if (!raw.empty() && std::string("LSYDF").find(raw.back()) != std::string::npos) {
    suffix = raw.substr(raw.size() - 1);
  }
  std::string body = raw.substr(0, raw.size() - suffix.size());
  // The body must be digits with an optional fraction and exponent.
  bool valid = !body.empty();
  bool has_point = false, has_exponent = false;
  for (size_t k = 0; k < body.size() && valid; ++k) {
    const char c = body[k];
    if (std::isdigit(static_cast<unsigned char>(c))) continue;
    if (c == '.' && !has_point && !has_exponent) {
      has_point = true;
    } else if (c == 'E' && !has_exponent && k > 0) {
      has_exponent = true;
      if (k + 1 < body.size() && (body[k + 1] == '+' || body[k + 1] == '-')) ++k;
      if (k + 1 >= body.size()) valid = false;
    } else {
      valid = false;
    }
  }
  if (!valid) return Error(token, "'" + std::string(token.raw) + "' is not a valid number");
  std::string lower_body = ToLower(body);
  auto integral = [&](TypeId id, int64_t min, int64_t max, const char* name) -> Result<ExprPtr> {
    if (has_point || has_exponent) {
      return Error(token, "'" + std::string(token.raw) + "' is not a valid " + name + " literal");
    }
    auto value = ParseInt64(body);
    if (!value || *value < min || *value > max) {
      return Error(token, "'" + std::string(token.raw) + "' does not fit in a " + name);
    }
    return MakeLiteral(DataType::Of(id), std::to_string(*value), span);
  };
  if (suffix == "L") return integral(TypeId::kLong, INT64_MIN, INT64_MAX, "BIGINT");
  if (suffix == "S") return integral(TypeId::kShort, -32768, 32767, "SMALLINT");
  if (suffix == "Y") return integral(TypeId::kByte, -128, 127, "TINYINT");
  if (suffix == "D") return MakeLiteral(DataType::Of(TypeId::kDouble), lower_body, span);
  if (suffix == "F") return MakeLiteral(DataType::Of(TypeId::kFloat), lower_body, span);
  if (suffix == "BD" || (has_point && !has_exponent)) {
    if (has_exponent) {
      return Error(token, "'" + std::string(token.raw) + "': exponents are not allowed here");
    }
    DataType type = DecimalOfLiteral(body);
    if (type.precision > kMaxDecimalPrecision) {
      return Error(token, "'" + std::string(token.raw) + "' has more than 38 digits");
    }
    std::string text = body;
    if (!text.empty() && text[0] == '.') text = "0" + text;
    if (!text.empty() && text.back() == '.') text.pop_back();
    return MakeLiteral(std::move(type), text, span);
  }
  if (has_exponent) return MakeLiteral(DataType::Of(TypeId::kDouble), lower_body, span);
  // A plain integer: INT when it fits, else BIGINT, else DECIMAL.
  if (FitsInt64(body)) {
    const int64_t value = *ParseInt64(body);
    const bool is_int = value >= INT32_MIN && value <= INT32_MAX;
    return MakeLiteral(DataType::Of(is_int ? TypeId::kInt : TypeId::kLong), std::to_string(value),
                       span);
  }
  DataType type = DecimalOfLiteral(body);
  if (type.precision > kMaxDecimalPrecision) {
    return Error(token, "'" + std::string(token.raw) + "' has more than 38 digits");
  }
  return MakeLiteral(std::move(type), body, span);
}

Result<ExprPtr> Parser::TypedLiteral() {
  const size_t first = i_;
  const Token& kind = Next();
  const std::string word = ToUpper(kind.raw);
  SLUICE_ASSIGN_OR_RETURN(std::string value, StringLiteral("a string"));
  const Span span = SpanFrom(first);
  if (word == "X") {
    for (char c : value) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) {
        return Error(kind, "X'" + value + "' is not a hexadecimal binary literal");
      }
    }
    // An odd number of digits gets a leading zero, as in Spark.
    if (value.size() % 2 == 1) value = "0" + value;
    return MakeLiteral(DataType::Of(TypeId::kBinary), ToUpper(value), span);
  }
  if (word == "DATE") return MakeLiteral(DataType::Of(TypeId::kDate), Trim(value), span);
  if (word == "TIMESTAMP" || word == "TIMESTAMP_LTZ") {
    return MakeLiteral(DataType::Of(TypeId::kTimestamp), Trim(value), span);
  }
  if (word == "TIMESTAMP_NTZ") {
    return MakeLiteral(DataType::Of(TypeId::kTimestampNtz), Trim(value), span);
  }
  if (word == "BINARY") return MakeLiteral(DataType::Of(TypeId::kBinary), value, span);
  return Error(kind, "unknown literal type " + std::string(kind.raw));
}

namespace {

IntervalValue Negated(const IntervalValue& value) {
  return IntervalValue{-value.months, -value.days, -value.micros};
}

}  // namespace

Result<ExprPtr> Parser::IntervalLiteral() {
  // After INTERVAL.
  const size_t first = i_ - 1;
  const Token& at = Peek();
  IntervalValue total;
  std::optional<IntervalField> start, end;
  bool year_month = false, day_time = false;
  auto set_range = [&](IntervalField field) {
    if (!start || static_cast<int>(field) < static_cast<int>(*start)) start = field;
    if (!end || static_cast<int>(field) > static_cast<int>(*end)) end = field;
  };
  // INTERVAL 'text' with no unit: an interval string. As in Spark 3.2 on, it is a
  // year-month interval when its units are years and months, a day-time interval when they
  // are days to seconds (mixing both is an error), else a calendar interval.
  if (Peek().kind == Token::Kind::kString &&
      !(Peek(1).kind == Token::Kind::kIdentifier && ParseIntervalUnit(Peek(1).raw).ok())) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, StringLiteral("an interval string"));
    auto value = ParseIntervalString(text);
    if (!value.ok()) return Error(at, value.status().message());
    bool year_month_units = false, day_time_units = false;
    for (std::string word : Split(ToLower(text), ' ')) {
      word = Trim(word);
      if (!word.empty() && word.back() == 's') word.pop_back();
      if (word.empty() || word == "interval" ||
          word.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
        continue;
      }
      const bool ym = word == "year" || word == "month";
      const bool dt = word == "day" || word == "hour" || word == "minute" || word == "second";
      if (ym || dt) {
        const IntervalField field = word == "year"     ? IntervalField::kYear
                                    : word == "month"  ? IntervalField::kMonth
                                    : word == "day"    ? IntervalField::kDay
                                    : word == "hour"   ? IntervalField::kHour
                                    : word == "minute" ? IntervalField::kMinute
                                                       : IntervalField::kSecond;
        set_range(field);
        (ym ? year_month_units : day_time_units) = true;
      }
    }
    if (year_month_units && day_time_units) {
      return Error(at, "INTERVAL '" + text +
                           "' mixes year-month and day-time fields; use a calendar interval "
                           "of separate literals");
    }
    DataType type = DataType::Of(TypeId::kCalendarInterval);
    if (year_month_units) type = DataType::YearMonthInterval(*start, *end);
    if (day_time_units) type = DataType::DayTimeInterval(*start, *end);
    ExprPtr expr = MakeLiteral(std::move(type), year_month_units || day_time_units ? "" : text,
                               SpanFrom(first));
    expr->literal.months = value->months;
    expr->literal.days = year_month_units ? 0 : value->days;
    expr->literal.micros = year_month_units ? 0 : value->micros;
    if (day_time_units) expr->literal.months = 0;
    return expr;
  }
  bool any = false;
  while (!AtEnd()) {
    // A value: a number (possibly negative) or a string.
    std::string value;
    // A minus before a string negates its value: INTERVAL -'1-1' YEAR TO MONTH.
    bool negate = false;
    if (Peek().IsSymbol("-") && Peek(1).kind == Token::Kind::kString) {
      ++i_;
      negate = true;
    }
    const Token& value_token = Peek();
    if (Peek().kind == Token::Kind::kString) {
      SLUICE_ASSIGN_OR_RETURN(value, StringLiteral("an interval value"));
    } else if (Peek().IsSymbol("-") && Peek(1).kind == Token::Kind::kNumber) {
      ++i_;
      value = "-" + Next().value;
    } else if (Peek().kind == Token::Kind::kNumber) {
      value = Next().value;
    } else {
      break;
    }
    if (!Peek().IsName()) return Expected("an interval unit such as DAY or HOUR");
    const Token& unit_token = Next();
    auto unit = ParseIntervalUnit(unit_token.raw);
    if (!unit.ok()) return Error(unit_token, unit.status().message());
    any = true;
    // unit TO unit: the string holds several fields.
    if (Peek().IsKeyword("TO")) {
      ++i_;
      if (!Peek().IsName()) return Expected("an interval unit");
      const Token& to_token = Next();
      auto to = ParseIntervalUnit(to_token.raw);
      if (!to.ok()) return Error(to_token, to.status().message());
      const IntervalField from_field = FieldOfUnit(*unit), to_field = FieldOfUnit(*to);
      if (static_cast<int>(from_field) >= static_cast<int>(to_field) ||
          IsYearMonthUnit(*unit) != IsYearMonthUnit(*to)) {
        return Error(unit_token, "INTERVAL " + std::string(unit_token.raw) + " TO " +
                                     std::string(to_token.raw) + " is not a valid range");
      }
      auto parsed = ParseIntervalFields(value, from_field, to_field);
      if (!parsed.ok()) return Error(value_token, parsed.status().message());
      total += negate ? Negated(*parsed) : *parsed;
      set_range(from_field);
      set_range(to_field);
      (IsYearMonthUnit(*unit) ? year_month : day_time) = true;
      break;
    }
    auto parsed = IntervalOfUnit(value, *unit);
    if (!parsed.ok()) return Error(value_token, parsed.status().message());
    total += negate ? Negated(*parsed) : *parsed;
    set_range(FieldOfUnit(*unit));
    (IsYearMonthUnit(*unit) ? year_month : day_time) = true;
  }
  if (!any) return Expected("an interval value and unit, such as INTERVAL 2 HOURS");
  DataType type;
  if (year_month && day_time) {
    type = DataType::Of(TypeId::kCalendarInterval);
  } else if (year_month) {
    type = DataType::YearMonthInterval(*start, *end);
  } else {
    type = DataType::DayTimeInterval(*start, *end);
  }
  ExprPtr expr = MakeLiteral(std::move(type), "", SpanFrom(first));
  expr->literal.months = total.months;
  expr->literal.days = total.days;
  expr->literal.micros = total.micros;
  return expr;
}

// ---- Types -------------------------------------------------------------------------------

bool Parser::AcceptTypeClose() {
  if (pending_closes_ > 0) {
    --pending_closes_;
    if (pending_closes_ == 0) ++i_;
    return true;
  }
  if (Peek().IsSymbol(">")) {
    ++i_;
    return true;
  }
  if (Peek().IsSymbol(">>") || Peek().IsSymbol(">>>")) {
    // One token closes several types: count the rest.
    pending_closes_ = static_cast<int>(Peek().raw.size()) - 1;
    return true;
  }
  return false;
}

Result<DataType> Parser::PrimitiveType(const Token& name) {
  const std::string word = ToUpper(name.raw);
  auto length = [&]() -> Status {
    if (!AcceptSymbol("(")) return Status::OK();
    if (Peek().kind != Token::Kind::kNumber) return Expected("a length");
    ++i_;
    return ExpectSymbol(")");
  };
  if (word == "BOOLEAN" || word == "BOOL") return DataType::Of(TypeId::kBoolean);
  if (word == "TINYINT" || word == "BYTE") return DataType::Of(TypeId::kByte);
  if (word == "SMALLINT" || word == "SHORT") return DataType::Of(TypeId::kShort);
  if (word == "INT" || word == "INTEGER") return DataType::Of(TypeId::kInt);
  if (word == "BIGINT" || word == "LONG") return DataType::Of(TypeId::kLong);
  if (word == "FLOAT" || word == "REAL") return DataType::Of(TypeId::kFloat);
  if (word == "DOUBLE") {
    Accept("PRECISION");
    return DataType::Of(TypeId::kDouble);
  }
  if (word == "STRING") return DataType::Of(TypeId::kString);
  if (word == "VARCHAR" || word == "CHAR" || word == "CHARACTER") {
    SLUICE_RETURN_IF_ERROR(length());
    return DataType::Of(TypeId::kString);
  }
  if (word == "BINARY") return DataType::Of(TypeId::kBinary);
  if (word == "DATE") return DataType::Of(TypeId::kDate);
  if (word == "TIMESTAMP" || word == "TIMESTAMP_LTZ") return DataType::Of(TypeId::kTimestamp);
  if (word == "TIMESTAMP_NTZ") return DataType::Of(TypeId::kTimestampNtz);
  if (word == "VOID") return DataType::Null();
  if (word == "DECIMAL" || word == "DEC" || word == "NUMERIC") {
    int precision = 10, scale = 0;
    if (AcceptSymbol("(")) {
      if (Peek().kind != Token::Kind::kNumber) return Expected("a precision");
      precision = std::atoi(Next().value.c_str());
      if (AcceptSymbol(",")) {
        if (Peek().kind != Token::Kind::kNumber) return Expected("a scale");
        scale = std::atoi(Next().value.c_str());
      }
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    }
    if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
      return Error(name, "DECIMAL(" + std::to_string(precision) + ", " + std::to_string(scale) +
                             ") is not a valid decimal type (precision 1 to 38, scale 0 to "
                             "precision)");
    }
    return DataType::Decimal(precision, scale);
  }
  if (word == "INTERVAL") {
    if (!Peek().IsName()) return DataType::Of(TypeId::kCalendarInterval);
    const Token& from_token = Next();
    auto from = ParseIntervalUnit(from_token.raw);
    if (!from.ok() || *from == IntervalUnit::kWeek || *from == IntervalUnit::kMillisecond ||
        *from == IntervalUnit::kMicrosecond) {
      return Error(from_token,
                   "expected an interval field (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
    }
    IntervalField start = FieldOfUnit(*from), end = start;
    if (Accept("TO")) {
      if (!Peek().IsName()) return Expected("an interval field");
      const Token& to_token = Next();
      auto to = ParseIntervalUnit(to_token.raw);
      if (!to.ok() || IsYearMonthUnit(*to) != IsYearMonthUnit(*from) ||
          static_cast<int>(FieldOfUnit(*to)) <= static_cast<int>(start)) {
        return Error(to_token, "not a valid interval type");
      }
      end = FieldOfUnit(*to);
    }
    return IsYearMonthUnit(*from) ? DataType::YearMonthInterval(start, end)
                                  : DataType::DayTimeInterval(start, end);
  }
  return Error(name, "unknown data type '" + std::string(name.raw) + "'");
}

// name [:] type [NOT NULL] [COMMENT 'text'], in a STRUCT<...> or a column list.
Result<StructField> Parser::FieldDefinition(const char* what) {
  StructField field;
  SLUICE_ASSIGN_OR_RETURN(field.name, Identifier(what));
  AcceptSymbol(":");
  SLUICE_ASSIGN_OR_RETURN(DataType type, ParseType());
  field.type = std::make_shared<const DataType>(std::move(type));
  if (AcceptWords({"NOT", "NULL"})) field.nullable = false;
  if (Accept("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(std::string comment, StringLiteral("a comment"));
    field.comment = std::move(comment);
  }
  return field;
}

Result<DataType> Parser::ParseType() {
  DepthGuard guard(*this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  if (!Peek().IsName() || AtEnd()) return Expected("a data type");
  const Token& name = Next();
  const std::string word = ToUpper(name.raw);
  if (word == "ARRAY") {
    if (!AcceptSymbol("<")) return Expected("'<' after ARRAY");
    SLUICE_ASSIGN_OR_RETURN(DataType element, ParseType());
    if (!AcceptTypeClose()) return Expected("'>'");
    return DataType::Array(std::move(element));
  }
  if (word == "MAP") {
    if (!AcceptSymbol("<")) return Expected("'<' after MAP");
    SLUICE_ASSIGN_OR_RETURN(DataType key, ParseType());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
    SLUICE_ASSIGN_OR_RETURN(DataType value, ParseType());
    if (!AcceptTypeClose()) return Expected("'>'");
    return DataType::Map(std::move(key), std::move(value));
  }
  if (word == "STRUCT") {
    if (!AcceptSymbol("<")) return Expected("'<' after STRUCT");
    std::vector<StructField> fields;
    if (AcceptTypeClose()) return DataType::Struct({});
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(StructField field, FieldDefinition("a field name"));
      fields.push_back(std::move(field));
      if (AcceptTypeClose()) break;
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
    }
    return DataType::Struct(std::move(fields));
  }
  return PrimitiveType(name);
}

// ---- Statements --------------------------------------------------------------------------

Result<QueryPtr> Parser::QueryStatement() {
  SLUICE_ASSIGN_OR_RETURN(QueryPtr query, ParseQuery());
  AcceptSymbol(";");
  if (!AtEnd()) return Expected("the end of the query");
  return query;
}

Result<ExprPtr> Parser::ExpressionStatement() {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, ParseExpression());
  if (!AtEnd()) return Expected("the end of the expression");
  return expr;
}

Result<DataType> Parser::TypeStatement() {
  SLUICE_ASSIGN_OR_RETURN(DataType type, ParseType());
  if (!AtEnd()) return Expected("the end of the type");
  return type;
}

Result<std::vector<StructField>> Parser::ColumnsStatement() {
  if (Peek().IsKeyword("STRUCT") && Peek(1).IsSymbol("<")) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, TypeStatement());
    return type.fields;
  }
  std::vector<StructField> fields;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(StructField field, FieldDefinition("a column name"));
    fields.push_back(std::move(field));
    if (AtEnd()) return fields;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
}

}  // namespace internal

Result<ParsedQuery> ParseQuery(std::shared_ptr<const SourceText> source,
                               const std::vector<Token>& tokens, size_t begin, size_t end) {
  internal::Parser parser(source, tokens, begin, end);
  SLUICE_ASSIGN_OR_RETURN(QueryPtr query, parser.QueryStatement());
  return ParsedQuery{std::move(source), std::move(query)};
}

Result<ParsedExpression> ParseExpression(std::shared_ptr<const SourceText> source,
                                         const std::vector<Token>& tokens, size_t begin,
                                         size_t end) {
  internal::Parser parser(source, tokens, begin, end);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, parser.ExpressionStatement());
  return ParsedExpression{std::move(source), std::move(expr)};
}

Result<std::pair<RelationPtr, size_t>> ParseRelationAt(
    const std::shared_ptr<const SourceText>& source, const std::vector<Token>& tokens, size_t begin,
    size_t end, bool alias) {
  internal::Parser parser(source, tokens, begin, end);
  SLUICE_ASSIGN_OR_RETURN(RelationPtr relation, parser.ParseRelation(alias));
  return std::make_pair(std::move(relation), parser.position());
}

ParsedQuery SelectAllFrom(std::shared_ptr<const SourceText> source, RelationPtr relation) {
  auto query = std::make_unique<Query>();
  query->kind = QueryKind::kSelect;
  query->span = relation->span;
  query->select = std::make_unique<SelectBody>();
  SelectItem star;
  star.expr = std::make_unique<Expr>();
  star.expr->kind = ExprKind::kStar;
  star.expr->span = relation->span;
  query->select->items.push_back(std::move(star));
  query->select->from.push_back(std::move(relation));
  return ParsedQuery{std::move(source), std::move(query)};
}

namespace {

Result<std::pair<std::shared_ptr<const SourceText>, std::vector<Token>>> Prepare(
    std::string_view text, std::string_view file, const LexerOptions& options) {
  auto source = std::make_shared<SourceText>();
  source->file = std::string(file);
  source->text = std::string(text);
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(source->text, file, options));
  return std::make_pair(std::shared_ptr<const SourceText>(std::move(source)), std::move(tokens));
}

}  // namespace

Result<ParsedQuery> ParseQueryText(std::string_view text, std::string_view file,
                                   const LexerOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(auto prepared, Prepare(text, file, options));
  return ParseQuery(prepared.first, prepared.second, 0, prepared.second.size() - 1);
}

Result<ParsedExpression> ParseExpressionText(std::string_view text, std::string_view file,
                                             const LexerOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(auto prepared, Prepare(text, file, options));
  return ParseExpression(prepared.first, prepared.second, 0, prepared.second.size() - 1);
}

Result<DataType> ParseDataType(std::string_view text) {
  SLUICE_ASSIGN_OR_RETURN(auto prepared, Prepare(text, "type", {}));
  internal::Parser parser(prepared.first, prepared.second, 0, prepared.second.size() - 1);
  return parser.TypeStatement();
}

Result<std::vector<StructField>> ParseDdlColumns(std::string_view text) {
  SLUICE_ASSIGN_OR_RETURN(auto prepared, Prepare(text, "schema", {}));
  internal::Parser parser(prepared.first, prepared.second, 0, prepared.second.size() - 1);
  return parser.ColumnsStatement();
}

}  // namespace sluice::spark
