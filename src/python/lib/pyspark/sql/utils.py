"""pyspark.sql.utils: older import location of the exception classes."""

from _sluice_py.errors import AnalysisException, ParseException  # noqa: F401
