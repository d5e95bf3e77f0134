"""pyspark.sql.window: window specifications, kept as the Spark SQL text inside OVER (...).

A WindowSpec is immutable: partitionBy, orderBy, rowsBetween and rangeBetween each return a
new spec that replaces that one part, as Spark's WindowSpec does.
"""

import sys

from _sluice_py import errors as _errors

__all__ = ["Window", "WindowSpec"]


def _column_texts(cols):
    """The SQL texts of columns given as Columns or names, or as one list of them."""
    from pyspark.sql.column import _to_column
    if len(cols) == 1 and isinstance(cols[0], list):
        cols = cols[0]
    return tuple(_to_column(c)._sql for c in cols)


def _check_bound(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise _errors.PySparkTypeError(
            "[NOT_INT] Argument `%s` should be an int, got %s." % (name, type(value).__name__))


class Window:
    """Makes WindowSpecs. Frame bounds are offsets from the current row: negative values
    precede it, positive follow, 0 is the current row. A start at or below
    _PRECEDING_THRESHOLD is unbounded preceding and an end at or above
    _FOLLOWING_THRESHOLD unbounded following (PySpark's thresholds).

    Without an ORDER BY, Spark's default frame is the whole partition; with one, it is
    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW. A spec with no frame set leaves that
    default to Spark."""

    _JAVA_MIN_LONG = -(1 << 63)
    _JAVA_MAX_LONG = (1 << 63) - 1
    _PRECEDING_THRESHOLD = max(-sys.maxsize, _JAVA_MIN_LONG)
    _FOLLOWING_THRESHOLD = min(sys.maxsize, _JAVA_MAX_LONG)

    unboundedPreceding = _JAVA_MIN_LONG
    unboundedFollowing = _JAVA_MAX_LONG
    currentRow = 0

    @staticmethod
    def partitionBy(*cols):
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start, end):
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start, end):
        return WindowSpec().rangeBetween(start, end)


class WindowSpec:
    """Partitioning, ordering and frame of a window. `_partition` and `_order` are tuples
    of SQL texts (order items keep any ASC/DESC/NULLS of their Column); `_frame` is None or
    ("ROWS" | "RANGE", start, end) with the bounds already clamped to the unbounded values."""

    __slots__ = ("_partition", "_order", "_frame")

    def __init__(self, partition=(), order=(), frame=None):
        self._partition = partition
        self._order = order
        self._frame = frame

    def partitionBy(self, *cols):
        return WindowSpec(_column_texts(cols), self._order, self._frame)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, _column_texts(cols), self._frame)

    def rowsBetween(self, start, end):
        return self._with_frame("ROWS", start, end)

    def rangeBetween(self, start, end):
        return self._with_frame("RANGE", start, end)

    def _with_frame(self, kind, start, end):
        _check_bound("start", start)
        _check_bound("end", end)
        if start <= Window._PRECEDING_THRESHOLD:
            start = Window.unboundedPreceding
        if end >= Window._FOLLOWING_THRESHOLD:
            end = Window.unboundedFollowing
        return WindowSpec(self._partition, self._order, (kind, start, end))

    def _spec_sql(self):
        """The text inside OVER (...), e.g. `PARTITION BY a ORDER BY b DESC ROWS BETWEEN
        UNBOUNDED PRECEDING AND CURRENT ROW`; empty for an empty spec."""
        parts = []
        if self._partition:
            parts.append("PARTITION BY " + ", ".join(self._partition))
        if self._order:
            parts.append("ORDER BY " + ", ".join(self._order))
        if self._frame is not None:
            kind, start, end = self._frame
            parts.append("%s BETWEEN %s AND %s" % (kind, _start_sql(start), _end_sql(end)))
        return " ".join(parts)

    def __repr__(self):
        return "WindowSpec<%s>" % self._spec_sql()


# As Spark's Window: only the extreme longs are unbounded (the start's minimum, the end's
# maximum); every other value is an offset.
def _start_sql(value):
    if value == Window.unboundedPreceding:
        return "UNBOUNDED PRECEDING"
    return _offset_sql(value)


def _end_sql(value):
    if value == Window.unboundedFollowing:
        return "UNBOUNDED FOLLOWING"
    return _offset_sql(value)


def _offset_sql(value):
    if value == 0:
        return "CURRENT ROW"
    if value < 0:
        return "%d PRECEDING" % -value
    return "%d FOLLOWING" % value
