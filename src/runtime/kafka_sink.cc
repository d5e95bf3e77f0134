#include "runtime/kafka_sink.h"

#include <simdjson.h>

#include <optional>

#include "common/strings.h"
#include "sources/kafka_writer.h"

namespace sluice::runtime {

namespace {

// The SQL of a key or value column as bytes: strings as their UTF-8 bytes, binaries as is.
Result<std::string> BytesColumn(const std::string& name, const std::string& type,
                                const std::string& attribute) {
  if (type == "BLOB") return QuoteIdentifier(name);
  if (type == "VARCHAR") return "encode(" + QuoteIdentifier(name) + ")";
  return InvalidArgument(attribute, " attribute type must be a string or binary");
}

// A JSON list of strings and nulls (a column of headers' keys or hex values).
Result<std::vector<std::optional<std::string>>> JsonStrings(const engine::Value& value) {
  std::vector<std::optional<std::string>> out;
  if (value.is_null()) return out;
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(simdjson::padded_string(std::get<std::string>(value.data))).get(list)) {
    return Internal("Kafka sink headers: not a JSON list");
  }
  for (simdjson::dom::element item : list) {
    std::string_view text;
    if (item.is_null()) {
      out.emplace_back(std::nullopt);
    } else if (!item.get_string().get(text)) {
      out.emplace_back(std::string(text));
    }
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  }
  return out;
}

}  // namespace

Result<int64_t> WriteKafkaSink(engine::Connection& connection, const graph::Dataset& sink,
                               const std::string& rows_sql, const std::string& flow,
                               int64_t batch_id) {
  const std::string where = "Kafka sink '" + sink.name() + "'";
  std::map<std::string, std::string> client;
  std::optional<std::string> topic_option;
  for (const auto& [key, value] : sink.definition.sink_options) {
    if (ToLower(key).rfind("kafka.", 0) == 0) client[key.substr(6)] = value;
    if (EqualsIgnoreCase(key, "topic")) topic_option = value;
  }
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult shape,
                          connection.Query("SELECT * FROM (" + rows_sql + ") LIMIT 0"));
  std::map<std::string, std::pair<std::string, std::string>> columns;  // lower -> name, type
  for (size_t i = 0; i < shape.column_count(); ++i) {
    columns[ToLower(shape.column_name(i))] = {shape.column_name(i), shape.column_type(i)};
  }
  auto column = [&](const char* name) -> const std::pair<std::string, std::string>* {
    auto it = columns.find(name);
    return it == columns.end() ? nullptr : &it->second;
  };
  std::vector<std::string> items;
  if (column("value") == nullptr) {
    return InvalidArgument(where, ": Required attribute 'value' not found");
  }
  auto failed = [&](const Status& status) { return status.WithContext(where); };
  auto value = BytesColumn(column("value")->first, column("value")->second, "value");
  if (!value.ok()) return failed(value.status());
  items.push_back(*value + " AS v");
  if (column("key") != nullptr) {
    auto key = BytesColumn(column("key")->first, column("key")->second, "key");
    if (!key.ok()) return failed(key.status());
    items.push_back(*key + " AS k");
  } else {
    items.push_back("NULL::BLOB AS k");
  }
  if (topic_option) {
    items.push_back(QuoteLiteral(*topic_option) + " AS t");
  } else if (column("topic") != nullptr) {
    if (column("topic")->second != "VARCHAR") {
      return InvalidArgument(where, ": topic attribute type must be a string");
    }
    items.push_back(QuoteIdentifier(column("topic")->first) + " AS t");
  } else {
    return InvalidArgument(where,
                           ": topic option required when no 'topic' attribute is present. Use "
                           "the topic option for setting a topic.");
  }
  items.push_back(column("partition") != nullptr
                      ? "CAST(" + QuoteIdentifier(column("partition")->first) + " AS INTEGER) AS p"
                      : "NULL::INTEGER AS p");
  if (column("headers") != nullptr) {
    const std::string h = QuoteIdentifier(column("headers")->first);
    items.push_back("list_transform(" + h + ", x -> x.key) AS hk");
    items.push_back("list_transform(" + h + ", x -> hex(x.value)) AS hv");
  }
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult rows,
      connection.Query("SELECT " + Join(items, ", ") + " FROM (" + rows_sql + ")", true));
  auto writer = sources::KafkaWriter::Connect(client, 120000);
  if (!writer.ok()) return failed(writer.status());
  const std::string batch = std::to_string(batch_id);
  for (const std::vector<engine::Value>& row : rows.rows()) {
    sources::OutgoingRecord record;
    if (row[2].is_null()) return InvalidArgument(where, ": a row's topic is NULL");
    record.topic = std::get<std::string>(row[2].data);
    if (!row[0].is_null()) record.value = std::get<engine::Value::Blob>(row[0].data).bytes;
    if (!row[1].is_null()) record.key = std::get<engine::Value::Blob>(row[1].data).bytes;
    if (!row[3].is_null()) record.partition = static_cast<int32_t>(std::get<int64_t>(row[3].data));
    if (row.size() > 4) {
      SLUICE_ASSIGN_OR_RETURN(auto keys, JsonStrings(row[4]));
      SLUICE_ASSIGN_OR_RETURN(auto values, JsonStrings(row[5]));
      for (size_t i = 0; i < keys.size() && i < values.size(); ++i) {
        if (!keys[i]) return InvalidArgument(where, ": a row has a header whose key is NULL");
        record.headers.emplace_back(
            *keys[i], values[i] ? std::optional<std::string>(Unhex(*values[i])) : std::nullopt);
      }
    }
    record.headers.emplace_back("sluice.flow", flow);
    record.headers.emplace_back("sluice.batch_id", batch);
    Status written = (*writer)->Write(record);
    if (!written.ok()) return failed(written);
  }
  Status flushed = (*writer)->Flush();
  if (!flushed.ok()) return failed(flushed);
  return static_cast<int64_t>(rows.row_count());
}

}  // namespace sluice::runtime
