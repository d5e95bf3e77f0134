// Deletion vectors (PROTOCOL.md "Deletion Vectors"; ../shared/reference/delta-protocol.md,
// section 9): the set of row indexes (0-based physical positions in a data file) that readers
// must drop, stored inline in the log or in a deletion_vector_<uuid>.bin file.
//
// Bitmap bytes ("RoaringBitmapArray", portable layout, all little-endian):
//   u32 magic 1681511377 | u64 bucket count | per bucket: u32 key (the high 32 bits of its rows),
//   then a standard 32-bit portable Roaring bitmap of the low 32 bits. Keys ascend.
// DV file: byte 0 = format version 1; each DV at its `offset`: u32 big-endian bitmap size,
//   the bitmap, u32 big-endian CRC-32 of the bitmap.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"
#include "io/file_system.h"

namespace sluice::delta {

// The sorted row indexes a deletion vector marks as deleted. Reads the file for storage types
// 'u' and 'p' through `fs`; decodes 'i' from the descriptor. Corruption names the DV file (or
// says "inline deletion vector") and the problem: bad version, bad magic, truncated data, size
// or checksum mismatch, or a cardinality that differs from the descriptor's.
Result<std::vector<uint64_t>> LoadDeletedRowIndexes(io::FileSystem& fs, std::string_view table_root,
                                                    const DeletionVectorDescriptor& dv);

// Loads deletion vectors of one table, reading each DV file once however many DVs it holds
// (a commit that marks rows of many data files writes them all into one file). Errors as
// LoadDeletedRowIndexes.
class DeletionVectorReader {
 public:
  DeletionVectorReader(io::FileSystem& fs, std::string_view table_root)
      : fs_(&fs), table_root_(table_root) {}
  Result<std::vector<uint64_t>> Load(const DeletionVectorDescriptor& dv);

 private:
  io::FileSystem* fs_;
  std::string table_root_;
  std::map<std::string, std::string> files_;  // path -> content
};

// The file holding an on-disk DV: <table_root>/[<prefix>/]deletion_vector_<uuid>.bin for 'u',
// the absolute path (without a file: scheme, percent-decoded) for 'p'. InvalidArgument for 'i'
// or a malformed 'u' value.
Result<std::string> DeletionVectorFilePath(std::string_view table_root,
                                           const DeletionVectorDescriptor& dv);

// The UUID ("xxxxxxxx-xxxx-...") encoded by the last 20 Z85 characters of a 'u' value, and
// back. A 'u' value may have a random prefix before those 20 characters.
Result<std::string> DecodeDeletionVectorUuid(std::string_view z85);
Result<std::string> EncodeDeletionVectorUuid(std::string_view uuid);

// Bitmap bytes (see above) <-> row indexes. Encoding takes any order and drops duplicates;
// decoding returns ascending indexes. `source` names the DV in error messages.
std::string EncodeDeletionVectorBitmap(std::vector<uint64_t> row_indexes);
Result<std::vector<uint64_t>> DecodeDeletionVectorBitmap(std::string_view bitmap,
                                                         std::string_view source);

// A descriptor of storage type 'i' holding `row_indexes` in the log itself.
DeletionVectorDescriptor MakeInlineDeletionVector(std::vector<uint64_t> row_indexes);
// The same for a bitmap already encoded (EncodeDeletionVectorBitmap of `cardinality` rows).
DeletionVectorDescriptor InlineDeletionVector(const std::string& bitmap, int64_t cardinality);

// Writes `row_indexes` as a new file <table_root>/deletion_vector_<random uuid>.bin (one DV at
// offset 1; never overwrites) and returns its 'u' descriptor.
Result<DeletionVectorDescriptor> WriteDeletionVectorFile(io::FileSystem& fs,
                                                         std::string_view table_root,
                                                         std::vector<uint64_t> row_indexes);

// Several DVs in one new file <table_root>/deletion_vector_<random uuid>.bin, as a commit
// that marks rows of many data files writes them: Add gives each DV's 'u' descriptor (its
// offset in the file); Write creates the file (never overwriting), which must happen before
// the descriptors are committed.
class DeletionVectorFileBuilder {
 public:
  explicit DeletionVectorFileBuilder(std::string_view table_root);

  DeletionVectorDescriptor Add(std::vector<uint64_t> row_indexes);
  // The same for a bitmap already encoded (EncodeDeletionVectorBitmap of `cardinality` rows).
  DeletionVectorDescriptor AddBitmap(const std::string& bitmap, int64_t cardinality);
  bool empty() const { return count_ == 0; }
  const std::string& path() const { return path_; }
  // Nothing is written when no DV was added.
  Status Write(io::FileSystem& fs) const;

 private:
  std::string path_;
  std::string z85_uuid_;
  std::string content_;
  int count_ = 0;
};

}  // namespace sluice::delta
