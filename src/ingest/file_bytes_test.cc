#include "ingest/file_bytes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>
#include <string>

#include "io/fault_injection_file_system.h"

namespace sluice::ingest {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// One gzip member holding `data`.
std::string Gzip(std::string_view data) {
  z_stream stream{};
  EXPECT_EQ(
      deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// One zstd frame holding `data`; with `streamed` the frame does not record its size.
std::string Zstd(std::string_view data, bool streamed = false) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  if (!streamed) {
    const size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    EXPECT_FALSE(ZSTD_isError(size));
    out.resize(size);
    return out;
  }
  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  ZSTD_outBuffer buffer{out.data(), out.size(), 0};
  EXPECT_EQ(ZSTD_compressStream2(context.get(), &buffer, &in, ZSTD_e_end), 0u);
  out.resize(buffer.pos);
  return out;
}

// Text that compresses well but not trivially, larger than any first output guess.
std::string LongText(size_t size) {
  std::string text;
  for (int i = 0; text.size() < size; ++i) {
    text +=
        "{\"id\":" + std::to_string(i) + ",\"v\":\"" + std::to_string(i * 7919 % 10007) + "\"}\n";
  }
  return text;
}

class FileBytesTest : public ::testing::Test {
 protected:
  void Put(const std::string& path, std::string_view data) {
    ASSERT_TRUE(fs_->WriteFile(path, data).ok());
  }
  Result<std::string> Read(const std::string& path) { return ReadFileBytes(*fs_, path); }

  std::unique_ptr<io::FileSystem> fs_ = io::NewMemoryFileSystem();
};

TEST(CompressionOfTest, ByExtension) {
  EXPECT_EQ(CompressionOf("/in/a.json.gz"), "gzip");
  EXPECT_EQ(CompressionOf("/in/A.JSON.GZ"), "gzip");
  EXPECT_EQ(CompressionOf("/in/a.csv.zst"), "zstd");
  EXPECT_EQ(CompressionOf("a.zstd"), "zstd");
  EXPECT_EQ(CompressionOf("/in/a.json"), "");
  EXPECT_EQ(CompressionOf("/in/gz"), "");
  EXPECT_EQ(CompressionOf("/in/x.gz/a.json"), "");
  EXPECT_EQ(CompressionOf("/in/a.tgz"), "");
}

TEST_F(FileBytesTest, PlainFilesAreReadAsTheyAre) {
  const std::string data("a\0b\xff\n", 5);
  Put("/in/a.json", data);
  Result<std::string> bytes = Read("/in/a.json");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, data);
}

TEST_F(FileBytesTest, GzipIsDecompressed) {
  const std::string text = LongText(1 << 20);
  Put("/in/a.json.gz", Gzip(text));
  Put("/in/empty.gz", Gzip(""));
  Put("/in/nothing.gz", "");
  Result<std::string> bytes = Read("/in/a.json.gz");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->size(), text.size());
  EXPECT_EQ(*bytes, text);
  EXPECT_EQ(Read("/in/empty.gz").ValueOr("?"), "");
  EXPECT_EQ(Read("/in/nothing.gz").ValueOr("?"), "");
}

TEST_F(FileBytesTest, ConcatenatedGzipMembersAreAllRead) {
  Put("/in/a.gz", Gzip("first\n") + Gzip("") + Gzip("second\n") + Gzip(LongText(100000)));
  Result<std::string> bytes = Read("/in/a.gz");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "first\nsecond\n" + LongText(100000));
}

TEST_F(FileBytesTest, TruncatedGzipIsCorruptionNamingTheFile) {
  const std::string whole = Gzip(LongText(50000));
  for (size_t keep : {whole.size() - 1, whole.size() - 8, whole.size() / 2, size_t{10}}) {
    Put("/in/cut.json.gz", whole.substr(0, keep));
    Result<std::string> bytes = Read("/in/cut.json.gz");
    ASSERT_FALSE(bytes.ok()) << keep;
    EXPECT_EQ(bytes.status().code(), StatusCode::kCorruption) << keep;
    EXPECT_THAT(bytes.status().message(),
                AllOf(HasSubstr("/in/cut.json.gz: "), HasSubstr("truncated")))
        << keep;
  }
  // A second member cut short counts too.
  Put("/in/cut2.gz", Gzip("a") + whole.substr(0, whole.size() / 2));
  EXPECT_EQ(Read("/in/cut2.gz").status().code(), StatusCode::kCorruption);
}

TEST_F(FileBytesTest, DamagedGzipIsCorruption) {
  std::string damaged = Gzip(LongText(50000));
  damaged[damaged.size() / 2] ^= 0x55;
  damaged[damaged.size() / 2 + 1] ^= 0x55;
  Put("/in/bad.gz", damaged);
  Put("/in/plain.gz", "this is not gzip");
  Put("/in/trailer.gz", Gzip("ok") + "garbage");
  for (const char* path : {"/in/bad.gz", "/in/plain.gz", "/in/trailer.gz"}) {
    Result<std::string> bytes = Read(path);
    ASSERT_FALSE(bytes.ok()) << path;
    EXPECT_EQ(bytes.status().code(), StatusCode::kCorruption) << path;
    EXPECT_THAT(bytes.status().message(), HasSubstr(std::string(path) + ": ")) << path;
  }
}

TEST_F(FileBytesTest, ZstdIsDecompressed) {
  const std::string text = LongText(1 << 20);
  Put("/in/a.json.zst", Zstd(text));
  Put("/in/b.json.zstd", Zstd(text, /*streamed=*/true));
  Put("/in/nothing.zst", "");
  EXPECT_EQ(Read("/in/a.json.zst").ValueOr("?"), text);
  EXPECT_EQ(Read("/in/b.json.zstd").ValueOr("?"), text);
  EXPECT_EQ(Read("/in/nothing.zst").ValueOr("?"), "");
}

TEST_F(FileBytesTest, ConcatenatedZstdFramesAreAllRead) {
  Put("/in/a.zst",
      Zstd("first\n") + Zstd("", true) + Zstd("second\n", true) + Zstd(LongText(100000)));
  Result<std::string> bytes = Read("/in/a.zst");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "first\nsecond\n" + LongText(100000));
}

TEST_F(FileBytesTest, TruncatedOrDamagedZstdIsCorruptionNamingTheFile) {
  const std::string whole = Zstd(LongText(50000), /*streamed=*/true);
  for (size_t keep : {whole.size() - 1, whole.size() / 2, size_t{6}}) {
    Put("/in/cut.zst", whole.substr(0, keep));
    Result<std::string> bytes = Read("/in/cut.zst");
    ASSERT_FALSE(bytes.ok()) << keep;
    EXPECT_EQ(bytes.status().code(), StatusCode::kCorruption) << keep;
    EXPECT_THAT(bytes.status().message(), AllOf(HasSubstr("/in/cut.zst: "), HasSubstr("truncated")))
        << keep;
  }
  Put("/in/plain.zst", "this is not zstd");
  Result<std::string> bytes = Read("/in/plain.zst");
  EXPECT_EQ(bytes.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(bytes.status().message(), HasSubstr("/in/plain.zst: invalid zstd data"));
}

TEST_F(FileBytesTest, ReadErrorsNameTheFile) {
  io::FaultInjectionFileSystem faulty(fs_.get());
  Put("/in/unreadable.json.gz", Gzip("x"));
  faulty.FailReads("unreadable");
  Result<std::string> bytes = ReadFileBytes(faulty, "/in/unreadable.json.gz");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kIOError);
  EXPECT_THAT(bytes.status().message(), HasSubstr("/in/unreadable.json.gz"));

  bytes = Read("/in/missing.json");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(bytes.status().message(), HasSubstr("/in/missing.json"));
}

// ---- ToUtf8 ----

TEST(ToUtf8Test, Utf8StaysAsItIsWithoutItsByteOrderMark) {
  EXPECT_EQ(ToUtf8("\xEF\xBB\xBF{\"a\":1}", "UTF-8", "f").ValueOr("?"), "{\"a\":1}");
  EXPECT_EQ(ToUtf8("caf\xC3\xA9", "utf8", "f").ValueOr("?"), "caf\xC3\xA9");
  // Not checked here: the parsers see invalid UTF-8 for themselves.
  EXPECT_EQ(ToUtf8("\xFF", "UTF-8", "f").ValueOr("?"), "\xFF");
  EXPECT_EQ(ToUtf8("x", "", "f").ValueOr("?"), "x");
}

TEST(ToUtf8Test, SingleByteEncodings) {
  EXPECT_EQ(ToUtf8("caf\xE9", "ISO-8859-1", "f").ValueOr("?"), "caf\xC3\xA9");
  EXPECT_EQ(ToUtf8("caf\xE9", "latin1", "f").ValueOr("?"), "caf\xC3\xA9");
  EXPECT_EQ(ToUtf8("\x80 5", "windows-1252", "f").ValueOr("?"), "\xE2\x82\xAC 5");
  EXPECT_EQ(ToUtf8("plain", "US-ASCII", "f").ValueOr("?"), "plain");
  EXPECT_EQ(ToUtf8("", "latin1", "f").ValueOr("?"), "");
}

TEST(ToUtf8Test, Utf16WithAndWithoutByteOrderMark) {
  const std::string le_bom("\xFF\xFEh\0i\0", 6);
  const std::string be_bom("\xFE\xFF\0h\0i", 6);
  const std::string be("\0h\0i", 4);
  const std::string le("h\0i\0", 4);
  EXPECT_EQ(ToUtf8(le_bom, "UTF-16", "f").ValueOr("?"), "hi");
  EXPECT_EQ(ToUtf8(be_bom, "UTF-16", "f").ValueOr("?"), "hi");
  EXPECT_EQ(ToUtf8(be, "UTF-16", "f").ValueOr("?"), "hi");  // big-endian without a mark
  EXPECT_EQ(ToUtf8(le, "UTF-16LE", "f").ValueOr("?"), "hi");
  EXPECT_EQ(ToUtf8(le_bom, "UTF-16LE", "f").ValueOr("?"), "hi");
  EXPECT_EQ(ToUtf8(be, "UTF-16BE", "f").ValueOr("?"), "hi");
  EXPECT_EQ(ToUtf8(std::string("\0\0\0h", 4), "UTF-32", "f").ValueOr("?"), "h");
  EXPECT_EQ(ToUtf8(std::string("\xFF\xFE\0\0h\0\0\0", 8), "UTF-32", "f").ValueOr("?"), "h");
  // U+1F600 as a surrogate pair, and U+00E9.
  EXPECT_EQ(ToUtf8(std::string("\x3D\xD8\x00\xDE\xE9\x00", 6), "UTF-16LE", "f").ValueOr("?"),
            "\xF0\x9F\x98\x80\xC3\xA9");
}

TEST(ToUtf8Test, LargeInputGrowsTheOutput) {
  std::string latin1(300000, '\xE9');
  Result<std::string> utf8 = ToUtf8(latin1, "ISO-8859-1", "f");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  ASSERT_EQ(utf8->size(), 600000u);
  EXPECT_EQ(utf8->substr(599998), "\xC3\xA9");
}

TEST(ToUtf8Test, InvalidBytesNameTheFileAndOffset) {
  Result<std::string> utf8 = ToUtf8("abc\x80z", "US-ASCII", "/in/a.csv");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(utf8.status().message(), "/in/a.csv: invalid US-ASCII byte sequence at byte offset 3");

  // A lone low surrogate.
  utf8 = ToUtf8(std::string("a\0\x00\xDCz\0", 6), "UTF-16LE", "/in/b.json");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.status().message(), "/in/b.json: invalid UTF-16LE byte sequence at byte offset 2");

  // Odd length: the file ends inside a character.
  utf8 = ToUtf8(std::string("a\0b", 3), "UTF-16LE", "/in/c.json");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(utf8.status().message(),
            "/in/c.json: incomplete UTF-16LE character at byte offset 2 (the file ends inside "
            "it)");
}

TEST(ToUtf8Test, UnknownEncodingIsInvalidArgument) {
  Result<std::string> utf8 = ToUtf8("x", "no-such-charset", "/in/a.csv");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(utf8.status().message(), "/in/a.csv: unknown encoding \"no-such-charset\"");
}

}  // namespace
}  // namespace sluice::ingest
