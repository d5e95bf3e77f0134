#include "spec/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/strings.h"

namespace sluice::spec {
namespace {

namespace fs = std::filesystem;

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice_secrets_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    file_ = (dir_ / "secrets.json").string();
    setenv("SLUICE_SECRETS_FILE", file_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("SLUICE_SECRETS_FILE");
    unsetenv("SLUICE_SECRET_MY_SCOPE_API_KEY");
    fs::remove_all(dir_);
  }
  void WriteSecrets(const std::string& json, mode_t mode) {
    std::ofstream(file_) << json;
    ASSERT_EQ(chmod(file_.c_str(), mode), 0);
  }

  fs::path dir_;
  std::string file_;
};

TEST_F(SecretsTest, EnvironmentNameIsUpperCaseWithUnderscores) {
  EXPECT_EQ(SecretEnvironmentName("my-scope", "api.key"), "SLUICE_SECRET_MY_SCOPE_API_KEY");
}

TEST_F(SecretsTest, EnvironmentComesBeforeTheFile) {
  WriteSecrets(R"({"my-scope": {"api.key": "from-file", "other": "o-value"}})", 0600);
  setenv("SLUICE_SECRET_MY_SCOPE_API_KEY", "from-env", 1);
  auto value = LookUpSecret("my-scope", "api.key");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value, "from-env");
  unsetenv("SLUICE_SECRET_MY_SCOPE_API_KEY");
  value = LookUpSecret("my-scope", "api.key");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value, "from-file");
  // What was read is redacted from then on.
  EXPECT_EQ(RedactSecrets("key=from-file; env=from-env"), "key=[REDACTED]; env=[REDACTED]");
}

TEST_F(SecretsTest, AMissingSecretNamesWhereItWasLookedFor) {
  WriteSecrets(R"({"s": {}})", 0600);
  auto value = LookUpSecret("s", "k");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), StatusCode::kNotFound);
  EXPECT_NE(value.status().message().find("Secret does not exist with scope: s and key: k"),
            std::string::npos);
  EXPECT_NE(value.status().message().find("SLUICE_SECRET_S_K"), std::string::npos);
  EXPECT_NE(value.status().message().find(file_), std::string::npos);
  fs::remove(file_);
  EXPECT_EQ(LookUpSecret("s", "k").status().code(), StatusCode::kNotFound);
}

TEST_F(SecretsTest, AFileOthersCanReadIsRefused) {
  WriteSecrets(R"({"s": {"k": "v-secret"}})", 0640);
  auto value = LookUpSecret("s", "k");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("can be read by other users (mode 0640)"),
            std::string::npos)
      << value.status().ToString();
  EXPECT_EQ(value.status().message().find("v-secret"), std::string::npos);
}

TEST_F(SecretsTest, AFileThatIsNotJsonIsRefused) {
  WriteSecrets("scope=key", 0600);
  auto value = LookUpSecret("s", "k");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("is not a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace sluice::spec
