"""pyspark.errors: the exception classes pipeline code may catch."""

from _sluice_py.errors import (  # noqa: F401
    AnalysisException,
    ParseException,
    PySparkException,
    PySparkNotImplementedError,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
)
