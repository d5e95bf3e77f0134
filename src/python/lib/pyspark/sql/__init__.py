"""pyspark.sql: DataFrames, Columns, functions and types, provided by sluice."""
