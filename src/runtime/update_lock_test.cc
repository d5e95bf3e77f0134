#include "runtime/update_lock.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace sluice::runtime {
namespace {

TEST(UpdateLockTest, OneUpdateAtATime) {
  testing::TempDir dir;
  auto first = UpdateLock::Acquire(dir.path());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = UpdateLock::Acquire(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("another update of this pipeline is running (process " +
                                           std::to_string(getpid())),
            std::string::npos)
      << second.status().message();
  first->reset();
  EXPECT_TRUE(UpdateLock::Acquire(dir.path()).ok());
}

}  // namespace
}  // namespace sluice::runtime
