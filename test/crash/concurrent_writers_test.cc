// Concurrent writers on one table: forked processes (each with its own DuckDB database, as
// separate programs) and threads of one process. Blind appends never fail because of each
// other; a delete or an overwrite that loses a race fails with Conflict naming the winning
// version and leaves no commit behind.
#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/strings.h"
#include "common/sync_point.h"
#include "crash/concurrency_util.h"
#include "crash/crash_util.h"
#include "delta/history.h"
#include "delta/log_segment.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::crash {
namespace {

// Generous: a hang guard for a slow, shared machine, not a performance expectation.
constexpr int kChildTimeoutSeconds = 600;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path + ".tmp");
  out << text;
  out.close();
  std::rename((path + ".tmp").c_str(), path.c_str());
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Deletes the seed rows in `parts` deletes ("id % parts = j"), retrying each one while it
// loses to a concurrent commit. Every Conflict message goes to `conflicts`.
Status DeleteSeedRows(const delta::DeltaContext& context, const std::string& root, int parts,
                      const std::function<void(const std::string&)>& conflicts) {
  for (int part = 0; part < parts; ++part) {
    std::string predicate = StrCat("writer = -1 AND id % ", parts, " = ", part);
    for (int attempt = 1;; ++attempt) {
      Result<delta::DeleteResult> result = delta::DeleteRows(context, root, predicate);
      if (result.ok()) {
        if (result->version < 0) return Internal("delete of ", predicate, " committed nothing");
        break;
      }
      if (!result.status().IsConflict() || attempt >= 1000) return result.status();
      conflicts(result.status().message());
    }
  }
  return Status::OK();
}

// Checks what a user of DeleteSeedRows sees afterwards: `parts` DELETE commits, and each
// Conflict named a version that exists and was written by an appender (the winner).
void ExpectDeletesAndConflicts(const delta::DeltaContext& context, const std::string& root,
                               int parts, const std::vector<std::string>& conflicts) {
  Result<std::vector<delta::HistoryEntry>> history = delta::ReadHistory(*context.fs, root);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  std::map<int64_t, std::string> operations;
  int deletes = 0;
  for (const delta::HistoryEntry& entry : *history) {
    ASSERT_TRUE(entry.commit_info.has_value());
    operations[entry.version] = entry.commit_info->operation().value_or("");
    deletes += operations[entry.version] == "DELETE";
  }
  EXPECT_EQ(deletes, parts);
  for (const std::string& message : conflicts) {
    int64_t winner = ConflictingVersion(message);
    ASSERT_GT(winner, 0) << message;
    ASSERT_TRUE(operations.count(winner)) << message;
    EXPECT_EQ(operations[winner], "WRITE") << message;
    EXPECT_TRUE(Contains(message, root)) << message;
    EXPECT_TRUE(Contains(message, "nothing was committed")) << message;
  }
  ::testing::Test::RecordProperty("delete_conflicts", static_cast<int>(conflicts.size()));
}

// ---------------------------------------------------------------------------------------
// Processes

TEST(ForkedWritersTest, AppendersCommitEveryBatchExactlyOnce) {
  constexpr int kWriters = 2;
  constexpr int kBatches = 12;
  constexpr int kRows = 5;
  testing::TempDir dir;
  std::string root = dir.Child("table");
  {
    Env env(io::LocalFileSystem());
    ASSERT_TRUE(CreateWriterTable(env.context(), root, 0).ok());
  }
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    children.push_back(Spawn([&root, writer] {
      Env env(io::LocalFileSystem());
      return AppendBatches(env.context(), root, writer, kBatches, kRows);
    }));
  }
  std::vector<std::string> problems = WaitAll(children, kChildTimeoutSeconds);
  EXPECT_TRUE(problems.empty()) << Join(problems, "\n");
  Env env(io::LocalFileSystem());
  ExpectEveryBatchOnce(env.context(), root, kWriters, kBatches, kRows, 0, 0);
}

TEST(ForkedWritersTest, DeleteRacingAppendsRetriesOnConflictOnly) {
  constexpr int kBatches = 10;
  constexpr int kRows = 5;
  constexpr int kParts = 4;
  testing::TempDir dir;
  std::string root = dir.Child("table");
  std::string conflict_log = dir.Child("conflicts.txt");
  {
    Env env(io::LocalFileSystem());
    ASSERT_TRUE(CreateWriterTable(env.context(), root, 40).ok());
  }
  std::vector<pid_t> children;
  children.push_back(Spawn([&root] {
    Env env(io::LocalFileSystem());
    return AppendBatches(env.context(), root, 0, kBatches, kRows);
  }));
  children.push_back(Spawn([&root, &conflict_log] {
    Env env(io::LocalFileSystem());
    std::ofstream log(conflict_log);
    return DeleteSeedRows(env.context(), root, kParts,
                          [&log](const std::string& message) { log << message << "\n"; });
  }));
  std::vector<std::string> problems = WaitAll(children, kChildTimeoutSeconds);
  EXPECT_TRUE(problems.empty()) << Join(problems, "\n");
  Env env(io::LocalFileSystem());
  ExpectEveryBatchOnce(env.context(), root, 1, kBatches, kRows, 0, kParts);
  ExpectDeletesAndConflicts(env.context(), root, kParts, Lines(ReadText(conflict_log)));
}

#ifdef SLUICE_SYNC_POINTS
// Both children hold their overwrite at "delta.commit.before_put" until the parent has seen
// both arrive, so they race for the same version.
TEST(ForkedWritersTest, RacingOverwritesOneWinsTheOtherConflicts) {
  testing::TempDir dir;
  std::string root = dir.Child("table");
  {
    Env env(io::LocalFileSystem());
    ASSERT_TRUE(CreateWriterTable(env.context(), root, 10).ok());
  }
  std::string go = dir.Child("go");
  std::vector<pid_t> children;
  for (int writer = 0; writer < 2; ++writer) {
    children.push_back(Spawn([&dir, &root, &go, writer]() -> Status {
      std::string ready = dir.Child(StrCat("ready-", writer));
      auto first = std::make_shared<bool>(true);
      SyncPoints::Get().Set("delta.commit.before_put", [=]() -> Status {
        if (!*first) return Status::OK();
        *first = false;
        WriteText(ready, "ready");
        for (int i = 0; i < kChildTimeoutSeconds * 100; ++i) {
          if (io::LocalFileSystem()->Exists(go)) return Status::OK();
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return Aborted("the parent never released the barrier");
      });
      Env env(io::LocalFileSystem());
      delta::WriteOptions options;
      options.mode = delta::WriteMode::kOverwrite;
      Result<delta::WriteResult> result =
          delta::WriteTable(env.context(), root,
                            StrCat("SELECT ", writer,
                                   "::BIGINT AS writer, 0::BIGINT AS batch, i::BIGINT AS id "
                                   "FROM range(10) t(i)"),
                            options);
      WriteText(dir.Child(StrCat("result-", writer)),
                result.ok() ? StrCat("ok ", result->version) : result.status().ToString());
      return Status::OK();
    }));
  }
  bool both_ready = false;
  for (int i = 0; i < kChildTimeoutSeconds * 100 && !both_ready; ++i) {
    both_ready = io::LocalFileSystem()->Exists(dir.Child("ready-0")) &&
                 io::LocalFileSystem()->Exists(dir.Child("ready-1"));
    if (!both_ready) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  WriteText(go, "go");
  std::vector<std::string> problems = WaitAll(children, kChildTimeoutSeconds);
  ASSERT_TRUE(problems.empty()) << Join(problems, "\n");
  ASSERT_TRUE(both_ready);

  std::string results[2] = {ReadText(dir.Child("result-0")), ReadText(dir.Child("result-1"))};
  int winner = StartsWith(results[0], "ok ") ? 0 : 1;
  int loser = 1 - winner;
  ASSERT_EQ(results[winner], "ok 1") << results[0] << "\n" << results[1];
  EXPECT_TRUE(StartsWith(results[loser], "Conflict")) << results[loser];
  EXPECT_EQ(ConflictingVersion(results[loser]), 1) << results[loser];
  EXPECT_TRUE(Contains(results[loser], root)) << results[loser];

  // The loser committed nothing: version 1 is the last, and it holds the winner's rows.
  EXPECT_EQ(LatestCommitVersion(root), 1);
  Env env(io::LocalFileSystem());
  Result<std::vector<std::string>> rows = TableRows(env.context(), root);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 10u);
  for (const std::string& row : *rows) {
    EXPECT_TRUE(StartsWith(row, StrCat(winner, "|0|"))) << row;
  }
}
#endif

// ---------------------------------------------------------------------------------------
// Threads of one process, sharing one DuckDB database with a connection each.

class ThreadedWritersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::Database::Options options;
    options.threads = 1;
    database_ = std::move(engine::Database::Open(options)).value();
    root_ = dir_.Child("table");
  }
  void TearDown() override { SyncPoints::Get().ClearAll(); }

  // A connection and context for one thread.
  struct Writer {
    std::unique_ptr<engine::Connection> connection;
    delta::DeltaContext context;
  };
  Writer NewWriter() {
    Writer writer;
    writer.connection = std::move(database_->Connect()).value();
    writer.context.fs = io::LocalFileSystem();
    writer.context.connection = writer.connection.get();
    return writer;
  }

  testing::TempDir dir_;
  std::string root_;
  std::unique_ptr<engine::Database> database_;
};

// Holds the first `parties` commits at "delta.commit.before_put" until all have arrived, so
// that they race for the same version; later hits pass.
class CommitBarrier {
 public:
  explicit CommitBarrier(int parties) : parties_(parties) {
    SyncPoints::Get().Set("delta.commit.before_put", [this]() -> Status {
      std::unique_lock<std::mutex> lock(mutex_);
      if (arrived_ >= parties_) return Status::OK();
      ++arrived_;
      condition_.notify_all();
      if (!condition_.wait_for(lock, std::chrono::seconds(kChildTimeoutSeconds),
                               [this] { return arrived_ >= parties_; })) {
        return Aborted("commit barrier: the other writers never arrived");
      }
      return Status::OK();
    });
  }
  ~CommitBarrier() { SyncPoints::Get().Clear("delta.commit.before_put"); }

 private:
  const int parties_;
  std::mutex mutex_;
  std::condition_variable condition_;
  int arrived_ = 0;
};

TEST_F(ThreadedWritersTest, AppendersCommitEveryBatchExactlyOnce) {
  constexpr int kWriters = 2;
  constexpr int kBatches = 12;
  constexpr int kRows = 5;
  Writer creator = NewWriter();
  ASSERT_TRUE(CreateWriterTable(creator.context, root_, 0).ok());
  std::vector<Status> statuses(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([this, w, &statuses] {
      Writer writer = NewWriter();
      statuses[w] = AppendBatches(writer.context, root_, w, kBatches, kRows);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.ToString();
  ExpectEveryBatchOnce(creator.context, root_, kWriters, kBatches, kRows, 0, 0);
}

#ifdef SLUICE_SYNC_POINTS
TEST_F(ThreadedWritersTest, BlindAppendsRacingForOneVersionBothLand) {
  Writer creator = NewWriter();
  ASSERT_TRUE(CreateWriterTable(creator.context, root_, 0).ok());
  std::vector<Status> statuses(2);
  {
    CommitBarrier barrier(2);
    std::vector<std::thread> threads;
    for (int w = 0; w < 2; ++w) {
      threads.emplace_back([this, w, &statuses] {
        Writer writer = NewWriter();
        statuses[w] = AppendBatches(writer.context, root_, w, 1, 5);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.ToString();
  ExpectEveryBatchOnce(creator.context, root_, 2, 1, 5, 0, 0);
  // Both read version 0; the one that lost the race for version 1 was rebased onto 2.
  Result<std::vector<delta::HistoryEntry>> history = delta::ReadHistory(*creator.context.fs, root_);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->front().version, 2);
  EXPECT_EQ(history->front().commit_info->read_version(), 0);
}

TEST_F(ThreadedWritersTest, RacingOverwritesOneWinsTheOtherConflicts) {
  Writer creator = NewWriter();
  ASSERT_TRUE(CreateWriterTable(creator.context, root_, 10).ok());
  std::vector<Result<delta::WriteResult>> results(2, Result<delta::WriteResult>(Aborted("unset")));
  {
    CommitBarrier barrier(2);
    std::vector<std::thread> threads;
    for (int w = 0; w < 2; ++w) {
      threads.emplace_back([this, w, &results] {
        Writer writer = NewWriter();
        delta::WriteOptions options;
        options.mode = delta::WriteMode::kOverwrite;
        results[w] =
            delta::WriteTable(writer.context, root_,
                              StrCat("SELECT ", w,
                                     "::BIGINT AS writer, 0::BIGINT AS batch, i::BIGINT AS id "
                                     "FROM range(10) t(i)"),
                              options);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  int winner = results[0].ok() ? 0 : 1;
  int loser = 1 - winner;
  ASSERT_TRUE(results[winner].ok()) << results[winner].status().ToString();
  EXPECT_EQ(results[winner]->version, 1);
  ASSERT_FALSE(results[loser].ok()) << "both overwrites committed";
  const Status& conflict = results[loser].status();
  EXPECT_TRUE(conflict.IsConflict()) << conflict.ToString();
  EXPECT_EQ(ConflictingVersion(conflict.message()), 1) << conflict.ToString();
  EXPECT_TRUE(Contains(conflict.message(), root_)) << conflict.ToString();
  EXPECT_EQ(LatestCommitVersion(root_), 1);
  Result<std::vector<std::string>> rows = TableRows(creator.context, root_);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 10u);
  for (const std::string& row : *rows) {
    EXPECT_TRUE(StartsWith(row, StrCat(winner, "|0|"))) << row;
  }
}
#endif

#ifdef SLUICE_SYNC_POINTS
// Two writers create the same table at once: one creates it, the other learns that it lost
// (Conflict naming version 0) and, retried, appends to the table the winner made.
TEST_F(ThreadedWritersTest, RacingCreatorsOneWinsTheOtherConflicts) {
  std::vector<Status> statuses(2);
  {
    CommitBarrier barrier(2);
    std::vector<std::thread> threads;
    for (int w = 0; w < 2; ++w) {
      threads.emplace_back([this, w, &statuses] {
        Writer writer = NewWriter();
        statuses[w] = AppendBatches(writer.context, root_, w, 1, 5);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  int winner = statuses[0].ok() ? 0 : 1;
  int loser = 1 - winner;
  ASSERT_TRUE(statuses[winner].ok()) << statuses[winner].ToString();
  ASSERT_FALSE(statuses[loser].ok()) << "both writers created the table";
  EXPECT_TRUE(statuses[loser].IsConflict()) << statuses[loser].ToString();
  EXPECT_EQ(ConflictingVersion(statuses[loser].message()), 0) << statuses[loser].ToString();
  EXPECT_TRUE(Contains(statuses[loser].message(), root_)) << statuses[loser].ToString();
  EXPECT_EQ(LatestCommitVersion(root_), 0);

  Writer retry = NewWriter();
  Status retried = AppendBatches(retry.context, root_, loser, 1, 5);
  ASSERT_TRUE(retried.ok()) << retried.ToString();
  Result<std::vector<std::string>> rows = TableRows(retry.context, root_);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 10u);
  EXPECT_EQ(LatestCommitVersion(root_), 1);
}

// Two lives of one idempotent writer (a restarted one and a zombie that is still running)
// write the same batch at once: it lands once, and the other gets a Conflict.
TEST_F(ThreadedWritersTest, DuplicateIdempotentWritersCommitTheBatchOnce) {
  Writer creator = NewWriter();
  ASSERT_TRUE(CreateWriterTable(creator.context, root_, 0).ok());
  std::vector<Status> statuses(2);
  {
    CommitBarrier barrier(2);
    std::vector<std::thread> threads;
    for (int life = 0; life < 2; ++life) {
      threads.emplace_back([this, life, &statuses] {
        Writer writer = NewWriter();
        statuses[life] = AppendBatches(writer.context, root_, 0, 1, 5);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  int winner = statuses[0].ok() ? 0 : 1;
  const Status& loser = statuses[1 - winner];
  ASSERT_TRUE(statuses[winner].ok()) << statuses[winner].ToString();
  ASSERT_FALSE(loser.ok()) << "the batch was committed twice";
  EXPECT_TRUE(loser.IsConflict()) << loser.ToString();
  EXPECT_EQ(ConflictingVersion(loser.message()), 1) << loser.ToString();
  EXPECT_TRUE(Contains(loser.message(), "writer-0")) << loser.ToString();
  ExpectEveryBatchOnce(creator.context, root_, 1, 1, 5, 0, 0);
}

// The delete has read the table and is about to commit when an append lands first. A
// delete reads every row of an unpartitioned table, so sluice (like Spark at Serializable
// isolation, stricter than its WriteSerializable default) treats the new rows as a conflict.
TEST_F(ThreadedWritersTest, DeleteThatLosesToAnAppendConflictsAndCommitsNothing) {
  Writer deleter = NewWriter();
  Writer appender = NewWriter();
  ASSERT_TRUE(CreateWriterTable(deleter.context, root_, 10).ok());
  auto appended = std::make_shared<Status>(Aborted("the append never ran"));
  auto first = std::make_shared<bool>(true);
  SyncPoints::Get().Set("delta.commit.before_put", [&, appended, first]() -> Status {
    if (!*first) return Status::OK();  // the append's own commit passes
    *first = false;
    *appended = AppendBatches(appender.context, root_, 0, 1, 5);
    return Status::OK();
  });
  Result<delta::DeleteResult> deleted = delta::DeleteRows(deleter.context, root_, "id < 5");
  SyncPoints::Get().Clear("delta.commit.before_put");
  ASSERT_TRUE(appended->ok()) << appended->ToString();
  ASSERT_FALSE(deleted.ok()) << "the delete committed version " << deleted->version;
  EXPECT_TRUE(deleted.status().IsConflict()) << deleted.status().ToString();
  EXPECT_EQ(ConflictingVersion(deleted.status().message()), 1) << deleted.status().ToString();
  EXPECT_TRUE(Contains(deleted.status().message(), root_)) << deleted.status().ToString();
  EXPECT_EQ(LatestCommitVersion(root_), 1);
  ExpectEveryBatchOnce(deleter.context, root_, 1, 1, 5, 10, 0);
  // Retried, the delete reads the new version and succeeds.
  deleted = delta::DeleteRows(deleter.context, root_, "id < 5");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->version, 2);
  EXPECT_EQ(deleted->rows_deleted, 10);  // 5 seed rows and all 5 appended ones
}
#endif

TEST_F(ThreadedWritersTest, DeleteRacingAppendsRetriesOnConflictOnly) {
  constexpr int kBatches = 10;
  constexpr int kRows = 5;
  constexpr int kParts = 4;
  Writer creator = NewWriter();
  ASSERT_TRUE(CreateWriterTable(creator.context, root_, 40).ok());
  Status appended;
  Status deleted;
  std::mutex mutex;
  std::vector<std::string> conflicts;
  std::thread appender([&] {
    Writer writer = NewWriter();
    appended = AppendBatches(writer.context, root_, 0, kBatches, kRows);
  });
  std::thread deleter([&] {
    Writer writer = NewWriter();
    deleted = DeleteSeedRows(writer.context, root_, kParts, [&](const std::string& message) {
      std::lock_guard<std::mutex> lock(mutex);
      conflicts.push_back(message);
    });
  });
  appender.join();
  deleter.join();
  EXPECT_TRUE(appended.ok()) << appended.ToString();
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  ExpectEveryBatchOnce(creator.context, root_, 1, kBatches, kRows, 0, kParts);
  ExpectDeletesAndConflicts(creator.context, root_, kParts, conflicts);
}

}  // namespace
}  // namespace sluice::crash
