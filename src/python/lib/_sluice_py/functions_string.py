"""pyspark.sql.functions, part 2: string, binary, regular expression and URL functions.

Patterns, formats, separators, lengths and positions that PySpark 3.5 types as Python
values become SQL literals; parameters it types as ColumnOrName take a Column or a
column name, as in PySpark (e.g. the `len` of left() and the `format` of to_char())."""

from _sluice_py.functions_core import (
    call, col_sql, fn, int_or_col_sql, lit_sql, optional_fn, refuse, str_or_col_sql)
from pyspark.sql.column import _literal_sql

__all__ = [
    "ascii", "base64", "bit_length", "btrim", "char", "char_length", "character_length",
    "concat_ws", "contains", "decode", "elt", "encode", "endswith", "find_in_set",
    "format_number", "format_string", "ilike", "initcap", "instr", "lcase", "left", "length",
    "levenshtein", "like", "locate", "lower", "lpad", "ltrim", "mask", "octet_length",
    "overlay", "position", "printf", "regexp", "regexp_count", "regexp_extract",
    "regexp_extract_all", "regexp_instr", "regexp_like", "regexp_replace", "regexp_substr",
    "repeat", "replace", "right", "rlike", "rpad", "rtrim", "sentences", "soundex", "split",
    "split_part", "startswith", "substr", "substring", "substring_index", "to_binary",
    "to_char", "to_number", "to_varchar", "translate", "trim", "try_to_binary",
    "try_to_number", "ucase", "unbase64", "upper", "parse_url", "url_decode", "url_encode",
]


# --- case, length, trimming ------------------------------------------------------------------

def upper(col):
    """Upper case."""
    return fn("upper", col)


def lower(col):
    """Lower case."""
    return fn("lower", col)


def ucase(str):
    """Upper case."""
    return fn("ucase", str)


def lcase(str):
    """Lower case."""
    return fn("lcase", str)


def initcap(col):
    """Each word with its first letter in upper case, the rest in lower case."""
    return fn("initcap", col)


def length(col):
    """The number of characters of a string, or of bytes of a binary."""
    return fn("length", col)


def char_length(str):
    """The number of characters."""
    return fn("char_length", str)


def character_length(str):
    """The number of characters."""
    return fn("character_length", str)


def octet_length(col):
    """The number of bytes."""
    return fn("octet_length", col)


def bit_length(col):
    """The number of bits."""
    return fn("bit_length", col)


def trim(col):
    """Without leading and trailing spaces."""
    return fn("trim", col)


def ltrim(col):
    """Without leading spaces."""
    return fn("ltrim", col)


def rtrim(col):
    """Without trailing spaces."""
    return fn("rtrim", col)


def btrim(str, trim=None):
    """Without leading and trailing `trim` characters (spaces by default)."""
    return optional_fn("btrim", str, trim)


# --- building and cutting strings --------------------------------------------------------------

def concat_ws(sep, *cols):
    """The strings (and array elements) of `cols` joined by `sep`, NULLs skipped."""
    return call("concat_ws", _literal_sql(sep), *[col_sql(c) for c in cols])


def format_number(col, d):
    """A number formatted like '#,###,###.##' with `d` decimal places."""
    return call("format_number", col_sql(col), _literal_sql(d))


def format_string(format, *cols):
    """printf-style formatting of `cols` with the literal `format`."""
    return call("format_string", _literal_sql(format), *[col_sql(c) for c in cols])


def printf(format, *cols):
    """printf-style formatting; `format` is a Column or column name."""
    return fn("printf", format, *cols)


def substring(str, pos, len):
    """`len` characters from position `pos` (1-based)."""
    return call("substring", col_sql(str, "str"), _literal_sql(pos), _literal_sql(len))


def substr(str, pos, len=None):
    """The substring from `pos` of length `len`, both Columns or column names."""
    return optional_fn("substr", str, pos, len)


def substring_index(str, delim, count):
    """The part before the `count`-th `delim` (from the right when count < 0)."""
    return call("substring_index", col_sql(str, "str"), _literal_sql(delim),
                _literal_sql(count))


def left(str, len):
    """The leftmost `len` characters (`len` a Column or column name)."""
    return fn("left", str, len)


def right(str, len):
    """The rightmost `len` characters (`len` a Column or column name)."""
    return fn("right", str, len)


def lpad(col, len, pad):
    """Left-padded with `pad` to `len` characters."""
    return call("lpad", col_sql(col), _literal_sql(len), _literal_sql(pad))


def rpad(col, len, pad):
    """Right-padded with `pad` to `len` characters."""
    return call("rpad", col_sql(col), _literal_sql(len), _literal_sql(pad))


def repeat(col, n):
    """The string repeated `n` times."""
    return call("repeat", col_sql(col), _literal_sql(n))


def overlay(src, replace, pos, len=-1):
    """`src` with `len` characters from `pos` replaced by `replace` (pos and len: an int
    literal, or a Column or column name)."""
    return call("overlay", col_sql(src, "src"), col_sql(replace, "replace"),
                int_or_col_sql(pos, "pos"), int_or_col_sql(len, "len"))


def translate(srcCol, matching, replace):
    """Each character of `matching` replaced by the one at its place in `replace`."""
    return call("translate", col_sql(srcCol, "srcCol"), _literal_sql(matching),
                _literal_sql(replace))


def replace(src, search, replace=None):
    """`src` with every `search` replaced by `replace` (removed when not given)."""
    return optional_fn("replace", src, search, replace)


def split(str, pattern, limit=-1):
    """The parts of `str` around matches of the regular expression `pattern`."""
    return call("split", col_sql(str, "str"), _literal_sql(pattern), _literal_sql(limit))


def split_part(src, delimiter, partNum):
    """The `partNum`-th part of `src` split by `delimiter`."""
    return fn("split_part", src, delimiter, partNum)


def elt(*inputs):
    """The n-th of the following inputs, n being the first input."""
    return fn("elt", *inputs)


def mask(col, upperChar=None, lowerChar=None, digitChar=None, otherChar=None):
    """Letters and digits replaced by 'X', 'x' and 'n' (or the given Columns)."""
    def char_sql(value, default):
        return _literal_sql(default) if value is None else col_sql(value)
    return call("mask", col_sql(col), char_sql(upperChar, "X"), char_sql(lowerChar, "x"),
                char_sql(digitChar, "n"), char_sql(otherChar, None))


def sentences(string, language=None, country=None):
    """Splitting text into sentences of words: not in sluice's catalog."""
    raise refuse("sentences")


def soundex(col):
    """The Soundex code."""
    return fn("soundex", col)


def levenshtein(left, right, threshold=None):
    """The Levenshtein distance; -1 when above `threshold`."""
    args = [col_sql(left, "left"), col_sql(right, "right")]
    if threshold is not None:
        args.append(_literal_sql(threshold))
    return call("levenshtein", *args)


# --- searching ----------------------------------------------------------------------------------

def instr(str, substr):
    """The 1-based position of the literal `substr` in `str` (0 when absent)."""
    return call("instr", col_sql(str, "str"), _literal_sql(substr))


def locate(substr, str, pos=1):
    """The 1-based position of the literal `substr` in `str` from `pos` (0 when absent)."""
    return call("locate", _literal_sql(substr), col_sql(str, "str"), _literal_sql(pos))


def position(substr, str, start=None):
    """The 1-based position of `substr` in `str` from `start` (Columns or column names)."""
    return optional_fn("position", substr, str, start)


def find_in_set(str, str_array):
    """The 1-based index of `str` in the comma-separated list `str_array`."""
    return fn("find_in_set", str, str_array)


def contains(left, right):
    """Whether `right` occurs in `left`."""
    return fn("contains", left, right)


def startswith(str, prefix):
    """Whether `str` starts with `prefix`."""
    return fn("startswith", str, prefix)


def endswith(str, suffix):
    """Whether `str` ends with `suffix`."""
    return fn("endswith", str, suffix)


def like(str, pattern, escapeChar=None):
    """SQL LIKE with `pattern` (a Column or column name)."""
    return optional_fn("like", str, pattern, escapeChar)


def ilike(str, pattern, escapeChar=None):
    """Case-insensitive LIKE with `pattern` (a Column or column name)."""
    return optional_fn("ilike", str, pattern, escapeChar)


# --- regular expressions (Java syntax) ----------------------------------------------------------

def rlike(str, regexp):
    """Whether `regexp` (a Column or column name) matches a part of `str`."""
    return fn("rlike", str, regexp)


def regexp(str, regexp):
    """Whether `regexp` (a Column or column name) matches a part of `str`."""
    return fn("regexp", str, regexp)


def regexp_like(str, regexp):
    """Whether `regexp` (a Column or column name) matches a part of `str`."""
    return fn("regexp_like", str, regexp)


def regexp_count(str, regexp):
    """The number of matches of `regexp` in `str`."""
    return fn("regexp_count", str, regexp)


def regexp_extract(str, pattern, idx):
    """Group `idx` of the first match of the literal `pattern` ('' when none)."""
    return call("regexp_extract", col_sql(str, "str"), _literal_sql(pattern),
                _literal_sql(idx))


def regexp_extract_all(str, regexp, idx=None):
    """Group `idx` of every match of `regexp` (a Column or column name)."""
    args = [col_sql(str, "str"), col_sql(regexp, "regexp")]
    if idx is not None:
        args.append(lit_sql(idx))
    return call("regexp_extract_all", *args)


def regexp_instr(str, regexp, idx=None):
    """The 1-based position of the first match of `regexp` (0 when none)."""
    args = [col_sql(str, "str"), col_sql(regexp, "regexp")]
    if idx is not None:
        args.append(lit_sql(idx))
    return call("regexp_instr", *args)


def regexp_replace(string, pattern, replacement):
    """Every match of `pattern` replaced by `replacement` (each a literal str or a
    Column)."""
    return call("regexp_replace", col_sql(string, "string"),
                str_or_col_sql(pattern, "pattern"), str_or_col_sql(replacement, "replacement"))


def regexp_substr(str, regexp):
    """The first match of `regexp`, NULL when none."""
    return fn("regexp_substr", str, regexp)


# --- encodings and conversions --------------------------------------------------------------

def ascii(col):
    """The code of the first character."""
    return fn("ascii", col)


def char(col):
    """The character whose code is `col` (modulo 256)."""
    return fn("char", col)


def base64(col):
    """Binary as a base64 string."""
    return fn("base64", col)


def unbase64(col):
    """A base64 string as binary."""
    return fn("unbase64", col)


def encode(col, charset):
    """A string as binary in the literal `charset`."""
    return call("encode", col_sql(col), _literal_sql(charset))


def decode(col, charset):
    """Binary as a string in the literal `charset`."""
    return call("decode", col_sql(col), _literal_sql(charset))


def to_binary(col, format=None):
    """A string as binary by `format` ('hex', 'utf-8', 'base64'; a Column or name)."""
    return optional_fn("to_binary", col, format)


def try_to_binary(col, format=None):
    """to_binary(), NULL when the string does not convert."""
    return optional_fn("try_to_binary", col, format)


def to_char(col, format):
    """A number (or date, timestamp, binary) as a string by `format` (a Column or name)."""
    return fn("to_char", col, format)


def to_varchar(col, format):
    """A number (or date, timestamp, binary) as a string by `format` (a Column or name)."""
    return fn("to_varchar", col, format)


def to_number(col, format):
    """A string as a decimal by `format` (a Column or name)."""
    return fn("to_number", col, format)


def try_to_number(col, format):
    """to_number(), NULL when the string does not convert."""
    return fn("try_to_number", col, format)


# --- URLs -----------------------------------------------------------------------------------

def parse_url(url, partToExtract, key=None):
    """A part of a URL (HOST, PATH, QUERY, ...; the value of `key` for QUERY)."""
    return optional_fn("parse_url", url, partToExtract, key)


def url_decode(str):
    """application/x-www-form-urlencoded text decoded."""
    return fn("url_decode", str)


def url_encode(str):
    """Text encoded as application/x-www-form-urlencoded."""
    return fn("url_encode", str)
