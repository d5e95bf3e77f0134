// Racing writers: PutIfAbsent must let exactly one writer win each name, in threads and
// (on disk) in separate processes, and no reader may ever see a mix of two writers' bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/file_system.h"
#include "io/file_system_test_util.h"

namespace sluice::io {
namespace {

// Content that names its writer in every chunk, so that a mix of two writers is visible.
std::string Payload(int writer) {
  std::string chunk = "writer " + std::to_string(writer) + ";";
  std::string data;
  while (data.size() < 64 * 1024) data += chunk;
  return data;
}

// The writer whose complete payload `content` is, or -1.
int WriterOf(const std::string& content, int writers) {
  for (int writer = 0; writer < writers; ++writer) {
    if (content == Payload(writer)) return writer;
  }
  return -1;
}

std::string Name(int i) { return "0000" + std::to_string(i) + ".json"; }

class ConcurrencyTest : public FileSystemTestBase {};

TEST_P(ConcurrencyTest, ThreadsRacingPutIfAbsentHaveOneWinnerPerName) {
  constexpr int kThreads = 6;
  constexpr int kNames = 12;
  std::vector<std::vector<int>> winners(kNames);
  std::vector<std::string> unexpected;
  std::mutex mutex;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kThreads; ++writer) {
    threads.emplace_back([&, writer] {
      std::string payload = Payload(writer);
      start.arrive_and_wait();
      for (int i = 0; i < kNames; ++i) {
        Status status = fs().PutIfAbsent(P("log/" + Name(i)), payload);
        std::lock_guard<std::mutex> lock(mutex);
        if (status.ok()) {
          winners[i].push_back(writer);
        } else if (!status.IsAlreadyExists()) {
          unexpected.push_back(status.ToString());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_THAT(unexpected, ::testing::IsEmpty());
  for (int i = 0; i < kNames; ++i) {
    ASSERT_EQ(winners[i].size(), 1u) << Name(i);
    auto content = fs().ReadFile(P("log/" + Name(i)));
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    EXPECT_EQ(WriterOf(*content, kThreads), winners[i][0]) << Name(i);
  }
  // No temp file of a loser is left behind.
  EXPECT_EQ(fs().ListDirectory(P("log")).value().size(), static_cast<size_t>(kNames));
}

TEST_P(ConcurrencyTest, ReadersNeverSeeATornWriteFile) {
  constexpr int kWriters = 3;
  constexpr int kRounds = 15;
  ASSERT_TRUE(fs().WriteFile(P("current"), Payload(0)).ok());
  std::atomic<bool> done = false;
  std::atomic<int> bad_reads = 0;
  std::atomic<int> failed_writes = 0;
  std::thread reader([&] {
    while (!done) {
      auto content = fs().ReadFile(P("current"));
      if (!content.ok() || WriterOf(*content, kWriters) < 0) ++bad_reads;
    }
  });
  std::vector<std::thread> writers;
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&, writer] {
      for (int round = 0; round < kRounds; ++round) {
        if (!fs().WriteFile(P("current"), Payload(writer)).ok()) ++failed_writes;
      }
    });
  }
  for (std::thread& thread : writers) thread.join();
  done = true;
  reader.join();
  EXPECT_EQ(bad_reads, 0);
  EXPECT_EQ(failed_writes, 0);
}

INSTANTIATE_TEST_SUITE_P(AllFileSystems, ConcurrencyTest,
                         ::testing::Values(FileSystemKind::kLocal, FileSystemKind::kMemory),
                         FileSystemKindName);

// Separate processes share nothing but the disk, as two pipeline runs would.
TEST(LocalConcurrencyTest, ProcessesRacingPutIfAbsentHaveOneWinnerPerName) {
  constexpr int kProcesses = 4;
  constexpr int kNames = 12;
  constexpr int kUnexpectedError = 100;
  sluice::testing::TempDir dir;
  FileSystem* fs = LocalFileSystem();
  int start_pipe[2];
  ASSERT_EQ(::pipe(start_pipe), 0);

  std::vector<pid_t> children;
  for (int writer = 0; writer < kProcesses; ++writer) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child reports its wins as its exit code and never returns into the test.
      ::close(start_pipe[1]);
      char byte;
      while (::read(start_pipe[0], &byte, 1) > 0) {
      }
      std::string payload = Payload(writer);
      int wins = 0;
      for (int i = 0; i < kNames; ++i) {
        Status status = fs->PutIfAbsent(dir.Child("_delta_log/" + Name(i)), payload);
        if (status.ok()) {
          ++wins;
        } else if (!status.IsAlreadyExists()) {
          ::_exit(kUnexpectedError);
        }
      }
      ::_exit(wins);
    }
    children.push_back(pid);
  }
  ::close(start_pipe[0]);
  ::close(start_pipe[1]);  // every child sees end of file at once: the start signal

  std::map<int, int> reported_wins;
  for (int writer = 0; writer < kProcesses; ++writer) {
    int wait_status = 0;
    ASSERT_EQ(::waitpid(children[writer], &wait_status, 0), children[writer]);
    ASSERT_TRUE(WIFEXITED(wait_status));
    ASSERT_NE(WEXITSTATUS(wait_status), kUnexpectedError) << "writer " << writer;
    reported_wins[writer] = WEXITSTATUS(wait_status);
  }

  std::map<int, int> files_by_writer;
  for (int i = 0; i < kNames; ++i) {
    auto content = fs->ReadFile(dir.Child("_delta_log/" + Name(i)));
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    int writer = WriterOf(*content, kProcesses);
    ASSERT_GE(writer, 0) << Name(i) << " holds a mix of writers or a partial write";
    ++files_by_writer[writer];
  }
  for (int writer = 0; writer < kProcesses; ++writer) {
    EXPECT_EQ(reported_wins[writer], files_by_writer[writer]) << "writer " << writer;
  }
  auto entries = fs->ListDirectory(dir.Child("_delta_log"));
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), static_cast<size_t>(kNames));
}

}  // namespace
}  // namespace sluice::io
