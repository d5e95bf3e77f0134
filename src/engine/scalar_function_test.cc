#include "engine/scalar_function.h"

#include <gtest/gtest.h>

namespace sluice::engine {
namespace {

class ScalarFunctionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(Database::Open()).value();
    connection_ = std::move(db_->Connect()).value();
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(ScalarFunctionTest, RowFunctionsSeeValuesAndSkipNulls) {
  ScalarFunctionSpec spec;
  spec.name = "twice";
  spec.parameter_types = {"VARCHAR"};
  spec.return_type = "VARCHAR";
  spec.function = [](const std::vector<Value>& arguments) -> Result<Value> {
    const std::string& text = std::get<std::string>(arguments[0].data);
    return Value::Text(text + text);
  };
  ASSERT_TRUE(RegisterScalarFunction(*connection_, std::move(spec)).ok());
  auto result = connection_->Query("SELECT twice(s) FROM (VALUES ('ab'), (NULL)) t(s)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->at(0, 0), Value::Text("abab"));
  EXPECT_TRUE(result->at(1, 0).is_null());
}

TEST_F(ScalarFunctionTest, RawFunctionsReadTextAndNumbersInPlace) {
  RawScalarFunctionSpec spec;
  spec.name = "weigh";
  spec.parameter_types = {"VARCHAR", "DOUBLE", "BIGINT"};
  // The text's length plus the number rounded down plus the integer; NULL for a negative
  // number.
  spec.function = [](const RawArgument* a) -> std::optional<int64_t> {
    if (a[1].real < 0) return std::nullopt;
    return static_cast<int64_t>(a[0].text.size()) + static_cast<int64_t>(a[1].real) + a[2].integer;
  };
  ASSERT_TRUE(RegisterRawScalarFunction(*connection_, std::move(spec)).ok());
  // Texts short enough to be stored inline and longer ones, from a table of many rows.
  auto result = connection_->Query(
      "SELECT weigh(s, d, i) FROM (VALUES ('abc', 1.5, 10), ('a text longer than twelve', 0.0, "
      "0), (NULL, 1.0, 1), ('x', -1.0, 0), ('x', 1.0, NULL)) t(s, d, i)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->column_type(0), "BIGINT");
  EXPECT_EQ(result->at(0, 0), Value::Int(14));
  EXPECT_EQ(result->at(1, 0), Value::Int(25));
  EXPECT_TRUE(result->at(2, 0).is_null());
  EXPECT_TRUE(result->at(3, 0).is_null());
  EXPECT_TRUE(result->at(4, 0).is_null());
  auto many = connection_->Query(
      "SELECT sum(weigh(repeat('y', (i % 40)::INTEGER), 0.0, 0)) FROM range(10000) r(i)");
  ASSERT_TRUE(many.ok()) << many.status().ToString();
  int64_t expected = 0;
  for (int64_t i = 0; i < 10000; ++i) expected += i % 40;
  EXPECT_EQ(many->at(0, 0).ToString(), std::to_string(expected));
}

TEST_F(ScalarFunctionTest, RawFunctionsTakeTextAndNumbersOnly) {
  RawScalarFunctionSpec spec;
  spec.name = "bad";
  spec.parameter_types = {"BLOB"};
  spec.function = [](const RawArgument*) -> std::optional<int64_t> { return 0; };
  EXPECT_FALSE(RegisterRawScalarFunction(*connection_, std::move(spec)).ok());
}

}  // namespace
}  // namespace sluice::engine
