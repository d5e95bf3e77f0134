# Bronze: every order file exactly once, as it arrives.
from pyspark import pipelines as dp

source_path = spark.conf.get("source_path")


@dp.table(comment="Raw orders, one row per JSON line", table_properties={"quality": "bronze"})
def orders_bronze():
    return spark.readStream.format("json").load(f"{source_path}/orders")
