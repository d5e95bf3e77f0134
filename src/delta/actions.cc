#include "delta/actions.h"

#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>

#include "delta/json_writer.h"

namespace sluice::delta {
namespace {

using nlohmann::json;

std::optional<int64_t> IntField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t{INT64_MAX}) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<std::string> StringField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<bool> BoolField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::optional<StringMap> MapField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return std::nullopt;
  StringMap map;
  for (const auto& [k, v] : it->items()) {
    map.emplace(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  return map;
}

void WriteMap(JsonWriter& w, std::string_view key, const std::optional<StringMap>& map) {
  if (!map) return;
  w.Key(key).BeginObject();
  for (const auto& [k, v] : *map) w.Key(k).String(v);
  w.EndObject();
}

}  // namespace

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id(1, storage_type);
  id += path_or_inline_dv;
  if (offset) {
    id += '@';
    id += std::to_string(*offset);
  }
  return id;
}

CommitInfo CommitInfo::FromFields(const CommitInfoFields& f) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (f.in_commit_timestamp) w.Key("inCommitTimestamp").Int(*f.in_commit_timestamp);
  if (f.timestamp) w.Key("timestamp").Int(*f.timestamp);
  if (f.operation) w.Key("operation").String(*f.operation);
  WriteMap(w, "operationParameters", f.operation_parameters);
  if (f.read_version) w.Key("readVersion").Int(*f.read_version);
  if (f.isolation_level) w.Key("isolationLevel").String(*f.isolation_level);
  if (f.is_blind_append) w.Key("isBlindAppend").Bool(*f.is_blind_append);
  WriteMap(w, "operationMetrics", f.operation_metrics);
  if (f.engine_info) w.Key("engineInfo").String(*f.engine_info);
  if (f.txn_id) w.Key("txnId").String(*f.txn_id);
  w.EndObject();
  return CommitInfo(std::move(out));
}

CommitInfoFields CommitInfo::Fields() const {
  CommitInfoFields f;
  nlohmann::json object = nlohmann::json::parse(json_, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return f;
  f.in_commit_timestamp = IntField(object, "inCommitTimestamp");
  f.timestamp = IntField(object, "timestamp");
  f.operation = StringField(object, "operation");
  f.operation_parameters = MapField(object, "operationParameters");
  f.read_version = IntField(object, "readVersion");
  f.isolation_level = StringField(object, "isolationLevel");
  f.is_blind_append = BoolField(object, "isBlindAppend");
  f.operation_metrics = MapField(object, "operationMetrics");
  f.engine_info = StringField(object, "engineInfo");
  f.txn_id = StringField(object, "txnId");
  return f;
}

std::string_view ActionName(const Action& action) {
  static constexpr std::string_view kNames[] = {"protocol",   "metaData",
                                                "add",        "remove",
                                                "cdc",        "txn",
                                                "commitInfo", "domainMetadata",
                                                "sidecar",    "checkpointMetadata"};
  static_assert(std::size(kNames) == std::variant_size_v<Action>);
  return kNames[action.index()];
}

}  // namespace sluice::delta
