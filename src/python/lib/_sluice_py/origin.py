"""Where in the user's code something happened: the innermost frame outside sluice's own
modules (whose file names start with "<sluice>")."""

import linecache
import sys

_OWN_PREFIX = "<sluice>"


class Origin:
    """A place in a user's source file: 1-based line and column, and the line's text."""

    __slots__ = ("file", "line", "column", "text")

    def __init__(self, file, line, column, text):
        self.file, self.line, self.column, self.text = file, line, column, text

    def as_tuple(self):
        return (self.file, self.line, self.column, self.text)

    def __repr__(self):
        return "%s:%d:%d" % (self.file, self.line, self.column)


def _column_of(frame):
    try:
        positions = list(frame.f_code.co_positions())
        _, _, column, _ = positions[frame.f_lasti // 2]
        return (column or 0) + 1
    except Exception:  # positions are optional (python -X no_debug_ranges)
        return 1


def of_frame(frame):
    file = frame.f_code.co_filename
    line = frame.f_lineno or 0
    return Origin(file, line, _column_of(frame), linecache.getline(file, line).rstrip("\r\n"))


def user_origin(depth=1):
    """The origin of the current call in user code, or None when there is none."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_PREFIX):
        frame = frame.f_back
    return of_frame(frame) if frame is not None else None


def of_function(function):
    """Where a function is defined (its `def` line, or its first decorator's)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return user_origin(2)
    line = code.co_firstlineno
    return Origin(code.co_filename, line, 1, linecache.getline(code.co_filename, line).rstrip("\r\n"))
