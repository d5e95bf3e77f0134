#include "script_inputs.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/engine.h"

namespace sluice::testing {

std::string GzipCompress(const std::string& data) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(stream.total_out);
  return out;
}

std::string ZstdCompress(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

std::string ParquetFromCsv(const std::string& csv, std::string* error) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path base =
      fs::temp_directory_path() /
      ("sluice-parquet-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  { std::ofstream(base.string() + ".csv", std::ios::binary) << csv; }
  std::string out;
  Status status = [&]() -> Status {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Database> database, engine::Database::Open());
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, database->Connect());
    return connection->Execute("COPY (SELECT * FROM read_csv('" + base.string() +
                               ".csv', header = true)) TO '" + base.string() +
                               ".parquet' (FORMAT parquet)");
  }();
  if (status.ok()) {
    std::ifstream in(base.string() + ".parquet", std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    out = bytes.str();
  } else {
    *error = status.ToString();
  }
  fs::remove(base.string() + ".csv");
  fs::remove(base.string() + ".parquet");
  return out;
}

std::string Latin1FromUtf8(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out += text[i];
    } else if ((byte & 0xE0) == 0xC0 && i + 1 < text.size()) {
      const int code = ((byte & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      out += code <= 0xFF ? static_cast<char>(code) : '?';
      ++i;
    } else {
      out += '?';
      while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

}  // namespace sluice::testing
