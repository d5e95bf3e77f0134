#include "sources/postgres_table.h"

#include <libpq-fe.h>

#include <atomic>
#include <cctype>
#include <cstring>
#include <map>

#include "common/strings.h"

namespace sluice::sources {

namespace {

using engine::SourceType;

// PostgreSQL's type OIDs (pg_type.dat).
enum Oid : uint32_t {
  kBool = 16,
  kBytea = 17,
  kName = 19,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kText = 25,
  kOidType = 26,
  kFloat4 = 700,
  kFloat8 = 701,
  kBpchar = 1042,
  kVarchar = 1043,
  kDate = 1082,
  kTimestamp = 1114,
  kTimestamptz = 1184,
  kNumeric = 1700,
};

// Days and microseconds from PostgreSQL's epoch (2000-01-01) to the Unix epoch.
constexpr int32_t kEpochDays = 10957;
constexpr int64_t kEpochMicros = 946684800000000LL;

struct Connection {
  PGconn* conn = nullptr;
  ~Connection() {
    if (conn != nullptr) PQfinish(conn);
  }
};

std::string Trimmed(const char* message) { return Trim(message == nullptr ? "" : message); }

Result<std::unique_ptr<Connection>> Connect(const PostgresOptions& options) {
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : options.connection) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back("client_encoding");
  values.push_back("UTF8");
  keys.push_back(nullptr);
  values.push_back(nullptr);
  auto connection = std::make_unique<Connection>();
  connection->conn = PQconnectdbParams(keys.data(), values.data(), 0);
  if (connection->conn == nullptr || PQstatus(connection->conn) != CONNECTION_OK) {
    return IOError(
        "cannot connect to ", options.Where(), ": ",
        RedactSecrets(Trimmed(PQerrorMessage(connection->conn)),
                      {options.connection.count("password") ? options.connection.at("password")
                                                            : std::string()}));
  }
  return connection;
}

// The Spark type of a scalar PostgreSQL type, and how it crosses.
struct ScalarType {
  std::string spark;
  std::string duckdb;
  SourceType source = SourceType::kVarchar;
  bool as_text = true;  // read through ::text
};

Result<ScalarType> ScalarOf(uint32_t oid, int32_t modifier, const std::string& column) {
  switch (oid) {
    case kBool:
      return ScalarType{"boolean", "BOOLEAN", SourceType::kBoolean, false};
    case kInt2:
      return ScalarType{"smallint", "SMALLINT", SourceType::kInteger, false};
    case kInt4:
      return ScalarType{"int", "INTEGER", SourceType::kInteger, false};
    case kInt8:
      return ScalarType{"bigint", "BIGINT", SourceType::kBigint, false};
    case kOidType:
      return ScalarType{"bigint", "BIGINT", SourceType::kVarchar, true};
    case kFloat4:
      return ScalarType{"float", "FLOAT", SourceType::kDouble, false};
    case kFloat8:
      return ScalarType{"double", "DOUBLE", SourceType::kDouble, false};
    case kText:
    case kVarchar:
    case kBpchar:
    case kName:
      return ScalarType{"string", "VARCHAR", SourceType::kVarchar, false};
    case kBytea:
      return ScalarType{"binary", "BLOB", SourceType::kBlob, false};
    case kDate:
      return ScalarType{"date", "DATE", SourceType::kDate, false};
    case kTimestamp:
    case kTimestamptz:
      return ScalarType{"timestamp", "TIMESTAMPTZ", SourceType::kTimestamp, false};
    case kNumeric: {
      int precision = 38, scale = 18;  // numeric without a precision: Spark's default
      if (modifier >= 4) {
        precision = ((modifier - 4) >> 16) & 0xffff;
        scale = (modifier - 4) & 0xffff;
      }
      if (precision > 38) {
        return InvalidArgument("column '", column, "' is numeric(", precision, ",", scale,
                               "): DecimalType can only support precision up to 38");
      }
      const std::string type = "(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
      return ScalarType{"decimal" + type, "DECIMAL" + type, SourceType::kVarchar, true};
    }
    default:
      return ScalarType{"string", "VARCHAR", SourceType::kVarchar, true};
  }
}

// The element type of PostgreSQL's array types, 0 for a type that is not an array.
uint32_t ElementOf(uint32_t oid) {
  static const std::map<uint32_t, uint32_t> kArrays = {
      {1000, kBool},        {1001, kBytea},   {1005, kInt2},           {1007, kInt4},
      {1009, kText},        {1014, kBpchar},  {1015, kVarchar},        {1016, kInt8},
      {1021, kFloat4},      {1022, kFloat8},  {1182, kDate},           {1115, kTimestamp},
      {1185, kTimestamptz}, {1231, kNumeric}, {2951, 2950 /* uuid */}, {3807, 3802 /* jsonb */},
      {199, 114 /* json */}};
  auto it = kArrays.find(oid);
  return it == kArrays.end() ? 0 : it->second;
}

Result<PostgresColumn> Describe(const std::string& name, uint32_t oid, int32_t modifier) {
  PostgresColumn column;
  column.name = name;
  column.type_oid = oid;
  if (const uint32_t element = ElementOf(oid); element != 0) {
    // Arrays cross as JSON text (PostgreSQL's to_json), cast to a DuckDB list.
    SLUICE_ASSIGN_OR_RETURN(ScalarType scalar, ScalarOf(element, modifier, name));
    column.spark_type = "array<" + scalar.spark + ">";
    column.duckdb_type = scalar.duckdb + "[]";
    column.copy_sql = "to_json(" + QuoteIdentifier(name) + ")::text";
    column.source_type = SourceType::kVarchar;
    return column;
  }
  SLUICE_ASSIGN_OR_RETURN(ScalarType scalar, ScalarOf(oid, modifier, name));
  column.spark_type = scalar.spark;
  column.duckdb_type = scalar.duckdb;
  column.copy_sql = scalar.as_text ? QuoteIdentifier(name) + "::text" : QuoteIdentifier(name);
  column.source_type = scalar.source;
  return column;
}

uint16_t Read16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}
uint32_t Read32(const char* p) { return (static_cast<uint32_t>(Read16(p)) << 16) | Read16(p + 2); }
uint64_t Read64(const char* p) { return (static_cast<uint64_t>(Read32(p)) << 32) | Read32(p + 4); }

struct Scan {
  std::atomic<size_t> next{0};
};

class PostgresProducer final : public engine::TableProducer {
 public:
  PostgresProducer(const PostgresTable& table, std::shared_ptr<Scan> scan,
                   const std::vector<std::string>& partitions, std::unique_ptr<Connection> pg)
      : table_(table), scan_(std::move(scan)), partitions_(partitions), pg_(std::move(pg)) {}
  ~PostgresProducer() override {
    if (buffer_ != nullptr) PQfreemem(buffer_);
  }

  Result<size_t> Fill(engine::ChunkWriter& writer) override {
    size_t rows = 0;
    while (rows < writer.capacity()) {
      if (!copying_) {
        const size_t index = scan_->next++;
        if (index >= partitions_.size()) break;
        SLUICE_RETURN_IF_ERROR(StartCopy(partitions_[index]));
      }
      if (buffer_ != nullptr) PQfreemem(buffer_);
      buffer_ = nullptr;
      const int length = PQgetCopyData(pg_->conn, &buffer_, 0);
      if (length == -1) {  // this partition is done
        SLUICE_RETURN_IF_ERROR(FinishCopy());
        continue;
      }
      if (length < 0) return Failure("reading rows");
      const char* p = buffer_;
      const char* end = buffer_ + length;
      if (!header_read_) {
        if (length < 19 || std::memcmp(p, "PGCOPY\n\377\r\n\0", 11) != 0) {
          return Failure("an unexpected COPY header");
        }
        p += 15;
        p += 4 + Read32(p);
        header_read_ = true;
      }
      if (end - p < 2) return Failure("a truncated row");
      const auto fields = static_cast<int16_t>(Read16(p));
      p += 2;
      if (fields == -1) continue;  // the trailer
      const auto& columns = table_.described();
      if (static_cast<size_t>(fields) != columns.size()) return Failure("a row of another shape");
      for (size_t c = 0; c < columns.size(); ++c) {
        if (end - p < 4) return Failure("a truncated row");
        const auto size = static_cast<int32_t>(Read32(p));
        p += 4;
        if (size < 0) {
          writer.SetNull(c, rows);
          continue;
        }
        if (end - p < size) return Failure("a truncated row");
        SLUICE_RETURN_IF_ERROR(SetField(writer, c, rows, columns[c], p, size));
        p += size;
      }
      ++rows;
    }
    return rows;
  }

 private:
  Status Failure(const std::string& what) {
    return IOError(table_.options().Where(), ": ", what, ": ", Trimmed(PQerrorMessage(pg_->conn)));
  }

  Status StartCopy(const std::string& statement) {
    PGresult* result = PQexec(pg_->conn, statement.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COPY_OUT;
    const std::string error = Trimmed(PQresultErrorMessage(result));
    PQclear(result);
    if (!ok) return IOError(table_.options().Where(), ": ", error);
    copying_ = true;
    header_read_ = false;
    return Status::OK();
  }

  Status FinishCopy() {
    copying_ = false;
    PGresult* result = PQgetResult(pg_->conn);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const std::string error = Trimmed(PQresultErrorMessage(result));
    PQclear(result);
    while ((result = PQgetResult(pg_->conn)) != nullptr) PQclear(result);
    if (!ok) return IOError(table_.options().Where(), ": ", error);
    return Status::OK();
  }

  static Status SetField(engine::ChunkWriter& writer, size_t c, size_t row,
                         const PostgresColumn& column, const char* p, int32_t size) {
    switch (column.source_type) {
      case SourceType::kVarchar:
        writer.SetString(c, row, std::string_view(p, static_cast<size_t>(size)));
        return Status::OK();
      case SourceType::kBlob:
        writer.SetBlob(c, row, std::string_view(p, static_cast<size_t>(size)));
        return Status::OK();
      case SourceType::kBoolean:
        writer.SetBool(c, row, p[0] != 0);
        return Status::OK();
      case SourceType::kInteger:
        writer.SetInt32(
            c, row, size == 2 ? static_cast<int16_t>(Read16(p)) : static_cast<int32_t>(Read32(p)));
        return Status::OK();
      case SourceType::kBigint:
        writer.SetInt64(c, row, static_cast<int64_t>(Read64(p)));
        return Status::OK();
      case SourceType::kDouble: {
        if (size == 4) {
          const uint32_t bits = Read32(p);
          float value;
          std::memcpy(&value, &bits, sizeof(value));
          writer.SetDouble(c, row, value);
        } else {
          const uint64_t bits = Read64(p);
          double value;
          std::memcpy(&value, &bits, sizeof(value));
          writer.SetDouble(c, row, value);
        }
        return Status::OK();
      }
      case SourceType::kDate: {
        const auto days = static_cast<int32_t>(Read32(p));
        // ±infinity have no Spark value.
        if (days == INT32_MAX || days == INT32_MIN) {
          writer.SetNull(c, row);
        } else {
          writer.SetDate(c, row, days + kEpochDays);
        }
        return Status::OK();
      }
      case SourceType::kTimestamp: {
        const auto micros = static_cast<int64_t>(Read64(p));
        if (micros == INT64_MAX || micros == INT64_MIN) {
          writer.SetNull(c, row);
        } else {
          writer.SetTimestamp(c, row, micros + kEpochMicros);
        }
        return Status::OK();
      }
    }
    return Internal("column ", column.name, " of an unknown source type");
  }

  const PostgresTable& table_;
  std::shared_ptr<Scan> scan_;
  const std::vector<std::string>& partitions_;
  std::unique_ptr<Connection> pg_;
  char* buffer_ = nullptr;
  bool copying_ = false;
  bool header_read_ = false;
};

}  // namespace

Result<std::shared_ptr<PostgresTable>> PostgresTable::Open(PostgresOptions options) {
  std::shared_ptr<PostgresTable> table(new PostgresTable(std::move(options)));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> pg, Connect(table->options_));
  // The relation's columns, from a statement that is prepared, never run.
  const std::string select = "SELECT * FROM " + table->options_.relation_sql;
  PGresult* prepared = PQprepare(pg->conn, "", (select + " LIMIT 0").c_str(), 0, nullptr);
  const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
  std::string error = Trimmed(PQresultErrorMessage(prepared));
  PQclear(prepared);
  if (!ok) return InvalidArgument(table->options_.Where(), ": ", error);
  PGresult* described = PQdescribePrepared(pg->conn, "");
  if (PQresultStatus(described) != PGRES_COMMAND_OK) {
    error = Trimmed(PQresultErrorMessage(described));
    PQclear(described);
    return IOError(table->options_.Where(), ": ", error);
  }
  // Column pruning: the columns the query uses (at least one, so that rows keep a shape).
  auto wanted = [&](const std::string& name) {
    if (!table->options_.columns) return true;
    for (const std::string& used : *table->options_.columns) {
      if (EqualsIgnoreCase(used, name)) return true;
    }
    return false;
  };
  std::vector<std::string> items;
  for (int i = 0; i < PQnfields(described); ++i) {
    const bool last_chance = i == PQnfields(described) - 1 && table->columns_.empty();
    if (!wanted(PQfname(described, i)) && !last_chance) continue;
    auto column = Describe(PQfname(described, i), PQftype(described, i), PQfmod(described, i));
    if (!column.ok()) {
      PQclear(described);
      return column.status().WithContext(table->options_.Where());
    }
    items.push_back(column->copy_sql);
    table->source_columns_.push_back(
        {"c" + std::to_string(table->source_columns_.size()), column->source_type});
    table->columns_.push_back(std::move(*column));
  }
  PQclear(described);
  std::string filter = table->options_.filter;
  const std::string pushed = table->PushedSql();
  if (!pushed.empty()) filter = filter.empty() ? pushed : "(" + filter + ") AND " + pushed;
  for (const std::string& partition : table->options_.PartitionConditions()) {
    std::string condition = partition;
    if (!filter.empty()) {
      condition = condition.empty() ? filter : "(" + filter + ") AND (" + condition + ")";
    }
    table->partitions_.push_back(
        "COPY (SELECT " + Join(items, ", ") + " FROM " + table->options_.relation_sql +
        (condition.empty() ? "" : " WHERE " + condition) + ") TO STDOUT (FORMAT binary)");
  }
  return table;
}

namespace {

bool IsNumeric(uint32_t oid) {
  return oid == kInt2 || oid == kInt4 || oid == kInt8 || oid == kFloat4 || oid == kFloat8 ||
         oid == kNumeric;
}

// Text columns PostgreSQL compares byte for byte for equality, as Spark does (char(n) is
// not: PostgreSQL ignores its trailing blanks).
bool IsPlainText(uint32_t oid) { return oid == kText || oid == kVarchar || oid == kName; }

std::string PgLiteral(const PostgresCondition& condition, const std::string& value) {
  switch (condition.value_kind) {
    case PostgresCondition::ValueKind::kNumber:
    case PostgresCondition::ValueKind::kBoolean:
      return value;
    case PostgresCondition::ValueKind::kString:
      return QuoteLiteral(value);  // standard SQL quoting, as PostgreSQL's
    case PostgresCondition::ValueKind::kDate:
      return "DATE " + QuoteLiteral(value);
  }
  return value;
}

bool IsNumberText(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '+' &&
        c != 'e' && c != 'E') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string PostgresTable::PushedSql() const {
  std::vector<std::string> conditions;
  for (const PostgresCondition& condition : options_.pushed) {
    // The column: the same name, else the only one equal but for case (Spark's names are
    // case-insensitive).
    const PostgresColumn* column = nullptr;
    int folded = 0;
    for (const PostgresColumn& candidate : columns_) {
      if (candidate.name == condition.column) column = &candidate;
    }
    if (column == nullptr) {
      for (const PostgresColumn& candidate : columns_) {
        if (EqualsIgnoreCase(candidate.name, condition.column)) {
          column = &candidate;
          ++folded;
        }
      }
      if (folded != 1) continue;
    }
    const std::string name = QuoteIdentifier(column->name);
    using Kind = PostgresCondition::Kind;
    using ValueKind = PostgresCondition::ValueKind;
    if (condition.kind == Kind::kIsNull || condition.kind == Kind::kIsNotNull) {
      conditions.push_back(name + (condition.kind == Kind::kIsNull ? " IS NULL" : " IS NOT NULL"));
      continue;
    }
    const uint32_t oid = column->type_oid;
    bool fits = false;
    switch (condition.value_kind) {
      case ValueKind::kNumber:
        fits = IsNumeric(oid);
        for (const std::string& value : condition.values) fits = fits && IsNumberText(value);
        break;
      case ValueKind::kString:
        fits = IsPlainText(oid) &&
               (condition.kind == Kind::kIn || condition.op == "=" || condition.op == "<>");
        break;
      case ValueKind::kBoolean:
        fits = oid == kBool &&
               (condition.kind == Kind::kIn || condition.op == "=" || condition.op == "<>");
        break;
      case ValueKind::kDate:
        fits = oid == kDate;
        break;
    }
    if (!fits || condition.values.empty()) continue;
    if (condition.kind == Kind::kIn) {
      std::vector<std::string> values;
      for (const std::string& value : condition.values)
        values.push_back(PgLiteral(condition, value));
      conditions.push_back(name + " IN (" + Join(values, ", ") + ")");
    } else {
      conditions.push_back(name + " " + condition.op + " " +
                           PgLiteral(condition, condition.values[0]));
    }
  }
  return Join(conditions, " AND ");
}

Result<std::optional<std::string>> PostgresTable::MaxOf(const PostgresOptions& options,
                                                        const std::string& column) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> pg, Connect(options));
  const std::string sql =
      "SELECT max(" + QuoteIdentifier(column) + ")::text FROM " + options.relation_sql;
  PGresult* result = PQexec(pg->conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    const std::string error = Trimmed(PQresultErrorMessage(result));
    PQclear(result);
    return InvalidArgument(options.Where(), ": ", error);
  }
  std::optional<std::string> max;
  if (PQntuples(result) == 1 && !PQgetisnull(result, 0, 0)) max = PQgetvalue(result, 0, 0);
  PQclear(result);
  return max;
}

Result<std::shared_ptr<void>> PostgresTable::BeginScan() {
  return std::shared_ptr<void>(std::make_shared<Scan>());
}

Result<std::unique_ptr<engine::TableProducer>> PostgresTable::MakeProducer(
    const std::shared_ptr<void>& scan) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> pg, Connect(options_));
  return std::unique_ptr<engine::TableProducer>(new PostgresProducer(
      *this, std::static_pointer_cast<Scan>(scan), partitions_, std::move(pg)));
}

std::string PostgresTable::SparkColumnsSql(const std::string& source_sql) const {
  std::vector<std::string> items;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const PostgresColumn& column = columns_[i];
    const std::string source = QuoteIdentifier("c" + std::to_string(i));
    std::string value = source;
    if (column.duckdb_type.size() > 2 &&
        column.duckdb_type.compare(column.duckdb_type.size() - 2, 2, "[]") == 0) {
      value = "CAST(CAST(" + source + " AS JSON) AS " + column.duckdb_type + ")";
    } else if (column.source_type == SourceType::kVarchar && column.duckdb_type != "VARCHAR") {
      value = "CAST(" + source + " AS " + column.duckdb_type + ")";
    } else if (column.duckdb_type == "SMALLINT" || column.duckdb_type == "FLOAT") {
      value = "CAST(" + source + " AS " + column.duckdb_type + ")";
    }
    items.push_back(value + " AS " + QuoteIdentifier(column.name));
  }
  return "SELECT " + Join(items, ", ") + " FROM " + source_sql;
}

std::string PostgresTable::ColumnsOnlySql() const {
  std::vector<std::string> items;
  for (const PostgresColumn& column : columns_) {
    items.push_back("NULL::" + column.duckdb_type + " AS " + QuoteIdentifier(column.name));
  }
  return "SELECT " + Join(items, ", ") + " WHERE false";
}

}  // namespace sluice::sources
