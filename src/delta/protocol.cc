#include "delta/protocol.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"

namespace sluice::delta {
namespace {

// Features whose name must be in both lists: a reader that lacks one cannot read the table.
constexpr std::string_view kReaderWriterFeatures[] = {
    feature::kColumnMapping,       feature::kDeletionVectors,     feature::kTimestampNtz,
    feature::kV2Checkpoint,        feature::kVacuumProtocolCheck, feature::kTypeWidening,
    feature::kTypeWideningPreview, feature::kVariantType,         "variantType-preview",
    feature::kCatalogManaged,      "catalogOwned-preview"};

constexpr std::string_view kReadableFeatures[] = {
    feature::kColumnMapping,      feature::kDeletionVectors,     feature::kTimestampNtz,
    feature::kV2Checkpoint,       feature::kVacuumProtocolCheck, feature::kTypeWidening,
    feature::kTypeWideningPreview};

// allowColumnDefaults: the file writer refuses to leave out a column that has a default
// (DataFileOptions::column_defaults), so every row it writes has explicit values.
constexpr std::string_view kWritableFeatures[] = {
    feature::kAppendOnly,         feature::kInvariants,        feature::kCheckConstraints,
    feature::kChangeDataFeed,     feature::kGeneratedColumns,  feature::kColumnMapping,
    feature::kDomainMetadata,     feature::kDeletionVectors,   feature::kTimestampNtz,
    feature::kV2Checkpoint,       feature::kInCommitTimestamp, feature::kVacuumProtocolCheck,
    feature::kAllowColumnDefaults};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

bool IsReaderWriterFeature(std::string_view name) { return Contains(kReaderWriterFeatures, name); }

// Writer features implied by each legacy writer version, cumulatively.
std::vector<std::string_view> LegacyWriterFeatures(int32_t version) {
  std::vector<std::string_view> features;
  if (version >= 2) features.insert(features.end(), {feature::kAppendOnly, feature::kInvariants});
  if (version >= 3) features.push_back(feature::kCheckConstraints);
  if (version >= 4) {
    features.insert(features.end(), {feature::kChangeDataFeed, feature::kGeneratedColumns});
  }
  if (version >= 5) features.push_back(feature::kColumnMapping);
  if (version >= 6) features.push_back(feature::kIdentityColumns);
  return features;
}

bool HasFeature(const std::set<std::string>& features, std::string_view name) {
  if (features.count(std::string(name)) > 0) return true;
  if (name == feature::kTypeWidening) {
    return features.count(std::string(feature::kTypeWideningPreview)) > 0;
  }
  return false;
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const auto& name : names) quoted.push_back("'" + name + "'");
  return Join(quoted, ", ");
}

}  // namespace

std::set<std::string> ReaderFeatures(const Protocol& protocol) {
  std::set<std::string> features;
  if (protocol.min_reader_version == 2) features.emplace(feature::kColumnMapping);
  if (protocol.min_reader_version >= 3 && protocol.reader_features) {
    features.insert(protocol.reader_features->begin(), protocol.reader_features->end());
  }
  return features;
}

std::set<std::string> WriterFeatures(const Protocol& protocol) {
  std::set<std::string> features;
  if (protocol.min_writer_version >= 7) {
    if (protocol.writer_features) {
      features.insert(protocol.writer_features->begin(), protocol.writer_features->end());
    }
  } else {
    for (std::string_view name : LegacyWriterFeatures(protocol.min_writer_version)) {
      features.emplace(name);
    }
  }
  return features;
}

bool SupportsReaderFeature(const Protocol& protocol, std::string_view name) {
  return HasFeature(ReaderFeatures(protocol), name);
}

bool SupportsWriterFeature(const Protocol& protocol, std::string_view name) {
  return HasFeature(WriterFeatures(protocol), name);
}

Status CheckReadable(const Protocol& protocol, std::string_view table_path) {
  int32_t version = protocol.min_reader_version;
  if (version < 1 || version > 3) {
    return NotSupported(table_path, ": the table needs Delta reader version ", version,
                        "; sluice reads versions 1 to 3");
  }
  if (version < 3) return Status::OK();
  std::vector<std::string> unsupported;
  for (const std::string& name : ReaderFeatures(protocol)) {
    if (!Contains(kReadableFeatures, name)) unsupported.push_back(name);
  }
  if (!unsupported.empty()) {
    return NotSupported(table_path, ": the table needs reader feature",
                        unsupported.size() > 1 ? "s " : " ", QuotedList(unsupported),
                        ", which sluice does not support");
  }
  return Status::OK();
}

Status CheckWritable(const Protocol& protocol, std::string_view table_path) {
  SLUICE_RETURN_IF_ERROR(CheckReadable(protocol, table_path));
  int32_t version = protocol.min_writer_version;
  if (version < 1 || version > 7) {
    return NotSupported(table_path, ": the table needs Delta writer version ", version,
                        "; sluice writes versions 1 to 7");
  }
  std::vector<std::string> unsupported;
  for (const std::string& name : WriterFeatures(protocol)) {
    if (!Contains(kWritableFeatures, name)) unsupported.push_back(name);
  }
  if (!unsupported.empty()) {
    return NotSupported(table_path, ": the table needs writer feature",
                        unsupported.size() > 1 ? "s " : " ", QuotedList(unsupported),
                        ", which sluice cannot write");
  }
  return Status::OK();
}

Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata) {
  auto it = metadata.configuration.find("delta.columnMapping.mode");
  if (it == metadata.configuration.end()) return ColumnMappingMode::kNone;
  ColumnMappingMode mode;
  if (EqualsIgnoreCase(it->second, "none")) {
    mode = ColumnMappingMode::kNone;
  } else if (EqualsIgnoreCase(it->second, "name")) {
    mode = ColumnMappingMode::kName;
  } else if (EqualsIgnoreCase(it->second, "id")) {
    mode = ColumnMappingMode::kId;
  } else {
    return InvalidArgument("delta.columnMapping.mode '", it->second,
                           "' is not one of none, name, id");
  }
  if (!SupportsReaderFeature(protocol, feature::kColumnMapping)) return ColumnMappingMode::kNone;
  return mode;
}

bool IsPropertyTrue(const StringMap& configuration, std::string_view key) {
  auto it = configuration.find(std::string(key));
  return it != configuration.end() && EqualsIgnoreCase(Trim(it->second), "true");
}

bool IsProtocolProperty(std::string_view key) {
  return key == "delta.minReaderVersion" || key == "delta.minWriterVersion" ||
         key == "delta.ignoreProtocolDefaults" || StartsWith(key, "delta.feature.");
}

Protocol MinimalProtocolForNewTable(const StringMap& configuration, bool has_timestamp_ntz) {
  std::vector<std::string> needed;
  auto need = [&needed](std::string_view name) {
    if (std::find(needed.begin(), needed.end(), name) == needed.end()) needed.emplace_back(name);
  };
  auto mode = configuration.find("delta.columnMapping.mode");
  if (mode != configuration.end() && !EqualsIgnoreCase(mode->second, "none")) {
    need(feature::kColumnMapping);
  }
  if (IsPropertyTrue(configuration, "delta.enableDeletionVectors")) {
    need(feature::kDeletionVectors);
  }
  if (has_timestamp_ntz) need(feature::kTimestampNtz);
  auto policy = configuration.find("delta.checkpointPolicy");
  if (policy != configuration.end() && EqualsIgnoreCase(policy->second, "v2")) {
    need(feature::kV2Checkpoint);
  }
  if (IsPropertyTrue(configuration, "delta.enableTypeWidening")) need(feature::kTypeWidening);
  if (IsPropertyTrue(configuration, "delta.enableChangeDataFeed")) {
    need(feature::kChangeDataFeed);
  }
  for (const auto& [key, value] : configuration) {
    if (StartsWith(key, "delta.constraints.")) need(feature::kCheckConstraints);
  }
  if (IsPropertyTrue(configuration, "delta.enableInCommitTimestamps")) {
    need(feature::kInCommitTimestamp);
  }
  if (IsPropertyTrue(configuration, "delta.enableRowTracking")) {
    need(feature::kRowTracking);
    need(feature::kDomainMetadata);
  }
  for (const auto& [key, value] : configuration) {
    constexpr std::string_view kPrefix = "delta.feature.";
    if (StartsWith(key, kPrefix) &&
        (EqualsIgnoreCase(value, "supported") || EqualsIgnoreCase(value, "enabled"))) {
      need(std::string_view(key).substr(kPrefix.size()));
    }
  }

  // Explicit legacy versions requested through properties; they imply their features.
  int32_t reader = 1;
  int32_t writer = 2;
  if (auto it = configuration.find("delta.minReaderVersion"); it != configuration.end()) {
    reader = std::max<int32_t>(reader, ParseInt64(it->second).value_or(1));
  }
  if (auto it = configuration.find("delta.minWriterVersion"); it != configuration.end()) {
    writer = std::max<int32_t>(writer, ParseInt64(it->second).value_or(2));
  }
  reader = std::min(reader, 3);
  writer = std::min(writer, 7);

  // Explicit legacy versions make their implied features free; anything else needs table
  // features.
  std::vector<std::string_view> implied = LegacyWriterFeatures(writer >= 7 ? 2 : writer);
  bool fits_legacy =
      reader < 3 && writer < 7 && std::all_of(needed.begin(), needed.end(), [&](const auto& name) {
        return std::find(implied.begin(), implied.end(), name) != implied.end() &&
               (name != feature::kColumnMapping || reader >= 2);
      });
  if (fits_legacy) return Protocol{reader, writer, std::nullopt, std::nullopt};

  // Table features: the needed ones first, then those the legacy versions implied (as Spark
  // lists them when it upgrades (1,2) to (x,7)).
  std::vector<std::string> writer_features = needed;
  for (std::string_view name : implied) {
    if (std::find(writer_features.begin(), writer_features.end(), name) == writer_features.end()) {
      writer_features.emplace_back(name);
    }
  }
  std::vector<std::string> reader_features;
  for (const std::string& name : writer_features) {
    if (IsReaderWriterFeature(name)) reader_features.push_back(name);
  }
  Protocol protocol;
  protocol.min_writer_version = 7;
  protocol.writer_features = writer_features;
  if (!reader_features.empty() || reader >= 3) {
    protocol.min_reader_version = 3;
    protocol.reader_features = reader_features;
  } else {
    protocol.min_reader_version = 1;
  }
  return protocol;
}

bool IsFeatureActive(const Protocol& protocol, const Metadata& metadata, std::string_view name) {
  if (!SupportsWriterFeature(protocol, name) && !SupportsReaderFeature(protocol, name)) {
    return false;
  }
  const StringMap& config = metadata.configuration;
  if (name == feature::kAppendOnly) return IsPropertyTrue(config, "delta.appendOnly");
  if (name == feature::kChangeDataFeed) return IsPropertyTrue(config, "delta.enableChangeDataFeed");
  if (name == feature::kInCommitTimestamp) {
    return IsPropertyTrue(config, "delta.enableInCommitTimestamps");
  }
  if (name == feature::kDeletionVectors) {
    return IsPropertyTrue(config, "delta.enableDeletionVectors");
  }
  if (name == feature::kCheckConstraints) {
    return std::any_of(config.begin(), config.end(), [](const auto& entry) {
      return StartsWith(entry.first, "delta.constraints.");
    });
  }
  if (name == feature::kColumnMapping) {
    auto mode = GetColumnMappingMode(protocol, metadata);
    return mode.ok() && *mode != ColumnMappingMode::kNone;
  }
  return true;
}

}  // namespace sluice::delta
