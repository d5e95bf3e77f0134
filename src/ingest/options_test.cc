#include "ingest/options.h"

#include <gtest/gtest.h>

namespace sluice::ingest {
namespace {

TEST(SourceOptions, DefaultsDependOnTheSyntax) {
  auto read_files = ParseSourceOptions({}, SourceSyntax::kReadFiles, "/d");
  ASSERT_TRUE(read_files.ok());
  EXPECT_TRUE(read_files->infer_column_types);
  EXPECT_EQ(read_files->max_files_per_trigger, 1000);
  EXPECT_TRUE(read_files->include_existing_files);
  EXPECT_EQ(read_files->EffectiveEvolutionMode(), EvolutionMode::kAddNewColumns);
  EXPECT_EQ(read_files->RescuedColumn(), "_rescued_data");
  auto cloud = ParseSourceOptions({}, SourceSyntax::kCloudFiles, "/d");
  ASSERT_TRUE(cloud.ok());
  EXPECT_FALSE(cloud->infer_column_types);
}

TEST(SourceOptions, CloudFilesPrefixAndCaseAreIgnored) {
  auto parsed = ParseSourceOptions({{"cloudFiles.Format", "CSV"},
                                    {"CLOUDFILES.maxFilesPerTrigger", "7"},
                                    {"cloudFiles.maxBytesPerTrigger", "10m"},
                                    {"Delimiter", "\\t"},
                                    {"charset", "latin1"},
                                    {"cloudFiles.schemaLocation", "/ignored"}},
                                   SourceSyntax::kCloudFiles, "/d");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->format, FileFormat::kCsv);
  EXPECT_EQ(parsed->max_files_per_trigger, 7);
  EXPECT_EQ(parsed->max_bytes_per_trigger, 10 << 20);
  EXPECT_EQ(parsed->delimiter, "\t");
  EXPECT_EQ(parsed->encoding, "latin1");
}

TEST(SourceOptions, DeclaredSchemaChangesModeAndRescueDefaults) {
  auto parsed = ParseSourceOptions({{"schema", "id BIGINT"}}, SourceSyntax::kReadFiles, "/d");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->EffectiveEvolutionMode(), EvolutionMode::kNone);
  EXPECT_EQ(parsed->RescuedColumn(), "");
  parsed = ParseSourceOptions({{"schema", "id BIGINT"}, {"rescuedDataColumn", "_r"}},
                              SourceSyntax::kReadFiles, "/d");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->RescuedColumn(), "_r");
}

TEST(SourceOptions, UnknownOptionSuggestsTheNearest) {
  auto parsed =
      ParseSourceOptions({{"cloudFiles.schemaHint", "a INT"}}, SourceSyntax::kReadFiles, "/d");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "read_files('/d'): unknown option 'cloudFiles.schemaHint'; did you mean "
            "'schemahints'?");
}

TEST(SourceOptions, BadValuesSayWhatIsExpected) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"header", "yes"},
                                                        {"maxFilesPerTrigger", "0"},
                                                        {"maxBytesPerTrigger", "lots"},
                                                        {"schemaEvolutionMode", "grow"},
                                                        {"quote", "ab"}}) {
    auto parsed = ParseSourceOptions({{name, value}}, SourceSyntax::kReadFiles, "/d");
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_NE(parsed.status().message().find("option " + name + " = '" + value + "'"),
              std::string::npos)
        << parsed.status().message();
  }
}

TEST(SourceOptions, ByteSizesAndFileNames) {
  EXPECT_EQ(ParseByteSize("1048576"), 1048576);
  EXPECT_EQ(ParseByteSize("10k"), 10240);
  EXPECT_EQ(ParseByteSize("2GB"), int64_t{2} << 30);
  EXPECT_EQ(ParseByteSize("1.5g"), std::nullopt);
  EXPECT_EQ(ParseByteSize("g"), std::nullopt);
  EXPECT_EQ(FormatOfFileName("/a/b.JSON"), FileFormat::kJson);
  EXPECT_EQ(FormatOfFileName("/a/b.ndjson.gz"), FileFormat::kJson);
  EXPECT_EQ(FormatOfFileName("/a/b.csv.zst"), FileFormat::kCsv);
  EXPECT_EQ(FormatOfFileName("/a/b.parquet"), FileFormat::kParquet);
  EXPECT_EQ(FormatOfFileName("/a/b.log"), FileFormat::kText);
  EXPECT_EQ(FormatOfFileName("/a/b.bin"), std::nullopt);
}

}  // namespace
}  // namespace sluice::ingest
