# Silver: typed and checked. A missing order id stops the flow, non-positive amounts are
# dropped, unknown statuses are kept and counted.
import dlt
from pyspark.sql import functions as F


@dlt.table(comment="Orders with types and quality checks", table_properties={"quality": "silver"})
@dlt.expect_or_fail("valid_order_id", "order_id IS NOT NULL")
@dlt.expect_or_drop("positive_amount", "amount > 0")
@dlt.expect("known_status", "status IN ('placed', 'shipped', 'delivered', 'returned')")
def orders_silver():
    return dlt.read_stream("orders_bronze").select(
        "order_id",
        "customer_id",
        F.col("amount").cast("decimal(10,2)").alias("amount"),
        F.to_timestamp("order_ts", "yyyy-MM-dd HH:mm:ss").alias("order_time"),
        F.lower("status").alias("status"),
        "country",
    )
