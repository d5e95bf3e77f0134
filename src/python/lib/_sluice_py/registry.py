"""The registry of one pipeline load: what the pipeline's Python files define.

Decorators and functions of the pipeline API add records here (datasets, flows, AUTO CDC
flows, SET values). Each record becomes one statement of the pipeline SQL dialect, every
line of which remembers the Python call it came from. A query function is called once,
when its decorator runs; if it needs the schema of a dataset not defined yet (df.columns
of a table defined in a later file), it is called again after every file has run.
"""

import json

import _sluice
from _sluice_py import errors
from _sluice_py import origin as _origin
from _sluice_py.sqlbuild import Lines
from _sluice_py.sqltext import quote_identifier, string_literal, table_name

_load = None  # the _Load in progress, or None outside a pipeline load


class _Unresolved(Exception):
    """A query function needs a dataset that is not defined yet."""


class _Load:
    def __init__(self, configuration):
        self.configuration = dict(configuration)
        self.records = []  # in registration order
        self.by_name = {}  # dataset name, lower case -> record
        self.file = None
        self.file_conf = {}  # SET values in effect in the current file
        self.deferred = []  # (record, function) to call again at the end
        self.rendered = {}  # record id -> Lines, once known


def _current():
    if _load is None:
        raise errors.PipelineDefinitionError(
            "[GRAPH_ELEMENT_DEFINED_OUTSIDE_OF_DECLARATIVE_PIPELINE] datasets and flows can "
            "only be defined in the files of a pipeline that sluice loads")
    return _load


def begin(configuration):
    global _load
    _load = _Load(configuration)


def begin_file(path):
    load = _current()
    load.file = path
    load.file_conf = {}


def end():
    global _load
    _load = None


# --- configuration --------------------------------------------------------------------


def set_conf(key, value):
    load = _load
    if load is not None:
        load.file_conf[key] = value


def unset_conf(key):
    load = _load
    if load is not None:
        load.file_conf[key] = None


def default_conf(key):
    """Spark settings sluice knows, at their defaults, for spark.conf.get without one."""
    return {
        "spark.sql.ansi.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.legacy.timeParserPolicy": "EXCEPTION",
        "spark.sql.shuffle.partitions": "200",
    }.get(key)


# --- records ----------------------------------------------------------------------------


class Record:
    """One statement to be: `render(record)` gives its Lines."""

    def __init__(self, kind, name, origin):
        self.kind = kind  # "dataset", "flow" or "cdc"
        self.name = name
        self.origin = origin
        self.file = _current().file
        self.conf = dict(_current().file_conf)
        self.options = {}
        self.expectations = []  # (name, condition, action, origin)
        self.query = None  # a DataFrame
        self.lines = None  # rendered Lines
        self.failed = None  # the exception of the last call of a deferred query function


def add(record):
    load = _current()
    if record.kind == "dataset":
        key = record.name.lower()
        if key in load.by_name:
            first = load.by_name[key]
            raise errors.PipelineDefinitionError(
                "[DATASET_ALREADY_DEFINED] dataset '%s' is already defined at %s:%d"
                % (record.name, first.origin.file, first.origin.line))
        load.by_name[key] = record
    load.records.append(record)
    return record


def call_query_function(record, function):
    """Calls a query function for `record` now, or later if it reads what is not defined
    yet."""
    try:
        record.query = _checked_result(function, record)
    except _Unresolved as unresolved:
        record.failed = unresolved
        _current().deferred.append((record, function))


def _checked_result(function, record):
    from pyspark.sql.dataframe import DataFrame
    result = function()
    if not isinstance(result, DataFrame):
        raise errors.PipelineDefinitionError(
            "[INVALID_RETURN_TYPE] the query function of '%s' must return a DataFrame, not %s"
            % (record.name, type(result).__name__))
    return result


def finish():
    """Calls deferred query functions until every one has its query, and returns the
    statements of every file: [(python file, [(line text, (file, line, col, text))])]."""
    load = _current()
    while load.deferred:
        pending, load.deferred = load.deferred, []
        for record, function in pending:
            call_query_function(record, function)
        if len(load.deferred) == len(pending):
            record, _ = load.deferred[0]
            raise _with_origin(record.failed, record.origin)
    files = {}
    order = []
    state = {}
    for record in load.records:
        if record.file not in files:
            files[record.file] = Lines()
            order.append(record.file)
            state = {}
        lines = files[record.file]
        _emit_conf(lines, state, record)
        lines.extend(render(record))
        lines.add(";", record.origin)
    return [(f, [(text, origin.as_tuple()) for text, origin in files[f].items]) for f in order]


def _with_origin(exception, origin):
    message = str(exception)
    error = errors.AnalysisException(message)
    error.sluice_origin = origin.as_tuple()
    return error


def _emit_conf(lines, state, record):
    """SET / RESET statements that make the SQL settings in effect those of `record`."""
    wanted = {k: v for k, v in record.conf.items() if v is not None}
    for key in list(state):
        if key not in wanted:
            lines.add("RESET %s;" % key, record.origin)
            del state[key]
    for key, value in wanted.items():
        if state.get(key) != value:
            lines.add("SET %s = %s;" % (key, string_literal(value)), record.origin)
            state[key] = value


def statements_so_far(exclude=None):
    """[(file, text)] of every record whose query is known, for describing a query."""
    load = _current()
    out = []
    for record in load.records:
        if record is exclude or (record.kind != "cdc" and record.query is None and
                                 record.options.get("needs_query")):
            continue
        try:
            text = render(record).text()
        except Exception:
            continue
        out.append((record.file, text))
    return out


# --- describing queries ------------------------------------------------------------------


def describe(query_sql, streaming):
    """The schema (a StructType) of a query, bound against what the pipeline defines."""
    from pyspark.sql.types import _parse_datatype_json_value
    try:
        schema_json = _sluice.describe(query_sql, bool(streaming), statements_so_far())
    except _sluice.UnresolvedDataset as unresolved:
        raise _Unresolved(str(unresolved)) from None
    except _sluice.Error as error:
        raise errors.AnalysisException(str(error)) from None
    return _parse_datatype_json_value(json.loads(schema_json))


def check_expression(text):
    """Raises ParseException when `text` is not one Spark SQL expression."""
    try:
        _sluice.check_expression(text)
    except _sluice.Error as error:
        raise errors.ParseException(str(error)) from None


def query_reads_stream(text):
    """Whether a Spark SQL query reads a STREAM; raises ParseException when it does not
    parse."""
    try:
        return _sluice.query_reads_stream(text)
    except _sluice.Error as error:
        raise errors.ParseException(str(error)) from None


# --- rendering ------------------------------------------------------------------------------


def render(record):
    if record.kind == "dataset":
        return _render_dataset(record)
    if record.kind == "flow":
        return _render_flow(record)
    if record.kind == "cdc":
        return _render_cdc(record)
    raise AssertionError(record.kind)


def _query_lines(record):
    return record.query._sql_lines()


def _render_dataset(record):
    o = record.options
    at = record.origin
    lines = Lines()
    kind = o["kind"]
    head = {"st": "CREATE OR REFRESH%s STREAMING TABLE",
            "mv": "CREATE OR REFRESH%s MATERIALIZED VIEW",
            "view": "CREATE TEMPORARY VIEW"}[kind]
    head = head % (" PRIVATE" if o.get("private") else "") if "%s" in head else head
    lines.add("%s %s" % (head, table_name(record.name)), at)
    elements = []
    if o.get("schema"):
        elements.append((o["schema"], at))
    for name, condition, action, where in record.expectations:
        text = "CONSTRAINT %s EXPECT (%s)" % (quote_identifier(name), condition)
        if action == "drop":
            text += " ON VIOLATION DROP ROW"
        elif action == "fail":
            text += " ON VIOLATION FAIL UPDATE"
        elements.append((text, where))
    if elements:
        lines.add("(", at)
        for i, (text, where) in enumerate(elements):
            lines.add("  " + text + ("," if i + 1 < len(elements) else ""), where)
        lines.add(")", at)
    if o.get("partition_cols"):
        lines.add("PARTITIONED BY (%s)" % ", ".join(quote_identifier(c)
                                                    for c in o["partition_cols"]), at)
    if o.get("cluster_by_auto"):
        lines.add("CLUSTER BY AUTO", at)
    elif o.get("cluster_by"):
        lines.add("CLUSTER BY (%s)" % ", ".join(quote_identifier(c) for c in o["cluster_by"]), at)
    if o.get("comment") is not None:
        lines.add("COMMENT " + string_literal(o["comment"]), at)
    if o.get("table_properties"):
        lines.add("TBLPROPERTIES (%s)" % ", ".join(
            "%s = %s" % (string_literal(k), string_literal(v))
            for k, v in o["table_properties"].items()), at)
    if record.query is not None:
        lines.add("AS", at)
        lines.extend(_query_lines(record))
    return lines


def _render_flow(record):
    o = record.options
    at = record.origin
    lines = Lines()
    head = "CREATE FLOW %s" % quote_identifier(record.name)
    if o.get("comment") is not None:
        head += " COMMENT " + string_literal(o["comment"])
    lines.add(head, at)
    lines.add("AS INSERT INTO %s%s BY NAME" % ("ONCE " if o.get("once") else "",
                                              table_name(o["target"])), at)
    lines.extend(_query_lines(record))
    return lines


def _selection(names, except_names):
    if names is not None:
        return "(%s)" % ", ".join(quote_identifier(n) for n in names)
    return "* EXCEPT (%s)" % ", ".join(quote_identifier(n) for n in except_names)


def _render_cdc(record):
    o = record.options
    at = record.origin
    lines = Lines()
    lines.add("CREATE FLOW %s" % quote_identifier(record.name), at)
    lines.add("AS AUTO CDC INTO %s" % table_name(o["target"]), at)
    source = table_name(o["source"])
    if o.get("snapshot"):
        lines.add("FROM SNAPSHOT %s" % source, at)
    else:
        lines.add("FROM STREAM(%s)" % source, at)
    lines.add("KEYS (%s)" % ", ".join(quote_identifier(k) for k in o["keys"]), at)
    if o.get("ignore_null_updates_columns") is not None or \
            o.get("ignore_null_updates_except") is not None:
        lines.add("IGNORE NULL UPDATES ON " + _selection(o.get("ignore_null_updates_columns"),
                                                         o.get("ignore_null_updates_except")), at)
    elif o.get("ignore_null_updates"):
        lines.add("IGNORE NULL UPDATES", at)
    if o.get("apply_as_deletes") is not None:
        lines.add("APPLY AS DELETE WHEN " + o["apply_as_deletes"], at)
    if o.get("apply_as_truncates") is not None:
        lines.add("APPLY AS TRUNCATE WHEN " + o["apply_as_truncates"], at)
    if o.get("sequence_by") is not None:
        lines.add("SEQUENCE BY " + o["sequence_by"], at)
    if o.get("column_list") is not None or o.get("except_column_list") is not None:
        lines.add("COLUMNS " + _selection(o.get("column_list"), o.get("except_column_list")), at)
    lines.add("STORED AS SCD TYPE %d" % o.get("scd_type", 1), at)
    if o.get("track_history_columns") is not None or o.get("track_history_except") is not None:
        lines.add("TRACK HISTORY ON " + _selection(o.get("track_history_columns"),
                                                   o.get("track_history_except")), at)
    return lines
