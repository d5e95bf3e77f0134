# Bronze: every order file exactly once, as it arrives (Auto Loader, with column types
# inferred as read_files infers them in the SQL twin).
from pyspark import pipelines as dp

source_path = spark.conf.get("source_path")


@dp.table(comment="Raw orders, one row per JSON line", table_properties={"quality": "bronze"})
def orders_bronze():
    return (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("cloudFiles.inferColumnTypes", "true")
            .load(f"{source_path}/orders"))
