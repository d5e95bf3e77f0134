"""Runs the Python files of a pipeline and returns the statements they define.

Each file runs once as a fresh module named after its file, with `spark` and `dbutils`
in its globals, as on Databricks. Modules of the user's own beside the pipeline files
(`from config import X`) import normally, and are imported afresh at every load."""

import contextlib
import importlib.util
import linecache
import os
import sys
import warnings

from _sluice_py import errors, registry
from _sluice_py.dbutils import DBUtils


# The folders of every pipeline loaded in this process. Their modules are forgotten before
# each load, so that a pipeline never imports another's module of the same name (`config`)
# left in sys.modules by an earlier load in the same process.
_loaded_roots = set()


def _forget_user_modules(roots):
    _loaded_roots.update(roots)
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if any(path.startswith(root + os.sep) for root in _loaded_roots):
            del sys.modules[name]


def run(files, configuration, root):
    """Runs `files` (absolute paths) of a pipeline rooted at `root`. Returns
    ([(file, [(line, origin tuple)])], [warning text], [(flow, snapshot function, file)])."""
    roots = sorted({root} | {os.path.dirname(f) for f in files})
    _forget_user_modules(roots)
    # Lines quoted in messages are read afresh: the files may have changed since the last
    # load (in the same second, at the same size).
    linecache.clearcache()
    caught = []
    with _pipeline_code(configuration, roots) as session:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for path in files:
                registry.begin_file(path)
                session.conf._values = dict(configuration)
                name = os.path.splitext(os.path.basename(path))[0]
                spec = importlib.util.spec_from_file_location(name, path)
                module = importlib.util.module_from_spec(spec)
                module.spark = session
                module.dbutils = DBUtils(configuration)
                spec.loader.exec_module(module)
            statements = registry.finish()
            functions = registry.snapshot_functions()
        return statements, _warning_texts(caught), functions


@contextlib.contextmanager
def _pipeline_code(configuration, roots):
    """While the user's code runs: `roots` on the import path, a session of its own for
    the pipeline `configuration`, and a load of the registry; yields the session."""
    from pyspark.sql.session import SparkSession
    added = [r for r in roots if r not in sys.path]
    sys.path[:0] = added
    session = SparkSession(configuration)
    SparkSession._current = session
    registry.begin(configuration)
    try:
        yield session
    finally:
        registry.end()
        SparkSession._current = None
        for r in added:
            if r in sys.path:
                sys.path.remove(r)


def next_snapshot(function, latest_version, configuration, root, flow, file):
    """Calls the snapshot function of `flow` (defined in `file`) with the latest version
    applied (None before the first): None when it has no newer snapshot, else the Spark SQL
    text of the DataFrame it returned and its version."""
    from pyspark.sql.dataframe import DataFrame
    with _pipeline_code(configuration, sorted({root, os.path.dirname(file)})):
        registry.begin_file(file)
        result = function(latest_version)
        if result is None:
            return None
        if not (isinstance(result, tuple) and len(result) == 2
                and isinstance(result[0], DataFrame)):
            raise errors.PySparkTypeError(
                "the snapshot function of flow '%s' must return None or a tuple (DataFrame, "
                "version), not %r" % (flow, result))
        version = result[1]
        if isinstance(version, bool) or not isinstance(version, int):
            raise errors.PySparkTypeError(
                "the snapshot function of flow '%s' returned the version %r (%s); sluice needs "
                "an integer version" % (flow, version, type(version).__name__))
        return result[0]._sql(), version


def _warning_texts(caught):
    """The texts of the warnings the files raised, each once, in order: "file:line: text"
    for those raised at a line of the user's code."""
    texts = []
    for w in caught:
        own = w.filename.startswith("<sluice>")
        text = str(w.message) if own else "%s:%d: %s" % (w.filename, w.lineno, w.message)
        if text not in texts:
            texts.append(text)
    return texts


def describe_error(error):
    """(file, line, column, line text, message) of an exception raised while the files
    ran: the place is the innermost frame of the user's code. An exception raised while the
    user's code handled another (in an `except` block) names that one too, as Python's
    traceback does, since it is often the cause."""
    message = "%s: %s" % (type(error).__name__, error)
    context = error.__context__
    if context is not None and not error.__suppress_context__ and context is not error:
        file, line, _, _, text = describe_error(context)
        message += " (raised while handling %s%s)" % (
            text.split("\n", 1)[0], " at %s:%d" % (file, line) if file else "")
    origin = getattr(error, "sluice_origin", None)
    if origin is not None:
        return origin + (message,)
    if isinstance(error, SyntaxError) and error.filename:
        text = (error.text or "").rstrip("\r\n")
        return (error.filename, error.lineno or 0, error.offset or 1, text,
                "%s: %s" % (type(error).__name__, error.msg))
    place = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith("<sluice>"):
            column = 1
            try:
                positions = list(code.co_positions())
                column = (positions[tb.tb_lasti // 2][2] or 0) + 1
            except Exception:
                pass
            place = (code.co_filename, tb.tb_lineno, column)
        tb = tb.tb_next
    if place is None:
        return ("", 0, 0, "", message)
    file, line, column = place
    return (file, line, column, linecache.getline(file, line).rstrip("\r\n"), message)
