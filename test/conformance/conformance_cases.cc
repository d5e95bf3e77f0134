// The cases of the conformance suite; conformance/README.md in ../shared says what each
// table holds and what a correct reader answers.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "conformance/conformance.h"
#include "delta/change_data_feed.h"
#include "delta/paths.h"
#include "delta/scan.h"
#include "support/temp_dir.h"

namespace sluice::conformance {
namespace {

namespace fs = std::filesystem;
using delta::DeltaContext;

std::string& MutableRoot() {
  static std::string root = testing::ConformancePath("");
  return root;
}

std::vector<std::string> SortedSubdirectories(const std::string& directory) {
  std::vector<std::string> names;
  if (!fs::is_directory(directory)) return names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Scans `table` at `version` and compares with `expected_sql`; every column must have the
// type the table's schema declares.
Status CompareScan(DeltaContext& context, const std::string& table, std::optional<int64_t> version,
                   const std::string& expected_sql, CompareOptions options = {}) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          delta::LoadSnapshot(context, table, version));
  if (snapshot->schema() != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(options.declared_types,
                            DeclaredTypes(*context.connection, *snapshot->schema()));
  }
  SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(context, *snapshot));
  Status status = CompareRows(*context.connection, plan.sql, expected_sql, options);
  Status released = delta::ReleaseScan(*context.connection, plan);
  SLUICE_RETURN_IF_ERROR(status);
  return released;
}

// Opening (and scanning) the table must fail with an error that names the table or its log
// and contains `reason`: the case fails for that reason, not another.
Status ExpectFailure(DeltaContext& context, const std::string& table, const std::string& reason) {
  Status status = delta::LoadSnapshot(context, table).status();
  if (status.ok()) {
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context, table);
    status = delta::ScanAll(context, **snapshot).status();
    if (status.ok()) return InvalidArgument("opening the table succeeded; it must fail");
  }
  const std::string& message = status.message();
  if (message.find(table) == std::string::npos && message.find("_delta_log") == std::string::npos) {
    return InvalidArgument("the error does not name the table: ", status.ToString());
  }
  if (message.find(reason) == std::string::npos) {
    return InvalidArgument("the error is not '", reason, "': ", status.ToString());
  }
  return Status::OK();
}

Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(path);
  nlohmann::json value = nlohmann::json::parse(in, nullptr, false);
  if (value.is_discarded()) return Corruption(path, ": invalid JSON");
  return value;
}

// DAT: expected/<latest|vN>/table_version_metadata.json + table_content/.
void AddDatCases(std::vector<Case>& cases) {
  std::string base = Root() + "dat-v0.0.2/reader_tests/";
  for (const std::string& name : SortedSubdirectories(base)) {
    for (const std::string& expected : SortedSubdirectories(base + name + "/expected")) {
      std::string dir = base + name + "/expected/" + expected;
      std::string table = base + name + "/delta";
      cases.push_back(
          {"dat/" + name + "/" + expected, [=](DeltaContext& context) -> Status {
             SLUICE_ASSIGN_OR_RETURN(nlohmann::json meta,
                                     ReadJsonFile(dir + "/table_version_metadata.json"));
             int64_t version = meta.at("version").get<int64_t>();
             std::optional<int64_t> at;
             if (expected != "latest") at = version;
             SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                                     delta::LoadSnapshot(context, table, at));
             if (snapshot->version() != version) {
               return InvalidArgument("version ", snapshot->version(), ", expected ", version);
             }
             if (snapshot->protocol().min_reader_version != meta.at("min_reader_version") ||
                 snapshot->protocol().min_writer_version != meta.at("min_writer_version")) {
               return InvalidArgument("protocol differs from the expected metadata");
             }
             for (auto& [key, value] : meta.at("properties").items()) {
               auto it = snapshot->configuration().find(key);
               if (it == snapshot->configuration().end() ||
                   it->second != value.get<std::string>()) {
                 return InvalidArgument("table property ", key, " differs");
               }
             }
             return CompareScan(context, table, at, ExpectedParquet(dir + "/table_content"));
           }});
    }
  }
}

// Golden tables with expected/ (latest scan); negatives must fail to open.
void AddGoldenCases(std::vector<Case>& cases) {
  std::string base = Root() + "delta-kernel-rs/golden_data/";
  // Each negative case must fail for its own reason.
  const std::map<std::string, std::string> negative = {
      {"deltalog-invalid-protocol-version", "needs Delta reader version 99"},
      {"deltalog-state-reconstruction-from-checkpoint-missing-metadata", "has no metaData action"},
      {"deltalog-state-reconstruction-from-checkpoint-missing-protocol", "has no protocol action"},
      {"deltalog-state-reconstruction-without-metadata", "has no metaData action"},
      {"deltalog-state-reconstruction-without-protocol", "has no protocol action"},
      {"no-delta-log-folder", "has no _delta_log directory"},
      {"versions-not-contiguous", "commit versions are not contiguous"}};
  // Expectations known to be wrong, and the one value that is wrong in each: the case is
  // skipped only when that value is its only difference.
  struct KnownBad {
    std::string reason;
    CompareOptions::Correction correction;
  };
  const std::map<std::string, KnownBad> known_bad = {
      {"data-reader-partition-values",
       {"the stored expected as_timestamp value disagrees with the table (conformance README)",
        // The partition value "2021-09-08 11:11:11" is UTC; the stored expectation holds it
        // shifted by 7 hours (written under a US Pacific session time zone).
        {"as_timestamp", "2021-09-08 18:11:11+00", "2021-09-08 11:11:11+00"}}},
  };
  for (const std::string& name : SortedSubdirectories(base)) {
    std::string table = base + name + "/delta";
    if (auto it = negative.find(name); it != negative.end()) {
      cases.push_back(
          {"golden/" + name + " (must fail)", [table, reason = it->second](DeltaContext& context) {
             return ExpectFailure(context, table, reason);
           }});
      continue;
    }
    if (!fs::is_directory(base + name + "/expected")) continue;
    std::string expected = base + name + "/expected";
    Case c{"golden/" + name, [=](DeltaContext& context) {
             return CompareScan(context, table, std::nullopt, ExpectedParquet(expected));
           }};
    if (auto bad = known_bad.find(name); bad != known_bad.end()) {
      c.skip_reason = bad->second.reason;
      c.known_difference = [=, correction = bad->second.correction](DeltaContext& context) {
        CompareOptions options;
        options.corrections = {correction};
        return CompareScan(context, table, std::nullopt, ExpectedParquet(expected), options);
      };
    }
    cases.push_back(std::move(c));
  }
}

// delta-kernel-rs/data tables with transcribed scans.
void AddTranscribedScanCases(std::vector<Case>& cases) {
  std::string base = Root() + "delta-kernel-rs/data/";
  for (const std::string& name : SortedSubdirectories(base)) {
    std::string dir = base + name + "/expected_transcribed";
    if (!fs::is_directory(dir)) continue;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string file = entry.path().filename().string();
      if (StartsWith(file, "scan_latest")) files.push_back(file);
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      std::string path = dir + "/" + file;
      std::string table = base + name;
      cases.push_back(
          {"data/" + name + "/" + file, [=](DeltaContext& context) -> Status {
             std::vector<std::string> columns;
             if (file != "scan_latest.csv") {
               // Projected expectations list only some columns.
               SLUICE_ASSIGN_OR_RETURN(engine::QueryResult header,
                                       context.connection->Query("DESCRIBE " + ExpectedCsv(path)));
               for (const auto& row : header.rows()) columns.push_back(row[0].ToString());
             }
             // A transcribed CSV is all text (the table's schema gives the types) and cannot
             // tell an empty string from NULL.
             CompareOptions options;
             options.columns = std::move(columns);
             options.expected_typed = false;
             options.empty_is_null = true;
             return CompareScan(context, table, std::nullopt, ExpectedCsv(path), options);
           }});
    }
  }
}

// The types of a change feed's columns: the data columns' from the schema at the end
// version, then _change_type, _commit_version and _commit_timestamp (delta-protocol.md).
Status ChangeFeedTypes(engine::Connection& connection, const delta::ChangeFeedPlan& plan,
                       std::map<std::string, std::string>* types) {
  if (plan.end_snapshot != nullptr && plan.end_snapshot->schema() != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(*types, DeclaredTypes(connection, *plan.end_snapshot->schema()));
  }
  (*types)["_change_type"] = "VARCHAR";
  (*types)["_commit_version"] = "BIGINT";
  (*types)["_commit_timestamp"] = "TIMESTAMP WITH TIME ZONE";
  return Status::OK();
}

// Change Data Feed ranges: cdf_start<S>_end<E|latest>.csv.
void AddChangeFeedCases(std::vector<Case>& cases) {
  std::string base = Root() + "delta-kernel-rs/data/";
  for (const std::string& name : SortedSubdirectories(base)) {
    std::string dir = base + name + "/expected_transcribed";
    if (!fs::is_directory(dir)) continue;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string file = entry.path().filename().string();
      if (StartsWith(file, "cdf_start")) files.push_back(file);
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      // cdf_start<S>_end<E|latest>.csv
      std::string range = file.substr(9, file.size() - 9 - 4);
      size_t separator = range.find("_end");
      std::optional<int64_t> start = ParseInt64(range.substr(0, separator));
      std::string end_text = range.substr(separator + 4);
      std::optional<int64_t> end;
      if (end_text != "latest") end = ParseInt64(end_text);
      std::string path = dir + "/" + file;
      std::string table = base + name;
      cases.push_back(
          {"cdf/" + name + "/" + file, [=](DeltaContext& context) -> Status {
             SLUICE_ASSIGN_OR_RETURN(delta::ChangeFeedPlan plan,
                                     delta::PlanChangeDataFeed(context, table, *start, end));
             // The transcription leaves out _commit_timestamp: every other column is compared,
             // with the types of the table's schema and of the feed's own columns.
             SLUICE_ASSIGN_OR_RETURN(engine::QueryResult header,
                                     context.connection->Query("DESCRIBE " + ExpectedCsv(path)));
             CompareOptions options;
             for (const auto& row : header.rows()) options.columns.push_back(row[0].ToString());
             options.expected_typed = false;
             options.empty_is_null = true;
             Status status = ChangeFeedTypes(*context.connection, plan, &options.declared_types);
             if (status.ok()) {
               status = CompareRows(*context.connection, plan.sql, ExpectedCsv(path), options);
             }
             Status released = delta::ReleaseChangeDataFeed(*context.connection, plan);
             SLUICE_RETURN_IF_ERROR(status);
             return released;
           }});
    }
  }
  std::string simple = base + "cdf-table-simple";
  struct BadRange {
    int64_t start;
    int64_t end;
    std::string reason;  // what the error must say
  };
  for (const BadRange& range :
       std::vector<BadRange>{{1, 0, "start version 1 is after its end version 0"},
                             {3, 4, "start version 3 is after the latest version"}}) {
    cases.push_back({"cdf/cdf-table-simple range (" + std::to_string(range.start) + ", " +
                         std::to_string(range.end) + ") must fail",
                     [=](DeltaContext& context) -> Status {
                       auto plan =
                           delta::PlanChangeDataFeed(context, simple, range.start, range.end);
                       if (plan.ok()) {
                         (void)delta::ReleaseChangeDataFeed(*context.connection, *plan);
                         return InvalidArgument("the range was accepted");
                       }
                       if (plan.status().message().find(range.reason) == std::string::npos) {
                         return InvalidArgument("the error is not '", range.reason,
                                                "': ", plan.status().ToString());
                       }
                       return Status::OK();
                     }});
  }
}

std::vector<std::string> LiveFileNames(const delta::Snapshot& snapshot) {
  std::vector<std::string> names;
  for (const delta::AddFile& file : snapshot.files()) {
    Result<std::string> decoded = delta::DecodeAddPath(file.path);
    names.push_back(decoded.ok() ? *decoded : file.path);
  }
  return names;
}

// Facts stated in the conformance README for tables without expected files.
void AddFactCases(std::vector<Case>& cases) {
  std::string golden = Root() + "delta-kernel-rs/golden_data/";
  std::string data = Root() + "delta-kernel-rs/data/";
  cases.push_back({"fact/checkpoint: version 14", [=](DeltaContext& context) -> Status {
                     SLUICE_ASSIGN_OR_RETURN(
                         auto snapshot, delta::LoadSnapshot(context, golden + "checkpoint/delta"));
                     if (snapshot->version() != 14)
                       return InvalidArgument("version ", snapshot->version());
                     return Status::OK();
                   }});
  for (const char* name : {"canonicalized-paths-normal-a", "canonicalized-paths-normal-b",
                           "canonicalized-paths-special-a", "canonicalized-paths-special-b"}) {
    std::string table = golden + name + "/delta";
    cases.push_back({std::string("fact/") + name + ": version 1, no live files",
                     [=](DeltaContext& context) -> Status {
                       SLUICE_ASSIGN_OR_RETURN(auto snapshot, delta::LoadSnapshot(context, table));
                       if (snapshot->version() != 1 || !snapshot->files().empty()) {
                         return InvalidArgument("version ", snapshot->version(), " with ",
                                                snapshot->files().size(), " live files");
                       }
                       return Status::OK();
                     }});
  }
  cases.push_back(
      {"fact/delete-re-add-same-file-different-transactions", [=](DeltaContext& context) -> Status {
         SLUICE_ASSIGN_OR_RETURN(
             auto snapshot,
             delta::LoadSnapshot(context,
                                 golden + "delete-re-add-same-file-different-transactions/delta"));
         std::vector<std::string> names = LiveFileNames(*snapshot);
         std::sort(names.begin(), names.end());
         if (names != std::vector<std::string>{"bar", "foo"}) {
           return InvalidArgument("live files: ", Join(names, ", "));
         }
         for (const auto& file : snapshot->files()) {
           if (file.path == "foo" && file.modification_time != 1700000000000) {
             return InvalidArgument("foo has modificationTime ", file.modification_time);
           }
         }
         return Status::OK();
       }});
  cases.push_back(
      {"fact/log-replay-special-characters-b: one file 'special p@#h'",
       [=](DeltaContext& context) -> Status {
         SLUICE_ASSIGN_OR_RETURN(
             auto snapshot,
             delta::LoadSnapshot(context, golden + "log-replay-special-characters-b/delta"));
         std::vector<std::string> names = LiveFileNames(*snapshot);
         if (names.size() != 1 || fs::path(names[0]).filename() != "special p@#h") {
           return InvalidArgument("live files: ", Join(names, ", "));
         }
         return Status::OK();
       }});
  cases.push_back(
      {"fact/deltalog-getChanges: txn fakeAppId=3", [=](DeltaContext& context) -> Status {
         SLUICE_ASSIGN_OR_RETURN(
             auto snapshot, delta::LoadSnapshot(context, golden + "deltalog-getChanges/delta"));
         if (snapshot->TransactionVersion("fakeAppId") != 3 ||
             snapshot->TransactionVersion("nonExistentAppId").has_value()) {
           return InvalidArgument("wrong application transactions");
         }
         return Status::OK();
       }});
  for (const char* name : {"app-txn-checkpoint", "app-txn-no-checkpoint"}) {
    std::string table = data + name;
    cases.push_back({std::string("fact/") + name + ": my-app=3, my-app2=2",
                     [=](DeltaContext& context) -> Status {
                       SLUICE_ASSIGN_OR_RETURN(auto snapshot, delta::LoadSnapshot(context, table));
                       if (snapshot->TransactionVersion("my-app") != 3 ||
                           snapshot->TransactionVersion("my-app2") != 2) {
                         return InvalidArgument("wrong application transactions");
                       }
                       return Status::OK();
                     }});
  }
  // delta.setTransactionRetentionDuration is 1 day: every txn with a lastUpdated (all in
  // January 1970) has expired; new_app_0, which has none, never expires.
  cases.push_back({"fact/app-txn-with-last-updated: only new_app_0 outlives the retention",
                   [=](DeltaContext& context) -> Status {
                     SLUICE_ASSIGN_OR_RETURN(
                         auto snapshot,
                         delta::LoadSnapshot(context, data + "app-txn-with-last-updated"));
                     std::vector<std::string> app_ids;
                     for (const auto& [app_id, txn] : snapshot->transactions())
                       app_ids.push_back(app_id);
                     if (app_ids != std::vector<std::string>{"new_app_0"}) {
                       return InvalidArgument("application transactions: ", Join(app_ids, ", "));
                     }
                     return Status::OK();
                   }});
  for (auto [name, rows] : std::vector<std::pair<std::string, int64_t>>{
           {"table-with-dv-small", 8}, {"table-without-dv-small", 10}}) {
    std::string table = data + name;
    int64_t expected_rows = rows;
    cases.push_back({"fact/" + name + ": " + std::to_string(rows) + " rows",
                     [=](DeltaContext& context) -> Status {
                       SLUICE_ASSIGN_OR_RETURN(auto snapshot, delta::LoadSnapshot(context, table));
                       SLUICE_ASSIGN_OR_RETURN(auto result, delta::ScanAll(context, *snapshot));
                       if (static_cast<int64_t>(result.row_count()) != expected_rows) {
                         return InvalidArgument(result.row_count(), " rows");
                       }
                       return Status::OK();
                     }});
  }
  cases.push_back({"fact/delta-live-table: v1 empty with 10 columns, v0 without schema",
                   [=](DeltaContext& context) -> Status {
                     std::string table = Root() + "delta-rs/delta-live-table";
                     SLUICE_ASSIGN_OR_RETURN(auto v1, delta::LoadSnapshot(context, table));
                     SLUICE_ASSIGN_OR_RETURN(auto rows, delta::ScanAll(context, *v1));
                     if (v1->version() != 1 || rows.row_count() != 0 || rows.column_count() != 10) {
                       return InvalidArgument("v1: ", rows.row_count(), " rows, ",
                                              rows.column_count(), " columns");
                     }
                     SLUICE_ASSIGN_OR_RETURN(auto v0, delta::LoadSnapshot(context, table, 0));
                     if (v0->schema() != nullptr) return InvalidArgument("v0 has a schema");
                     return Status::OK();
                   }});
  cases.push_back({"fact/crc-malformed: no commits, must fail", [=](DeltaContext& context) {
                     return ExpectFailure(context, data + "crc-malformed", "holds no commits");
                   }});
  // Log-only tables (their data files were not kept): the log must replay.
  for (const char* name :
       {"with_checkpoint_no_last_checkpoint", "app-txn-with-last-updated", "table-with-cdf"}) {
    std::string table = data + name;
    cases.push_back(
        {std::string("open/") + name + ": log replays", [=](DeltaContext& context) -> Status {
           return delta::LoadSnapshot(context, table).status();
         }});
  }
  for (const char* name :
       {"v2-checkpoints-json-with-sidecars", "v1-multi-part-struct-stats-only",
        "parquet_row_group_skipping", "external-table-different-nullability", "void-column",
        "partitioned_with_materialize_feature", "type-widening", "crc-full", "parsed-stats",
        "mixed-nulls", "timestamp-truncation-stats", "stats-writing-all-types/delta"}) {
    std::string table = data + name;
    cases.push_back(
        {std::string("open/") + name + ": opens and scans", [=](DeltaContext& context) -> Status {
           SLUICE_ASSIGN_OR_RETURN(auto snapshot, delta::LoadSnapshot(context, table));
           return delta::ScanAll(context, *snapshot).status();
         }});
  }
  for (const std::string& name : SortedSubdirectories(Root() + "delta-golden-extra")) {
    std::string table = Root() + "delta-golden-extra/" + name;
    cases.push_back(
        {"open/golden-extra/" + name + ": opens and scans", [=](DeltaContext& context) -> Status {
           SLUICE_ASSIGN_OR_RETURN(auto snapshot, delta::LoadSnapshot(context, table));
           return delta::ScanAll(context, *snapshot).status();
         }});
  }
}

}  // namespace

const std::string& Root() { return MutableRoot(); }

void SetRoot(std::string root) {
  if (!root.empty() && root.back() != '/') root += '/';
  MutableRoot() = std::move(root);
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  AddDatCases(cases);
  AddGoldenCases(cases);
  AddTranscribedScanCases(cases);
  AddChangeFeedCases(cases);
  AddFactCases(cases);
  return cases;
}

}  // namespace sluice::conformance
