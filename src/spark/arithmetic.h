// Spark's arithmetic on translated values: the binary operators + - * / % and div, pmod,
// unary minus and abs, with Spark's result types and its behaviour where a result does not
// fit its type.
#pragma once

#include <string>

#include "spark/translator_internal.h"

namespace sluice::spark::internal {

// What an operation does with a result its type cannot hold, or a zero divisor.
//  * kDefault (ANSI off): integers wrap around as Java's arithmetic does; a decimal that
//    does not fit its precision and a zero divisor give NULL.
//  * kAnsi: the query fails.
//  * kTry (try_add, try_divide, ...): NULL.
enum class OverflowMode { kDefault, kAnsi, kTry };

OverflowMode ModeOf(const Translator& translator);

// `a op b` for op in + - * / % DIV and "pmod", of numbers, dates, timestamps and
// intervals. `out` carries the name and flags of the result; its SQL and type are set.
Result<Typed> BinaryArithmetic(Translator& translator, const std::string& op, const Typed& a,
                               const Typed& b, OverflowMode mode, const Span& at, Typed out);

// -x of a number or an interval (Spark's UnaryMinus): the minimum integer of its type
// stays itself in the default mode, as in Java.
std::string NegateSql(const Typed& operand, OverflowMode mode);

// abs(x) of a number (Java's Math.abs: the minimum integer stays itself in the default
// mode) or an interval.
std::string AbsSql(const Typed& operand, OverflowMode mode);

// An integral value computed exactly in a wider DuckDB type (BIGINT for byte, short and
// int; HUGEINT for long), brought to `type` as `mode` says.
std::string IntegralResult(const std::string& wide_sql, const DataType& type, OverflowMode mode);

}  // namespace sluice::spark::internal
