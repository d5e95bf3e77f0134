#include "sources/kafka_options.h"

#include <simdjson.h>

#include "common/strings.h"

namespace sluice::sources {
namespace {

// The Kafka client options Spark refuses, with its reasons.
struct RefusedClientOption {
  const char* name;
  const char* reason;
};
constexpr RefusedClientOption kRefused[] = {
    {"auto.offset.reset",
     "Kafka option 'auto.offset.reset' is not supported. Instead set the source option "
     "'startingoffsets' to 'earliest' or 'latest' to specify where to start. Structured "
     "Streaming manages which offsets are consumed internally, rather than relying on the "
     "kafkaConsumer to do it. Note that 'startingoffsets' only applies when a new streaming "
     "query is started, and that resuming will always pick up from where the query left off."},
    {"key.deserializer",
     "Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays "
     "with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys."},
    {"value.deserializer",
     "Kafka option 'value.deserializer' is not supported as values are deserialized as byte "
     "arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize "
     "the values."},
    {"enable.auto.commit",
     "Kafka option 'enable.auto.commit' is not supported: the offsets a pipeline has read are "
     "kept in its checkpoint, never committed to Kafka."},
    {"interceptor.classes",
     "Kafka option 'interceptor.classes' is not supported as returning null values from "
     "interceptors is not possible."},
};

// Java keystores have no librdkafka equivalent; PEM files do.
constexpr RefusedClientOption kJavaOnly[] = {
    {"ssl.truststore.location",
     "Kafka option 'kafka.ssl.truststore.location' names a Java keystore, which sluice's Kafka "
     "client (librdkafka) cannot read: give the CA certificates as a PEM file with "
     "'kafka.ssl.ca.location'"},
    {"ssl.keystore.location",
     "Kafka option 'kafka.ssl.keystore.location' names a Java keystore, which sluice's Kafka "
     "client (librdkafka) cannot read: give 'kafka.ssl.certificate.location' and "
     "'kafka.ssl.key.location' as PEM files"},
    {"ssl.truststore.password", nullptr},
    {"ssl.truststore.type", nullptr},
    {"ssl.keystore.type", nullptr},
};

const std::string* Find(const std::map<std::string, std::string>& options, std::string_view name) {
  for (const auto& [key, value] : options) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

Result<int64_t> PositiveLong(const std::string& value, const std::string& option) {
  std::optional<int64_t> parsed = ParseInt64(Trim(value));
  if (!parsed || *parsed <= 0) {
    return InvalidArgument("Kafka option '", option, "' must be a positive number, not '", value,
                           "'");
  }
  return *parsed;
}

Result<bool> Boolean(const std::string& value, const std::string& option) {
  const std::string lower = ToLower(Trim(value));
  if (lower == "true") return true;
  if (lower == "false") return false;
  return InvalidArgument("Kafka option '", option, "' must be true or false, not '", value, "'");
}

// A duration as Spark's maxTriggerDelay takes it: "15m", "30s", "500ms", "1h", or
// milliseconds.
Result<int64_t> DurationMs(const std::string& value, const std::string& option) {
  const std::string text = ToLower(Trim(value));
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::optional<int64_t> number = ParseInt64(text.substr(0, digits));
  const std::string unit = Trim(text.substr(digits));
  static const std::pair<const char*, int64_t> kUnits[] = {{"", 1},
                                                           {"ms", 1},
                                                           {"s", 1000},
                                                           {"sec", 1000},
                                                           {"second", 1000},
                                                           {"seconds", 1000},
                                                           {"m", 60000},
                                                           {"min", 60000},
                                                           {"minute", 60000},
                                                           {"minutes", 60000},
                                                           {"h", 3600000},
                                                           {"hour", 3600000},
                                                           {"hours", 3600000},
                                                           {"d", 86400000},
                                                           {"day", 86400000},
                                                           {"days", 86400000}};
  if (number) {
    for (const auto& [name, factor] : kUnits) {
      if (unit == name) return *number * factor;
    }
  }
  return InvalidArgument("Kafka option '", option, "' must be a duration such as '15m', not '",
                         value, "'");
}

// The user name and password of a Java JAAS login module line (PlainLoginModule or
// ScramLoginModule), which Databricks pipelines give as kafka.sasl.jaas.config.
Status ApplyJaasConfig(const std::string& text, std::map<std::string, std::string>& client) {
  if (text.find("PlainLoginModule") == std::string::npos &&
      text.find("ScramLoginModule") == std::string::npos) {
    return InvalidArgument(
        "Kafka option 'kafka.sasl.jaas.config' is read for PlainLoginModule and "
        "ScramLoginModule logins (username and password) only; for other mechanisms give "
        "librdkafka's settings as kafka.* options (e.g. 'kafka.sasl.oauthbearer.config')");
  }
  auto field = [&](std::string_view name) -> std::optional<std::string> {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      size_t i = at + name.size();
      while (i < text.size() && text[i] == ' ') ++i;
      if (i >= text.size() || text[i] != '=') continue;
      ++i;
      while (i < text.size() && text[i] == ' ') ++i;
      if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) continue;
      const char quote = text[i];
      const size_t end = text.find(quote, i + 1);
      if (end == std::string::npos) return std::nullopt;
      return text.substr(i + 1, end - i - 1);
    }
    return std::nullopt;
  };
  std::optional<std::string> user = field("username");
  std::optional<std::string> password = field("password");
  if (!user || !password) {
    return InvalidArgument(
        "Kafka option 'kafka.sasl.jaas.config' has no username=\"...\" and password=\"...\"");
  }
  client["sasl.username"] = *user;
  client["sasl.password"] = *password;
  return Status::OK();
}

Result<std::vector<TopicPartition>> ParseAssign(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object topics;
  auto bad = [&] {
    return InvalidArgument("Kafka option 'assign' must be JSON such as {\"topicA\":[0,1]}, not '",
                           json, "'");
  };
  if (parser.parse(simdjson::padded_string(json)).get(doc) || doc.get_object().get(topics)) {
    return bad();
  }
  std::vector<TopicPartition> out;
  for (auto [topic, partitions] : topics) {
    simdjson::dom::array list;
    if (partitions.get_array().get(list)) return bad();
    for (simdjson::dom::element p : list) {
      int64_t partition = 0;
      if (p.get_int64().get(partition) || partition < 0) return bad();
      out.push_back({std::string(topic), static_cast<int32_t>(partition)});
    }
  }
  if (out.empty()) {
    return InvalidArgument(
        "No topicpartitions to assign as specified value for option 'assign' is '", json, "'");
  }
  return out;
}

// startingOffsets / endingOffsets: earliest, latest, or per-partition JSON.
Result<OffsetBound> ParseOffsetsOption(const std::string& value, const std::string& option) {
  OffsetBound bound;
  const std::string lower = ToLower(Trim(value));
  if (lower == "earliest") {
    bound.kind = OffsetBound::Kind::kEarliest;
  } else if (lower == "latest") {
    bound.kind = OffsetBound::Kind::kLatest;
  } else {
    bound.kind = OffsetBound::Kind::kOffsets;
    SLUICE_ASSIGN_OR_RETURN(bound.offsets, ParsePartitionOffsets(value, option));
  }
  return bound;
}

// The start or end of the read from its options, the most specific winning as in Spark:
// a global timestamp, then per-partition timestamps, then offsets.
Result<std::optional<OffsetBound>> ParseBound(const std::map<std::string, std::string>& given,
                                              const std::string& prefix) {
  const std::string timestamp_option = prefix + "Timestamp";
  const std::string by_timestamp_option = prefix + "OffsetsByTimestamp";
  const std::string offsets_option = prefix + "Offsets";
  std::optional<OffsetBound> bound;
  if (const std::string* text = Find(given, timestamp_option)) {
    bound.emplace();
    bound->kind = OffsetBound::Kind::kTimestamp;
    std::optional<int64_t> ms = ParseInt64(Trim(*text));
    if (!ms || *ms < 0) {
      return InvalidArgument("Kafka option '", timestamp_option,
                             "' must be milliseconds since the epoch, not '", *text, "'");
    }
    bound->timestamp_ms = *ms;
  } else if (const std::string* json = Find(given, by_timestamp_option)) {
    bound.emplace();
    bound->kind = OffsetBound::Kind::kTimestamps;
    SLUICE_ASSIGN_OR_RETURN(bound->offsets, ParsePartitionOffsets(*json, by_timestamp_option));
  } else if (const std::string* offsets = Find(given, offsets_option)) {
    SLUICE_ASSIGN_OR_RETURN(OffsetBound parsed, ParseOffsetsOption(*offsets, offsets_option));
    bound = std::move(parsed);
  }
  if (bound && prefix == "starting") {
    if (const std::string* strategy = Find(given, "startingOffsetsByTimestampStrategy")) {
      const std::string lower = ToLower(Trim(*strategy));
      if (lower != "error" && lower != "latest") {
        return InvalidArgument(
            "Kafka option 'startingOffsetsByTimestampStrategy' is 'error' or 'latest', not '",
            *strategy, "'");
      }
      bound->timestamp_falls_back_to_latest = lower == "latest";
    }
  }
  return bound;
}

Status CheckBatchBounds(const KafkaOptions& options) {
  if (options.starting.kind == OffsetBound::Kind::kLatest) {
    return InvalidArgument("starting offset can't be latest for batch queries on Kafka");
  }
  for (const auto& [partition, offset] : options.starting.offsets) {
    if (options.starting.kind == OffsetBound::Kind::kOffsets && offset == kLatestOffset) {
      return InvalidArgument("startingOffsets for ", partition.ToString(),
                             " can't be latest for batch queries on Kafka");
    }
  }
  if (options.ending.kind == OffsetBound::Kind::kEarliest) {
    return InvalidArgument("ending offset can't be earliest for batch queries on Kafka");
  }
  for (const auto& [partition, offset] : options.ending.offsets) {
    if (options.ending.kind == OffsetBound::Kind::kOffsets && offset == kEarliestOffset) {
      return InvalidArgument("ending offset for ", partition.ToString(),
                             " can't be earliest for batch queries on Kafka");
    }
  }
  return Status::OK();
}

}  // namespace

std::string KafkaOptions::Describe() const {
  auto servers = client.find("bootstrap.servers");
  std::string what;
  switch (subscription) {
    case Subscription::kSubscribe:
      what = "topics " + Join(topics, ",");
      break;
    case Subscription::kSubscribePattern:
      what = "topics matching '" + pattern + "'";
      break;
    case Subscription::kAssign: {
      std::vector<std::string> names;
      for (const TopicPartition& p : assigned) names.push_back(p.ToString());
      what = "partitions " + Join(names, ",");
      break;
    }
  }
  return "Kafka " + (servers == client.end() ? std::string() : servers->second) + " (" + what + ")";
}

Result<std::map<TopicPartition, int64_t>> ParsePartitionOffsets(const std::string& json,
                                                                const std::string& option) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object topics;
  auto bad = [&] {
    return InvalidArgument("Kafka option '", option,
                           "' must be 'earliest', 'latest' or JSON such as "
                           "{\"topicA\":{\"0\":23,\"1\":-1}}, not '",
                           json, "'");
  };
  if (parser.parse(simdjson::padded_string(json)).get(doc) || doc.get_object().get(topics)) {
    return bad();
  }
  std::map<TopicPartition, int64_t> out;
  for (auto [topic, partitions] : topics) {
    simdjson::dom::object by_partition;
    if (partitions.get_object().get(by_partition)) return bad();
    for (auto [partition, offset] : by_partition) {
      std::optional<int64_t> p = ParseInt64(partition);
      int64_t value = 0;
      if (!p || *p < 0 || offset.get_int64().get(value) || value < kEarliestOffset) return bad();
      out[{std::string(topic), static_cast<int32_t>(*p)}] = value;
    }
  }
  return out;
}

std::string PartitionOffsetsJson(const std::map<TopicPartition, int64_t>& offsets) {
  std::string out = "{";
  std::string topic;
  for (const auto& [partition, offset] : offsets) {
    if (partition.topic != topic || out == "{") {
      if (out != "{") out += "},";
      AppendJsonString(out, partition.topic);
      out += ":{";
      topic = partition.topic;
    } else {
      out += ",";
    }
    out += "\"" + std::to_string(partition.partition) + "\":" + std::to_string(offset);
  }
  if (out != "{") out += "}";
  return out + "}";
}

Result<KafkaOptions> ParseKafkaOptions(const std::map<std::string, std::string>& given,
                                       bool streaming) {
  KafkaOptions options;
  // The subscription: exactly one of subscribe, subscribePattern, assign.
  const std::string* subscribe = Find(given, "subscribe");
  const std::string* pattern = Find(given, "subscribePattern");
  const std::string* assign = Find(given, "assign");
  const int strategies = (subscribe != nullptr) + (pattern != nullptr) + (assign != nullptr);
  if (strategies == 0) {
    return InvalidArgument(
        "One of the following options must be specified for Kafka source: subscribe, "
        "subscribePattern, assign. See the docs for more details.");
  }
  if (strategies > 1) {
    return InvalidArgument(
        "Only one of the following options can be specified for Kafka source: subscribe, "
        "subscribePattern, assign. See the docs for more details.");
  }
  if (subscribe != nullptr) {
    options.subscription = KafkaOptions::Subscription::kSubscribe;
    for (const std::string& topic : Split(*subscribe, ',')) {
      if (!Trim(topic).empty()) options.topics.push_back(Trim(topic));
    }
    if (options.topics.empty()) {
      return InvalidArgument(
          "No topics to subscribe to as specified value for option 'subscribe' is '", *subscribe,
          "'");
    }
  } else if (pattern != nullptr) {
    options.subscription = KafkaOptions::Subscription::kSubscribePattern;
    options.pattern = Trim(*pattern);
    if (options.pattern.empty()) {
      return InvalidArgument(
          "Pattern to subscribe is empty as specified value for option 'subscribePattern' is '",
          *pattern, "'");
    }
  } else {
    options.subscription = KafkaOptions::Subscription::kAssign;
    SLUICE_ASSIGN_OR_RETURN(options.assigned, ParseAssign(*assign));
  }

  // The client's configuration.
  for (const auto& [key, value] : given) {
    if (ToLower(key).rfind("kafka.", 0) != 0) continue;
    const std::string name = key.substr(6);
    for (const RefusedClientOption& refused : kRefused) {
      if (EqualsIgnoreCase(name, refused.name)) return InvalidArgument(refused.reason);
    }
    bool java_only = false;
    for (const RefusedClientOption& option : kJavaOnly) {
      if (!EqualsIgnoreCase(name, option.name)) continue;
      if (option.reason != nullptr) return InvalidArgument(option.reason);
      java_only = true;  // a setting of the refused keystore: refused with it, else unused
    }
    if (java_only) continue;
    if (EqualsIgnoreCase(name, "sasl.jaas.config")) {
      SLUICE_RETURN_IF_ERROR(ApplyJaasConfig(value, options.client));
      continue;
    }
    options.client[name] = value;
  }
  if (const std::string* servers = Find(given, "bootstrapServers")) {
    options.client["bootstrap.servers"] = *servers;
  }
  if (options.client.find("bootstrap.servers") == options.client.end()) {
    return InvalidArgument(
        "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer");
  }

  // Where to start and end.
  SLUICE_ASSIGN_OR_RETURN(std::optional<OffsetBound> starting, ParseBound(given, "starting"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<OffsetBound> ending, ParseBound(given, "ending"));
  options.starting.kind = streaming ? OffsetBound::Kind::kLatest : OffsetBound::Kind::kEarliest;
  if (starting) options.starting = std::move(*starting);
  if (streaming && ending) {
    return InvalidArgument("ending offset not valid in streaming queries");
  }
  if (ending) options.ending = std::move(*ending);
  if (!streaming) SLUICE_RETURN_IF_ERROR(CheckBatchBounds(options));

  if (const std::string* value = Find(given, "maxOffsetsPerTrigger")) {
    SLUICE_ASSIGN_OR_RETURN(options.max_offsets_per_trigger,
                            PositiveLong(*value, "maxOffsetsPerTrigger"));
  }
  if (const std::string* value = Find(given, "minOffsetsPerTrigger")) {
    SLUICE_ASSIGN_OR_RETURN(options.min_offsets_per_trigger,
                            PositiveLong(*value, "minOffsetsPerTrigger"));
  }
  if (options.min_offsets_per_trigger && options.max_offsets_per_trigger &&
      *options.min_offsets_per_trigger > *options.max_offsets_per_trigger) {
    return InvalidArgument("The value of minOffsetPerTrigger(", *options.min_offsets_per_trigger,
                           ") is higher than the maxOffsetsPerTrigger(",
                           *options.max_offsets_per_trigger, ").");
  }
  if (const std::string* value = Find(given, "maxTriggerDelay")) {
    SLUICE_ASSIGN_OR_RETURN(options.max_trigger_delay_ms, DurationMs(*value, "maxTriggerDelay"));
  }
  if (const std::string* value = Find(given, "failOnDataLoss")) {
    SLUICE_ASSIGN_OR_RETURN(options.fail_on_data_loss, Boolean(*value, "failOnDataLoss"));
  }
  if (const std::string* value = Find(given, "includeHeaders")) {
    SLUICE_ASSIGN_OR_RETURN(options.include_headers, Boolean(*value, "includeHeaders"));
  }
  if (const std::string* value = Find(given, "kafkaConsumer.pollTimeoutMs")) {
    SLUICE_ASSIGN_OR_RETURN(options.poll_timeout_ms,
                            PositiveLong(*value, "kafkaConsumer.pollTimeoutMs"));
  }
  return options;
}

}  // namespace sluice::sources
