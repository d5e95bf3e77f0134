"""pyspark.sql.Column: an expression, kept as Spark SQL text.

A Column is the Spark SQL text of one expression (``Column._sql``). Operators and methods
build new text; nothing is evaluated in Python. Columns taken from a particular DataFrame
(``df["a"]``, ``df.a``) carry a marker naming that DataFrame, which the DataFrame that
uses the column replaces by the right qualifier (or none) when it builds its query.
"""

import datetime as _datetime
import decimal as _decimal
import math as _math

from _sluice_py import errors as _errors
from _sluice_py.sqltext import quote_identifier, string_literal, column_reference

__all__ = ["Column"]


def _literal_sql(value):
    """The Spark SQL literal of a Python value, typed as PySpark's lit() types it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -(2 ** 31) <= value < 2 ** 31:
            return str(value)
        if -(2 ** 63) <= value < 2 ** 63:
            return "%dL" % value
        raise _errors.PySparkValueError(
            "[VALUE_NOT_IN_RANGE] the integer %d does not fit a LONG" % value)
    if isinstance(value, float):
        if _math.isnan(value):
            return "CAST('NaN' AS DOUBLE)"
        if _math.isinf(value):
            return "CAST('%sInfinity' AS DOUBLE)" % ("-" if value < 0 else "")
        return repr(value) + "D"
    if isinstance(value, _decimal.Decimal):
        return "%sBD" % format(value, "f")
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (bytes, bytearray)):
        return "X'%s'" % bytes(value).hex().upper()
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is not None:
            utc = value.astimezone(_datetime.timezone.utc).replace(tzinfo=None)
            return "TIMESTAMP'%s+00:00'" % utc.isoformat(sep=" ")
        return "TIMESTAMP'%s'" % value.isoformat(sep=" ")
    if isinstance(value, _datetime.date):
        return "DATE'%s'" % value.isoformat()
    if isinstance(value, (list, tuple)):
        return "array(%s)" % ", ".join(_literal_sql(v) for v in value)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            parts.append(_literal_sql(k))
            parts.append(_literal_sql(v))
        return "map(%s)" % ", ".join(parts)
    raise _errors.PySparkTypeError(
        "[UNSUPPORTED_LITERAL] lit() cannot make a literal of %s" % type(value).__name__)


def _to_column(value, strings_are_names=True):
    """A Column from a Column, a column name (str) or, when not `strings_are_names`, a
    literal of any Python value."""
    if isinstance(value, Column):
        return value
    if isinstance(value, str) and strings_are_names:
        return Column(column_reference(value))
    return Column(_literal_sql(value))


def _to_literal_or_column(value):
    """A Column from a Column, or a literal of any other value (strings included)."""
    return _to_column(value, strings_are_names=False)


def _sql_of(value, strings_are_names=False):
    return _to_column(value, strings_are_names)._sql


def _unalias(column):
    return column._sql


def _binary(op):
    def method(self, other):
        return Column("(%s %s %s)" % (self._sql, op, _sql_of(other)))
    return method


def _reflected(op):
    def method(self, other):
        return Column("(%s %s %s)" % (_sql_of(other), op, self._sql))
    return method


class Column:
    """A Spark SQL expression. ``_sql`` is its text; ``_alias``, when set, is the output
    name given by alias() (the text then does not include ``AS``)."""

    __slots__ = ("_sql", "_alias", "_metadata", "_cases", "_else")

    def __init__(self, sql, alias=None):
        self._sql = sql
        self._alias = alias
        self._metadata = None
        self._cases = None  # when() chains: [(condition, value)], and the otherwise() value
        self._else = None

    # --- how DataFrames use a column -------------------------------------------------
    def _select_item(self):
        """The text of this column as one item of a SELECT list."""
        if self._alias is None:
            return self._sql
        if isinstance(self._alias, tuple):
            return "%s AS (%s)" % (self._sql, ", ".join(quote_identifier(a) for a in self._alias))
        return "%s AS %s" % (self._sql, quote_identifier(self._alias))

    # --- arithmetic --------------------------------------------------------------------
    __add__ = _binary("+")
    __sub__ = _binary("-")
    __mul__ = _binary("*")
    __truediv__ = _binary("/")
    __div__ = __truediv__
    __mod__ = _binary("%")
    __radd__ = _reflected("+")
    __rsub__ = _reflected("-")
    __rmul__ = _reflected("*")
    __rtruediv__ = _reflected("/")
    __rdiv__ = __rtruediv__
    __rmod__ = _reflected("%")

    def __pow__(self, other):
        return Column("power(%s, %s)" % (self._sql, _sql_of(other)))

    def __rpow__(self, other):
        return Column("power(%s, %s)" % (_sql_of(other), self._sql))

    def __neg__(self):
        return Column("(- %s)" % self._sql)

    # --- comparisons and logic -----------------------------------------------------------
    __eq__ = _binary("=")
    __ne__ = _binary("!=")
    __lt__ = _binary("<")
    __le__ = _binary("<=")
    __gt__ = _binary(">")
    __ge__ = _binary(">=")
    __and__ = _binary("AND")
    __or__ = _binary("OR")
    __rand__ = _reflected("AND")
    __ror__ = _reflected("OR")

    def __invert__(self):
        return Column("(NOT %s)" % self._sql)

    def eqNullSafe(self, other):
        return Column("(%s <=> %s)" % (self._sql, _sql_of(other)))

    def bitwiseAND(self, other):
        return Column("(%s & %s)" % (self._sql, _sql_of(other)))

    def bitwiseOR(self, other):
        return Column("(%s | %s)" % (self._sql, _sql_of(other)))

    def bitwiseXOR(self, other):
        return Column("(%s ^ %s)" % (self._sql, _sql_of(other)))

    def __bool__(self):
        raise _errors.PySparkValueError(
            "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use "
            "'&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean "
            "expressions.")

    __nonzero__ = __bool__

    def __contains__(self, item):
        raise _errors.PySparkValueError(
            "[CANNOT_APPLY_IN_FOR_COLUMN] Cannot apply 'in' operator against a column: "
            "please use 'contains' in a string column or 'array_contains' function for an "
            "array column.")

    def __iter__(self):
        raise _errors.PySparkTypeError("[NOT_ITERABLE] Column is not iterable.")

    __hash__ = object.__hash__

    # --- null tests, membership, ranges ------------------------------------------------
    def isNull(self):
        return Column("(%s IS NULL)" % self._sql)

    def isNotNull(self):
        return Column("(%s IS NOT NULL)" % self._sql)

    def isNaN(self):
        return Column("isnan(%s)" % self._sql)

    def isin(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, tuple, set)):
            cols = tuple(cols[0])
        return Column("(%s IN (%s))" % (self._sql, ", ".join(_sql_of(c) for c in cols)))

    def between(self, lowerBound, upperBound):
        # Spark 3.5's Column.between is (this >= lower) AND (this <= upper), and is named so.
        return (self >= lowerBound) & (self <= upperBound)

    # --- strings -------------------------------------------------------------------------
    def like(self, other):
        return Column("(%s LIKE %s)" % (self._sql, _sql_of(other)))

    def ilike(self, other):
        return Column("(%s ILIKE %s)" % (self._sql, _sql_of(other)))

    def rlike(self, other):
        return Column("(%s RLIKE %s)" % (self._sql, _sql_of(other)))

    def contains(self, other):
        return Column("contains(%s, %s)" % (self._sql, _sql_of(other)))

    def startswith(self, other):
        return Column("startswith(%s, %s)" % (self._sql, _sql_of(other)))

    def endswith(self, other):
        return Column("endswith(%s, %s)" % (self._sql, _sql_of(other)))

    def substr(self, startPos, length):
        # Column.substr is Spark's Substring expression, named substring(...).
        if type(startPos) is not type(length) and not (
                isinstance(startPos, int) and isinstance(length, int)):
            raise _errors.PySparkTypeError(
                "[NOT_SAME_TYPE] Argument `startPos` and `length` should be the same type, got "
                "%s and %s." % (type(startPos).__name__, type(length).__name__))
        return Column("substring(%s, %s, %s)" % (self._sql, _sql_of(startPos), _sql_of(length)))

    # --- names and types -------------------------------------------------------------------
    def alias(self, *alias, **kwargs):
        metadata = kwargs.pop("metadata", None)
        if kwargs:
            raise _errors.PySparkTypeError(
                "alias() got unexpected keyword arguments: %s" % ", ".join(sorted(kwargs)))
        if not alias or not all(isinstance(a, str) for a in alias):
            raise _errors.PySparkTypeError("[NOT_STR] alias() takes one or more names as str")
        column = Column(self._sql, alias[0] if len(alias) == 1 else tuple(alias))
        column._metadata = metadata
        return column

    name = alias

    def cast(self, dataType):
        from pyspark.sql.types import DataType, _type_sql
        if isinstance(dataType, DataType):
            type_sql = _type_sql(dataType)
        elif isinstance(dataType, str):
            type_sql = dataType
        else:
            raise _errors.PySparkTypeError(
                "[NOT_DATATYPE_OR_STR] cast() takes a DataType or a type name, got %s"
                % type(dataType).__name__)
        return Column("CAST(%s AS %s)" % (self._sql, type_sql))

    astype = cast

    def try_cast(self, dataType):
        cast = self.cast(dataType)
        return Column("TRY_" + cast._sql)

    # --- conditionals ------------------------------------------------------------------------
    def when(self, condition, value):
        if self._cases is None or self._else is not None:
            raise _errors.PySparkValueError(
                "[INVALID_WHEN_USAGE] when() can only be applied on a Column previously "
                "generated by when() function, and cannot be applied once otherwise() is "
                "applied.")
        if not isinstance(condition, Column):
            raise _errors.PySparkTypeError("[NOT_COLUMN] condition should be a Column")
        return Column._case(self._cases + [(condition._sql, _sql_of(value))], None)

    def otherwise(self, value):
        if self._cases is None or self._else is not None:
            raise _errors.PySparkValueError(
                "[INVALID_WHEN_USAGE] otherwise() can only be applied on a Column previously "
                "generated by when() function, and only once.")
        return Column._case(self._cases, _sql_of(value))

    @staticmethod
    def _case(cases, otherwise):
        """CASE WHEN ... [ELSE ...] END from (condition, value) texts."""
        text = "CASE" + "".join(" WHEN %s THEN %s" % c for c in cases)
        if otherwise is not None:
            text += " ELSE " + otherwise
        column = Column(text + " END")
        column._cases = cases
        column._else = otherwise
        return column

    # --- ordering and windows ------------------------------------------------------------------
    def asc(self):
        return Column("%s ASC" % self._sql)

    def desc(self):
        return Column("%s DESC" % self._sql)

    def asc_nulls_first(self):
        return Column("%s ASC NULLS FIRST" % self._sql)

    def asc_nulls_last(self):
        return Column("%s ASC NULLS LAST" % self._sql)

    def desc_nulls_first(self):
        return Column("%s DESC NULLS FIRST" % self._sql)

    def desc_nulls_last(self):
        return Column("%s DESC NULLS LAST" % self._sql)

    def over(self, window=None):
        from pyspark.sql.window import WindowSpec
        if window is None:
            return Column("%s OVER ()" % self._sql)
        if not isinstance(window, WindowSpec):
            raise _errors.PySparkTypeError("[NOT_WINDOWSPEC] over() takes a WindowSpec")
        return Column("%s OVER (%s)" % (self._sql, window._spec_sql()))

    # --- nested values -------------------------------------------------------------------------
    def getItem(self, key):
        return self[key]

    def getField(self, name):
        return self[name]

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step is not None:
                raise _errors.PySparkValueError("[SLICE_WITH_STEP] Slice with step is not supported.")
            return self.substr(key.start, key.stop)
        # PySpark's getItem, getField and [] are all one extraction, `x[key]`: a struct's
        # field (named `s.f` by Spark), a map's value or an array's element.
        return Column("%s[%s]" % (self._sql, _sql_of(key)))

    def __getattr__(self, item):
        if item.startswith("__") or item.startswith("_"):
            raise AttributeError(item)
        return self[item]

    def withField(self, fieldName, col):
        raise _errors.unsupported("Column.withField")

    def dropFields(self, *fieldNames):
        raise _errors.unsupported("Column.dropFields")

    def __repr__(self):
        return "Column<'%s'>" % (self._select_item())
