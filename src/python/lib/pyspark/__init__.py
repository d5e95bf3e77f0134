"""pyspark for sluice pipelines: the subset of PySpark that pipeline files use
(pyspark.sql, pyspark.pipelines), compiled to Spark SQL by sluice. Not Apache Spark."""

import importlib as _importlib

__version__ = "3.5.6"


class StorageLevel:
    """The storage levels of DataFrame.persist(), which pipelines accept and ignore: a
    query of a pipeline is computed where it is read."""

    def __init__(self, useDisk, useMemory, useOffHeap, deserialized, replication=1):
        self.useDisk = useDisk
        self.useMemory = useMemory
        self.useOffHeap = useOffHeap
        self.deserialized = deserialized
        self.replication = replication

    def __repr__(self):
        return "StorageLevel(%s, %s, %s, %s, %s)" % (self.useDisk, self.useMemory,
                                                     self.useOffHeap, self.deserialized,
                                                     self.replication)


StorageLevel.DISK_ONLY = StorageLevel(True, False, False, False)
StorageLevel.DISK_ONLY_2 = StorageLevel(True, False, False, False, 2)
StorageLevel.DISK_ONLY_3 = StorageLevel(True, False, False, False, 3)
StorageLevel.MEMORY_ONLY = StorageLevel(False, True, False, False)
StorageLevel.MEMORY_ONLY_2 = StorageLevel(False, True, False, False, 2)
StorageLevel.MEMORY_AND_DISK = StorageLevel(True, True, False, False)
StorageLevel.MEMORY_AND_DISK_2 = StorageLevel(True, True, False, False, 2)
StorageLevel.OFF_HEAP = StorageLevel(True, True, True, False, 1)
StorageLevel.MEMORY_AND_DISK_DESER = StorageLevel(True, True, False, True)


def __getattr__(name):
    if name in ("sql", "pipelines", "errors"):
        return _importlib.import_module("pyspark." + name)
    raise AttributeError("module 'pyspark' has no attribute '%s'" % name)
