#include "engine/table_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "engine/engine.h"

namespace sluice::engine {
namespace {

using ::testing::HasSubstr;

using FillFunction = std::function<Result<size_t>(ChunkWriter&)>;

class FunctionProducer : public TableProducer {
 public:
  explicit FunctionProducer(FillFunction fill) : fill_(std::move(fill)) {}
  Result<size_t> Fill(ChunkWriter& writer) override { return fill_(writer); }

 private:
  FillFunction fill_;
};

// A source whose producers are made by `factory`; counts the producers it made.
class FunctionSource : public TableSource {
 public:
  using Factory = std::function<Result<std::unique_ptr<TableProducer>>()>;
  FunctionSource(std::vector<SourceColumn> columns, int threads, Factory factory)
      : columns_(std::move(columns)), threads_(threads), factory_(std::move(factory)) {}

  const std::vector<SourceColumn>& columns() const override { return columns_; }
  int max_threads() const override { return threads_; }
  Result<std::shared_ptr<void>> BeginScan() override {
    auto scan = std::make_shared<int>(++scans_begun);
    return std::static_pointer_cast<void>(scan);
  }
  Result<std::unique_ptr<TableProducer>> MakeProducer(const std::shared_ptr<void>& scan) override {
    ++producers_made;
    if (scan == nullptr || *std::static_pointer_cast<int>(scan) != scans_begun.load()) {
      ++producers_of_stale_scans;
    }
    return factory_();
  }

  std::atomic<int> producers_made{0};
  std::atomic<int> scans_begun{0};
  std::atomic<int> producers_of_stale_scans{0};

 private:
  std::vector<SourceColumn> columns_;
  int threads_;
  Factory factory_;
};

// A source of one BIGINT column `i` holding 0 .. rows-1, written at most `per_fill` rows
// per Fill; each producer starts from 0.
std::shared_ptr<FunctionSource> CountingSource(int64_t rows, size_t per_fill,
                                               std::atomic<int>* fills = nullptr) {
  return std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"i", SourceType::kBigint}}, 1,
      [rows, per_fill, fills]() -> Result<std::unique_ptr<TableProducer>> {
        auto next = std::make_shared<int64_t>(0);
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([rows, per_fill, fills, next](ChunkWriter& writer) {
              if (fills != nullptr) ++*fills;
              size_t count = std::min<int64_t>({static_cast<int64_t>(writer.capacity()),
                                                static_cast<int64_t>(per_fill), rows - *next});
              for (size_t row = 0; row < count; ++row) writer.SetInt64(0, row, (*next)++);
              return Result<size_t>(count);
            }));
      });
}

class TableSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(Database::Options{}); }
  void Open(const Database::Options& options) {
    connection_.reset();
    db_ = std::move(Database::Open(options)).value();
    connection_ = std::move(db_->Connect()).value();
  }
  int64_t Register(std::shared_ptr<TableSource> source) {
    Result<int64_t> id = RegisterTableSource(*connection_, std::move(source));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ValueOr(-1);
  }
  QueryResult Query(const std::string& sql, Connection* connection = nullptr) {
    Result<QueryResult> result =
        (connection != nullptr ? connection : connection_.get())->Query(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    return result.ok() ? std::move(result).value() : QueryResult();
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(TableSourceTest, AllColumnTypesAndNullsReadBack) {
  const std::string long_text = "héllo, a string too long to be stored inline by DuckDB";
  auto source = std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"s", SourceType::kVarchar},
                                {"n", SourceType::kBigint},
                                {"d", SourceType::kDouble},
                                {"b", SourceType::kBoolean},
                                {"day", SourceType::kDate},
                                {"ts", SourceType::kTimestamp}},
      1, [&]() -> Result<std::unique_ptr<TableProducer>> {
        auto done = std::make_shared<bool>(false);
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([&, done](ChunkWriter& writer) -> Result<size_t> {
              if (*done) return size_t{0};
              *done = true;
              // Row 0: every column set.
              writer.SetString(0, 0, long_text);
              writer.SetInt64(1, 0, -42);
              writer.SetDouble(2, 0, 1.5);
              writer.SetBool(3, 0, true);
              writer.SetDate(4, 0, 19782);                  // 2024-02-29
              writer.SetTimestamp(5, 0, 1704103200500000);  // 2024-01-01 10:00:00.5 UTC
              // Row 1: every column explicitly NULL, after having been set.
              writer.SetString(0, 1, "overwritten");
              for (size_t column = 0; column < 6; ++column) writer.SetNull(column, 1);
              // Row 2: some columns set, the others never touched (so NULL).
              writer.SetString(0, 2, "");
              writer.SetInt64(1, 2, INT64_MAX);
              writer.SetDate(4, 2, -1);       // 1969-12-31
              writer.SetTimestamp(5, 2, -1);  // one microsecond before the epoch
              return size_t{3};
            }));
      });
  int64_t id = Register(source);
  QueryResult result = Query("SELECT s, n, d, b, day, ts, epoch_us(ts) AS us FROM " +
                             TableSourceCall(id) + " ORDER BY n NULLS LAST");
  ASSERT_EQ(result.row_count(), 3u);
  EXPECT_EQ(result.names(), (std::vector<std::string>{"s", "n", "d", "b", "day", "ts", "us"}));
  EXPECT_EQ(result.column_type(0), "VARCHAR");
  EXPECT_EQ(result.column_type(1), "BIGINT");
  EXPECT_EQ(result.column_type(2), "DOUBLE");
  EXPECT_EQ(result.column_type(3), "BOOLEAN");
  EXPECT_EQ(result.column_type(4), "DATE");
  EXPECT_EQ(result.column_type(5), "TIMESTAMP WITH TIME ZONE");

  EXPECT_EQ(
      result.row(0),
      (std::vector<Value>{Value::Text(long_text), Value::Int(-42), Value::Double(1.5),
                          Value::Bool(true), Value::Text("2024-02-29"),
                          Value::Text("2024-01-01 10:00:00.5+00"), Value::Int(1704103200500000)}));
  EXPECT_EQ(result.row(1),
            (std::vector<Value>{Value::Text(""), Value::Int(INT64_MAX), Value::Null(),
                                Value::Null(), Value::Text("1969-12-31"),
                                Value::Text("1969-12-31 23:59:59.999999+00"), Value::Int(-1)}));
  EXPECT_EQ(result.row(2), std::vector<Value>(7, Value::Null()));
}

// Bytes that are not UTF-8 (and NULs) cross as BLOB unchecked; INTEGER holds 32 bits.
TEST_F(TableSourceTest, BlobAndIntegerColumnsReadBack) {
  const std::string bytes("\x00\xff\xfe binary", 10);
  auto source = std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"raw", SourceType::kBlob}, {"i", SourceType::kInteger}}, 1,
      [&]() -> Result<std::unique_ptr<TableProducer>> {
        auto done = std::make_shared<bool>(false);
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([&, done](ChunkWriter& writer) -> Result<size_t> {
              if (*done) return size_t{0};
              *done = true;
              writer.SetBlob(0, 0, bytes);
              writer.SetInt32(1, 0, INT32_MIN);
              writer.SetBlob(0, 1, "");
              writer.SetInt32(1, 1, 7);
              return size_t{3};  // row 2: both NULL
            }));
      });
  int64_t id = Register(source);
  QueryResult result = Query("SELECT octet_length(raw), hex(raw), i FROM " + TableSourceCall(id) +
                             " ORDER BY i NULLS LAST");
  ASSERT_EQ(result.row_count(), 3u);
  EXPECT_EQ(result.row(0), (std::vector<Value>{Value::Int(10), Value::Text("00FFFE2062696E617279"),
                                               Value::Int(INT32_MIN)}));
  EXPECT_EQ(result.row(1), (std::vector<Value>{Value::Int(0), Value::Text(""), Value::Int(7)}));
  EXPECT_EQ(result.row(2), std::vector<Value>(3, Value::Null()));
  EXPECT_EQ(Query("SELECT typeof(raw), typeof(i) FROM " + TableSourceCall(id) + " LIMIT 1").row(0),
            (std::vector<Value>{Value::Text("BLOB"), Value::Text("INTEGER")}));
}

TEST_F(TableSourceTest, ManyChunksFromManyFills) {
  std::atomic<int> fills{0};
  int64_t id = Register(CountingSource(10000, 777, &fills));
  QueryResult result = Query("SELECT count(*), count(DISTINCT i), sum(i), min(i), max(i) FROM " +
                             TableSourceCall(id));
  EXPECT_EQ(result.row(0),
            (std::vector<Value>{Value::Int(10000), Value::Int(10000), Value::Text("49995000"),
                                Value::Int(0), Value::Int(9999)}));
  // 10,000 rows at 777 per Fill take 13 Fills, and one more to say there are no more.
  EXPECT_EQ(fills.load(), 14);
}

TEST_F(TableSourceTest, ProducersOnSeveralThreadsShareTheRows) {
  Database::Options options;
  options.threads = 2;
  Open(options);
  constexpr int64_t kRows = 200000;
  std::atomic<int64_t> next{0};
  std::mutex mutex;
  std::set<std::thread::id> fill_threads;
  auto source = std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"i", SourceType::kBigint}}, 2,
      [&]() -> Result<std::unique_ptr<TableProducer>> {
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([&](ChunkWriter& writer) -> Result<size_t> {
              {
                std::lock_guard lock(mutex);
                fill_threads.insert(std::this_thread::get_id());
              }
              // Claims a block of rows no other producer will write.
              int64_t batch = 100;
              int64_t start = next.fetch_add(batch);
              size_t count = static_cast<size_t>(std::clamp<int64_t>(kRows - start, 0, batch));
              for (size_t row = 0; row < count; ++row)
                writer.SetInt64(0, row, start + static_cast<int64_t>(row));
              return count;
            }));
      });
  int64_t id = Register(source);
  QueryResult result = Query("SELECT count(*), count(DISTINCT i), sum(i), min(i), max(i) FROM " +
                             TableSourceCall(id));
  EXPECT_EQ(result.row(0), (std::vector<Value>{Value::Int(kRows), Value::Int(kRows),
                                               Value::Text(std::to_string(kRows * (kRows - 1) / 2)),
                                               Value::Int(0), Value::Int(kRows - 1)}));
  // Two DuckDB threads and max_threads 2: one producer per thread.
  EXPECT_EQ(source->producers_made.load(), 2);
  EXPECT_GE(fill_threads.size(), 1u);
}

TEST_F(TableSourceTest, FillErrorFailsQueryWithItsCodeAndMessage) {
  auto source = std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"i", SourceType::kBigint}}, 1,
      []() -> Result<std::unique_ptr<TableProducer>> {
        auto calls = std::make_shared<int>(0);
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([calls](ChunkWriter& writer) -> Result<size_t> {
              if (++*calls == 1) {
                writer.SetInt64(0, 0, 1);
                return size_t{1};
              }
              return IOError("cannot read /data/in.csv: permission denied");
            }));
      });
  int64_t id = Register(source);
  Result<QueryResult> result = connection_->Query("SELECT * FROM " + TableSourceCall(id));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIOError) << result.status().ToString();
  EXPECT_EQ(result.status().message(), "cannot read /data/in.csv: permission denied");
  // The connection is usable afterwards.
  EXPECT_EQ(Query("SELECT 1").at(0, 0), Value::Int(1));
}

TEST_F(TableSourceTest, MakeProducerErrorFailsQuery) {
  auto source =
      std::make_shared<FunctionSource>(std::vector<SourceColumn>{{"i", SourceType::kBigint}}, 1,
                                       []() -> Result<std::unique_ptr<TableProducer>> {
                                         return Corruption("bad header in /data/in.json");
                                       });
  Result<QueryResult> result =
      connection_->Query("SELECT count(*) FROM " + TableSourceCall(Register(source)));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorruption) << result.status().ToString();
  EXPECT_EQ(result.status().message(), "bad header in /data/in.json");
}

TEST_F(TableSourceTest, InvalidUtf8FailsQuery) {
  auto source = std::make_shared<FunctionSource>(
      std::vector<SourceColumn>{{"name", SourceType::kVarchar}}, 1,
      []() -> Result<std::unique_ptr<TableProducer>> {
        return std::unique_ptr<TableProducer>(
            new FunctionProducer([](ChunkWriter& writer) -> Result<size_t> {
              writer.SetString(0, 0, "caf\xC3\xA9");
              writer.SetString(0, 1, "caf\xE9");  // Latin-1, not UTF-8
              return size_t{2};
            }));
      });
  Result<QueryResult> result =
      connection_->Query("SELECT * FROM " + TableSourceCall(Register(source)));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("not UTF-8 in column \"name\""));
}

TEST_F(TableSourceTest, UnregisteredIdFailsToBind) {
  int64_t id = Register(CountingSource(5, 100));
  EXPECT_EQ(Query("SELECT count(*) FROM " + TableSourceCall(id)).at(0, 0), Value::Int(5));
  UnregisterTableSource(id);
  UnregisterTableSource(id);  // unknown ids are ignored
  Result<QueryResult> result = connection_->Query("SELECT count(*) FROM " + TableSourceCall(id));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("unknown table source " + std::to_string(id)));
  Result<QueryResult> null_id = connection_->Query("SELECT * FROM sluice_table_source(NULL)");
  ASSERT_FALSE(null_id.ok());
  EXPECT_THAT(null_id.status().message(), HasSubstr("unknown table source NULL"));
}

TEST_F(TableSourceTest, UnregisterDuringScanFinishesTheScan) {
  std::weak_ptr<TableSource> watched;
  int64_t id = 0;
  bool alive_after_unregister = false;
  {
    auto source = std::make_shared<FunctionSource>(
        std::vector<SourceColumn>{{"i", SourceType::kBigint}}, 1,
        [&]() -> Result<std::unique_ptr<TableProducer>> {
          auto calls = std::make_shared<int>(0);
          return std::unique_ptr<TableProducer>(
              new FunctionProducer([&, calls](ChunkWriter& writer) -> Result<size_t> {
                if (++*calls == 1) {
                  UnregisterTableSource(id);
                  alive_after_unregister = !watched.expired();
                }
                if (*calls > 3) return size_t{0};
                for (size_t row = 0; row < 10; ++row) writer.SetInt64(0, row, 1);
                return size_t{10};
              }));
        });
    watched = source;
    id = Register(std::move(source));
  }
  EXPECT_EQ(Query("SELECT sum(i) FROM " + TableSourceCall(id)).at(0, 0), Value::Text("30"));
  EXPECT_TRUE(alive_after_unregister);
  EXPECT_TRUE(watched.expired());  // the query's reference went with the query
}

TEST_F(TableSourceTest, ReadableFromEveryConnectionOfItsDatabaseOnly) {
  auto before = std::move(db_->Connect()).value();  // connected before the first registration
  int64_t id = Register(CountingSource(100, 100));
  auto after = std::move(db_->Connect()).value();
  std::string sql = "SELECT count(*) FROM " + TableSourceCall(id);
  EXPECT_EQ(Query(sql, before.get()).at(0, 0), Value::Int(100));
  EXPECT_EQ(Query(sql, after.get()).at(0, 0), Value::Int(100));

  // Another database cannot read it, even once it has the table function.
  auto other_db = std::move(Database::Open()).value();
  auto other = std::move(other_db->Connect()).value();
  EXPECT_FALSE(other->Query(sql).ok());
  ASSERT_TRUE(RegisterTableSource(*other, CountingSource(1, 1)).ok());
  Result<QueryResult> result = other->Query(sql);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("unknown table source " + std::to_string(id)));
}

TEST_F(TableSourceTest, EveryScanMakesNewProducers) {
  auto source = CountingSource(50, 100);
  int64_t id = Register(source);
  std::string sql = "SELECT count(*), sum(i) FROM " + TableSourceCall(id);
  EXPECT_EQ(Query(sql).row(0), (std::vector<Value>{Value::Int(50), Value::Text("1225")}));
  EXPECT_EQ(source->producers_made.load(), 1);
  EXPECT_EQ(Query(sql).row(0), (std::vector<Value>{Value::Int(50), Value::Text("1225")}));
  EXPECT_EQ(source->producers_made.load(), 2);
  // Two scans in one query, two producers.
  std::string call = TableSourceCall(id);
  EXPECT_EQ(Query("SELECT count(*) FROM " + call + " a JOIN " + call + " b USING (i)").at(0, 0),
            Value::Int(50));
  EXPECT_EQ(source->producers_made.load(), 4);
  // A prepared statement binds once and scans on every execution.
  auto statement = std::move(connection_->Prepare(sql)).value();
  EXPECT_EQ(std::move(statement->Query()).value().at(0, 0), Value::Int(50));
  EXPECT_EQ(std::move(statement->Query()).value().at(0, 0), Value::Int(50));
  EXPECT_EQ(source->producers_made.load(), 6);
  // Each scan began once, and its producers got that scan's state.
  EXPECT_EQ(source->scans_begun.load(), 6);
}

TEST_F(TableSourceTest, ProducersOfAScanShareItsState) {
  auto source = CountingSource(5000, 100);
  int64_t id = Register(source);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Query("SELECT count(*) FROM " + TableSourceCall(id)).at(0, 0), Value::Int(5000));
  }
  EXPECT_EQ(source->scans_begun.load(), 3);
  EXPECT_EQ(source->producers_of_stale_scans.load(), 0);
}

TEST_F(TableSourceTest, ClosingTheDatabaseReleasesItsSources) {
  auto source = CountingSource(1, 1);
  std::weak_ptr<TableSource> watched = source;
  int64_t id = Register(std::move(source));
  EXPECT_FALSE(watched.expired());
  connection_.reset();
  db_.reset();
  EXPECT_TRUE(watched.expired());
  UnregisterTableSource(id);  // already forgotten; ignored
}

}  // namespace
}  // namespace sluice::engine
