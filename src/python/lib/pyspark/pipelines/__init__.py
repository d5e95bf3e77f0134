"""pyspark.pipelines: the pipeline API under Spark Declarative Pipelines' and Databricks'
current names (`from pyspark import pipelines as dp`)."""

from _sluice_py.api import (  # noqa: F401
    append_flow,
    apply_changes,
    apply_changes_from_snapshot,
    create_auto_cdc_flow,
    create_auto_cdc_from_snapshot_flow,
    create_sink,
    create_streaming_table,
    expect,
    expect_all,
    expect_all_or_drop,
    expect_all_or_fail,
    expect_or_drop,
    expect_or_fail,
    foreach_batch_sink,
    materialized_view,
    on_event_hook,
    read,
    read_stream,
    table,
    temporary_view,
    view,
)
