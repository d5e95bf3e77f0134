"""pyspark.sql.functions, part 5: aggregate and window functions.

Where PySpark's function builds a Spark expression under another name than its own, the
SQL is that expression's, so that the result column gets Spark's name: mean() is avg(),
stddev() is stddev_samp(), variance() is var_samp(), count("*") is count(1)."""

import warnings as _warnings

from _sluice_py import errors as _errors
from _sluice_py.functions_core import call, col_sql, fn, lit_sql, refuse
from pyspark.sql.column import Column, _literal_sql

__all__ = [
    # aggregates
    "any_value", "approxCountDistinct", "approx_count_distinct", "approx_percentile",
    "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bitmap_construct_agg",
    "bitmap_or_agg", "bool_and", "bool_or", "collect_list", "collect_set", "corr", "count",
    "countDistinct", "count_distinct", "count_if", "count_min_sketch", "covar_pop",
    "covar_samp", "every", "first", "first_value", "grouping", "grouping_id",
    "histogram_numeric", "hll_sketch_agg", "hll_union_agg", "kurtosis", "last",
    "last_value", "max", "max_by", "mean", "median", "min", "min_by", "mode", "percentile",
    "percentile_approx", "product", "regr_avgx", "regr_avgy", "regr_count",
    "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy",
    "skewness", "some", "std", "stddev", "stddev_pop", "stddev_samp", "sum", "sumDistinct",
    "sum_distinct", "try_avg", "try_sum", "var_pop", "var_samp", "variance",
    # window functions
    "cume_dist", "dense_rank", "lag", "lead", "nth_value", "ntile", "percent_rank", "rank",
    "row_number",
]


def _distinct(name, cols):
    return Column("%s(DISTINCT %s)" % (name, ", ".join(col_sql(c) for c in cols)))


def _percentage_sql(percentage):
    """A percentage argument: a Column, a list or tuple (an array literal) or a number."""
    if isinstance(percentage, (list, tuple)):
        return _literal_sql(list(percentage))
    return lit_sql(percentage)


def _ignore_nulls(name, col, ignoreNulls):
    """name(col) or name(col, ignoreNulls) for an optional bool or Column flag."""
    if ignoreNulls is None:
        return fn(name, col)
    return call(name, col_sql(col), lit_sql(ignoreNulls))


# --- counting ---------------------------------------------------------------------------------

def count(col):
    """The number of rows where `col` is not NULL; count("*") counts all rows."""
    if (isinstance(col, str) and col == "*") or (isinstance(col, Column) and col._sql == "*"):
        return Column("count(1)")
    return fn("count", col)


def count_distinct(col, *cols):
    """The number of distinct non-NULL values (rows of values) of the columns."""
    return _distinct("count", (col,) + cols)


countDistinct = count_distinct


def approx_count_distinct(col, rsd=None):
    """The approximate number of distinct values, within relative error `rsd`."""
    if rsd is None:
        return fn("approx_count_distinct", col)
    return call("approx_count_distinct", col_sql(col), _literal_sql(float(rsd)))


def approxCountDistinct(col, rsd=None):
    """Deprecated name of approx_count_distinct()."""
    _warnings.warn("Deprecated in 3.4, use approx_count_distinct instead.", FutureWarning,
                   stacklevel=2)
    return approx_count_distinct(col, rsd)


def count_if(col):
    """The number of rows where `col` is true."""
    return fn("count_if", col)


def count_min_sketch(col, eps, confidence, seed):
    """A count-min sketch of the values, as binary."""
    return fn("count_min_sketch", col, eps, confidence, seed)


# --- sums, averages, extremes -------------------------------------------------------------------

def sum(col):
    """The sum of the values."""
    return fn("sum", col)


def sum_distinct(col):
    """The sum of the distinct values."""
    return _distinct("sum", (col,))


def sumDistinct(col):
    """Deprecated name of sum_distinct()."""
    _warnings.warn("Deprecated in 3.4, use sum_distinct instead.", FutureWarning, stacklevel=2)
    return sum_distinct(col)


def try_sum(col):
    """The sum, NULL on overflow."""
    return fn("try_sum", col)


def avg(col):
    """The mean of the values."""
    return fn("avg", col)


def mean(col):
    """The mean of the values (Spark's avg)."""
    return fn("avg", col)


def try_avg(col):
    """The mean, NULL on overflow."""
    return fn("try_avg", col)


def max(col):
    """The greatest value."""
    return fn("max", col)


def min(col):
    """The least value."""
    return fn("min", col)


def max_by(col, ord):
    """The value of `col` in the row with the greatest `ord`."""
    return fn("max_by", col, ord)


def min_by(col, ord):
    """The value of `col` in the row with the least `ord`."""
    return fn("min_by", col, ord)


def product(col):
    """The product of the values: not in sluice's catalog."""
    raise refuse("product")


# --- first, last, collections -----------------------------------------------------------------

def first(col, ignorenulls=False):
    """The first value in the order rows arrive (the first non-NULL with `ignorenulls`)."""
    if ignorenulls:
        return call("first", col_sql(col), "true")
    return fn("first", col)


def last(col, ignorenulls=False):
    """The last value in the order rows arrive (the last non-NULL with `ignorenulls`)."""
    if ignorenulls:
        return call("last", col_sql(col), "true")
    return fn("last", col)


def first_value(col, ignoreNulls=None):
    """The first value; `ignoreNulls` a bool or Column."""
    return _ignore_nulls("first_value", col, ignoreNulls)


def last_value(col, ignoreNulls=None):
    """The last value; `ignoreNulls` a bool or Column."""
    return _ignore_nulls("last_value", col, ignoreNulls)


def any_value(col, ignoreNulls=None):
    """Some value of the group; `ignoreNulls` a bool or Column."""
    return _ignore_nulls("any_value", col, ignoreNulls)


def collect_list(col):
    """The non-NULL values as an array."""
    return fn("collect_list", col)


def array_agg(col):
    """The non-NULL values as an array."""
    return fn("array_agg", col)


def collect_set(col):
    """The distinct non-NULL values as an array."""
    return fn("collect_set", col)


# --- booleans and bits ------------------------------------------------------------------------

def every(col):
    """Whether `col` is true in every row."""
    return fn("every", col)


def bool_and(col):
    """Whether `col` is true in every row."""
    return fn("bool_and", col)


def some(col):
    """Whether `col` is true in some row."""
    return fn("some", col)


def bool_or(col):
    """Whether `col` is true in some row."""
    return fn("bool_or", col)


def bit_and(col):
    """Bitwise AND of the values."""
    return fn("bit_and", col)


def bit_or(col):
    """Bitwise OR of the values."""
    return fn("bit_or", col)


def bit_xor(col):
    """Bitwise XOR of the values."""
    return fn("bit_xor", col)


# --- statistics -------------------------------------------------------------------------------

def corr(col1, col2):
    """Pearson correlation coefficient."""
    return fn("corr", col1, col2)


def covar_pop(col1, col2):
    """Population covariance."""
    return fn("covar_pop", col1, col2)


def covar_samp(col1, col2):
    """Sample covariance."""
    return fn("covar_samp", col1, col2)


def kurtosis(col):
    """Kurtosis."""
    return fn("kurtosis", col)


def skewness(col):
    """Skewness."""
    return fn("skewness", col)


def stddev(col):
    """Sample standard deviation (Spark's stddev_samp)."""
    return fn("stddev_samp", col)


def std(col):
    """Sample standard deviation."""
    return fn("std", col)


def stddev_samp(col):
    """Sample standard deviation."""
    return fn("stddev_samp", col)


def stddev_pop(col):
    """Population standard deviation."""
    return fn("stddev_pop", col)


def variance(col):
    """Sample variance (Spark's var_samp)."""
    return fn("var_samp", col)


def var_samp(col):
    """Sample variance."""
    return fn("var_samp", col)


def var_pop(col):
    """Population variance."""
    return fn("var_pop", col)


def median(col):
    """The median."""
    return fn("median", col)


def mode(col):
    """The most frequent value."""
    return fn("mode", col)


def percentile(col, percentage, frequency=1):
    """The exact percentile(s) `percentage` (a number, list or Column), each row counted
    `frequency` times."""
    if not isinstance(frequency, (int, Column)):
        raise _errors.PySparkTypeError(
            "[NOT_COLUMN_OR_INT] Argument `frequency` should be a Column or int, got %s."
            % type(frequency).__name__)
    return call("percentile", col_sql(col), _percentage_sql(percentage), lit_sql(frequency))


def percentile_approx(col, percentage, accuracy=10000):
    """The approximate percentile(s) `percentage` (a number, list or Column)."""
    return call("percentile_approx", col_sql(col), _percentage_sql(percentage),
                lit_sql(accuracy))


def approx_percentile(col, percentage, accuracy=10000):
    """The approximate percentile(s) `percentage` (a number, list or Column)."""
    return call("approx_percentile", col_sql(col), _percentage_sql(percentage),
                lit_sql(accuracy))


def histogram_numeric(col, nBins):
    """A histogram of `nBins` bins, as an array of (x, y) structs."""
    return fn("histogram_numeric", col, nBins)


def regr_avgx(y, x):
    """The mean of x over rows where x and y are not NULL."""
    return fn("regr_avgx", y, x)


def regr_avgy(y, x):
    """The mean of y over rows where x and y are not NULL."""
    return fn("regr_avgy", y, x)


def regr_count(y, x):
    """The number of rows where x and y are not NULL."""
    return fn("regr_count", y, x)


def regr_intercept(y, x):
    """The intercept of the least-squares line of y on x."""
    return fn("regr_intercept", y, x)


def regr_r2(y, x):
    """The coefficient of determination of the regression of y on x."""
    return fn("regr_r2", y, x)


def regr_slope(y, x):
    """The slope of the least-squares line of y on x."""
    return fn("regr_slope", y, x)


def regr_sxx(y, x):
    """REGR_COUNT(y, x) * VAR_POP(x)."""
    return fn("regr_sxx", y, x)


def regr_sxy(y, x):
    """REGR_COUNT(y, x) * COVAR_POP(y, x)."""
    return fn("regr_sxy", y, x)


def regr_syy(y, x):
    """REGR_COUNT(y, x) * VAR_POP(y)."""
    return fn("regr_syy", y, x)


# --- grouping sets and sketches -------------------------------------------------------------

def grouping(col):
    """1 when `col` is aggregated over in this row of a ROLLUP, CUBE or GROUPING SETS."""
    return fn("grouping", col)


def grouping_id(*cols):
    """The bits of grouping() of `cols` (all grouping columns when none) as a number."""
    return fn("grouping_id", *cols)


def hll_sketch_agg(col, lgConfigK=None):
    """A HyperLogLog sketch of the values, as binary."""
    if lgConfigK is None:
        return fn("hll_sketch_agg", col)
    return call("hll_sketch_agg", col_sql(col), lit_sql(lgConfigK))


def hll_union_agg(col, allowDifferentLgConfigK=None):
    """The union of HyperLogLog sketches, as binary."""
    if allowDifferentLgConfigK is None:
        return fn("hll_union_agg", col)
    return call("hll_union_agg", col_sql(col), lit_sql(allowDifferentLgConfigK))


def bitmap_construct_agg(col):
    """A bitmap of the bit positions of the values."""
    return fn("bitmap_construct_agg", col)


def bitmap_or_agg(col):
    """The bitwise OR of bitmaps."""
    return fn("bitmap_or_agg", col)


# --- window functions -------------------------------------------------------------------------
# Used with .over(window).

def row_number():
    """The 1-based number of the row in its window partition."""
    return call("row_number")


def rank():
    """The rank of the row, with gaps after ties."""
    return call("rank")


def dense_rank():
    """The rank of the row, without gaps after ties."""
    return call("dense_rank")


def percent_rank():
    """(rank - 1) / (rows in the partition - 1)."""
    return call("percent_rank")


def cume_dist():
    """The fraction of rows of the partition up to and including the row's peers."""
    return call("cume_dist")


def ntile(n):
    """The number (1 to n) of the row's bucket among n equal buckets."""
    return call("ntile", _literal_sql(n))


def lag(col, offset=1, default=None):
    """The value `offset` rows before, `default` (a literal or Column) when there is none."""
    return call("lag", col_sql(col), _literal_sql(offset), lit_sql(default))


def lead(col, offset=1, default=None):
    """The value `offset` rows after, `default` (a literal or Column) when there is none."""
    return call("lead", col_sql(col), _literal_sql(offset), lit_sql(default))


def nth_value(col, offset, ignoreNulls=False):
    """The `offset`-th value of the window frame (of its non-NULL values with
    `ignoreNulls`)."""
    if ignoreNulls:
        return call("nth_value", col_sql(col), _literal_sql(offset), "true")
    return call("nth_value", col_sql(col), _literal_sql(offset))
