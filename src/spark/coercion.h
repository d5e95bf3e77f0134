// Spark's implicit type rules (TypeCoercion and DecimalPrecision, Spark 3.5; in ANSI mode,
// AnsiTypeCoercion's promotion of strings): which common type two values meet at, and which
// implicit casts a function's arguments get.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "spark/types.h"

namespace sluice::spark {

// Whether strings meet other types by AnsiTypeCoercion's rules (spark.sql.ansi.enabled)
// rather than the default ones, for the translation on this thread: a string with an
// integral type meets at BIGINT, with a fractional one at DOUBLE, with another atomic type
// at that type (WiderType, ComparisonType and arithmetic below follow it).
bool AnsiCoercion();
class AnsiCoercionScope {
 public:
  explicit AnsiCoercionScope(bool ansi);
  ~AnsiCoercionScope();
  AnsiCoercionScope(const AnsiCoercionScope&) = delete;
  AnsiCoercionScope& operator=(const AnsiCoercionScope&) = delete;

 private:
  bool previous_;
};
// AnsiTypeCoercion.findWiderTypeForString: the type a string meets `other` (not a string)
// at; nullopt for intervals.
std::optional<DataType> AnsiStringPromotion(const DataType& other);

// The order of numeric widening: BYTE < SHORT < INT < LONG < FLOAT < DOUBLE; -1 for other
// types.
int NumericRank(TypeId id);

// findTightestCommonType: same types, NULL with anything, numeric widening without loss,
// date and timestamp, intervals, and element-wise for arrays, maps and structs.
std::optional<DataType> TightestCommonType(const DataType& a, const DataType& b);

// Arrays, maps and structs (fields matched by position and name, ignoring case) whose
// elements, keys and values, fields meet at `common`'s type; nullopt otherwise.
using CommonTypeRule = std::function<std::optional<DataType>(const DataType& a, const DataType& b)>;
std::optional<DataType> CommonComplexType(const DataType& a, const DataType& b,
                                          const CommonTypeRule& common);

// findWiderTypeForTwo: the tightest type, else a wider decimal (or DOUBLE with a float),
// else STRING when one side is a string and the other atomic (not binary or boolean).
std::optional<DataType> WiderType(const DataType& a, const DataType& b);

// findWiderCommonType of several types (CASE branches, COALESCE, array(...), IN lists).
std::optional<DataType> WiderCommonType(const std::vector<DataType>& types);

// The type both sides of a comparison are cast to (findCommonTypeForBinaryComparison, then
// the tightest, then the wider type); nullopt when Spark cannot compare them.
std::optional<DataType> ComparisonType(const DataType& a, const DataType& b);

// DecimalPrecision.widerDecimalType.
DataType WiderDecimal(const DataType& a, const DataType& b);
// DecimalType.bounded and adjustPrecisionScale (spark.sql.decimalOperations.allowPrecisionLoss).
DataType BoundedDecimal(int precision, int scale);
DataType AdjustedDecimal(int precision, int scale);
// A decimal wide enough for an integral literal's value (DecimalType.fromLiteral).
DataType DecimalOfIntegralLiteral(const std::string& text);

// What a function argument accepts, for implicit casts (ImplicitCastInputTypes).
enum class Accepts {
  kExact,      // the given type
  kNumeric,    // any numeric type; strings become DOUBLE
  kIntegral,   // any integral type
  kDecimal,    // any decimal
  kTimestamp,  // TIMESTAMP or TIMESTAMP_NTZ
  kArray,      // any array
  kMap,        // any map
  kStruct,     // any struct
  kStringOrBinary,
  kAny,
};

struct Expectation {
  Accepts accepts = Accepts::kExact;
  DataType type;  // kExact: the type; the others: the default concrete type
  static Expectation Of(TypeId id) { return Expectation{Accepts::kExact, DataType::Of(id)}; }
  static Expectation Of(DataType type) { return Expectation{Accepts::kExact, std::move(type)}; }
};

// The type `from` is implicitly cast to for `expected` (TypeCoercion.implicitCast), or
// nullopt when Spark refuses the argument. Returns `from` itself when it is accepted.
std::optional<DataType> ImplicitCastType(const DataType& from, const Expectation& expected);

// Whether `type` is accepted as is.
bool AcceptsType(const Expectation& expected, const DataType& type);

}  // namespace sluice::spark
