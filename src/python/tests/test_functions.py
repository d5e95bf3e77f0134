"""Golden tests of pyspark.sql.functions: the Spark SQL text each function builds. Run from
src/python with lib on sys.path."""

import builtins
import unittest
import warnings

import pyspark.sql.functions as F
from _sluice_py import errors
from pyspark.sql.column import Column
from pyspark.sql.window import Window


def sql(column):
    return column._sql


class NormalFunctionsTest(unittest.TestCase):
    def test_col_and_lit(self):
        self.assertEqual(sql(F.col("a")), "a")
        self.assertEqual(sql(F.col("a.b")), "a.b")
        self.assertEqual(sql(F.column("t.*")), "t.*")
        self.assertEqual(sql(F.col("select")), "`select`")
        self.assertEqual(sql(F.lit(5)), "5")
        self.assertEqual(sql(F.lit("it's")), "'it\\'s'")
        self.assertEqual(sql(F.lit(None)), "NULL")
        self.assertEqual(sql(F.lit(1.5)), "1.5D")
        self.assertEqual(sql(F.lit([1, 2])), "array(1, 2)")
        c = F.col("a")
        self.assertIs(F.lit(c), c)
        with self.assertRaises(errors.PySparkValueError):
            F.lit([F.col("a")])
        with self.assertRaises(errors.PySparkTypeError):
            F.col(1)

    def test_expr(self):
        self.assertEqual(sql(F.expr("a")), "a")
        self.assertEqual(sql(F.expr("  count(*) ")), "count(*)")
        self.assertEqual(sql(F.expr("a + b")), "(a + b)")
        self.assertEqual(sql(F.expr("a + b") * 2), "((a + b) * 2)")
        self.assertEqual(sql(F.expr("x[0].f")), "x[0].f")
        self.assertEqual(sql(F.expr("CAST(a AS INT)")), "CAST(a AS INT)")
        self.assertEqual(sql(F.expr("sum(x) OVER (PARTITION BY k)")),
                         "(sum(x) OVER (PARTITION BY k))")
        self.assertEqual(sql(F.expr("a -- note")), "a")
        self.assertEqual(sql(F.expr("NOT(a)")), "(NOT(a))")
        aliased = F.expr("a + 1 AS total")
        self.assertEqual((aliased._sql, aliased._alias), ("(a + 1)", "total"))
        pair = F.expr("posexplode(arr) AS (p, v)")
        self.assertEqual((pair._sql, pair._alias), ("posexplode(arr)", ("p", "v")))
        self.assertEqual(F.expr("a AS `my col`")._alias, "my col")

    def test_when(self):
        self.assertEqual(sql(F.when(F.col("a") > 1, "big").otherwise("small")),
                         "CASE WHEN (a > 1) THEN 'big' ELSE 'small' END")
        self.assertEqual(sql(F.when(F.col("a").isNull(), 0).when(F.col("a") > 9, F.col("b"))),
                         "CASE WHEN (a IS NULL) THEN 0 WHEN (a > 9) THEN b END")
        with self.assertRaises(errors.PySparkTypeError):
            F.when("a", 1)

    def test_misc_normal(self):
        self.assertEqual(sql(F.coalesce("a", F.lit(0))), "coalesce(a, 0)")
        self.assertEqual(sql(F.greatest("a", "b", "c")), "greatest(a, b, c)")
        with self.assertRaises(errors.PySparkValueError):
            F.least("a")
        self.assertEqual(sql(F.rand(42)), "rand(42)")
        self.assertEqual(sql(F.rand()), "rand()")
        self.assertEqual(sql(F.isnull("a")), "isnull(a)")
        self.assertEqual(sql(F.nvl2("a", "b", "c")), "nvl2(a, b, c)")
        self.assertEqual(sql(F.desc("a")), "a DESC")
        self.assertEqual(sql(F.asc_nulls_last("a")), "a ASC NULLS LAST")
        df = object()
        self.assertIs(F.broadcast(df), df)
        with self.assertRaises(errors.PySparkTypeError):
            F.upper(1)


class MathFunctionsTest(unittest.TestCase):
    def test_math(self):
        self.assertEqual(sql(F.abs("a")), "abs(a)")
        self.assertEqual(sql(F.round("x")), "round(x, 0)")
        self.assertEqual(sql(F.round("x", 2)), "round(x, 2)")
        self.assertEqual(sql(F.bround("x", 1)), "bround(x, 1)")
        self.assertEqual(sql(F.pow("x", 2)), "power(x, 2.0D)")
        self.assertEqual(sql(F.atan2(1, "y")), "atan2(1.0D, y)")
        self.assertEqual(sql(F.pmod("a", 3)), "pmod(a, 3.0D)")
        self.assertEqual(sql(F.log("x")), "ln(x)")
        self.assertEqual(sql(F.log(10, "x")), "log(10.0D, x)")
        self.assertEqual(sql(F.conv("s", 16, 10)), "conv(s, 16, 10)")
        self.assertEqual(sql(F.width_bucket("v", "lo", "hi", 5)), "width_bucket(v, lo, hi, 5)")
        self.assertEqual(sql(F.pi()), "pi()")

    def test_bitwise_and_aliases(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.assertEqual(sql(F.bitwiseNOT("a")), "~a")
            self.assertEqual(sql(F.shiftLeft("a", 2)), "shiftleft(a, 2)")
            self.assertEqual(sql(F.toDegrees("x")), "degrees(x)")
            self.assertEqual(sql(F.toRadians("x")), "radians(x)")
        self.assertEqual(sql(F.bitwise_not("a") + 1), "(~a + 1)")
        self.assertEqual(sql(F.shiftrightunsigned("a", 3)), "shiftrightunsigned(a, 3)")
        self.assertEqual(sql(F.negate("a")), "negative(a)")
        with self.assertWarns(FutureWarning):
            F.toDegrees("x")


class StringFunctionsTest(unittest.TestCase):
    def test_strings(self):
        self.assertEqual(sql(F.upper("s")), "upper(s)")
        self.assertEqual(sql(F.concat_ws("-", "a", F.col("b"))), "concat_ws('-', a, b)")
        self.assertEqual(sql(F.substring("s", 1, 3)), "substring(s, 1, 3)")
        self.assertEqual(sql(F.lpad("s", 5, "*")), "lpad(s, 5, '*')")
        self.assertEqual(sql(F.split("s", ",")), "split(s, ',', -1)")
        self.assertEqual(sql(F.regexp_extract("s", r"(\d+)", 1)),
                         "regexp_extract(s, '(\\\\d+)', 1)")
        self.assertEqual(sql(F.regexp_replace("s", "a", F.col("r"))), "regexp_replace(s, 'a', r)")
        self.assertEqual(sql(F.locate("x", "s")), "locate('x', s, 1)")
        self.assertEqual(sql(F.instr("s", "x")), "instr(s, 'x')")
        self.assertEqual(sql(F.format_string("%d-%s", "a", "b")), "format_string('%d-%s', a, b)")
        self.assertEqual(sql(F.translate("s", "ab", "xy")), "translate(s, 'ab', 'xy')")
        self.assertEqual(sql(F.overlay("s", "r", 2)), "overlay(s, r, 2, -1)")
        self.assertEqual(sql(F.levenshtein("a", "b", 2)), "levenshtein(a, b, 2)")

    def test_column_or_name_parameters(self):
        # PySpark 3.5 types these as ColumnOrName: a str is a column name.
        self.assertEqual(sql(F.left("s", F.lit(2))), "left(s, 2)")
        self.assertEqual(sql(F.left("s", "n")), "left(s, n)")
        self.assertEqual(sql(F.to_char("x", F.lit("999"))), "to_char(x, '999')")
        self.assertEqual(sql(F.substr("s", F.lit(1))), "substr(s, 1)")
        self.assertEqual(sql(F.btrim("s")), "btrim(s)")
        self.assertEqual(sql(F.mask("s")), "mask(s, 'X', 'x', 'n', NULL)")
        self.assertEqual(sql(F.like("s", F.lit("a%"))), "like(s, 'a%')")


class DatetimeFunctionsTest(unittest.TestCase):
    def test_formats_and_fields(self):
        self.assertEqual(sql(F.date_format("ts", "yyyy-MM-dd")), "date_format(ts, 'yyyy-MM-dd')")
        self.assertEqual(sql(F.to_date("s")), "to_date(s)")
        self.assertEqual(sql(F.to_timestamp("s", "yyyy-MM-dd HH:mm")),
                         "to_timestamp(s, 'yyyy-MM-dd HH:mm')")
        self.assertEqual(sql(F.year("d")), "year(d)")
        self.assertEqual(sql(F.extract(F.lit("YEAR"), "ts")), "extract('YEAR', ts)")
        self.assertEqual(sql(F.date_trunc("hour", "ts")), "date_trunc('hour', ts)")
        self.assertEqual(sql(F.trunc("d", "MM")), "trunc(d, 'MM')")
        self.assertEqual(sql(F.current_date()), "current_date()")
        self.assertEqual(sql(F.from_unixtime("n")), "from_unixtime(n, 'yyyy-MM-dd HH:mm:ss')")
        self.assertEqual(sql(F.unix_timestamp()), "unix_timestamp()")

    def test_arithmetic(self):
        self.assertEqual(sql(F.date_add("d", 1)), "date_add(d, 1)")
        self.assertEqual(sql(F.date_add("d", "n")), "date_add(d, n)")
        self.assertEqual(sql(F.date_sub(F.col("d"), F.col("n"))), "date_sub(d, n)")
        self.assertEqual(sql(F.add_months("d", 3)), "add_months(d, 3)")
        self.assertEqual(sql(F.datediff("e", "s")), "datediff(e, s)")
        self.assertEqual(sql(F.months_between("a", "b")), "months_between(a, b, true)")
        self.assertEqual(sql(F.from_utc_timestamp("ts", "PST")), "from_utc_timestamp(ts, 'PST')")
        self.assertEqual(sql(F.from_utc_timestamp("ts", F.col("tz"))), "from_utc_timestamp(ts, tz)")
        self.assertEqual(sql(F.convert_timezone(None, F.lit("UTC"), "ts")),
                         "convert_timezone('UTC', ts)")
        self.assertEqual(sql(F.make_dt_interval("d")), "make_dt_interval(d, 0, 0, 0BD)")

    def test_windows(self):
        self.assertEqual(sql(F.window("ts", "5 minutes")), "window(ts, '5 minutes')")
        self.assertEqual(sql(F.window("ts", "5 minutes", "1 minute")),
                         "window(ts, '5 minutes', '1 minute')")
        self.assertEqual(sql(F.window("ts", "5 minutes", "1 minute", "0 seconds")),
                         "window(ts, '5 minutes', '1 minute', '0 seconds')")
        self.assertEqual(sql(F.window("ts", "5 minutes", startTime="2 minutes")),
                         "window(ts, '5 minutes', '5 minutes', '2 minutes')")
        self.assertEqual(sql(F.session_window("ts", "10 minutes")),
                         "session_window(ts, '10 minutes')")
        with self.assertRaises(errors.PySparkTypeError):
            F.window("ts", 5)


class CollectionFunctionsTest(unittest.TestCase):
    def test_arrays_and_maps(self):
        self.assertEqual(sql(F.array("a", "b")), "array(a, b)")
        self.assertEqual(sql(F.array(["a", "b"])), "array(a, b)")
        self.assertEqual(sql(F.array_contains("arr", "x")), "array_contains(arr, 'x')")
        self.assertEqual(sql(F.array_contains("arr", F.col("v"))), "array_contains(arr, v)")
        self.assertEqual(sql(F.element_at("m", "k")), "element_at(m, 'k')")
        self.assertEqual(sql(F.slice("arr", 2, "n")), "slice(arr, 2, n)")
        self.assertEqual(sql(F.array_join("arr", ",", "?")), "array_join(arr, ',', '?')")
        self.assertEqual(sql(F.sort_array("arr", asc=False)), "sort_array(arr, false)")
        self.assertEqual(sql(F.create_map(F.lit("k"), "v")), "map('k', v)")
        self.assertEqual(sql(F.struct("a", F.col("b").alias("c"))), "struct(a, b AS c)")
        self.assertEqual(sql(F.struct([F.col("b").alias("end")])), "struct(b AS `end`)")
        self.assertEqual(sql(F.named_struct(F.lit("x"), "a")), "named_struct('x', a)")
        self.assertEqual(sql(F.size("arr")), "size(arr)")
        self.assertEqual(sql(F.explode("arr")), "explode(arr)")
        self.assertEqual(sql(F.str_to_map("s")), "str_to_map(s, ',', ':')")

    def test_higher_order_functions(self):
        self.assertEqual(sql(F.transform("arr", lambda x: x + 1)),
                         "transform(arr, x_1 -> (x_1 + 1))")
        self.assertEqual(sql(F.transform("arr", lambda x, i: x * i)),
                         "transform(arr, (x_1, y_2) -> (x_1 * y_2))")
        self.assertEqual(sql(F.filter("arr", lambda x: x > 0)), "filter(arr, x_1 -> (x_1 > 0))")
        self.assertEqual(sql(F.exists("arr", lambda x: x.isNull())),
                         "exists(arr, x_1 -> (x_1 IS NULL))")
        self.assertEqual(sql(F.aggregate("arr", F.lit(0), lambda acc, x: acc + x,
                                         lambda acc: acc * 2)),
                         "aggregate(arr, 0, (x_1, y_2) -> (x_1 + y_2), x_1 -> (x_1 * 2))")
        self.assertEqual(sql(F.map_zip_with("m1", "m2", lambda k, a, b: F.coalesce(a, b))),
                         "map_zip_with(m1, m2, (x_1, y_2, z_3) -> coalesce(y_2, z_3))")
        self.assertEqual(sql(F.transform("arr", lambda x: F.transform("arr2", lambda y: x + y))),
                         "transform(arr, x_1 -> transform(arr2, x_2 -> (x_1 + x_2)))")
        self.assertEqual(sql(F.array_sort("arr", lambda l, r: r - l)),
                         "array_sort(arr, (x_1, y_2) -> (y_2 - x_1))")
        with self.assertRaises(errors.PySparkValueError):
            F.transform("arr", lambda: F.lit(1))
        with self.assertRaises(errors.PySparkValueError):
            F.transform("arr", lambda x: 1)

    def test_json(self):
        self.assertEqual(sql(F.from_json("js", "a INT, b STRING")),
                         "from_json(js, 'a INT, b STRING')")
        self.assertEqual(sql(F.from_json("js", "a INT", {"mode": "FAILFAST", "multiLine": True})),
                         "from_json(js, 'a INT', map('mode', 'FAILFAST', 'multiLine', 'true'))")
        self.assertEqual(sql(F.from_json("js", F.schema_of_json('{"a": 1}'))),
                         "from_json(js, schema_of_json('{\"a\": 1}'))")
        self.assertEqual(sql(F.get_json_object("js", "$.a")), "get_json_object(js, '$.a')")
        self.assertEqual(sql(F.json_tuple("js", "a", "b")), "json_tuple(js, 'a', 'b')")
        self.assertEqual(sql(F.to_json("st")), "to_json(st)")

    def test_from_json_with_data_type(self):
        types = __import__("pyspark.sql.types", fromlist=["_type_sql"])
        if not hasattr(types, "_type_sql"):
            self.skipTest("pyspark.sql.types has no _type_sql")
        schema = types.StructType([types.StructField("a", types.IntegerType()),
                                   types.StructField("b", types.StringType())])
        self.assertEqual(sql(F.from_json("js", schema)),
                         "from_json(js, '%s')" % types._type_sql(schema))
        self.assertEqual(sql(F.from_json("js", schema.json())),
                         "from_json(js, '%s')" % types._type_sql(schema))


class AggregateFunctionsTest(unittest.TestCase):
    def test_aggregates(self):
        self.assertEqual(sql(F.sum("amount")), "sum(amount)")
        self.assertEqual(sql(F.count("*")), "count(1)")
        self.assertEqual(sql(F.count(F.col("*"))), "count(1)")
        self.assertEqual(sql(F.count("a")), "count(a)")
        self.assertEqual(sql(F.countDistinct("a", "b")), "count(DISTINCT a, b)")
        self.assertEqual(sql(F.count_distinct(F.col("a"))), "count(DISTINCT a)")
        self.assertEqual(sql(F.sum_distinct("x")), "sum(DISTINCT x)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.assertEqual(sql(F.sumDistinct("x")), "sum(DISTINCT x)")
            self.assertEqual(sql(F.approxCountDistinct("a")), "approx_count_distinct(a)")
        self.assertEqual(sql(F.approx_count_distinct("a", 0.1)), "approx_count_distinct(a, 0.1D)")
        self.assertEqual(sql(F.mean("x")), "avg(x)")
        self.assertEqual(sql(F.stddev("x")), "stddev_samp(x)")
        self.assertEqual(sql(F.variance("x")), "var_samp(x)")
        self.assertEqual(sql(F.first("a")), "first(a)")
        self.assertEqual(sql(F.first("a", True)), "first(a, true)")
        self.assertEqual(sql(F.last("a", ignorenulls=True)), "last(a, true)")
        self.assertEqual(sql(F.any_value("a", True)), "any_value(a, true)")
        self.assertEqual(sql(F.collect_list("a")), "collect_list(a)")
        self.assertEqual(sql(F.percentile_approx("x", 0.5)), "percentile_approx(x, 0.5D, 10000)")
        self.assertEqual(sql(F.percentile_approx("x", [0.25, 0.75], 100)),
                         "percentile_approx(x, array(0.25D, 0.75D), 100)")
        self.assertEqual(sql(F.percentile("x", 0.5)), "percentile(x, 0.5D, 1)")
        self.assertEqual(sql(F.max_by("a", "b")), "max_by(a, b)")
        self.assertEqual(sql(F.grouping_id()), "grouping_id()")

    def test_window_functions(self):
        w = Window.partitionBy("k").orderBy("t")
        self.assertEqual(sql(F.row_number().over(w)),
                         "row_number() OVER (PARTITION BY k ORDER BY t)")
        self.assertEqual(sql(F.ntile(4)), "ntile(4)")
        self.assertEqual(sql(F.lag("a")), "lag(a, 1, NULL)")
        self.assertEqual(sql(F.lag("a", 2, 0)), "lag(a, 2, 0)")
        self.assertEqual(sql(F.lead("s", default="none")), "lead(s, 1, 'none')")
        self.assertEqual(sql(F.nth_value("a", 2)), "nth_value(a, 2)")
        self.assertEqual(sql(F.nth_value("a", 2, ignoreNulls=True)), "nth_value(a, 2, true)")
        self.assertEqual(sql(F.dense_rank()), "dense_rank()")


class MiscFunctionsTest(unittest.TestCase):
    def test_hashes_and_misc(self):
        self.assertEqual(sql(F.hash("a", "b")), "hash(a, b)")
        self.assertEqual(sql(F.sha2("s", 256)), "sha2(s, 256)")
        with self.assertRaises(errors.PySparkValueError):
            F.sha2("s", 100)
        self.assertEqual(sql(F.aes_encrypt("s", "k")),
                         "aes_encrypt(s, k, 'GCM', 'DEFAULT', '', '')")
        self.assertEqual(sql(F.assert_true(F.col("a") > 0, "bad")), "assert_true((a > 0), 'bad')")
        self.assertEqual(sql(F.raise_error("boom")), "raise_error('boom')")
        self.assertEqual(sql(F.call_function("upper", "s")), "upper(s)")
        self.assertEqual(sql(F.current_user()), "current_user()")

    def test_unsupported_functions_refuse(self):
        for call in (lambda: F.product("x"), lambda: F.sentences("s"),
                     lambda: F.from_csv("s", "a INT"), lambda: F.to_csv("st"),
                     lambda: F.xpath("x", F.lit("/a")), lambda: F.years("ts"),
                     lambda: F.bucket(4, "a"), lambda: F.unwrap_udt("u")):
            with self.assertRaises(errors.PySparkNotImplementedError) as caught:
                call()
            self.assertIn("pyspark.sql.functions.", str(caught.exception))


class ModuleTest(unittest.TestCase):
    def test_star_import_shadows_builtins(self):
        namespace = {}
        exec("from pyspark.sql.functions import *", namespace)
        for name in ("sum", "min", "max", "abs", "round", "filter", "pow", "hash"):
            self.assertIn(name, namespace)
            self.assertIsNot(namespace[name], getattr(builtins, name))
        self.assertNotIn("_to_column", namespace)

    def test_all_lists_callables(self):
        self.assertEqual(len(F.__all__), len(set(F.__all__)))
        for name in F.__all__:
            self.assertTrue(callable(getattr(F, name)), name)
        self.assertIsInstance(F.col("a"), Column)


if __name__ == "__main__":
    unittest.main()
