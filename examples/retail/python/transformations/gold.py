# Gold: recomputed from silver on every update that changed it.
from pyspark import pipelines as dp
from pyspark.sql import functions as F


@dp.materialized_view(comment="Orders and revenue per customer")
def revenue_by_customer():
    return (spark.read.table("orders_silver")
            .groupBy("customer_id")
            .agg(F.count("*").alias("orders"), F.sum("amount").alias("revenue")))


@dp.materialized_view(comment="Orders and revenue per calendar month")
def revenue_by_month():
    return (spark.read.table("orders_silver")
            .groupBy(F.date_trunc("MONTH", "order_time").cast("date").alias("month"))
            .agg(F.count("*").alias("orders"),
                 F.sum("amount").alias("revenue"),
                 F.countDistinct("customer_id").alias("customers")))
