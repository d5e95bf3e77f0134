// The pipeline SQL dialect as data: what a pipeline source file declares.
//
// The parser (parser.h) turns a file into Statements; the graph module resolves their
// references. Queries stay text: each reference to another dataset, an external Delta
// table or a file source is recorded with its byte range inside the query text, so that
// the runtime can splice in the relation it reads (a Delta scan, new files only, ...).
// Nothing here depends on DuckDB.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sluice::sql {

// A place in a source file, 1-based. `line_text` is the whole source line (without its
// newline), kept so that errors can show it with a caret under `column`.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string line_text;
};

enum class DatasetKind {
  kStreamingTable,    // CREATE STREAMING TABLE / legacy STREAMING|INCREMENTAL LIVE TABLE
  kMaterializedView,  // CREATE MATERIALIZED VIEW / legacy LIVE TABLE
  kTemporaryView,     // CREATE TEMPORARY VIEW: not stored, inlined into its readers
  kView,              // CREATE VIEW: a persisted view (kept as its query, not as data)
};

enum class ViolationAction {
  kWarn,  // no ON VIOLATION: keep the row, count it as failed
  kDrop,  // ON VIOLATION DROP ROW
  kFail,  // ON VIOLATION FAIL UPDATE
};

// CONSTRAINT name EXPECT (condition) [ON VIOLATION ...]
struct Expectation {
  std::string name;
  std::string condition;  // the SQL boolean expression as written (without the parentheses)
  ViolationAction action = ViolationAction::kWarn;
  SourceLocation location;  // of the constraint name
};

struct ColumnDefinition {
  std::string name;
  std::string type;  // as written (Spark type syntax), e.g. "BIGINT", "DECIMAL(10,2)"
  bool not_null = false;
  std::optional<std::string> comment;
  SourceLocation location;
};

// What a query reads.
enum class ReferenceKind {
  kDataset,    // a name: another dataset of the pipeline (or an unknown name: an error)
  kDeltaPath,  // delta.`/path/to/table`: an external Delta table
  kReadFiles,  // read_files('path', format => 'json', ...)
};

struct Reference {
  ReferenceKind kind = ReferenceKind::kDataset;
  // kDataset: the dataset name as written, without `LIVE.` and without a catalog/schema
  // prefix (those are kept in `qualifier`). kDeltaPath and kReadFiles: the path as written.
  std::string name;
  std::string qualifier;   // "catalog.schema", "schema" or "LIVE" when written; else empty
  bool streaming = false;  // read through STREAM(...) / STREAM ...
  // kReadFiles: the named arguments (format, schemaHints, header, ...), keys as written,
  // values unquoted. Also options from a `WITH (key = value, ...)` after a STREAM source,
  // such as skipChangeCommits.
  std::map<std::string, std::string> options;
  // The reference's byte range in Query::text, including STREAM(...) and any WITH options,
  // so that replacing [begin, end) with a relation (e.g. a subquery in parentheses, or a
  // view name) gives runnable SQL.
  size_t begin = 0;
  size_t end = 0;
  SourceLocation location;  // of the referenced name (or of read_files)
};

struct Query {
  std::string text;                   // the query after AS, as written (after ${key} substitution)
  std::vector<Reference> references;  // in order of appearance
  SourceLocation location;            // of the query's first character
};

// CREATE ... STREAMING TABLE | MATERIALIZED VIEW | [TEMPORARY] VIEW | LIVE TABLE
struct DatasetStatement {
  DatasetKind kind = DatasetKind::kMaterializedView;
  std::string name;
  bool is_private = false;     // PRIVATE or TEMPORARY on a table: not published, still stored
  bool legacy_syntax = false;  // written with LIVE TABLE
  std::vector<ColumnDefinition> columns;
  std::vector<Expectation> expectations;
  std::vector<std::string> partition_by;
  std::vector<std::string> cluster_by;  // also "AUTO" for CLUSTER BY AUTO
  std::optional<std::string> comment;
  std::map<std::string, std::string> properties;  // TBLPROPERTIES, values unquoted
  std::optional<Query> query;  // absent: a streaming table fed only by CREATE FLOW
  SourceLocation location;     // of the dataset name
};

// CREATE FLOW name [COMMENT c] AS INSERT INTO [ONCE] target BY NAME query
struct FlowStatement {
  std::string name;
  std::string target;
  bool once = false;
  std::optional<std::string> comment;
  Query query;
  SourceLocation location;  // of the flow name
};

// SET key = value: configuration for the statements after it in the same file.
struct SetStatement {
  std::string key;
  std::string value;
  SourceLocation location;
};

using Statement = std::variant<DatasetStatement, FlowStatement, SetStatement>;

// The parsed content of one source file.
struct Script {
  std::string file;
  std::vector<Statement> statements;
};

const char* DatasetKindName(DatasetKind kind);  // "STREAMING_TABLE", "MATERIALIZED_VIEW", ...
const char* ViolationActionName(ViolationAction action);  // "warn", "drop", "fail"

}  // namespace sluice::sql
