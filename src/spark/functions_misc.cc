// Misc functions: typeof, assertions and errors, session facts (user, catalog, database,
// version), per-row facts of a single-partition run (monotonically_increasing_id,
// spark_partition_id, input file), uuid, bitmaps; the refused ones say why. Also adds the
// predicate and conversion groups (functions_predicate.cc).
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "common/strings.h"
#include "spark/functions.h"
#include "spark/functions_aggregate_internal.h"
#include "spark/functions_misc_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kMisc = "misc_funcs";
constexpr const char* kAgg = "agg_funcs";

const DataType kString = DataType::Of(TypeId::kString);
const DataType kLong = DataType::Of(TypeId::kLong);

// A function of no arguments with a constant result.
ScalarFn Constant(std::string sql, DataType type) {
  return [sql = std::move(sql), type = std::move(type)](Call& call) -> Result<Typed> {
    return call.Result(sql, type, false);
  };
}

// The user Spark reports: SPARK_USER, else the operating system's user.
std::string SessionUser() {
  if (const char* user = std::getenv("SPARK_USER"); user != nullptr && *user != '\0') return user;
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) return entry->pw_name;
  if (const char* user = std::getenv("USER"); user != nullptr) return user;
  return "";
}

// typeof(x): the type's catalog string, known when the query is translated.
Result<Typed> TypeofFn(Call& call) {
  const Typed& x = call.args[0];
  std::string sql = QuoteLiteral(x.type.SimpleString());
  // Over an aggregate or window the query keeps its shape (one row per group).
  if (x.aggregate || x.window)
    sql = "CASE WHEN (" + x.sql + ") IS NULL THEN " + sql + " ELSE " + sql + " END";
  return call.Result(sql, kString, false);
}

// An expression of Spark's VOID type that fails the query with `message` (SQL text).
std::string Failure(const std::string& message) {
  return "CAST(error(" + message + ") AS " + ToDuckDbType(DataType::Null()) + ")";
}

// assert_true(cond [, message]): NULL when cond is TRUE, else an error.
Result<Typed> AssertTrueFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Boolean()));
  std::string message = QuoteLiteral("'" + call.args[0].name + "' is not true!");
  if (call.args.size() == 2) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, String()));
    message = "coalesce(" + call.args[1].sql + ", 'null')";
  }
  return call.Result(
      "CASE WHEN " + call.args[0].sql + " THEN NULL ELSE " + Failure(message) + " END",
      DataType::Null());
}

// raise_error(message): fails the query with the message.
Result<Typed> RaiseErrorFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  return call.Result(Failure("coalesce(" + call.args[0].sql + ", 'null')"), DataType::Null());
}

// secret(scope, key): a secret's value from the local provider (docs/secrets.md), read by
// sluice_secret, which the runtime installs; the value never appears in the SQL.
Result<Typed> SecretFn(Call& call) {
  for (size_t i = 0; i < 2; ++i) {
    const Expr& arg = *call.raw[i];
    if (arg.kind != ExprKind::kLiteral || !arg.literal.type.is(TypeId::kString)) {
      return call.ArgError(i, "secret takes the scope and the key as string literals");
    }
  }
  return call.Result("sluice_secret(" + call.args[0].sql + ", " + call.args[1].sql + ")", kString,
                     false);
}

// monotonically_increasing_id(): in one partition, the row's position from 0.
Result<Typed> MonotonicallyIncreasingIdFn(Call& call) {
  Typed out = call.Result("(row_number() OVER () - 1)", kLong, false);
  out.window = true;
  return out;
}

// bitmap_bucket_number(v) and bitmap_bit_position(v), for bitmaps of 32768 bits.
Result<Typed> BitmapBucketNumberFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Long()));
  const std::string& v = call.args[0].sql;
  return call.Result(
      "CASE WHEN " + v + " > 0 THEN 1 + (" + v + " - 1) // 32768 ELSE " + v + " // 32768 END",
      kLong);
}

Result<Typed> BitmapBitPositionFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Long()));
  const std::string& v = call.args[0].sql;
  // -v of the least BIGINT wraps to itself in Java; its remainder is 0.
  return call.Result("CASE WHEN " + v + " > 0 THEN (" + v + " - 1) % 32768 WHEN " + v +
                         " = -9223372036854775808 THEN 0 ELSE (-" + v + ") % 32768 END",
                     kLong);
}

Result<Typed> BitmapCountFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Binary()));
  return call.Result("spark_bitmap_count(" + call.args[0].sql + ")", kLong);
}

// bitmap_construct_agg(position): a 4096-byte bitmap with the positions' bits set.
Result<Typed> BitmapConstructAggFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Long()));
  return call.Result(NativeAggregateSql(call, "spark_bitmap_construct", {call.args[0].sql}),
                     DataType::Of(TypeId::kBinary), false);
}

// bitmap_or_agg(bitmap): the bitwise OR of the bitmaps, as a 4096-byte bitmap.
Result<Typed> BitmapOrAggFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Binary()));
  return call.Result(NativeAggregateSql(call, "spark_bitmap_or", {call.args[0].sql}),
                     DataType::Of(TypeId::kBinary), false);
}

// aes_encrypt(expr, key [, mode [, padding [, iv [, aad]]]]) and aes_decrypt /
// try_aes_decrypt(expr, key [, mode [, padding [, aad]]]): BINARY, NULL when an argument
// is; mode GCM and padding DEFAULT unless given. try_aes_decrypt is NULL where
// aes_decrypt fails.
ScalarFn Aes(const char* native, bool encrypt) {
  return [native, encrypt](Call& call) -> Result<Typed> {
    const size_t count = encrypt ? 6 : 5;
    std::vector<std::string> args;
    for (size_t i = 0; i < count; ++i) {
      const bool text = i == 2 || i == 3;
      if (i < call.args.size()) {
        SLUICE_RETURN_IF_ERROR(Expect(call, i, text ? String() : Binary()));
        args.push_back(call.args[i].sql);
      } else {
        args.push_back(i == 2 ? "'GCM'" : i == 3 ? "'DEFAULT'" : "CAST('' AS BLOB)");
      }
    }
    return call.Result(std::string(native) + "(" + Join(args, ", ") + ")",
                       DataType::Of(TypeId::kBinary));
  };
}

ScalarFn Refused(const char* reason) {
  return [reason](Call& call) -> Result<Typed> {
    return call.translator.UnsupportedAt(call.node.span,
                                         call.name + " is not supported: " + reason);
  };
}

}  // namespace

void AddMiscFunctions(FunctionMap& map) {
  AddPredicateFunctions(map);
  AddConversionFunctions(map);
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "typeof", k, 1, 1, TypeofFn, kMisc);
  Define(map, "assert_true", k, 1, 2, AssertTrueFn, kMisc);
  Define(map, "raise_error", k, 1, 1, RaiseErrorFn, kMisc);
  Define(map, "uuid", k, 0, 0, Constant("CAST(uuid() AS VARCHAR)", kString), kMisc);
  Define(map, "secret", k, 2, 2, SecretFn, kMisc);
  const std::string user = QuoteLiteral(SessionUser());
  Define(map, "current_user", k, 0, 0, Constant(user, kString), kMisc);
  Alias(map, "user", "current_user");
  Alias(map, "session_user", "current_user");
  Define(map, "current_catalog", k, 0, 0, Constant("'spark_catalog'", kString), kMisc);
  Define(map, "current_database", k, 0, 0, Constant("'default'", kString), kMisc);
  Alias(map, "current_schema", "current_database");
  Define(map, "version", k, 0, 0, Constant("'3.5.6 sluice'", kString), kMisc);
  // Outside a file read, as for Spark's non-file sources.
  // The file the row was read from: the file_path of the _metadata column of the file
  // source in scope (read_files, cloud_files, json.`path`, ...); '' for other sources.
  Define(
      map, "input_file_name", k, 0, 0,
      [](Call& call) -> Result<Typed> {
        for (const Scope* scope = &call.scope; scope != nullptr; scope = scope->outer) {
          for (const ScopeRelation& relation : scope->relations) {
            for (const ScopeColumn& column : relation.columns) {
              if (column.hidden && column.name == "_metadata" && column.type.is(TypeId::kStruct) &&
                  column.type.FindField("file_path") != nullptr) {
                return call.Result("coalesce(struct_extract(" + column.sql + ", 'file_path'), '')",
                                   DataType::Of(TypeId::kString), false);
              }
            }
          }
        }
        return call.Result("''", DataType::Of(TypeId::kString), false);
      },
      kMisc);
  Define(map, "input_file_block_start", k, 0, 0, Constant("CAST(-1 AS BIGINT)", kLong), kMisc);
  Define(map, "input_file_block_length", k, 0, 0, Constant("CAST(-1 AS BIGINT)", kLong), kMisc);
  Define(map, "monotonically_increasing_id", k, 0, 0, MonotonicallyIncreasingIdFn, kMisc);
  Define(map, "spark_partition_id", k, 0, 0,
         Constant("CAST(0 AS INTEGER)", DataType::Of(TypeId::kInt)), kMisc);
  Define(map, "bitmap_bucket_number", k, 1, 1, BitmapBucketNumberFn, kMisc);
  Define(map, "bitmap_bit_position", k, 1, 1, BitmapBitPositionFn, kMisc);
  Define(map, "bitmap_count", k, 1, 1, BitmapCountFn, kMisc);
  Define(map, "bitmap_construct_agg", FunctionKind::kAggregate, 1, 1, BitmapConstructAggFn, kAgg);
  Define(map, "bitmap_or_agg", FunctionKind::kAggregate, 1, 1, BitmapOrAggFn, kAgg);

  Define(map, "aes_encrypt", k, 2, 6, Aes("spark_aes_encrypt", true), kMisc);
  Define(map, "aes_decrypt", k, 2, 5, Aes("spark_aes_decrypt", false), kMisc);
  Define(map, "try_aes_decrypt", k, 2, 5, Aes("spark_try_aes_decrypt", false), kMisc);
  const char* java = "it calls Java methods";
  Define(map, "reflect", k, 2, -1, Refused(java), kMisc);
  Define(map, "java_method", k, 2, -1, Refused(java), kMisc);
  const char* hll = "it reads Apache DataSketches HLL sketches in their binary format";
  Define(map, "hll_sketch_estimate", k, 1, 1, Refused(hll), kMisc);
  Define(map, "hll_union", k, 2, 3, Refused(hll), kMisc);
}

void AddMiscMacros(std::vector<MacroDef>& out) { AddAggregateMacros(out); }

}  // namespace sluice::spark::internal
