#include "delta/data_skipping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace sluice::delta {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const std::string kN31(31, 'n');
const std::string kN32(32, 'n');

// Six files shaped like a scan's files table: partition columns p (string) and q (int),
// statistics for id (bigint), s (string), ts (timestamp), d (date), f (double) and the
// struct field rec.x (bigint).
//
// file  p     q     rows  id          s                 ts                       d
// 0     a     1     10    1..10       apple..banana     01-01 00:00..00:01.5     01-01..01-31
// 1     b     2     10    11..20 (2n) cherry..date (1n) 02-01..02-02             02-01..02-29
// 2     NULL  NULL  5     21..30      mango..n*32 (cut) 03-01..03-02             03-01..03-31
// 3     c     3     8     no statistics at all
// 4     a     4     4     all NULL    mango..n*31       06-01 12:00:00.123 (ms)  06-01
// 5     b     5     3     7..7        kiwi..kiwi        06-01 12:00:00.123 (ms)  06-10
class DataSkippingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = engine::Database::Open();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto connection = db_->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(connection).value();
    Status created = connection_->Execute(R"sql(
      CREATE TABLE files(
        file_index INTEGER, "partition.p" VARCHAR, "partition.q" INTEGER, num_records BIGINT,
        min_id BIGINT, max_id BIGINT, nulls_id BIGINT,
        min_s VARCHAR, max_s VARCHAR, nulls_s BIGINT,
        min_ts TIMESTAMP, max_ts TIMESTAMP, nulls_ts BIGINT,
        min_d DATE, max_d DATE, nulls_d BIGINT,
        min_f DOUBLE, max_f DOUBLE, nulls_f BIGINT,
        min_x BIGINT, max_x BIGINT, nulls_x BIGINT);
    )sql");
    ASSERT_TRUE(created.ok()) << created.ToString();
    Status inserted = connection_->Execute(
        "INSERT INTO files VALUES "
        "(0, 'a', 1, 10, 1, 10, 0, 'apple', 'banana', 0, "
        " '2024-01-01 00:00:00', '2024-01-01 00:00:01.5', 0, "
        " '2024-01-01', '2024-01-31', 0, 0.5, 1.5, 0, 1, 5, 0),"
        "(1, 'b', 2, 10, 11, 20, 2, 'cherry', 'date', 1, "
        " '2024-02-01', '2024-02-02', 0, '2024-02-01', '2024-02-29', 0, 2, 3, 0, 6, 9, 0),"
        "(2, NULL, NULL, 5, 21, 30, 0, 'mango', '" +
        kN32 +
        "', 0, "
        " '2024-03-01', '2024-03-02', 0, '2024-03-01', '2024-03-31', 0, 4, 5, 0, 10, 20, 0),"
        "(3, 'c', 3, 8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        "(4, 'a', 4, 4, NULL, NULL, 4, 'mango', '" +
        kN31 +
        "', 0, "
        " '2024-06-01 12:00:00.123', '2024-06-01 12:00:00.123', 0, "
        " '2024-06-01', '2024-06-01', 0, NULL, NULL, 4, NULL, NULL, NULL),"
        "(5, 'b', 5, 3, 7, 7, 0, 'kiwi', 'kiwi', 0, "
        " '2024-06-01 12:00:00.123', '2024-06-01 12:00:00.123', 0, "
        " '2024-06-10', '2024-06-10', 0, 6, 6, 0, 7, 7, 0)");
    ASSERT_TRUE(inserted.ok()) << inserted.ToString();

    layout_.num_records_column = "num_records";
    layout_.columns = {
        Partition({"p"}, SkippingType::kString, "partition.p"),
        Partition({"q"}, SkippingType::kNumeric, "partition.q"),
        Data({"id"}, SkippingType::kNumeric, "id"),
        Data({"s"}, SkippingType::kString, "s"),
        Data({"ts"}, SkippingType::kTimestamp, "ts"),
        Data({"d"}, SkippingType::kDate, "d"),
        Data({"f"}, SkippingType::kFloat, "f"),
        Data({"rec", "x"}, SkippingType::kNumeric, "x"),
    };
  }

  static SkippingColumn Partition(std::vector<std::string> path, SkippingType type,
                                  std::string value_column) {
    SkippingColumn column;
    column.path = std::move(path);
    column.type = type;
    column.is_partition = true;
    column.value_column = std::move(value_column);
    return column;
  }

  static SkippingColumn Data(std::vector<std::string> path, SkippingType type,
                             const std::string& suffix) {
    SkippingColumn column;
    column.path = std::move(path);
    column.type = type;
    column.min_column = "min_" + suffix;
    column.max_column = "max_" + suffix;
    column.null_count_column = "nulls_" + suffix;
    return column;
  }

  // The files kept for `filter`.
  std::vector<int> Kept(std::string_view filter) {
    Result<ExpressionPtr> parsed = ParsePredicate(filter);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (!parsed.ok()) return {-1};
    std::string condition = SkippingCondition(**parsed, layout_);
    Result<engine::QueryResult> result = connection_->Query(
        "SELECT file_index FROM files WHERE coalesce(" + condition + ", true) ORDER BY 1");
    EXPECT_TRUE(result.ok()) << filter << "\ncondition: " << condition << "\n"
                             << result.status().ToString();
    if (!result.ok()) return {-1};
    std::vector<int> kept;
    for (const auto& row : result->rows()) {
      kept.push_back(static_cast<int>(std::get<int64_t>(row[0].data)));
    }
    return kept;
  }

  std::string Condition(std::string_view filter) {
    Result<ExpressionPtr> parsed = ParsePredicate(filter);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (!parsed.ok()) return "";
    return SkippingCondition(**parsed, layout_);
  }

  std::unique_ptr<engine::Database> db_;
  std::unique_ptr<engine::Connection> connection_;
  SkippingLayout layout_;
};

const std::vector<int> kAll = {0, 1, 2, 3, 4, 5};

TEST_F(DataSkippingTest, PartitionColumnsAreEvaluatedExactly) {
  EXPECT_THAT(Kept("p = 'a'"), ElementsAre(0, 4));
  EXPECT_THAT(Kept("'a' = p"), ElementsAre(0, 4));
  EXPECT_THAT(Kept("q > 2"), ElementsAre(3, 4, 5));
  EXPECT_THAT(Kept("q BETWEEN 2 AND 3"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("p IN ('a', 'c')"), ElementsAre(0, 3, 4));
  EXPECT_THAT(Kept("p = 'a' AND q = 4"), ElementsAre(4));
  EXPECT_THAT(Kept("p = 'a' OR q = 2"), ElementsAre(0, 1, 4));
  EXPECT_THAT(Kept("P LIKE 'c%'"), ElementsAre(3));
  EXPECT_THAT(Kept("p = 'zzz'"), IsEmpty());
}

TEST_F(DataSkippingTest, NullPartitionValuesBehaveAsSqlNull) {
  EXPECT_THAT(Kept("p <> 'a'"), ElementsAre(1, 3, 5));
  EXPECT_THAT(Kept("NOT (p = 'a')"), ElementsAre(1, 3, 5));
  EXPECT_THAT(Kept("p NOT IN ('a')"), ElementsAre(1, 3, 5));
  EXPECT_THAT(Kept("NOT (p = 'a' OR q = 5)"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("p IS NULL"), ElementsAre(2));
  EXPECT_THAT(Kept("q IS NOT NULL"), ElementsAre(0, 1, 3, 4, 5));
  EXPECT_THAT(Kept("p <=> NULL"), ElementsAre(2));
  EXPECT_THAT(Kept("p IS DISTINCT FROM 'a'"), ElementsAre(1, 2, 3, 5));
}

TEST_F(DataSkippingTest, ComparisonsUseMinAndMax) {
  EXPECT_THAT(Kept("id = 15"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("id = '15'"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("id > 20"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("id >= 20"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Kept("id < 7"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("id <= 7"), ElementsAre(0, 3, 5));
  EXPECT_THAT(Kept("rec.x = 7"), ElementsAre(1, 3, 4, 5));
  EXPECT_THAT(Kept("REC.X > 9"), ElementsAre(2, 3, 4));
}

TEST_F(DataSkippingTest, LiteralOnTheLeftIsMirrored) {
  EXPECT_THAT(Kept("20 < id"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("7 >= id"), ElementsAre(0, 3, 5));
  EXPECT_THAT(Kept("15 = id"), ElementsAre(1, 3));
}

TEST_F(DataSkippingTest, NotEqualSkipsOnlyFilesOfOneValue) {
  EXPECT_THAT(Kept("id != 7"), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Kept("id NOT IN (7)"), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Kept("s <> 'kiwi'"), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_THAT(Kept("id IS DISTINCT FROM 7"), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_THAT(Kept("id <=> 7"), ElementsAre(0, 3, 5));
}

TEST_F(DataSkippingTest, NullCounts) {
  EXPECT_THAT(Kept("id IS NULL"), ElementsAre(1, 3, 4));
  EXPECT_THAT(Kept("id IS NOT NULL"), ElementsAre(0, 1, 2, 3, 5));
  EXPECT_THAT(Kept("NOT (id IS NULL)"), ElementsAre(0, 1, 2, 3, 5));
  EXPECT_THAT(Kept("id IS NOT DISTINCT FROM NULL"), ElementsAre(1, 3, 4));
  EXPECT_THAT(Kept("f IS NULL"), ElementsAre(3, 4));
  // A cast may yield NULL, which <=> matches with NULL values.
  EXPECT_THAT(Kept("id <=> CAST(NULL AS BIGINT)"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("id <=> TRY_CAST('x' AS BIGINT)"), ElementsAreArray(kAll));
}

TEST_F(DataSkippingTest, InAndBetween) {
  EXPECT_THAT(Kept("id IN (5, 25)"), ElementsAre(0, 2, 3));
  EXPECT_THAT(Kept("id IN (5, 25, NULL)"), ElementsAre(0, 2, 3));
  EXPECT_THAT(Kept("id BETWEEN 12 AND 22"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Kept("id NOT BETWEEN 5 AND 25"), ElementsAre(0, 2, 3));
  EXPECT_THAT(Kept("NOT (id BETWEEN 5 AND 25)"), ElementsAre(0, 2, 3));
}

TEST_F(DataSkippingTest, NotIsPushedThroughAndOr) {
  EXPECT_THAT(Kept("NOT (id > 5 AND id < 15)"), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Kept("NOT (id <= 10 OR p = 'c')"), ElementsAre(1));
  EXPECT_THAT(Kept("NOT NOT (id = 15)"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("NOT (id <> 7)"), ElementsAre(0, 3, 5));
}

TEST_F(DataSkippingTest, OrMixesPartitionsAndStatistics) {
  EXPECT_THAT(Kept("id > 100 OR p = 'b'"), ElementsAre(1, 3, 5));
  EXPECT_THAT(Kept("id > 100 AND p = 'c'"), ElementsAre(3));
  EXPECT_THAT(Kept("id = 15 OR s = 'kiwi'"), ElementsAre(1, 3, 5));
}

TEST_F(DataSkippingTest, DataColumnComparedWithPartitionValue) {
  EXPECT_THAT(Kept("id = q"), ElementsAre(0, 2, 3));
  EXPECT_THAT(Kept("q < id"), ElementsAre(0, 1, 2, 3, 5));
}

TEST_F(DataSkippingTest, UnknownPartsKeepFiles) {
  EXPECT_THAT(Kept("lower(s) = 'x'"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("id + 1 = 16"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("no_such_column = 1"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("coalesce(p, 'z') = 'z'"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("NOT (lower(s) = 'x' AND id > 100)"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("s LIKE '%x'"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("s NOT LIKE 'ch%'"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("s = 5"), ElementsAreArray(kAll));  // compares as strings
  EXPECT_THAT(Kept("lower(s) = 'x' AND id = 15"), ElementsAre(1, 3));
  EXPECT_EQ(Condition("lower(s) = 'x'"), "TRUE");
  EXPECT_EQ(Condition("random() < 0.5"), "TRUE");
}

TEST_F(DataSkippingTest, ConstantFilters) {
  EXPECT_THAT(Kept("true"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("false"), IsEmpty());
  EXPECT_THAT(Kept("NULL"), IsEmpty());
  EXPECT_THAT(Kept("NOT false"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("1 = 2 OR id = 15"), ElementsAre(1, 3));
}

TEST_F(DataSkippingTest, MissingStatisticsMayMatch) {
  for (const char* filter : {"id = 15", "id > 1000", "id < -1000", "s = 'zzz'", "id IS NULL",
                             "id IS NOT NULL", "ts > '2030-01-01'", "d < '2000-01-01'"}) {
    SCOPED_TRACE(filter);
    std::vector<int> kept = Kept(filter);
    EXPECT_THAT(kept, ::testing::Contains(3));
  }
}

TEST_F(DataSkippingTest, StringMaxCutAt32CharactersIsNoUpperBound) {
  EXPECT_THAT(Kept("s = 'banana'"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("s < 'b'"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("s > 'n'"), ElementsAre(2, 3, 4));
  // File 2's max is 32 characters: values above it may start with it. File 4's max has 31
  // characters and is exact.
  EXPECT_THAT(Kept("s = '" + kN32 + "z'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s >= '" + std::string(40, 'n') + "'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s > '" + kN31 + "'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s > '" + kN32 + "'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s = '" + kN31 + "'"), ElementsAre(2, 3, 4));
}

TEST_F(DataSkippingTest, StringsCutTo32CharactersMayDifferFromTheCut) {
  // All of file 2's values start with the same 32 characters, so min and max are both cut to
  // them; longer values differ from the cut.
  ASSERT_TRUE(connection_->Execute("UPDATE files SET min_s = max_s WHERE file_index = 2").ok());
  EXPECT_THAT(Kept("s <> '" + kN32 + "'"), ElementsAre(0, 1, 2, 3, 4, 5));
  EXPECT_THAT(Kept("s <> 'kiwi'"), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_THAT(Kept("s > '" + kN32 + "'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s < '" + kN32 + "'"), ElementsAre(0, 1, 3, 4, 5));
}

TEST_F(DataSkippingTest, LikePrefixes) {
  EXPECT_THAT(Kept("s LIKE 'ch%'"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("s LIKE 'cherry_'"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("s LIKE 'kiwi'"), ElementsAre(3, 5));
  EXPECT_THAT(Kept("s LIKE 'a%' OR s LIKE 'm%'"), ElementsAre(0, 2, 3, 4));
  EXPECT_THAT(Kept("s LIKE '" + kN32 + "%'"), ElementsAre(2, 3));
  EXPECT_THAT(Kept("s LIKE 'zz%'"), ElementsAre(2, 3));  // past file 2's cut max
}

TEST_F(DataSkippingTest, TimestampMaxCutToMillisecondsIsWidened) {
  // Files 4 and 5 hold values in [12:00:00.123, 12:00:00.124).
  EXPECT_THAT(Kept("ts > TIMESTAMP '2024-06-01 12:00:00.1235'"), ElementsAre(3, 4, 5));
  EXPECT_THAT(Kept("ts = '2024-06-01 12:00:00.123999'"), ElementsAre(3, 4, 5));
  EXPECT_THAT(Kept("ts >= '2024-06-01 12:00:00.124'"), ElementsAre(3));
  EXPECT_THAT(Kept("ts = '2024-06-01 12:00:00.124'"), ElementsAre(3));
  EXPECT_THAT(Kept("ts <> '2024-06-01 12:00:00.123'"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("ts < '2024-01-01 00:00:00.0005'"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("ts BETWEEN '2024-02-01 12:00' AND '2024-03-01'"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Kept("ts > DATE '2024-05-31'"), ElementsAre(3, 4, 5));
}

TEST_F(DataSkippingTest, Dates) {
  EXPECT_THAT(Kept("d = DATE '2024-02-15'"), ElementsAre(1, 3));
  EXPECT_THAT(Kept("d > '2024-05-31'"), ElementsAre(3, 4, 5));
  EXPECT_THAT(Kept("d < TIMESTAMP '2024-01-01 12:00:00'"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("d = CAST('2024-06-10' AS DATE)"), ElementsAre(3, 5));
  EXPECT_THAT(Kept("d = 5"), ElementsAreArray(kAll));
}

TEST_F(DataSkippingTest, FloatMaxIsNotTrusted) {
  // A writer may leave NaN, which DuckDB orders above every number, out of max.
  EXPECT_THAT(Kept("f > 100"), ElementsAre(0, 1, 2, 3, 5));
  EXPECT_THAT(Kept("f < 1"), ElementsAre(0, 3));
  EXPECT_THAT(Kept("f <> 6"), ElementsAre(0, 1, 2, 3, 5));
}

TEST_F(DataSkippingTest, LayoutWithoutNullCountsOrRecordCounts) {
  layout_.num_records_column.clear();
  EXPECT_THAT(Kept("id IS NOT NULL"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("id = 15"), ElementsAre(1, 3, 4));  // file 4 is no longer known all-null
  for (SkippingColumn& column : layout_.columns) column.null_count_column.clear();
  EXPECT_THAT(Kept("id IS NULL"), ElementsAreArray(kAll));
  for (SkippingColumn& column : layout_.columns) column.max_column.clear();
  EXPECT_THAT(Kept("id > 20"), ElementsAreArray(kAll));
  EXPECT_THAT(Kept("id < 7"), ElementsAre(0, 3, 4));
}

TEST_F(DataSkippingTest, ConditionQuotesFilesTableColumns) {
  EXPECT_EQ(Condition("p = 'a'"), "coalesce(\"partition.p\" = 'a', false)");
  EXPECT_EQ(Condition("id > 5"), "(\"max_id\" > 5) AND (\"nulls_id\" < \"num_records\")");
}

}  // namespace
}  // namespace sluice::delta
