#include "ingest/file_bytes.h"

#include <errno.h>
#include <iconv.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string_view>

#include "common/strings.h"

namespace sluice::ingest {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr size_t kMinOutput = 64 * 1024;
// zlib counts in uInt; larger inputs and outputs are handed over in pieces of this size.
constexpr size_t kZlibChunk = size_t{1} << 30;

// Room for more output: at least doubles, starting from a guess from the input size.
void Grow(std::string& out, size_t used, size_t input_size) {
  if (used < out.size()) return;
  out.resize(std::max({kMinOutput, 2 * out.size(), 4 * input_size}));
}

// Every gzip member in turn: `gzip -c a b > c` and parallel compressors write several,
// and gunzip reads them all.
Result<std::string> Gunzip(std::string_view input, const std::string& path) {
  if (input.empty()) return std::string();
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) {  // 15 + 32: gzip or zlib header, detected
    return Internal(path, ": cannot start gzip decompression");
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&stream, inflateEnd);
  const Bytef* const begin = reinterpret_cast<const Bytef*>(input.data());
  const Bytef* const end = begin + input.size();
  std::string out;
  size_t produced = 0;
  stream.next_in = const_cast<Bytef*>(begin);
  while (true) {
    Grow(out, produced, input.size());
    const size_t room = std::min(out.size() - produced, kZlibChunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(room);
    if (stream.avail_in == 0) {
      stream.avail_in = static_cast<uInt>(std::min<size_t>(end - stream.next_in, kZlibChunk));
    }
    const int rc = inflate(&stream, Z_NO_FLUSH);
    produced += room - stream.avail_out;
    if (rc == Z_STREAM_END) {
      if (stream.avail_in == 0 && stream.next_in == end) break;
      if (inflateReset(&stream) != Z_OK)
        return Internal(path, ": cannot restart gzip decompression");
      continue;
    }
    if (rc == Z_OK) continue;
    // With room for output, Z_BUF_ERROR means the input ran out inside a member.
    if (rc == Z_BUF_ERROR && stream.next_in == end) {
      return Corruption(path, ": gzip data is truncated (", produced,
                        " bytes decompressed before the end)");
    }
    return Corruption(path, ": invalid gzip data at compressed byte ",
                      static_cast<size_t>(stream.next_in - begin), ": ",
                      stream.msg != nullptr ? stream.msg : zError(rc));
  }
  out.resize(produced);
  return out;
}

// Every frame in turn, as `zstd -d` does with concatenated frames.
Result<std::string> Unzstd(std::string_view input, const std::string& path) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (context == nullptr) return Internal(path, ": cannot start zstd decompression");
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  std::string out;
  size_t produced = 0;
  // Nothing yet: an empty input is an empty file, not a truncated frame.
  size_t pending = 0;
  while (in.pos < in.size || pending != 0) {
    Grow(out, produced, input.size());
    ZSTD_outBuffer buffer{out.data() + produced, out.size() - produced, 0};
    const size_t rc = ZSTD_decompressStream(context.get(), &buffer, &in);
    if (ZSTD_isError(rc)) {
      return Corruption(path, ": invalid zstd data at compressed byte ", in.pos, ": ",
                        ZSTD_getErrorName(rc));
    }
    produced += buffer.pos;
    pending = rc;  // 0 once a frame is complete and flushed
    // All input read, the frame unfinished and the output not even full: it was cut off.
    if (in.pos == in.size && pending != 0 && buffer.pos < buffer.size) {
      return Corruption(path, ": zstd data is truncated (", produced,
                        " bytes decompressed before the end)");
    }
  }
  out.resize(produced);
  return out;
}

// The iconv name to decode `encoding` with. Java reads UTF-16 and UTF-32 without a byte
// order mark as big-endian; glibc's iconv would take the machine's order.
std::string IconvName(const std::string& encoding, std::string_view bytes) {
  if (EqualsIgnoreCase(encoding, "UTF-16") || EqualsIgnoreCase(encoding, "UTF16")) {
    const bool marked = StartsWith(bytes, "\xFE\xFF") || StartsWith(bytes, "\xFF\xFE");
    return marked ? "UTF-16" : "UTF-16BE";
  }
  if (EqualsIgnoreCase(encoding, "UTF-32") || EqualsIgnoreCase(encoding, "UTF32")) {
    const bool marked = StartsWith(bytes, std::string_view("\0\0\xFE\xFF", 4)) ||
                        StartsWith(bytes, std::string_view("\xFF\xFE\0\0", 4));
    return marked ? "UTF-32" : "UTF-32BE";
  }
  return encoding;
}

void DropUtf8Bom(std::string& text) {
  if (StartsWith(text, kUtf8Bom)) text.erase(0, kUtf8Bom.size());
}

}  // namespace

std::string CompressionOf(const std::string& path) {
  const std::string name = ToLower(io::BaseName(path));
  if (EndsWith(name, ".gz")) return "gzip";
  if (EndsWith(name, ".zst") || EndsWith(name, ".zstd")) return "zstd";
  return "";
}

Result<std::string> ReadFileBytes(io::FileSystem& fs, const std::string& path) {
  Result<std::string> bytes = fs.ReadFile(path);
  if (!bytes.ok()) {
    Status status = bytes.status();
    if (status.message().find(path) == std::string::npos) return status.WithContext(path);
    return status;
  }
  const std::string compression = CompressionOf(path);
  if (compression == "gzip") return Gunzip(*bytes, path);
  if (compression == "zstd") return Unzstd(*bytes, path);
  return std::move(bytes).value();
}

Result<std::string> ToUtf8(std::string bytes, const std::string& encoding,
                           const std::string& path) {
  if (encoding.empty() || EqualsIgnoreCase(encoding, "UTF-8") ||
      EqualsIgnoreCase(encoding, "UTF8")) {
    DropUtf8Bom(bytes);
    return bytes;
  }
  iconv_t converter = iconv_open("UTF-8", IconvName(encoding, bytes).c_str());
  if (converter == reinterpret_cast<iconv_t>(-1)) {
    return InvalidArgument(path, ": unknown encoding \"", encoding, "\"");
  }
  std::unique_ptr<void, int (*)(iconv_t)> guard(converter, iconv_close);

  // UTF-8 takes at most 3 bytes per 2 of UTF-16 and 2 per byte of single-byte encodings.
  std::string out(2 * bytes.size() + 16, '\0');
  char* in = bytes.data();
  size_t in_left = bytes.size();
  size_t produced = 0;
  // Converts all input, or with `flush` writes out what a stateful encoding still holds.
  auto convert = [&](bool flush) -> Status {
    while (true) {
      char* out_ptr = out.data() + produced;
      size_t out_left = out.size() - produced;
      const size_t rc = flush ? iconv(converter, nullptr, nullptr, &out_ptr, &out_left)
                              : iconv(converter, &in, &in_left, &out_ptr, &out_left);
      const int error = errno;
      produced = out_ptr - out.data();
      if (rc != static_cast<size_t>(-1)) return Status::OK();
      if (error == E2BIG) {
        out.resize(2 * out.size());
        continue;
      }
      const size_t offset = in - bytes.data();
      if (error == EINVAL) {
        return InvalidArgument(path, ": incomplete ", encoding, " character at byte offset ",
                               offset, " (the file ends inside it)");
      }
      return InvalidArgument(path, ": invalid ", encoding, " byte sequence at byte offset ",
                             offset);
    }
  };
  SLUICE_RETURN_IF_ERROR(convert(/*flush=*/false));
  SLUICE_RETURN_IF_ERROR(convert(/*flush=*/true));
  out.resize(produced);
  DropUtf8Bom(out);
  return out;
}

}  // namespace sluice::ingest
