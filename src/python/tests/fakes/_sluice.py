"""A stand-in for the embedded C++ module `_sluice`, for tests run with the system Python.
It implements only what the tests need, by the contract the real module keeps:

    _sluice.parse_ddl(text: str) -> str

`text` is read first as a column list (`a INT, b STRING NOT NULL COMMENT 'c'`, as Spark's
StructType.fromDDL reads it; no `name: type` colons there), and when that fails as one data
type (`INT`, `ARRAY<INT>`, `MAP<STRING, INT>`, `STRUCT<a: INT, b STRING>`, `DECIMAL(10,2)`,
as Spark's parseDataType reads it). Keywords and type names are case-insensitive; names
keep their case; `backquoted` names may hold any character (`` is one backquote).

It returns JSON text exactly as pyspark.sql.types' DataType.json() writes it:
  * a column list: {"type":"struct","fields":[{"name":..,"type":..,"nullable":..,
    "metadata":{..}}, ...]}; NOT NULL gives "nullable": false, COMMENT 'c' gives
    "metadata": {"comment": "c"}; otherwise "nullable": true and "metadata": {};
  * an atomic type: a JSON string: "boolean", "byte" (TINYINT/BYTE), "short"
    (SMALLINT/SHORT), "integer" (INT/INTEGER), "long" (BIGINT/LONG), "float" (FLOAT/REAL),
    "double", "decimal(p,s)" (DECIMAL/DEC/NUMERIC; bare is decimal(10,0)), "string",
    "char(n)", "varchar(n)", "binary", "date", "timestamp" (TIMESTAMP/TIMESTAMP_LTZ),
    "timestamp_ntz", "void", "interval" (bare INTERVAL), "interval day to second" and the
    other ANSI interval names;
  * {"type":"array","elementType":..,"containsNull":true},
    {"type":"map","keyType":..,"valueType":..,"valueContainsNull":true}, and structs as
    above (a struct field's `:` is optional, as in Spark).

Text that reads neither way raises ValueError with the parser's message (the real module
may raise _sluice_py.errors.ParseException instead; callers accept either).
"""

import json
import re

_TOKEN = re.compile(r"\s*(?:(`(?:[^`]|``)*`)|('(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)"
                    r"|(-?\d+)|([<>(),:]))")

_ATOMIC = {
    "boolean": "boolean", "tinyint": "byte", "byte": "byte", "smallint": "short",
    "short": "short", "int": "integer", "integer": "integer", "bigint": "long",
    "long": "long", "float": "float", "real": "float", "double": "double",
    "string": "string", "binary": "binary", "date": "date", "timestamp": "timestamp",
    "timestamp_ltz": "timestamp", "timestamp_ntz": "timestamp_ntz", "void": "void",
}
_INTERVAL_UNITS = ("year", "month", "day", "hour", "minute", "second")


def _tokens(text):
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'"
                             % text[pos:].strip())
        quoted, string, word, number, punct = m.groups()
        if quoted is not None:
            out.append(("name", quoted[1:-1].replace("``", "`")))
        elif string is not None:
            out.append(("string", re.sub(r"\\(.)", r"\1", string[1:-1])))
        elif word is not None:
            out.append(("word", word))
        elif number is not None:
            out.append(("number", int(number)))
        else:
            out.append(("punct", punct))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else ("end", None)

    def take(self):
        tok = self.peek()
        if tok[0] == "end":
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input")
        self.i += 1
        return tok

    def accept(self, kind, value):
        tok = self.peek()
        if tok[0] == kind and (tok[1] == value or
                               (kind == "word" and str(tok[1]).lower() == value)):
            self.i += 1
            return True
        return False

    def expect(self, kind, value):
        if not self.accept(kind, value):
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'"
                             % (self.peek()[1],))

    def at_end(self):
        return self.peek()[0] == "end"

    def name(self):
        kind, value = self.take()
        if kind not in ("word", "name"):
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (value,))
        return value

    def number(self):
        kind, value = self.take()
        if kind != "number":
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (value,))
        return value

    def field(self, colon_allowed):
        name = self.name()
        if colon_allowed:
            self.accept("punct", ":")
        data_type = self.data_type()
        nullable, metadata = True, {}
        if self.accept("word", "not"):
            self.expect("word", "null")
            nullable = False
        if self.accept("word", "comment"):
            kind, value = self.take()
            if kind != "string":
                raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (value,))
            metadata["comment"] = value
        return {"name": name, "type": data_type, "nullable": nullable, "metadata": metadata}

    def data_type(self):
        kind, word = self.take()
        if kind != "word":
            raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (word,))
        lower = word.lower()
        if lower in _ATOMIC:
            return _ATOMIC[lower]
        if lower in ("decimal", "dec", "numeric"):
            precision, scale = 10, 0
            if self.accept("punct", "("):
                precision = self.number()
                scale = self.number() if self.accept("punct", ",") else 0
                self.expect("punct", ")")
            return "decimal(%d,%d)" % (precision, scale)
        if lower in ("char", "varchar"):
            self.expect("punct", "(")
            length = self.number()
            self.expect("punct", ")")
            return "%s(%d)" % (lower, length)
        if lower == "interval":
            return self.interval()
        if lower == "array":
            self.expect("punct", "<")
            element = self.data_type()
            self.expect("punct", ">")
            return {"type": "array", "elementType": element, "containsNull": True}
        if lower == "map":
            self.expect("punct", "<")
            key = self.data_type()
            self.expect("punct", ",")
            value = self.data_type()
            self.expect("punct", ">")
            return {"type": "map", "keyType": key, "valueType": value,
                    "valueContainsNull": True}
        if lower == "struct":
            self.expect("punct", "<")
            fields = []
            if not self.accept("punct", ">"):
                fields.append(self.field(colon_allowed=True))
                while self.accept("punct", ","):
                    fields.append(self.field(colon_allowed=True))
                self.expect("punct", ">")
            return {"type": "struct", "fields": fields}
        raise ValueError("[UNSUPPORTED_DATATYPE] Unsupported data type \"%s\"" % word.upper())

    def interval(self):
        kind, unit = self.peek()
        if kind != "word" or unit.lower() not in _INTERVAL_UNITS:
            return "interval"
        self.i += 1
        start = unit.lower()
        end = start
        if self.accept("word", "to"):
            end = self.name().lower()
        if start == end:
            return "interval %s" % start
        return "interval %s to %s" % (start, end)


def _column_list(text):
    p = _Parser(text)
    fields = [p.field(colon_allowed=False)]
    while p.accept("punct", ","):
        fields.append(p.field(colon_allowed=False))
    if not p.at_end():
        raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (p.peek()[1],))
    return {"type": "struct", "fields": fields}


def _single_type(text):
    p = _Parser(text)
    data_type = p.data_type()
    if not p.at_end():
        raise ValueError("[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'" % (p.peek()[1],))
    return data_type


def parse_ddl(text):
    try:
        value = _column_list(text)
    except ValueError:
        value = _single_type(text)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
