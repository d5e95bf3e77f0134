"""spark.createDataFrame: local rows as an inline table of Spark SQL literals.

The DataFrame is `SELECT CAST(col1 AS <type>) AS <name>, ... FROM VALUES (...), ... AS
_data(col1, ...)`: the literals give the values, the casts the schema's types. As in
PySpark, a schema is inferred from every row when none is given (or only names are), and
rows are checked against a given schema (verifySchema) before anything is cast."""

import array as _array
import datetime as _datetime
import decimal as _decimal

from _sluice_py import errors
from _sluice_py.sqltext import quote_identifier, string_literal


def _is_pandas(data):
    module = type(data).__module__ or ""
    return module.startswith("pandas.") and type(data).__name__ == "DataFrame"


def _pandas_rows(frame):
    names = [str(c) for c in frame.columns]
    rows = []
    for values in frame.itertuples(index=False, name=None):
        row = []
        for v in values:
            if hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime()
            elif hasattr(v, "item") and not isinstance(v, (str, bytes)):
                v = v.item()  # numpy scalars
            if v is not None and v != v and not isinstance(v, float):
                v = None  # pandas' NaT and NA
            row.append(v)
        rows.append(tuple(row))
    return rows, names


def _value_sql(value, data_type):
    """The literal of `value` as a value of `data_type` (structs from Rows, dicts, tuples)."""
    from pyspark.sql import types as T
    from pyspark.sql.column import _literal_sql
    if value is None:
        return "NULL"
    if isinstance(data_type, T.StructType):
        values = _struct_values(value, data_type)
        return "named_struct(%s)" % ", ".join(
            "%s, %s" % (string_literal(f.name), _value_sql(v, f.dataType))
            for f, v in zip(data_type.fields, values))
    if isinstance(data_type, T.ArrayType):
        return "array(%s)" % ", ".join(_value_sql(v, data_type.elementType) for v in value)
    if isinstance(data_type, T.MapType):
        parts = []
        for k, v in value.items():
            parts.append(_value_sql(k, data_type.keyType))
            parts.append(_value_sql(v, data_type.valueType))
        return "map(%s)" % ", ".join(parts)
    if isinstance(data_type, T.DateType) and isinstance(value, _datetime.datetime):
        value = value.date()
    return _literal_sql(value)


def _struct_values(value, struct):
    from pyspark.sql.types import Row
    if isinstance(value, dict):
        return [value.get(f.name) for f in struct.fields]
    if isinstance(value, Row) and hasattr(value, "__fields__"):
        lookup = value.asDict()
        return [lookup.get(f.name) for f in struct.fields]
    if isinstance(value, (list, tuple)):
        if len(value) != len(struct.fields):
            raise errors.PySparkValueError(
                "[LENGTH_SHOULD_BE_THE_SAME] obj and fields should be of the same length, got "
                "%d and %d." % (len(value), len(struct.fields)))
        return list(value)
    if hasattr(value, "__dict__"):
        return [getattr(value, f.name, None) for f in struct.fields]
    raise errors.PySparkTypeError("[CANNOT_ACCEPT_OBJECT_IN_TYPE] a row of %s does not fit %s"
                                  % (type(value).__name__, struct.simpleString()))


# PySpark's _acceptable_types: the Python values each type takes when a schema is given.
def _acceptable(data_type):
    from pyspark.sql import types as T
    table = (
        (T.BooleanType, (bool,)),
        (T.IntegralType, (int,)),
        (T.FloatType, (float,)),
        (T.DoubleType, (float,)),
        (T.DecimalType, (_decimal.Decimal,)),
        (T.StringType, (str,)),
        (T.BinaryType, (bytearray, bytes)),
        (T.DateType, (_datetime.date, _datetime.datetime)),
        (T.TimestampType, (_datetime.datetime,)),
        (T.TimestampNTZType, (_datetime.datetime,)),
        (T.DayTimeIntervalType, (_datetime.timedelta,)),
        (T.ArrayType, (list, tuple, _array.array)),
        (T.MapType, (dict,)),
        (T.StructType, (tuple, list, dict)),
    )
    for cls, types in table:
        if isinstance(data_type, cls):
            return types
    return None


_RANGES = {"ByteType": 8, "ShortType": 16, "IntegerType": 32, "LongType": 64}


def _verify(value, data_type, nullable, name):
    """Raises PySpark's error when `value` does not fit `data_type` (PySpark's
    _make_type_verifier: exact Python types, integer ranges, NULLs only where nullable)."""
    from pyspark.sql import types as T
    if value is None:
        if not nullable:
            raise errors.PySparkValueError(
                "[FIELD_NOT_NULLABLE] Field `%s` is not nullable, but got None." % name)
        return
    if isinstance(data_type, T.NullType):
        raise errors.PySparkValueError("[FIELD_TYPE_NOT_NULL] %s: NullType can only hold None"
                                       % name)
    acceptable = _acceptable(data_type)
    if isinstance(data_type, T.StructType):
        fits = isinstance(value, acceptable) or hasattr(value, "__dict__")  # Rows, objects
    else:
        fits = acceptable is None or type(value) in acceptable
    if not fits:
        raise errors.PySparkTypeError(
            "[CANNOT_ACCEPT_OBJECT_IN_TYPE] `%r` can not accept object `%r` in type `%s`."
            % (data_type, value, type(value).__name__))
    bits = _RANGES.get(type(data_type).__name__)
    if bits is not None and not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        raise errors.PySparkValueError(
            "[VALUE_OUT_OF_BOUND] Value for `obj` must be between %d and %d (inclusive), "
            "got %d" % (-(1 << (bits - 1)), (1 << (bits - 1)) - 1, value))
    if isinstance(data_type, T.ArrayType):
        for v in value:
            _verify(v, data_type.elementType, data_type.containsNull, "element in array " + name)
    elif isinstance(data_type, T.MapType):
        for k, v in value.items():
            _verify(k, data_type.keyType, False, "key of map " + name)
            _verify(v, data_type.valueType, data_type.valueContainsNull, "value of map " + name)
    elif isinstance(data_type, T.StructType):
        for f, v in zip(data_type.fields, _struct_values(value, data_type)):
            _verify(v, f.dataType, f.nullable, "field %s in %s" % (f.name, name))


def _schema_of(schema):
    """(StructType, whether each value is a row of one column) of a given schema."""
    from pyspark.sql import types as T
    if isinstance(schema, str):
        parsed = T._parse_datatype_string(schema)
        if not isinstance(parsed, T.StructType):
            return T.StructType([T.StructField("value", parsed, True)]), True
        return parsed, False
    if isinstance(schema, T.StructType):
        return schema, False
    if isinstance(schema, T.DataType):
        return T.StructType([T.StructField("value", schema, True)]), True
    raise errors.PySparkTypeError("[NOT_LIST_OR_NONE_OR_STRUCT] schema should be a StructType, "
                                  "a DDL string or a list of names, got %s"
                                  % type(schema).__name__)


def create_dataframe(session, data, schema, origin, verify=True):
    from pyspark.sql import types as T
    from pyspark.sql.dataframe import DataFrame, _Select
    from _sluice_py.sqlbuild import Lines

    names = None
    if _is_pandas(data):
        data, pandas_names = _pandas_rows(data)
        if schema is None:
            schema = pandas_names
    elif not isinstance(data, (list, tuple)):
        if hasattr(data, "__iter__") and not isinstance(data, (str, bytes, dict)):
            data = list(data)
        else:
            raise errors.PySparkTypeError("[INVALID_TYPE] createDataFrame() takes a list, a "
                                          "tuple or a pandas DataFrame")
    rows = list(data)
    if isinstance(schema, (list, tuple)):
        names, schema = [str(n) for n in schema], None
    wrap_atomic = False
    if schema is None:
        if not rows:
            raise errors.PySparkValueError("[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema "
                                           "from an empty dataset.")
        struct = None
        for row in rows:
            inferred = T._infer_schema(row, names)
            struct = inferred if struct is None else T._merge_type(struct, inferred)
        for field in struct.fields:
            if isinstance(field.dataType, T.NullType):
                raise errors.PySparkValueError(
                    "[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after "
                    "inferring (column `%s` holds only NULLs): give a schema" % field.name)
        if names is not None and len(names) > len(struct.fields):
            raise errors.PySparkValueError(
                "[LENGTH_SHOULD_BE_THE_SAME] %d names for %d columns"
                % (len(names), len(struct.fields)))
    else:
        struct, wrap_atomic = _schema_of(schema)
    fields = struct.fields
    if wrap_atomic:
        if verify:
            for row in rows:
                _verify(row, fields[0].dataType, fields[0].nullable, fields[0].name)
        rows = [(r,) for r in rows]
    elif schema is not None and verify:
        for row in rows:
            _verify(row, struct, False, "row")

    items = [("CAST(col%d AS %s) AS %s" % (i + 1, T._type_sql(f.dataType),
                                           quote_identifier(f.name)), origin)
             for i, f in enumerate(fields)]
    placeholders = ", ".join("col%d" % (i + 1) for i in range(len(fields)))
    source = Lines()
    if not rows:
        source.add("(SELECT %s) AS _data" % ", ".join(
            "NULL AS col%d" % (i + 1) for i in range(len(fields))), origin)
    else:
        source.add("VALUES", origin)
        for i, row in enumerate(rows):
            values = ", ".join(_value_sql(v, f.dataType)
                               for v, f in zip(_struct_values(row, struct), fields))
            source.add("  (%s)%s" % (values, "," if i + 1 < len(rows) else ""), origin)
        source.add("AS _data(%s)" % placeholders, origin)
    select = _Select(source)
    select.items = items
    if not rows:
        select.where.append(("false", origin))
    return DataFrame(session, select, False, names=[f.name for f in fields], origin=origin)
