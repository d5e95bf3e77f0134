"""pyspark.sql.functions, part 4: arrays, maps and structs, higher-order functions with
Python lambdas, generators, and JSON and CSV functions.

Element values given to array_contains(), array_position(), element_at(), ... are
literals unless they are Columns (a str is a string there, as PySpark passes them
through lit())."""

from _sluice_py import errors as _errors
from _sluice_py.functions_core import (
    call, col_sql, fn, higher_order, int_or_col_sql, lit_sql, options_sql, refuse, unpack)
from _sluice_py.sqltext import quote_identifier, string_literal
from pyspark.sql.column import Column, _literal_sql

__all__ = [
    # arrays
    "array", "array_append", "array_compact", "array_contains", "array_distinct",
    "array_except", "array_insert", "array_intersect", "array_join", "array_max", "array_min",
    "array_position", "array_prepend", "array_remove", "array_repeat", "array_size",
    "array_sort", "array_union", "arrays_overlap", "arrays_zip", "cardinality", "concat",
    "element_at", "flatten", "get", "reverse", "sequence", "shuffle", "size", "slice",
    "sort_array", "try_element_at",
    # maps and structs
    "create_map", "map_concat", "map_contains_key", "map_entries", "map_from_arrays",
    "map_from_entries", "map_keys", "map_values", "str_to_map", "named_struct", "struct",
    # higher-order functions
    "aggregate", "exists", "filter", "forall", "map_filter", "map_zip_with", "reduce",
    "transform", "transform_keys", "transform_values", "zip_with",
    # generators
    "explode", "explode_outer", "inline", "inline_outer", "posexplode", "posexplode_outer",
    "stack",
    # JSON and CSV
    "from_json", "get_json_object", "json_array_length", "json_object_keys", "json_tuple",
    "schema_of_json", "to_json", "from_csv", "schema_of_csv", "to_csv",
]


# --- arrays -----------------------------------------------------------------------------------

def array(*cols):
    """An array of the values of `cols` (also given as one list)."""
    return fn("array", *unpack(cols))


def array_append(col, value):
    """The array with `value` added at the end."""
    return call("array_append", col_sql(col), lit_sql(value))


def array_prepend(col, value):
    """The array with `value` added at the start."""
    return call("array_prepend", col_sql(col), lit_sql(value))


def array_insert(arr, pos, value):
    """The array with `value` inserted at the 1-based position `pos` (negative: from the
    end)."""
    return call("array_insert", col_sql(arr, "arr"), int_or_col_sql(pos, "pos"),
                lit_sql(value))


def array_contains(col, value):
    """Whether the array holds `value`."""
    return call("array_contains", col_sql(col), lit_sql(value))


def array_position(col, value):
    """The 1-based position of the first `value` in the array (0 when absent)."""
    return call("array_position", col_sql(col), lit_sql(value))


def array_remove(col, element):
    """The array without the elements equal to `element`."""
    return call("array_remove", col_sql(col), lit_sql(element))


def array_repeat(col, count):
    """An array of `col` repeated `count` times."""
    return call("array_repeat", col_sql(col), int_or_col_sql(count, "count"))


def array_compact(col):
    """The array without NULL elements."""
    return fn("array_compact", col)


def array_distinct(col):
    """The array without duplicate elements."""
    return fn("array_distinct", col)


def array_union(col1, col2):
    """The distinct elements of both arrays."""
    return fn("array_union", col1, col2)


def array_intersect(col1, col2):
    """The distinct elements in both arrays."""
    return fn("array_intersect", col1, col2)


def array_except(col1, col2):
    """The distinct elements of `col1` not in `col2`."""
    return fn("array_except", col1, col2)


def arrays_overlap(a1, a2):
    """Whether the arrays share a non-NULL element."""
    return fn("arrays_overlap", a1, a2)


def arrays_zip(*cols):
    """An array of structs whose n-th holds the n-th elements of the arrays."""
    return fn("arrays_zip", *cols)


def array_join(col, delimiter, null_replacement=None):
    """The elements joined by `delimiter`, NULLs skipped or replaced."""
    args = [col_sql(col), _literal_sql(delimiter)]
    if null_replacement is not None:
        args.append(_literal_sql(null_replacement))
    return call("array_join", *args)


def array_max(col):
    """The greatest element."""
    return fn("array_max", col)


def array_min(col):
    """The least element."""
    return fn("array_min", col)


def array_size(col):
    """The number of elements."""
    return fn("array_size", col)


def cardinality(col):
    """The number of elements of an array or map."""
    return fn("cardinality", col)


def size(col):
    """The number of elements of an array or map."""
    return fn("size", col)


def array_sort(col, comparator=None):
    """The array sorted ascending (NULLs last), or by `comparator(left, right)` returning
    a negative, zero or positive integer."""
    if comparator is None:
        return fn("array_sort", col)
    return higher_order("array_sort", [col], [comparator])


def sort_array(col, asc=True):
    """The array sorted, NULLs first when ascending."""
    return call("sort_array", col_sql(col), _literal_sql(asc))


def concat(*cols):
    """The strings, binaries or arrays of `cols` concatenated."""
    return fn("concat", *cols)


def element_at(col, extraction):
    """The element at the 1-based index (an array) or key (a map) `extraction`."""
    return call("element_at", col_sql(col), lit_sql(extraction))


def try_element_at(col, extraction):
    """element_at(), NULL for an index out of bounds; `extraction` a Column or name."""
    return fn("try_element_at", col, extraction)


def get(col, index):
    """The element at the 0-based `index`, NULL when out of bounds."""
    return call("get", col_sql(col), int_or_col_sql(index, "index"))


def flatten(col):
    """An array of arrays as one array."""
    return fn("flatten", col)


def reverse(col):
    """A string or array reversed."""
    return fn("reverse", col)


def sequence(start, stop, step=None):
    """The integers (or dates, timestamps) from `start` to `stop` by `step`."""
    if step is None:
        return fn("sequence", start, stop)
    return fn("sequence", start, stop, step)


def shuffle(col):
    """The array in a random order."""
    return fn("shuffle", col)


def slice(col, start, length):
    """`length` elements from the 1-based index `start` (negative: from the end)."""
    return call("slice", col_sql(col), int_or_col_sql(start, "start"),
                int_or_col_sql(length, "length"))


# --- maps and structs -------------------------------------------------------------------------

def create_map(*cols):
    """A map of alternating keys and values (also given as one list)."""
    return fn("map", *unpack(cols))


def map_concat(*cols):
    """The union of maps (also given as one list)."""
    return fn("map_concat", *unpack(cols))


def map_contains_key(col, value):
    """Whether the map has the key `value`."""
    return call("map_contains_key", col_sql(col), lit_sql(value))


def map_entries(col):
    """The entries of a map as an array of key-value structs."""
    return fn("map_entries", col)


def map_from_arrays(col1, col2):
    """A map of the keys in `col1` and the values in `col2`."""
    return fn("map_from_arrays", col1, col2)


def map_from_entries(col):
    """A map of an array of key-value structs."""
    return fn("map_from_entries", col)


def map_keys(col):
    """The keys of a map."""
    return fn("map_keys", col)


def map_values(col):
    """The values of a map."""
    return fn("map_values", col)


def str_to_map(text, pairDelim=None, keyValueDelim=None):
    """A map parsed from `text`; the delimiters (Columns or names) default to ',' and ':'."""
    pair = _literal_sql(",") if pairDelim is None else col_sql(pairDelim, "pairDelim")
    key_value = (_literal_sql(":") if keyValueDelim is None
                 else col_sql(keyValueDelim, "keyValueDelim"))
    return call("str_to_map", col_sql(text, "text"), pair, key_value)


def struct(*cols):
    """A struct of `cols` (also given as one list), fields named after them; an aliased
    Column names its field (`struct(a AS b)`)."""
    fields = []
    for c in unpack(cols):
        if isinstance(c, Column) and isinstance(c._alias, str):
            fields.append("%s AS %s" % (c._sql, quote_identifier(c._alias)))
        else:
            fields.append(col_sql(c))
    return call("struct", *fields)


def named_struct(*cols):
    """A struct of alternating field names (lit('name')) and values."""
    return fn("named_struct", *cols)


# --- higher-order functions ---------------------------------------------------------------------
# The functions take Python functions of Columns: see lambda_sql() in functions_core.

def transform(col, f):
    """Each element mapped by f(x) or f(x, index)."""
    return higher_order("transform", [col], [f])


def filter(col, f):
    """The elements for which f(x) or f(x, index) is true."""
    return higher_order("filter", [col], [f])


def exists(col, f):
    """Whether f(x) is true for some element."""
    return higher_order("exists", [col], [f])


def forall(col, f):
    """Whether f(x) is true for every element."""
    return higher_order("forall", [col], [f])


def aggregate(col, initialValue, merge, finish=None):
    """A fold: merge(acc, x) from `initialValue` over the elements, then finish(acc)."""
    funcs = [merge] if finish is None else [merge, finish]
    return higher_order("aggregate", [col, initialValue], funcs)


def reduce(col, initialValue, merge, finish=None):
    """A fold, as aggregate()."""
    funcs = [merge] if finish is None else [merge, finish]
    return higher_order("reduce", [col, initialValue], funcs)


def zip_with(left, right, f):
    """The arrays merged element-wise by f(x, y)."""
    return higher_order("zip_with", [left, right], [f])


def map_filter(col, f):
    """The entries for which f(key, value) is true."""
    return higher_order("map_filter", [col], [f])


def transform_keys(col, f):
    """The map with keys f(key, value)."""
    return higher_order("transform_keys", [col], [f])


def transform_values(col, f):
    """The map with values f(key, value)."""
    return higher_order("transform_values", [col], [f])


def map_zip_with(col1, col2, f):
    """The maps merged by key with f(key, value1, value2)."""
    return higher_order("map_zip_with", [col1, col2], [f])


# --- generators -------------------------------------------------------------------------------

def explode(col):
    """A row for each element (col) or entry (key, value)."""
    return fn("explode", col)


def explode_outer(col):
    """explode(), with a row of NULLs for a NULL or empty collection."""
    return fn("explode_outer", col)


def posexplode(col):
    """A row for each element with its position (pos, col)."""
    return fn("posexplode", col)


def posexplode_outer(col):
    """posexplode(), with a row of NULLs for a NULL or empty collection."""
    return fn("posexplode_outer", col)


def inline(col):
    """A row for each struct of an array, its fields as columns."""
    return fn("inline", col)


def inline_outer(col):
    """inline(), with a row of NULLs for a NULL or empty array."""
    return fn("inline_outer", col)


def stack(*cols):
    """The values after the first split into that many rows."""
    return fn("stack", *cols)


# --- JSON and CSV -------------------------------------------------------------------------------
# Options are a dict of str keys and values, passed as map('key', 'value', ...).

def _schema_sql(schema):
    """A schema argument: a DDL string, a DataType (as its DDL type text) or a Column.
    pyspark.sql.types is imported here, on use, not when the module loads."""
    if isinstance(schema, Column):
        return schema._sql
    from pyspark.sql.types import DataType, _parse_datatype_json_string, _type_sql
    if isinstance(schema, str):
        # Like Spark's from_json(col, str): a DataType's JSON, else DDL.
        if schema.lstrip().startswith("{"):
            try:
                schema = _parse_datatype_json_string(schema)
            except Exception:
                return string_literal(schema)
        else:
            return string_literal(schema)
    if isinstance(schema, DataType):
        return string_literal(_type_sql(schema))
    raise _errors.PySparkTypeError(
        "[NOT_COLUMN_OR_DATATYPE_OR_STR] Argument `schema` should be a Column, DataType or "
        "str, got %s." % type(schema).__name__)


def _with_options(name, args, options):
    if options:
        args = args + [options_sql(options)]
    return call(name, *args)


def from_json(col, schema, options=None):
    """A JSON string parsed as `schema` (a struct, array or map type; DDL, DataType or
    Column), NULL for malformed input by default."""
    return _with_options("from_json", [col_sql(col), _schema_sql(schema)], options)


def to_json(col, options=None):
    """A struct, array or map as a JSON string."""
    return _with_options("to_json", [col_sql(col)], options)


def schema_of_json(json, options=None):
    """The DDL schema of a JSON string (a literal str or a Column)."""
    if isinstance(json, Column):
        json_sql = json._sql
    elif isinstance(json, str):
        json_sql = string_literal(json)
    else:
        raise _errors.PySparkTypeError(
            "[NOT_COLUMN_OR_STR] Argument `json` should be a Column or str, got %s."
            % type(json).__name__)
    return _with_options("schema_of_json", [json_sql], options)


def get_json_object(col, path):
    """The value at the literal JSON path `path` ('$.a.b[0]') as a string."""
    return call("get_json_object", col_sql(col), _literal_sql(path))


def json_array_length(col):
    """The number of elements of the outermost JSON array."""
    return fn("json_array_length", col)


def json_object_keys(col):
    """The keys of the outermost JSON object."""
    return fn("json_object_keys", col)


def json_tuple(col, *fields):
    """A row of the values of the literal top-level `fields` of a JSON object."""
    if not fields:
        raise _errors.PySparkValueError(
            "[CANNOT_BE_EMPTY] At least one field must be specified.")
    return call("json_tuple", col_sql(col), *[_literal_sql(f) for f in fields])


def from_csv(col, schema, options=None):
    """Parsing CSV text: not in sluice's catalog."""
    raise refuse("from_csv")


def to_csv(col, options=None):
    """Writing a struct as CSV text: not in sluice's catalog."""
    raise refuse("to_csv")


def schema_of_csv(csv, options=None):
    """The schema of CSV text: not in sluice's catalog."""
    raise refuse("schema_of_csv")
