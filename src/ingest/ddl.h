// Spark's DDL for column lists, as the `schema` and `schemaHints` options are written:
// "id BIGINT, name STRING, price DECIMAL(10,2), tags ARRAY<STRING>,
//  address STRUCT<city: STRING, zip: INT>, attrs MAP<STRING, STRING>, `odd name` DATE".
// Hints may name a nested field by path ("address.zip INT"). Type names are Spark's, in any
// case: STRING (VARCHAR(n), CHAR(n)), INT/INTEGER, BIGINT/LONG, SMALLINT/SHORT,
// TINYINT/BYTE, DOUBLE, FLOAT/REAL, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_NTZ,
// DECIMAL/DEC/NUMERIC[(p[,s])], BINARY, ARRAY<t>, STRUCT<name[:] t, ...>, MAP<k, v>.
// A column may end with NOT NULL and COMMENT 'text'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "delta/schema.h"

namespace sluice::ingest {

struct DdlColumn {
  delta::ColumnPath path;  // one name, or several for a nested hint
  delta::DataTypePtr type;
  bool nullable = true;
};

// InvalidArgument with the offending position ("schemaHints: expected a type at 'foo'").
// `what` names the option in messages.
Result<std::vector<DdlColumn>> ParseDdlColumns(std::string_view text, std::string_view what);

// The schema `columns` describe (top-level names only; nested paths are an error).
Result<delta::Schema> SchemaFromDdl(std::string_view text, std::string_view what);

// `schema` with the hinted columns' types set: an existing column (ignoring case) takes the
// hint's type, a nested path sets the nested field's type (adding it to its struct when
// missing), and a hint for a column the schema lacks adds it at the end.
Result<delta::Schema> ApplyHints(const delta::Schema& schema, const std::vector<DdlColumn>& hints);

}  // namespace sluice::ingest
