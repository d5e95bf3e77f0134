"""PySpark's API for pipeline files, provided by sluice."""
