#include "delta/deletion_vector.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/z85.h"

namespace sluice::delta {
namespace {

constexpr uint32_t kPortableMagic = 1681511377;
constexpr uint8_t kFileFormatVersion = 1;
constexpr size_t kUuidZ85Length = 20;

struct RoaringDeleter {
  void operator()(roaring_bitmap_t* bitmap) const { roaring_bitmap_free(bitmap); }
};
using RoaringPtr = std::unique_ptr<roaring_bitmap_t, RoaringDeleter>;

uint32_t LoadLittle32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

uint64_t LoadLittle64(const char* p) {
  return uint64_t{LoadLittle32(p)} | uint64_t{LoadLittle32(p + 4)} << 32;
}

uint32_t LoadBig32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | uint32_t{b[3]};
}

void AppendLittle32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void AppendLittle64(std::string* out, uint64_t v) {
  AppendLittle32(out, static_cast<uint32_t>(v));
  AppendLittle32(out, static_cast<uint32_t>(v >> 32));
}

void AppendBig32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  return static_cast<uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "file:///x", "file:/x" -> "/x"; %XX escapes decoded once.
std::string AbsolutePathFromUri(std::string_view uri) {
  if (StartsWith(uri, "file://")) {
    uri.remove_prefix(7);
  } else if (StartsWith(uri, "file:")) {
    uri.remove_prefix(5);
  }
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && HexDigit(uri[i + 1]) >= 0 &&
        HexDigit(uri[i + 2]) >= 0) {
      path.push_back(static_cast<char>(HexDigit(uri[i + 1]) * 16 + HexDigit(uri[i + 2])));
      i += 2;
    } else {
      path.push_back(uri[i]);
    }
  }
  return path;
}

// Reads the DV stored at `offset` of a DV file's content, checking everything the format lets
// us check, and returns its bitmap bytes.
Result<std::string_view> BitmapFromFile(std::string_view content, const std::string& path,
                                        const DeletionVectorDescriptor& dv) {
  if (content.empty()) return Corruption(path, ": empty deletion vector file");
  if (static_cast<uint8_t>(content[0]) != kFileFormatVersion) {
    return Corruption(path, ": unknown deletion vector file format version ",
                      static_cast<int>(static_cast<uint8_t>(content[0])));
  }
  int64_t offset = dv.offset.value_or(1);
  if (offset < 1 || static_cast<uint64_t>(offset) + 4 > content.size()) {
    return Corruption(path, ": truncated: offset ", offset, " + 4 is past the end of the ",
                      content.size(), "-byte file");
  }
  uint32_t size = LoadBig32(content.data() + offset);
  if (size != static_cast<uint32_t>(dv.size_in_bytes)) {
    return Corruption(path, ": the deletion vector at offset ", offset, " has ", size,
                      " bytes but the log says ", dv.size_in_bytes);
  }
  uint64_t end = static_cast<uint64_t>(offset) + 4 + size + 4;
  if (end > content.size()) {
    return Corruption(path, ": truncated: the deletion vector at offset ", offset, " needs ", end,
                      " bytes but the file has ", content.size());
  }
  std::string_view bitmap = content.substr(offset + 4, size);
  uint32_t stored_crc = LoadBig32(content.data() + offset + 4 + size);
  uint32_t actual_crc = Crc32(bitmap);
  if (stored_crc != actual_crc) {
    return Corruption(path, ": checksum mismatch for the deletion vector at offset ", offset,
                      " (stored ", stored_crc, ", computed ", actual_crc, ")");
  }
  return bitmap;
}

void SortUnique(std::vector<uint64_t>* rows) {
  if (!std::is_sorted(rows->begin(), rows->end())) std::sort(rows->begin(), rows->end());
  rows->erase(std::unique(rows->begin(), rows->end()), rows->end());
}

// `dir` + "/" + `name`, with exactly one '/' between them.
std::string JoinDir(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path.push_back('/');
  path.append(name);
  return path;
}

}  // namespace

Result<std::string> DecodeDeletionVectorUuid(std::string_view z85) {
  if (z85.size() < kUuidZ85Length) {
    return InvalidArgument("deletion vector id '", z85, "' is shorter than 20 characters");
  }
  auto bytes = Z85Decode(z85.substr(z85.size() - kUuidZ85Length));
  if (!bytes.ok()) {
    return InvalidArgument("deletion vector id '", z85, "': ", bytes.status().message());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uuid;
  for (size_t i = 0; i < bytes->size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid.push_back('-');
    auto byte = static_cast<uint8_t>((*bytes)[i]);
    uuid.push_back(kHex[byte >> 4]);
    uuid.push_back(kHex[byte & 0xF]);
  }
  return uuid;
}

Result<std::string> EncodeDeletionVectorUuid(std::string_view uuid) {
  std::string bytes;
  int high = -1;
  for (char c : uuid) {
    if (c == '-') continue;
    int digit = HexDigit(c);
    if (digit < 0) return InvalidArgument("'", uuid, "' is not a UUID");
    if (high < 0) {
      high = digit;
    } else {
      bytes.push_back(static_cast<char>(high * 16 + digit));
      high = -1;
    }
  }
  if (bytes.size() != 16 || high >= 0) return InvalidArgument("'", uuid, "' is not a UUID");
  return Z85Encode(bytes);
}

Result<std::string> DeletionVectorFilePath(std::string_view table_root,
                                           const DeletionVectorDescriptor& dv) {
  switch (dv.storage_type) {
    case 'u': {
      SLUICE_ASSIGN_OR_RETURN(std::string uuid, DecodeDeletionVectorUuid(dv.path_or_inline_dv));
      std::string_view prefix = std::string_view(dv.path_or_inline_dv)
                                    .substr(0, dv.path_or_inline_dv.size() - kUuidZ85Length);
      std::string dir = prefix.empty() ? std::string(table_root) : JoinDir(table_root, prefix);
      return JoinDir(dir, "deletion_vector_" + uuid + ".bin");
    }
    case 'p':
      return AbsolutePathFromUri(dv.path_or_inline_dv);
    default:
      return InvalidArgument("deletion vector of storage type '", std::string(1, dv.storage_type),
                             "' has no file");
  }
}

std::string EncodeDeletionVectorBitmap(std::vector<uint64_t> row_indexes) {
  SortUnique(&row_indexes);
  std::string out;
  AppendLittle32(&out, kPortableMagic);
  size_t count_position = out.size();
  AppendLittle64(&out, 0);
  uint64_t buckets = 0;
  std::vector<uint32_t> low;
  for (size_t i = 0; i < row_indexes.size();) {
    uint32_t key = static_cast<uint32_t>(row_indexes[i] >> 32);
    low.clear();
    for (; i < row_indexes.size() && (row_indexes[i] >> 32) == key; ++i) {
      low.push_back(static_cast<uint32_t>(row_indexes[i]));
    }
    RoaringPtr bitmap(roaring_bitmap_of_ptr(low.size(), low.data()));
    roaring_bitmap_run_optimize(bitmap.get());
    AppendLittle32(&out, key);
    size_t start = out.size();
    out.resize(start + roaring_bitmap_portable_size_in_bytes(bitmap.get()));
    size_t written = roaring_bitmap_portable_serialize(bitmap.get(), out.data() + start);
    out.resize(start + written);
    ++buckets;
  }
  std::string count;
  AppendLittle64(&count, buckets);
  out.replace(count_position, count.size(), count);
  return out;
}

Result<std::vector<uint64_t>> DecodeDeletionVectorBitmap(std::string_view bitmap,
                                                         std::string_view source) {
  if (bitmap.size() < 4) {
    return Corruption(source, ": truncated deletion vector bitmap of ", bitmap.size(), " bytes");
  }
  uint32_t magic = LoadLittle32(bitmap.data());
  if (magic != kPortableMagic) {
    return Corruption(source, ": bad deletion vector magic number ", magic, " (expected ",
                      kPortableMagic, ")");
  }
  if (bitmap.size() < 12) {
    return Corruption(source, ": truncated deletion vector bitmap of ", bitmap.size(), " bytes");
  }
  uint64_t buckets = LoadLittle64(bitmap.data() + 4);
  size_t position = 12;
  std::vector<uint64_t> rows;
  std::vector<uint32_t> low;
  int64_t previous_key = -1;
  for (uint64_t b = 0; b < buckets; ++b) {
    if (bitmap.size() - position < 4) {
      return Corruption(source, ": truncated deletion vector bitmap: bucket ", b, " of ", buckets,
                        " is missing");
    }
    uint32_t key = LoadLittle32(bitmap.data() + position);
    position += 4;
    if (static_cast<int64_t>(key) <= previous_key) {
      return Corruption(source, ": deletion vector bitmap keys are not ascending");
    }
    previous_key = key;
    const char* data = bitmap.data() + position;
    size_t available = bitmap.size() - position;
    size_t length = roaring_bitmap_portable_deserialize_size(data, available);
    if (length == 0) {
      return Corruption(source, ": truncated or invalid Roaring bitmap in bucket ", b);
    }
    RoaringPtr part(roaring_bitmap_portable_deserialize_safe(data, length));
    if (part == nullptr) {
      return Corruption(source, ": invalid Roaring bitmap in bucket ", b);
    }
    position += length;
    low.resize(roaring_bitmap_get_cardinality(part.get()));
    roaring_bitmap_to_uint32_array(part.get(), low.data());
    rows.reserve(rows.size() + low.size());
    for (uint32_t value : low) rows.push_back(uint64_t{key} << 32 | value);
  }
  if (position != bitmap.size()) {
    return Corruption(source, ": ", bitmap.size() - position,
                      " unexpected bytes after the deletion vector bitmap");
  }
  return rows;
}

Result<std::vector<uint64_t>> LoadDeletedRowIndexes(io::FileSystem& fs, std::string_view table_root,
                                                    const DeletionVectorDescriptor& dv) {
  return DeletionVectorReader(fs, table_root).Load(dv);
}

Result<std::vector<uint64_t>> DeletionVectorReader::Load(const DeletionVectorDescriptor& dv) {
  std::vector<uint64_t> rows;
  std::string source;
  if (dv.storage_type == 'i') {
    source = StrCat(table_root_, ": inline deletion vector");
    auto bytes = Z85Decode(dv.path_or_inline_dv);
    if (!bytes.ok()) return Corruption(source, ": ", bytes.status().message());
    if (dv.size_in_bytes < 0 || bytes->size() < static_cast<size_t>(dv.size_in_bytes)) {
      return Corruption(source, ": truncated: ", bytes->size(), " bytes but the log says ",
                        dv.size_in_bytes);
    }
    SLUICE_ASSIGN_OR_RETURN(
        rows,
        DecodeDeletionVectorBitmap(std::string_view(*bytes).substr(0, dv.size_in_bytes), source));
  } else {
    auto path = DeletionVectorFilePath(table_root_, dv);
    if (!path.ok()) return Corruption(table_root_, ": ", path.status().message());
    source = *path;
    auto cached = files_.find(*path);
    if (cached == files_.end()) {
      SLUICE_ASSIGN_OR_RETURN(std::string content, fs_->ReadFile(*path));
      cached = files_.emplace(*path, std::move(content)).first;
    }
    SLUICE_ASSIGN_OR_RETURN(std::string_view bitmap, BitmapFromFile(cached->second, *path, dv));
    SLUICE_ASSIGN_OR_RETURN(rows, DecodeDeletionVectorBitmap(bitmap, source));
  }
  if (static_cast<int64_t>(rows.size()) != dv.cardinality) {
    return Corruption(source, ": the deletion vector holds ", rows.size(),
                      " rows but the log says its cardinality is ", dv.cardinality);
  }
  return rows;
}

DeletionVectorDescriptor MakeInlineDeletionVector(std::vector<uint64_t> row_indexes) {
  SortUnique(&row_indexes);
  const auto cardinality = static_cast<int64_t>(row_indexes.size());
  return InlineDeletionVector(EncodeDeletionVectorBitmap(std::move(row_indexes)), cardinality);
}

DeletionVectorDescriptor InlineDeletionVector(const std::string& bitmap, int64_t cardinality) {
  DeletionVectorDescriptor dv;
  dv.storage_type = 'i';
  dv.cardinality = cardinality;
  dv.path_or_inline_dv = Z85Encode(bitmap);
  dv.size_in_bytes = static_cast<int32_t>(bitmap.size());
  return dv;
}

Result<DeletionVectorDescriptor> WriteDeletionVectorFile(io::FileSystem& fs,
                                                         std::string_view table_root,
                                                         std::vector<uint64_t> row_indexes) {
  DeletionVectorFileBuilder builder(table_root);
  DeletionVectorDescriptor dv = builder.Add(std::move(row_indexes));
  SLUICE_RETURN_IF_ERROR(builder.Write(fs));
  return dv;
}

DeletionVectorFileBuilder::DeletionVectorFileBuilder(std::string_view table_root) {
  const std::string uuid = NewUuid();
  // A UUID's 16 bytes always encode.
  z85_uuid_ = EncodeDeletionVectorUuid(uuid).value();
  path_ = JoinDir(table_root, "deletion_vector_" + uuid + ".bin");
  content_.push_back(static_cast<char>(kFileFormatVersion));
}

DeletionVectorDescriptor DeletionVectorFileBuilder::Add(std::vector<uint64_t> row_indexes) {
  SortUnique(&row_indexes);
  const auto cardinality = static_cast<int64_t>(row_indexes.size());
  return AddBitmap(EncodeDeletionVectorBitmap(std::move(row_indexes)), cardinality);
}

DeletionVectorDescriptor DeletionVectorFileBuilder::AddBitmap(const std::string& bitmap,
                                                              int64_t cardinality) {
  DeletionVectorDescriptor dv;
  dv.storage_type = 'u';
  dv.path_or_inline_dv = z85_uuid_;
  dv.offset = static_cast<int32_t>(content_.size());
  dv.cardinality = cardinality;
  dv.size_in_bytes = static_cast<int32_t>(bitmap.size());
  AppendBig32(&content_, static_cast<uint32_t>(bitmap.size()));
  content_.append(bitmap);
  AppendBig32(&content_, Crc32(bitmap));
  ++count_;
  return dv;
}

Status DeletionVectorFileBuilder::Write(io::FileSystem& fs) const {
  if (count_ == 0) return Status::OK();
  return fs.PutIfAbsent(path_, content_);
}

}  // namespace sluice::delta
