"""Tests of pyspark.sql.types. Run from src/python with lib and tests/fakes on sys.path
(tests/fakes holds a stand-in for the C++ module _sluice)."""

import collections
import datetime
import decimal
import json
import pickle
import unittest

from _sluice_py import errors
from pyspark.sql.types import (
    ArrayType, BinaryType, BooleanType, ByteType, CalendarIntervalType, CharType, DataType,
    DateType, DayTimeIntervalType, DecimalType, DoubleType, FloatType, IntegerType, LongType,
    MapType, NullType, Row, ShortType, StringType, StructField, StructType, TimestampNTZType,
    TimestampType, VarcharType, YearMonthIntervalType, _infer_schema, _infer_type,
    _merge_type, _parse_datatype_json_string, _parse_datatype_json_value,
    _parse_datatype_string, _schema_ddl, _type_sql)


class DataTypeTest(unittest.TestCase):
    def test_singletons(self):
        self.assertIs(IntegerType(), IntegerType())
        self.assertIs(StringType(), StringType())
        self.assertIs(NullType(), NullType())
        self.assertIsNot(DecimalType(10, 2), DecimalType(10, 2))
        self.assertEqual(DecimalType(10, 2), DecimalType(10, 2))
        self.assertNotEqual(DecimalType(10, 2), DecimalType(10, 3))
        self.assertNotEqual(IntegerType(), LongType())

    def test_type_names(self):
        self.assertEqual(IntegerType.typeName(), "integer")
        self.assertEqual(NullType().typeName(), "void")
        self.assertEqual(TimestampNTZType().typeName(), "timestamp_ntz")
        self.assertEqual(CalendarIntervalType().typeName(), "interval")
        self.assertEqual(DecimalType.typeName(), "decimal")
        with self.assertRaises(TypeError):
            StructField("a", IntegerType()).typeName()

    def test_simple_strings(self):
        self.assertEqual(ByteType().simpleString(), "tinyint")
        self.assertEqual(ShortType().simpleString(), "smallint")
        self.assertEqual(IntegerType().simpleString(), "int")
        self.assertEqual(LongType().simpleString(), "bigint")
        self.assertEqual(DecimalType().simpleString(), "decimal(10,0)")
        self.assertEqual(CharType(5).simpleString(), "char(5)")
        self.assertEqual(VarcharType(7).simpleString(), "varchar(7)")
        self.assertEqual(DayTimeIntervalType().simpleString(), "interval day to second")
        self.assertEqual(DayTimeIntervalType(DayTimeIntervalType.HOUR).simpleString(),
                         "interval hour")
        self.assertEqual(YearMonthIntervalType().simpleString(), "interval year to month")
        struct = StructType([StructField("a", IntegerType()), StructField("b", StringType())])
        self.assertEqual(struct.simpleString(), "struct<a:int,b:string>")
        self.assertEqual(MapType(StringType(), ArrayType(LongType())).simpleString(),
                         "map<string,array<bigint>>")

    def test_reprs(self):
        self.assertEqual(repr(StructType([StructField("a", IntegerType(), True)])),
                         "StructType([StructField('a', IntegerType(), True)])")
        self.assertEqual(repr(ArrayType(StringType(), False)), "ArrayType(StringType(), False)")
        self.assertEqual(repr(MapType(StringType(), IntegerType())),
                         "MapType(StringType(), IntegerType(), True)")
        self.assertEqual(repr(DecimalType(10, 2)), "DecimalType(10,2)")
        self.assertEqual(repr(DayTimeIntervalType()), "DayTimeIntervalType(0, 3)")
        self.assertEqual(repr(CharType(3)), "CharType(3)")

    def test_hash(self):
        self.assertEqual(hash(ArrayType(IntegerType())), hash(ArrayType(IntegerType())))
        self.assertEqual(len({DecimalType(5, 1), DecimalType(5, 1), LongType()}), 2)

    def test_json_round_trip(self):
        schema = StructType([
            StructField("id", LongType(), False),
            StructField("tags", ArrayType(StringType(), False)),
            StructField("props", MapType(StringType(), DecimalType(12, 3))),
            StructField("when", TimestampNTZType(), True, {"comment": "local"}),
            StructField("inner", StructType([StructField("x", DoubleType())])),
            StructField("span", DayTimeIntervalType(1, 2)),
            StructField("code", CharType(4)),
        ])
        text = schema.json()
        self.assertEqual(_parse_datatype_json_string(text), schema)
        value = json.loads(text)
        self.assertEqual(value["fields"][0],
                         {"name": "id", "type": "long", "nullable": False, "metadata": {}})
        self.assertEqual(value["fields"][1]["type"],
                         {"type": "array", "elementType": "string", "containsNull": False})
        self.assertEqual(value["fields"][5]["type"], "interval hour to minute")
        self.assertEqual(StructType.fromJson(value), schema)
        self.assertEqual(IntegerType().json(), '"integer"')
        self.assertEqual(_parse_datatype_json_value("decimal(10,2)"), DecimalType(10, 2))
        self.assertEqual(_parse_datatype_json_value("interval year"),
                         YearMonthIntervalType(YearMonthIntervalType.YEAR))
        self.assertEqual(_parse_datatype_json_value("null"), NullType())
        with self.assertRaises(ValueError):
            _parse_datatype_json_value("int")

    def test_struct_access(self):
        struct = StructType().add("a", IntegerType()).add(StructField("b", StringType(), False))
        struct.add("c", "long", True, {"k": 1})
        self.assertEqual(struct.names, ["a", "b", "c"])
        self.assertEqual(struct.fieldNames(), ["a", "b", "c"])
        self.assertEqual(len(struct), 3)
        self.assertEqual(struct["b"], StructField("b", StringType(), False))
        self.assertEqual(struct[2].dataType, LongType())
        self.assertEqual(struct[2].metadata, {"k": 1})
        self.assertEqual(struct[0:2].names, ["a", "b"])
        self.assertEqual([f.name for f in struct], ["a", "b", "c"])
        with self.assertRaises(KeyError):
            struct["z"]
        with self.assertRaises(IndexError):
            struct[7]
        with self.assertRaises(ValueError):
            StructType().add("a")

    def test_tree_string(self):
        struct = StructType([
            StructField("a", IntegerType(), False),
            StructField("b", ArrayType(StructType([StructField("c", DecimalType(5, 2))]))),
            StructField("m", MapType(StringType(), LongType(), False)),
        ])
        self.assertEqual(struct.treeString(), (
            "root\n"
            " |-- a: integer (nullable = false)\n"
            " |-- b: array (nullable = true)\n"
            " |    |-- element: struct (containsNull = true)\n"
            " |    |    |-- c: decimal(5,2) (nullable = true)\n"
            " |-- m: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: long (valueContainsNull = false)\n"))
        self.assertEqual(struct.treeString(1), (
            "root\n"
            " |-- a: integer (nullable = false)\n"
            " |-- b: array (nullable = true)\n"
            " |-- m: map (nullable = true)\n"))


class TypeSqlTest(unittest.TestCase):
    def test_atomic(self):
        cases = [(IntegerType(), "INT"), (LongType(), "BIGINT"), (ShortType(), "SMALLINT"),
                 (ByteType(), "TINYINT"), (StringType(), "STRING"), (BooleanType(), "BOOLEAN"),
                 (BinaryType(), "BINARY"), (DoubleType(), "DOUBLE"), (FloatType(), "FLOAT"),
                 (DateType(), "DATE"), (TimestampType(), "TIMESTAMP"),
                 (TimestampNTZType(), "TIMESTAMP_NTZ"), (NullType(), "VOID"),
                 (DecimalType(10, 2), "DECIMAL(10,2)"), (CharType(3), "CHAR(3)"),
                 (VarcharType(9), "VARCHAR(9)"), (CalendarIntervalType(), "INTERVAL"),
                 (DayTimeIntervalType(), "INTERVAL DAY TO SECOND"),
                 (YearMonthIntervalType(1), "INTERVAL MONTH")]
        for data_type, sql in cases:
            self.assertEqual(_type_sql(data_type), sql)

    def test_nested(self):
        self.assertEqual(_type_sql(ArrayType(IntegerType())), "ARRAY<INT>")
        self.assertEqual(_type_sql(MapType(StringType(), IntegerType())), "MAP<STRING, INT>")
        struct = StructType([StructField("a", IntegerType()), StructField("b c", StringType()),
                             StructField("order", ArrayType(MapType(StringType(), LongType()))),
                             StructField("d", DateType(), False, {"comment": "it's"})])
        self.assertEqual(_type_sql(struct),
                         "STRUCT<a: INT, `b c`: STRING, `order`: ARRAY<MAP<STRING, BIGINT>>, "
                         "d: DATE COMMENT 'it\\'s'>")

    def test_schema_ddl(self):
        struct = StructType([StructField("a", IntegerType()),
                             StructField("b", StringType(), False, {"comment": "c"}),
                             StructField("x-y", ArrayType(DoubleType()))])
        self.assertEqual(_schema_ddl(struct),
                         "a INT, b STRING NOT NULL COMMENT 'c', `x-y` ARRAY<DOUBLE>")


class DdlTest(unittest.TestCase):
    def test_column_list(self):
        self.assertEqual(_parse_datatype_string("a INT, b STRING"),
                         StructType([StructField("a", IntegerType()),
                                     StructField("b", StringType())]))
        parsed = StructType.fromDDL("id BIGINT NOT NULL COMMENT 'key', price DECIMAL(10,2)")
        self.assertEqual(parsed[0], StructField("id", LongType(), False, {"comment": "key"}))
        self.assertEqual(parsed[1].dataType, DecimalType(10, 2))

    def test_single_types(self):
        self.assertEqual(_parse_datatype_string("int"), IntegerType())
        self.assertEqual(_parse_datatype_string("ARRAY<INT>"), ArrayType(IntegerType()))
        self.assertEqual(DataType.fromDDL("map<string, array<bigint>>"),
                         MapType(StringType(), ArrayType(LongType())))
        self.assertEqual(_parse_datatype_string("struct<a: int, b string>"),
                         StructType([StructField("a", IntegerType()),
                                     StructField("b", StringType())]))

    def test_legacy_colon_form(self):
        self.assertEqual(_parse_datatype_string("a: byte, b: decimal(16, 8)"),
                         StructType([StructField("a", ByteType()),
                                     StructField("b", DecimalType(16, 8))]))

    def test_errors(self):
        with self.assertRaises(errors.ParseException):
            _parse_datatype_string("blabla")
        with self.assertRaises(errors.ParseException):
            _parse_datatype_string("array<int")
        with self.assertRaises(errors.ParseException):
            StructType.fromDDL("int")

    def test_ddl_round_trip(self):
        struct = StructType([StructField("a", IntegerType(), False),
                             StructField("select", MapType(StringType(), DateType())),
                             StructField("s", StructType([StructField("x", LongType())]))])
        self.assertEqual(StructType.fromDDL(_schema_ddl(struct)), struct)


class RowTest(unittest.TestCase):
    def test_keyword_row(self):
        row = Row(name="Alice", age=11)
        self.assertEqual(row, ("Alice", 11))
        self.assertEqual(row.name, "Alice")
        self.assertEqual(row["age"], 11)
        self.assertEqual(row[0], "Alice")
        self.assertEqual(row[-1:], ("Alice", 11)[-1:])
        self.assertEqual(repr(row), "Row(name='Alice', age=11)")
        self.assertTrue("name" in row)
        self.assertFalse("Alice" in row)
        self.assertEqual(row.asDict(), {"name": "Alice", "age": 11})
        with self.assertRaises(AttributeError):
            row.height
        with self.assertRaises(ValueError):
            row["height"]
        with self.assertRaises(RuntimeError):
            row.name = "Bob"

    def test_row_class(self):
        Person = Row("name", "age")
        self.assertEqual(repr(Person), "<Row('name', 'age')>")
        self.assertTrue("age" in Person)
        alice = Person("Alice", 11)
        self.assertEqual(alice, Row(name="Alice", age=11))
        self.assertEqual(alice.age, 11)
        self.assertEqual(repr(alice), "Row(name='Alice', age=11)")
        with self.assertRaises(ValueError):
            Person(1, 2, 3)
        with self.assertRaises(TypeError):
            Person.asDict()

    def test_recursive_as_dict(self):
        row = Row(key=1, value=Row(name="a", items=[Row(x=1)]))
        self.assertEqual(row.asDict(), {"key": 1, "value": Row(name="a", items=[Row(x=1)])})
        self.assertEqual(row.asDict(True), {"key": 1, "value": {"name": "a", "items": [{"x": 1}]}})

    def test_pickle(self):
        row = Row(a=1, b="x")
        copy = pickle.loads(pickle.dumps(row))
        self.assertEqual(copy, row)
        self.assertEqual(copy.b, "x")

    def test_args_and_kwargs(self):
        with self.assertRaises(ValueError):
            Row("a", b=1)


class InferenceTest(unittest.TestCase):
    def test_atomic(self):
        self.assertEqual(_infer_type(True), BooleanType())
        self.assertEqual(_infer_type(1), LongType())
        self.assertEqual(_infer_type(1.5), DoubleType())
        self.assertEqual(_infer_type("s"), StringType())
        self.assertEqual(_infer_type(b"x"), BinaryType())
        self.assertEqual(_infer_type(bytearray(b"x")), BinaryType())
        self.assertEqual(_infer_type(decimal.Decimal("1.5")), DecimalType(38, 18))
        self.assertEqual(_infer_type(datetime.datetime(2024, 1, 2, 3, 4)), TimestampType())
        self.assertEqual(_infer_type(datetime.datetime(2024, 1, 2), prefer_timestamp_ntz=True),
                         TimestampNTZType())
        self.assertEqual(_infer_type(datetime.date(2024, 1, 2)), DateType())
        self.assertEqual(_infer_type(datetime.timedelta(days=1)), DayTimeIntervalType())
        self.assertEqual(_infer_type(None), NullType())

    def test_collections(self):
        self.assertEqual(_infer_type([]), ArrayType(NullType()))
        self.assertEqual(_infer_type([None, 1, 2]), ArrayType(LongType()))
        self.assertEqual(_infer_type([1, "a"]), ArrayType(StringType()))
        with self.assertRaises(TypeError):
            _infer_type([1, 2.5])
        self.assertEqual(_infer_type([1, 2.5], infer_array_from_first_element=True),
                         ArrayType(LongType()))
        self.assertEqual(_infer_type({"a": 1}), MapType(StringType(), LongType()))
        self.assertEqual(_infer_type({"a": None, "b": 1.0}), MapType(StringType(), DoubleType()))
        self.assertEqual(_infer_type({}), MapType(NullType(), NullType()))
        self.assertEqual(_infer_type({"a": 1}, infer_dict_as_struct=True),
                         StructType([StructField("a", LongType())]))
        self.assertEqual(_infer_type((1, "x")),
                         StructType([StructField("_1", LongType()),
                                     StructField("_2", StringType())]))

    def test_infer_schema(self):
        self.assertEqual(_infer_schema({"b": 1, "a": "x"}),
                         StructType([StructField("a", StringType()),
                                     StructField("b", LongType())]))
        self.assertEqual(_infer_schema(Row(b=1, a=[1.0])).names, ["b", "a"])
        self.assertEqual(_infer_schema(Row(b=1, a=[1.0]))["a"].dataType, ArrayType(DoubleType()))
        Point = collections.namedtuple("Point", ["y", "x"])
        self.assertEqual(_infer_schema(Point(1, 2)).names, ["y", "x"])
        self.assertEqual(_infer_schema((1, 2, 3), names=["a"]).names, ["a", "_2", "_3"])

        class Thing:
            def __init__(self):
                self.z = datetime.date(2024, 1, 1)
                self.m = Row(q=1)

        schema = _infer_schema(Thing())
        self.assertEqual(schema.names, ["m", "z"])
        self.assertEqual(schema["m"].dataType, StructType([StructField("q", LongType())]))
        with self.assertRaises(TypeError):
            _infer_schema(5)
        with self.assertRaises(TypeError):
            _infer_schema({"a": {1, 2}})

    def test_merge(self):
        self.assertEqual(_merge_type(NullType(), LongType()), LongType())
        self.assertEqual(_merge_type(LongType(), NullType()), LongType())
        self.assertEqual(_merge_type(TimestampNTZType(), TimestampType()), TimestampType())
        self.assertEqual(_merge_type(LongType(), StringType()), StringType())
        with self.assertRaises(TypeError):
            _merge_type(LongType(), DoubleType())
        a = StructType([StructField("x", LongType()), StructField("y", NullType())])
        b = StructType([StructField("y", StringType()), StructField("z", DoubleType())])
        self.assertEqual(_merge_type(a, b),
                         StructType([StructField("x", LongType()),
                                     StructField("y", StringType()),
                                     StructField("z", DoubleType())]))
        self.assertEqual(_merge_type(ArrayType(NullType(), False), ArrayType(LongType())),
                         ArrayType(LongType(), True))
        self.assertEqual(_merge_type(MapType(StringType(), NullType()),
                                     MapType(StringType(), LongType())),
                         MapType(StringType(), LongType()))


if __name__ == "__main__":
    unittest.main()
