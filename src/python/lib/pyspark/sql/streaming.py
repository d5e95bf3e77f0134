"""pyspark.sql.streaming: the stream reader (for imports and isinstance checks)."""

from pyspark.sql.readwriter import DataStreamReader  # noqa: F401
from _sluice_py import errors as _errors


class DataStreamWriter:
    def __init__(self, *args, **kwargs):
        raise _errors.PipelineDefinitionError(
            "stream writers are not used in pipelines: define a streaming table with @dp.table")


class StreamingQuery:
    pass
