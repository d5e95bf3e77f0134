-- Silver: typed and checked. A missing order id stops the flow, non-positive amounts are
-- dropped, unknown statuses are kept and counted.
CREATE OR REFRESH STREAMING TABLE orders_silver (
  CONSTRAINT valid_order_id EXPECT (order_id IS NOT NULL) ON VIOLATION FAIL UPDATE,
  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,
  CONSTRAINT known_status EXPECT (status IN ('placed', 'shipped', 'delivered', 'returned'))
)
COMMENT 'Orders with types and quality checks'
TBLPROPERTIES ('quality' = 'silver')
AS SELECT
  order_id,
  customer_id,
  CAST(amount AS DECIMAL(10, 2)) AS amount,
  to_timestamp(order_ts, 'yyyy-MM-dd HH:mm:ss') AS order_time,
  lower(status) AS status,
  country
FROM STREAM(orders_bronze);
