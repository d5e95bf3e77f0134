"""pyspark for sluice pipelines: the subset of PySpark that pipeline files use
(pyspark.sql, pyspark.pipelines), compiled to Spark SQL by sluice. Not Apache Spark."""

import importlib as _importlib

__version__ = "3.5.6"


def __getattr__(name):
    if name in ("sql", "pipelines", "errors"):
        return _importlib.import_module("pyspark." + name)
    raise AttributeError("module 'pyspark' has no attribute '%s'" % name)
