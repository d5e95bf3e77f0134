-- Bronze: every order file exactly once, as it arrives.
CREATE OR REFRESH STREAMING TABLE orders_bronze
COMMENT 'Raw orders, one row per JSON line'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT * FROM STREAM read_files('${source_path}/orders', format => 'json');
