// Rows produced by C++ code, read by SQL: a table source is a set of columns and a factory
// of producers; once registered with a Database it is read as
// `sluice_table_source(<id>)` in any query on any of that database's connections.
//
// DuckDB may scan a source with several threads at once: it calls MakeProducer once per
// thread (concurrently, so the factory must be thread-safe) and then Fill repeatedly on each
// producer, never on one producer from two threads at once (but not always from the same
// thread: DuckDB may move a paused scan task to another of its threads). A producer returns 0
// rows when it has no more; the scan ends when every producer has. A scan may also stop early
// (LIMIT, an error, an interruption): its producers are then destroyed without having
// returned 0. A Fill or MakeProducer that returns an error aborts the query with that error's
// message and code. A source may be scanned any number of times (once per query that reads
// it); each scan gets new producers.
//
// Lifetimes: the Database keeps a registered source alive until Unregister (or its own end);
// a query that started before Unregister finishes with the source it bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::engine {

// The column types a source can produce. Other SQL types are made by casting in the query
// that reads the source (e.g. VARCHAR JSON text to a STRUCT).
enum class SourceType {
  kVarchar,
  kBlob,  // bytes of any kind (DuckDB BLOB)
  kInteger,
  kBigint,
  kDouble,
  kBoolean,
  kDate,       // days since 1970-01-01
  kTimestamp,  // microseconds since 1970-01-01 00:00:00 UTC (DuckDB TIMESTAMP WITH TIME ZONE)
};

struct SourceColumn {
  std::string name;
  SourceType type = SourceType::kVarchar;
};

// The output of one Fill: `capacity()` rows of the source's columns. Every cell of a row
// below the count Fill returns must be set (a cell not set is NULL). Strings are copied and
// must be UTF-8: a Fill that returns a row holding any other string fails the query. Each
// setter must match its column's type (SetString for kVarchar, SetBlob for kBlob, SetInt32 for
// kInteger, SetInt64 for kBigint, ...).
class ChunkWriter {
 public:
  virtual ~ChunkWriter() = default;
  virtual size_t capacity() const = 0;
  virtual void SetNull(size_t column, size_t row) = 0;
  virtual void SetString(size_t column, size_t row, std::string_view value) = 0;
  virtual void SetBlob(size_t column, size_t row, std::string_view bytes) = 0;
  virtual void SetInt32(size_t column, size_t row, int32_t value) = 0;
  virtual void SetInt64(size_t column, size_t row, int64_t value) = 0;
  virtual void SetDouble(size_t column, size_t row, double value) = 0;
  virtual void SetBool(size_t column, size_t row, bool value) = 0;
  virtual void SetDate(size_t column, size_t row, int32_t days) = 0;
  virtual void SetTimestamp(size_t column, size_t row, int64_t micros) = 0;
};

class TableProducer {
 public:
  virtual ~TableProducer() = default;
  // Writes up to writer.capacity() rows starting at row 0 and returns how many; 0 = done.
  virtual Result<size_t> Fill(ChunkWriter& writer) = 0;
};

class TableSource {
 public:
  virtual ~TableSource() = default;
  virtual const std::vector<SourceColumn>& columns() const = 0;
  // How many producers (threads) a scan may use; at least 1.
  virtual int max_threads() const { return 1; }
  // Called once at the start of each scan, before its producers are made; what it returns
  // is handed to every producer of that scan (state the producers share, such as a queue of
  // work). An error fails the query.
  virtual Result<std::shared_ptr<void>> BeginScan() { return std::shared_ptr<void>(); }
  // Called by each of the scan's threads before its first Fill, concurrently.
  virtual Result<std::unique_ptr<TableProducer>> MakeProducer(
      const std::shared_ptr<void>& scan) = 0;
};

// Registration with a database. The table function itself is created once per database on
// first use; ids are unique within the process.
class Database;
class Connection;

// Makes `source` readable as `sluice_table_source(<returned id>)` through `connection`'s
// database, and returns the id.
Result<int64_t> RegisterTableSource(Connection& connection, std::shared_ptr<TableSource> source);
// Forgets the source; later queries naming its id fail to bind. Unknown ids are ignored.
void UnregisterTableSource(int64_t id);

// The SQL that reads a registered source: "sluice_table_source(<id>)".
std::string TableSourceCall(int64_t id);

}  // namespace sluice::engine
