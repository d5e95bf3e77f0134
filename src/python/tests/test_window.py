"""Tests of pyspark.sql.window. Run from src/python with lib on sys.path."""

import sys
import unittest

from pyspark.sql.column import Column
from pyspark.sql.window import Window, WindowSpec


def col(name):
    return Column(name)


class WindowTest(unittest.TestCase):
    def test_constants(self):
        self.assertEqual(Window.unboundedPreceding, -(1 << 63))
        self.assertEqual(Window.unboundedFollowing, (1 << 63) - 1)
        self.assertEqual(Window.currentRow, 0)
        self.assertEqual(Window._PRECEDING_THRESHOLD, max(-sys.maxsize, -(1 << 63)))
        self.assertEqual(Window._FOLLOWING_THRESHOLD, min(sys.maxsize, (1 << 63) - 1))

    def test_partition_and_order(self):
        spec = Window.partitionBy("a", col("b")).orderBy(col("c").desc(), "d")
        self.assertIsInstance(spec, WindowSpec)
        self.assertEqual(spec._spec_sql(), "PARTITION BY a, b ORDER BY c DESC, d")
        self.assertEqual(Window.orderBy(["x", col("y").asc_nulls_last()])._spec_sql(),
                         "ORDER BY x, y ASC NULLS LAST")
        self.assertEqual(Window.partitionBy(["p", "q"])._spec_sql(), "PARTITION BY p, q")
        self.assertEqual(Window.partitionBy("select")._spec_sql(), "PARTITION BY `select`")
        self.assertEqual(Window.partitionBy()._spec_sql(), "")

    def test_rows_frames(self):
        base = Window.partitionBy("a").orderBy("b")
        self.assertEqual(
            base.rowsBetween(Window.unboundedPreceding, Window.currentRow)._spec_sql(),
            "PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
        self.assertEqual(base.rowsBetween(-2, 3)._spec_sql(),
                         "PARTITION BY a ORDER BY b ROWS BETWEEN 2 PRECEDING AND 3 FOLLOWING")
        self.assertEqual(base.rowsBetween(0, Window.unboundedFollowing)._spec_sql(),
                         "PARTITION BY a ORDER BY b ROWS BETWEEN CURRENT ROW AND "
                         "UNBOUNDED FOLLOWING")
        self.assertEqual(Window.rowsBetween(1, 2)._spec_sql(),
                         "ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING")

    def test_range_frames(self):
        spec = Window.orderBy("t").rangeBetween(-3, 3)
        self.assertEqual(spec._spec_sql(), "ORDER BY t RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING")
        self.assertEqual(Window.rangeBetween(-5, 0).orderBy("t")._spec_sql(),
                         "ORDER BY t RANGE BETWEEN 5 PRECEDING AND CURRENT ROW")

    def test_thresholds(self):
        spec = Window.orderBy("t").rowsBetween(-sys.maxsize, sys.maxsize)
        self.assertEqual(spec._spec_sql(),
                         "ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING")
        spec = Window.orderBy("t").rowsBetween(-(1 << 70), 1 << 70)
        self.assertEqual(spec._frame, ("ROWS", Window.unboundedPreceding,
                                       Window.unboundedFollowing))
        spec = Window.orderBy("t").rowsBetween(-sys.maxsize + 1, 0)
        self.assertEqual(spec._spec_sql(),
                         "ORDER BY t ROWS BETWEEN %d PRECEDING AND CURRENT ROW"
                         % (sys.maxsize - 1))

    def test_no_frame_with_order(self):
        self.assertEqual(Window.orderBy("t")._spec_sql(), "ORDER BY t")

    def test_immutable(self):
        base = Window.partitionBy("a")
        ordered = base.orderBy("b")
        framed = ordered.rowsBetween(-1, 0)
        self.assertEqual(base._spec_sql(), "PARTITION BY a")
        self.assertEqual(ordered._spec_sql(), "PARTITION BY a ORDER BY b")
        self.assertEqual(framed.partitionBy("z")._spec_sql(),
                         "PARTITION BY z ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW")
        self.assertEqual(framed._spec_sql(),
                         "PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW")

    def test_over(self):
        spec = Window.partitionBy("a").orderBy(col("b").desc())
        self.assertEqual(col("rank()").over(spec)._sql,
                         "rank() OVER (PARTITION BY a ORDER BY b DESC)")
        self.assertEqual(col("count(1)").over()._sql, "count(1) OVER ()")

    def test_bad_bounds(self):
        with self.assertRaises(TypeError):
            Window.rowsBetween(-1.5, 0)
        with self.assertRaises(TypeError):
            Window.orderBy("t").rangeBetween("a", 0)


if __name__ == "__main__":
    unittest.main()
