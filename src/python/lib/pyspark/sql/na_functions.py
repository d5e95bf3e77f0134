"""DataFrame.na (pyspark.sql.DataFrameNaFunctions): fill, drop and replace, compiled to a
projection or a filter of the DataFrame's query, with Spark's rules for which columns a
value applies to."""

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py.sqltext import quote_identifier, split_name
from pyspark.sql.column import Column, _literal_sql

__all__ = ["DataFrameNaFunctions"]

_NO_VALUE = object()  # replace() called without `value`


class DataFrameNaFunctions:
    """df.na: fill, drop and replace, with the rules of Spark's DataFrameNaFunctions."""

    def __init__(self, df):
        self._df = df

    def _columns(self):
        """[(entry of DataFrame._output(), field)] of the DataFrame's columns."""
        df = self._df
        fields = df.schema.fields
        select, qualifiers, columns = df._reselect(compose=False)
        if len(columns) != len(fields):
            raise _errors.AnalysisException("the columns of this DataFrame are not known")
        return select, qualifiers, list(zip(columns, fields))

    def _chosen(self, subset, columns, what):
        """The positions of the columns named in `subset` (None: all), each of which must
        be a column, as Spark resolves them."""
        if subset is None:
            return set(range(len(columns)))
        if isinstance(subset, str):
            subset = [subset]
        if not isinstance(subset, (list, tuple)):
            raise _errors.PySparkTypeError(
                "[NOT_LIST_OR_TUPLE] Argument `subset` of %s should be a list or tuple, got %s."
                % (what, type(subset).__name__))
        return {_resolve_column(name, [c[0][0] for c in columns]) for name in subset}

    def _project(self, select, qualifiers, items, origin):
        select.project(items, origin)
        return self._df._derive(select, names=[c[0] for c in items], qualifiers=qualifiers)

    def fill(self, value, subset=None):
        origin = _origin.user_origin(3)
        if isinstance(value, dict):
            values = value
        elif isinstance(value, (bool, int, float, str)):
            # PySpark passes an int as a float: Spark fills numeric columns with a DOUBLE
            # cast to each column's type.
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            values = None
        else:
            raise _errors.PySparkTypeError(
                "[NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR] Argument `value` should be a bool, "
                "dict, float, int or str, got %s." % type(value).__name__)
        select, qualifiers, columns = self._columns()
        names = [c[0][0] for c in columns]
        fills = {}  # position -> value
        if values is not None:
            # A dict fills its columns whatever their types (the value is cast).
            for name, v in values.items():
                if not isinstance(v, (bool, int, float, str)):
                    raise _errors.PySparkTypeError(
                        "Unsupported value type %s (%r) in fillna()" % (type(v).__name__, v))
                fills.setdefault(_resolve_column(name, names), v)
        else:
            for i in sorted(self._chosen(subset, columns, "fillna")):
                if _fill_applies(value, columns[i][1].dataType):
                    fills[i] = value
        if not fills:
            return self._df
        items = []
        for i, ((name, body, qualifier, frames), field) in enumerate(columns):
            if i in fills:
                body = _fill_sql(body, field.dataType, fills[i])
                qualifier, frames = "", set()
            items.append((name, body, qualifier, frames))
        return self._project(select, qualifiers, items, origin)

    def drop(self, how="any", thresh=None, subset=None):
        from pyspark.sql import types as T
        if how is not None and how not in ("any", "all"):
            raise _errors.PySparkValueError(
                "[VALUE_NOT_ANY_OR_ALL] Value for `how` must be 'any' or 'all', got '%s'." % how)
        if thresh is not None and (isinstance(thresh, bool) or not isinstance(thresh, int)):
            raise _errors.PySparkTypeError("[NOT_INT] Argument `thresh` should be an int, got %s."
                                           % type(thresh).__name__)
        _, _, columns = self._columns()
        chosen = sorted(self._chosen(subset, columns, "dropna"))
        if thresh is None:
            thresh = len(chosen) if how == "any" else 1
        if thresh <= 0:
            return self._df
        tests = []
        for i in chosen:
            (name, _, _, _), field = columns[i]
            test = "%s IS NOT NULL" % quote_identifier(name)
            if isinstance(field.dataType, (T.DoubleType, T.FloatType)):
                test = "(%s AND NOT isnan(%s))" % (test, quote_identifier(name))
            tests.append(test)
        # Spark keeps the rows with at least `thresh` values that are neither NULL nor NaN.
        if thresh > len(tests):
            condition = "false"
        elif thresh == len(tests):
            condition = " AND ".join(tests)
        elif thresh == 1:
            condition = " OR ".join(tests)
        else:
            condition = "(%s) >= %d" % (" + ".join("CASE WHEN %s THEN 1 ELSE 0 END" % t
                                                   for t in tests), thresh)
        return self._df.filter(Column(condition))

    def replace(self, to_replace, value=_NO_VALUE, subset=None):
        origin = _origin.user_origin(3)
        if value is _NO_VALUE:
            if not isinstance(to_replace, dict):
                raise _errors.PySparkTypeError(
                    "[ARGUMENT_REQUIRED] Argument `value` is required when argument "
                    "`to_replace` is not a dictionary.")
            value = None
        scalars = (bool, float, int, str)
        if not isinstance(to_replace, scalars + (list, tuple, dict)):
            raise _errors.PySparkTypeError(
                "[NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_LIST_OR_STR_OR_TUPLE] Argument "
                "`to_replace` should be a bool, dict, float, int, list, str or tuple, got %s."
                % type(to_replace).__name__)
        if value is not None and not isinstance(to_replace, dict) and \
                not isinstance(value, scalars + (list, tuple)):
            raise _errors.PySparkTypeError(
                "[NOT_BOOL_OR_FLOAT_OR_INT_OR_LIST_OR_NONE_OR_STR_OR_TUPLE] Argument `value` "
                "should be a bool, float, int, list, None, str or tuple, got %s."
                % type(value).__name__)
        if isinstance(to_replace, scalars):
            to_replace = [to_replace]
        if isinstance(to_replace, dict):
            pairs = list(to_replace.items())
        else:
            if isinstance(value, (list, tuple)):
                if len(value) != len(to_replace):
                    raise _errors.PySparkValueError(
                        "[LENGTH_SHOULD_BE_THE_SAME] to_replace and value should be of the "
                        "same length. Got %d and %d" % (len(to_replace), len(value)))
                pairs = list(zip(to_replace, value))
            else:
                pairs = [(k, value) for k in to_replace]
        pairs = list(dict(pairs).items())  # a key given twice keeps its last value
        keys = [k for k, _ in pairs]
        values = [v for _, v in pairs if v is not None]
        if not any(all(isinstance(x, t) for x in keys) and all(isinstance(x, t) for x in values)
                   for t in (bool, str, (float, int))):
            raise _errors.PySparkValueError(
                "[MIXED_TYPE_REPLACEMENT] Mixed type replacements are not supported.")
        if not pairs:
            return self._df
        select, qualifiers, columns = self._columns()
        chosen = self._chosen(subset, columns, "replace")
        # Spark replaces in the columns of the first key's type (any numeric type for a
        # number); numbers compare and convert as DOUBLEs.
        first = keys[0]
        items, changed = [], False
        for i, ((name, body, qualifier, frames), field) in enumerate(columns):
            if i in chosen and _fill_applies(first, field.dataType):
                changed = True
                cases = " ".join("WHEN %s THEN %s" % (_replace_literal(k),
                                                      _value_of_type(v, field.dataType))
                                 for k, v in pairs)
                body = "CASE %s %s ELSE %s END" % (body, cases, body)
                qualifier, frames = "", set()
            items.append((name, body, qualifier, frames))
        if not changed:
            return self._df
        return self._project(select, qualifiers, items, origin)



def _resolve_column(name, names):
    """The position of the column `name` among `names`, as Spark resolves a column name
    (ignoring case); an unknown or ambiguous name is Spark's error."""
    if not isinstance(name, str):
        raise _errors.PySparkTypeError("[NOT_STR] column names should be str, got %s."
                                       % type(name).__name__)
    parts = split_name(name)
    wanted = parts[0].lower() if len(parts) == 1 else None
    found = [i for i, n in enumerate(names) if n.lower() == wanted]
    if len(found) > 1:
        raise _errors.AnalysisException(
            "[AMBIGUOUS_REFERENCE] Reference `%s` is ambiguous, could be: [%s]."
            % (name, ", ".join("`%s`" % names[i] for i in found)))
    if not found:
        raise _errors.AnalysisException(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
            "`%s` cannot be resolved. Did you mean one of the following? [%s]."
            % (name, ", ".join("`%s`" % n for n in names)))
    return found[0]


def _fill_applies(value, data_type):
    """Spark's rule of which columns a fill or replace value applies to."""
    from pyspark.sql import types as T
    if isinstance(value, bool):
        return isinstance(data_type, T.BooleanType)
    if isinstance(value, (int, float)):
        return isinstance(data_type, T.NumericType)
    if isinstance(value, str):
        return isinstance(data_type, T.StringType)
    return False


def _value_of_type(value, data_type):
    """The SQL of `value` cast to `data_type` (Spark: lit(value).cast(type)); numbers are
    DOUBLEs first, as Spark converts them; no cast where the literal has the type."""
    from pyspark.sql import types as T
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
    literal = _literal_sql(value)
    if value is None:
        return "CAST(NULL AS %s)" % T._type_sql(data_type)
    if (isinstance(value, str) and isinstance(data_type, T.StringType)) or \
            (isinstance(value, bool) and isinstance(data_type, T.BooleanType)) or \
            (isinstance(value, float) and isinstance(data_type, T.DoubleType)):
        return literal
    return "CAST(%s AS %s)" % (literal, T._type_sql(data_type))


def _replace_literal(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _literal_sql(float(value))
    return _literal_sql(value)


def _fill_sql(body, data_type, value):
    """Spark's fill of one column: coalesce(column, value cast to its type), NaN counting
    as NULL in DOUBLE and FLOAT columns."""
    from pyspark.sql import types as T
    if isinstance(data_type, (T.DoubleType, T.FloatType)):
        body = "nanvl(%s, NULL)" % body
    if isinstance(value, int) and not isinstance(value, bool):
        literal = _literal_sql(value)
        if not isinstance(data_type, T.IntegerType) or not -(2 ** 31) <= value < 2 ** 31:
            literal = "CAST(%s AS %s)" % (literal, T._type_sql(data_type))
        return "coalesce(%s, %s)" % (body, literal)
    return "coalesce(%s, %s)" % (body, _value_of_type(value, data_type))
