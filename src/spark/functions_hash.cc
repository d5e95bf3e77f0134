// Hash functions: md5, sha1 / sha, sha2, crc32, and Spark's hash (Murmur3, seed 42) and
// xxhash64 (XXH64, seed 42) over any number of values, each folded into the running hash
// with Spark's encoding of its type.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "hash_funcs";

const DataType kStringType = DataType::Of(TypeId::kString);

// The running hash after `x` (of `type`) given `seed`, by the natives spark_<family>_*;
// NULL values (and NULL elements and fields) leave the hash as it is.
Result<std::string> HashStep(Call& call, const std::string& family, const std::string& x,
                             const DataType& type, const std::string& seed) {
  auto step = [&](const char* kind, const std::string& value) {
    return "spark_" + family + "_" + kind + "(" + value + ", " + seed + ")";
  };
  switch (type.id) {
    case TypeId::kNull:
      return seed;
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
      return step("int", "CAST(" + x + " AS INTEGER)");
    case TypeId::kLong:
      return step("long", x);
    case TypeId::kFloat:
      return step("float", x);
    case TypeId::kDouble:
      return step("double", x);
    case TypeId::kDecimal:
      // Up to 18 digits the unscaled long; beyond, the bytes of the unscaled BigInteger.
      if (type.precision <= 18) return step("long", "CAST(spark_unscaled(" + x + ") AS BIGINT)");
      return step("bigdecimal", "CAST(spark_unscaled(" + x + ") AS VARCHAR)");
    case TypeId::kString:
      return step("string", x);
    case TypeId::kBinary:
      return step("bytes", x);
    case TypeId::kDate:
      return step("int", "CAST(date_diff('day', DATE '1970-01-01', " + x + ") AS INTEGER)");
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return step("long", "epoch_us(" + x + ")");
    case TypeId::kYearMonthInterval:
      return step("int", "CAST(spark_interval_months(" + x + ") AS INTEGER)");
    case TypeId::kDayTimeInterval:
      return step("long", "CAST(spark_interval_micros(" + x + ") AS BIGINT)");
    case TypeId::kArray: {
      const std::string h = call.translator.NewLambdaVariable();
      const std::string e = call.translator.NewLambdaVariable();
      SLUICE_ASSIGN_OR_RETURN(std::string inner, HashStep(call, family, e, *type.element, h));
      return "list_reduce(coalesce(" + x + ", []), lambda " + h + ", " + e + ": " + inner + ", " +
             seed + ")";
    }
    case TypeId::kStruct: {
      // A NULL struct has NULL fields, which leave the hash as it is.
      std::string hash = seed;
      for (const StructField& field : type.fields) {
        SLUICE_ASSIGN_OR_RETURN(
            hash,
            HashStep(call, family, "struct_extract(" + x + ", " + QuoteLiteral(field.name) + ")",
                     *field.type, hash));
      }
      return hash;
    }
    case TypeId::kMap:
      return call.Error("[DATATYPE_MISMATCH.HASH_MAP_TYPE] Input to the function `" + call.name +
                        "` cannot contain elements of the \"MAP\" type.");
    case TypeId::kCalendarInterval:
      return call.translator.UnsupportedAt(call.node.span,
                                           call.name + " of a CalendarInterval value");
  }
  return call.Error(call.name + ": unexpected type " + type.Sql());
}

ScalarFn HashFn(std::string family, std::string seed, DataType result) {
  return [family = std::move(family), seed = std::move(seed),
          result = std::move(result)](Call& call) -> Result<Typed> {
    std::string hash = seed;
    for (const Typed& arg : call.args) {
      SLUICE_ASSIGN_OR_RETURN(hash, HashStep(call, family, arg.sql, arg.type, hash));
    }
    return call.Result(hash, result, false);
  };
}

// sha2(x, bits): SHA-224/256/384/512 (0 is 256); NULL for any other length.
Result<Typed> Sha2Fn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Binary(), Int()}));
  const auto bits = call.args[1].IntValue();
  if (bits && (*bits == 256 || *bits == 0)) {
    return call.Result("sha256(" + call.args[0].sql + ")", kStringType);
  }
  return call.Result("spark_sha2(" + call.args[0].sql + ", " + call.args[1].sql + ")", kStringType);
}

}  // namespace

void AddHashFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "md5", k, 1, 1, Template({Binary()}, "md5({0})", kStringType), kGroup);
  Define(map, "sha1", k, 1, 1, Template({Binary()}, "sha1({0})", kStringType), kGroup);
  Alias(map, "sha", "sha1");
  Define(map, "sha2", k, 2, 2, Sha2Fn, kGroup);
  Define(map, "crc32", k, 1, 1,
         Template({Binary()}, "spark_crc32({0})", DataType::Of(TypeId::kLong)), kGroup);
  Define(map, "hash", k, 1, -1, HashFn("murmur3", "42", DataType::Of(TypeId::kInt)), kGroup);
  Define(map, "xxhash64", k, 1, -1,
         HashFn("xxhash64", "CAST(42 AS BIGINT)", DataType::Of(TypeId::kLong)), kGroup);
}

void AddHashMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
