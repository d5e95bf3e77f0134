"""pyspark.sql.functions, part 1: column references and literals, conditionals,
predicates, sort orders, math and bitwise functions."""

import warnings as _warnings

from _sluice_py import errors as _errors
from _sluice_py.functions_core import (
    call, col_sql, expr_column, float_or_col_sql, fn, int_or_col_sql, lit_sql)
from _sluice_py.sqltext import column_reference
from pyspark.sql.column import Column, _literal_sql, _to_column

__all__ = [
    # normal functions
    "col", "column", "lit", "expr", "broadcast", "coalesce", "greatest", "least", "when",
    "input_file_name", "monotonically_increasing_id", "spark_partition_id", "rand", "randn",
    # predicates and null handling
    "isnan", "isnull", "isnotnull", "nanvl", "ifnull", "nullif", "nvl", "nvl2",
    "equal_null",
    # sort orders
    "asc", "asc_nulls_first", "asc_nulls_last", "desc", "desc_nulls_first",
    "desc_nulls_last",
    # math
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "bin", "bround",
    "cbrt", "ceil", "ceiling", "conv", "cos", "cosh", "cot", "csc", "degrees", "e", "exp",
    "expm1", "factorial", "floor", "hex", "hypot", "ln", "log", "log10", "log1p", "log2",
    "negate", "negative", "pi", "pmod", "positive", "pow", "power", "radians", "rint",
    "round", "sec", "sign", "signum", "sin", "sinh", "sqrt", "tan", "tanh", "toDegrees",
    "toRadians", "try_add", "try_divide", "try_multiply", "try_subtract", "unhex",
    "width_bucket",
    # bitwise
    "bit_count", "bit_get", "bitwiseNOT", "bitwise_not", "getbit", "shiftLeft", "shiftRight",
    "shiftRightUnsigned", "shiftleft", "shiftright", "shiftrightunsigned",
]


def _deprecated(new):
    _warnings.warn("Deprecated in 3.4, use %s instead." % new, FutureWarning, stacklevel=3)


# --- normal functions -----------------------------------------------------------------------

def col(col):
    """The column named `col` (`a`, `t.a`, `s.field`, `*`, `t.*`)."""
    if not isinstance(col, str):
        raise _errors.PySparkTypeError(
            "[NOT_STR] Argument `col` should be a str, got %s." % type(col).__name__)
    return Column(column_reference(col))


column = col


def lit(col):
    """A literal of a Python value; a Column is returned as it is, a list becomes an
    array of literals."""
    if isinstance(col, Column):
        return col
    if isinstance(col, list) and any(isinstance(c, Column) for c in col):
        raise _errors.PySparkValueError(
            "[COLUMN_IN_LIST] lit does not allow a column in a list.")
    return Column(_literal_sql(col))


def expr(str):
    """The Spark SQL expression written in `str` (parenthesized when it is not a single
    operand; a trailing `AS name` becomes the alias)."""
    if not isinstance(str, type("")):
        raise _errors.PySparkTypeError(
            "[NOT_STR] Argument `str` should be a str, got %s." % type(str).__name__)
    return expr_column(str)


def broadcast(df):
    """Marks `df` for a broadcast join: a hint only, so the DataFrame is returned as it is."""
    return df


def coalesce(*cols):
    """The first non-NULL value among `cols`."""
    return fn("coalesce", *cols)


def _at_least_two(name, cols):
    if len(cols) < 2:
        raise _errors.PySparkValueError(
            "[WRONG_NUM_COLUMNS] Function `%s` should take at least 2 columns." % name)


def greatest(*cols):
    """The greatest value of `cols`, skipping NULLs (at least two columns)."""
    _at_least_two("greatest", cols)
    return fn("greatest", *cols)


def least(*cols):
    """The least value of `cols`, skipping NULLs (at least two columns)."""
    _at_least_two("least", cols)
    return fn("least", *cols)


def when(condition, value):
    """CASE WHEN condition THEN value; chain .when() and .otherwise() on the result.
    `value` is a Column or a literal (a str is a string)."""
    if not isinstance(condition, Column):
        raise _errors.PySparkTypeError(
            "[NOT_COLUMN] Argument `condition` should be a Column, got %s."
            % type(condition).__name__)
    return Column._case([(condition._sql, lit_sql(value))], None)


def input_file_name():
    """The path of the file the current row was read from."""
    return call("input_file_name")


def monotonically_increasing_id():
    """Increasing, unique 64-bit ids (not consecutive)."""
    return call("monotonically_increasing_id")


def spark_partition_id():
    """The id of the partition of the current row."""
    return call("spark_partition_id")


def rand(seed=None):
    """Uniform random numbers in [0, 1)."""
    return call("rand") if seed is None else call("rand", _literal_sql(seed))


def randn(seed=None):
    """Standard normal random numbers."""
    return call("randn") if seed is None else call("randn", _literal_sql(seed))


# --- predicates and null handling -----------------------------------------------------------

def isnan(col):
    """Whether `col` is NaN."""
    return fn("isnan", col)


def isnull(col):
    """Whether `col` is NULL."""
    return fn("isnull", col)


def isnotnull(col):
    """Whether `col` is not NULL."""
    return fn("isnotnull", col)


def nanvl(col1, col2):
    """`col1` unless it is NaN, then `col2`."""
    return fn("nanvl", col1, col2)


def ifnull(col1, col2):
    """`col2` when `col1` is NULL, else `col1`."""
    return fn("ifnull", col1, col2)


def nullif(col1, col2):
    """NULL when `col1` equals `col2`, else `col1`."""
    return fn("nullif", col1, col2)


def nvl(col1, col2):
    """`col2` when `col1` is NULL, else `col1`."""
    return fn("nvl", col1, col2)


def nvl2(col1, col2, col3):
    """`col2` when `col1` is not NULL, else `col3`."""
    return fn("nvl2", col1, col2, col3)


def equal_null(col1, col2):
    """Equality where two NULLs are equal (like <=>)."""
    return fn("equal_null", col1, col2)


# --- sort orders ------------------------------------------------------------------------------

def asc(col):
    """Ascending order of `col`."""
    return _to_column(col).asc()


def asc_nulls_first(col):
    """Ascending order of `col`, NULLs first."""
    return _to_column(col).asc_nulls_first()


def asc_nulls_last(col):
    """Ascending order of `col`, NULLs last."""
    return _to_column(col).asc_nulls_last()


def desc(col):
    """Descending order of `col`."""
    return _to_column(col).desc()


def desc_nulls_first(col):
    """Descending order of `col`, NULLs first."""
    return _to_column(col).desc_nulls_first()


def desc_nulls_last(col):
    """Descending order of `col`, NULLs last."""
    return _to_column(col).desc_nulls_last()


# --- math -----------------------------------------------------------------------------------
# Angles are in radians. atan2, hypot, pow and pmod take numbers for either argument, as
# DOUBLE literals (PySpark converts them with float()).

def abs(col):
    """Absolute value."""
    return fn("abs", col)


def acos(col):
    """Inverse cosine."""
    return fn("acos", col)


def acosh(col):
    """Inverse hyperbolic cosine."""
    return fn("acosh", col)


def asin(col):
    """Inverse sine."""
    return fn("asin", col)


def asinh(col):
    """Inverse hyperbolic sine."""
    return fn("asinh", col)


def atan(col):
    """Inverse tangent."""
    return fn("atan", col)


def atan2(col1, col2):
    """The angle of the point (col2, col1) from the x axis."""
    return call("atan2", float_or_col_sql(col1, "col1"), float_or_col_sql(col2, "col2"))


def atanh(col):
    """Inverse hyperbolic tangent."""
    return fn("atanh", col)


def bin(col):
    """The binary digits of a number, as a string."""
    return fn("bin", col)


def bround(col, scale=0):
    """`col` rounded to `scale` decimal places, half to even."""
    return call("bround", col_sql(col), lit_sql(scale))


def cbrt(col):
    """Cube root."""
    return fn("cbrt", col)


def ceil(col):
    """The smallest integer not below `col`."""
    return fn("ceil", col)


def ceiling(col):
    """The smallest integer not below `col`."""
    return fn("ceiling", col)


def conv(col, fromBase, toBase):
    """The digits of a number string converted from base `fromBase` to `toBase`."""
    return call("conv", col_sql(col), _literal_sql(fromBase), _literal_sql(toBase))


def cos(col):
    """Cosine."""
    return fn("cos", col)


def cosh(col):
    """Hyperbolic cosine."""
    return fn("cosh", col)


def cot(col):
    """Cotangent."""
    return fn("cot", col)


def csc(col):
    """Cosecant."""
    return fn("csc", col)


def degrees(col):
    """Radians converted to degrees."""
    return fn("degrees", col)


def e():
    """Euler's number."""
    return call("e")


def exp(col):
    """e raised to `col`."""
    return fn("exp", col)


def expm1(col):
    """exp(col) - 1."""
    return fn("expm1", col)


def factorial(col):
    """Factorial (0 to 20, else NULL)."""
    return fn("factorial", col)


def floor(col):
    """The largest integer not above `col`."""
    return fn("floor", col)


def hex(col):
    """Hexadecimal digits of a number, string or binary."""
    return fn("hex", col)


def hypot(col1, col2):
    """sqrt(col1^2 + col2^2) without intermediate overflow."""
    return call("hypot", float_or_col_sql(col1, "col1"), float_or_col_sql(col2, "col2"))


def ln(col):
    """Natural logarithm."""
    return fn("ln", col)


def log(arg1, arg2=None):
    """log(col) is the natural logarithm; log(base, col) the logarithm in `base`."""
    if arg2 is None:
        return fn("ln", arg1)
    base = arg1._sql if isinstance(arg1, Column) else _literal_sql(float(arg1))
    return call("log", base, col_sql(arg2, "arg2"))


def log10(col):
    """Base-10 logarithm."""
    return fn("log10", col)


def log1p(col):
    """ln(1 + col)."""
    return fn("log1p", col)


def log2(col):
    """Base-2 logarithm."""
    return fn("log2", col)


def negative(col):
    """-col."""
    return fn("negative", col)


negate = negative


def pi():
    """The number pi."""
    return call("pi")


def pmod(dividend, divisor):
    """The positive remainder of dividend / divisor."""
    return call("pmod", float_or_col_sql(dividend, "dividend"),
                float_or_col_sql(divisor, "divisor"))


def positive(col):
    """col itself (unary plus)."""
    return fn("positive", col)


def pow(col1, col2):
    """col1 raised to col2."""
    return call("power", float_or_col_sql(col1, "col1"), float_or_col_sql(col2, "col2"))


power = pow


def radians(col):
    """Degrees converted to radians."""
    return fn("radians", col)


def rint(col):
    """The double closest to `col` that is an integer (half to even)."""
    return fn("rint", col)


def round(col, scale=0):
    """`col` rounded to `scale` decimal places, half away from zero."""
    return call("round", col_sql(col), lit_sql(scale))


def sec(col):
    """Secant."""
    return fn("sec", col)


def sign(col):
    """-1.0, 0.0 or 1.0 by the sign of `col`."""
    return fn("sign", col)


def signum(col):
    """-1.0, 0.0 or 1.0 by the sign of `col`."""
    return fn("signum", col)


def sin(col):
    """Sine."""
    return fn("sin", col)


def sinh(col):
    """Hyperbolic sine."""
    return fn("sinh", col)


def sqrt(col):
    """Square root."""
    return fn("sqrt", col)


def tan(col):
    """Tangent."""
    return fn("tan", col)


def tanh(col):
    """Hyperbolic tangent."""
    return fn("tanh", col)


def toDegrees(col):
    """Deprecated name of degrees()."""
    _deprecated("degrees")
    return degrees(col)


def toRadians(col):
    """Deprecated name of radians()."""
    _deprecated("radians")
    return radians(col)


def try_add(left, right):
    """left + right, NULL on overflow."""
    return fn("try_add", left, right)


def try_divide(left, right):
    """left / right, NULL when right is 0."""
    return fn("try_divide", left, right)


def try_multiply(left, right):
    """left * right, NULL on overflow."""
    return fn("try_multiply", left, right)


def try_subtract(left, right):
    """left - right, NULL on overflow."""
    return fn("try_subtract", left, right)


def unhex(col):
    """The bytes written as hexadecimal digits in `col`."""
    return fn("unhex", col)


def width_bucket(v, min, max, numBucket):
    """The bucket of `v` among `numBucket` equal buckets between `min` and `max`."""
    return call("width_bucket", col_sql(v, "v"), col_sql(min, "min"), col_sql(max, "max"),
                int_or_col_sql(numBucket, "numBucket"))


# --- bitwise ----------------------------------------------------------------------------------

def bit_count(col):
    """The number of bits set."""
    return fn("bit_count", col)


def bit_get(col, pos):
    """The bit (0 or 1) at position `pos`, counted from the right from 0."""
    return fn("bit_get", col, pos)


def getbit(col, pos):
    """The bit (0 or 1) at position `pos`, counted from the right from 0."""
    return fn("getbit", col, pos)


def bitwise_not(col):
    """Bitwise NOT: Spark SQL's ~ operator."""
    return Column("~" + col_sql(col))


def bitwiseNOT(col):
    """Deprecated name of bitwise_not()."""
    _deprecated("bitwise_not")
    return bitwise_not(col)


def shiftleft(col, numBits):
    """col << numBits."""
    return call("shiftleft", col_sql(col), lit_sql(numBits))


def shiftright(col, numBits):
    """col >> numBits (signed)."""
    return call("shiftright", col_sql(col), lit_sql(numBits))


def shiftrightunsigned(col, numBits):
    """col >>> numBits (unsigned)."""
    return call("shiftrightunsigned", col_sql(col), lit_sql(numBits))


def shiftLeft(col, numBits):
    """Deprecated name of shiftleft()."""
    _deprecated("shiftleft")
    return shiftleft(col, numBits)


def shiftRight(col, numBits):
    """Deprecated name of shiftright()."""
    _deprecated("shiftright")
    return shiftright(col, numBits)


def shiftRightUnsigned(col, numBits):
    """Deprecated name of shiftrightunsigned()."""
    _deprecated("shiftrightunsigned")
    return shiftrightunsigned(col, numBits)
