-- Gold: recomputed from silver on every update that changed it.
CREATE OR REFRESH MATERIALIZED VIEW revenue_by_customer
COMMENT 'Orders and revenue per customer'
AS SELECT customer_id, count(*) AS orders, sum(amount) AS revenue
FROM orders_silver
GROUP BY customer_id;

CREATE OR REFRESH MATERIALIZED VIEW revenue_by_month
COMMENT 'Orders and revenue per calendar month'
AS SELECT CAST(date_trunc('MONTH', order_time) AS DATE) AS month,
          count(*) AS orders,
          sum(amount) AS revenue,
          count(DISTINCT customer_id) AS customers
FROM orders_silver
GROUP BY 1;
