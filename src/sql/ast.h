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
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spark/diagnostics.h"
#include "spark/parser.h"

namespace sluice::sql {

using ::sluice::spark::SourceLocation;

enum class DatasetKind {
  kStreamingTable,    // CREATE STREAMING TABLE / legacy STREAMING|INCREMENTAL LIVE TABLE
  kMaterializedView,  // CREATE MATERIALIZED VIEW / legacy LIVE TABLE
  kTemporaryView,     // CREATE TEMPORARY VIEW: not stored, inlined into its readers
  kView,              // CREATE VIEW: a persisted view (kept as its query, not as data)
  kSink,              // CREATE SINK (Python's create_sink): a Delta table outside the pipeline that
          // append flows write to; not readable in the pipeline, not cleared by full refresh
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
  std::shared_ptr<const spark::ParsedExpression> parsed;  // the condition, parsed
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
  kKafka,      // read_kafka(bootstrapServers => ..., subscribe => ..., ...)
  kJdbc,       // read_jdbc(url => 'jdbc:postgresql://...', dbtable => ..., ...)
};

// An option value written as secret('scope', 'key') (read_kafka's options accept it, as on
// Databricks): a marker that runtime/ replaces by the secret's value when it reads the
// source, so that the value is never in the graph, the event log or validate's output.
std::string SecretOptionMarker(const std::string& scope, const std::string& key);
// The scope and key of a marker; false for any other value.
bool ParseSecretOptionMarker(const std::string& value, std::string* scope, std::string* key);

struct Reference {
  ReferenceKind kind = ReferenceKind::kDataset;
  // kDataset: the dataset name as written, without `LIVE.` and without a catalog/schema
  // prefix (those are kept in `qualifier`). kDeltaPath and kReadFiles: the path as written.
  // kKafka: what it reads, "kafka:subscribe=topics" (or subscribePattern=, assign=), which
  // names the source in checkpoints whatever servers hold it. kJdbc: "jdbc:" and the table
  // or query.
  std::string name;
  std::string qualifier;   // "catalog.schema", "schema" or "LIVE" when written; else empty
  bool streaming = false;  // read through STREAM(...) / STREAM ...
  // kReadFiles, kKafka and kJdbc: the named arguments (format, schemaHints, header, ...), keys as written,
  // values unquoted. Also options from a `WITH (key = value, ...)` after a STREAM source,
  // such as skipChangeCommits.
  std::map<std::string, std::string> options;
  // kReadFiles written as Auto Loader's cloud_files(path, format, map(...)): options are
  // Auto Loader's defaults (column types are not inferred unless asked).
  bool cloud_files = false;
  // The reference's byte range in Query::text, including STREAM(...) and any WITH options,
  // so that replacing [begin, end) with a relation (e.g. a subquery in parentheses, or a
  // view name) gives runnable SQL.
  size_t begin = 0;
  size_t end = 0;
  SourceLocation location;  // of the referenced name (or of read_files)
};

struct Query {
  std::string text;  // the query after AS, as written (after ${key} substitution)
  // The query parsed as Spark SQL; its external relations are numbered (spark::Relation::
  // reference) in the order of `references`.
  std::shared_ptr<const spark::ParsedQuery> parsed;
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
  // LOCATION 'path' (Python's `path=`): the table's folder instead of one under the
  // pipeline's storage, as written (relative to the settings folder).
  std::optional<std::string> storage_location;
  // Sinks: USING format and OPTIONS (key 'value', ...), keys as written.
  std::string sink_format;
  std::map<std::string, std::string> sink_options;
};

// An SQL expression kept as text, as written (e.g. an AUTO CDC condition), and parsed.
struct Expression {
  std::string text;
  std::shared_ptr<const spark::ParsedExpression> parsed;
  SourceLocation location;  // of its first token
};

// A column choice of an AUTO CDC clause: `c1, c2` (or `(c1, c2)`), or `* EXCEPT (c1, c2)`.
struct ColumnSelection {
  std::vector<std::string> names;  // as written, unquoted
  bool except = false;             // `* EXCEPT (names)`: every column but `names`
  SourceLocation location;         // of the list's first token (`*` or the first name)
};

// The change-data-capture part of an AUTO CDC / APPLY CHANGES flow:
//
//   AUTO CDC INTO target FROM {STREAM(source) | SNAPSHOT source} KEYS (k, ...)
//     [IGNORE NULL UPDATES [ON selection]] [APPLY AS DELETE WHEN cond]
//     [APPLY AS TRUNCATE WHEN cond] [SEQUENCE BY expr] [COLUMNS selection]
//     [STORED AS SCD TYPE {1 | 2}] [TRACK HISTORY ON selection]
//
// The source is not stored here: the flow's Query is `SELECT * FROM <source as written>`
// with the source as its only Reference, so that it is resolved and read like any other
// query's (STREAM: new rows only; SNAPSHOT: in full). The parser checks the shape only;
// the graph checks the rules (SEQUENCE BY required, TRUNCATE only for SCD type 1, ...), so
// that every field here may be missing or contradictory until then.
struct AutoCdc {
  std::string target;  // the last part of the name as written (no LIVE. or qualifier)
  SourceLocation target_location;
  bool from_snapshot = false;  // FROM SNAPSHOT: the source is a full snapshot each update
  // FROM SNAPSHOT FUNCTION name: a Python function gives the snapshots one by one with
  // their versions (create_auto_cdc_from_snapshot_flow with a callable source); the flow's
  // query is then empty and reads nothing. `name` is the function's, for messages.
  std::string snapshot_function;
  std::vector<std::string> keys;              // KEYS, as written and unquoted
  std::vector<SourceLocation> key_locations;  // one per key
  SourceLocation keys_location;               // of the KEYS keyword
  bool ignore_null_updates = false;           // IGNORE NULL UPDATES
  // IGNORE NULL UPDATES ON ...: only these columns keep their value when NULL; absent: all.
  std::optional<ColumnSelection> ignore_null_updates_on;
  std::optional<Expression> delete_condition;        // APPLY AS DELETE WHEN
  std::optional<Expression> truncate_condition;      // APPLY AS TRUNCATE WHEN
  std::optional<Expression> sequence_by;             // e.g. `ts` or `struct(ts, seq)`
  std::optional<ColumnSelection> columns;            // COLUMNS; absent: every source column
  int scd_type = 1;                                  // STORED AS SCD TYPE 1 | 2
  std::optional<SourceLocation> stored_as_location;  // of STORED, when written
  std::optional<ColumnSelection> track_history;      // TRACK HISTORY ON; absent: all columns
  SourceLocation location;                           // of AUTO (or APPLY in APPLY CHANGES)
};

// CREATE FLOW name [COMMENT c] AS INSERT INTO [ONCE] target BY NAME query
// CREATE FLOW name [COMMENT c] AS {AUTO CDC | APPLY CHANGES} INTO target ...
// APPLY CHANGES INTO target ... (the flow is named after its target)
// CREATE STREAMING TABLE t ... FLOW AUTO CDC ... (a DatasetStatement plus a flow named t)
struct FlowStatement {
  std::string name;
  std::string target;
  bool once = false;
  std::optional<std::string> comment;
  Query query;  // AUTO CDC: `SELECT * FROM <source>`, see AutoCdc
  std::optional<AutoCdc> cdc;
  SourceLocation location;  // of the flow name (APPLY CHANGES INTO: of the target name)
};

// SET key = value: configuration for the statements after it in the same file.
// RESET key: the key is no longer set for the statements after it.
struct SetStatement {
  std::string key;
  std::string value;
  bool reset = false;
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
