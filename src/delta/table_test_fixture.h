// What the delta module's tests of one table share: a DuckDB connection, a context on the
// local file system, the table's folder in a fresh temporary directory, and, after each
// test, a check that the table (when the test wrote one) is a valid Delta table for other
// readers.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "common/sync_point.h"
#include "delta/history.h"
#include "delta/log_validator.h"
#include "delta/snapshot.h"
#include "engine/engine.h"
#include "io/file_system.h"
#include "support/temp_dir.h"

namespace sluice::delta {

class DeltaTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(engine::Database::Open()).value();
    connection_ = std::move(db_->Connect()).value();
    context_.fs = io::LocalFileSystem();
    context_.connection = connection_.get();
    root_ = dir_.Child("table");
  }
  void TearDown() override {
    SyncPoints::Get().ClearAll();
    if (!context_.fs->Exists(root_ + "/_delta_log")) return;
    auto violations = ValidateLog(*context_.fs, *connection_, root_);
    ASSERT_TRUE(violations.ok()) << violations.status().ToString();
    for (const LogViolation& violation : *violations) ADD_FAILURE() << violation.ToString();
  }

  // The table's latest snapshot (null, with a failure, when it cannot be loaded).
  SnapshotPtr Latest() {
    auto snapshot = LoadSnapshot(context_, root_);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? *snapshot : nullptr;
  }
  // The operationMetrics of the commit of `version`.
  std::map<std::string, std::string> Metrics(int64_t version) {
    auto history = std::move(ReadHistory(*context_.fs, root_)).value();
    for (const auto& entry : history) {
      if (entry.version == version) return *entry.commit_info->operation_metrics();
    }
    ADD_FAILURE() << "no version " << version;
    return {};
  }

  testing::TempDir dir_;
  std::string root_;
  std::unique_ptr<engine::Database> db_;
  std::unique_ptr<engine::Connection> connection_;
  DeltaContext context_;
};

}  // namespace sluice::delta
