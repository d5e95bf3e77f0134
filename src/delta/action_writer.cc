// SerializeAction: key order and field presence follow what Spark (delta-spark 3.x) writes,
// so that our commit files look like Spark's to people and tools comparing them.

#include <type_traits>

#include "delta/action_json.h"
#include "delta/json_writer.h"

namespace sluice::delta {
namespace {

void WriteStringMap(JsonWriter& w, const StringMap& map) {
  w.BeginObject();
  for (const auto& [key, value] : map) w.Key(key).String(value);
  w.EndObject();
}

void WritePartitionValues(JsonWriter& w, const PartitionValues& values) {
  w.BeginObject();
  for (const auto& [key, value] : values) {
    w.Key(key);
    if (value) {
      w.String(*value);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

void WriteStringList(JsonWriter& w, const std::vector<std::string>& list) {
  w.BeginArray();
  for (const auto& item : list) w.String(item);
  w.EndArray();
}

void WriteDeletionVector(JsonWriter& w, const DeletionVectorDescriptor& dv) {
  w.BeginObject();
  w.Key("storageType").String(std::string_view(&dv.storage_type, 1));
  w.Key("pathOrInlineDv").String(dv.path_or_inline_dv);
  if (dv.offset) w.Key("offset").Int(*dv.offset);
  w.Key("sizeInBytes").Int(dv.size_in_bytes);
  w.Key("cardinality").Int(dv.cardinality);
  w.EndObject();
}

void WriteOptionalTags(JsonWriter& w, const std::optional<StringMap>& tags) {
  if (!tags) return;
  w.Key("tags");
  WriteStringMap(w, *tags);
}

void Write(JsonWriter& w, const Protocol& p) {
  w.Key("minReaderVersion").Int(p.min_reader_version);
  w.Key("minWriterVersion").Int(p.min_writer_version);
  if (p.reader_features) {
    w.Key("readerFeatures");
    WriteStringList(w, *p.reader_features);
  }
  if (p.writer_features) {
    w.Key("writerFeatures");
    WriteStringList(w, *p.writer_features);
  }
}

void Write(JsonWriter& w, const Metadata& m) {
  w.Key("id").String(m.id);
  if (m.name) w.Key("name").String(*m.name);
  if (m.description) w.Key("description").String(*m.description);
  w.Key("format").BeginObject();
  w.Key("provider").String(m.format.provider);
  w.Key("options");
  WriteStringMap(w, m.format.options);
  w.EndObject();
  if (m.schema_string) w.Key("schemaString").String(*m.schema_string);
  w.Key("partitionColumns");
  WriteStringList(w, m.partition_columns);
  w.Key("configuration");
  WriteStringMap(w, m.configuration);
  if (m.created_time) w.Key("createdTime").Int(*m.created_time);
}

void Write(JsonWriter& w, const AddFile& a) {
  w.Key("path").String(a.path);
  w.Key("partitionValues");
  WritePartitionValues(w, a.partition_values);
  w.Key("size").Int(a.size);
  w.Key("modificationTime").Int(a.modification_time);
  w.Key("dataChange").Bool(a.data_change);
  if (a.stats) w.Key("stats").String(*a.stats);
  WriteOptionalTags(w, a.tags);
  if (a.deletion_vector) {
    w.Key("deletionVector");
    WriteDeletionVector(w, *a.deletion_vector);
  }
  if (a.base_row_id) w.Key("baseRowId").Int(*a.base_row_id);
  if (a.default_row_commit_version) {
    w.Key("defaultRowCommitVersion").Int(*a.default_row_commit_version);
  }
  if (a.clustering_provider) w.Key("clusteringProvider").String(*a.clustering_provider);
}

void Write(JsonWriter& w, const RemoveFile& r) {
  w.Key("path").String(r.path);
  if (r.deletion_timestamp) w.Key("deletionTimestamp").Int(*r.deletion_timestamp);
  w.Key("dataChange").Bool(r.data_change);
  if (r.extended_file_metadata) w.Key("extendedFileMetadata").Bool(*r.extended_file_metadata);
  if (r.partition_values) {
    w.Key("partitionValues");
    WritePartitionValues(w, *r.partition_values);
  }
  if (r.size) w.Key("size").Int(*r.size);
  WriteOptionalTags(w, r.tags);
  if (r.deletion_vector) {
    w.Key("deletionVector");
    WriteDeletionVector(w, *r.deletion_vector);
  }
  if (r.base_row_id) w.Key("baseRowId").Int(*r.base_row_id);
  if (r.default_row_commit_version) {
    w.Key("defaultRowCommitVersion").Int(*r.default_row_commit_version);
  }
  if (r.stats) w.Key("stats").String(*r.stats);
}

void Write(JsonWriter& w, const AddCdcFile& c) {
  w.Key("path").String(c.path);
  w.Key("partitionValues");
  WritePartitionValues(w, c.partition_values);
  w.Key("size").Int(c.size);
  WriteOptionalTags(w, c.tags);
  w.Key("dataChange").Bool(c.data_change);
}

void Write(JsonWriter& w, const SetTransaction& t) {
  w.Key("appId").String(t.app_id);
  w.Key("version").Int(t.version);
  if (t.last_updated) w.Key("lastUpdated").Int(*t.last_updated);
}

void Write(JsonWriter& w, const DomainMetadata& d) {
  w.Key("domain").String(d.domain);
  w.Key("configuration").String(d.configuration);
  w.Key("removed").Bool(d.removed);
}

void Write(JsonWriter& w, const Sidecar& s) {
  w.Key("path").String(s.path);
  w.Key("sizeInBytes").Int(s.size_in_bytes);
  w.Key("modificationTime").Int(s.modification_time);
  WriteOptionalTags(w, s.tags);
}

void Write(JsonWriter& w, const CheckpointMetadata& c) {
  w.Key("version").Int(c.version);
  WriteOptionalTags(w, c.tags);
}

}  // namespace

std::string SerializeAction(const Action& action) {
  std::string out;
  out.reserve(256);
  JsonWriter w(&out);
  w.BeginObject();
  w.Key(ActionName(action));
  std::visit(
      [&w](const auto& a) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, CommitInfo>) {
          w.Raw(a.json());
        } else {
          w.BeginObject();
          Write(w, a);
          w.EndObject();
        }
      },
      action);
  w.EndObject();
  return out;
}

std::string SerializeActions(const std::vector<Action>& actions) {
  std::string out;
  for (const Action& action : actions) {
    out += SerializeAction(action);
    out.push_back('\n');
  }
  return out;
}

}  // namespace sluice::delta
