#include "spec/settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace sluice::spec {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(SettingsTest, SparkSpecWithGlobLibraries) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  Write(root / "spark-pipeline.yml",
        "name: sales\nstorage: state\ncatalog: main\ndatabase: sales\nlibraries:\n"
        "  - glob:\n      include: transformations/**\nconfiguration:\n  source: data\n  n: 3\n");
  Write(root / "transformations" / "a.sql", "");
  Write(root / "transformations" / "sub" / "b.sql", "");
  Write(root / "transformations" / "notes.md", "");
  Write(root / "other.sql", "");
  auto file = FindSettingsFile(*io::LocalFileSystem(), (root / "transformations" / "sub").string());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto settings = LoadSettings(*io::LocalFileSystem(), *file);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->name, "sales");
  EXPECT_EQ(settings->storage, root.string() + "/state");
  EXPECT_EQ(settings->schema, "sales");
  EXPECT_EQ(settings->configuration.at("n"), "3");
  EXPECT_EQ(settings->TablePath("t"), root.string() + "/state/tables/t");
  EXPECT_FALSE(settings->id.empty());
  auto sources = ListSourceFiles(*io::LocalFileSystem(), *settings);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  EXPECT_EQ(*sources, (std::vector<std::string>{root.string() + "/transformations/a.sql",
                                                root.string() + "/transformations/sub/b.sql"}));
}

TEST(SettingsTest, DatabricksJsonWithCloudFieldsWarns) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  Write(root / "pipeline.json",
        R"({"id": "abc", "name": "x", "target": "s", "development": true, "continuous": false,
            "clusters": [{"label": "default"}], "photon": true,
            "libraries": [{"file": {"path": "a.sql"}}, {"notebook": {"path": "b"}}]})");
  Write(root / "a.sql", "");
  Write(root / "b.sql", "");
  auto settings = LoadSettings(*io::LocalFileSystem(), (root / "pipeline.json").string());
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->id, "abc");
  EXPECT_TRUE(settings->development);
  EXPECT_EQ(settings->storage, root.string() + "/.sluice");
  ASSERT_EQ(settings->warnings.size(), 2u);
  EXPECT_NE(settings->warnings[0].find("'clusters'"), std::string::npos);
  auto sources = ListSourceFiles(*io::LocalFileSystem(), *settings);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  EXPECT_EQ(sources->size(), 2u);
}

TEST(SettingsTest, ErrorsNameFieldFileAndLine) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  Write(root / "pipeline.yml", "name: x\nlibraries:\n  - glob:\n      includes: a/**\n");
  auto bad = LoadSettings(*io::LocalFileSystem(), (root / "pipeline.yml").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("pipeline.yml:4: unknown field 'includes'"),
            std::string::npos)
      << bad.status().message();
  Write(root / "pipeline.yml", "name: x\nstorage: [a\n");
  auto invalid = LoadSettings(*io::LocalFileSystem(), (root / "pipeline.yml").string());
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("invalid YAML"), std::string::npos);
  Write(root / "pipeline.yaml", "name: y\n");
  auto two = FindSettingsFile(*io::LocalFileSystem(), root.string());
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("two pipeline settings files"), std::string::npos);
}

TEST(SettingsTest, OverridesAndDefaults) {
  testing::TempDir dir;
  const fs::path root = dir.path() + "/my_pipeline";
  Write(root / "pipeline.yml", "configuration:\n  a: 1\n");
  auto settings = LoadSettings(*io::LocalFileSystem(), (root / "pipeline.yml").string());
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->name, "my_pipeline");
  ASSERT_TRUE(ApplyConfigurationOverrides(*settings, {"a=2", "b=x=y"}).ok());
  EXPECT_EQ(settings->configuration.at("a"), "2");
  EXPECT_EQ(settings->configuration.at("b"), "x=y");
  EXPECT_FALSE(ApplyConfigurationOverrides(*settings, {"novalue"}).ok());
}

}  // namespace
}  // namespace sluice::spec
