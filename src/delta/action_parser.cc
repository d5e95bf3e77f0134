// ParseActions: simdjson On-Demand over each line of a commit file. Commits and JSON
// checkpoints can hold 100k+ actions, so the input is copied once into a padded buffer and
// every line is parsed in place with one reused parser.

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "delta/action_json.h"

namespace sluice::delta {
namespace {

namespace od = simdjson::ondemand;

// Names the field being read, for messages such as "add.size: expected an integer".
struct Where {
  std::string_view action;
  std::string_view field;
};

// Parses the actions of one line. Every error names the source file and line.
class LineParser {
 public:
  LineParser(std::string_view source, size_t line) : source_(source), line_(line) {}

  Status Parse(od::document& doc, std::vector<Action>* out);

 private:
  Status Fail(std::string_view what) const {
    return Corruption(source_, " line ", line_, ": ", what);
  }
  Status InvalidJson(simdjson::error_code error) const {
    return Fail(StrCat("invalid JSON: ", simdjson::error_message(error)));
  }
  Status WrongType(Where w, std::string_view expected, simdjson::error_code error) const {
    if (error != simdjson::INCORRECT_TYPE && error != simdjson::NUMBER_OUT_OF_RANGE) {
      return Fail(
          StrCat("invalid JSON in ", w.action, ".", w.field, ": ", simdjson::error_message(error)));
    }
    return Fail(StrCat(w.action, ".", w.field, ": expected ", expected));
  }
  Status Missing(std::string_view action, std::string_view field) const {
    return Fail(StrCat(action, " lacks required field '", field, "'"));
  }

  // Calls fn(key, value) for every field of an object; fn returns a Status.
  template <typename Fn>
  Status ForEachField(od::value& v, Where w, Fn&& fn);

  Result<bool> IsNull(od::value& v);
  Status Get(od::value& v, Where w, std::optional<std::string>* out);
  Status Get(od::value& v, Where w, std::optional<int64_t>* out);
  Status Get(od::value& v, Where w, std::optional<int32_t>* out);
  Status Get(od::value& v, Where w, std::optional<bool>* out);
  Status Get(od::value& v, Where w, std::optional<std::vector<std::string>>* out);
  Status Get(od::value& v, Where w, std::optional<StringMap>* out);
  Status Get(od::value& v, Where w, std::optional<PartitionValues>* out);
  Status Get(od::value& v, Where w, std::optional<DeletionVectorDescriptor>* out);
  // A JSON object kept as compact JSON text.
  Status GetObjectText(od::value& v, Where w, std::optional<std::string>* out);
  template <typename Map>
  Status GetMap(od::value& v, Where w, std::optional<Map>* out);
  template <typename Map>
  Status PutMapValue(od::value& v, Where w, std::string key, Map* map);

  Status ParseProtocol(od::value& v, std::vector<Action>* out);
  Status ParseMetadata(od::value& v, std::vector<Action>* out);
  Status ParseAdd(od::value& v, std::vector<Action>* out);
  Status ParseRemove(od::value& v, std::vector<Action>* out);
  Status ParseCdc(od::value& v, std::vector<Action>* out);
  Status ParseTxn(od::value& v, std::vector<Action>* out);
  Status ParseCommitInfo(od::value& v, std::vector<Action>* out);
  Status ParseDomainMetadata(od::value& v, std::vector<Action>* out);
  Status ParseSidecar(od::value& v, std::vector<Action>* out);
  Status ParseCheckpointMetadata(od::value& v, std::vector<Action>* out);

  std::string_view source_;
  size_t line_;
};

template <typename Fn>
Status LineParser::ForEachField(od::value& v, Where w, Fn&& fn) {
  od::object object;
  if (auto error = v.get_object().get(object)) return WrongType(w, "an object", error);
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return InvalidJson(error);
    od::value value;
    if (auto error = field.value().get(value)) return InvalidJson(error);
    SLUICE_RETURN_IF_ERROR(fn(key, value));
  }
  return Status::OK();
}

Result<bool> LineParser::IsNull(od::value& v) {
  od::json_type type;
  if (auto error = v.type().get(type)) return InvalidJson(error);
  return type == od::json_type::null;
}

Status LineParser::Get(od::value& v, Where w, std::optional<std::string>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  std::string_view text;
  if (auto error = v.get_string().get(text)) return WrongType(w, "a string", error);
  out->emplace(text);
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<int64_t>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  int64_t number;
  if (auto error = v.get_int64().get(number)) return WrongType(w, "an integer", error);
  *out = number;
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<int32_t>* out) {
  std::optional<int64_t> wide;
  SLUICE_RETURN_IF_ERROR(Get(v, w, &wide));
  if (wide && (*wide < std::numeric_limits<int32_t>::min() ||
               *wide > std::numeric_limits<int32_t>::max())) {
    return Fail(StrCat(w.action, ".", w.field, ": ", *wide, " does not fit in 32 bits"));
  }
  if (wide) {
    *out = static_cast<int32_t>(*wide);
  } else {
    out->reset();
  }
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<bool>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  bool flag;
  if (auto error = v.get_bool().get(flag)) return WrongType(w, "true or false", error);
  *out = flag;
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<std::vector<std::string>>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  od::array array;
  if (auto error = v.get_array().get(array)) return WrongType(w, "an array of strings", error);
  std::vector<std::string> list;
  for (auto element_result : array) {
    od::value element;
    if (auto error = element_result.get(element)) return InvalidJson(error);
    std::string_view text;
    if (auto error = element.get_string().get(text)) {
      return WrongType(w, "an array of strings", error);
    }
    list.emplace_back(text);
  }
  *out = std::move(list);
  return Status::OK();
}

template <typename Map>
Status LineParser::PutMapValue(od::value& v, Where w, std::string key, Map* map) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    // A null partition value is meaningful; a null tag or property value is dropped.
    if constexpr (std::is_same_v<Map, PartitionValues>) map->insert_or_assign(key, std::nullopt);
    return Status::OK();
  }
  std::string_view text;
  if (auto error = v.get_string().get(text)) {
    return WrongType(w, "an object of strings", error);
  }
  map->insert_or_assign(std::move(key), std::string(text));
  return Status::OK();
}

template <typename Map>
Status LineParser::GetMap(od::value& v, Where w, std::optional<Map>* out) {
  od::json_type type;
  if (auto error = v.type().get(type)) return InvalidJson(error);
  Map map;
  if (type == od::json_type::null) {
    out->reset();
    return Status::OK();
  }
  if (type == od::json_type::object) {
    SLUICE_RETURN_IF_ERROR(ForEachField(v, w, [&](std::string_view key, od::value& value) {
      return PutMapValue(value, w, std::string(key), &map);
    }));
  } else if (type == od::json_type::array) {
    // [{"key":k,"value":v}, ...]: how some tools render a Parquet MAP as JSON.
    od::array array;
    if (auto error = v.get_array().get(array)) return InvalidJson(error);
    for (auto entry_result : array) {
      od::value entry;
      if (auto error = entry_result.get(entry)) return InvalidJson(error);
      std::optional<std::string> key;
      bool has_value = false;
      SLUICE_RETURN_IF_ERROR(ForEachField(entry, w, [&](std::string_view k, od::value& value) {
        if (k == "key") return Get(value, w, &key);
        if (k == "value") {
          if (!key) return Fail(StrCat(w.action, ".", w.field, ": map entry value before key"));
          has_value = true;
          return PutMapValue(value, w, *key, &map);
        }
        return Status::OK();
      }));
      if (!key) return Fail(StrCat(w.action, ".", w.field, ": map entry without a key"));
      if (!has_value) {
        if constexpr (std::is_same_v<Map, PartitionValues>) {
          map.insert_or_assign(*key, std::nullopt);
        }
      }
    }
  } else {
    return Fail(StrCat(w.action, ".", w.field, ": expected an object"));
  }
  *out = std::move(map);
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<StringMap>* out) {
  return GetMap(v, w, out);
}

Status LineParser::Get(od::value& v, Where w, std::optional<PartitionValues>* out) {
  return GetMap(v, w, out);
}

Status LineParser::GetObjectText(od::value& v, Where w, std::optional<std::string>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  od::object object;
  if (auto error = v.get_object().get(object)) return WrongType(w, "an object", error);
  std::string_view raw;
  if (auto error = object.raw_json().get(raw)) return InvalidJson(error);
  std::string compact(raw.size(), '\0');
  size_t length = 0;
  if (auto error = simdjson::minify(raw.data(), raw.size(), compact.data(), length)) {
    return InvalidJson(error);
  }
  compact.resize(length);
  *out = std::move(compact);
  return Status::OK();
}

Status LineParser::Get(od::value& v, Where w, std::optional<DeletionVectorDescriptor>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  std::string where = StrCat(w.action, ".deletionVector");
  std::optional<std::string> storage_type, path_or_inline_dv;
  std::optional<int32_t> offset, size_in_bytes;
  std::optional<int64_t> cardinality;
  SLUICE_RETURN_IF_ERROR(ForEachField(v, w, [&](std::string_view key, od::value& value) {
    Where f{where, key};
    if (key == "storageType") return Get(value, f, &storage_type);
    if (key == "pathOrInlineDv") return Get(value, f, &path_or_inline_dv);
    if (key == "offset") return Get(value, f, &offset);
    if (key == "sizeInBytes") return Get(value, f, &size_in_bytes);
    if (key == "cardinality") return Get(value, f, &cardinality);
    return Status::OK();
  }));
  if (!storage_type) return Missing(where, "storageType");
  if (!path_or_inline_dv) return Missing(where, "pathOrInlineDv");
  if (!size_in_bytes) return Missing(where, "sizeInBytes");
  if (!cardinality) return Missing(where, "cardinality");
  if (*storage_type != "u" && *storage_type != "i" && *storage_type != "p") {
    return Fail(StrCat(where, ".storageType: '", *storage_type, "' is not u, i or p"));
  }
  DeletionVectorDescriptor dv;
  dv.storage_type = (*storage_type)[0];
  dv.path_or_inline_dv = std::move(*path_or_inline_dv);
  dv.offset = offset;
  dv.size_in_bytes = *size_in_bytes;
  dv.cardinality = *cardinality;
  *out = std::move(dv);
  return Status::OK();
}

Status LineParser::ParseProtocol(od::value& v, std::vector<Action>* out) {
  std::optional<int32_t> reader, writer;
  Protocol p;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"protocol", ""}, [&](std::string_view key, od::value& value) {
        Where w{"protocol", key};
        if (key == "minReaderVersion") return Get(value, w, &reader);
        if (key == "minWriterVersion") return Get(value, w, &writer);
        if (key == "readerFeatures") return Get(value, w, &p.reader_features);
        if (key == "writerFeatures") return Get(value, w, &p.writer_features);
        return Status::OK();
      }));
  if (!reader) return Missing("protocol", "minReaderVersion");
  if (!writer) return Missing("protocol", "minWriterVersion");
  p.min_reader_version = *reader;
  p.min_writer_version = *writer;
  out->emplace_back(std::move(p));
  return Status::OK();
}

Status LineParser::ParseMetadata(od::value& v, std::vector<Action>* out) {
  Metadata m;
  std::optional<std::string> id, provider;
  std::optional<StringMap> options, configuration;
  std::optional<std::vector<std::string>> partition_columns;
  bool has_format = false;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"metaData", ""}, [&](std::string_view key, od::value& value) -> Status {
        Where w{"metaData", key};
        if (key == "id") return Get(value, w, &id);
        if (key == "name") return Get(value, w, &m.name);
        if (key == "description") return Get(value, w, &m.description);
        if (key == "schemaString") return Get(value, w, &m.schema_string);
        if (key == "partitionColumns") return Get(value, w, &partition_columns);
        if (key == "configuration") return Get(value, w, &configuration);
        if (key == "createdTime") return Get(value, w, &m.created_time);
        if (key == "format") {
          SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(value));
          if (is_null) return Status::OK();
          has_format = true;
          return ForEachField(value, w, [&](std::string_view k, od::value& inner) {
            Where f{"metaData.format", k};
            if (k == "provider") return Get(inner, f, &provider);
            if (k == "options") return Get(inner, f, &options);
            return Status::OK();
          });
        }
        return Status::OK();
      }));
  if (!id) return Missing("metaData", "id");
  if (!has_format) return Missing("metaData", "format");
  if (!provider) return Missing("metaData.format", "provider");
  if (!partition_columns) return Missing("metaData", "partitionColumns");
  if (!configuration) return Missing("metaData", "configuration");
  m.id = std::move(*id);
  m.format.provider = std::move(*provider);
  if (options) m.format.options = std::move(*options);
  m.partition_columns = std::move(*partition_columns);
  m.configuration = std::move(*configuration);
  out->emplace_back(std::move(m));
  return Status::OK();
}

Status LineParser::ParseAdd(od::value& v, std::vector<Action>* out) {
  AddFile a;
  std::optional<std::string> path, stats_parsed;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size, modification_time;
  std::optional<bool> data_change;
  SLUICE_RETURN_IF_ERROR(ForEachField(v, {"add", ""}, [&](std::string_view key, od::value& value) {
    Where w{"add", key};
    if (key == "path") return Get(value, w, &path);
    if (key == "partitionValues") return Get(value, w, &partition_values);
    if (key == "size") return Get(value, w, &size);
    if (key == "modificationTime") return Get(value, w, &modification_time);
    if (key == "dataChange") return Get(value, w, &data_change);
    if (key == "stats") return Get(value, w, &a.stats);
    if (key == "stats_parsed") return GetObjectText(value, w, &stats_parsed);
    if (key == "tags") return Get(value, w, &a.tags);
    if (key == "deletionVector") return Get(value, w, &a.deletion_vector);
    if (key == "baseRowId") return Get(value, w, &a.base_row_id);
    if (key == "defaultRowCommitVersion") return Get(value, w, &a.default_row_commit_version);
    if (key == "clusteringProvider") return Get(value, w, &a.clustering_provider);
    return Status::OK();
  }));
  if (!path) return Missing("add", "path");
  if (!partition_values) return Missing("add", "partitionValues");
  if (!size) return Missing("add", "size");
  if (!modification_time) return Missing("add", "modificationTime");
  if (!data_change) return Missing("add", "dataChange");
  a.path = std::move(*path);
  a.partition_values = std::move(*partition_values);
  a.size = *size;
  a.modification_time = *modification_time;
  a.data_change = *data_change;
  if (!a.stats && stats_parsed) a.stats = std::move(stats_parsed);
  out->emplace_back(std::move(a));
  return Status::OK();
}

Status LineParser::ParseRemove(od::value& v, std::vector<Action>* out) {
  RemoveFile r;
  std::optional<std::string> path, stats_parsed;
  std::optional<bool> data_change;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"remove", ""}, [&](std::string_view key, od::value& value) {
        Where w{"remove", key};
        if (key == "path") return Get(value, w, &path);
        if (key == "deletionTimestamp") return Get(value, w, &r.deletion_timestamp);
        if (key == "dataChange") return Get(value, w, &data_change);
        if (key == "extendedFileMetadata") return Get(value, w, &r.extended_file_metadata);
        if (key == "partitionValues") return Get(value, w, &r.partition_values);
        if (key == "size") return Get(value, w, &r.size);
        if (key == "tags") return Get(value, w, &r.tags);
        if (key == "deletionVector") return Get(value, w, &r.deletion_vector);
        if (key == "baseRowId") return Get(value, w, &r.base_row_id);
        if (key == "defaultRowCommitVersion") return Get(value, w, &r.default_row_commit_version);
        if (key == "stats") return Get(value, w, &r.stats);
        if (key == "stats_parsed") return GetObjectText(value, w, &stats_parsed);
        return Status::OK();
      }));
  if (!path) return Missing("remove", "path");
  if (!data_change) return Missing("remove", "dataChange");
  r.path = std::move(*path);
  r.data_change = *data_change;
  if (!r.stats && stats_parsed) r.stats = std::move(stats_parsed);
  out->emplace_back(std::move(r));
  return Status::OK();
}

Status LineParser::ParseCdc(od::value& v, std::vector<Action>* out) {
  AddCdcFile c;
  std::optional<std::string> path;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<bool> data_change;
  SLUICE_RETURN_IF_ERROR(ForEachField(v, {"cdc", ""}, [&](std::string_view key, od::value& value) {
    Where w{"cdc", key};
    if (key == "path") return Get(value, w, &path);
    if (key == "partitionValues") return Get(value, w, &partition_values);
    if (key == "size") return Get(value, w, &size);
    if (key == "dataChange") return Get(value, w, &data_change);
    if (key == "tags") return Get(value, w, &c.tags);
    return Status::OK();
  }));
  if (!path) return Missing("cdc", "path");
  if (!partition_values) return Missing("cdc", "partitionValues");
  if (!size) return Missing("cdc", "size");
  if (!data_change) return Missing("cdc", "dataChange");
  c.path = std::move(*path);
  c.partition_values = std::move(*partition_values);
  c.size = *size;
  c.data_change = *data_change;
  out->emplace_back(std::move(c));
  return Status::OK();
}

Status LineParser::ParseTxn(od::value& v, std::vector<Action>* out) {
  SetTransaction t;
  std::optional<std::string> app_id;
  std::optional<int64_t> version;
  SLUICE_RETURN_IF_ERROR(ForEachField(v, {"txn", ""}, [&](std::string_view key, od::value& value) {
    Where w{"txn", key};
    if (key == "appId") return Get(value, w, &app_id);
    if (key == "version") return Get(value, w, &version);
    if (key == "lastUpdated") return Get(value, w, &t.last_updated);
    return Status::OK();
  }));
  if (!app_id) return Missing("txn", "appId");
  if (!version) return Missing("txn", "version");
  t.app_id = std::move(*app_id);
  t.version = *version;
  out->emplace_back(std::move(t));
  return Status::OK();
}

Status LineParser::ParseCommitInfo(od::value& v, std::vector<Action>* out) {
  od::object object;
  if (auto error = v.get_object().get(object)) {
    return WrongType({"commitInfo", ""}, "an object", error);
  }
  std::string_view raw;
  if (auto error = object.raw_json().get(raw)) return InvalidJson(error);
  // raw_json() runs up to the next token, so it may carry the whitespace after the object.
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
    raw.remove_suffix(1);
  }
  out->emplace_back(CommitInfo(std::string(raw)));
  return Status::OK();
}

Status LineParser::ParseDomainMetadata(od::value& v, std::vector<Action>* out) {
  std::optional<std::string> domain, configuration;
  std::optional<bool> removed;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"domainMetadata", ""}, [&](std::string_view key, od::value& value) {
        Where w{"domainMetadata", key};
        if (key == "domain") return Get(value, w, &domain);
        if (key == "configuration") return Get(value, w, &configuration);
        if (key == "removed") return Get(value, w, &removed);
        return Status::OK();
      }));
  if (!domain) return Missing("domainMetadata", "domain");
  if (!configuration) return Missing("domainMetadata", "configuration");
  if (!removed) return Missing("domainMetadata", "removed");
  out->emplace_back(DomainMetadata{std::move(*domain), std::move(*configuration), *removed});
  return Status::OK();
}

Status LineParser::ParseSidecar(od::value& v, std::vector<Action>* out) {
  Sidecar s;
  std::optional<std::string> path;
  std::optional<int64_t> size_in_bytes, modification_time;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"sidecar", ""}, [&](std::string_view key, od::value& value) {
        Where w{"sidecar", key};
        if (key == "path") return Get(value, w, &path);
        if (key == "sizeInBytes") return Get(value, w, &size_in_bytes);
        if (key == "modificationTime") return Get(value, w, &modification_time);
        if (key == "tags") return Get(value, w, &s.tags);
        return Status::OK();
      }));
  if (!path) return Missing("sidecar", "path");
  if (!size_in_bytes) return Missing("sidecar", "sizeInBytes");
  if (!modification_time) return Missing("sidecar", "modificationTime");
  s.path = std::move(*path);
  s.size_in_bytes = *size_in_bytes;
  s.modification_time = *modification_time;
  out->emplace_back(std::move(s));
  return Status::OK();
}

Status LineParser::ParseCheckpointMetadata(od::value& v, std::vector<Action>* out) {
  CheckpointMetadata c;
  std::optional<int64_t> version;
  SLUICE_RETURN_IF_ERROR(
      ForEachField(v, {"checkpointMetadata", ""}, [&](std::string_view key, od::value& value) {
        Where w{"checkpointMetadata", key};
        if (key == "version") return Get(value, w, &version);
        if (key == "tags") return Get(value, w, &c.tags);
        return Status::OK();
      }));
  if (!version) return Missing("checkpointMetadata", "version");
  c.version = *version;
  out->emplace_back(std::move(c));
  return Status::OK();
}

Status LineParser::Parse(od::document& doc, std::vector<Action>* out) {
  od::json_type type;
  if (auto error = doc.type().get(type)) return InvalidJson(error);
  if (type != od::json_type::object) return Fail("expected a JSON object per line");
  od::object root;
  if (auto error = doc.get_object().get(root)) return InvalidJson(error);
  for (auto field : root) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return InvalidJson(error);
    od::value value;
    if (auto error = field.value().get(value)) return InvalidJson(error);
    SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(value));
    if (is_null) continue;
    if (key == "add") {
      SLUICE_RETURN_IF_ERROR(ParseAdd(value, out));
    } else if (key == "remove") {
      SLUICE_RETURN_IF_ERROR(ParseRemove(value, out));
    } else if (key == "metaData") {
      SLUICE_RETURN_IF_ERROR(ParseMetadata(value, out));
    } else if (key == "protocol") {
      SLUICE_RETURN_IF_ERROR(ParseProtocol(value, out));
    } else if (key == "commitInfo") {
      SLUICE_RETURN_IF_ERROR(ParseCommitInfo(value, out));
    } else if (key == "txn") {
      SLUICE_RETURN_IF_ERROR(ParseTxn(value, out));
    } else if (key == "cdc") {
      SLUICE_RETURN_IF_ERROR(ParseCdc(value, out));
    } else if (key == "domainMetadata") {
      SLUICE_RETURN_IF_ERROR(ParseDomainMetadata(value, out));
    } else if (key == "sidecar") {
      SLUICE_RETURN_IF_ERROR(ParseSidecar(value, out));
    } else if (key == "checkpointMetadata") {
      SLUICE_RETURN_IF_ERROR(ParseCheckpointMetadata(value, out));
    }
  }
  // Only the end of the input may follow the object.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return Fail("invalid JSON: unexpected text after the object");
  }
  return Status::OK();
}

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

Result<std::vector<Action>> ParseActions(std::string_view ndjson, std::string_view source_path) {
  std::vector<Action> actions;
  // One action per line is the rule; reserving avoids moving 100k+ actions while growing.
  actions.reserve(std::count(ndjson.begin(), ndjson.end(), '\n') + 1);
  simdjson::padded_string buffer(ndjson);
  od::parser parser;
  const char* data = buffer.data();
  const size_t size = buffer.size();
  size_t line_number = 0;
  size_t start = 0;
  while (start < size) {
    ++line_number;
    size_t end = std::string_view(data, size).find('\n', start);
    if (end == std::string_view::npos) end = size;
    std::string_view line(data + start, end - start);
    if (!IsBlank(line)) {
      LineParser line_parser(source_path, line_number);
      od::document doc;
      size_t capacity = size - start + simdjson::SIMDJSON_PADDING;
      if (auto error = parser.iterate(line.data(), line.size(), capacity).get(doc)) {
        return Corruption(source_path, " line ", line_number,
                          ": invalid JSON: ", simdjson::error_message(error));
      }
      SLUICE_RETURN_IF_ERROR(line_parser.Parse(doc, &actions));
    }
    start = end + 1;
  }
  return actions;
}

}  // namespace sluice::delta
