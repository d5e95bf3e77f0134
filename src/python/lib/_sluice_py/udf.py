"""Python UDFs: udf(), pandas_udf() and spark.udf.register().

Calling a UDF on columns gives a Column that calls it by a SQL name sluice registers for
the pipeline (registry.define_udf); the output column is named after the Python function,
as in Spark. At run time `call_batch` receives a chunk of rows from DuckDB."""

import datetime
import decimal
import json

from _sluice_py import errors

# Argument kinds (DuckDB types) whose values arrive as text or JSON.
_TEXT_KINDS = ("DATE", "TIMESTAMP", "TIMESTAMP_TZ", "DECIMAL", "LIST", "STRUCT", "MAP")


class UserDefinedFunction:
    """A Python function usable on Columns."""

    def __init__(self, func, returnType=None, name=None, pandas=False):
        from pyspark.sql.types import DataType, StringType, _parse_datatype_string
        if returnType is None:
            returnType = StringType()
        if isinstance(returnType, str):
            returnType = _parse_datatype_string(returnType)
        if not isinstance(returnType, DataType):
            raise errors.PySparkTypeError("[NOT_DATATYPE_OR_STR] returnType should be a DataType "
                                          "or a DDL string")
        if not callable(func):
            raise errors.PySparkTypeError("[NOT_CALLABLE] the UDF function should be callable")
        self.func = func
        self.returnType = returnType
        self._name = name or getattr(func, "__name__", "<lambda>")
        self._pandas = pandas
        self._sql_name = None
        self.__name__ = self._name
        self.__doc__ = getattr(func, "__doc__", None)

    def __call__(self, *cols):
        from pyspark.sql.column import Column, _to_column
        from _sluice_py import registry
        if self._sql_name is None or not registry.knows_udf(self._sql_name):
            self._sql_name = registry.define_udf(self)
        args = ", ".join(_to_column(c)._sql for c in cols)
        return Column("%s(%s)" % (self._sql_name, args))

    def asNondeterministic(self):
        return self


def udf(f=None, returnType=None, *, useArrow=None):
    """udf(f, returnType) or @udf / @udf(returnType=...)."""
    from pyspark.sql.types import DataType
    if f is None or isinstance(f, (str, DataType)):
        return_type = f if f is not None else returnType
        return lambda func: UserDefinedFunction(func, return_type)
    return UserDefinedFunction(f, returnType)


def pandas_udf(f=None, returnType=None, functionType=None):
    """A vectorized UDF: pandas Series in, a pandas Series out (scalar pandas UDFs)."""
    from pyspark.sql.types import DataType
    if functionType not in (None, 200):
        raise errors.unsupported("pandas_udf with functionType %r (only scalar Series to "
                                 "Series UDFs)" % functionType)
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise errors.unsupported("pandas_udf", "install pandas (Debian: python3-pandas)")
    if f is None or isinstance(f, (str, DataType)):
        return_type = f if f is not None else returnType
        return lambda func: UserDefinedFunction(func, return_type, pandas=True)
    return UserDefinedFunction(f, returnType, pandas=True)


# --- running ---------------------------------------------------------------------------


def _timestamp(text):
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _decoder(kind):
    if kind == "DATE":
        return datetime.date.fromisoformat
    if kind in ("TIMESTAMP", "TIMESTAMP_TZ"):
        return _timestamp
    if kind == "DECIMAL":
        return decimal.Decimal
    if kind == "STRUCT":
        from pyspark.sql.types import Row
        return lambda text: Row(**json.loads(text, parse_float=decimal.Decimal))
    if kind in ("LIST", "MAP"):
        return lambda text: json.loads(text, parse_float=decimal.Decimal)
    return None


def _encoder(kind):
    """The transport of a result of the declared type; values of another type are None."""
    if kind == "bool":
        return lambda v: v if isinstance(v, bool) else None
    if kind == "int":
        return lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None
    if kind == "float":
        return lambda v: v if isinstance(v, float) else None
    if kind == "str":
        return lambda v: v if isinstance(v, str) else None
    if kind == "bytes":
        return lambda v: bytes(v) if isinstance(v, (bytes, bytearray)) else None
    if kind == "text":
        def text(v):
            if isinstance(v, datetime.datetime):
                if v.tzinfo is not None:
                    v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
                return v.isoformat(sep=" ") + "+00:00"
            if isinstance(v, (datetime.date, decimal.Decimal)):
                return str(v)
            return None
        return text
    if kind == "json":
        def to_json(v):
            return None if v is None else json.dumps(v, default=_json_default)
        return to_json
    raise errors.unsupported("this UDF return type")


def _json_default(value):
    from pyspark.sql.types import Row
    if isinstance(value, Row):
        return value.asDict(recursive=True)
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    raise TypeError("cannot convert %s" % type(value).__name__)


def _origin_of(error):
    tb = error.__traceback__
    place = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith("<sluice>"):
            place = "%s:%d" % (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return place


def call_batch(func, name, pandas, result_kind, kinds, columns, rows):
    """Results of `func` over a chunk: `columns` hold each argument's values (None for
    NULL; text or JSON for the kinds in _TEXT_KINDS)."""
    decoded = []
    for kind, values in zip(kinds, columns):
        decode = _decoder(kind)
        decoded.append(values if decode is None else
                       [None if v is None else decode(v) for v in values])
    encode = _encoder(result_kind)
    if pandas:
        import pandas as pd
        try:
            out = func(*[pd.Series(values) for values in decoded])
        except Exception as error:
            raise RuntimeError("Python UDF '%s' failed on a batch of %d rows: %s: %s%s" % (
                name, rows, type(error).__name__, error, _where(error))) from None
        values = list(out)
        if len(values) != rows:
            raise RuntimeError("pandas UDF '%s' returned %d values for %d rows"
                               % (name, len(values), rows))
        return [encode(_from_numpy(v)) for v in values]
    results = []
    arguments = list(zip(*decoded)) if decoded else [()] * rows
    for row, args in enumerate(arguments):
        try:
            results.append(encode(func(*args)))
        except Exception as error:
            raise RuntimeError("Python UDF '%s' failed on the row %r: %s: %s%s" % (
                name, args, type(error).__name__, error, _where(error))) from None
    return results


def _where(error):
    place = _origin_of(error)
    return " (at %s)" % place if place else ""


def _from_numpy(value):
    if value is None:
        return None
    try:
        import pandas as pd
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
