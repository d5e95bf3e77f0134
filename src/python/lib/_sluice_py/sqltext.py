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
