#include "ingest/file_reader.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "ingest/ddl.h"

namespace sluice::ingest {
namespace {

class FileReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = io::NewMemoryFileSystem();
    database_ = std::move(engine::Database::Open()).value();
    connection_ = std::move(database_->Connect()).value();
  }

  void Put(const std::string& path, const std::string& text) {
    ASSERT_TRUE(fs_->CreateDirectories(path.substr(0, path.rfind('/'))).ok());
    ASSERT_TRUE(fs_->WriteFile(path, text).ok());
  }

  ReadSpec Spec(FileFormat format, const std::string& ddl,
                std::map<std::string, std::string> options = {}) {
    ReadSpec spec;
    spec.format = format;
    spec.options = std::move(ParseSourceOptions(options, SourceSyntax::kReadFiles, "/d")).value();
    spec.schema = std::move(SchemaFromDdl(ddl, "schema")).value();
    spec.rescued_column = "_rescued_data";
    return spec;
  }

  // Reads `files` with `spec` and returns the rows of `select` over the result, as text
  // "a|b;c|d;", or the error's message.
  std::string Read(ReadSpec spec, const std::vector<std::string>& paths,
                   const std::string& select = "*", const std::string& order = "1") {
    std::vector<InputFile> files;
    for (const std::string& path : paths) {
      InputFile file;
      file.path = path;
      file.size = static_cast<int64_t>(fs_->ReadFile(path)->size());
      file.modification_time_ms = 1700000000000;
      if (path.find("country=") != std::string::npos) {
        file.partition_values = {{"country", path.substr(path.find("country=") + 8, 2)}};
      }
      files.push_back(std::move(file));
    }
    auto source = FileBatchSource::Make(*fs_, std::move(spec), std::move(files));
    if (!source.ok()) return source.status().message();
    source_ = *source;
    auto id = engine::RegisterTableSource(*connection_, source_);
    EXPECT_TRUE(id.ok());
    auto result =
        connection_->Query("SELECT " + select + " FROM (" +
                           source_->Select(engine::TableSourceCall(*id)) + ") ORDER BY " + order);
    engine::UnregisterTableSource(*id);
    if (!result.ok()) return "error: " + result.status().message();
    std::string out;
    for (const auto& row : result->rows()) {
      for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? "|" : "") + row[i].ToString();
      out += ";";
    }
    return out;
  }

  std::unique_ptr<io::FileSystem> fs_;
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
  std::shared_ptr<FileBatchSource> source_;
};

TEST_F(FileReaderTest, ConvertsJsonValuesToTheSchema) {
  Put("/d/1.json",
      "{\"id\": 1, \"price\": 2.5, \"ok\": true, \"day\": \"2024-02-29\", \"at\": "
      "\"2024-01-01T10:00:00Z\", \"amount\": 12.345, \"tags\": [\"a\"], \"s\": {\"x\": 1}}\n");
  EXPECT_EQ(Read(Spec(FileFormat::kJson,
                      "id BIGINT, price DOUBLE, ok BOOLEAN, day DATE, at TIMESTAMP, "
                      "amount DECIMAL(5,2), tags ARRAY<STRING>, s STRUCT<x: INT>"),
                 {"/d/1.json"}),
            "1|2.5|true|2024-02-29|2024-01-01 10:00:00+00|12.35|['a']|{'x': 1}|NULL;");
}

TEST_F(FileReaderTest, RescuesMismatchesCaseAndUnknownFieldsWithThePath) {
  Put("/d/1.json",
      "{\"id\": \"x\", \"Name\": \"a\", \"extra\": [1, {\"b\": null}], \"n\": 5}\n"
      "{\"id\": 2, \"n\": 1.5}\n"
      "{\"id\": 3, \"n\": 7}\n");
  ReadSpec spec =
      Spec(FileFormat::kJson, "id BIGINT, name STRING, n INT", {{"schemaEvolutionMode", "rescue"}});
  EXPECT_EQ(Read(std::move(spec), {"/d/1.json"}, "id, name, n, _rescued_data", "n NULLS LAST"),
            "NULL|NULL|5|{\"id\":\"x\",\"Name\":\"a\",\"extra\":[1,{\"b\":null}],\"_file_path\":"
            "\"/d/1.json\"};"
            "3|NULL|7|NULL;"
            "2|NULL|NULL|{\"n\":1.5,\"_file_path\":\"/d/1.json\"};");
}

TEST_F(FileReaderTest, MalformedRecordsFollowTheMode) {
  Put("/d/1.json", "{\"id\": 1}\n{\"id\": \n[1]\n{\"id\": 4}\n");
  EXPECT_EQ(Read(Spec(FileFormat::kJson, "id BIGINT"), {"/d/1.json"},
                 "id, _rescued_data->>'$._corrupt_record'", "2, 1"),
            "NULL|[1];NULL|{\"id\": ;1|NULL;4|NULL;");
  EXPECT_EQ(
      Read(Spec(FileFormat::kJson, "id BIGINT", {{"mode", "DROPMALFORMED"}}), {"/d/1.json"}, "id"),
      "1;4;");
  EXPECT_EQ(source_->counters().dropped_malformed.load(), 2);
  const std::string failed =
      Read(Spec(FileFormat::kJson, "id BIGINT", {{"mode", "FAILFAST"}}), {"/d/1.json"});
  EXPECT_EQ(failed.rfind("error: /d/1.json:2: malformed record (", 0), 0u) << failed;
  EXPECT_NE(failed.find("mode FAILFAST stops the flow"), std::string::npos) << failed;
}

TEST_F(FileReaderTest, AddNewColumnsCollectsEveryNewFieldThenFails) {
  Put("/d/1.json", "{\"id\": 1}\n{\"id\": 2, \"b\": \"x\"}\n");
  Put("/d/2.json", "{\"id\": 3, \"c\": 4.5}\n{\"id\": 4, \"b\": \"y\", \"d\": {\"e\": 1}}\n");
  const std::string result = Read(Spec(FileFormat::kJson, "id BIGINT"), {"/d/1.json", "/d/2.json"});
  EXPECT_NE(result.find("new columns found in the input"), std::string::npos) << result;
  std::vector<std::string> added;
  for (const delta::StructField& field : source_->NewFields()) {
    added.push_back(field.name + " " + field.type->ToString());
  }
  std::sort(added.begin(), added.end());
  EXPECT_EQ(added, (std::vector<std::string>{"b string", "c double", "d struct<e:long>"}));
}

TEST_F(FileReaderTest, FailOnNewColumnsNamesTheFieldAndFile) {
  Put("/d/1.json", "{\"id\": 1}\n{\"id\": 2, \"b\": \"x\"}\n");
  const std::string result =
      Read(Spec(FileFormat::kJson, "id BIGINT", {{"schemaEvolutionMode", "failOnNewColumns"}}),
           {"/d/1.json"});
  EXPECT_NE(result.find("/d/1.json:2: new column 'b'"), std::string::npos) << result;
}

TEST_F(FileReaderTest, CsvCellsBeyondTheHeaderAreRescued) {
  Put("/d/1.csv", "id,name\n1,a,extra,more\n2\n3,\"c\"\n");
  EXPECT_EQ(Read(Spec(FileFormat::kCsv, "id INT, name STRING", {{"header", "true"}}), {"/d/1.csv"},
                 "id, name, _rescued_data"),
            "1|a|{\"_c2\":\"extra\",\"_c3\":\"more\",\"_file_path\":\"/d/1.csv\"};"
            "2|NULL|NULL;3|c|NULL;");
}

TEST_F(FileReaderTest, PartitionValuesAndMetadata) {
  Put("/d/country=NO/1.json", "{\"id\": 1}\n");
  ReadSpec spec = Spec(FileFormat::kJson, "id BIGINT");
  spec.partition_columns = {"country"};
  spec.partition_types = {delta::DataType::String()};
  spec.with_metadata = true;
  EXPECT_EQ(Read(std::move(spec), {"/d/country=NO/1.json"},
                 "id, country, _metadata.file_name, _metadata.file_size, "
                 "_metadata.file_modification_time"),
            "1|NO|1.json|10|2023-11-14 22:13:20+00;");
}

TEST_F(FileReaderTest, RepeatedKeysKeepTheFirstValueAndRescueTheOthers) {
  Put("/d/1.json", "{\"id\": 1, \"id\": 2, \"n\": \"a\", \"n\": null}\n");
  EXPECT_EQ(Read(Spec(FileFormat::kJson, "id BIGINT, n STRING"), {"/d/1.json"}),
            "1|a|{\"id\":2,\"_file_path\":\"/d/1.json\"};");
}

TEST_F(FileReaderTest, HiveDefaultPartitionIsNull) {
  Put("/d/country=__HIVE_DEFAULT_PARTITION__/1.json", "{\"id\": 1}\n");
  ReadSpec spec = Spec(FileFormat::kJson, "id BIGINT");
  spec.partition_columns = {"country"};
  spec.partition_types = {delta::DataType::String()};
  std::vector<InputFile> files(1);
  files[0].path = "/d/country=__HIVE_DEFAULT_PARTITION__/1.json";
  files[0].partition_values = {{"country", "__HIVE_DEFAULT_PARTITION__"}};
  auto source = FileBatchSource::Make(*fs_, std::move(spec), std::move(files));
  ASSERT_TRUE(source.ok());
  auto id = engine::RegisterTableSource(*connection_, *source);
  ASSERT_TRUE(id.ok());
  auto result = connection_->Query("SELECT id, country IS NULL FROM (" +
                                   (*source)->Select(engine::TableSourceCall(*id)) + ")");
  engine::UnregisterTableSource(*id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->row(0),
            (std::vector<engine::Value>{engine::Value::Int(1), engine::Value::Bool(true)}));
}

TEST_F(FileReaderTest, InvalidUtf8NamesTheFile) {
  Put("/d/1.csv", "a\n\xff\xfe\n");
  const std::string result = Read(Spec(FileFormat::kCsv, "_c0 STRING"), {"/d/1.csv"});
  EXPECT_NE(result.find("/d/1.csv: the file is not valid UTF-8"), std::string::npos) << result;
}

TEST(RescuedJson, EscapesNamesAndAddsThePath) {
  EXPECT_EQ(RescuedJson({{"a\"b", "1"}, {"é", "\"x\\ny\""}}, "/p/q.json"),
            "{\"a\\\"b\":1,\"é\":\"x\\ny\",\"_file_path\":\"/p/q.json\"}");
}

}  // namespace
}  // namespace sluice::ingest
