#include <gtest/gtest.h>
#include <chrono>
#include <iostream>
#include "eventlog/event_log.h"
#include "support/temp_dir.h"
namespace sluice::eventlog {
TEST(Scratch, FlushTime) {
  testing::TempDir dir;
  auto db = std::move(*engine::Database::Open());
  auto c = std::move(*db->Connect());
  delta::DeltaContext ctx{io::LocalFileSystem(), c.get(), Clock::Real()};
  EventLogWriter w(ctx, dir.path() + "/ev", "p");
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 20; ++i) { Event e; e.event_type = "flow_progress"; e.details_json = UpdateProgressDetails("RUNNING"); w.Add(e); }
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(w.Flush().ok());
    auto t1 = std::chrono::steady_clock::now();
    std::cout << "flush " << round << ": " << std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count() << " us\n";
  }
}
}
