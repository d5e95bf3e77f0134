#include "sources/postgres_options.h"

#include <cctype>

#include "common/strings.h"

namespace sluice::sources {

namespace {

const std::string* Find(const std::map<std::string, std::string>& options, std::string_view name) {
  for (const auto& [key, value] : options) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

std::string Decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// jdbc:postgresql://host[:port][/database][?key=value&...] (also jdbc:postgresql:database).
Status ParseUrl(const std::string& url, std::map<std::string, std::string>& connection) {
  static const std::string kPrefix = "jdbc:postgresql:";
  if (ToLower(url).rfind(kPrefix, 0) != 0) {
    const size_t colon = url.find(':', 5);
    return InvalidArgument(
        "sluice reads JDBC URLs of PostgreSQL (jdbc:postgresql://host:port/database), not '",
        url.substr(0, colon == std::string::npos ? url.size() : colon), "'");
  }
  std::string rest = url.substr(kPrefix.size());
  std::string query;
  if (size_t mark = rest.find('?'); mark != std::string::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
  }
  std::string database;
  if (StartsWith(rest, "//")) {
    rest = rest.substr(2);
    const size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    database = slash == std::string::npos ? "" : rest.substr(slash + 1);
    std::string host = authority, port;
    if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
      const size_t close = authority.find(']');
      host = authority.substr(1, close - 1);
      if (close + 1 < authority.size() && authority[close + 1] == ':') {
        port = authority.substr(close + 2);
      }
    } else if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    connection["host"] = host.empty() ? "localhost" : host;
    if (!port.empty()) connection["port"] = port;
  } else {
    database = rest;
    connection["host"] = "localhost";
  }
  if (!database.empty()) connection["dbname"] = Decode(database);
  for (const std::string& pair : Split(query, '&')) {
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    const std::string key = ToLower(pair.substr(0, equals));
    const std::string value = equals == std::string::npos ? "" : Decode(pair.substr(equals + 1));
    if (key == "user" || key == "password" || key == "sslmode" || key == "sslrootcert" ||
        key == "sslcert" || key == "sslkey") {
      connection[key] = value;
    } else if (key == "ssl") {
      if (EqualsIgnoreCase(value, "true")) connection.emplace("sslmode", "require");
    } else if (key == "applicationname") {
      connection["application_name"] = value;
    } else if (key == "connecttimeout") {
      connection["connect_timeout"] = value;
    } else if (key == "currentschema") {
      connection["options"] = "-c search_path=" + value;
    }
  }
  return Status::OK();
}

Result<int64_t> Bound(const std::string& value, const std::string& option) {
  std::optional<int64_t> parsed = ParseInt64(Trim(value));
  if (!parsed) {
    return InvalidArgument("Option '", option, "' must be a whole number, not '", value, "'");
  }
  return *parsed;
}

}  // namespace

std::string PostgresOptions::Where() const {
  auto get = [&](const char* key, const char* fallback) {
    auto it = connection.find(key);
    return it == connection.end() ? std::string(fallback) : it->second;
  };
  return "PostgreSQL at " + get("host", "localhost") + ":" + get("port", "5432") + ", database " +
         get("dbname", "(default)");
}

void PostgresOptions::ReadRange(const std::optional<std::string>& after, const std::string& up_to) {
  // PostgreSQL quotes identifiers and strings as DuckDB does (standard SQL).
  const std::string column = QuoteIdentifier(incremental_column.value_or(""));
  filter = column + " <= " + QuoteLiteral(up_to);
  if (after) filter = column + " > " + QuoteLiteral(*after) + " AND " + filter;
}

std::vector<std::string> PostgresOptions::PartitionConditions() const {
  if (!partition_column || num_partitions <= 1) return {""};
  // Spark's JDBCRelation.columnPartition: equal strides over [lower, upper); the first
  // partition also takes what is below the lower bound and NULLs, the last what is above.
  int64_t partitions = num_partitions;
  if (upper_bound - lower_bound < partitions) partitions = upper_bound - lower_bound;
  if (partitions <= 1) return {""};
  const int64_t stride = upper_bound / partitions - lower_bound / partitions;
  const std::string& column = *partition_column;
  std::vector<std::string> out;
  int64_t current = lower_bound;
  for (int64_t i = 0; i < partitions; ++i) {
    const std::string lower = i != 0 ? column + " >= " + std::to_string(current) : "";
    current += stride;
    const std::string upper = i != partitions - 1 ? column + " < " + std::to_string(current) : "";
    if (upper.empty()) {
      out.push_back(lower);
    } else if (lower.empty()) {
      out.push_back(upper + " or " + column + " is null");
    } else {
      out.push_back(lower + " AND " + upper);
    }
  }
  return out;
}

Result<PostgresOptions> ParsePostgresOptions(const std::map<std::string, std::string>& given) {
  PostgresOptions options;
  if (const std::string* url = Find(given, "url")) {
    SLUICE_RETURN_IF_ERROR(ParseUrl(*url, options.connection));
  } else if (const std::string* host = Find(given, "host")) {
    // Databricks' format("postgresql"): host, port, database.
    options.connection["host"] = *host;
    if (const std::string* port = Find(given, "port")) options.connection["port"] = *port;
    if (const std::string* database = Find(given, "database")) {
      options.connection["dbname"] = *database;
    }
  } else {
    return InvalidArgument("Option 'url' is required.");
  }
  if (const std::string* user = Find(given, "user")) options.connection["user"] = *user;
  if (const std::string* password = Find(given, "password")) {
    options.connection["password"] = *password;
  }
  options.connection.emplace("application_name", "sluice");
  if (options.connection.count("connect_timeout") == 0) {
    options.connection["connect_timeout"] = "30";
  }
  const std::string* table = Find(given, "dbtable");
  const std::string* query = Find(given, "query");
  if (table != nullptr && query != nullptr) {
    return InvalidArgument("Both 'dbtable' and 'query' can not be specified at the same time.");
  }
  if (table == nullptr && query == nullptr) {
    return InvalidArgument("Option 'dbtable' or 'query' is required.");
  }
  if (table != nullptr && Trim(*table).empty()) {
    return InvalidArgument("Option 'dbtable' can not be empty.");
  }
  if (query != nullptr && Trim(*query).empty()) {
    return InvalidArgument("Option 'query' can not be empty.");
  }
  options.relation_sql =
      table != nullptr ? Trim(*table) : "(" + Trim(*query) + ") AS spark_gen_subq_0";

  const std::string* column = Find(given, "partitionColumn");
  const std::string* lower = Find(given, "lowerBound");
  const std::string* upper = Find(given, "upperBound");
  const std::string* partitions = Find(given, "numPartitions");
  if (column != nullptr || lower != nullptr || upper != nullptr) {
    if (column == nullptr || lower == nullptr || upper == nullptr || partitions == nullptr) {
      return InvalidArgument(
          "When reading JDBC data sources, users need to specify all or none for the "
          "following options: 'partitionColumn', 'lowerBound', 'upperBound', and "
          "'numPartitions'");
    }
    if (query != nullptr) {
      return InvalidArgument(
          "Options 'query' and 'partitionColumn' can not be specified together. Please define "
          "the query using `dbtable` option instead and make sure to qualify the partition "
          "columns using the supplied subquery alias to resolve any ambiguity.");
    }
    options.partition_column = Trim(*column);
    SLUICE_ASSIGN_OR_RETURN(options.lower_bound, Bound(*lower, "lowerBound"));
    SLUICE_ASSIGN_OR_RETURN(options.upper_bound, Bound(*upper, "upperBound"));
    if (options.lower_bound > options.upper_bound) {
      return InvalidArgument(
          "Operation not allowed: the lower bound of partitioning column is larger than the "
          "upper bound. Lower bound: ",
          options.lower_bound, "; Upper bound: ", options.upper_bound);
    }
  }
  if (const std::string* incremental = Find(given, "pipelines.incremental.column")) {
    if (Trim(*incremental).empty()) {
      return InvalidArgument("Option 'pipelines.incremental.column' can not be empty.");
    }
    options.incremental_column = Trim(*incremental);
  }
  if (partitions != nullptr) {
    std::optional<int64_t> count = ParseInt64(Trim(*partitions));
    if (!count || *count < 1) {
      return InvalidArgument("Invalid value `", *partitions,
                             "` for parameter `numPartitions` in table reading via JDBC. The "
                             "minimum value is 1.");
    }
    options.num_partitions = static_cast<int>(std::min<int64_t>(*count, 64));
  }
  return options;
}

}  // namespace sluice::sources
