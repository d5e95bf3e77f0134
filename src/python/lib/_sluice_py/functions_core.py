"""Building blocks of pyspark.sql.functions: arguments as SQL text, calls, Python lambdas
as SQL lambdas, the text of expr(), option maps, and the error of functions sluice lacks.

Every function of pyspark.sql.functions returns a Column whose text is the Spark SQL call
(`sum(amount)`), unaliased, so that sluice's Spark SQL front-end names it as Spark does.
"""

import inspect as _inspect

from _sluice_py import errors as _errors
from _sluice_py.sqltext import column_reference, string_literal
from pyspark.sql.column import Column, _literal_sql


# --- arguments ------------------------------------------------------------------------------

def col_sql(value, arg="col"):
    """The SQL of a ColumnOrName argument: a Column, or a column name (str)."""
    if isinstance(value, Column):
        return value._sql
    if isinstance(value, str):
        return column_reference(value)
    raise _errors.PySparkTypeError(
        "[NOT_COLUMN_OR_STR] Argument `%s` should be a Column or str, got %s."
        % (arg, type(value).__name__))


def lit_sql(value):
    """The SQL of a literal argument: a Column as it is, any other value as a literal
    (a str is a string, not a column name)."""
    if isinstance(value, Column):
        return value._sql
    return _literal_sql(value)


def int_or_col_sql(value, arg="col"):
    """The SQL of a `ColumnOrName | int` argument: an int is a literal, a str a column."""
    if isinstance(value, int):
        return _literal_sql(value)
    return col_sql(value, arg)


def str_or_col_sql(value, arg):
    """The SQL of a `Column | str` argument where the str is a literal (a time zone, a
    message, a duration), not a column name."""
    if isinstance(value, Column):
        return value._sql
    if isinstance(value, str):
        return string_literal(value)
    raise _errors.PySparkTypeError(
        "[NOT_COLUMN_OR_STR] Argument `%s` should be a Column or str, got %s."
        % (arg, type(value).__name__))


def float_or_col_sql(value, arg="col"):
    """The SQL of an argument of PySpark's binary math functions (atan2, hypot, pow, pmod):
    a Column or a column name, else a number taken as a DOUBLE literal, as PySpark does."""
    if isinstance(value, (Column, str)):
        return col_sql(value, arg)
    return _literal_sql(float(value))


def require_str(value, arg):
    """Raises PySpark's NOT_STR error unless `value` is a str."""
    if not isinstance(value, str):
        raise _errors.PySparkTypeError(
            "[NOT_STR] Argument `%s` should be a str, got %s." % (arg, type(value).__name__))


def unpack(cols):
    """*cols arguments that may also be given as one list, tuple or set."""
    if len(cols) == 1 and isinstance(cols[0], (list, tuple, set)):
        return list(cols[0])
    return list(cols)


# --- calls ----------------------------------------------------------------------------------

def call(name, *args_sql):
    """A Column calling the Spark SQL function `name` with arguments given as SQL text."""
    return Column("%s(%s)" % (name, ", ".join(args_sql)))


def fn(name, *cols):
    """A Column calling `name` with ColumnOrName arguments."""
    return call(name, *[col_sql(c) for c in cols])


def optional_fn(name, *cols):
    """A call of `name` with ColumnOrName arguments whose trailing optional ones (None)
    are left out: f(a, b, None) calls f(a, b)."""
    cols = list(cols)
    while cols and cols[-1] is None:
        cols.pop()
    return fn(name, *cols)


def refuse(name):
    """The error raised by a PySpark function whose Spark SQL function sluice's catalog
    does not have: the call fails rather than computing something else."""
    return _errors.unsupported("pyspark.sql.functions." + name)


def options_sql(options):
    """JSON/CSV options as Spark SQL's map('key', 'value', ...); values become strings as
    PySpark passes them (booleans as true/false)."""
    parts = []
    for key, value in options.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif value is not None:
            value = str(value)
        parts.append(string_literal(str(key)))
        parts.append(_literal_sql(value))
    return "map(%s)" % ", ".join(parts)


# --- lambdas --------------------------------------------------------------------------------
# A Python function given to transform(), filter(), aggregate(), ... is called once with
# placeholder Columns named x_N, y_N, z_N (one per parameter), and its result becomes the
# body of a SQL lambda: `x_1 -> (x_1 + 1)`, `(x_1, y_2) -> ...`. Numbers restart at 1 for
# each outermost higher-order call, so the same code always yields the same text (and
# column names); lambdas nested in a body get the following numbers and never shadow the
# variables of the lambdas around them.

_lambda_depth = 0
_lambda_next = 1


def _lambda_arity(f):
    try:
        params = list(_inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        raise _errors.PySparkValueError(
            "[UNSUPPORTED_PARAM_TYPE_FOR_HIGHER_ORDER_FUNCTION] Function `%s` should use "
            "only POSITIONAL or POSITIONAL OR KEYWORD arguments." % getattr(f, "__name__", f))
    if not 1 <= len(params) <= 3:
        raise _errors.PySparkValueError(
            "[WRONG_NUM_ARGS_FOR_HIGHER_ORDER_FUNCTION] Function `%s` should take between 1 "
            "and 3 arguments, but the provided function takes %d."
            % (getattr(f, "__name__", f), len(params)))
    positional = (_inspect.Parameter.POSITIONAL_ONLY, _inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if not all(p.kind in positional for p in params):
        raise _errors.PySparkValueError(
            "[UNSUPPORTED_PARAM_TYPE_FOR_HIGHER_ORDER_FUNCTION] Function `%s` should use "
            "only POSITIONAL or POSITIONAL OR KEYWORD arguments." % getattr(f, "__name__", f))
    return len(params)


def lambda_sql(f):
    """The SQL lambda of the Python function `f` (1 to 3 positional parameters, returning
    a Column)."""
    global _lambda_depth, _lambda_next
    arity = _lambda_arity(f)
    if _lambda_depth == 0:
        _lambda_next = 1
    names = []
    for letter in "xyz"[:arity]:
        names.append("%s_%d" % (letter, _lambda_next))
        _lambda_next += 1
    _lambda_depth += 1
    try:
        result = f(*[Column(n) for n in names])
    finally:
        _lambda_depth -= 1
    if not isinstance(result, Column):
        raise _errors.PySparkValueError(
            "[HIGHER_ORDER_FUNCTION_SHOULD_RETURN_COLUMN] Function `%s` should return "
            "Column, got %s." % (getattr(f, "__name__", f), type(result).__name__))
    params = names[0] if arity == 1 else "(%s)" % ", ".join(names)
    return "%s -> %s" % (params, result._sql)


def higher_order(name, cols, funcs):
    """A call of the higher-order function `name`: ColumnOrName arguments, then lambdas."""
    return call(name, *([col_sql(c) for c in cols] + [lambda_sql(f) for f in funcs]))


# --- expr() ---------------------------------------------------------------------------------
# expr(text) keeps the text, so that Spark's name for it is kept and a plain name stays a
# plain column reference (expr("a") is the column a). The text is put in parentheses unless
# it is one operand already (a name, a call, a literal, `*`, with any .field or [index]
# after it), so that operators applied later keep its meaning: expr("a + b") * 2 is
# ((a + b) * 2), not (a + b * 2). Parentheses change no name: the front-end names the
# expression inside them. A top-level `AS name` (or `AS (n1, n2)`) becomes the Column's
# alias, as Spark's expr() keeps the alias; an alias written without AS is not recognized
# and the parenthesized text then fails to parse, with the front-end's error.

def _tokens(text):
    """Tokens of SQL text as (kind, value, start, end): kind is 'word', 'quoted' (a
    backquoted name, value unquoted), 'string', 'number' or 'symbol'. Comments are
    skipped."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == "`":
            j, value = i + 1, []
            while j < n:
                if text[j] == "`":
                    if j + 1 < n and text[j + 1] == "`":
                        value.append("`")
                        j += 2
                        continue
                    break
                value.append(text[j])
                j += 1
            out.append(("quoted", "".join(value), i, min(j + 1, n)))
            i = j + 1
        elif ch in "'\"":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            out.append(("string", text[i:j + 1], i, min(j + 1, n)))
            i = j + 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "." or
                             (text[j] in "+-" and text[j - 1] in "eE")):
                j += 1
            out.append(("number", text[i:j], i, j))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(("word", text[i:j], i, j))
            i = j
        else:
            out.append(("symbol", ch, i, i + 1))
            i += 1
    return out


def _closing(tokens, k):
    """The index of the token closing the bracket at tokens[k], or None."""
    pairs = {"(": ")", "[": "]"}
    stack = []
    for j in range(k, len(tokens)):
        kind, value = tokens[j][0], tokens[j][1]
        if kind != "symbol":
            continue
        if value in pairs:
            stack.append(pairs[value])
        elif value in (")", "]"):
            if not stack or stack.pop() != value:
                return None
            if not stack:
                return j
    return None


def _is_operand(tokens):
    """Whether the tokens are one operand: a literal, `*`, or a dotted name with an
    optional call, followed by any .field or [index]."""
    if not tokens:
        return False
    if len(tokens) == 1 and tokens[0][0] in ("string", "number"):
        return True
    if len(tokens) == 1 and tokens[0][:2] == ("symbol", "*"):
        return True
    if tokens[0][0] not in ("word", "quoted"):
        return False
    if tokens[0][0] == "word" and tokens[0][1].upper() == "NOT":
        return False  # NOT(a) is an operator applied to (a)
    k = 1
    while k + 1 < len(tokens) and tokens[k][:2] == ("symbol", "."):
        if tokens[k + 1][0] in ("word", "quoted"):
            k += 2
        elif tokens[k + 1][:2] == ("symbol", "*") and k + 2 == len(tokens):
            return True
        else:
            return False
    if k < len(tokens) and tokens[k][:2] == ("symbol", "("):
        end = _closing(tokens, k)
        if end is None:
            return False
        k = end + 1
    while k < len(tokens):
        if tokens[k][:2] == ("symbol", "["):
            end = _closing(tokens, k)
            if end is None:
                return False
            k = end + 1
        elif (tokens[k][:2] == ("symbol", ".") and k + 1 < len(tokens)
              and tokens[k + 1][0] in ("word", "quoted")):
            k += 2
        else:
            return False
    return True


def _split_alias(tokens):
    """(body tokens, alias) where alias is the name (or tuple of names) after a top-level
    AS ending the text, else None."""
    depth, last_as = 0, None
    for k, (kind, value, _, _) in enumerate(tokens):
        if kind == "symbol" and value in "([":
            depth += 1
        elif kind == "symbol" and value in ")]":
            depth -= 1
        elif kind == "word" and depth == 0 and value.upper() == "AS":
            last_as = k
    if last_as is None or last_as == 0:
        return tokens, None
    rest = tokens[last_as + 1:]
    if len(rest) == 1 and rest[0][0] in ("word", "quoted"):
        return tokens[:last_as], rest[0][1]
    if len(rest) >= 3 and rest[0][:2] == ("symbol", "(") and rest[-1][:2] == ("symbol", ")"):
        names = rest[1:-1]
        if (all(t[0] in ("word", "quoted") for t in names[0::2]) and
                all(t[:2] == ("symbol", ",") for t in names[1::2]) and len(names) % 2 == 1):
            return tokens[:last_as], tuple(t[1] for t in names[0::2])
    return tokens, None


def expr_column(text):
    """The Column of expr(text): see the contract above. Comments before the first and
    after the last token of the expression are dropped."""
    tokens = _tokens(text)
    body_tokens, alias = _split_alias(tokens)
    body = text[body_tokens[0][2]:body_tokens[-1][3]] if body_tokens else text.strip()
    if not _is_operand(body_tokens):
        body = "(%s)" % body
    return Column(body, alias)
