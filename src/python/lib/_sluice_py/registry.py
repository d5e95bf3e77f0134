"""The registry of one pipeline load: what the pipeline's Python files define.

Decorators and functions of the pipeline API add records here (datasets, flows, AUTO CDC
flows). Each record becomes one statement of the pipeline SQL dialect, every line of which
remembers the Python call it came from, preceded by the SET statements of the Spark
settings in effect for it. A query function is called once, when its decorator runs; if it
needs the schema of a dataset not defined yet (df.columns of a table defined later), it is
called again after every file has run, until nothing more resolves.
"""

import collections
import itertools
import json
import re

import _sluice
from _sluice_py import errors
from _sluice_py import origin as _origin
from _sluice_py.sqlbuild import Lines
from _sluice_py.sqltext import quote_identifier, string_literal, table_name

_load = None  # the _Load in progress, or None outside a pipeline load
_frame_ids = itertools.count(1)

# One expectation of a dataset: action is "warn", "drop" or "fail"; origin is where the
# user wrote it.
Expectation = collections.namedtuple("Expectation", "name condition action origin")


class _Unresolved(Exception):
    """A query function reads a dataset that is not defined (yet): `dataset` (as the SQL
    layer names it, or None), read as a stream or not, where the user's code needed its
    schema."""

    def __init__(self, message, dataset, streaming, origin):
        super().__init__(message)
        self.dataset, self.streaming, self.origin = dataset, streaming, origin


class _Load:
    def __init__(self, configuration):
        self.configuration = dict(configuration)
        self.records = []  # in registration order
        self.by_name = {}  # dataset name, lower case -> record
        self.file = None
        self.file_conf = {}  # SET values in effect in the current file
        self.deferred = []  # (record, function, check) to call again at the end
        self.waiting = {}  # id(stand-in) -> (stand-in, expectations) not on a dataset yet
        self.udf_settings = {}  # setting key -> value of each Python UDF defined
        self.query_depth = 0  # query functions running (nested: one may define a dataset)
        self.snapshot_functions = []  # (flow name, function, file): called at update time


def located(error, origin):
    """`error`, reported at `origin` (a place in the user's code) unless it has a place."""
    if origin is not None and getattr(error, "sluice_origin", None) is None:
        error.sluice_origin = origin.as_tuple()
    return error


def _current():
    if _load is None:
        raise errors.PySparkRuntimeError(
            "[GRAPH_ELEMENT_DEFINED_OUTSIDE_OF_DECLARATIVE_PIPELINE] APIs that define "
            "elements of a declarative pipeline can only be invoked within the context of "
            "defining a pipeline (the Python files of a pipeline that sluice runs)")
    return _load


def begin(configuration):
    global _load, _frame_ids
    _load = _Load(configuration)
    _frame_ids = itertools.count(1)


def next_frame_id():
    """A number for a new DataFrame (its subqueries are named after it), counted from 1 in
    each load: the SQL a load generates does not depend on what ran before it in the
    process, so that it compiles, and is remembered by the analysis, the same each time."""
    return next(_frame_ids)


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


def _session_conf():
    from pyspark.sql.session import SparkSession
    session = SparkSession._current
    return session.conf if session is not None else None


# --- Python UDFs --------------------------------------------------------------------------

_UDF_SETTING_PREFIX = "sluice.udf."  # python/udf.h kUdfSettingPrefix


def define_udf(udf, name=None):
    """Defines the Python UDF `udf` (udf.py) for this load and returns its SQL name. Every
    generated file sets the settings of all UDFs before its statements, so that any query
    may call them."""
    from pyspark.sql.types import _type_sql
    load = _current()
    sql_name, setting = _sluice.define_udf(name, udf._name, _type_sql(udf.returnType), udf.func,
                                           udf._pandas)
    load.udf_settings[_UDF_SETTING_PREFIX + sql_name] = setting
    return sql_name


def knows_udf(sql_name):
    """Whether the UDF of SQL name `sql_name` is defined in the load in progress."""
    return _load is not None and (_UDF_SETTING_PREFIX + sql_name) in _load.udf_settings


# --- records ----------------------------------------------------------------------------


class Record:
    """One statement to be: `render(record)` gives its Lines."""

    def __init__(self, kind, name, origin):
        load = _current()
        self.kind = kind  # "dataset", "flow" or "cdc"
        self.name = name
        self.origin = origin
        self.file = load.file
        self.conf = dict(load.file_conf)  # Spark settings of its statement
        self.options = {}
        self.expectations = []  # Expectation, in the order of the source
        self.query = None  # a DataFrame
        self.failed = None  # the _Unresolved of the last call of a deferred query function
        conf = _session_conf()
        # spark.conf values its query function sees, also when it is called again later
        self.session_values = dict(conf._values) if conf is not None else {}


def add(record):
    load = _current()
    if record.kind == "dataset":
        key = record.name.lower()
        if key in load.by_name:
            first = load.by_name[key]
            raise located(errors.PipelineDefinitionError(
                "[DATASET_ALREADY_DEFINED] dataset '%s' is already defined at %s:%d"
                % (record.name, first.origin.file, first.origin.line)), record.origin)
        load.by_name[key] = record
    load.records.append(record)
    return record


def add_snapshot_function(record, function):
    """The callable source of a snapshot AUTO CDC flow, called when the flow runs."""
    load = _current()
    load.snapshot_functions.append((record.name, function, load.file))


def snapshot_functions():
    return list(_current().snapshot_functions)


def add_expectations(record, expectations, first=False):
    """Adds expectations to a dataset, before those it has when `first`; a name may be
    used once per dataset."""
    names = {e.name.lower() for e in record.expectations}
    for e in expectations:
        if e.name.lower() in names:
            raise located(errors.PipelineDefinitionError(
                "expectation '%s' is defined twice on '%s'" % (e.name, record.name)), e.origin)
        names.add(e.name.lower())
    if first:
        record.expectations[0:0] = expectations
    else:
        record.expectations.extend(expectations)


def wait_for_dataset(stand_in, expectations):
    """Expectations on a function no dataset decorator has taken yet."""
    _current().waiting[id(stand_in)] = (stand_in, expectations)


def consume_pending(stand_in):
    """The expectations waiting on `stand_in` have been taken by another decorator."""
    _current().waiting.pop(id(stand_in), None)


def call_query_function(record, function, check=None):
    """Calls the query function of `record` now, or again at the end of the load if it
    reads what is not defined yet; `check(df)` checks the DataFrame it returns."""
    try:
        record.query = _checked_result(record, function, check)
        record.failed = None
    except _Unresolved as unresolved:
        record.failed = unresolved
        _current().deferred.append((record, function, check))


def in_query_function():
    """Whether the code running is (called by) the query function of a dataset or flow,
    rather than the top level of a pipeline file."""
    return _load is not None and _load.query_depth > 0


def _checked_result(record, function, check):
    from pyspark.sql.dataframe import DataFrame
    load = _current()
    load.query_depth += 1
    try:
        result = function()
    finally:
        load.query_depth -= 1
    if not isinstance(result, DataFrame):
        raise located(errors.PipelineDefinitionError(
            "[INVALID_RETURN_TYPE] the query function of '%s' must return a DataFrame, not %s"
            % (record.name, type(result).__name__)), record.origin)
    if check is not None:
        check(result)
    return result


def _call_again(record, function, check):
    """Calls a deferred query function with the spark.conf values of its first call."""
    conf = _session_conf()
    saved = dict(conf._values)
    conf._values = dict(record.session_values)
    try:
        call_query_function(record, function, check)
    finally:
        conf._values = saved


def finish():
    """Calls deferred query functions until no more resolve, and returns the statements
    of every file: [(python file, [(line text, (file, line, col, text))])]."""
    load = _current()
    for stand_in, expectations in load.waiting.values():
        raise located(errors.PipelineDefinitionError(
            "expectation '%s' is on '%s', which defines no dataset: put it under or above "
            "@dp.table, @dp.materialized_view or @dp.temporary_view"
            % (expectations[0].name, stand_in.__name__)), expectations[0].origin)
    while load.deferred:
        pending, load.deferred = load.deferred, []
        for record, function, check in pending:
            _call_again(record, function, check)
        if len(load.deferred) == len(pending):
            break
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
        lines.extend(render(record) if record.failed is None else _render_unresolved(record))
        lines.add(";", record.origin)
    return [(f, [(text, origin.as_tuple()) for text, origin in files[f].items]) for f in order]


def _render_unresolved(record):
    """The statement of a record whose query function never resolved: a query of the
    dataset it could not read, where the user's code read it, so that the pipeline's
    graph reports it as for any query (an unknown name, with the nearest one as a hint,
    or a cycle of datasets that need each other's schemas)."""
    failed = record.failed
    if failed.dataset is None:
        raise located(errors.AnalysisException(str(failed)), failed.origin or record.origin)
    source = quote_identifier(failed.dataset)
    if failed.streaming:
        source = "STREAM(%s)" % source
    lines = Lines()
    if record.kind == "flow":
        lines.add("CREATE FLOW %s" % quote_identifier(record.name), record.origin)
        lines.add("AS INSERT INTO %s BY NAME" % table_name(record.options["target"]),
                  record.origin)
    else:
        decorator = record.options.get("decorator")
        kind = {"table": "st" if failed.streaming else "mv",
                "materialized_view": "mv"}.get(decorator, "view")
        lines.add("%s %s AS" % (_DATASET_HEADS[kind] % "", table_name(record.name)),
                  record.origin)
    lines.add("SELECT * FROM " + source, failed.origin or record.origin)
    return lines


def _emit_conf(lines, state, record):
    """SET / RESET statements that make the SQL settings in effect those of `record` (and
    of the load's UDFs)."""
    wanted = dict(_current().udf_settings)
    wanted.update({k: v for k, v in record.conf.items() if v is not None})
    for key in list(state):
        if key not in wanted:
            lines.add("RESET %s;" % key, record.origin)
            del state[key]
    for key, value in wanted.items():
        if state.get(key) != value:
            lines.add("SET %s = %s;" % (key, string_literal(value)), record.origin)
            state[key] = value


def statements_so_far():
    """[(file, text)] of every record whose statement is known, for describing a query
    (none outside a load, where the SQL layer says that schemas are not known)."""
    load = _load
    if load is None:
        return []
    out = []
    for record in load.records:
        if record.query is None and record.options.get("needs_query"):
            continue
        try:
            text = render(record).text()
        except errors.PySparkException:
            continue  # reported with its own record when the load finishes
        out.append((record.file, text))
    return out


# --- describing queries ------------------------------------------------------------------

_NOT_DEFINED = re.compile(r"dataset '(.+)' is not defined")


def describe(query_sql, streaming):
    """The schema (a StructType) of a query, bound against what the pipeline defines."""
    from pyspark.sql.types import _parse_datatype_json_value
    try:
        schema_json = _sluice.describe(query_sql, bool(streaming), statements_so_far())
    except _sluice.UnresolvedDataset as unresolved:
        match = _NOT_DEFINED.search(str(unresolved))
        raise _Unresolved(str(unresolved), match.group(1) if match else None, streaming,
                          _origin.user_origin(2)) from None
    except _sluice.Error as error:
        raise errors.AnalysisException(_DESCRIBED_PLACE.sub("", str(error))) from None
    return _parse_datatype_json_value(json.loads(schema_json))


# Where the SQL layer places an error of a described query: the text the query was wrapped
# in for describing, which the user never wrote (the query's own lines follow the message).
_DESCRIBED_PLACE = re.compile(r"^<DataFrame>:\d+:\d+: (flow '__sluice_describe': )?")


def _first_line(message):
    """The text of a diagnostic of the SQL layer without its place: "<file>:1:5: text"
    (followed by the source line and a caret) is "text"."""
    first = message.split("\n", 1)[0]
    return re.sub(r"^<[^>]*>:\d+:\d+: ", "", first)


def check_expression(text, argument="expression"):
    """Raises ParseException when `text` is not one Spark SQL expression."""
    try:
        _sluice.check_expression(text)
    except _sluice.Error as error:
        raise errors.ParseException(
            "[PARSE_SYNTAX_ERROR] Argument `%s` is not a Spark SQL expression: %r: %s"
            % (argument, text, _first_line(str(error)))) from None


# Statements that write data or change the catalog. A pipeline writes its tables through
# its flows and runs its definitions at every update (and validation), so spark.sql() takes
# queries only; the statement is named rather than reported as a syntax error.
_WRITE_STATEMENT = re.compile(
    r"^\s*(INSERT|MERGE|UPDATE|DELETE|CREATE|REPLACE|DROP|ALTER|TRUNCATE|OPTIMIZE|VACUUM|"
    r"REFRESH|CACHE|UNCACHE|MSCK|ANALYZE|COPY|GRANT|REVOKE|RESTORE)\b", re.IGNORECASE)


def query_reads_stream(text):
    """Whether a Spark SQL query reads a STREAM; raises ParseException when it does not
    parse, and PipelineDefinitionError for a statement that writes (INSERT, CREATE, ...)."""
    statement = _WRITE_STATEMENT.match(text)
    if statement:
        raise errors.PipelineDefinitionError(
            "[ATTEMPT_ANALYSIS_IN_PIPELINE_QUERY_FUNCTION] spark.sql() of a%s %s statement "
            "writes data or changes the catalog, which pipeline definitions may not do: "
            "spark.sql() takes a query, and the pipeline's flows write its tables"
            % ("n" if statement.group(1)[0].upper() in "AEIOU" else "",
               statement.group(1).upper()))
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


_DATASET_HEADS = {
    "st": "CREATE OR REFRESH%s STREAMING TABLE",
    "mv": "CREATE OR REFRESH%s MATERIALIZED VIEW",
    "view": "CREATE TEMPORARY VIEW%s",
}

_VIOLATION = {"warn": "", "drop": " ON VIOLATION DROP ROW", "fail": " ON VIOLATION FAIL UPDATE"}


def _render_sink(record):
    o = record.options
    lines = Lines()
    lines.add("CREATE SINK %s USING %s" % (table_name(record.name), quote_identifier(o["format"])),
              record.origin)
    if o["sink_options"]:
        lines.add("OPTIONS (%s)" % ", ".join(
            "%s = %s" % (string_literal(k), string_literal(v))
            for k, v in o["sink_options"].items()), record.origin)
    return lines


def _render_dataset(record):
    o = record.options
    at = record.origin
    if o["kind"] == "sink":
        return _render_sink(record)
    lines = Lines()
    kind = o["kind"]
    private = " PRIVATE" if o.get("private") and kind != "view" else ""
    lines.add("%s %s" % (_DATASET_HEADS[kind] % private, table_name(record.name)), at)
    elements = [(column, at) for column in o.get("schema") or []]
    for e in record.expectations:
        elements.append(("CONSTRAINT %s EXPECT (%s)%s" % (quote_identifier(e.name), e.condition,
                                                         _VIOLATION[e.action]), e.origin))
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
    if o.get("path") is not None:
        lines.add("LOCATION " + string_literal(o["path"]), at)
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
    if o.get("snapshot_function"):
        lines.add("FROM SNAPSHOT FUNCTION %s" % quote_identifier(o["snapshot_function"]), at)
    elif o.get("snapshot"):
        lines.add("FROM SNAPSHOT %s" % table_name(o["source"]), at)
    else:
        lines.add("FROM STREAM(%s)" % table_name(o["source"]), at)
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

