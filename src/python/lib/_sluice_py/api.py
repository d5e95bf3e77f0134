"""The pipeline API: one implementation behind `dlt` (Databricks' names, current and
legacy) and `pyspark.pipelines` (Spark Declarative Pipelines' names).

Every definition adds a record to the registry (registry.py). A dataset decorator calls
its query function once, right away, and returns a stand-in for the function that carries
the record, so that expectation decorators may stack above or below it in any order, as
on Databricks: those below wait on a stand-in for the dataset decorator to collect them.
"""

import functools
import warnings

from _sluice_py import errors
from _sluice_py import origin as _origin
from _sluice_py import registry
from _sluice_py.sqltext import (column_reference, identifier_parts, split_top_level,
                                unwrap_parentheses)

# --- argument checks, with PySpark's error conditions ----------------------------------------


def _type_name(value):
    return type(value).__name__


def _check_str(name, value, optional=True):
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise errors.PySparkTypeError("[NOT_STR] Argument `%s` should be a str, got %s."
                                      % (name, _type_name(value)))


def _check_dict_of_str(name, value):
    if value is None:
        return
    if not isinstance(value, dict):
        raise errors.PySparkTypeError("[NOT_DICT] Argument `%s` should be a dict, got %s."
                                      % (name, _type_name(value)))
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise errors.PySparkTypeError(
                "[NOT_STR] Argument `%s` should be a dict of str to str, got %r: %r (%s: %s)."
                % (name, k, v, _type_name(k), _type_name(v)))


def _check_list_of_str(name, value):
    """A list of str, as PySpark's pipelines require of partition_cols and cluster_by (a
    bare str is refused: it would be read as a list of letters)."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise errors.PySparkTypeError("[NOT_LIST_OF_STR] Argument `%s` should be a list[str], "
                                      "got %s." % (name, _type_name(value)))
    return list(value)


def _column_names(name, value):
    """Column names given as str, col(), or a list of either (AUTO CDC's keys and column
    lists)."""
    from pyspark.sql.column import Column
    if value is None:
        return None
    if isinstance(value, (str, Column)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise errors.PySparkTypeError("[NOT_LIST_OF_COLUMN_OR_STR] Argument `%s` should be a "
                                      "list of column names or col(), got %s."
                                      % (name, _type_name(value)))
    out = []
    for v in value:
        if isinstance(v, str):
            out.append(v)
            continue
        parts = identifier_parts(v._sql) if isinstance(v, Column) else None
        if parts is None or v._alias is not None:
            raise errors.PySparkTypeError(
                "[NOT_COLUMN_OR_STR] Argument `%s` takes column names or col(name), got %s."
                % (name, v._sql if isinstance(v, Column) else _type_name(v)))
        out.append(parts[-1])
    return out


def _expression(name, value):
    """The SQL text of a condition or expression given as a str or a Column."""
    from pyspark.sql.column import Column
    if value is None:
        return None
    if isinstance(value, Column):
        if "\x01" in value._sql:
            raise errors.PySparkTypeError(
                "Argument `%s` cannot use df[\"...\"] columns: write col(\"...\")" % name)
        return unwrap_parentheses(value._sql)
    if isinstance(value, str):
        registry.check_expression(value, name)
        return value
    raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `%s` should be a Column or "
                                  "str, got %s." % (name, _type_name(value)))


def _schema_elements(schema):
    """The column definitions of a `schema=` argument (DDL text or a StructType), one per
    element of the column list."""
    from pyspark.sql.types import StructType, _schema_ddl
    if schema is None:
        return []
    if isinstance(schema, StructType):
        return [_schema_ddl(StructType([field])) for field in schema.fields]
    if isinstance(schema, str):
        return split_top_level(schema)
    raise errors.PySparkTypeError("[NOT_STR_OR_STRUCT] Argument `schema` should be a str or "
                                  "struct type, got %s." % _type_name(schema))


def _refuse(parameter, value, hint=None):
    if value is not None and value is not False:
        raise errors.unsupported("the parameter `%s`" % parameter, hint)


_REFRESH_POLICIES = ("auto", "incremental", "incremental_strict", "full")


def _refresh_policy(value):
    """Databricks' refresh_policy: checked, then ignored with a warning, since sluice
    refreshes a materialized view incrementally when it can and in full otherwise."""
    if value is None:
        return
    if not isinstance(value, str) or value.lower().replace(" ", "_") not in _REFRESH_POLICIES:
        raise errors.PySparkValueError("refresh_policy should be one of %s, got %r"
                                       % (", ".join(_REFRESH_POLICIES), value))
    warnings.warn("refresh_policy=%r is ignored: sluice refreshes a materialized view "
                  "incrementally when it can and in full otherwise" % value, stacklevel=3)


def _stored_options(name, comment, spark_conf, table_properties, path, partition_cols,
                    cluster_by, cluster_by_auto, schema, private, row_filter, format):
    """The options of a stored dataset (table, materialized view, streaming table), checked
    as Databricks and Spark check them."""
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    _check_dict_of_str("table_properties", table_properties)
    _check_str("path", path)
    if row_filter is not None:
        raise errors.unsupported("the parameter `row_filter` (a Unity Catalog row filter)")
    if format is not None and str(format).lower() != "delta":
        raise errors.unsupported("format=%r" % (format,), "sluice stores every table as Delta")
    return {
        "name": name,
        "comment": comment,
        "path": path,
        "spark_conf": spark_conf,
        "table_properties": table_properties,
        "partition_cols": _check_list_of_str("partition_cols", partition_cols),
        "cluster_by": _check_list_of_str("cluster_by", cluster_by),
        "cluster_by_auto": bool(cluster_by_auto),
        "schema": _schema_elements(schema),
        "private": bool(private),
    }


# --- stand-ins for decorated functions -------------------------------------------------------

_RECORD = "_sluice_record"  # the record a stand-in's dataset decorator made
_PENDING = "_sluice_pending_expectations"  # expectations waiting for a dataset decorator
_QUERY = "_sluice_query_function"  # the user's function behind a stand-in
_FLOW = "_sluice_flow"  # set on the stand-in of an append flow


def _query_function_of(function):
    return getattr(function, _QUERY, function)


def _default_name(function, decorator):
    """The name a dataset or flow takes from its function when name= is not given."""
    name = getattr(function, "__name__", None)
    if not isinstance(name, str) or name == "<lambda>":
        raise errors.PySparkValueError("@%s needs name= for a lambda or another query "
                                       "function without a name of its own" % decorator)
    return name


def _stand_in(function, record=None, pending=None):
    """A function that calls the user's `function` and carries what the decorators so far
    made of it. The user's function itself is left as it is."""
    query_function = _query_function_of(function)

    def stand_in(*args, **kwargs):
        return query_function(*args, **kwargs)

    functools.update_wrapper(stand_in, query_function, updated=())
    setattr(stand_in, _QUERY, query_function)
    setattr(stand_in, _RECORD, record)
    setattr(stand_in, _PENDING, list(pending or []))
    return stand_in


def _not_callable(decorator):
    return errors.PySparkTypeError(
        "[DECORATOR_ARGUMENT_NOT_CALLABLE] The first positional argument passed to @%s must "
        "be callable. Either add @%s with no parameters to your function, or pass options to "
        "@%s using keyword arguments (e.g. @%s(name='%s_a'))."
        % (decorator, decorator, decorator, decorator, decorator))


# --- datasets -------------------------------------------------------------------------------


def _dataset(decorator, query_function, options):
    """The decorator of a dataset (applied to `query_function` when it is given, as in
    `@dp.table` without parentheses)."""
    origin = _origin.user_origin(3)

    def register(function):
        if not callable(function):
            raise _not_callable(decorator)
        defined = getattr(function, _RECORD, None)
        if defined is not None:
            raise errors.PipelineDefinitionError(
                "a query function defines one dataset; this one already defines '%s'"
                % defined.name)
        user_function = _query_function_of(function)
        record = registry.Record("dataset", options["name"] or _default_name(user_function,
                                                                             decorator),
                                 _origin.of_function(user_function) or origin)
        record.options.update(options, decorator=decorator, needs_query=True)
        record.options.pop("name")
        record.conf.update(record.options.pop("spark_conf", None) or {})
        registry.add(record)
        registry.add_expectations(record, getattr(function, _PENDING, []))
        registry.consume_pending(function)
        registry.call_query_function(record, user_function,
                                     lambda df: _settle_kind(record, df))
        return _stand_in(function, record=record)

    if query_function is not None:
        return register(query_function)
    return register


def _settle_kind(record, df):
    """The kind of the dataset of `record` once its query `df` is known."""
    decorator = record.options["decorator"]
    if decorator == "table":
        record.options["kind"] = "st" if df.isStreaming else "mv"
    elif decorator == "materialized_view":
        if df.isStreaming:
            raise registry.located(errors.AnalysisException(
                "[INVALID_FLOW_QUERY_TYPE.STREAMING_RELATION_FOR_BATCH_FLOW] The materialized "
                "view '%s' is defined by a streaming query (it reads spark.readStream or "
                "dlt.read_stream), but a materialized view's query must be batch: read with "
                "spark.read, or define a streaming table with @dp.table" % record.name),
                record.origin)
        record.options["kind"] = "mv"
    else:
        record.options["kind"] = "view"


def table(query_function=None, *, name=None, comment=None, spark_conf=None,
          table_properties=None, path=None, partition_cols=None, cluster_by=None, schema=None,
          temporary=False, private=False, cluster_by_auto=False, row_filter=None, format=None,
          refresh_policy=None):
    """A streaming table when the query reads a stream, else a materialized view."""
    options = _stored_options(name, comment, spark_conf, table_properties, path,
                              partition_cols, cluster_by, cluster_by_auto, schema,
                              private or temporary, row_filter, format)
    _refresh_policy(refresh_policy)
    return _dataset("table", query_function, options)


def materialized_view(query_function=None, *, name=None, comment=None, spark_conf=None,
                      table_properties=None, path=None, partition_cols=None, cluster_by=None,
                      schema=None, private=False, cluster_by_auto=False, row_filter=None,
                      refresh_policy=None, format=None):
    """A materialized view: a batch query, recomputed (or refreshed incrementally)."""
    options = _stored_options(name, comment, spark_conf, table_properties, path,
                              partition_cols, cluster_by, cluster_by_auto, schema, private,
                              row_filter, format)
    _refresh_policy(refresh_policy)
    return _dataset("materialized_view", query_function, options)


def temporary_view(query_function=None, *, name=None, comment=None, spark_conf=None):
    """A view computed when something reads it; it is not stored."""
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    options = {"name": name, "comment": comment, "spark_conf": spark_conf}
    return _dataset("temporary_view", query_function, options)


def view(query_function=None, *, name=None, comment=None, spark_conf=None):
    """Legacy name of temporary_view."""
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    options = {"name": name, "comment": comment, "spark_conf": spark_conf}
    return _dataset("view", query_function, options)


# --- expectations ---------------------------------------------------------------------------


def _expect(decorator, action, pairs):
    """The decorator of expectations `pairs` [(name, constraint)] with `action`."""
    origin = _origin.user_origin(3)
    checked = []
    for name, constraint in pairs:
        _check_str("description", name, optional=False)
        checked.append(registry.Expectation(name, _expression("constraint", constraint),
                                            action, origin))

    def decorate(function):
        if not callable(function):
            raise _not_callable(decorator)
        if getattr(function, _FLOW, False):
            raise _expectation_on_flow(origin)
        record = getattr(function, _RECORD, None)
        if record is not None:
            # Decorators apply bottom-up: this one is above every one applied so far.
            registry.add_expectations(record, checked, first=True)
            return function
        stand_in = _stand_in(function, pending=checked + getattr(function, _PENDING, []))
        registry.consume_pending(function)
        registry.wait_for_dataset(stand_in, checked)
        return stand_in

    return decorate


def _expectation_on_flow(origin):
    return registry.located(errors.PipelineDefinitionError(
        "expectations go on datasets, not on append flows: put them on the target "
        "(create_streaming_table(..., expect_all={...}))"), origin)


def _pairs(argument, expectations):
    if not isinstance(expectations, dict):
        raise errors.PySparkTypeError("[NOT_DICT] Argument `%s` should be a dict, got %s."
                                      % (argument, _type_name(expectations)))
    return list(expectations.items())


def expect(description, constraint):
    """Rows failing `constraint` are kept and counted."""
    return _expect("expect", "warn", [(description, constraint)])


def expect_or_drop(description, constraint):
    """Rows failing `constraint` are dropped and counted."""
    return _expect("expect_or_drop", "drop", [(description, constraint)])


def expect_or_fail(description, constraint):
    """A row failing `constraint` fails the flow's update."""
    return _expect("expect_or_fail", "fail", [(description, constraint)])


def expect_all(expectations):
    return _expect("expect_all", "warn", _pairs("expectations", expectations))


def expect_all_or_drop(expectations):
    return _expect("expect_all_or_drop", "drop", _pairs("expectations", expectations))


def expect_all_or_fail(expectations):
    return _expect("expect_all_or_fail", "fail", _pairs("expectations", expectations))


# --- streaming tables without a query, and flows -----------------------------------------


def create_streaming_table(name, *, comment=None, spark_conf=None, table_properties=None,
                           path=None, partition_cols=None, cluster_by=None, schema=None,
                           expect_all=None, expect_all_or_drop=None, expect_all_or_fail=None,
                           row_filter=None, cluster_by_auto=False, private=False,
                           temporary=False, format=None):
    """A streaming table that flows (append_flow, create_auto_cdc_flow) write."""
    origin = _origin.user_origin(2)
    _check_str("name", name, optional=False)
    options = _stored_options(name, comment, spark_conf, table_properties, path,
                              partition_cols, cluster_by, cluster_by_auto, schema,
                              private or temporary, row_filter, format)
    expectations = []
    for argument, action, given in (("expect_all", "warn", expect_all),
                                    ("expect_all_or_drop", "drop", expect_all_or_drop),
                                    ("expect_all_or_fail", "fail", expect_all_or_fail)):
        if given is not None:
            for n, c in _pairs(argument, given):
                _check_str("description", n, optional=False)
                expectations.append(registry.Expectation(n, _expression("constraint", c),
                                                         action, origin))
    record = registry.Record("dataset", name, origin)
    record.options.update(options, kind="st")
    record.options.pop("name")
    record.conf.update(record.options.pop("spark_conf", None) or {})
    registry.add(record)
    registry.add_expectations(record, expectations)


def create_target_table(*args, **kwargs):
    """Deprecated name of create_streaming_table."""
    warnings.warn("create_target_table is deprecated: use create_streaming_table", stacklevel=2)
    return create_streaming_table(*args, **kwargs)


def create_streaming_live_table(*args, **kwargs):
    """Deprecated name of create_streaming_table."""
    warnings.warn("create_streaming_live_table is deprecated: use create_streaming_table",
                  stacklevel=2)
    return create_streaming_table(*args, **kwargs)


def append_flow(query_function=None, *, target=None, name=None, once=False, spark_conf=None,
                comment=None, depends_on=None, import_checkpoint=None):
    """A flow appending its query's rows to `target`; with once=True, a batch query that
    runs once (and again after a full refresh of the target)."""
    _check_str("target", target, optional=False)
    _check_str("name", name)
    _check_str("comment", comment)
    _check_dict_of_str("spark_conf", spark_conf)
    _refuse("depends_on", depends_on)
    _refuse("import_checkpoint", import_checkpoint)

    def register(function):
        if not callable(function):
            raise _not_callable("append_flow")
        if getattr(function, _PENDING, None):
            raise _expectation_on_flow(getattr(function, _PENDING)[0].origin)
        user_function = _query_function_of(function)
        record = registry.Record("flow", name or _default_name(user_function, "append_flow"),
                                 _origin.of_function(user_function))
        record.options.update({"target": target, "once": bool(once), "comment": comment,
                               "needs_query": True})
        record.conf.update(spark_conf or {})
        registry.add(record)
        registry.consume_pending(function)

        def check(df):
            if once and df.isStreaming:
                raise registry.located(errors.AnalysisException(
                    "the flow '%s' has once=True, which runs a batch query one time: read "
                    "with spark.read, not spark.readStream" % record.name), record.origin)

        registry.call_query_function(record, user_function, check)
        flow = _stand_in(function)
        setattr(flow, _FLOW, True)
        return flow

    if query_function is not None:
        return register(query_function)
    return register


# --- AUTO CDC ------------------------------------------------------------------------------


def _scd_type(value):
    if isinstance(value, bool) or str(value) not in ("1", "2"):
        raise errors.PySparkValueError("stored_as_scd_type should be 1 or 2 (an int or a "
                                       "str), got %r" % (value,))
    return int(value)


def _sequence(value):
    """SEQUENCE BY text: a column name (as Databricks reads a str), an expression text such
    as "struct(ts, id)" (as Spark reads one), col(), or struct()."""
    from pyspark.sql.column import Column
    if isinstance(value, str):
        if identifier_parts(value) is None:
            try:
                registry.check_expression(value, "sequence_by")
                return value.strip()
            except errors.ParseException:
                pass  # a column name that needs quotes, such as "event time"
        return column_reference(value)
    if isinstance(value, Column):
        return _expression("sequence_by", value)
    raise errors.PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `sequence_by` should be a "
                                  "Column or str, got %s." % _type_name(value))


def _exclusive(a_name, a, b_name, b):
    if a is not None and b is not None:
        raise errors.PySparkValueError("%s and %s cannot both be given" % (a_name, b_name))


def _keys(value):
    keys = _column_names("keys", value)
    if not keys:
        raise errors.PySparkValueError("keys should name at least one column")
    return keys


def _flow_name(name, flow_name, target):
    _check_str("name", name)
    _check_str("flow_name", flow_name)
    if name is not None and flow_name is not None and name != flow_name:
        raise errors.PySparkValueError("name and flow_name (its legacy spelling) differ: "
                                       "%r and %r" % (name, flow_name))
    return name or flow_name or target


def create_auto_cdc_flow(target, source, keys, sequence_by=None, *, where=None,
                         ignore_null_updates=False, ignore_null_updates_column_list=None,
                         ignore_null_updates_except_column_list=None, apply_as_deletes=None,
                         apply_as_truncates=None, column_list=None, except_column_list=None,
                         stored_as_scd_type=1, track_history_column_list=None,
                         track_history_except_column_list=None, name=None, flow_name=None,
                         once=False, system_sequence_by=None, columns_to_update=None,
                         spark_conf=None):
    """Applies the change feed `source` to the streaming table `target` by key, as SCD
    type 1 or 2."""
    origin = _origin.user_origin(2)
    _check_str("target", target, optional=False)
    _check_str("source", source, optional=False)
    _check_dict_of_str("spark_conf", spark_conf)
    _refuse("where", where, "filter the source in a @dp.temporary_view instead")
    _refuse("once", once or None)
    _refuse("system_sequence_by", system_sequence_by)
    _refuse("columns_to_update", columns_to_update)
    if sequence_by is None:
        raise errors.PySparkValueError("create_auto_cdc_flow needs sequence_by: the column "
                                       "(or struct of columns) that orders the changes")
    _exclusive("column_list", column_list, "except_column_list", except_column_list)
    _exclusive("track_history_column_list", track_history_column_list,
               "track_history_except_column_list", track_history_except_column_list)
    _exclusive("ignore_null_updates_column_list", ignore_null_updates_column_list,
               "ignore_null_updates_except_column_list", ignore_null_updates_except_column_list)
    record = registry.Record("cdc", _flow_name(name, flow_name, target), origin)
    record.options.update({
        "target": target,
        "source": source,
        "keys": _keys(keys),
        "sequence_by": _sequence(sequence_by),
        "ignore_null_updates": bool(ignore_null_updates),
        "ignore_null_updates_columns": _column_names("ignore_null_updates_column_list",
                                                     ignore_null_updates_column_list),
        "ignore_null_updates_except": _column_names("ignore_null_updates_except_column_list",
                                                    ignore_null_updates_except_column_list),
        "apply_as_deletes": _expression("apply_as_deletes", apply_as_deletes),
        "apply_as_truncates": _expression("apply_as_truncates", apply_as_truncates),
        "column_list": _column_names("column_list", column_list),
        "except_column_list": _column_names("except_column_list", except_column_list),
        "scd_type": _scd_type(stored_as_scd_type),
        "track_history_columns": _column_names("track_history_column_list",
                                               track_history_column_list),
        "track_history_except": _column_names("track_history_except_column_list",
                                              track_history_except_column_list),
    })
    record.conf.update(spark_conf or {})
    registry.add(record)


def apply_changes(target, source, keys, sequence_by, where=None, ignore_null_updates=False,
                  apply_as_deletes=None, apply_as_truncates=None, column_list=None,
                  except_column_list=None, stored_as_scd_type="1",
                  track_history_column_list=None, track_history_except_column_list=None,
                  flow_name=None, once=False, ignore_null_updates_column_list=None,
                  ignore_null_updates_except_column_list=None, name=None):
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
        name=name, flow_name=flow_name, once=once)


def create_auto_cdc_from_snapshot_flow(target, source, keys, stored_as_scd_type=1,
                                       track_history_column_list=None,
                                       track_history_except_column_list=None, *, name=None,
                                       once=False, snapshot_and_version=None):
    """Applies the full snapshots of the table or view `source` to `target` by key, as SCD
    type 1 or 2."""
    origin = _origin.user_origin(2)
    _check_str("target", target, optional=False)
    if snapshot_and_version is not None:
        source = snapshot_and_version
    function = source if callable(source) else None
    if function is None:
        _check_str("source", source, optional=False)
    _refuse("once", once or None)
    _exclusive("track_history_column_list", track_history_column_list,
               "track_history_except_column_list", track_history_except_column_list)
    record = registry.Record("cdc", _flow_name(name, None, target), origin)
    if function is not None:
        registry.add_snapshot_function(record, function)
    record.options.update({
        "target": target,
        "source": source if function is None else None,
        "snapshot_function": _function_name(function) if function is not None else None,
        "snapshot": True,
        "keys": _keys(keys),
        "scd_type": _scd_type(stored_as_scd_type),
        "track_history_columns": _column_names("track_history_column_list",
                                               track_history_column_list),
        "track_history_except": _column_names("track_history_except_column_list",
                                              track_history_except_column_list),
    })
    registry.add(record)


def _function_name(function):
    name = getattr(function, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else "snapshot_function"


def apply_changes_from_snapshot(target, source=None, keys=None, stored_as_scd_type=1,
                                track_history_column_list=None,
                                track_history_except_column_list=None, snapshot_and_version=None):
    """Legacy name of create_auto_cdc_from_snapshot_flow."""
    return create_auto_cdc_from_snapshot_flow(
        target, source, keys, stored_as_scd_type, track_history_column_list,
        track_history_except_column_list, snapshot_and_version=snapshot_and_version)


# --- sinks, and the hooks sluice does not have yet ---------------------------------------


def create_sink(name, format, options=None):
    """A sink: a Delta table outside the pipeline (options `path` or `tableName`) that
    append flows write to. A full refresh does not clear it; expectations do not apply."""
    origin = _origin.user_origin(2)
    _check_str("name", name, optional=False)
    _check_str("format", format, optional=False)
    _check_dict_of_str("options", options)
    record = registry.Record("dataset", name, origin)
    record.options.update(kind="sink", format=format, sink_options=dict(options or {}))
    registry.add(record)


def foreach_batch_sink(*args, **kwargs):
    raise errors.unsupported("foreach_batch_sink", "write to a streaming table instead")


def on_event_hook(*args, **kwargs):
    raise errors.unsupported("on_event_hook", "query the event_log table instead")


# --- reads ------------------------------------------------------------------------------------


def read(name):
    """A pipeline dataset (or a catalog table), read in full: spark.read.table(name)."""
    from pyspark.sql.session import SparkSession
    _check_str("name", name, optional=False)
    return SparkSession._active().read.table(name)


def read_stream(name):
    """A pipeline dataset read incrementally: spark.readStream.table(name)."""
    from pyspark.sql.session import SparkSession
    _check_str("name", name, optional=False)
    return SparkSession._active().readStream.table(name)
