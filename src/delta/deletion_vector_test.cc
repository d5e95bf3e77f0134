#include "delta/deletion_vector.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "delta/action_json.h"
#include "delta/z85.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Just enough of a local file system for deletion vectors: read and put-if-absent.
class DiskFileSystem : public io::FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    if (!std::filesystem::is_regular_file(path)) return NotFound(path, ": no such file");
    return ReadWholeFile(path);
  }
  Status PutIfAbsent(const std::string& path, std::string_view data) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return AlreadyExists(path, ": exists");
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    return ok ? Status::OK() : IOError(path, ": short write");
  }
  Status WriteFile(const std::string& path, std::string_view data) override {
    std::ofstream(path, std::ios::binary) << data;
    return Status::OK();
  }
  Result<std::vector<io::FileInfo>> ListDirectory(const std::string&) override {
    return NotSupported("ListDirectory");
  }
  Result<io::FileInfo> Stat(const std::string&) override { return NotSupported("Stat"); }
  Status DeleteFile(const std::string&) override { return NotSupported("DeleteFile"); }
  Status DeleteDirectory(const std::string&) override { return NotSupported("DeleteDirectory"); }
  Status CreateDirectories(const std::string&) override { return NotSupported("mkdir"); }
  Status Rename(const std::string&, const std::string&) override { return NotSupported("Rename"); }
};

// Every deletion vector descriptor of the add actions in a table's JSON commits.
std::vector<DeletionVectorDescriptor> DescriptorsInLog(const std::string& table_root) {
  std::vector<DeletionVectorDescriptor> descriptors;
  for (const auto& entry : std::filesystem::directory_iterator(table_root + "/_delta_log")) {
    if (entry.path().extension() != ".json") continue;
    auto actions = ParseActions(ReadWholeFile(entry.path()), entry.path().string());
    EXPECT_TRUE(actions.ok()) << actions.status().ToString();
    if (!actions.ok()) continue;
    for (const Action& action : *actions) {
      if (const auto* add = std::get_if<AddFile>(&action); add && add->deletion_vector) {
        descriptors.push_back(*add->deletion_vector);
      }
      if (const auto* remove = std::get_if<RemoveFile>(&action);
          remove && remove->deletion_vector) {
        descriptors.push_back(*remove->deletion_vector);
      }
    }
  }
  return descriptors;
}

TEST(Z85Test, KnownVector) {
  // The example of ZeroMQ RFC 32.
  std::string bytes = "\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B";
  EXPECT_EQ(Z85Encode(bytes), "HelloWorld");
  EXPECT_EQ(*Z85Decode("HelloWorld"), bytes);
}

TEST(Z85Test, PadsToFourBytesAndRoundTrips) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(*Z85Decode(Z85Encode(bytes)), bytes);
  EXPECT_EQ(Z85Encode("a").size(), 5u);
  EXPECT_EQ(*Z85Decode(Z85Encode("a")), std::string("a\0\0\0", 4));
}

TEST(Z85Test, RejectsBadInput) {
  EXPECT_EQ(Z85Decode("abcd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Z85Decode("abc\"d").status().message(), HasSubstr("invalid character"));
  EXPECT_EQ(*Z85Decode("%nSc0"), "\xFF\xFF\xFF\xFF");
  EXPECT_THAT(Z85Decode("%nSc1").status().message(), HasSubstr("exceeds 32 bits"));
  EXPECT_THAT(Z85Decode("#0000HelloWorld").status().message(), HasSubstr("exceeds 32 bits"));
  EXPECT_THAT(Z85Decode("####0").status().message(), HasSubstr("invalid group"));
  EXPECT_THAT(Z85Decode("##%nS").status().message(), HasSubstr("exceeds 16 bits"));
}

TEST(Z85Test, PaddedTailGroup) {
  // The Rust z85 crate writes a tail of n < 4 bytes as 4 - n '#' and n + 1 digits.
  EXPECT_EQ(*Z85Decode("HelloWorld##093"),
            std::string("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B\x03\x00", 10));
  EXPECT_EQ(*Z85Decode("###00"), std::string("\x00", 1));
  EXPECT_EQ(*Z85Decode("#0000"), std::string("\x00\x00\x00", 3));
}

TEST(DeletionVectorPathTest, UuidFromZ85) {
  // delta-kernel-rs/data/table-with-dv-small: the log's value and the file beside it.
  EXPECT_EQ(*DecodeDeletionVectorUuid("vBn[lx{q8@P<9BNH/isA"),
            "61d16c75-6994-46b7-a15b-8b538852e50e");
  EXPECT_EQ(*EncodeDeletionVectorUuid("61d16c75-6994-46b7-a15b-8b538852e50e"),
            "vBn[lx{q8@P<9BNH/isA");
  EXPECT_FALSE(DecodeDeletionVectorUuid("short").ok());
  EXPECT_FALSE(EncodeDeletionVectorUuid("not-a-uuid").ok());
}

TEST(DeletionVectorPathTest, FilePaths) {
  DeletionVectorDescriptor dv{'u', "vBn[lx{q8@P<9BNH/isA", 1, 36, 2};
  EXPECT_EQ(*DeletionVectorFilePath("/t", dv),
            "/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  dv.path_or_inline_dv = "ab" + dv.path_or_inline_dv;
  EXPECT_EQ(*DeletionVectorFilePath("/t/", dv),
            "/t/ab/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  DeletionVectorDescriptor absolute{'p', "file:///data/my%20table/dv.bin", 1, 36, 2};
  EXPECT_EQ(*DeletionVectorFilePath("/t", absolute), "/data/my table/dv.bin");
  absolute.path_or_inline_dv = "file:/x/dv.bin";
  EXPECT_EQ(*DeletionVectorFilePath("/t", absolute), "/x/dv.bin");
  DeletionVectorDescriptor inline_dv{'i', "abcde", std::nullopt, 4, 0};
  EXPECT_EQ(DeletionVectorFilePath("/t", inline_dv).status().code(), StatusCode::kInvalidArgument);
}

TEST(DeletionVectorConformanceTest, TableWithDvSmall) {
  DiskFileSystem fs;
  std::string root = testing::ConformancePath("delta-kernel-rs/data/table-with-dv-small");
  std::vector<DeletionVectorDescriptor> dvs = DescriptorsInLog(root);
  ASSERT_EQ(dvs.size(), 1u);
  auto rows = LoadDeletedRowIndexes(fs, root, dvs[0]);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // 10 rows written, the first and the last deleted: the scan shows 8 rows.
  EXPECT_THAT(*rows, ElementsAre(0, 9));
}

TEST(DeletionVectorConformanceTest, WithShortDv) {
  DiskFileSystem fs;
  std::string root = testing::ConformancePath("delta-kernel-rs/data/with-short-dv");
  std::vector<DeletionVectorDescriptor> dvs = DescriptorsInLog(root);
  ASSERT_EQ(dvs.size(), 1u);
  auto rows = LoadDeletedRowIndexes(fs, root, dvs[0]);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(static_cast<int64_t>(rows->size()), dvs[0].cardinality);
}

TEST(DeletionVectorConformanceTest, InlineDvsOfCdfTable) {
  DiskFileSystem fs;
  std::string root = testing::ConformancePath("delta-kernel-rs/data/cdf-table-with-dv");
  std::vector<DeletionVectorDescriptor> dvs = DescriptorsInLog(root);
  // Version 5 of this table deletes the row holding value 3 (see its expected CDF), with an
  // inline DV whose last Z85 group is padded ("##093").
  DeletionVectorDescriptor v5{'i', "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093", std::nullopt,
                              34, 1};
  EXPECT_THAT(*LoadDeletedRowIndexes(fs, root, v5), ElementsAre(3));
  size_t inline_count = 0;
  for (const auto& dv : dvs) {
    auto rows = LoadDeletedRowIndexes(fs, root, dv);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(static_cast<int64_t>(rows->size()), dv.cardinality);
    EXPECT_TRUE(std::is_sorted(rows->begin(), rows->end()));
    if (dv.storage_type == 'i') ++inline_count;
  }
  EXPECT_GT(inline_count, 0u);
}

TEST(DeletionVectorConformanceTest, EveryDescriptorWithItsFilePresent) {
  // Tables whose DV files are present: each descriptor's bitmap has the stated cardinality.
  DiskFileSystem fs;
  size_t loaded = 0;
  for (const char* table : {"delta-kernel-rs/golden_data/dv-partitioned-with-checkpoint/delta",
                            "delta-kernel-rs/golden_data/dv-with-columnmapping/delta",
                            "delta-kernel-rs/golden_data/log-replay-dv-key-cases/delta",
                            "delta-kernel-rs/data/cdf-table-with-cdc-and-dvs",
                            "delta-kernel-rs/data/compacted-log-files-table"}) {
    std::string root = testing::ConformancePath(table);
    for (const auto& dv : DescriptorsInLog(root)) {
      auto rows = LoadDeletedRowIndexes(fs, root, dv);
      ASSERT_TRUE(rows.ok()) << table << ": " << rows.status().ToString();
      EXPECT_EQ(static_cast<int64_t>(rows->size()), dv.cardinality);
      ++loaded;
    }
  }
  EXPECT_GT(loaded, 40u);
}

TEST(DeletionVectorBitmapTest, RoundTripsAcrossBuckets) {
  std::vector<uint64_t> rows = {
      7, 0, 5, uint64_t{1} << 32, (uint64_t{1} << 32) + 7, uint64_t{5} << 33, 5, UINT64_MAX >> 1};
  std::string bitmap = EncodeDeletionVectorBitmap(rows);
  auto decoded = DecodeDeletionVectorBitmap(bitmap, "test");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_THAT(*decoded, ElementsAre(0, 5, 7, uint64_t{1} << 32, (uint64_t{1} << 32) + 7,
                                    uint64_t{5} << 33, UINT64_MAX >> 1));
  EXPECT_TRUE(DecodeDeletionVectorBitmap(EncodeDeletionVectorBitmap({}), "t")->empty());
}

TEST(DeletionVectorBitmapTest, ReproducesSparksBytes) {
  // The bitmap of table-with-dv-small (rows 0 and 9), as Spark wrote it.
  std::string file = ReadWholeFile(
      testing::ConformancePath("delta-kernel-rs/data/table-with-dv-small/"
                               "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"));
  ASSERT_GE(file.size(), 1u + 4 + 36);
  EXPECT_EQ(EncodeDeletionVectorBitmap({0, 9}), file.substr(5, 36));
}

TEST(DeletionVectorBitmapTest, RejectsBadMagicAndTruncation) {
  std::string bitmap = EncodeDeletionVectorBitmap({1, 2, 3});
  std::string bad_magic = bitmap;
  bad_magic[0] ^= 1;
  EXPECT_THAT(DecodeDeletionVectorBitmap(bad_magic, "/t/dv.bin").status().message(),
              AllOf(HasSubstr("/t/dv.bin"), HasSubstr("bad deletion vector magic")));
  for (size_t size : {size_t{0}, size_t{3}, size_t{11}, size_t{15}, bitmap.size() - 1}) {
    Status status = DecodeDeletionVectorBitmap(bitmap.substr(0, size), "/t/dv.bin").status();
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << size;
  }
  EXPECT_THAT(DecodeDeletionVectorBitmap(bitmap + "xx", "s").status().message(),
              HasSubstr("unexpected bytes"));
}

class DeletionVectorFileTest : public ::testing::Test {
 protected:
  // Writes `rows` as a DV file and returns its descriptor and path.
  DeletionVectorDescriptor Write(std::vector<uint64_t> rows) {
    auto dv = WriteDeletionVectorFile(fs_, dir_.path(), std::move(rows));
    EXPECT_TRUE(dv.ok()) << dv.status().ToString();
    path_ = *DeletionVectorFilePath(dir_.path(), *dv);
    return *dv;
  }
  void Rewrite(const std::string& content) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << content;
  }

  DiskFileSystem fs_;
  testing::TempDir dir_;
  std::string path_;
};

TEST_F(DeletionVectorFileTest, SeveralDvsInOneFileReadOnce) {
  DeletionVectorFileBuilder builder(dir_.path());
  const DeletionVectorDescriptor a = builder.Add({5, 1, 3});
  const DeletionVectorDescriptor b = builder.Add({uint64_t{1} << 33, 7});
  const DeletionVectorDescriptor c = builder.Add({});
  ASSERT_TRUE(builder.Write(fs_).ok());
  // One file, the DVs at increasing offsets after the format byte.
  EXPECT_EQ(a.path_or_inline_dv, b.path_or_inline_dv);
  EXPECT_EQ(a.offset, 1);
  EXPECT_GT(*b.offset, *a.offset + a.size_in_bytes);
  EXPECT_EQ(b.cardinality, 2);
  EXPECT_EQ(c.cardinality, 0);
  // Every DV reads back through the plain loader...
  EXPECT_EQ(LoadDeletedRowIndexes(fs_, dir_.path(), b).value(),
            (std::vector<uint64_t>{7, uint64_t{1} << 33}));
  // ...and a reader reads the file once: the others come from what it read.
  DeletionVectorReader reader(fs_, dir_.path());
  EXPECT_EQ(reader.Load(a).value(), (std::vector<uint64_t>{1, 3, 5}));
  std::filesystem::remove(builder.path());
  EXPECT_EQ(reader.Load(b).value(), (std::vector<uint64_t>{7, uint64_t{1} << 33}));
  EXPECT_TRUE(reader.Load(c).value().empty());
  EXPECT_FALSE(LoadDeletedRowIndexes(fs_, dir_.path(), a).ok());  // the file is gone
}

TEST_F(DeletionVectorFileTest, RoundTrip) {
  std::vector<uint64_t> rows(100000);
  std::iota(rows.begin(), rows.end(), 3);
  rows.push_back(uint64_t{1} << 40);
  DeletionVectorDescriptor dv = Write(rows);
  EXPECT_EQ(dv.storage_type, 'u');
  EXPECT_EQ(dv.offset, 1);
  EXPECT_EQ(dv.cardinality, 100001);
  EXPECT_TRUE(std::filesystem::exists(path_));
  auto loaded = LoadDeletedRowIndexes(fs_, dir_.path(), dv);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, rows);
}

TEST_F(DeletionVectorFileTest, InlineRoundTrip) {
  DeletionVectorDescriptor dv = MakeInlineDeletionVector({9, 2, 2, 4});
  EXPECT_EQ(dv.storage_type, 'i');
  EXPECT_FALSE(dv.offset.has_value());
  EXPECT_EQ(dv.cardinality, 3);
  auto loaded = LoadDeletedRowIndexes(fs_, dir_.path(), dv);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_THAT(*loaded, ElementsAre(2, 4, 9));
}

TEST_F(DeletionVectorFileTest, ChecksumMismatch) {
  DeletionVectorDescriptor dv = Write({1, 2});
  std::string content = ReadWholeFile(path_);
  content[content.size() - 6] ^= 0x40;  // inside the bitmap
  Rewrite(content);
  Status status = LoadDeletedRowIndexes(fs_, dir_.path(), dv).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_THAT(status.message(), AllOf(HasSubstr(path_), HasSubstr("checksum mismatch")));
}

TEST_F(DeletionVectorFileTest, Truncated) {
  DeletionVectorDescriptor dv = Write({1, 2});
  std::string content = ReadWholeFile(path_);
  Rewrite(content.substr(0, content.size() - 2));
  EXPECT_THAT(LoadDeletedRowIndexes(fs_, dir_.path(), dv).status().message(),
              AllOf(HasSubstr(path_), HasSubstr("truncated")));
  Rewrite(content.substr(0, 3));
  EXPECT_THAT(LoadDeletedRowIndexes(fs_, dir_.path(), dv).status().message(),
              HasSubstr("truncated"));
  Rewrite("");
  EXPECT_THAT(LoadDeletedRowIndexes(fs_, dir_.path(), dv).status().message(), HasSubstr("empty"));
}

TEST_F(DeletionVectorFileTest, WrongVersionSizeAndCardinality) {
  DeletionVectorDescriptor dv = Write({1, 2});
  std::string content = ReadWholeFile(path_);
  Rewrite("\x02" + content.substr(1));
  EXPECT_THAT(LoadDeletedRowIndexes(fs_, dir_.path(), dv).status().message(),
              HasSubstr("format version 2"));
  Rewrite(content);

  DeletionVectorDescriptor wrong_size = dv;
  wrong_size.size_in_bytes += 1;
  EXPECT_THAT(LoadDeletedRowIndexes(fs_, dir_.path(), wrong_size).status().message(),
              HasSubstr("but the log says"));

  DeletionVectorDescriptor wrong_cardinality = dv;
  wrong_cardinality.cardinality = 3;
  Status status = LoadDeletedRowIndexes(fs_, dir_.path(), wrong_cardinality).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_THAT(status.message(), AllOf(HasSubstr(path_), HasSubstr("cardinality is 3")));
}

TEST_F(DeletionVectorFileTest, BadMagicWithValidChecksum) {
  // A file whose checksum is right but whose bitmap is not a portable RoaringBitmapArray.
  DeletionVectorDescriptor dv = MakeInlineDeletionVector({1});
  std::string bytes = Z85Decode(dv.path_or_inline_dv)->substr(0, dv.size_in_bytes);
  bytes[0] = 0;
  dv.path_or_inline_dv = Z85Encode(bytes);
  Status status = LoadDeletedRowIndexes(fs_, dir_.path(), dv).status();
  EXPECT_THAT(status.message(), AllOf(HasSubstr("inline deletion vector"), HasSubstr("magic")));
}

TEST_F(DeletionVectorFileTest, MissingFile) {
  DeletionVectorDescriptor dv{'u', "vBn[lx{q8@P<9BNH/isA", 1, 36, 2};
  Status status = LoadDeletedRowIndexes(fs_, dir_.path(), dv).status();
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("deletion_vector_61d16c75"));
}

TEST_F(DeletionVectorFileTest, NeverOverwrites) {
  DeletionVectorDescriptor first = Write({1});
  DeletionVectorDescriptor second = Write({2});
  EXPECT_NE(first.path_or_inline_dv, second.path_or_inline_dv);
  EXPECT_THAT(*LoadDeletedRowIndexes(fs_, dir_.path(), first), ElementsAre(1));
  EXPECT_THAT(*LoadDeletedRowIndexes(fs_, dir_.path(), second), ElementsAre(2));
}

}  // namespace
}  // namespace sluice::delta
