"""Tests of the DataFrame compiler (pyspark.sql.dataframe): the Spark SQL each method
builds. DataFrames here come from createDataFrame, whose columns are known without a
pipeline, so no step needs to bind a query."""

import unittest

import pyspark.sql.functions as F
from _sluice_py import errors
from pyspark.sql import dataframe as D
from pyspark.sql.column import Column
from pyspark.sql.session import SparkSession


def session():
    return SparkSession({})


def frame(schema="id INT, name STRING, v DOUBLE"):
    return session().createDataFrame([], schema)


def table(names=("id", "name", "v"), name="t"):
    """A DataFrame reading table `name`, whose columns are `names`."""
    return D.DataFrame._from_source(session(), name, False, names=list(names))


def lines(df):
    """The query's SQL with the subquery aliases (which number DataFrames) made _N."""
    import re
    return [re.sub(r"\bAS _u?[0-9]+\b", "AS _N", line) for line in df._sql().split("\n")]


def select_list(df):
    return [text for text, _ in df._select.items]


class HelpersTest(unittest.TestCase):
    def test_unique_names(self):
        self.assertEqual(D._unique_names(["a", "b"]), ["a", "b"])
        self.assertEqual(D._unique_names(["id", "ID", "x"]), ["id", "ID_2", "x"])
        # A suffix never takes a name that another column has.
        self.assertEqual(D._unique_names(["a", "a", "a_2"]), ["a", "a_3", "a_2"])

    def test_item_text(self):
        self.assertEqual(D._item_text("id", "id"), "id")
        self.assertEqual(D._item_text("id", "_l3.id"), "_l3.id")
        self.assertEqual(D._item_text("n", "_l3.id"), "_l3.id AS n")
        self.assertEqual(D._item_text("x y", "(a + 1)"), "(a + 1) AS `x y`")

    def test_descending(self):
        self.assertEqual(D._descending("a"), "a DESC")
        self.assertEqual(D._descending("a DESC NULLS FIRST"), "a DESC NULLS FIRST")
        self.assertEqual(D._descending("a ASC"), "a ASC")

    def test_words(self):
        self.assertEqual(D._words("upper(`a b`) + x_1"), {"upper", "a b", "x_1"})


class ProjectionTest(unittest.TestCase):
    def test_select_names_known_only_when_evident(self):
        df = frame()
        self.assertEqual(df.select("id", F.col("v").alias("w")).columns, ["id", "w"])
        # A name in another case takes the column's spelling, which needs binding.
        self.assertIsNone(df.select("ID")._names)
        self.assertIsNone(df.select(F.col("v") + 1)._names)

    def test_select_expr_takes_aliases(self):
        df = frame().selectExpr("id AS key", "v * 2")
        self.assertEqual(select_list(df), ["id AS key", "(v * 2)"])
        with self.assertRaises(errors.ParseException):
            frame().selectExpr("id +")

    def test_with_column_new_and_replaced(self):
        df = frame().withColumn("x", F.lit(1))
        self.assertEqual(select_list(df), ["*", "1 AS x"])
        self.assertEqual(df.columns, ["id", "name", "v", "x"])
        df = frame().withColumn("NAME", F.upper("name"))
        self.assertEqual(df.columns, ["id", "NAME", "v"])
        self.assertEqual(select_list(df)[1], "upper(name) AS NAME")
        with self.assertRaises(errors.PySparkTypeError):
            frame().withColumn("x", 1)

    def test_renames(self):
        df = frame().withColumnsRenamed({"ID": "key", "missing": "m"})
        self.assertEqual(df.columns, ["key", "name", "v"])
        self.assertEqual(select_list(df), ["id AS key", "name", "v"])
        self.assertEqual(select_list(table().withColumnRenamed("v", "w")), ["id", "name", "v AS w"])
        same = frame()
        self.assertIs(same.withColumnRenamed("nothing", "x"), same)
        self.assertEqual(frame().toDF("a", "b", "c").columns, ["a", "b", "c"])
        with self.assertRaises(errors.AnalysisException):
            frame().toDF("a")

    def test_drop(self):
        df = frame()
        self.assertEqual(df.drop("NAME", "nope").columns, ["id", "v"])
        self.assertEqual(df.drop(df["v"]).columns, ["id", "name"])
        self.assertIs(df.drop(F.col("v") + 1), df)  # an expression drops nothing
        with self.assertRaises(errors.PySparkTypeError):
            df.drop(1)

    def test_order_by_not_folded_under_a_shadowing_alias(self):
        df = table().orderBy("id").select(F.col("v").alias("id"))
        self.assertIn("ORDER BY", df._sql())
        self.assertEqual(df._select.order, [])  # the ORDER BY stayed in the subquery
        folded = table().orderBy("id").select(F.col("v").alias("w"))
        self.assertEqual([t for t, _ in folded._select.order], ["id"])

    def test_order_by_ascending(self):
        df = frame().orderBy("id", "v", ascending=[True, False])
        self.assertEqual([t for t, _ in df._select.order], ["id", "v DESC"])
        df = frame().orderBy(F.col("id").desc_nulls_first(), ascending=False)
        self.assertEqual([t for t, _ in df._select.order], ["id DESC NULLS FIRST"])
        with self.assertRaises(errors.PySparkValueError):
            frame().orderBy()


class JoinTest(unittest.TestCase):
    def setUp(self):
        self.a = table(["id", "name"], "a")
        self.b = table(["id", "w"], "b")

    def test_using_join_output(self):
        joined = self.a.join(self.b, "id", "right")
        self.assertEqual([c[0] for c in joined._join.output()], ["id", "name", "w"])
        self.assertIn("RIGHT OUTER JOIN", joined._sql())
        self.assertIn("USING (id)", joined._sql())

    def test_condition_join_keeps_both_sides(self):
        a, b = self.a, self.b
        joined = a.join(b, a.id == b["id"])
        refs = [c[1] for c in joined._join.output()]
        self.assertEqual(len(refs), 4)
        dropped = joined.drop(b.id)
        self.assertEqual(dropped.columns, ["id", "name", "w"])
        self.assertTrue(select_list(dropped)[0].endswith(".id"))
        self.assertNotEqual(select_list(dropped)[0].split(".")[0],
                            select_list(dropped)[2].split(".")[0])

    def test_new_column_keeps_sides_apart(self):
        a, b = self.a, self.b
        df = a.join(b, a.id == b.id).withColumn("x", F.lit(1)).drop(b.id)
        self.assertEqual(df.columns, ["id", "name", "w", "x"])
        self.assertEqual(len(select_list(df)), 4)
        self.assertRegex(select_list(df)[0], r"^_l\d+\.id$")

    def test_join_types(self):
        self.assertIn("LEFT SEMI JOIN", self.a.join(self.b, "id", "LeftSemi")._sql())
        self.assertIn("FULL OUTER JOIN", self.a.join(self.b, "id", "full_outer")._sql())
        self.assertIn("CROSS JOIN", self.a.join(self.b)._sql())
        cross_on = self.a.join(self.b, self.a.id == self.b.id, "cross")._sql()
        self.assertNotIn("CROSS", cross_on)
        with self.assertRaises(errors.PySparkValueError):
            self.a.join(self.b, "id", "sideways")

    def test_list_of_conditions_is_their_and(self):
        a, b = self.a, self.b
        text = a.join(b, [a.id == b.id, b.w > 1])._sql()
        self.assertRegex(text, r"ON \(\(_l\d+\.id = _r\d+\.id\) AND \(_r\d+\.w > 1\)\)")


class SetOperationTest(unittest.TestCase):
    def test_limited_operand_in_parentheses(self):
        a = table(["x"])
        self.assertEqual(lines(a.limit(1).union(a)), [
            "SELECT *", "FROM", "  (", "    (", "      SELECT *", "      FROM", "        t",
            "      LIMIT 1", "    )", "  UNION ALL", "    SELECT *", "    FROM", "      t",
            "  ) AS _N"])

    def test_union_keeps_the_left_columns(self):
        a, b = table(["x"], "a"), table(["x"], "b")
        self.assertEqual(select_list(a.union(b).select(a["x"])), ["x"])
        with self.assertRaises(errors.AnalysisException):
            a.union(b).select(b["x"])

    def test_union_by_name_errors(self):
        s = session()
        a = s.createDataFrame([], "id INT, name STRING")
        with self.assertRaises(errors.AnalysisException):
            a.unionByName(s.createDataFrame([], "id INT"))
        with self.assertRaises(errors.AnalysisException):
            a.unionByName(s.createDataFrame([], "id INT, other STRING"))
        both = a.unionByName(s.createDataFrame([], "x INT"), allowMissingColumns=True)
        self.assertEqual(both.columns, ["id", "name", "x"])


class NaTest(unittest.TestCase):
    """Fill, drop and replace need column types: they are given here as the schema that
    binding would find."""

    def typed(self):
        from pyspark.sql.types import _parse_datatype_string
        df = table(["i", "s", "d", "b"])
        df._schema = _parse_datatype_string("i INT, s STRING, d DOUBLE, b BOOLEAN")
        return df

    def test_fill_number(self):
        df = self.typed().fillna(0)
        self.assertEqual(select_list(df), [
            "coalesce(i, CAST(0.0D AS INT)) AS i", "s", "coalesce(nanvl(d, NULL), 0.0D) AS d", "b"])

    def test_fill_dict_casts(self):
        df = self.typed().fillna({"s": 7, "b": True})
        self.assertEqual(select_list(df)[1], "coalesce(s, CAST(7 AS STRING)) AS s")
        self.assertEqual(select_list(df)[3], "coalesce(b, true) AS b")
        with self.assertRaises(errors.AnalysisException):
            self.typed().fillna({"nope": 1})
        with self.assertRaises(errors.PySparkTypeError):
            self.typed().fillna([1])

    def test_drop(self):
        df = self.typed().dropna(subset=["i", "d"])
        self.assertEqual(df._select.where[0][0], "i IS NOT NULL AND (d IS NOT NULL AND NOT isnan(d))")
        df = self.typed().dropna(thresh=2, subset=["i", "s", "d"])
        self.assertIn(">= 2", df._select.where[0][0])
        with self.assertRaises(errors.PySparkValueError):
            self.typed().dropna(how="some")

    def test_replace(self):
        df = self.typed().replace(1, 2)
        self.assertEqual(select_list(df)[0],
                         "CASE i WHEN 1.0D THEN CAST(2.0D AS INT) ELSE i END AS i")
        with self.assertRaises(errors.PySparkValueError):
            self.typed().replace({1: "a"})
        with self.assertRaises(errors.PySparkTypeError):
            self.typed().replace("a")


class GroupTest(unittest.TestCase):
    def test_dict_aggregates(self):
        df = frame().groupBy("name").agg({"v": "mean", "*": "count", "id": "stddev_pop"})
        self.assertEqual(select_list(df), ["name", "avg(v)", "count(1)", "stddev_pop(id)"])

    def test_count_is_named_count(self):
        self.assertEqual(select_list(frame().groupBy("name").count()), ["name", "count(1) AS count"])


class CreateDataFrameTest(unittest.TestCase):
    def test_inferred_and_verified(self):
        df = session().createDataFrame([(1, "a"), (2, None)], ["n", "s"])
        self.assertEqual(df.columns, ["n", "s"])
        self.assertEqual(select_list(df), ["CAST(col1 AS BIGINT) AS n", "CAST(col2 AS STRING) AS s"])
        with self.assertRaises(errors.PySparkTypeError):
            session().createDataFrame([(1,)], "d DOUBLE")
        with self.assertRaises(errors.PySparkValueError):
            session().createDataFrame([(None,)], "n INT NOT NULL")
        with self.assertRaises(errors.PySparkValueError):
            session().createDataFrame([(None,)], ["n"])

    def test_values_one_row_a_line(self):
        df = session().createDataFrame([(1,), (2,)], "n INT")
        self.assertEqual(lines(df), [
            "SELECT", "  CAST(col1 AS INT) AS n", "FROM", "  VALUES", "    (1),", "    (2)",
            "  AS _data(col1)"])


class ColumnTest(unittest.TestCase):
    def test_extraction_is_one_subscript(self):
        c = F.col("s")
        self.assertEqual(c.getField("a")._sql, "s['a']")
        self.assertEqual(c.getItem(0)._sql, "s[0]")
        self.assertEqual(c["k"]._sql, "s['k']")
        self.assertEqual(c.a._sql, "s['a']")

    def test_between_is_two_comparisons(self):
        self.assertEqual(F.col("a").between(1, 2)._sql, "((a >= 1) AND (a <= 2))")

    def test_no_bool(self):
        with self.assertRaises(errors.PySparkValueError):
            bool(F.col("a"))
        self.assertIsInstance(F.col("a") == 1, Column)


if __name__ == "__main__":
    unittest.main()
