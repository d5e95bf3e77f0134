// Test fixture shared by the io tests: one FileSystem of each kind, rooted in a fresh
// directory (a TempDir on disk, a fresh instance in memory).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "io/file_system.h"
#include "support/temp_dir.h"

namespace sluice::io {

enum class FileSystemKind { kLocal, kMemory };

inline std::string FileSystemKindName(const ::testing::TestParamInfo<FileSystemKind>& info) {
  return info.param == FileSystemKind::kLocal ? "Local" : "Memory";
}

class FileSystemTestBase : public ::testing::TestWithParam<FileSystemKind> {
 protected:
  void SetUp() override {
    if (GetParam() == FileSystemKind::kLocal) {
      fs_ = LocalFileSystem();
      root_ = temp_dir_.path();
    } else {
      memory_ = NewMemoryFileSystem();
      fs_ = memory_.get();
      root_ = "/test/root";
      ASSERT_TRUE(fs_->CreateDirectories(root_).ok());
    }
  }

  FileSystem& fs() { return *fs_; }
  bool is_local() const { return GetParam() == FileSystemKind::kLocal; }
  // The absolute path of `relative` under the test's root directory.
  std::string P(std::string_view relative) const { return JoinPath(root_, relative); }

 private:
  sluice::testing::TempDir temp_dir_;
  std::unique_ptr<FileSystem> memory_;
  FileSystem* fs_ = nullptr;
  std::string root_;
};

}  // namespace sluice::io
