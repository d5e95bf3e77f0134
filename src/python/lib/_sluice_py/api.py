"""The pipeline API: one implementation behind `dlt` (Databricks' names, current and
legacy) and `pyspark.pipelines` (Spark Declarative Pipelines' names).

Every decorator registers a record in the registry (registry.py) and returns the function
it decorates, marked with that record, so that expectation decorators may stack above or
below the dataset decorator in any order, as on Databricks.
"""

import warnings

from _sluice_py import errors
from _sluice_py import origin as _origin
from _sluice_py import registry
from _sluice_py.sqltext import split_name

_MARK = "_sluice_dataset"
_PENDING_EXPECTATIONS = "_sluice_expectations"


# --- argument checks, as Spark's API makes them ------------------------------------------


def _check_str(name, value, optional=True):
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise errors.PySparkTypeError("[NOT_STR] Argument `%s` should be a str, got %s."
                                      % (name, type(value).__name__))


def _check_dict_of_str(name, value):
    if value is None:
        return
    if not isinstance(value, dict):
        raise errors.PySparkTypeError("[NOT_DICT] Argument `%s` should be a dict, got %s."
                                      % (name, type(value).__name__))
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise errors.PySparkTypeError(
                "[NOT_STR] Argument `%s` should be a dict of str to str; %r: %r is not"
                % (name, k, v))


def _check_list_of_str(name, value):
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise errors.PySparkTypeError("[NOT_LIST_OF_STR] Argument `%s` should be a list of str, "
                                      "got %s." % (name, type(value).__name__))
    for v in value:
        if not isinstance(v, str):
            raise errors.PySparkTypeError("[NOT_LIST_OF_STR] Argument `%s` should be a list of "
                                          "str; %r is not" % (name, v))
    return list(value)


def _names(name, value):
    """Column names given as str, col() or a list of either."""
    from pyspark.sql.column import Column
    if value is None:
        return None
    if isinstance(value, (str, Column)):
        value = [value]
    out = []
    for v in value:
        if isinstance(v, Column):
            if v._alias is not None or "(" in v._sql or " " in v._sql.strip("`"):
                raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `%s` takes column "
                                              "names or col(name), not expressions" % name)
            out.append(split_name(v._sql)[-1])
        elif isinstance(v, str):
            out.append(v)
        else:
            raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `%s` takes column names"
                                          % name)
    return out


def _expression(name, value):
    """A SQL condition or expression given as a str or a Column."""
    from pyspark.sql.column import Column
    if value is None:
        return None
    if isinstance(value, Column):
        if "\x01" in value._sql:
            raise errors.PySparkTypeError("Argument `%s` cannot use df[\"...\"] columns" % name)
        return value._sql
    if isinstance(value, str):
        registry.check_expression(value)
        return value
    raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `%s` should be a Column or a "
                                  "str" % name)


def _schema_text(schema):
    from pyspark.sql.types import StructType, _schema_ddl
    if schema is None:
        return None
    if isinstance(schema, StructType):
        return _schema_ddl(schema)
    if isinstance(schema, str):
        return schema
    raise errors.PySparkTypeError("[NOT_STR_OR_STRUCT] Argument `schema` should be a str or a "
                                  "StructType, got %s." % type(schema).__name__)


def _ignored(parameter, value):
    if value:
        warnings.warn("%s is accepted and ignored: sluice has no equivalent" % parameter,
                      stacklevel=3)


def _refuse(parameter, value, hint=None):
    if value is not None and value is not False:
        raise errors.unsupported("the parameter `%s`" % parameter, hint)


# --- datasets -----------------------------------------------------------------------------


def _dataset_decorator(kind, query_function, options, origin):
    def register(function):
        if not callable(function):
            raise errors.PySparkTypeError(
                "[DECORATOR_ARGUMENT_NOT_CALLABLE] The first positional argument passed to "
                "@%s must be callable. Either add @%s with no parameters to your function, or "
                "pass options to @%s using keyword arguments (e.g. %s(name=...))."
                % (kind, kind, kind, kind))
        if getattr(function, _MARK, None) is not None:
            raise errors.PipelineDefinitionError(
                "a function can define one dataset; '%s' already defines '%s'"
                % (function.__name__, getattr(function, _MARK).name))
        name = options.pop("name", None) or function.__name__
        record = registry.Record("dataset", name, origin or _origin.of_function(function))
        record.options.update(options)
        record.options["needs_query"] = True
        record.expectations.extend(getattr(function, _PENDING_EXPECTATIONS, []))
        registry.add(record)
        _call_query(record, function)
        setattr(function, _MARK, record)
        return function

    if query_function is not None:
        return register(query_function)
    return register


def _call_query(record, function):
    def checked():
        df = function()
        _settle_kind(record, df)
        return df

    registry.call_query_function(record, checked)


def _settle_kind(record, df):
    from pyspark.sql.dataframe import DataFrame
    if not isinstance(df, DataFrame):
        return
    o = record.options
    kind = o.get("decorator")
    if kind == "table":
        o["kind"] = "st" if df.isStreaming else "mv"
    elif kind == "materialized_view":
        if df.isStreaming:
            raise errors.AnalysisException(
                "[INVALID_FLOW_QUERY_TYPE.STREAMING_RELATION_FOR_BATCH_FLOW] the materialized "
                "view '%s' must be defined by a batch query, but its query reads a stream "
                "(spark.readStream / dlt.read_stream): read it with spark.read, or define a "
                "streaming table with @dp.table" % record.name)
        o["kind"] = "mv"
    else:
        o["kind"] = "view"


def _table_options(decorator, name, comment, spark_conf, table_properties, path,
                   partition_cols, cluster_by, schema, temporary, private, cluster_by_auto,
                   row_filter, format):
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    _check_dict_of_str("table_properties", table_properties)
    _check_str("path", path)
    if path is not None:
        raise errors.unsupported("`path=` (a storage location for one table)",
                                 "sluice stores every table under the pipeline's storage")
    if row_filter is not None:
        raise errors.unsupported("`row_filter=` (row filters are Unity Catalog governance)")
    if format is not None and str(format).lower() != "delta":
        raise errors.unsupported("format=%r: sluice stores tables as Delta" % format)
    return {
        "decorator": decorator,
        "name": name,
        "comment": comment,
        "spark_conf": spark_conf,
        "table_properties": table_properties,
        "partition_cols": _check_list_of_str("partition_cols", partition_cols),
        "cluster_by": _check_list_of_str("cluster_by", cluster_by),
        "cluster_by_auto": bool(cluster_by_auto),
        "schema": _schema_text(schema),
        "private": bool(private or temporary),
    }


def _apply_spark_conf(record):
    conf = record.options.pop("spark_conf", None)
    if conf:
        record.conf.update(conf)


def table(query_function=None, *, name=None, comment=None, spark_conf=None,
          table_properties=None, path=None, partition_cols=None, cluster_by=None, schema=None,
          temporary=False, private=False, cluster_by_auto=False, row_filter=None, format=None,
          refresh_policy=None):
    """A streaming table when the query reads a stream, else a materialized view."""
    options = _table_options("table", name, comment, spark_conf, table_properties, path,
                             partition_cols, cluster_by, schema, temporary, private,
                             cluster_by_auto, row_filter, format)
    _refuse("refresh_policy", refresh_policy)
    return _with_conf(_dataset_decorator, "table", query_function, options)


def materialized_view(query_function=None, *, name=None, comment=None, spark_conf=None,
                      table_properties=None, path=None, partition_cols=None, cluster_by=None,
                      schema=None, private=False, cluster_by_auto=False, row_filter=None,
                      refresh_policy=None, format=None):
    """A materialized view: a batch query, recomputed (or refreshed incrementally)."""
    options = _table_options("materialized_view", name, comment, spark_conf, table_properties,
                             path, partition_cols, cluster_by, schema, False, private,
                             cluster_by_auto, row_filter, format)
    _refuse("refresh_policy", refresh_policy)
    return _with_conf(_dataset_decorator, "materialized_view", query_function, options)


def temporary_view(query_function=None, *, name=None, comment=None, spark_conf=None):
    """A view computed when something reads it; it is not stored."""
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    options = {"decorator": "temporary_view", "name": name, "comment": comment,
               "spark_conf": spark_conf}
    return _with_conf(_dataset_decorator, "temporary_view", query_function, options)


def view(query_function=None, *, name=None, comment=None, spark_conf=None):
    """Legacy name of temporary_view."""
    return temporary_view(query_function, name=name, comment=comment, spark_conf=spark_conf)


def _with_conf(make, kind, query_function, options):
    """Applies the decorator with the dataset's spark_conf in effect for its statement."""
    origin = _origin.user_origin(3)
    spark_conf = options.pop("spark_conf", None)
    decorator = make(kind, None, options, None)

    def register(function):
        saved = dict(registry._current().file_conf)
        if spark_conf:
            registry._current().file_conf.update(spark_conf)
        try:
            return decorator(function)
        finally:
            registry._current().file_conf.clear()
            registry._current().file_conf.update(saved)

    del origin
    if query_function is not None:
        return register(query_function)
    return register


# --- expectations ---------------------------------------------------------------------------


def _expect(action, pairs, origin):
    checked = []
    for name, condition in pairs:
        _check_str("description", name, optional=False)
        checked.append((name, _expression("constraint", condition), action, origin))

    def decorate(function):
        record = getattr(function, _MARK, None)
        if record is not None:
            names = {e[0] for e in record.expectations}
            for e in checked:
                if e[0] in names:
                    raise errors.PipelineDefinitionError(
                        "expectation '%s' is defined twice on '%s'" % (e[0], record.name))
            record.expectations.extend(checked)
        else:
            if not callable(function):
                raise errors.PySparkTypeError("[DECORATOR_ARGUMENT_NOT_CALLABLE] expectation "
                                              "decorators go on query functions")
            pending = getattr(function, _PENDING_EXPECTATIONS, [])
            setattr(function, _PENDING_EXPECTATIONS, checked + pending)
        return function

    return decorate


def expect(description, constraint):
    return _expect("warn", [(description, constraint)], _origin.user_origin(2))


def expect_or_drop(description, constraint):
    return _expect("drop", [(description, constraint)], _origin.user_origin(2))


def expect_or_fail(description, constraint):
    return _expect("fail", [(description, constraint)], _origin.user_origin(2))


def _pairs(expectations):
    if not isinstance(expectations, dict):
        raise errors.PySparkTypeError("[NOT_DICT] expect_all* take a dict of name to condition")
    return list(expectations.items())


def expect_all(expectations):
    return _expect("warn", _pairs(expectations), _origin.user_origin(2))


def expect_all_or_drop(expectations):
    return _expect("drop", _pairs(expectations), _origin.user_origin(2))


def expect_all_or_fail(expectations):
    return _expect("fail", _pairs(expectations), _origin.user_origin(2))


# --- streaming tables without a query, and flows -----------------------------------------


def create_streaming_table(name, *, comment=None, spark_conf=None, table_properties=None,
                           path=None, partition_cols=None, cluster_by=None, schema=None,
                           expect_all=None, expect_all_or_drop=None, expect_all_or_fail=None,
                           row_filter=None, cluster_by_auto=False, private=False,
                           temporary=False, format=None):
    """A streaming table that flows (append_flow, create_auto_cdc_flow) write."""
    origin = _origin.user_origin(2)
    _check_str("name", name, optional=False)
    options = _table_options("create_streaming_table", name, comment, spark_conf,
                             table_properties, path, partition_cols, cluster_by, schema,
                             temporary, private, cluster_by_auto, row_filter, format)
    options["kind"] = "st"
    record = registry.Record("dataset", name, origin)
    record.options.update(options)
    _apply_spark_conf(record)
    for action, expectations in (("warn", expect_all), ("drop", expect_all_or_drop),
                                 ("fail", expect_all_or_fail)):
        if expectations is not None:
            for n, c in _pairs(expectations):
                record.expectations.append((n, _expression("constraint", c), action, origin))
    registry.add(record)


def create_target_table(*args, **kwargs):
    warnings.warn("create_target_table is deprecated: use create_streaming_table", stacklevel=2)
    return create_streaming_table(*args, **kwargs)


def create_streaming_live_table(*args, **kwargs):
    warnings.warn("create_streaming_live_table is deprecated: use create_streaming_table",
                  stacklevel=2)
    return create_streaming_table(*args, **kwargs)


def append_flow(query_function=None, *, target=None, name=None, once=False, spark_conf=None,
                comment=None, depends_on=None, import_checkpoint=None):
    """A flow appending its query's rows to `target`."""
    origin = _origin.user_origin(2)
    _check_str("target", target, optional=False)
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    _refuse("depends_on", depends_on)
    _refuse("import_checkpoint", import_checkpoint)

    def register(function):
        if not callable(function):
            raise errors.PySparkTypeError("[DECORATOR_ARGUMENT_NOT_CALLABLE] @append_flow goes "
                                          "on a query function")
        record = registry.Record("flow", name or function.__name__, _origin.of_function(function))
        record.options.update({"target": target, "once": bool(once), "comment": comment,
                               "needs_query": True})
        if spark_conf:
            record.conf.update(spark_conf)
        registry.add(record)

        def checked():
            df = function()
            from pyspark.sql.dataframe import DataFrame
            if once and isinstance(df, DataFrame) and df.isStreaming:
                raise errors.AnalysisException(
                    "the flow '%s' has once=True, which runs a batch query one time: read "
                    "with spark.read, not spark.readStream" % record.name)
            return df

        registry.call_query_function(record, checked)
        return function

    del origin
    if query_function is not None:
        return register(query_function)
    return register


# --- AUTO CDC ------------------------------------------------------------------------------


def _scd_type(value):
    if str(value) not in ("1", "2"):
        raise errors.PySparkValueError("stored_as_scd_type should be 1 or 2, got %r" % (value,))
    return int(value)


def _sequence(value):
    from pyspark.sql.column import Column
    if isinstance(value, str):
        from _sluice_py.sqltext import column_reference
        return column_reference(value)
    if isinstance(value, Column):
        return _expression("sequence_by", value)
    raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] sequence_by should be a column name, "
                                  "col() or struct()")


def _exclusive(a_name, a, b_name, b):
    if a is not None and b is not None:
        raise errors.PySparkValueError("%s and %s cannot both be given" % (a_name, b_name))


def create_auto_cdc_flow(target, source, keys, sequence_by=None, *, where=None,
                         ignore_null_updates=False, ignore_null_updates_column_list=None,
                         ignore_null_updates_except_column_list=None, apply_as_deletes=None,
                         apply_as_truncates=None, column_list=None, except_column_list=None,
                         stored_as_scd_type=1, track_history_column_list=None,
                         track_history_except_column_list=None, name=None, flow_name=None,
                         once=False, system_sequence_by=None, columns_to_update=None,
                         spark_conf=None):
    """Applies a change feed to `target` by key, as SCD type 1 or 2."""
    origin = _origin.user_origin(2)
    _check_str("target", target, optional=False)
    _check_str("source", source, optional=False)
    _refuse("where", where, "filter the source in a @dp.temporary_view instead")
    _refuse("once", once or None)
    _refuse("system_sequence_by", system_sequence_by)
    _refuse("columns_to_update", columns_to_update)
    if sequence_by is None:
        raise errors.PySparkValueError("create_auto_cdc_flow needs sequence_by")
    _exclusive("column_list", column_list, "except_column_list", except_column_list)
    _exclusive("track_history_column_list", track_history_column_list,
               "track_history_except_column_list", track_history_except_column_list)
    _exclusive("ignore_null_updates_column_list", ignore_null_updates_column_list,
               "ignore_null_updates_except_column_list", ignore_null_updates_except_column_list)
    record = registry.Record("cdc", name or flow_name or target, origin)
    record.options.update({
        "target": target,
        "source": source,
        "keys": _names("keys", keys),
        "sequence_by": _sequence(sequence_by),
        "ignore_null_updates": bool(ignore_null_updates),
        "ignore_null_updates_columns": _names("ignore_null_updates_column_list",
                                              ignore_null_updates_column_list),
        "ignore_null_updates_except": _names("ignore_null_updates_except_column_list",
                                             ignore_null_updates_except_column_list),
        "apply_as_deletes": _expression("apply_as_deletes", apply_as_deletes),
        "apply_as_truncates": _expression("apply_as_truncates", apply_as_truncates),
        "column_list": _names("column_list", column_list),
        "except_column_list": _names("except_column_list", except_column_list),
        "scd_type": _scd_type(stored_as_scd_type),
        "track_history_columns": _names("track_history_column_list", track_history_column_list),
        "track_history_except": _names("track_history_except_column_list",
                                       track_history_except_column_list),
    })
    if spark_conf:
        _check_dict_of_str("spark_conf", spark_conf)
        record.conf.update(spark_conf)
    registry.add(record)


def apply_changes(target, source, keys, sequence_by, where=None, ignore_null_updates=False,
                  apply_as_deletes=None, apply_as_truncates=None, column_list=None,
                  except_column_list=None, stored_as_scd_type="1",
                  track_history_column_list=None, track_history_except_column_list=None,
                  flow_name=None, once=False, ignore_null_updates_column_list=None,
                  ignore_null_updates_except_column_list=None):
    """Legacy name of create_auto_cdc_flow."""
    return create_auto_cdc_flow(
        target, source, keys, sequence_by, where=where,
        ignore_null_updates=ignore_null_updates,
        ignore_null_updates_column_list=ignore_null_updates_column_list,
        ignore_null_updates_except_column_list=ignore_null_updates_except_column_list,
        apply_as_deletes=apply_as_deletes, apply_as_truncates=apply_as_truncates,
        column_list=column_list, except_column_list=except_column_list,
        stored_as_scd_type=stored_as_scd_type,
        track_history_column_list=track_history_column_list,
        track_history_except_column_list=track_history_except_column_list,
        flow_name=flow_name, once=once)


def create_auto_cdc_from_snapshot_flow(target, source, keys, stored_as_scd_type=1,
                                       track_history_column_list=None,
                                       track_history_except_column_list=None, *, name=None,
                                       once=False, snapshot_and_version=None):
    """Applies full snapshots of `source` to `target` by key, as SCD type 1 or 2."""
    origin = _origin.user_origin(2)
    _check_str("target", target, optional=False)
    if snapshot_and_version is not None:
        source = snapshot_and_version
    if callable(source):
        raise errors.unsupported(
            "a function as the snapshot source of create_auto_cdc_from_snapshot_flow",
            "name a table or view holding the latest snapshot")
    _check_str("source", source, optional=False)
    _refuse("once", once or None)
    _exclusive("track_history_column_list", track_history_column_list,
               "track_history_except_column_list", track_history_except_column_list)
    record = registry.Record("cdc", name or target, origin)
    record.options.update({
        "target": target,
        "source": source,
        "snapshot": True,
        "keys": _names("keys", keys),
        "scd_type": _scd_type(stored_as_scd_type),
        "track_history_columns": _names("track_history_column_list", track_history_column_list),
        "track_history_except": _names("track_history_except_column_list",
                                       track_history_except_column_list),
    })
    registry.add(record)


def apply_changes_from_snapshot(target, source=None, keys=None, stored_as_scd_type=1,
                                track_history_column_list=None,
                                track_history_except_column_list=None, snapshot_and_version=None):
    """Legacy name of create_auto_cdc_from_snapshot_flow."""
    return create_auto_cdc_from_snapshot_flow(
        target, source, keys, stored_as_scd_type, track_history_column_list,
        track_history_except_column_list, snapshot_and_version=snapshot_and_version)


# --- sinks and hooks ----------------------------------------------------------------------


def create_sink(name, format, options=None):
    raise errors.unsupported("create_sink", "write to a streaming table instead")


def foreach_batch_sink(*args, **kwargs):
    raise errors.unsupported("foreach_batch_sink")


def on_event_hook(*args, **kwargs):
    raise errors.unsupported("on_event_hook")


# --- reads ------------------------------------------------------------------------------------


def read(name):
    """A pipeline dataset (or a catalog table), read in full."""
    from pyspark.sql.session import SparkSession
    _check_str("name", name, optional=False)
    return SparkSession._active().read.table(name)


def read_stream(name):
    """A pipeline dataset read incrementally."""
    from pyspark.sql.session import SparkSession
    _check_str("name", name, optional=False)
    return SparkSession._active().readStream.table(name)
