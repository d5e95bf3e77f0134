"""The exceptions pipeline code sees, under PySpark's names.

Messages start with PySpark's error condition in brackets where PySpark has one
("[NOT_STR] Argument `name` should be a str, got int."); getCondition() reads it back, so
that code written against PySpark's errors keeps working."""

import re

_CONDITION = re.compile(r"^\[([A-Z0-9_.]+)\]")


class PySparkException(Exception):
    """Base of PySpark's errors."""

    def getCondition(self):
        """The error condition (e.g. "NOT_STR"), or None."""
        match = _CONDITION.match(str(self))
        return match.group(1) if match else None

    getErrorClass = getCondition

    def getMessageParameters(self):
        return {}

    def getMessage(self):
        return str(self)


class AnalysisException(PySparkException):
    """A query that does not resolve (an unknown column, table or function)."""


class ParseException(AnalysisException):
    """SQL text that does not parse."""


class PySparkValueError(PySparkException, ValueError):
    pass


class PySparkTypeError(PySparkException, TypeError):
    pass


class PySparkRuntimeError(PySparkException, RuntimeError):
    pass


class PySparkNotImplementedError(PySparkException, NotImplementedError):
    pass


class PipelineDefinitionError(PySparkException):
    """A pipeline definition that Databricks and Spark refuse (an action inside a query
    function, a decorator used wrongly, ...)."""


def unsupported(what, alternative=None):
    """The error for an API sluice does not provide: never a silent no-op."""
    message = "[NOT_SUPPORTED] %s is not supported in sluice" % what
    if alternative:
        message += "; " + alternative
    return PySparkNotImplementedError(message)
