#include "runtime/checkpoint.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "common/uuid.h"
#include "runtime/file_tree.h"

namespace sluice::runtime {
namespace {

std::string OffsetsPath(const std::string& dir, int64_t batch) {
  return dir + "/offsets/" + std::to_string(batch) + ".json";
}
std::string CommitPath(const std::string& dir, int64_t batch) {
  return dir + "/commits/" + std::to_string(batch) + ".json";
}

// Batch numbers present in `dir` as <n>.json files, ascending.
Result<std::vector<int64_t>> ListBatches(io::FileSystem& fs, const std::string& dir) {
  std::vector<int64_t> batches;
  if (!fs.Exists(dir)) return batches;
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(dir));
  for (const io::FileInfo& entry : entries) {
    if (!EndsWith(entry.name, ".json")) continue;
    auto number = ParseInt64(entry.name.substr(0, entry.name.size() - 5));
    if (number && *number >= 0) batches.push_back(*number);
  }
  std::sort(batches.begin(), batches.end());
  return batches;
}

std::string CompactPath(const std::string& dir, int64_t batch) {
  return dir + "/compact/" + std::to_string(batch) + ".json";
}

// Compact the state every this many batches; keep this many batches' own files before it.
constexpr int64_t kCompactEvery = 100;
constexpr int64_t kKeepBatches = 10;

nlohmann::ordered_json SourcesJson(const std::map<std::string, SourceOffset>& offsets) {
  nlohmann::ordered_json sources = nlohmann::ordered_json::object();
  for (const auto& [key, source] : offsets) {
    nlohmann::ordered_json entry;
    if (!source.table_id.empty()) {
      entry["table_id"] = source.table_id;
      entry["start_version"] = source.start_version;
      entry["end_version"] = source.end_version;
      entry["initial_snapshot"] = source.initial_snapshot;
    }
    if (IsKafkaSourceKey(key)) {
      nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
      for (const PartitionRange& range : source.partitions) {
        partitions.push_back({{"topic", range.topic},
                              {"partition", range.partition},
                              {"start", range.start},
                              {"end", range.end}});
      }
      entry["kafka"] = std::move(partitions);
      entry["planned_at"] = source.planned_at_ms;
    } else if (IsJdbcSourceKey(key)) {
      entry["after"] = source.after ? nlohmann::ordered_json(*source.after) : nullptr;
      entry["up_to"] = source.up_to ? nlohmann::ordered_json(*source.up_to) : nullptr;
    } else if (!source.files.empty() || source.table_id.empty()) {
      nlohmann::ordered_json files = nlohmann::ordered_json::array();
      for (const SourceFile& file : source.files) {
        files.push_back({{"path", file.path},
                         {"size", file.size},
                         {"modification_time", file.modification_time_ms}});
      }
      entry["files"] = std::move(files);
    }
    if (source.schema_version >= 0) entry["schema_version"] = source.schema_version;
    sources[key] = std::move(entry);
  }
  return sources;
}

std::string EncodeOffsets(const BatchOffsets& offsets) {
  nlohmann::ordered_json doc;
  doc["batch_id"] = offsets.batch_id;
  doc["sources"] = SourcesJson(offsets.sources);
  return doc.dump() + "\n";
}

Result<BatchOffsets> DecodeOffsets(const std::string& path, const std::string& text) {
  auto bad = [&](std::string_view what) {
    return Corruption(path + ": invalid streaming checkpoint offsets: " + std::string(what));
  };
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(text)).get(doc)) return bad("not JSON");
  BatchOffsets offsets;
  if (doc["batch_id"].get_int64().get(offsets.batch_id)) return bad("no batch_id");
  simdjson::dom::object sources;
  if (doc["sources"].get_object().get(sources)) return bad("no sources");
  for (auto [key, value] : sources) {
    SourceOffset source;
    std::string_view table_id;
    if (!value["table_id"].get_string().get(table_id)) {
      source.table_id = std::string(table_id);
      if (value["start_version"].get_int64().get(source.start_version) ||
          value["end_version"].get_int64().get(source.end_version)) {
        return bad("versions of " + std::string(key));
      }
      bool initial = false;
      if (!value["initial_snapshot"].get_bool().get(initial)) source.initial_snapshot = initial;
    }
    simdjson::dom::array files;
    if (!value["files"].get_array().get(files)) {
      for (simdjson::dom::element file : files) {
        std::string_view name;
        SourceFile entry;
        if (!file.get_string().get(name)) {  // a path alone, as earlier versions wrote
          entry.path = std::string(name);
        } else if (file["path"].get_string().get(name) ||
                   file["size"].get_int64().get(entry.size) ||
                   file["modification_time"].get_int64().get(entry.modification_time_ms)) {
          return bad("file of " + std::string(key));
        } else {
          entry.path = std::string(name);
        }
        source.files.push_back(std::move(entry));
      }
    }
    simdjson::dom::array partitions;
    if (!value["kafka"].get_array().get(partitions)) {
      for (simdjson::dom::element partition : partitions) {
        PartitionRange range;
        std::string_view topic;
        int64_t number = 0;
        if (partition["topic"].get_string().get(topic) ||
            partition["partition"].get_int64().get(number) ||
            partition["start"].get_int64().get(range.start) ||
            partition["end"].get_int64().get(range.end)) {
          return bad("Kafka offsets of " + std::string(key));
        }
        range.topic = std::string(topic);
        range.partition = static_cast<int32_t>(number);
        source.partitions.push_back(std::move(range));
      }
      if (value["planned_at"].get_int64().get(source.planned_at_ms)) {
        return bad("planning time of " + std::string(key));
      }
    }
    std::string_view bound;
    if (!value["after"].get_string().get(bound)) source.after = std::string(bound);
    if (!value["up_to"].get_string().get(bound)) source.up_to = std::string(bound);
    int64_t schema_version = -1;
    if (!value["schema_version"].get_int64().get(schema_version)) {
      source.schema_version = schema_version;
    }
    offsets.sources.emplace(std::string(key), std::move(source));
  }
  return offsets;
}

}  // namespace

Result<FlowCheckpoint> FlowCheckpoint::Open(io::FileSystem& fs, const std::string& dir,
                                            const std::string& flow) {
  FlowCheckpoint checkpoint(fs, dir);
  SLUICE_RETURN_IF_ERROR(checkpoint.Load(flow));
  return checkpoint;
}

Status FlowCheckpoint::Reset(io::FileSystem& fs, const std::string& dir) {
  return RemoveTree(fs, dir);
}

Status FlowCheckpoint::Load(const std::string& flow) {
  const std::string metadata_path = dir_ + "/metadata.json";
  auto metadata = fs_->ReadFile(metadata_path);
  if (!metadata.ok()) {
    if (metadata.status().code() != StatusCode::kNotFound) return metadata.status();
    SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(dir_ + "/offsets"));
    SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(dir_ + "/commits"));
    nlohmann::ordered_json doc;
    doc["id"] = NewUuid();
    doc["flow"] = flow;
    // Put-if-absent: two updates can never race here (the update lock), but a crash
    // between creating folders and this file must leave a usable checkpoint.
    Status put = fs_->PutIfAbsent(metadata_path, doc.dump() + "\n");
    if (!put.ok() && put.code() != StatusCode::kAlreadyExists) return put;
    SLUICE_ASSIGN_OR_RETURN(metadata, fs_->ReadFile(metadata_path));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view id;
  if (parser.parse(simdjson::padded_string(*metadata)).get(doc) || doc["id"].get_string().get(id)) {
    return Corruption(metadata_path +
                      ": invalid streaming checkpoint metadata (delete the "
                      "folder or run with --reset-checkpoint to start the flow over)");
  }
  id_ = std::string(id);

  // The latest compacted state, then the batches after it.
  int64_t compacted = -1;
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> compacts, ListBatches(*fs_, dir_ + "/compact"));
  if (!compacts.empty()) {
    compacted = compacts.back();
    SLUICE_RETURN_IF_ERROR(LoadCompacted(CompactPath(dir_, compacted)));
    last_committed_ = compacted;
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> offsets, ListBatches(*fs_, dir_ + "/offsets"));
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> commits, ListBatches(*fs_, dir_ + "/commits"));
  std::set<int64_t> committed(commits.begin(), commits.end());
  for (int64_t batch : offsets) {
    if (batch <= compacted) continue;
    const std::string path = OffsetsPath(dir_, batch);
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
    SLUICE_ASSIGN_OR_RETURN(BatchOffsets parsed, DecodeOffsets(path, text));
    if (committed.count(batch)) {
      Fold(parsed);
      last_committed_ = batch;
    } else if (batch == offsets.back()) {
      pending_ = std::move(parsed);
    } else {
      return Corruption(path + ": batch " + std::to_string(batch) +
                        " has no commit marker but later batches exist");
    }
  }
  return Status::OK();
}

void FlowCheckpoint::Fold(const BatchOffsets& offsets) {
  for (const auto& [key, source] : offsets.sources) {
    committed_[key] = source;
    for (const SourceFile& file : source.files) {
      seen_files_[key][file.path] = SeenFile{file, offsets.batch_id};
    }
  }
}

Status FlowCheckpoint::WriteOffsets(const BatchOffsets& offsets) {
  SLUICE_RETURN_IF_ERROR(
      fs_->WriteFile(OffsetsPath(dir_, offsets.batch_id), EncodeOffsets(offsets)));
  pending_ = offsets;
  SLUICE_SYNC_POINT("checkpoint.offsets_written");
  return Status::OK();
}

Status FlowCheckpoint::Commit(const BatchOffsets& offsets, int64_t table_version) {
  nlohmann::ordered_json doc;
  doc["batch_id"] = offsets.batch_id;
  doc["table_version"] = table_version;
  SLUICE_RETURN_IF_ERROR(fs_->WriteFile(CommitPath(dir_, offsets.batch_id), doc.dump() + "\n"));
  Fold(offsets);
  last_committed_ = offsets.batch_id;
  pending_.reset();
  if ((offsets.batch_id + 1) % kCompactEvery == 0) return Compact(offsets.batch_id);
  return Status::OK();
}

Status FlowCheckpoint::Compact(int64_t batch) {
  nlohmann::ordered_json seen = nlohmann::ordered_json::object();
  for (const auto& [key, files] : seen_files_) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [path, file] : files) {
      list.push_back({{"path", path},
                      {"size", file.file.size},
                      {"modification_time", file.file.modification_time_ms},
                      {"batch_id", file.batch_id}});
    }
    seen[key] = std::move(list);
  }
  nlohmann::ordered_json doc;
  doc["batch_id"] = batch;
  doc["sources"] = SourcesJson(committed_);
  doc["seen"] = std::move(seen);
  SLUICE_RETURN_IF_ERROR(fs_->WriteFile(CompactPath(dir_, batch), doc.dump() + "\n"));
  SLUICE_SYNC_POINT("checkpoint.compacted");
  // What the compacted state holds is no longer read: drop older batches' offsets and older
  // compactions. Commit markers stay (they are small, only listed, and date each batch for
  // cloud_files_state).
  for (const char* folder : {"/offsets", "/compact"}) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> batches, ListBatches(*fs_, dir_ + folder));
    const int64_t keep_from = std::string_view(folder) == "/compact" ? batch : batch - kKeepBatches;
    for (int64_t old : batches) {
      if (old >= keep_from) break;
      Status deleted = fs_->DeleteFile(dir_ + folder + "/" + std::to_string(old) + ".json");
      if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
    }
  }
  return Status::OK();
}

Status FlowCheckpoint::LoadCompacted(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  SLUICE_ASSIGN_OR_RETURN(BatchOffsets state, DecodeOffsets(path, text));
  committed_ = std::move(state.sources);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object seen;
  if (parser.parse(simdjson::padded_string(text)).get(doc) || doc["seen"].get_object().get(seen)) {
    return Corruption(path + ": invalid compacted streaming checkpoint: no seen files");
  }
  for (auto [key, files] : seen) {
    simdjson::dom::array list;
    if (files.get_array().get(list)) return Corruption(path + ": invalid seen files");
    auto& by_path = seen_files_[std::string(key)];
    for (simdjson::dom::element file : list) {
      SeenFile entry;
      std::string_view name;
      if (file["path"].get_string().get(name) || file["size"].get_int64().get(entry.file.size) ||
          file["modification_time"].get_int64().get(entry.file.modification_time_ms) ||
          file["batch_id"].get_int64().get(entry.batch_id)) {
        return Corruption(path + ": invalid seen file of " + std::string(key));
      }
      entry.file.path = std::string(name);
      by_path[entry.file.path] = std::move(entry);
    }
  }
  return Status::OK();
}

}  // namespace sluice::runtime
