// ParseActions: simdjson On-Demand over each line of a commit file. Commits and JSON
// checkpoints can hold 100k+ actions, so the input is copied once into a padded buffer and
// every line is parsed in place with one reused parser.

#include <algorithm>
#include <cstdint>
#include <string>

#include "delta/action_field_reader.h"
#include "delta/action_json.h"

namespace sluice::delta {
namespace {

using internal::FieldReader;
namespace od = simdjson::ondemand;
using internal::Where;

// Parses the actions of one line. Every error names the source file and line.
class LineParser : public FieldReader {
 public:
  using FieldReader::FieldReader;

  Status Parse(od::document& doc, std::vector<Action>* out);

 private:
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
};

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
