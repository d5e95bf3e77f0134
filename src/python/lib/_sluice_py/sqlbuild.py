"""SQL text with the user's places: every generated line remembers the Python call it
came from, so that an error in the generated SQL names the user's file and line."""

import re

_MARKER = re.compile("\x01([0-9]+)\x02\\.")


def marker(frame_id):
    """The qualifier placeholder of columns taken from DataFrame `frame_id` (df["a"])."""
    return "\x01%d\x02." % frame_id


def resolve_markers(text, qualifiers, what="column"):
    """`text` with each DataFrame placeholder replaced by its qualifier ("" when the
    column needs none). A placeholder of a DataFrame the query does not read is Spark's
    MISSING_ATTRIBUTES error."""
    if "\x01" not in text:
        return text

    def replace(match):
        frame_id = int(match.group(1))
        if frame_id not in qualifiers:
            from _sluice_py import errors
            raise errors.AnalysisException(
                "[MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_APPEAR_IN_OPERATION] a %s taken from "
                "another DataFrame (df[\"...\"] of a DataFrame this query does not read) "
                "cannot be used here: take it from this DataFrame, or alias both sides and "
                "use col(\"alias.name\")" % what)
        qualifier = qualifiers[frame_id]
        return qualifier + "." if qualifier else ""

    return _MARKER.sub(replace, text)


def strip_markers(text):
    """`text` with every DataFrame placeholder removed: columns named without a qualifier."""
    return _MARKER.sub("", text)


def is_parenthesized(text):
    """Whether `text` is one parenthesized expression: `(a = b)`, not `(a) OR (b)`."""
    if not text.startswith("(") or not text.endswith(")"):
        return False
    depth, quote, i = 0, None, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote != "`":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i < len(text) - 1:
                return False
        i += 1
    return depth == 0


class Lines:
    """Lines of SQL text, each with the origin (see origin.py) it came from."""

    __slots__ = ("items",)

    def __init__(self, items=None):
        self.items = items or []

    @staticmethod
    def of(text, origin):
        return Lines([(line, origin) for line in text.split("\n")])

    def add(self, text, origin):
        for line in text.split("\n"):
            self.items.append((line, origin))
        return self

    def extend(self, other, indent=""):
        for line, origin in other.items:
            self.items.append((indent + line, origin))
        return self

    def text(self):
        return "\n".join(line for line, _ in self.items)

    def single_line(self):
        return " ".join(line.strip() for line, _ in self.items)

    def origins(self):
        return [origin for _, origin in self.items]
