// The Delta type system (PROTOCOL.md "Schema Serialization Format"; ../shared/reference/
// delta-protocol.md, section 5): data types, struct fields with their metadata, the table
// schema, its JSON form (metaData.schemaString), the matching DuckDB SQL types, column mapping
// helpers and schema evolution for writes.
//
// Types are immutable and shared: a DataTypePtr may be used from several threads. Column names
// are compared case-insensitively (ASCII), as Delta requires them to be unique that way.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice::delta {

enum class TypeKind {
  kString,
  kLong,
  kInteger,
  kShort,
  kByte,
  kFloat,
  kDouble,
  kBoolean,
  kBinary,
  kDate,
  kTimestamp,     // microseconds, UTC-adjusted
  kTimestampNtz,  // microseconds, no time zone (needs the timestampNtz feature)
  kDecimal,       // decimal(precision, scale), precision 1..38
  kVoid,          // always null; never stored in data files
  kStruct,
  kArray,
  kMap,
};

class DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

// A field's metadata: keys in their written order, each with its value as raw JSON text, so
// that keys sluice does not interpret (comments, delta.invariants, delta.typeChanges, ...)
// round-trip verbatim.
class FieldMetadata {
 public:
  using Entry = std::pair<std::string, std::string>;  // key, raw JSON value

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  bool Contains(std::string_view key) const { return GetRaw(key).has_value(); }

  // The raw JSON of the value, e.g. "5", "\"col-1\"", "{\"expression\":...}".
  std::optional<std::string_view> GetRaw(std::string_view key) const;
  // The decoded value if it is a JSON string / an integer / a boolean; nullopt otherwise.
  std::optional<std::string> GetString(std::string_view key) const;
  std::optional<int64_t> GetInt(std::string_view key) const;
  std::optional<bool> GetBool(std::string_view key) const;

  // Replaces the value of an existing key in place, or appends the key. `raw_json` must be one
  // valid JSON value (checked only by the writer's reader; keep it compact).
  void SetRaw(std::string_view key, std::string raw_json);
  void SetString(std::string_view key, std::string_view value);
  void SetInt(std::string_view key, int64_t value);
  void Erase(std::string_view key);

  bool operator==(const FieldMetadata&) const = default;

 private:
  std::vector<Entry> entries_;
};

struct StructField {
  std::string name;
  DataTypePtr type;
  bool nullable = true;
  FieldMetadata metadata;

  // Deep equality: names (exactly), types, nullability and metadata.
  bool operator==(const StructField& other) const;
};

class DataType {
 public:
  // Non-parameterized kinds: every kind except kDecimal, kStruct, kArray, kMap.
  static DataTypePtr Primitive(TypeKind kind);
  static DataTypePtr String() { return Primitive(TypeKind::kString); }
  static DataTypePtr Long() { return Primitive(TypeKind::kLong); }
  static DataTypePtr Integer() { return Primitive(TypeKind::kInteger); }
  static DataTypePtr Short() { return Primitive(TypeKind::kShort); }
  static DataTypePtr Byte() { return Primitive(TypeKind::kByte); }
  static DataTypePtr Float() { return Primitive(TypeKind::kFloat); }
  static DataTypePtr Double() { return Primitive(TypeKind::kDouble); }
  static DataTypePtr Boolean() { return Primitive(TypeKind::kBoolean); }
  static DataTypePtr Binary() { return Primitive(TypeKind::kBinary); }
  static DataTypePtr Date() { return Primitive(TypeKind::kDate); }
  static DataTypePtr Timestamp() { return Primitive(TypeKind::kTimestamp); }
  static DataTypePtr TimestampNtz() { return Primitive(TypeKind::kTimestampNtz); }
  static DataTypePtr Void() { return Primitive(TypeKind::kVoid); }
  // Requires 1 <= precision <= 38 and 0 <= scale <= precision (see IsValidDecimal).
  static DataTypePtr Decimal(int precision, int scale);
  static DataTypePtr Struct(std::vector<StructField> fields);
  static DataTypePtr Array(DataTypePtr element_type, bool contains_null = true);
  static DataTypePtr Map(DataTypePtr key_type, DataTypePtr value_type,
                         bool value_contains_null = true);

  static bool IsValidDecimal(int precision, int scale) {
    return precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision;
  }

  TypeKind kind() const { return kind_; }
  bool is_nested() const {
    return kind_ == TypeKind::kStruct || kind_ == TypeKind::kArray || kind_ == TypeKind::kMap;
  }
  bool is_struct() const { return kind_ == TypeKind::kStruct; }

  int precision() const { return precision_; }                        // kDecimal only
  int scale() const { return scale_; }                                // kDecimal only
  const std::vector<StructField>& fields() const { return fields_; }  // kStruct only
  const DataTypePtr& element_type() const { return first_; }          // kArray only
  bool contains_null() const { return contains_null_; }               // kArray, kMap values
  const DataTypePtr& key_type() const { return first_; }              // kMap only
  const DataTypePtr& value_type() const { return second_; }           // kMap only
  bool value_contains_null() const { return contains_null_; }         // kMap only

  // Delta's name for messages: "long", "decimal(10,2)", "array<integer>",
  // "map<string,long>", "struct<a:integer,b:string>".
  std::string ToString() const;

  // Deep equality, including nested field names, nullability and metadata.
  bool operator==(const DataType& other) const;

  // Public for std::make_shared; use the factories above.
  explicit DataType(TypeKind kind) : kind_(kind) {}

 private:
  TypeKind kind_;
  int precision_ = 0;
  int scale_ = 0;
  std::vector<StructField> fields_;
  DataTypePtr first_;
  DataTypePtr second_;
  bool contains_null_ = true;
};

// A path to a nested field through structs: {"a", "b"} is field b of struct column a.
using ColumnPath = std::vector<std::string>;
// "a.b" for messages; names containing '.' or '`' are quoted with backticks ("`x.y`.z").
std::string ColumnPathToString(const ColumnPath& path);

// The table schema: the top-level struct of metaData.schemaString.
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<StructField> fields) : fields_(std::move(fields)) {}

  const std::vector<StructField>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  const StructField& field(size_t index) const { return fields_[index]; }

  // Top-level field by name, ignoring ASCII case; nullopt / nullptr if absent.
  std::optional<size_t> IndexOf(std::string_view name) const;
  const StructField* Find(std::string_view name) const;
  // A nested field through structs, each step ignoring ASCII case; nullptr if a step is
  // missing or is not a struct.
  const StructField* FindPath(const ColumnPath& path) const;
  // As FindPath, but NotFound("column a.b does not exist") / NotFound("... is not a struct").
  Result<const StructField*> ResolvePath(const ColumnPath& path) const;

  // The same fields as a struct type.
  DataTypePtr AsStruct() const { return DataType::Struct(fields_); }

  bool operator==(const Schema& other) const { return fields_ == other.fields_; }

 private:
  std::vector<StructField> fields_;
};

// ---- JSON form (schema_json.cc) ----

// Parses metaData.schemaString. Errors are InvalidArgument saying what and where, e.g.
// `invalid schema: unknown type "foo" for field "a.b"`; a log reader reports them as
// Corruption with the commit file's name. Accepts "decimal" (= decimal(10,0)) and "null"
// (= void) as Spark does; metadata may be absent; duplicate names (ignoring case) are errors.
Result<Schema> ParseSchema(std::string_view schema_string);
// Spark's exact form: compact, fields in order, all four field keys always written,
// metadata values verbatim.
std::string SerializeSchema(const Schema& schema);
// One type as JSON: "\"integer\"", "\"decimal(10,2)\"" or a struct/array/map object.
Result<DataTypePtr> ParseDataType(std::string_view json);
std::string SerializeDataType(const DataType& type);

// ---- Column mapping (schema.cc) ----

enum class ColumnMappingMode { kNone, kId, kName };

inline constexpr std::string_view kColumnMappingModeKey = "delta.columnMapping.mode";
inline constexpr std::string_view kColumnMappingMaxIdKey = "delta.columnMapping.maxColumnId";
inline constexpr std::string_view kColumnMappingIdKey = "delta.columnMapping.id";
inline constexpr std::string_view kPhysicalNameKey = "delta.columnMapping.physicalName";

// From table configuration: delta.columnMapping.mode absent or "none" -> kNone; "id", "name";
// anything else is InvalidArgument.
Result<ColumnMappingMode> ColumnMappingModeFromConfig(
    const std::map<std::string, std::string>& configuration);

// The name of the field's column in data files, partition values and stats: its
// delta.columnMapping.physicalName when mapping is on and the key is present, else its name.
std::string PhysicalName(const StructField& field, ColumnMappingMode mode);
// delta.columnMapping.id, if present.
std::optional<int64_t> ColumnMappingId(const StructField& field);
// The largest delta.columnMapping.id of any field, nested ones included; 0 if none.
int64_t MaxColumnId(const Schema& schema);
// The schema with every field (nested ones too) renamed to its physical name; metadata kept.
Schema ToPhysicalSchema(const Schema& schema, ColumnMappingMode mode);
// A logical path translated to physical names (NotFound if it does not resolve).
Result<ColumnPath> ToPhysicalPath(const Schema& schema, const ColumnPath& logical_path,
                                  ColumnMappingMode mode);
// Gives every field (nested ones too) that lacks a delta.columnMapping.id a new id above
// *max_column_id (which is advanced) and a fresh physical name "col-<uuid>" if it has none.
// Existing ids and physical names are kept: they must never be reused or changed.
Schema AssignColumnMapping(const Schema& schema, int64_t* max_column_id);

// ---- DuckDB types (schema_duckdb.cc) ----

// The DuckDB SQL type for a Delta type: string VARCHAR, long BIGINT, integer INTEGER, short
// SMALLINT, byte TINYINT, float FLOAT, double DOUBLE, boolean BOOLEAN, binary BLOB, date DATE,
// timestamp "TIMESTAMP WITH TIME ZONE", timestamp_ntz TIMESTAMP, decimal(p,s) DECIMAL(p,s),
// void INTEGER (always null), struct STRUCT("a" T, ...), array T[], map MAP(K, V).
std::string ToDuckDbType(const DataType& type);

// The Delta type for a DuckDB type name as DuckDB prints it in result metadata, nested types
// included. Unsigned types widen to the next signed type (UBIGINT and HUGEINT become decimals),
// UUID, JSON and ENUM become string, TIMESTAMP[_S|_MS|_NS] become timestamp_ntz, the NULL type
// becomes void. Types Delta cannot store (INTERVAL, TIME, UNION, BIT, ...) give NotSupported
// naming the type; text that is not a type gives InvalidArgument. Fields are nullable.
Result<DataTypePtr> FromDuckDbType(std::string_view duckdb_type);

// ---- Schema evolution (schema_merge.cc) ----

// The table schema after writing data of schema `incoming` into a table of schema `table`.
//
// Columns are matched by name ignoring case; the table's names, order, nullability and field
// metadata are kept. Columns (and nested struct fields) only in `incoming` are appended,
// nullable, when `allow_add_columns`; otherwise they are an InvalidArgument. A column of the
// table missing from `incoming` is fine if nullable (it reads as null) and an error if NOT
// NULL. The table's type of a column never changes: an incoming type is accepted only if its
// values convert to the table type without loss, which are exactly these widenings:
//   byte -> short -> integer -> long (any step up), float -> double,
//   byte/short/integer -> double, byte/short/integer/long -> decimal with enough integer digits,
//   decimal(p1,s1) -> decimal(p2,s2) when s2 >= s1 and p2-s2 >= p1-s1,
//   void -> any type of a nullable column;
// applied inside structs, array elements and map keys/values too. Any other difference is an
// InvalidArgument naming the column, the table's type and the incoming type. (Changing the
// table's type would need the typeWidening feature, which sluice does not write.)
Result<Schema> MergeSchemaForWrite(const Schema& table, const Schema& incoming,
                                   bool allow_add_columns);

}  // namespace sluice::delta
