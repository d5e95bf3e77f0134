"""spark.createDataFrame: local rows as an inline table of Spark SQL literals."""

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
                "[LENGTH_SHOULD_BE_THE_SAME] a row has %d values for %d columns"
                % (len(value), len(struct.fields)))
        return list(value)
    if hasattr(value, "__dict__"):
        return [getattr(value, f.name, None) for f in struct.fields]
    raise errors.PySparkTypeError("[CANNOT_ACCEPT_OBJECT_IN_TYPE] a row of %s does not fit %s"
                                  % (type(value).__name__, struct.simpleString()))


def _schema_of(schema):
    from pyspark.sql import types as T
    if isinstance(schema, str):
        parsed = T._parse_datatype_string(schema)
        if not isinstance(parsed, T.StructType):
            parsed = T.StructType([T.StructField("value", parsed, True)])
        return parsed, False
    if isinstance(schema, T.StructType):
        return schema, False
    if isinstance(schema, T.DataType):
        return T.StructType([T.StructField("value", schema, True)]), True
    raise errors.PySparkTypeError("[NOT_LIST_OR_NONE_OR_STRUCT] schema should be a StructType, "
                                  "a DDL string or a list of names")


def create_dataframe(session, data, schema, origin):
    from pyspark.sql import types as T
    from pyspark.sql.dataframe import DataFrame

    names = None
    if _is_pandas(data):
        data, pandas_names = _pandas_rows(data)
        if schema is None:
            schema = pandas_names
    elif not isinstance(data, (list, tuple)):
        if hasattr(data, "__iter__"):
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
    else:
        struct, wrap_atomic = _schema_of(schema)
    if wrap_atomic:
        rows = [(r,) for r in rows]
    fields = struct.fields
    items = ", ".join("CAST(col%d AS %s) AS %s" % (i + 1, T._type_sql(f.dataType),
                                                   quote_identifier(f.name))
                      for i, f in enumerate(fields))
    if not rows:
        text = "SELECT %s FROM (SELECT %s) WHERE false" % (
            items, ", ".join("NULL AS col%d" % (i + 1) for i in range(len(fields))))
    else:
        values = []
        for row in rows:
            row_values = _struct_values(row, struct)
            values.append("(%s)" % ", ".join(_value_sql(v, f.dataType)
                                             for v, f in zip(row_values, fields)))
        text = "SELECT %s FROM VALUES %s AS _v(%s)" % (
            items, ", ".join(values), ", ".join("col%d" % (i + 1) for i in range(len(fields))))
    return DataFrame._from_source(session, "(\n" + text + "\n) AS _data", False, origin=origin,
                                  names=[f.name for f in fields])
