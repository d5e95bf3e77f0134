"""Spark SQL text: identifiers, string literals and column references."""

import re

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Words Spark's parser reserves in ANSI mode or that start clauses; names spelled like them
# are quoted so that the generated text parses the same under every setting.
_RESERVED = {
    "all", "and", "any", "as", "asc", "between", "both", "by", "case", "cast", "check",
    "collate", "column", "constraint", "create", "cross", "current", "current_date",
    "current_time", "current_timestamp", "current_user", "desc", "distinct", "else", "end",
    "escape", "except", "false", "fetch", "filter", "for", "foreign", "from", "full", "grant",
    "group", "having", "in", "inner", "intersect", "interval", "into", "is", "join",
    "lateral", "leading", "left", "like", "limit", "minus", "natural", "not", "null", "of",
    "on", "only", "or", "order", "outer", "overlaps", "primary", "references", "right",
    "rlike", "ilike", "select", "semi", "anti", "session_user", "some", "table", "then",
    "to", "trailing", "true", "union", "unique", "unknown", "user", "using", "when", "where",
    "window", "with", "stream", "watermark", "values", "over", "partition", "range", "rows",
}


def quote_identifier(name):
    """`name` as one identifier: plain when it can be, else in backquotes."""
    if _PLAIN.match(name) and name.lower() not in _RESERVED:
        return name
    return "`" + name.replace("`", "``") + "`"


def string_literal(text):
    """A Spark SQL string literal holding exactly `text` (Spark's backslash escapes)."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return "'" + escaped + "'"


def split_name(name):
    """The parts of a dotted name as PySpark splits a column name: dots separate parts,
    except inside backquotes (``a.`b.c``` is two parts)."""
    parts, current, quoted, i = [], [], False, 0
    while i < len(name):
        ch = name[i]
        if ch == "`":
            if quoted and i + 1 < len(name) and name[i + 1] == "`":
                current.append("`")
                i += 2
                continue
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    if quoted:
        from _sluice_py import errors
        raise errors.AnalysisException(
            "[INVALID_ATTRIBUTE_NAME_SYNTAX] Syntax error in the attribute name: `%s`" % name)
    parts.append("".join(current))
    return parts


def column_reference(name):
    """The SQL of PySpark's col(name): `*`, `t.*`, or a dotted name of quoted parts."""
    if name == "*":
        return "*"
    parts = split_name(name)
    if parts[-1] == "*" and not name.endswith("`*`"):
        return ".".join(quote_identifier(p) for p in parts[:-1]) + ".*"
    return ".".join(quote_identifier(p) for p in parts)


def table_name(name):
    """A table name as SQL: each dotted part quoted as needed."""
    return ".".join(quote_identifier(p) for p in split_name(name))


def _scan(text, opening="([", closing=")]"):
    """Yields (index, char, depth) of the characters of `text` outside quotes ('...',
    "...", `...`), with the nesting depth of the brackets `opening`/`closing` around each."""
    depth, quote, i = 0, None, 0
    while i < len(text):
        ch = text[i]
        if quote is not None:
            if ch == "\\" and quote != "`":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        else:
            if ch in opening:
                depth += 1
            elif ch in closing and depth > 0:
                depth -= 1
            yield i, ch, depth
        i += 1


def split_top_level(text, separator=","):
    """The parts of `text` between the separators that are outside quotes and brackets
    (including <>, as in types): the columns of a DDL column list."""
    parts, start = [], 0
    for i, ch, depth in _scan(text, "([<", ")]>"):
        if ch == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def unwrap_parentheses(text):
    """`text` without parentheses that enclose all of it: `(a > 1)` is `a > 1`."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        closes_at_end = False
        for i, ch, depth in _scan(text):
            if ch == ")" and depth == 0:
                closes_at_end = i == len(text) - 1
                break
        if not closes_at_end:
            break
        text = text[1:-1].strip()
    return text


_IDENTIFIER_CHAIN = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)+`)"
                               r"(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)+`))*$")


def identifier_parts(text):
    """The parts of `text` when it is a column reference (`a`, `t.a`, `` `a b` ``), else
    None."""
    text = text.strip()
    if not _IDENTIFIER_CHAIN.match(text):
        return None
    return split_name(text)
