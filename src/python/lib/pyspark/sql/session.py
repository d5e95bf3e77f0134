"""pyspark.sql.SparkSession: the `spark` object of pipeline files.

There is one session per pipeline load. Its configuration holds the pipeline's
`configuration` values; spark.conf.set() at the top of a file sets a value for the
definitions after it in that file, as SET does in a SQL file."""

import string
import textwrap

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py.sqltext import quote_identifier, table_name

__all__ = ["SparkSession", "RuntimeConfig"]

_UNSET = object()


class RuntimeConfig:
    """spark.conf: get, set, unset and isModifiable."""

    def __init__(self, values):
        self._values = dict(values)

    def get(self, key, default=_UNSET):
        if not isinstance(key, str):
            raise _errors.PySparkTypeError("[NOT_STR] conf key should be a str")
        if key in self._values:
            return self._values[key]
        if default is _UNSET:
            from _sluice_py import registry
            value = registry.default_conf(key)
            if value is not None:
                return value
            raise _errors.PySparkException(
                "[SQL_CONF_NOT_FOUND] The SQL config \"%s\" cannot be found. Please verify "
                "that the config exists." % key)
        return default

    def getAll(self):
        return dict(self._values)

    def set(self, key, value):
        from _sluice_py import registry
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        registry.set_conf(key, text)
        self._values[key] = text

    def unset(self, key):
        from _sluice_py import registry
        registry.unset_conf(key)
        self._values.pop(key, None)

    def isModifiable(self, key):
        return True


class _Builder:
    def __init__(self):
        pass

    def appName(self, name):
        return self

    def master(self, master):
        return self

    def config(self, key=None, value=None, conf=None, map=None):
        return self

    def enableHiveSupport(self):
        return self

    def getOrCreate(self):
        return SparkSession._active()

    create = getOrCreate


class _Udf:
    """spark.udf: register(name, f, returnType) makes a Python function callable by name in
    Spark SQL (spark.sql, expr, selectExpr) for the whole pipeline."""

    def register(self, name, f, returnType=None):
        from _sluice_py import registry
        from _sluice_py.udf import UserDefinedFunction
        if not isinstance(name, str):
            raise _errors.PySparkTypeError("[NOT_STR] the UDF name should be a str")
        if isinstance(f, UserDefinedFunction):
            if returnType is not None:
                raise _errors.PySparkTypeError(
                    "[CANNOT_SPECIFY_RETURN_TYPE_FOR_UDF] returnType can not be specified "
                    "when f is a user-defined function")
            udf = UserDefinedFunction(f.func, f.returnType, name=name, pandas=f._pandas)
        else:
            udf = UserDefinedFunction(f, returnType, name=name)
        udf._sql_name = registry.define_udf(udf, name)
        return udf


class _Catalog:
    def __getattr__(self, name):
        raise _errors.unsupported("spark.catalog.%s" % name)


class _SqlFormatter(string.Formatter):
    """PySpark's SQL formatter for spark.sql(text, **kwargs)."""

    def format_field(self, value, format_spec):
        from pyspark.sql.column import Column
        from pyspark.sql.dataframe import DataFrame
        from _sluice_py.sqlbuild import strip_markers
        if isinstance(value, DataFrame):
            return "(" + value._sql_lines().single_line() + ")"
        if isinstance(value, Column):
            return strip_markers(value._select_item())
        return super().format_field(value, format_spec)


def _bind_parameters(text, args):
    """`text` with Spark's parameter markers replaced by literals of the values in `args`:
    `:name` for a dict, `?` (in order) for a list or tuple."""
    from pyspark.sql.column import Column, _literal_sql
    from _sluice_py.functions_core import _tokens

    def literal(value):
        if isinstance(value, Column):
            return value._sql
        return _literal_sql(value)

    named = isinstance(args, dict)
    if not named and not isinstance(args, (list, tuple)):
        raise _errors.PySparkTypeError(
            "[INVALID_TYPE] Argument `args` should be a dict or a list, got %s."
            % type(args).__name__)
    tokens = _tokens(text)
    out, last, position = [], 0, 0
    for k, (kind, value, start, end) in enumerate(tokens):
        if kind != "symbol":
            continue
        if named and value == ":" and k + 1 < len(tokens) and tokens[k + 1][0] == "word" and \
                tokens[k + 1][2] == end and tokens[k + 1][1] in args:
            out.append(text[last:start] + literal(args[tokens[k + 1][1]]))
            last = tokens[k + 1][3]
        elif not named and value == "?":
            if position >= len(args):
                raise _errors.AnalysisException(
                    "[UNBOUND_SQL_PARAMETER] Found the unbound parameter: _%d." % (position + 1))
            out.append(text[last:start] + literal(args[position]))
            last = end
            position += 1
    return "".join(out) + text[last:]


class SparkSession:
    """The session of a pipeline load: readers, SQL, configuration."""

    _current = None

    class _BuilderDescriptor:
        def __get__(self, instance, owner):
            return _Builder()

    builder = _BuilderDescriptor()

    def __init__(self, conf):
        self.conf = RuntimeConfig(conf)
        self.udf = _Udf()
        self.catalog = _Catalog()

    @classmethod
    def _active(cls):
        if cls._current is None:
            raise _errors.PySparkException(
                "[NO_ACTIVE_SESSION] No active Spark session: pipeline files run inside "
                "sluice, which defines `spark`")
        return cls._current

    @classmethod
    def active(cls):
        return cls._active()

    @classmethod
    def getActiveSession(cls):
        return cls._current

    @property
    def version(self):
        return "3.5.6"

    @property
    def read(self):
        from pyspark.sql.readwriter import DataFrameReader
        return DataFrameReader(self)

    @property
    def readStream(self):
        from pyspark.sql.readwriter import DataStreamReader
        return DataStreamReader(self)

    def table(self, tableName):
        from pyspark.sql.dataframe import DataFrame
        if not isinstance(tableName, str):
            raise _errors.PySparkTypeError("[NOT_STR] table() takes a table name")
        return DataFrame._from_source(self, table_name(tableName), False,
                                      origin=_origin.user_origin(2))

    def sql(self, sqlQuery, args=None, **kwargs):
        """A DataFrame of a Spark SQL query over the pipeline's datasets. Keyword arguments
        fill `{name}` fields as PySpark's formatter does: a DataFrame becomes its query as a
        subquery, a Column its expression, any other value its str()."""
        from pyspark.sql.dataframe import DataFrame
        from _sluice_py import registry
        origin = _origin.user_origin(2)
        if not isinstance(sqlQuery, str):
            raise _errors.PySparkTypeError("[NOT_STR] Argument `sqlQuery` should be a str, got %s."
                                           % type(sqlQuery).__name__)
        lines = sqlQuery.strip().rstrip(";").rstrip().split("\n")
        # The text keeps its own indentation, less that common to its lines after the
        # first (which starts right after the quotes in `spark.sql("""SELECT ...`).
        lines = lines[:1] + textwrap.dedent("\n".join(lines[1:])).split("\n")[:len(lines) - 1]
        text = "\n".join(("  " + line).rstrip() for line in lines)
        if kwargs:
            text = _SqlFormatter().format(text, **kwargs)
        if args:
            text = _bind_parameters(text, args)
        streaming = registry.query_reads_stream(text)
        return DataFrame._from_source(self, "(\n" + text + "\n) AS _q", streaming, origin=origin)

    def range(self, start, end=None, step=1, numPartitions=None):
        from pyspark.sql.dataframe import DataFrame
        if end is None:
            start, end = 0, start
        for value in (start, end, step):
            if not isinstance(value, int) or isinstance(value, bool):
                raise _errors.PySparkTypeError("[NOT_INT] range() takes ints")
        return DataFrame._from_source(self, "range(%d, %d, %d)" % (start, end, step), False,
                                      origin=_origin.user_origin(2), names=["id"])

    def createDataFrame(self, data, schema=None, samplingRatio=None, verifySchema=True):
        from _sluice_py.create_dataframe import create_dataframe
        return create_dataframe(self, data, schema, _origin.user_origin(2), verifySchema)

    @property
    def sparkContext(self):
        raise _errors.unsupported("spark.sparkContext")

    def newSession(self):
        return self

    def stop(self):
        pass

    def __repr__(self):
        return "<pyspark.sql.session.SparkSession (sluice)>"
