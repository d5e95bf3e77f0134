"""pyspark.sql.types: PySpark 3.5's data types, Row, and schema inference, for sluice.

Types here only describe data: sluice never converts Python values through them, so
toInternal/fromInternal are the identity and needConversion() is False for every type.
Names, reprs, simpleString() and the JSON form (jsonValue/json/fromJson) are PySpark's.

Two sluice helpers write types as Spark SQL: `_type_sql` (a type as Spark's DataType.sql
writes it, for CAST and DDL) and `_schema_ddl` (a column list). DDL text is parsed by the
embedded C++ module `_sluice` (see `_parse_ddl_json`).
"""

import array as _array
import datetime as _datetime
import decimal as _decimal
import json as _json
import re as _re
from functools import reduce as _reduce

from _sluice_py import errors as _errors
from _sluice_py.sqltext import quote_identifier as _quote_identifier
from _sluice_py.sqltext import string_literal as _string_literal

__all__ = [
    "DataType", "NullType", "CharType", "StringType", "VarcharType", "BinaryType",
    "BooleanType", "DateType", "TimestampType", "TimestampNTZType", "DecimalType",
    "DoubleType", "FloatType", "ByteType", "IntegerType", "LongType", "DayTimeIntervalType",
    "YearMonthIntervalType", "CalendarIntervalType", "Row", "ShortType", "ArrayType",
    "MapType", "StructField", "StructType",
]


class DataType:
    """Base of all data types. Two types are equal when they are of the same class with
    the same attributes."""

    def __repr__(self):
        return self.__class__.__name__ + "()"

    def __hash__(self):
        return hash(str(self))

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self.__dict__ == other.__dict__

    def __ne__(self, other):
        return not self.__eq__(other)

    @classmethod
    def typeName(cls):
        return cls.__name__[:-4].lower()

    def simpleString(self):
        return self.typeName()

    def jsonValue(self):
        return self.typeName()

    def json(self):
        return _json.dumps(self.jsonValue(), separators=(",", ":"), sort_keys=True)

    def needConversion(self):
        return False

    def toInternal(self, obj):
        return obj

    def fromInternal(self, obj):
        return obj

    @classmethod
    def fromDDL(cls, ddl):
        """The type written by `ddl`: a column list (`a INT, b STRING`) gives a StructType,
        one type (`ARRAY<INT>`) gives that type. (PySpark 4.0's API, offered here too.)"""
        return _parse_datatype_string(ddl)


class DataTypeSingleton(type):
    """Metaclass of the types without parameters: each has one instance."""

    _instances = {}

    def __call__(cls):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__()
        return cls._instances[cls]


class NullType(DataType, metaclass=DataTypeSingleton):
    """The type of None, for values whose type cannot be inferred."""

    @classmethod
    def typeName(cls):
        return "void"


class AtomicType(DataType):
    """Every type that is not null, an array, a map or a struct."""


class NumericType(AtomicType):
    """Numeric types."""


class IntegralType(NumericType, metaclass=DataTypeSingleton):
    """Integer types."""


class FractionalType(NumericType):
    """Floating point and decimal types."""


class StringType(AtomicType, metaclass=DataTypeSingleton):
    """Strings."""


class CharType(AtomicType):
    """Strings of a fixed length (CHAR(n))."""

    def __init__(self, length):
        self.length = length

    def simpleString(self):
        return "char(%d)" % self.length

    jsonValue = simpleString

    def __repr__(self):
        return "CharType(%d)" % self.length


class VarcharType(AtomicType):
    """Strings of a bounded length (VARCHAR(n))."""

    def __init__(self, length):
        self.length = length

    def simpleString(self):
        return "varchar(%d)" % self.length

    jsonValue = simpleString

    def __repr__(self):
        return "VarcharType(%d)" % self.length


class BinaryType(AtomicType, metaclass=DataTypeSingleton):
    """Byte strings."""


class BooleanType(AtomicType, metaclass=DataTypeSingleton):
    """Booleans."""


class DateType(AtomicType, metaclass=DataTypeSingleton):
    """Dates (datetime.date)."""


class TimestampType(AtomicType, metaclass=DataTypeSingleton):
    """Instants (datetime.datetime), shown in the session time zone."""


class TimestampNTZType(AtomicType, metaclass=DataTypeSingleton):
    """Timestamps without a time zone."""

    @classmethod
    def typeName(cls):
        return "timestamp_ntz"


class DecimalType(FractionalType):
    """Fixed-point numbers of `precision` digits, `scale` of them after the point."""

    def __init__(self, precision=10, scale=0):
        self.precision = precision
        self.scale = scale
        self.hasPrecisionInfo = True

    def simpleString(self):
        return "decimal(%d,%d)" % (self.precision, self.scale)

    jsonValue = simpleString

    def __repr__(self):
        return "DecimalType(%d,%d)" % (self.precision, self.scale)


class DoubleType(FractionalType, metaclass=DataTypeSingleton):
    """64-bit floating point numbers."""


class FloatType(FractionalType, metaclass=DataTypeSingleton):
    """32-bit floating point numbers."""


class ByteType(IntegralType):
    """8-bit integers."""

    def simpleString(self):
        return "tinyint"


class IntegerType(IntegralType):
    """32-bit integers."""

    def simpleString(self):
        return "int"


class LongType(IntegralType):
    """64-bit integers."""

    def simpleString(self):
        return "bigint"


class ShortType(IntegralType):
    """16-bit integers."""

    def simpleString(self):
        return "smallint"


class AnsiIntervalType(AtomicType):
    """The interval types of the SQL standard."""

    _fields = {}

    def __init__(self, startField, endField, default_start, default_end):
        if startField is None and endField is None:
            startField, endField = default_start, default_end
        elif endField is None:
            endField = startField
        if startField not in self._fields or endField not in self._fields:
            raise RuntimeError("[INVALID_INTERVAL_CASTING] Interval %s to %s is invalid."
                               % (startField, endField))
        self.startField = startField
        self.endField = endField

    def simpleString(self):
        start, end = self._fields[self.startField], self._fields[self.endField]
        if start == end:
            return "interval %s" % start
        return "interval %s to %s" % (start, end)

    jsonValue = simpleString

    def __repr__(self):
        return "%s(%d, %d)" % (type(self).__name__, self.startField, self.endField)


class DayTimeIntervalType(AnsiIntervalType):
    """Day-time intervals (datetime.timedelta); fields from DAY to SECOND."""

    DAY, HOUR, MINUTE, SECOND = 0, 1, 2, 3
    _fields = {DAY: "day", HOUR: "hour", MINUTE: "minute", SECOND: "second"}
    _inverted_fields = {v: k for k, v in _fields.items()}

    def __init__(self, startField=None, endField=None):
        super().__init__(startField, endField, self.DAY, self.SECOND)


class YearMonthIntervalType(AnsiIntervalType):
    """Year-month intervals; fields YEAR and MONTH."""

    YEAR, MONTH = 0, 1
    _fields = {YEAR: "year", MONTH: "month"}
    _inverted_fields = {v: k for k, v in _fields.items()}

    def __init__(self, startField=None, endField=None):
        super().__init__(startField, endField, self.YEAR, self.MONTH)


class CalendarIntervalType(DataType, metaclass=DataTypeSingleton):
    """Intervals of months, days and microseconds."""

    @classmethod
    def typeName(cls):
        return "interval"


class ArrayType(DataType):
    """Arrays of `elementType`; `containsNull` says whether elements may be null."""

    def __init__(self, elementType, containsNull=True):
        assert isinstance(elementType, DataType), \
            "elementType %s should be an instance of %s" % (elementType, DataType)
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self):
        return "array<%s>" % self.elementType.simpleString()

    def __repr__(self):
        return "ArrayType(%s, %s)" % (self.elementType, self.containsNull)

    def jsonValue(self):
        return {"type": self.typeName(), "elementType": self.elementType.jsonValue(),
                "containsNull": self.containsNull}

    @classmethod
    def fromJson(cls, json):
        return ArrayType(_parse_datatype_json_value(json["elementType"]), json["containsNull"])


class MapType(DataType):
    """Maps from `keyType` to `valueType`; keys are never null, values may be when
    `valueContainsNull`."""

    def __init__(self, keyType, valueType, valueContainsNull=True):
        assert isinstance(keyType, DataType), \
            "keyType %s should be an instance of %s" % (keyType, DataType)
        assert isinstance(valueType, DataType), \
            "valueType %s should be an instance of %s" % (valueType, DataType)
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self):
        return "map<%s,%s>" % (self.keyType.simpleString(), self.valueType.simpleString())

    def __repr__(self):
        return "MapType(%s, %s, %s)" % (self.keyType, self.valueType, self.valueContainsNull)

    def jsonValue(self):
        return {"type": self.typeName(), "keyType": self.keyType.jsonValue(),
                "valueType": self.valueType.jsonValue(),
                "valueContainsNull": self.valueContainsNull}

    @classmethod
    def fromJson(cls, json):
        return MapType(_parse_datatype_json_value(json["keyType"]),
                       _parse_datatype_json_value(json["valueType"]),
                       json["valueContainsNull"])


class StructField(DataType):
    """One field of a StructType: a name, a type, whether it may be null, and metadata (a
    dict of JSON values; Spark keeps a column's comment under "comment")."""

    def __init__(self, name, dataType, nullable=True, metadata=None):
        assert isinstance(dataType, DataType), \
            "dataType %s should be an instance of %s" % (dataType, DataType)
        assert isinstance(name, str), "field name %s should be a string" % (name,)
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def simpleString(self):
        return "%s:%s" % (self.name, self.dataType.simpleString())

    def __repr__(self):
        return "StructField('%s', %s, %s)" % (self.name, self.dataType, self.nullable)

    def jsonValue(self):
        return {"name": self.name, "type": self.dataType.jsonValue(),
                "nullable": self.nullable, "metadata": self.metadata}

    @classmethod
    def fromJson(cls, json):
        return StructField(json["name"], _parse_datatype_json_value(json["type"]),
                           json.get("nullable", True), json.get("metadata"))

    def typeName(self):
        raise _errors.PySparkTypeError(
            "[INVALID_TYPENAME_CALL] StructField does not have typeName. Use typeName on its "
            "type explicitly instead.")


class StructType(DataType):
    """A list of StructFields: the type of a Row and the schema of a DataFrame. Iterating
    gives the fields; `struct[name]`, `struct[index]` and `struct[slice]` select them.
    As in PySpark, `name in struct` does not test field names (use `struct.names`)."""

    def __init__(self, fields=None):
        self.fields = list(fields) if fields else []
        assert all(isinstance(f, StructField) for f in self.fields), \
            "fields should be a list of StructField"
        self.names = [f.name for f in self.fields]

    def add(self, field, data_type=None, nullable=True, metadata=None):
        """Appends a field, given as a StructField or as (name, type, nullable, metadata),
        and returns this StructType. A type given as a string is read as PySpark reads it
        here: a type's JSON name ("integer", "string", "decimal(10,2)"), not DDL."""
        if isinstance(field, StructField):
            self.fields.append(field)
            self.names.append(field.name)
            return self
        if isinstance(field, str) and data_type is None:
            raise _errors.PySparkValueError(
                "[ARGUMENT_REQUIRED] Argument `data_type` is required when passing name of "
                "struct_field to create.")
        if isinstance(data_type, str):
            data_type = _parse_datatype_json_value(data_type)
        self.fields.append(StructField(field, data_type, nullable, metadata))
        self.names.append(field)
        return self

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for field in self.fields:
                if field.name == key:
                    return field
            raise KeyError("[KEY_NOT_EXISTS] Key `%s` is not exists." % key)
        if isinstance(key, int):
            try:
                return self.fields[key]
            except IndexError:
                raise IndexError("[INDEX_OUT_OF_RANGE] StructType index out of range, got "
                                 "'%d'." % key) from None
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise _errors.PySparkTypeError(
            "[NOT_INT_OR_SLICE_OR_STR] Argument `key` should be an int, a slice or a str, "
            "got %s." % type(key).__name__)

    def simpleString(self):
        return "struct<%s>" % ",".join(f.simpleString() for f in self.fields)

    def __repr__(self):
        return "StructType([%s])" % ", ".join(str(f) for f in self.fields)

    def jsonValue(self):
        return {"type": self.typeName(), "fields": [f.jsonValue() for f in self.fields]}

    @classmethod
    def fromJson(cls, json):
        return StructType([StructField.fromJson(f) for f in json["fields"]])

    @classmethod
    def fromDDL(cls, ddl):
        """The StructType of a column list such as `a INT, b STRING NOT NULL`."""
        parsed = _parse_datatype_string(ddl)
        if not isinstance(parsed, StructType):
            raise _errors.ParseException(
                "[PARSE_SYNTAX_ERROR] %r is a data type, not a list of columns" % ddl)
        return parsed

    def fieldNames(self):
        return list(self.names)

    def treeString(self, maxDepth=None):
        """The schema as DataFrame.printSchema() shows it; `maxDepth` (when positive) limits
        how many levels of nesting are shown."""
        depth = maxDepth if maxDepth is not None and maxDepth > 0 else 2 ** 31 - 1
        lines = ["root"]
        _tree_fields(self, " |", lines, depth)
        return "\n".join(lines) + "\n"


def _tree_name(dt):
    """A type's name in a schema tree: Spark's typeName ("integer", "decimal(10,2)",
    "array", ...)."""
    if isinstance(dt, (ArrayType, MapType, StructType)):
        return dt.typeName()
    return dt.jsonValue()


def _tree_fields(struct, prefix, lines, depth):
    if depth <= 0:
        return
    for f in struct.fields:
        lines.append("%s-- %s: %s (nullable = %s)" % (
            prefix, _escape_meta(f.name), _tree_name(f.dataType), str(f.nullable).lower()))
        _tree_nested(f.dataType, prefix + "    |", lines, depth - 1)


def _tree_nested(dt, prefix, lines, depth):
    """The lines below a field, element, key or value of a nested type."""
    if depth <= 0:
        return
    if isinstance(dt, StructType):
        _tree_fields(dt, prefix, lines, depth)
    elif isinstance(dt, ArrayType):
        lines.append("%s-- element: %s (containsNull = %s)" % (
            prefix, _tree_name(dt.elementType), str(dt.containsNull).lower()))
        _tree_nested(dt.elementType, prefix + "    |", lines, depth - 1)
    elif isinstance(dt, MapType):
        lines.append("%s-- key: %s" % (prefix, _tree_name(dt.keyType)))
        _tree_nested(dt.keyType, prefix + "    |", lines, depth - 1)
        lines.append("%s-- value: %s (valueContainsNull = %s)" % (
            prefix, _tree_name(dt.valueType), str(dt.valueContainsNull).lower()))
        _tree_nested(dt.valueType, prefix + "    |", lines, depth - 1)


_META_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f",
                 "\v": "\\v", "\a": "\\a"}


def _escape_meta(name):
    """A field name with control characters written as escapes, as printSchema shows it."""
    return "".join(_META_ESCAPES.get(ch, ch) for ch in name)


# --- Row ---------------------------------------------------------------------------------

def _create_row(fields, values):
    row = Row(*values)
    row.__fields__ = fields
    return row


class Row(tuple):
    """A row: a tuple whose fields also have names.

    `Row(name="Alice", age=11)` is a row with fields in the order given. `Row("name", "age")`
    is a row class: calling it, `Person("Alice", 11)`, makes rows. Fields are read as
    `row.name`, `row["name"]` or `row[0]`; `"name" in row` tests the field names."""

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise _errors.PySparkValueError(
                "[CANNOT_SET_TOGETHER] args and kwargs should not be set together.")
        if kwargs:
            row = tuple.__new__(cls, list(kwargs.values()))
            row.__fields__ = list(kwargs.keys())
            return row
        return tuple.__new__(cls, args)

    def asDict(self, recursive=False):
        """The row as a dict; with `recursive`, nested Rows (also in lists and dicts) too."""
        if not hasattr(self, "__fields__"):
            raise _errors.PySparkTypeError(
                "[CANNOT_CONVERT_TYPE] Cannot convert Row into dict.")
        if not recursive:
            return dict(zip(self.__fields__, self))

        def conv(obj):
            if isinstance(obj, Row):
                return obj.asDict(True)
            if isinstance(obj, list):
                return [conv(o) for o in obj]
            if isinstance(obj, dict):
                return {k: conv(v) for k, v in obj.items()}
            return obj

        return dict(zip(self.__fields__, (conv(v) for v in self)))

    def __contains__(self, item):
        if hasattr(self, "__fields__"):
            return item in self.__fields__
        return super().__contains__(item)

    def __call__(self, *args):
        """A row of this row class's fields."""
        if len(args) > len(self):
            raise _errors.PySparkValueError(
                "[TOO_MANY_VALUES] Expected %d values for `fields`, got %d."
                % (len(self), len(args)))
        return _create_row(self, args)

    def __getitem__(self, item):
        if isinstance(item, (int, slice)):
            return super().__getitem__(item)
        try:
            index = self.__fields__.index(item)
        except (AttributeError, ValueError):
            raise _errors.PySparkValueError(item) from None
        return super().__getitem__(index)

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        try:
            index = self.__fields__.index(item)
        except (AttributeError, ValueError):
            raise AttributeError(item) from None
        return self[index]

    def __setattr__(self, key, value):
        if key != "__fields__":
            raise RuntimeError("[READ_ONLY] Row is read-only.")
        self.__dict__[key] = value

    def __reduce__(self):
        if hasattr(self, "__fields__"):
            return (_create_row, (self.__fields__, tuple(self)))
        return tuple.__reduce__(self)

    def __repr__(self):
        if hasattr(self, "__fields__"):
            return "Row(%s)" % ", ".join(
                "%s=%r" % (k, v) for k, v in zip(self.__fields__, tuple(self)))
        return "<Row(%s)>" % ", ".join(repr(f) for f in self)


# --- JSON and DDL --------------------------------------------------------------------------

# Types whose JSON value is a fixed name. Spark writes NullType as "void" in PySpark and
# "null" in some JSON schemas; both are read.
_all_atomic_types = {
    "string": StringType, "binary": BinaryType, "boolean": BooleanType,
    "decimal": DecimalType, "float": FloatType, "double": DoubleType, "byte": ByteType,
    "short": ShortType, "integer": IntegerType, "long": LongType, "date": DateType,
    "timestamp": TimestampType, "timestamp_ntz": TimestampNTZType, "void": NullType,
    "null": NullType, "interval": CalendarIntervalType,
}
_all_complex_types = {"array": ArrayType, "map": MapType, "struct": StructType}

_FIXED_DECIMAL = _re.compile(r"decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$")
_LENGTH_CHAR = _re.compile(r"char\(\s*(\d+)\s*\)$")
_LENGTH_VARCHAR = _re.compile(r"varchar\(\s*(\d+)\s*\)$")
_INTERVAL_DAYTIME = _re.compile(
    r"interval (day|hour|minute|second)( to (day|hour|minute|second))?$")
_INTERVAL_YEARMONTH = _re.compile(r"interval (year|month)( to (year|month))?$")


def _parse_datatype_json_string(json_string):
    """The DataType of Spark's JSON form of a type (what DataType.json() writes)."""
    return _parse_datatype_json_value(_json.loads(json_string))


def _interval_of(cls, match):
    start = cls._inverted_fields[match.group(1)]
    end = cls._inverted_fields[match.group(3)] if match.group(3) else None
    return cls(start, end)


def _parse_datatype_json_value(json_value):
    """The DataType of a decoded JSON value: a name ("integer", "decimal(10,2)",
    "interval day to second", ...) or an object with "type" array, map or struct."""
    if not isinstance(json_value, dict):
        if json_value in _all_atomic_types:
            return _all_atomic_types[json_value]()
        text = json_value if isinstance(json_value, str) else ""
        m = _FIXED_DECIMAL.match(text)
        if m:
            return DecimalType(int(m.group(1)), int(m.group(2)))
        m = _INTERVAL_DAYTIME.match(text)
        if m:
            return _interval_of(DayTimeIntervalType, m)
        m = _INTERVAL_YEARMONTH.match(text)
        if m:
            return _interval_of(YearMonthIntervalType, m)
        m = _LENGTH_CHAR.match(text)
        if m:
            return CharType(int(m.group(1)))
        m = _LENGTH_VARCHAR.match(text)
        if m:
            return VarcharType(int(m.group(1)))
        raise _errors.PySparkValueError(
            "[CANNOT_PARSE_DATATYPE] Unable to parse datatype. Could not parse datatype: %s."
            % (json_value,))
    tpe = json_value.get("type")
    if tpe in _all_complex_types:
        return _all_complex_types[tpe].fromJson(json_value)
    if tpe == "udt":
        raise _errors.unsupported("user-defined types (UDT)")
    raise _errors.PySparkValueError(
        "[UNSUPPORTED_DATA_TYPE] Unsupported DataType `%s`." % (tpe,))


def _parse_ddl_json(text):
    """Spark's JSON form of the type that DDL `text` writes, from the embedded C++ module.

    Contract of `_sluice.parse_ddl(text) -> str`: `text` is read first as a column list
    (`a INT, b STRING NOT NULL COMMENT 'c'`, as Spark's StructType.fromDDL reads it), and
    when that fails as one data type (`INT`, `ARRAY<INT>`, `STRUCT<a: INT>`, as Spark's
    parseDataType reads it); keywords are case-insensitive. It returns JSON text exactly
    as DataType.json() here writes it: a column list as {"type":"struct","fields":[...]}
    (NOT NULL gives "nullable": false, COMMENT 'c' gives "metadata": {"comment": "c"}),
    an atomic type as a JSON string ("integer", "decimal(10,2)", "void", ...). Text that
    reads neither way raises an exception (ValueError or ParseException) with the parser's
    message; it is raised here as ParseException."""
    import _sluice
    try:
        return _sluice.parse_ddl(text)
    except _errors.ParseException:
        raise
    except Exception as e:
        raise _errors.ParseException(str(e)) from None


def _parse_datatype_string(s):
    """The DataType of a DDL string, as PySpark reads the schema strings of
    createDataFrame, UDF return types and readers: a column list (`a INT, b STRING`), one
    type (`int`, `array<int>`), or the older `a: int, b: string` (read as
    `struct<a: int, b: string>`). Raises ParseException otherwise."""
    try:
        return _parse_datatype_json_string(_parse_ddl_json(s))
    except _errors.ParseException as first:
        try:
            return _parse_datatype_json_string(_parse_ddl_json("struct<%s>" % s.strip()))
        except _errors.ParseException:
            raise first from None


# --- Spark SQL text of types ---------------------------------------------------------------

_TYPE_SQL = {
    NullType: "VOID", StringType: "STRING", BinaryType: "BINARY", BooleanType: "BOOLEAN",
    DateType: "DATE", TimestampType: "TIMESTAMP", TimestampNTZType: "TIMESTAMP_NTZ",
    DoubleType: "DOUBLE", FloatType: "FLOAT", ByteType: "TINYINT", ShortType: "SMALLINT",
    IntegerType: "INT", LongType: "BIGINT", CalendarIntervalType: "INTERVAL",
}


def _comment_sql(field):
    """` COMMENT '...'` when the field's metadata has a comment, else ''."""
    comment = field.metadata.get("comment")
    if isinstance(comment, str):
        return " COMMENT " + _string_literal(comment)
    return ""


def _type_sql(dt):
    """`dt` as Spark's DataType.sql writes it: INT, DECIMAL(10,2), ARRAY<INT>,
    MAP<STRING, INT>, STRUCT<a: INT, `b c`: STRING COMMENT 'x'>, INTERVAL DAY TO SECOND.
    Struct fields show no nullability, as in Spark."""
    if isinstance(dt, ArrayType):
        return "ARRAY<%s>" % _type_sql(dt.elementType)
    if isinstance(dt, MapType):
        return "MAP<%s, %s>" % (_type_sql(dt.keyType), _type_sql(dt.valueType))
    if isinstance(dt, StructType):
        return "STRUCT<%s>" % ", ".join(
            "%s: %s%s" % (_quote_identifier(f.name), _type_sql(f.dataType), _comment_sql(f))
            for f in dt.fields)
    if isinstance(dt, DecimalType):
        return "DECIMAL(%d,%d)" % (dt.precision, dt.scale)
    if isinstance(dt, CharType):
        return "CHAR(%d)" % dt.length
    if isinstance(dt, VarcharType):
        return "VARCHAR(%d)" % dt.length
    if isinstance(dt, AnsiIntervalType):
        return dt.simpleString().upper()
    sql = _TYPE_SQL.get(type(dt))
    if sql is None:
        raise _errors.PySparkTypeError(
            "[UNSUPPORTED_DATA_TYPE] Unsupported DataType `%r`." % (dt,))
    return sql


def _schema_ddl(struct_type):
    """The column list of a StructType as DDL: `a INT, b STRING NOT NULL COMMENT 'c'`."""
    return ", ".join(
        "%s %s%s%s" % (_quote_identifier(f.name), _type_sql(f.dataType),
                       "" if f.nullable else " NOT NULL", _comment_sql(f))
        for f in struct_type.fields)


# --- Inference from Python values ----------------------------------------------------------

# Python types and the Spark type inferred for their values (exact types: a subclass of int
# is not inferred as LongType).
_type_mappings = {
    type(None): NullType,
    bool: BooleanType,
    int: LongType,
    float: DoubleType,
    str: StringType,
    bytearray: BinaryType,
    bytes: BinaryType,
    _decimal.Decimal: DecimalType,
    _datetime.date: DateType,
    _datetime.datetime: TimestampType,
    _datetime.time: TimestampType,
    _datetime.timedelta: DayTimeIntervalType,
}


def _array_element_type(typecode):
    """The element type of an array.array of `typecode`, or None: C integers become the
    smallest Spark integer that holds them (an unsigned one needs a bit more), C float and
    double become FLOAT and DOUBLE, 'u' becomes STRING."""
    simple = {"f": FloatType, "d": DoubleType, "u": StringType}
    if typecode in simple:
        return simple[typecode]()
    if typecode not in "bhilBHIL":
        return None
    bits = _array.array(typecode).itemsize * 8 + (1 if typecode.isupper() else 0)
    for limit, integral in ((8, ByteType), (16, ShortType), (32, IntegerType), (64, LongType)):
        if bits <= limit:
            return integral()
    return None


def _infer_type(obj, infer_dict_as_struct=False, infer_array_from_first_element=False,
                prefer_timestamp_ntz=False):
    """The DataType PySpark 3.5's createDataFrame infers for a Python value.

    Decimals are DECIMAL(38,18); a datetime is TIMESTAMP (TIMESTAMP_NTZ only when
    `prefer_timestamp_ntz` and it has no tzinfo); a list's element type merges the types
    of all its elements (only the first with `infer_array_from_first_element`), an empty
    list has NullType elements; a dict is a map typed by its first pair without None (a
    struct with `infer_dict_as_struct`); a Row, namedtuple, tuple or object is a struct."""
    options = (infer_dict_as_struct, infer_array_from_first_element, prefer_timestamp_ntz)
    if obj is None:
        return NullType()
    data_type = _type_mappings.get(type(obj))
    if data_type is DecimalType:
        return DecimalType(38, 18)
    if data_type is TimestampType and prefer_timestamp_ntz and obj.tzinfo is None:
        return TimestampNTZType()
    if data_type is not None:
        return data_type()

    if isinstance(obj, dict):
        if infer_dict_as_struct:
            struct = StructType()
            for key, value in obj.items():
                if key is not None and value is not None:
                    struct.add(key, _infer_type(value, *options), True)
            return struct
        for key, value in obj.items():
            if key is not None and value is not None:
                return MapType(_infer_type(key, *options), _infer_type(value, *options), True)
        return MapType(NullType(), NullType(), True)
    if isinstance(obj, list):
        if not obj:
            return ArrayType(NullType(), True)
        if infer_array_from_first_element:
            return ArrayType(_infer_type(obj[0], *options), True)
        return ArrayType(_reduce(_merge_type, (_infer_type(v, *options) for v in obj)), True)
    if isinstance(obj, _array.array):
        element_type = _array_element_type(obj.typecode)
        if element_type is not None:
            return ArrayType(element_type, False)
        raise _errors.PySparkTypeError(
            "[UNSUPPORTED_DATA_TYPE] Unsupported DataType `array(%s)`." % obj.typecode)
    try:
        return _infer_schema(obj, None, *options)
    except TypeError:
        raise _errors.PySparkTypeError(
            "[UNSUPPORTED_DATA_TYPE] Unsupported DataType `%s`."
            % type(obj).__name__) from None


def _infer_schema(row, names=None, infer_dict_as_struct=False,
                  infer_array_from_first_element=False, prefer_timestamp_ntz=False):
    """The StructType of one row: a dict (fields sorted by key), a Row or namedtuple
    (its field order), a tuple or list (named by `names`, then _1, _2, ...) or an object
    (its __dict__, sorted). Every field is nullable."""
    if isinstance(row, dict):
        items = sorted(row.items())
    elif isinstance(row, (tuple, list)):
        if hasattr(row, "__fields__"):
            items = zip(row.__fields__, tuple(row))
        elif hasattr(row, "_fields"):
            items = zip(row._fields, tuple(row))
        else:
            names = list(names) if names is not None else []
            names.extend("_%d" % i for i in range(len(names) + 1, len(row) + 1))
            items = zip(names, row)
    elif hasattr(row, "__dict__"):
        items = sorted(row.__dict__.items())
    else:
        raise _errors.PySparkTypeError(
            "[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: `%s`."
            % type(row).__name__)

    fields = []
    for name, value in items:
        try:
            data_type = _infer_type(value, infer_dict_as_struct,
                                    infer_array_from_first_element, prefer_timestamp_ntz)
        except TypeError:
            raise _errors.PySparkTypeError(
                "[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field `%s`."
                % name) from None
        fields.append(StructField(name, data_type, True))
    return StructType(fields)


def _has_nulltype(dt):
    """Whether NullType occurs anywhere in `dt`."""
    if isinstance(dt, StructType):
        return any(_has_nulltype(f.dataType) for f in dt.fields)
    if isinstance(dt, ArrayType):
        return _has_nulltype(dt.elementType)
    if isinstance(dt, MapType):
        return _has_nulltype(dt.keyType) or _has_nulltype(dt.valueType)
    return isinstance(dt, NullType)


def _merge_type(a, b, name=None):
    """The type of values of type `a` and of type `b` together, as PySpark 3.5 merges
    inferred types: NullType gives way to the other; TIMESTAMP wins over TIMESTAMP_NTZ;
    STRING wins over any other atomic type; structs merge field by field (fields of `b`
    not in `a` are appended); arrays and maps merge their parts. Other differing types
    raise CANNOT_MERGE_TYPE. `name` is the path used in nested calls."""
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType):
        return a
    if isinstance(a, TimestampType) and isinstance(b, TimestampNTZType):
        return a
    if isinstance(a, TimestampNTZType) and isinstance(b, TimestampType):
        return b
    if isinstance(a, AtomicType) and isinstance(b, StringType):
        return b
    if isinstance(a, StringType) and isinstance(b, AtomicType):
        return a
    if type(a) is not type(b):
        raise _errors.PySparkTypeError(
            "[CANNOT_MERGE_TYPE] Can not merge type `%s` and `%s`."
            % (type(a).__name__, type(b).__name__))

    if isinstance(a, StructType):
        other = {f.name: f.dataType for f in b.fields}
        fields = [StructField(f.name, _merge_type(
                      f.dataType, other.get(f.name, NullType()),
                      name="field %s" % f.name if name is None
                      else "field %s in %s" % (f.name, name)))
                  for f in a.fields]
        present = set(a.names)
        fields.extend(StructField(n, t) for n, t in other.items() if n not in present)
        return StructType(fields)
    if isinstance(a, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType,
                                     name="element in array %s" % name), True)
    if isinstance(a, MapType):
        return MapType(_merge_type(a.keyType, b.keyType, name="key of map %s" % name),
                       _merge_type(a.valueType, b.valueType, name="value of map %s" % name),
                       True)
    return a
