// The function catalog's toolkit: how functions*.cc declare Spark's built-in functions.
//
// Each file adds one group of functions to the catalog with Add*Functions. A function is
// a translator from a Call (its translated arguments) to Typed DuckDB SQL; most are
// declared with Define and a SQL template, after their arguments are implicitly cast as
// Spark casts them (Expect).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "spark/coercion.h"
#include "spark/translator_internal.h"

namespace sluice::spark::internal {

using FunctionMap = std::map<std::string, FunctionDef>;

void AddStringFunctions(FunctionMap& map);
void AddRegexpFunctions(FunctionMap& map);
void AddMathFunctions(FunctionMap& map);
void AddDatetimeFunctions(FunctionMap& map);
void AddConditionalFunctions(FunctionMap& map);
void AddCollectionFunctions(FunctionMap& map);  // array, map, struct
void AddLambdaFunctions(FunctionMap& map);      // higher-order functions
void AddJsonFunctions(FunctionMap& map);
void AddHashFunctions(FunctionMap& map);
void AddAggregateFunctions(FunctionMap& map);
void AddWindowFunctions(FunctionMap& map);
void AddGeneratorFunctions(FunctionMap& map);
void AddMiscFunctions(FunctionMap& map);  // conversion, predicate, bitwise, url, misc

using ScalarFn = std::function<Result<Typed>(Call& call)>;

// DuckDB macros a group's functions call: {"name(params)", "body"}.
struct MacroDef {
  const char* signature;
  const char* body;
};
// Each group file may add macros (macros.cc collects them) and native functions
// (native.cc collects them).
void AddStringMacros(std::vector<MacroDef>& out);
void AddRegexpMacros(std::vector<MacroDef>& out);
void AddMathMacros(std::vector<MacroDef>& out);
void AddDatetimeMacros(std::vector<MacroDef>& out);
void AddCollectionMacros(std::vector<MacroDef>& out);
void AddJsonMacros(std::vector<MacroDef>& out);
void AddHashMacros(std::vector<MacroDef>& out);
void AddMiscMacros(std::vector<MacroDef>& out);

// Declares a function of `kind` taking min..max arguments (max -1: any number).
void Define(FunctionMap& map, std::string_view name, FunctionKind kind, int min_args, int max_args,
            ScalarFn fn, const char* group);
// Another name for a declared function.
void Alias(FunctionMap& map, std::string_view alias, std::string_view name);

// Expectations, shorthand.
Expectation Exact(TypeId id);
Expectation Exact(DataType type);
Expectation AnyNumeric();  // strings become DOUBLE
Expectation AnyIntegral();
Expectation AnyOf(Accepts accepts);
inline Expectation String() { return Exact(TypeId::kString); }
inline Expectation Int() { return Exact(TypeId::kInt); }
inline Expectation Long() { return Exact(TypeId::kLong); }
inline Expectation Double() { return Exact(TypeId::kDouble); }
inline Expectation Boolean() { return Exact(TypeId::kBoolean); }
inline Expectation Date() { return Exact(TypeId::kDate); }
inline Expectation Timestamp() { return Exact(TypeId::kTimestamp); }
inline Expectation Binary() { return Exact(TypeId::kBinary); }

// Casts argument i as Spark casts a function's input to `expected` (or fails naming the
// argument and its type).
Status Expect(Call& call, size_t i, const Expectation& expected);
// Expect for each argument; the last expectation repeats for any further arguments.
Status ExpectAll(Call& call, const std::vector<Expectation>& expected);

// A SQL template: {0}, {1}, ... are the arguments' SQL, {*} all of them joined by ", ".
std::string Fill(std::string_view pattern, const std::vector<Typed>& args);

// A function whose arguments take `inputs` (the last repeats) and whose result is the
// template with type `result`.
ScalarFn Template(std::vector<Expectation> inputs, std::string pattern, DataType result);

// The common type of arguments [from, to) (Spark's wider type), and casts them to it.
Result<DataType> CommonType(Call& call, size_t from, size_t to);

// The value of a literal argument, or an error saying it must be one.
Result<std::string> LiteralString(Call& call, size_t i, std::string_view what);
Result<int64_t> LiteralInt(Call& call, size_t i, std::string_view what);

// The DuckDB SQL for `sql` of DuckDB type `from` as Spark type `to` held in its DuckDB
// type: a cast when they differ.
std::string As(const std::string& sql, const DataType& to);

}  // namespace sluice::spark::internal
