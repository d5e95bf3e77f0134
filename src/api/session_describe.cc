// Session::Describe: a snapshot's identity, schema, protocol, properties and size.
#include <algorithm>
#include <string>

#include "api/session_internal.h"
#include "common/strings.h"

namespace sluice {
namespace {

Rows ColumnRows(const delta::Snapshot& snapshot) {
  Rows rows;
  rows.column_names = {"name", "type", "nullable", "partition"};
  rows.column_types = {"VARCHAR", "VARCHAR", "BOOLEAN", "BOOLEAN"};
  const delta::Schema* schema = snapshot.schema();
  if (schema == nullptr) return rows;
  const std::vector<std::string>& partitions = snapshot.partition_columns();
  for (const delta::StructField& field : schema->fields()) {
    bool partition = std::any_of(partitions.begin(), partitions.end(), [&](const std::string& p) {
      return EqualsIgnoreCase(p, field.name);
    });
    rows.rows.push_back(
        {Cell{field.name}, Cell{field.type->ToString()}, Cell{field.nullable}, Cell{partition}});
  }
  return rows;
}

}  // namespace

Result<TableDescription> Session::Describe(const std::string& path, const TableVersion& at) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, api::LoadTable(impl_->context, path, at));
  const delta::Metadata& metadata = snapshot->metadata();
  const delta::Protocol& protocol = snapshot->protocol();
  TableDescription description;
  description.path = snapshot->table_root();
  description.version = snapshot->version();
  description.id = metadata.id;
  description.name = metadata.name;
  description.description = metadata.description;
  description.schema_json = metadata.schema_string.value_or("");
  description.columns = ColumnRows(*snapshot);
  description.partition_columns = metadata.partition_columns;
  description.properties = metadata.configuration;
  description.min_reader_version = protocol.min_reader_version;
  description.min_writer_version = protocol.min_writer_version;
  description.reader_features = protocol.reader_features.value_or(std::vector<std::string>{});
  description.writer_features = protocol.writer_features.value_or(std::vector<std::string>{});
  description.num_files = static_cast<int64_t>(snapshot->files().size());
  description.size_bytes = snapshot->total_bytes();
  description.num_records = snapshot->total_records();
  description.created_time_ms = metadata.created_time.value_or(0);
  description.last_commit_ms = snapshot->timestamp_ms();
  return description;
}

}  // namespace sluice
