#include "common/status.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace sluice {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd: ", x);
  return x / 2;
}

Result<int> Quarter(int x) {
  SLUICE_ASSIGN_OR_RETURN(int half, Half(x));
  SLUICE_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusTest, MessagesCarryCodeAndContext) {
  Status status = NotFound("table ", "/tmp/x", " has no _delta_log");
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.IsNotFound());
  EXPECT_EQ(status.ToString(), "Not found: table /tmp/x has no _delta_log");
  EXPECT_EQ(status.WithContext("opening /tmp/x").message(),
            "opening /tmp/x: table /tmp/x has no _delta_log");
  EXPECT_EQ(Status::OK().ToString(), "OK");
}

TEST(StatusTest, AssignOrReturnPropagatesFirstError) {
  EXPECT_EQ(*Quarter(12), 3);
  Result<int> failed = Quarter(6);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "odd: 3");
  EXPECT_EQ(failed.ValueOr(-1), -1);
}

TEST(StatusDeathTest, ValueOfFailedResultAborts) {
  Result<int> failed = Half(1);
  EXPECT_DEATH((void)failed.value(), "value\\(\\) of a failed Result");
}

TEST(StringsTest, SplitJoinAndQuote) {
  EXPECT_EQ(Split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(QuoteSparkIdentifier("odd`name"), "`odd``name`");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(PadNumber(7, 20), "00000000000000000007");
  EXPECT_EQ(ParseInt64("-42"), -42);
  EXPECT_FALSE(ParseInt64("4x").has_value());
  EXPECT_FALSE(ParseInt64("").has_value());
  EXPECT_TRUE(EqualsIgnoreCase("Letter", "lETTER"));
}

}  // namespace
}  // namespace sluice
