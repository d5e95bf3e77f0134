"""pyspark.sql.GroupedData: df.groupBy(...) and its aggregations."""

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py.sqltext import column_reference, quote_identifier
from pyspark.sql.column import Column

__all__ = ["GroupedData"]

# agg({"col": "fn"}): the function names Spark accepts there, and the SQL function each is.
_DICT_FUNCTIONS = {
    "avg": "avg", "mean": "avg", "max": "max", "min": "min", "sum": "sum", "count": "count",
    "first": "first", "last": "last", "stddev": "stddev", "std": "stddev",
    "stddev_samp": "stddev_samp", "stddev_pop": "stddev_pop", "variance": "variance",
    "var_samp": "var_samp", "var_pop": "var_pop", "collect_list": "collect_list",
    "collect_set": "collect_set", "approx_count_distinct": "approx_count_distinct",
    "count_distinct": None, "kurtosis": "kurtosis", "skewness": "skewness",
    "any": "any", "every": "every", "bool_and": "bool_and", "bool_or": "bool_or",
    "median": "median", "mode": "mode", "product": "product",
}


class GroupedData:
    """Rows of a DataFrame grouped by columns; agg() and the shortcuts make a DataFrame."""

    def __init__(self, df, columns, origin):
        self._df = df
        self._columns = columns
        self._origin = origin

    def agg(self, *exprs):
        origin = _origin.user_origin(2)
        if not exprs:
            raise _errors.PySparkValueError("[CANNOT_BE_EMPTY] agg() takes at least one "
                                            "aggregate expression")
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            columns = []
            for name, function in exprs[0].items():
                key = function.lower()
                if key not in _DICT_FUNCTIONS or _DICT_FUNCTIONS[key] is None:
                    raise _errors.AnalysisException(
                        "[UNRESOLVED_ROUTINE] Cannot resolve function `%s` in agg()" % function)
                argument = "1" if name == "*" and key == "count" else column_reference(name)
                columns.append(Column("%s(%s)" % (_DICT_FUNCTIONS[key], argument)))
        else:
            if not all(isinstance(e, Column) for e in exprs):
                raise _errors.PySparkTypeError("[ALL_SHOULD_BE_COLUMN] agg() takes Columns or "
                                               "one dict")
            columns = list(exprs)
        return self._df._aggregate(self._columns, columns, origin)

    def _numeric(self, function, cols, origin):
        if cols:
            columns = [Column("%s(%s)" % (function, column_reference(c))) for c in cols]
        else:
            from pyspark.sql import types as T
            grouped = {c._sql.lower() for c in self._columns}
            columns = [Column("%s(%s)" % (function, quote_identifier(f.name)))
                       for f in self._df.schema.fields
                       if isinstance(f.dataType, T.NumericType) and
                       quote_identifier(f.name).lower() not in grouped]
        return self._df._aggregate(self._columns, columns, origin)

    def count(self):
        return self._df._aggregate(self._columns, [Column("count(1)", "count")],
                                   _origin.user_origin(2))

    def sum(self, *cols):
        return self._numeric("sum", cols, _origin.user_origin(2))

    def avg(self, *cols):
        return self._numeric("avg", cols, _origin.user_origin(2))

    mean = avg

    def max(self, *cols):
        return self._numeric("max", cols, _origin.user_origin(2))

    def min(self, *cols):
        return self._numeric("min", cols, _origin.user_origin(2))

    def pivot(self, pivot_col, values=None):
        raise _errors.unsupported("GroupedData.pivot", "Databricks pipelines do not support pivot")

    def apply(self, udf):
        raise _errors.unsupported("GroupedData.apply")

    def applyInPandas(self, func, schema):
        raise _errors.unsupported("GroupedData.applyInPandas")

    def applyInPandasWithState(self, *args, **kwargs):
        raise _errors.unsupported("GroupedData.applyInPandasWithState")
