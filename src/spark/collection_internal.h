// What the array, map, struct, collection and higher-order function files share: Spark's
// orderability and equality of collection elements, and DuckDB SQL that orders and
// compares them as Spark does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spark/functions.h"

namespace sluice::spark::internal {

void AddArrayFunctions(FunctionMap& map);
void AddArraySetFunctions(FunctionMap& map);  // array_distinct, _union, _intersect, ...
void AddMapFunctions(FunctionMap& map);       // map and struct groups
void AddArrayMacros(std::vector<MacroDef>& out);
void AddArraySetMacros(std::vector<MacroDef>& out);
void AddMapMacros(std::vector<MacroDef>& out);

// Whether Spark can order (and so compare for equality in array functions) values of
// `type`: not maps, calendar intervals, or anything holding them.
bool Orderable(const DataType& type);

// TypeCoercion.findWiderTypeWithoutStringPromotionForTwo: the tightest common type, a wider
// decimal, or (element-wise for arrays, maps and structs) the same without strings.
std::optional<DataType> WiderTypeWithoutStringPromotion(const DataType& a, const DataType& b);

// A DuckDB expression over `x` (of Spark type `type`) whose DuckDB ordering is Spark's
// ordering of `x`: nested NULLs (array elements, struct fields) order before values, as
// in Spark, while DuckDB puts them after. Returns `x` itself for atomic types.
std::string SparkOrderKey(Translator& translator, const std::string& x, const DataType& type);
// Whether SparkOrderKey changes values of `type`, or equal DuckDB values of `type` can
// still be told apart by Spark (0.0 and -0.0), so that sorts must break ties by position.
bool NeedsOrderKey(const DataType& type);

// A DuckDB expression over element `x` whose equality (IS NOT DISTINCT FROM, list_position)
// is the equality of Spark's hash-based array set functions: as DuckDB's, except that
// 0.0 and -0.0 are different floating-point values there.
std::string SparkSetKey(const std::string& x, const DataType& type);
bool NeedsSetKey(const DataType& type);

// Whether `type` is or holds VOID: DuckDB types a bare NULL (and lists and structs built
// of it) as "NULL", not as ToDuckDbType(VOID), so such results need a cast (HoldVoid).
bool ContainsVoid(const DataType& type);
std::string HoldVoid(const std::string& sql, const DataType& type);

// Argument i as an array (a NULL literal becomes ARRAY<VOID>), or an error naming it.
Status ExpectArray(Call& call, size_t i);
// Argument i as a map, or an error.
Status ExpectMap(Call& call, size_t i);
// An error when values of the array's element type cannot be ordered.
Status ExpectOrderable(Call& call, size_t i, const DataType& type);

// Casts arguments [from, to) to `type` when they differ.
void CoerceArgs(Call& call, size_t from, size_t to, const DataType& type);

// The field name Spark's struct(...) and row constructors give argument `arg` at position
// i: its alias, a column's or field's name, a string subscript, else col<i+1>.
std::string StructFieldName(const Expr& arg, const std::string& alias, size_t i);
// A struct of the given fields (struct_pack), refusing names DuckDB cannot hold (empty,
// or repeated ignoring case).
Result<Typed> StructFromFields(Translator& translator, const Span& at,
                               const std::vector<std::string>& names,
                               const std::vector<Typed>& values);

}  // namespace sluice::spark::internal
