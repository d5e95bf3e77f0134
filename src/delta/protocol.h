// Protocol versions and table features (PROTOCOL.md "Table Features";
// ../shared/reference/delta-protocol.md, section 8): which features a table's protocol
// implies or lists, whether sluice may read or write it, and which protocol a new table gets.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "delta/actions.h"
#include "delta/schema.h"

namespace sluice::delta {

// Feature names as they appear in readerFeatures / writerFeatures.
namespace feature {
inline constexpr std::string_view kAppendOnly = "appendOnly";
inline constexpr std::string_view kInvariants = "invariants";
inline constexpr std::string_view kCheckConstraints = "checkConstraints";
inline constexpr std::string_view kChangeDataFeed = "changeDataFeed";
inline constexpr std::string_view kGeneratedColumns = "generatedColumns";
inline constexpr std::string_view kColumnMapping = "columnMapping";
inline constexpr std::string_view kIdentityColumns = "identityColumns";
inline constexpr std::string_view kDeletionVectors = "deletionVectors";
inline constexpr std::string_view kTimestampNtz = "timestampNtz";
inline constexpr std::string_view kV2Checkpoint = "v2Checkpoint";
inline constexpr std::string_view kVacuumProtocolCheck = "vacuumProtocolCheck";
inline constexpr std::string_view kTypeWidening = "typeWidening";
inline constexpr std::string_view kTypeWideningPreview = "typeWidening-preview";
inline constexpr std::string_view kDomainMetadata = "domainMetadata";
inline constexpr std::string_view kInCommitTimestamp = "inCommitTimestamp";
inline constexpr std::string_view kRowTracking = "rowTracking";
inline constexpr std::string_view kClustering = "clustering";
inline constexpr std::string_view kAllowColumnDefaults = "allowColumnDefaults";
inline constexpr std::string_view kVariantType = "variantType";
inline constexpr std::string_view kCatalogManaged = "catalogManaged";
}  // namespace feature

// The reader features a protocol supports: implied by a legacy reader version (2 implies
// columnMapping) or listed explicitly at version 3.
std::set<std::string> ReaderFeatures(const Protocol& protocol);

// The writer features a protocol supports: implied by a legacy writer version (2: appendOnly,
// invariants; 3: + checkConstraints; 4: + changeDataFeed, generatedColumns; 5: + columnMapping;
// 6: + identityColumns) or listed explicitly at version 7.
std::set<std::string> WriterFeatures(const Protocol& protocol);

// True if the protocol supports `name` on the reader / writer side. "typeWidening" also matches
// the "typeWidening-preview" spelling.
bool SupportsReaderFeature(const Protocol& protocol, std::string_view name);
bool SupportsWriterFeature(const Protocol& protocol, std::string_view name);

// OK if sluice can read a table with this protocol: reader versions 1-3, and at version 3 only
// the reader features columnMapping, deletionVectors, timestampNtz, v2Checkpoint,
// vacuumProtocolCheck and typeWidening(-preview). Otherwise NotSupported naming the version or
// feature and `table_path`.
Status CheckReadable(const Protocol& protocol, std::string_view table_path);

// OK if sluice can write to a table with this protocol: it must be readable (writers honour
// every reader feature), the writer version must be 1-7, and every writer feature must be one
// sluice implements (appendOnly, invariants, checkConstraints, changeDataFeed,
// generatedColumns, columnMapping, domainMetadata, deletionVectors, timestampNtz, v2Checkpoint,
// inCommitTimestamp, vacuumProtocolCheck, allowColumnDefaults). Otherwise NotSupported naming the
// feature and table.
Status CheckWritable(const Protocol& protocol, std::string_view table_path);

// The table's column mapping mode: delta.columnMapping.mode, honoured only when the protocol
// supports columnMapping (otherwise kNone). InvalidArgument for a value other than
// none/name/id.
Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata);

// The protocol sluice writes at version 0 for a table with these properties, as Spark 3.x
// chooses it: (1,2) unless a property needs a feature beyond appendOnly and invariants; then
// table features with that feature listed together with appendOnly and invariants, at reader
// version 3 if any listed feature is a reader-writer feature and 1 otherwise, writer version 7.
// Properties that need features: delta.enableDeletionVectors, delta.columnMapping.mode (name or
// id), delta.checkpointPolicy=v2, delta.enableChangeDataFeed, delta.constraints.*,
// delta.enableInCommitTimestamps, delta.enableRowTracking, delta.enableTypeWidening and
// delta.feature.<name>=supported|enabled. `has_timestamp_ntz` adds timestampNtz.
// The result may list features sluice cannot write; callers check it with CheckWritable.
Protocol MinimalProtocolForNewTable(const StringMap& configuration, bool has_timestamp_ntz);

// True for the table properties that only ask for a protocol: delta.minReaderVersion,
// delta.minWriterVersion, delta.ignoreProtocolDefaults and delta.feature.<name>. Spark's
// Delta applies them to the protocol and never stores them in the metadata's configuration.
bool IsProtocolProperty(std::string_view key);

// True if `name` is supported by the protocol and switched on by the table's properties:
// appendOnly (delta.appendOnly=true), changeDataFeed (delta.enableChangeDataFeed=true),
// inCommitTimestamp (delta.enableInCommitTimestamps=true), deletionVectors
// (delta.enableDeletionVectors=true), checkConstraints (some delta.constraints.* property),
// columnMapping (a mode other than none). Any other supported feature has no switch and is
// active whenever it is supported.
bool IsFeatureActive(const Protocol& protocol, const Metadata& metadata, std::string_view name);

// A boolean table property: true only for "true" in any letter case.
bool IsPropertyTrue(const StringMap& configuration, std::string_view key);

}  // namespace sluice::delta
