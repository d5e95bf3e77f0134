"""pyspark.sql.GroupedData: df.groupBy(...) and its aggregations."""

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py.sqltext import column_reference, quote_identifier
from pyspark.sql.column import Column

__all__ = ["GroupedData"]

# agg({"col": "fn"}): names that Spark's RelationalGroupedDataset.strToExpr maps to other
# functions; any other name is called as it is.
_DICT_ALIASES = {"average": "avg", "mean": "avg", "std": "stddev", "size": "count"}


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
                if not isinstance(name, str) or not isinstance(function, str):
                    raise _errors.PySparkTypeError("[NOT_STR] agg() takes a dict of column "
                                                   "names to function names")
                key = function.lower()
                key = _DICT_ALIASES.get(key, key)
                argument = "1" if name == "*" and key == "count" else column_reference(name)
                columns.append(Column("%s(%s)" % (key, argument)))
        else:
            if not all(isinstance(e, Column) for e in exprs):
                raise _errors.PySparkTypeError("[ALL_SHOULD_BE_COLUMN] agg() takes Columns or "
                                               "one dict")
            columns = list(exprs)
        return self._df._aggregate(self._columns, columns, origin)

    def _numeric(self, function, cols, origin):
        """`function` of the given columns, which must be numeric, or of every numeric
        column (grouping columns too), as Spark's aggregateNumericColumns."""
        from pyspark.sql import types as T
        fields = self._df.schema.fields
        if cols:
            columns = []
            for name in cols:
                if not isinstance(name, str):
                    raise _errors.PySparkTypeError("[NOT_STR] %s() takes column names" % function)
                matches = [f for f in fields if f.name.lower() == name.lower()]
                if not matches:
                    raise _errors.AnalysisException(
                        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter "
                        "with name `%s` cannot be resolved. Did you mean one of the following? "
                        "[%s]." % (name, ", ".join("`%s`" % f.name for f in fields)))
                if not isinstance(matches[0].dataType, T.NumericType):
                    raise _errors.AnalysisException(
                        "[AGGREGATION_FUNCTION_APPLIED_ON_NON_NUMERIC_COLUMN] \"%s\" is not a "
                        "numeric column. Aggregation function can only be applied on a numeric "
                        "column." % name)
                columns.append(Column("%s(%s)" % (function, quote_identifier(matches[0].name))))
        else:
            columns = [Column("%s(%s)" % (function, quote_identifier(f.name)))
                       for f in fields if isinstance(f.dataType, T.NumericType)]
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
