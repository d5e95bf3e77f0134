"""The exceptions pipeline code sees, under PySpark's names."""


class PySparkException(Exception):
    """Base of PySpark's errors."""


class AnalysisException(PySparkException):
    """A query that does not resolve (an unknown column, table or function)."""


class ParseException(AnalysisException):
    """SQL text that does not parse."""


class PySparkValueError(PySparkException, ValueError):
    pass


class PySparkTypeError(PySparkException, TypeError):
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
