"""pyspark.sql for sluice pipelines: SparkSession, DataFrame, Column, Row, Window,
functions and types. Names load on first use, so that importing one submodule does not
import them all."""

import importlib as _importlib

_WHERE = {
    "SparkSession": "pyspark.sql.session",
    "RuntimeConfig": "pyspark.sql.session",
    "DataFrame": "pyspark.sql.dataframe",
    "DataFrameNaFunctions": "pyspark.sql.dataframe",
    "Column": "pyspark.sql.column",
    "Row": "pyspark.sql.types",
    "Window": "pyspark.sql.window",
    "WindowSpec": "pyspark.sql.window",
    "GroupedData": "pyspark.sql.group",
    "DataFrameReader": "pyspark.sql.readwriter",
    "DataFrameWriter": "pyspark.sql.readwriter",
    "DataStreamReader": "pyspark.sql.readwriter",
}

__all__ = sorted(_WHERE) + ["functions", "types", "window"]


def __getattr__(name):
    if name in _WHERE:
        return getattr(_importlib.import_module(_WHERE[name]), name)
    if name in ("functions", "types", "window", "column", "dataframe", "session", "group",
                "readwriter", "streaming", "utils"):
        return _importlib.import_module("pyspark.sql." + name)
    raise AttributeError("module 'pyspark.sql' has no attribute '%s'" % name)
