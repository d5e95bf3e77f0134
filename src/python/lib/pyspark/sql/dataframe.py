"""pyspark.sql.DataFrame: a lazy query, compiled to Spark SQL text.

A DataFrame is one SELECT (``_Select``) over a source: a table, files, a subquery or a
join. An operation that fits the current SELECT (a filter before any projection, a
projection before any aggregation, an ORDER BY before a LIMIT) is folded into it; any
other wraps the current SELECT into a subquery, as Spark's analyzer would see it. Column
names are known on demand: from the operations themselves where Spark's names are
evident, otherwise from sluice's Spark SQL front-end, which binds the query against the
schemas of what it reads (``_sluice.describe``).
"""

import functools
import re

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py import registry as _registry
from _sluice_py.sqlbuild import Lines, is_parenthesized, marker, resolve_markers
from _sluice_py.sqltext import quote_identifier, string_literal, split_name
from pyspark.sql.column import Column, _to_column, _sql_of, _literal_sql
from pyspark.sql.na_functions import DataFrameNaFunctions, _NO_VALUE

__all__ = ["DataFrame", "DataFrameNaFunctions"]


_JOIN_TYPES = {
    "inner": "JOIN",
    "cross": "CROSS JOIN",
    "outer": "FULL OUTER JOIN",
    "full": "FULL OUTER JOIN",
    "fullouter": "FULL OUTER JOIN",
    "left": "LEFT OUTER JOIN",
    "leftouter": "LEFT OUTER JOIN",
    "right": "RIGHT OUTER JOIN",
    "rightouter": "RIGHT OUTER JOIN",
    "semi": "LEFT SEMI JOIN",
    "leftsemi": "LEFT SEMI JOIN",
    "anti": "LEFT ANTI JOIN",
    "leftanti": "LEFT ANTI JOIN",
}

# Methods that read or write data. Databricks and Spark refuse them inside the functions
# that define datasets, which only build queries.
_ACTIONS = ("collect", "count", "first", "head", "take", "tail", "show", "toPandas",
            "toLocalIterator", "foreach", "foreachPartition", "toJSON", "isEmpty",
            "describe", "summary", "explain", "write", "writeStream", "writeTo",
            "saveAsTable", "toArrow", "mapInPandas", "mapInArrow", "checkpoint",
            "localCheckpoint", "observe", "inputFiles", "to_pandas_on_spark", "pandas_api")


class _Select:
    """SELECT [DISTINCT] items FROM source [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT].

    Items and conditions are (text, origin) pairs; `source` is Lines. `items` None means
    `*`. `columns`, when known, describes the items one by one as DataFrame._output()
    lists columns (so that a later projection can be written over the same source
    instead of over this SELECT, whose output names may repeat); setting `items` forgets
    it."""

    __slots__ = ("source", "_items", "columns", "where", "group", "having", "order", "limit",
                 "distinct")

    def __init__(self, source):
        self.source = source
        self._items = None
        self.columns = None
        self.where = []
        self.group = None
        self.having = []
        self.order = []
        self.limit = None
        self.distinct = False

    @property
    def items(self):
        return self._items

    @items.setter
    def items(self, items):
        self._items = items
        self.columns = None

    def project(self, columns, origin):
        """Sets the items to `columns` (entries of DataFrame._output())."""
        self.items = [(_item_text(name, body), origin) for name, body, _, _ in columns]
        self.columns = list(columns)

    def copy(self):
        other = _Select(self.source)
        other.items = None if self.items is None else list(self.items)
        other.columns = None if self.columns is None else list(self.columns)
        other.where = list(self.where)
        other.group = None if self.group is None else list(self.group)
        other.having = list(self.having)
        other.order = list(self.order)
        other.limit = self.limit
        other.distinct = self.distinct
        return other

    def is_plain(self):
        """Nothing but a source: SELECT * FROM source."""
        return (self.items is None and not self.where and self.group is None and
                not self.order and self.limit is None and not self.distinct)

    def render(self, origin):
        out = Lines()
        head = "SELECT DISTINCT" if self.distinct else "SELECT"
        if self.items is None:
            out.add(head + " *", origin)
        else:
            out.add(head, origin)
            for i, (text, at) in enumerate(self.items):
                out.add("  " + text + ("," if i + 1 < len(self.items) else ""), at)
        out.add("FROM", origin)
        out.extend(self.source, "  ")
        _clause(out, "WHERE", self.where, " AND", origin, parenthesize=True)
        if self.group is not None and self.group:
            _clause(out, "GROUP BY", self.group, ",", origin)
        _clause(out, "HAVING", self.having, " AND", origin, parenthesize=True)
        _clause(out, "ORDER BY", self.order, ",", origin)
        if self.limit is not None:
            out.add("LIMIT %d" % self.limit[0], self.limit[1])
        return out


def _clause(out, keyword, items, separator, origin, parenthesize=False):
    if not items:
        return
    out.add(keyword, origin)
    for i, (text, at) in enumerate(items):
        body = text
        if parenthesize and len(items) > 1 and not is_parenthesized(text):
            body = "(" + text + ")"
        out.add("  " + body + (separator if i + 1 < len(items) else ""), at)


def _names_of(value):
    """Column names from *cols arguments that may also be one list."""
    if len(value) == 1 and isinstance(value[0], (list, tuple)):
        return list(value[0])
    return list(value)


def _simple_name(column):
    """The name a bare column reference outputs (col("a.b") -> "b"), else None."""
    text = column._sql
    if column._alias is not None:
        return column._alias if isinstance(column._alias, str) else None
    if "\x01" in text:
        text = text[text.index("\x02") + 2:]
    try:
        parts = split_name(text)
    except _errors.AnalysisException:
        return None
    last = parts[-1]
    if last == "*" or not last:
        return None
    # Only plain references: every part an identifier as quote_identifier writes it.
    for part in parts:
        if quote_identifier(part) not in (part, "`" + part.replace("`", "``") + "`"):
            return None
    if any(ch in text for ch in "()+-*/ ,'\"[]") and not text.startswith("`"):
        return None
    return last


def _item_text(name, body):
    """A select item computing `body` under the name `name`: `body` alone when it is a
    reference to a column of that name (`name`, `t.name`)."""
    quoted = quote_identifier(name)
    if body == quoted or body.endswith("." + quoted):
        return body
    return body + " AS " + quoted


def _unique_names(names):
    """`names` with each repeated one (ignoring case) suffixed _2, _3, ... to be unique."""
    taken = {n.lower() for n in names}
    seen, out = set(), []
    for name in names:
        candidate, n = name, 1
        while candidate.lower() in seen or (n > 1 and candidate.lower() in taken):
            n += 1
            candidate = "%s_%d" % (name, n)
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _output_name(column, names):
    """The name Spark gives `column` in a SELECT over columns `names`, when evident
    without binding: an alias, or a one-part reference spelled as one of `names` (a
    reference in other case takes the column's own spelling; a dotted one may be a
    struct field): else None."""
    if column._alias is not None:
        return column._alias if isinstance(column._alias, str) else None
    name = _simple_name(column)
    if name is None or names is None or name not in names:
        return None
    text = column._sql
    if "\x01" in text:
        text = text[text.index("\x02") + 2:]
    return name if len(split_name(text)) == 1 else None


_WORD = re.compile(r"`((?:[^`]|``)*)`|([A-Za-z_][A-Za-z0-9_]*)")


def _words(text):
    """The identifiers in SQL text, lower case (string literals are not told apart)."""
    return {(quoted.replace("``", "`") if quoted else plain).lower()
            for quoted, plain in _WORD.findall(text)}


_MARKED = re.compile("\x01([0-9]+)\x02\\.(.*)", re.S)


def _passthrough(columns):
    """Whether `columns` (of _Select.columns) are known and each is the source's column of
    its name, so that an expression naming them means the same over the source."""
    if columns is None:
        return False
    names = [name.lower() for name, _, _, _ in columns]
    return len(set(names)) == len(names) and all(
        body == quote_identifier(name) for name, body, _, _ in columns)


def _descending(text):
    """An ORDER BY item sorting `text` descending (as Column.desc(); an item that already
    has a direction keeps it)."""
    if re.search(r"\s(ASC|DESC)(\s+NULLS\s+(FIRST|LAST))?$", text):
        return text
    return text + " DESC"


def _drops(dropped, column, qualifiers):
    """Whether drop(dropped) removes `column`, an entry of DataFrame._output(), from a
    query that can name the columns of the DataFrames in `qualifiers`."""
    name, _, qualifier, frames = column
    if isinstance(dropped, str):
        return dropped.lower() == name.lower()
    if dropped._alias is not None or _simple_name(dropped) is None:
        return False  # an expression: Spark drops only columns it is
    text = dropped._sql
    marked = _MARKED.fullmatch(text)
    if marked:
        frame, text = int(marked.group(1)), marked.group(2)
        if frame not in qualifiers or (frames is not None and frame not in frames):
            return False
    parts = split_name(text)
    if parts[-1].lower() != name.lower():
        return False
    if len(parts) == 1:
        return True
    return len(parts) == 2 and not marked and parts[0].lower() == qualifier.lower()


class _Join:
    """What a DataFrame made by join() joins, to tell its columns apart by side."""

    def __init__(self, keyword, keys, left, right, qualifiers):
        self.keyword = keyword
        self.keys = keys  # USING column names, or None
        self.left = left  # (alias, DataFrame)
        self.right = right
        self.qualifiers = qualifiers

    def _frames(self, df, alias):
        return {f for f, q in self.qualifiers.items() if q == alias and f in df._qualifiers}

    def output(self):
        """The columns of SELECT * over the join, as DataFrame._output lists them: with
        USING, the keys first (the left side's, the right side's for a right join, merged
        ones for a full join), then each side's other columns; semi and anti joins give
        the left side's columns only."""
        (lalias, left), (ralias, right) = self.left, self.right
        lframes, rframes = self._frames(left, lalias), self._frames(right, ralias)
        lq, rq = quote_identifier(lalias), quote_identifier(ralias)
        left_only = self.keyword in ("LEFT SEMI JOIN", "LEFT ANTI JOIN")
        lcols = [(n, lq + "." + quote_identifier(n), lalias, lframes) for n in left._names_now()]
        rcols = [] if left_only else [(n, rq + "." + quote_identifier(n), ralias, rframes)
                                      for n in right._names_now()]
        if self.keys is None:
            return lcols + rcols
        keys = {k.lower() for k in self.keys}
        out = []
        for key in self.keys:
            side = rcols if self.keyword == "RIGHT OUTER JOIN" else lcols
            name = next((c[0] for c in side if c[0].lower() == key.lower()), key)
            frames = (set() if self.keyword == "FULL OUTER JOIN" else
                      rframes if self.keyword == "RIGHT OUTER JOIN" else lframes)
            out.append((name, quote_identifier(name), "", frames))
        return out + [c for c in lcols + rcols if c[0].lower() not in keys]


class DataFrame:
    """A lazy query. Build it with the session's readers and the methods below; sluice
    compiles it to Spark SQL when the pipeline is loaded."""

    def __init__(self, session, select, streaming, qualifiers=None, names=None, origin=None,
                 alias=None):
        self._session = session
        self._select = select
        self._streaming = streaming
        self._id = _registry.next_frame_id()
        # DataFrame ids whose columns (df["a"]) this query can name, and the qualifier
        # each takes here ("" for none).
        self._qualifiers = dict(qualifiers or {})
        self._qualifiers[self._id] = alias or ""
        self._names = names  # output column names when known without binding
        self._schema = None
        self._origin = origin or _origin.user_origin(2)
        self._alias = alias
        self._watermark = None
        self._watermark_alias = None  # the alias withWatermark gave a table it read
        self._join = None  # a _Join when this query is a join's SELECT * (maybe filtered)

    # --- construction helpers ---------------------------------------------------------
    @classmethod
    def _from_source(cls, session, source_text, streaming, origin=None, names=None):
        origin = origin or _origin.user_origin(2)
        return cls(session, _Select(Lines.of(source_text, origin)), streaming, names=names,
                   origin=origin)

    def _derive(self, select, names=None, qualifiers=None, streaming=None):
        """A DataFrame of `select` that can still name this one's columns."""
        df = DataFrame(self._session, select, self._streaming if streaming is None else streaming,
                       qualifiers=self._qualifiers if qualifiers is None else qualifiers,
                       names=names, origin=_origin.user_origin(3))
        df._qualifiers[self._id] = self._qualifiers.get(self._id, "")
        df._watermark = self._watermark
        df._watermark_alias = self._watermark_alias
        if select.source is self._select.source and select.items is None and \
                select.group is None:
            df._join = self._join
        return df

    def _sql_lines(self):
        return self._select.render(self._origin)

    def _sql(self):
        """The Spark SQL text of this DataFrame's query."""
        return self._sql_lines().text()

    def _wrapped(self):
        """A _Select reading this query as a subquery, and the qualifiers that name its
        columns from outside (none: the subquery's alias is private)."""
        if self._select.is_plain() and self._alias is None:
            return self._select.copy(), dict(self._qualifiers)
        alias = self._alias or "_%d" % self._id
        qualifiers = {frame: (alias if self._alias else "") for frame in self._qualifiers}
        if self._select.is_plain() and self._is_named_source():
            line, at = self._select.source.items[0]
            return _Select(Lines([(line + " AS " + quote_identifier(alias), at)])), qualifiers
        source = Lines().add("(", self._origin).extend(self._sql_lines(), "  ")
        source.add(") AS " + quote_identifier(alias), self._origin)
        return _Select(source), qualifiers

    def _open_select(self, allow_items=False, allow_order=True, outputs=()):
        """The SELECT to add a clause to: this one when the clause can be folded into it,
        else a new one over this query as a subquery. `outputs` are the names that new
        select items take: an ORDER BY that names one of them would sort by the new
        column instead of the old one, so it is not folded."""
        s = self._select
        shadowed = s.order and any(
            name.lower() in _words(text) for name in outputs for text, _ in s.order)
        foldable = (s.group is None and s.limit is None and not s.distinct and
                    (allow_items or s.items is None) and (allow_order or not s.order) and
                    self._alias is None and not shadowed)
        if foldable:
            return s.copy(), dict(self._qualifiers)
        return self._wrapped()

    def _columns_of(self, cols, strings_are_names=True):
        return [_to_column(c, strings_are_names) for c in cols]

    # --- schema ---------------------------------------------------------------------------
    def _describe(self):
        if self._schema is None:
            from pyspark.sql.types import StructField, StructType
            schema = _registry.describe(self._sql(), self._streaming)
            if self._join is not None:
                # The binding makes names unique (id, id__2); a join's columns keep
                # Spark's names, which may repeat.
                names = [c[0] for c in self._join.output()]
                if len(names) == len(schema.fields):
                    schema = StructType([StructField(n, f.dataType, f.nullable, f.metadata)
                                         for n, f in zip(names, schema.fields)])
            self._schema = schema
        return self._schema

    @property
    def schema(self):
        return self._describe()

    @property
    def columns(self):
        if self._names is not None:
            return list(self._names)
        if self._join is not None:
            return [c[0] for c in self._join.output()]
        return [f.name for f in self._describe().fields]

    @property
    def dtypes(self):
        return [(f.name, f.dataType.simpleString()) for f in self._describe().fields]

    def printSchema(self, level=None):
        print(self._describe().treeString(level) if level else self._describe().treeString())

    @property
    def isStreaming(self):
        return self._streaming

    @property
    def sparkSession(self):
        return self._session

    @property
    def na(self):
        return DataFrameNaFunctions(self)

    def _names_now(self):
        return self.columns

    def _find_name(self, name):
        """The output column named `name` (case-insensitive, as Spark resolves), or None."""
        lower = name.lower()
        for n in self._names_now():
            if n.lower() == lower:
                return n
        return None

    # --- projection -----------------------------------------------------------------------
    def select(self, *cols):
        origin = _origin.user_origin(2)
        cols = _names_of(cols)
        if not cols:
            raise _errors.PySparkValueError("[CANNOT_BE_EMPTY] At least one column must be specified.")
        columns = self._columns_of(cols)
        aliases = [a for c in columns if c._alias is not None
                   for a in ((c._alias,) if isinstance(c._alias, str) else c._alias)]
        select, qualifiers = self._open_select(allow_items=False, outputs=aliases)
        resolved = [resolve_markers(c._select_item(), qualifiers) for c in columns]
        select.items = [(text, origin) for text in resolved]
        names = [_output_name(c, self._names) for c in columns]
        known = None if any(n is None for n in names) else names
        return self._derive(select, names=known, qualifiers=qualifiers)

    def selectExpr(self, *expr):
        """Each text is a named expression, as Spark's parser reads it: `a + 1`, `a AS b`."""
        from _sluice_py.functions_core import expr_column
        columns = []
        for text in _names_of(expr):
            if not isinstance(text, str):
                raise _errors.PySparkTypeError("[NOT_STR] selectExpr() takes SQL texts")
            column = expr_column(text)
            _registry.check_expression(column._sql)
            columns.append(column)
        return self.select(*columns)

    def withColumn(self, colName, col):
        if not isinstance(col, Column):
            raise _errors.PySparkTypeError("[NOT_COLUMN] Argument `col` should be a Column, got %s."
                                           % type(col).__name__)
        return self._with_columns({colName: col}, _origin.user_origin(2))

    def withColumns(self, *colsMap):
        if len(colsMap) != 1 or not isinstance(colsMap[0], dict):
            raise _errors.PySparkTypeError("[NOT_DICT] Argument `colsMap` should be a dict.")
        return self._with_columns(colsMap[0], _origin.user_origin(2))

    def _reselect(self, outputs=(), compose=True):
        """(select, qualifiers, columns): a SELECT to give a new select list, and this
        query's columns as _output() lists them, written as that SELECT computes them.
        The SELECT is this query's when it has no select list yet or, with `compose`, a
        projection whose columns are known (the new list then computes over the same
        source: right for lists of those columns only, as new expressions name this
        query's columns, not its source's, unless each column is the source's column of
        its name); else one over this query as a subquery."""
        s = self._select
        if ((compose or _passthrough(s.columns)) and s.items is not None and
                s.columns is not None and s.group is None and s.limit is None and
                not s.distinct and not s.order and self._alias is None):
            select = s.copy()
            select.items = None
            return select, dict(self._qualifiers), list(s.columns)
        select, qualifiers = self._open_select(outputs=outputs)
        if select.source is self._select.source:
            return select, qualifiers, self._output()
        if (s.items is not None and s.columns is not None and s.group is None and
                s.limit is None and not s.distinct and not s.order and self._alias is None):
            names = [c[0] for c in s.columns]
            unique = _unique_names(names)
            if unique != names:
                # Columns of one name (from both sides of a join) cannot be told apart
                # outside the subquery: there they take unique names.
                inner = s.copy()
                inner.project([(u, body, q, f) for u, (_, body, q, f) in zip(unique, s.columns)],
                              self._origin)
                source = Lines().add("(", self._origin).extend(inner.render(self._origin), "  ")
                source.add(") AS _%d" % self._id, self._origin)
                return _Select(source), {frame: "" for frame in self._qualifiers}, [
                    (n, quote_identifier(u), "", f)
                    for n, u, (_, _, _, f) in zip(names, unique, s.columns)]
        return select, qualifiers, [(n, quote_identifier(n), "", None)
                                    for n in self._names_now()]

    def _with_columns(self, mapping, origin):
        """withColumn(s): a new column goes after the others; one of an existing name
        takes its place (every column of that name, as in Spark)."""
        for name, column in mapping.items():
            if not isinstance(name, str) or not isinstance(column, Column):
                raise _errors.PySparkTypeError(
                    "[NOT_COLUMN] withColumns() takes names (str) and Columns")
        replaced = {}
        for name, column in mapping.items():
            if name.lower() in replaced:
                raise _errors.AnalysisException(
                    "[COLUMN_ALREADY_EXISTS] The column `%s` already exists." % name)
            replaced[name.lower()] = (name, column)
        names = self._names_now()
        present = {n.lower() for n in names}
        outputs = [k for k, _ in replaced.values()]
        s = self._select
        repeated = len(present) < len(names)  # a join's columns of one name: keep them apart
        if not any(key in present for key in replaced) and not _passthrough(s.columns) and \
                not (repeated and self._join is not None):
            # Only new columns: SELECT *, new ones.
            if s.items is not None or s.group is not None or s.distinct or s.limit is not None:
                select, qualifiers = self._wrapped()
            else:
                select, qualifiers = self._open_select(outputs=outputs)
            select.items = [("*", origin)] + [
                (resolve_markers(column._sql, qualifiers) + " AS " + quote_identifier(name),
                 origin) for name, column in replaced.values()]
            return self._derive(select, names=names + outputs, qualifiers=qualifiers)
        select, qualifiers, columns = self._reselect(outputs=outputs, compose=False)
        out = []
        for name, body, qualifier, frames in columns:
            if name.lower() in replaced:
                new_name, column = replaced[name.lower()]
                out.append((new_name, resolve_markers(column._sql, qualifiers), "", set()))
            else:
                out.append((name, body, qualifier, frames))
        for key, (new_name, column) in replaced.items():
            if key not in present:
                out.append((new_name, resolve_markers(column._sql, qualifiers), "", set()))
        select.project(out, origin)
        return self._derive(select, names=[c[0] for c in out], qualifiers=qualifiers)

    def withColumnRenamed(self, existing, new):
        return self.withColumnsRenamed({existing: new})

    def withColumnsRenamed(self, colsMap):
        """Renames every column of each name (ignoring case); names that are not columns
        change nothing. The renames apply in turn, as in Spark."""
        if not isinstance(colsMap, dict):
            raise _errors.PySparkTypeError("[NOT_DICT] Argument `colsMap` should be a dict.")
        origin = _origin.user_origin(2)
        names = self._names_now()
        out = list(names)
        for existing, new in colsMap.items():
            out = [new if n.lower() == existing.lower() else n for n in out]
        if out == names:
            return self
        return self._renamed(out, origin)

    def _renamed(self, new_names, origin):
        select, qualifiers, columns = self._reselect(outputs=new_names)
        select.project([(new, body, qualifier, frames)
                        for (_, body, qualifier, frames), new in zip(columns, new_names)],
                       origin)
        return self._derive(select, names=list(new_names), qualifiers=qualifiers)

    def toDF(self, *cols):
        origin = _origin.user_origin(2)
        cols = _names_of(cols)
        for c in cols:
            if not isinstance(c, str):
                raise _errors.PySparkTypeError("[NOT_LIST_OF_STR] toDF() takes column names")
        names = self._names_now()
        if len(cols) != len(names):
            raise _errors.AnalysisException(
                "[NUM_COLUMNS_MISMATCH] The number of columns doesn't match. Old column names "
                "(%d): %s. New column names (%d): %s."
                % (len(names), ", ".join(names), len(cols), ", ".join(cols)))
        if cols == names:
            return self
        return self._renamed(cols, origin)

    def drop(self, *cols):
        """Drops columns by name (every column of that name, ignoring case) or by Column:
        df["a"] drops that DataFrame's column only (one side of a join). Names and
        Columns that match nothing change nothing, as in Spark."""
        origin = _origin.user_origin(2)
        for c in cols:
            if not isinstance(c, (str, Column)):
                raise _errors.PySparkTypeError(
                    "[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got %s."
                    % type(c).__name__)
        select, qualifiers, columns = self._reselect()
        kept = [c for c in columns if not any(_drops(d, c, self._qualifiers) for d in cols)]
        if len(kept) == len(columns):
            return self
        select.project(kept, origin)
        return self._derive(select, names=[c[0] for c in kept], qualifiers=qualifiers)

    def alias(self, alias):
        select, qualifiers = self._select.copy(), dict(self._qualifiers)
        df = DataFrame(self._session, select, self._streaming, qualifiers=qualifiers,
                       names=self._names, origin=self._origin, alias=alias)
        for frame in self._qualifiers:
            df._qualifiers[frame] = alias
        df._watermark = self._watermark
        df._watermark_alias = self._watermark_alias
        return df

    # --- rows -------------------------------------------------------------------------------
    def filter(self, condition):
        origin = _origin.user_origin(2)
        if isinstance(condition, str):
            _registry.check_expression(condition)
            text = condition
        elif isinstance(condition, Column):
            text = condition._sql
        else:
            raise _errors.PySparkTypeError("[NOT_COLUMN_OR_STR] filter() takes a Column or a "
                                           "SQL string, got %s" % type(condition).__name__)
        if self._select.group is not None and self._select.limit is None and \
                not self._select.distinct and self._alias is None:
            select, qualifiers = self._wrapped()
        else:
            select, qualifiers = self._open_select(allow_items=False)
        select.where.append((resolve_markers(text, qualifiers), origin))
        return self._derive(select, names=self._names, qualifiers=qualifiers)

    where = filter

    def __getitem__(self, item):
        if isinstance(item, str):
            return self._column(item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, int):
            return self._column(self._names_now()[item])
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        raise _errors.PySparkTypeError("[NOT_COLUMN_OR_INT_OR_LIST_OR_STR] df[...] takes a name")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _ACTIONS:
            return _refused_action(name)
        if self._find_name(name) is None:
            raise AttributeError("'DataFrame' object has no attribute '%s'" % name)
        return self._column(name)

    def _column(self, name):
        if name == "*":
            return Column(marker(self._id)[:-1] + ".*")
        return Column(marker(self._id) + ".".join(quote_identifier(p) for p in split_name(name)))

    def colRegex(self, colName):
        raise _errors.unsupported("DataFrame.colRegex")

    def distinct(self):
        if self._streaming:
            # A stream keeps the rows it has seen in state (keyed deduplication).
            return self._deduplicated(None, "__sluice_dedup", _origin.user_origin(2))
        select, qualifiers = self._open_select(allow_items=True, allow_order=False)
        select.distinct = True
        return self._derive(select, names=self._names, qualifiers=qualifiers)

    def dropDuplicates(self, subset=None):
        origin = _origin.user_origin(2)
        if subset is None and not self._streaming:
            return self.distinct()
        # On a stream, the alias tells sluice's runtime that this is Spark's deduplication
        # (state of the keys seen), not an aggregation.
        return self._deduplicated(subset, "__sluice_dedup" if self._streaming else "__sluice_row",
                                  origin)

    def dropDuplicatesWithinWatermark(self, subset=None):
        origin = _origin.user_origin(2)
        if not self._streaming:
            return self._deduplicated(subset, "__sluice_row", origin)
        if self._watermark is None:
            raise _errors.AnalysisException(
                "dropDuplicatesWithinWatermark is not supported with streaming "
                "DataFrames/DataSets without watermark; call withWatermark() first")
        return self._deduplicated(subset, "__sluice_dedup_within_watermark", origin)

    def _deduplicated(self, subset, alias, origin):
        """One row per value of the `subset` columns (all columns when None): the first
        met, as Spark keeps it, with first(struct(*)) grouped by the keys."""
        names = self._names_now()
        if subset is None:
            subset = list(names)
        if isinstance(subset, str):
            subset = [subset]
        if not isinstance(subset, (list, tuple)):
            raise _errors.PySparkTypeError("[NOT_LIST_OR_TUPLE] subset should be a list or tuple")
        keys = []
        for name in subset:
            found = self._find_name(name)
            if found is None:
                raise _errors.AnalysisException(
                    "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with "
                    "name `%s` cannot be resolved. Did you mean one of the following? [%s]."
                    % (name, ", ".join("`%s`" % n for n in names)))
            keys.append(found)
        inner, qualifiers = self._wrapped()
        inner.items = [("first(struct(%s)) AS %s" %
                        (", ".join(quote_identifier(n) for n in names), alias), origin)]
        inner.group = [(quote_identifier(k), origin) for k in keys]
        grouped = DataFrame(self._session, inner, self._streaming, qualifiers=qualifiers,
                            origin=origin)
        grouped._watermark = self._watermark
        outer, _ = grouped._wrapped()
        outer.items = [("%s.%s AS %s" % (alias, quote_identifier(n), quote_identifier(n)),
                        origin) for n in names]
        return self._derive(outer, names=names, qualifiers={frame: "" for frame in qualifiers})

    drop_duplicates = dropDuplicates
    drop_duplicates_within_watermark = dropDuplicatesWithinWatermark

    def limit(self, num):
        origin = _origin.user_origin(2)
        if not isinstance(num, int) or isinstance(num, bool) or num < 0:
            raise _errors.PySparkValueError("limit() takes a non-negative int")
        select, qualifiers = self._open_select(allow_items=True, allow_order=True)
        select.limit = (num, origin)
        return self._derive(select, names=self._names, qualifiers=qualifiers)

    def orderBy(self, *cols, **kwargs):
        """ORDER BY the columns; `ascending` (a bool, or one per column: PySpark keeps only
        as many columns as it has entries) turns those it is false for descending."""
        origin = _origin.user_origin(2)
        cols = _names_of(cols)
        if not cols:
            raise _errors.PySparkValueError("[CANNOT_BE_EMPTY] At least one column must be "
                                            "specified.")
        columns = self._columns_of(cols)
        ascending = kwargs.pop("ascending", True)
        if kwargs:
            raise _errors.PySparkTypeError("orderBy() got unexpected arguments: %s" % list(kwargs))
        if isinstance(ascending, (bool, int)):
            flags = [bool(ascending)] * len(columns)
        elif isinstance(ascending, list):
            flags = [bool(a) for a in ascending]
        else:
            raise _errors.PySparkTypeError(
                "[NOT_BOOL_OR_LIST] Argument `ascending` should be a bool or a list, got %s."
                % type(ascending).__name__)
        items = [column._sql if asc else _descending(column._sql)
                 for column, asc in zip(columns, flags)]
        s = self._select
        if s.limit is None and self._alias is None:
            select, qualifiers = s.copy(), dict(self._qualifiers)
        else:
            select, qualifiers = self._wrapped()
        select.order = [(resolve_markers(t, qualifiers), origin) for t in items]
        return self._derive(select, names=self._names, qualifiers=qualifiers)

    sort = orderBy

    def sortWithinPartitions(self, *cols, **kwargs):
        return self  # one partition: the order within it is not kept by a table either

    # --- aggregation ---------------------------------------------------------------------------
    def groupBy(self, *cols):
        from pyspark.sql.group import GroupedData
        return GroupedData(self, self._columns_of(_names_of(cols)), _origin.user_origin(2))

    groupby = groupBy

    def agg(self, *exprs):
        return self.groupBy().agg(*exprs)

    def _aggregate(self, group_columns, agg_columns, origin, names=None):
        """SELECT group columns, aggregates FROM this GROUP BY group columns."""
        if self._select.group is None and self._select.limit is None and \
                not self._select.distinct and self._select.items is None and \
                not self._select.order and self._alias is None:
            select, qualifiers = self._select.copy(), dict(self._qualifiers)
        else:
            select, qualifiers = self._wrapped()
        select.items = [(resolve_markers(c._select_item(), qualifiers), origin)
                        for c in group_columns + agg_columns]
        select.group = [(resolve_markers(c._sql, qualifiers), origin) for c in group_columns]
        return self._derive(select, names=names, qualifiers=qualifiers)

    def cube(self, *cols):
        raise _errors.unsupported("DataFrame.cube", "use GROUP BY CUBE in spark.sql()")

    def rollup(self, *cols):
        raise _errors.unsupported("DataFrame.rollup", "use GROUP BY ROLLUP in spark.sql()")

    # --- combination -----------------------------------------------------------------------------
    def join(self, other, on=None, how=None):
        origin = _origin.user_origin(2)
        if not isinstance(other, DataFrame):
            raise _errors.PySparkTypeError("[NOT_DATAFRAME] join() takes a DataFrame")
        # Spark's JoinType reads the name in any case and without underscores.
        how_key = "inner" if how is None else str(how).lower().replace("_", "")
        if how_key not in _JOIN_TYPES:
            raise _errors.PySparkValueError(
                "[UNSUPPORTED_JOIN_TYPE] Unsupported join type '%s'. Supported join types "
                "include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', "
                "'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', "
                "'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'." % how)
        keyword = _JOIN_TYPES[how_key]
        if isinstance(on, (str, Column)):
            on = [on]
        if on is not None and not isinstance(on, (list, tuple)):
            raise _errors.PySparkTypeError(
                "[NOT_COLUMN_OR_LIST_OR_STR] join() `on` takes a name, a list of names or a "
                "Column condition, got %s" % type(on).__name__)
        on = list(on) if on else None
        if on is not None and not (all(isinstance(o, str) for o in on) or
                                   all(isinstance(o, Column) for o in on)):
            raise _errors.PySparkTypeError(
                "[NOT_COLUMN_OR_LIST_OR_STR] join() `on` takes names or Columns, not both")
        if keyword == "CROSS JOIN" and on is not None:
            keyword = "JOIN"  # Spark: a cross join with a condition is an inner join
        if keyword == "JOIN" and on is None:
            keyword = "CROSS JOIN"
        left_alias = self._alias or "_l%d" % self._id
        right_alias = other._alias or "_r%d" % other._id
        if left_alias.lower() == right_alias.lower():
            right_alias = "_r%d" % other._id
        left = self._as_join_side(left_alias)
        right = other._as_join_side(right_alias)
        qualifiers = {}
        for frame in self._qualifiers:
            qualifiers[frame] = left_alias
        for frame in other._qualifiers:
            qualifiers[frame] = right_alias
        # A DataFrame read by both sides (a self-join, or a join with a DataFrame derived
        # from this one): its df["a"] names the side it is itself, else either side
        # (Spark's ambiguous self join), and then cannot be used.
        shared = set(self._qualifiers) & set(other._qualifiers)
        for frame in shared:
            if frame == self._id and frame != other._id:
                qualifiers[frame] = left_alias
            elif frame == other._id and frame != self._id:
                qualifiers[frame] = right_alias
            else:
                qualifiers.pop(frame, None)
        source = Lines().extend(left).add(keyword, origin).extend(right)
        keys = None
        if on is not None and isinstance(on[0], str):
            keys = on
            source.add("USING (%s)" % ", ".join(quote_identifier(o) for o in on), origin)
        elif on is not None:
            condition = functools.reduce(lambda a, b: a & b, on)._sql
            source.add("ON " + resolve_markers(condition, qualifiers, "join condition column"),
                       origin)
        df = DataFrame(self._session, _Select(source), self._streaming or other._streaming,
                       qualifiers=qualifiers, origin=origin)
        df._join = _Join(keyword, keys, (left_alias, self), (right_alias, other), qualifiers)
        return df

    def _is_named_source(self):
        """Whether the source is one line that an alias can follow (a table, a table
        function), not a subquery, a join or VALUES."""
        items = self._select.source.items
        return (len(items) == 1 and not items[0][0].startswith("(") and
                " JOIN" not in items[0][0] and not items[0][0].startswith("VALUES"))

    def _as_join_side(self, alias):
        if self._select.is_plain() and self._is_named_source():
            line, at = self._select.source.items[0]
            # A watermarked table carries withWatermark's alias: the side's replaces it.
            own_alias = " AS " + quote_identifier(self._watermark_alias or "")
            if self._watermark_alias and line.endswith(own_alias):
                line = line[:-len(own_alias)]
            return Lines([(line + " AS " + quote_identifier(alias), at)])
        source = Lines().add("(", self._origin).extend(self._sql_lines(), "  ")
        return source.add(") AS " + quote_identifier(alias), self._origin)

    def _output(self):
        """This query's columns as [(name, SQL, qualifier, frames)]: what computes each
        over this query's source (a reference, or the expression of a projection),
        the join side's alias that qualifies it, and the DataFrames whose df["name"] is
        that column (None: any this query reads). The columns of a join keep their side,
        so that columns of one name from both sides stay apart."""
        if self._select.columns is not None:
            return list(self._select.columns)
        if self._join is not None:
            return self._join.output()
        return [(n, quote_identifier(n), "", None) for n in self._names_now()]

    def crossJoin(self, other):
        return self.join(other, how="cross")

    def _set_operation(self, other, keyword):
        origin = _origin.user_origin(3)
        if not isinstance(other, DataFrame):
            raise _errors.PySparkTypeError("[NOT_DATAFRAME] takes a DataFrame")
        source = Lines().add("(", origin).extend(self._set_operand(), "  ")
        source.add(keyword, origin).extend(other._set_operand(), "  ")
        source.add(") AS _u%d" % self._id, origin)
        # The result's columns are the left side's, as in Spark: its df["a"] still name them.
        return DataFrame(self._session, _Select(source), self._streaming or other._streaming,
                         qualifiers={frame: "" for frame in self._qualifiers},
                         names=self._names, origin=origin)

    def _set_operand(self):
        """This query as an operand of UNION, INTERSECT or EXCEPT: in parentheses when it
        has an ORDER BY or LIMIT, which would otherwise apply to the whole."""
        lines = self._sql_lines()
        if not self._select.order and self._select.limit is None:
            return lines
        return Lines().add("(", self._origin).extend(lines, "  ").add(")", self._origin)

    def union(self, other):
        return self._set_operation(other, "UNION ALL")

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        origin = _origin.user_origin(2)
        left = self._names_now()
        right = other._names_now()
        right_lower = {n.lower(): n for n in right}
        left_lower = {n.lower(): n for n in left}
        missing = [n for n in left if n.lower() not in right_lower]
        extra = [n for n in right if n.lower() not in left_lower]
        if not allowMissingColumns and len(left) != len(right):
            raise _errors.AnalysisException(
                "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same "
                "number of columns, but the first input has %d columns and the second input "
                "has %d columns." % (len(left), len(right)))
        if missing and not allowMissingColumns:
            raise _errors.AnalysisException(
                "Cannot resolve column name \"%s\" among (%s); unionByName(..., "
                "allowMissingColumns=True) fills it with NULLs" % (missing[0], ", ".join(right)))
        left_items = [quote_identifier(n) for n in left] + \
            ["NULL AS " + quote_identifier(n) for n in extra]
        right_items = [quote_identifier(right_lower[n.lower()]) if n.lower() in right_lower
                       else "NULL AS " + quote_identifier(n) for n in left] + \
            [quote_identifier(n) for n in extra]
        lhs, lq = self._wrapped()
        lhs.items = [(t, origin) for t in left_items]
        rhs, rq = other._wrapped()
        rhs.items = [(t, origin) for t in right_items]
        a = DataFrame(self._session, lhs, self._streaming, qualifiers=lq, origin=origin)
        b = DataFrame(self._session, rhs, other._streaming, qualifiers=rq, origin=origin)
        result = a._set_operation(b, "UNION ALL")
        result._names = left + extra
        return result

    def intersect(self, other):
        return self._set_operation(other, "INTERSECT")

    def intersectAll(self, other):
        return self._set_operation(other, "INTERSECT ALL")

    def subtract(self, other):
        return self._set_operation(other, "EXCEPT")

    def exceptAll(self, other):
        return self._set_operation(other, "EXCEPT ALL")

    # --- missing values ---------------------------------------------------------------------------
    def fillna(self, value, subset=None):
        return DataFrameNaFunctions(self).fill(value, subset)

    def dropna(self, how="any", thresh=None, subset=None):
        return DataFrameNaFunctions(self).drop(how, thresh, subset)

    def replace(self, to_replace, value=_NO_VALUE, subset=None):
        return DataFrameNaFunctions(self).replace(to_replace, value, subset)

    # --- streaming ----------------------------------------------------------------------------------
    def withWatermark(self, eventTime, delayThreshold):
        if not isinstance(eventTime, str) or not isinstance(delayThreshold, str):
            raise _errors.PySparkTypeError("withWatermark() takes a column name and a delay")
        # Databricks SQL's WATERMARK clause on this query as a FROM item: stateful
        # operators over the result (windowed aggregations, deduplication) take the
        # column's event time and drop rows the watermark has passed.
        origin = _origin.user_origin(2)
        clause = "WATERMARK %s DELAY OF INTERVAL %s" % (quote_identifier(eventTime),
                                                       string_literal(delayThreshold))
        alias = self._alias or "_%d" % self._id
        qualifiers = {frame: (alias if self._alias else "") for frame in self._qualifiers}
        if self._select.is_plain() and self._is_named_source():
            line, at = self._select.source.items[0]
            source = Lines([(line + " " + clause + " AS " + quote_identifier(alias), at)])
        else:
            source = Lines().add("(", self._origin).extend(self._sql_lines(), "  ")
            source.add(") " + clause + " AS " + quote_identifier(alias), origin)
        df = DataFrame(self._session, _Select(source), self._streaming, qualifiers=qualifiers,
                       names=self._names, origin=origin)
        df._watermark = (eventTime, delayThreshold)
        df._watermark_alias = alias
        return df

    # --- accepted no-ops: one machine has no partitions or caches to manage ----------------
    def cache(self):
        return self

    def persist(self, storageLevel=None):
        return self

    def unpersist(self, blocking=False):
        return self

    def repartition(self, *args, **kwargs):
        return self

    def repartitionByRange(self, *args, **kwargs):
        return self

    def coalesce(self, numPartitions):
        return self

    def hint(self, name, *parameters):
        return self

    def transform(self, func, *args, **kwargs):
        result = func(self, *args, **kwargs)
        if not isinstance(result, DataFrame):
            raise _errors.PySparkTypeError("[INVALID_RETURN_TYPE] transform() function should "
                                           "return a DataFrame")
        return result

    # --- refused ------------------------------------------------------------------------------------
    def createOrReplaceTempView(self, name):
        raise _session_mutation("createOrReplaceTempView", "define a @dp.temporary_view")

    createTempView = createOrReplaceTempView
    createGlobalTempView = createOrReplaceTempView
    createOrReplaceGlobalTempView = createOrReplaceTempView
    registerTempTable = createOrReplaceTempView

    def pivot(self, *args, **kwargs):
        raise _errors.unsupported("pivot()", "Databricks pipelines do not support pivot")

    def unpivot(self, *args, **kwargs):
        raise _errors.unsupported("DataFrame.unpivot", "use UNPIVOT in spark.sql()")

    melt = unpivot

    def sample(self, *args, **kwargs):
        raise _errors.unsupported("DataFrame.sample")

    def randomSplit(self, *args, **kwargs):
        raise _errors.unsupported("DataFrame.randomSplit")

    def withMetadata(self, *args, **kwargs):
        raise _errors.unsupported("DataFrame.withMetadata")

    def __repr__(self):
        try:
            return "DataFrame[%s]" % ", ".join("%s: %s" % d for d in self.dtypes)
        except Exception:
            return "DataFrame[...]"


_WRITERS = ("write", "writeStream")  # properties in PySpark, the rest of _ACTIONS methods


def _refused_action(name):
    what = "DataFrame.%s%s" % (name, "" if name in _WRITERS else "()")

    def refuse(*args, **kwargs):
        if not _registry.in_query_function():
            # Spark runs an action at the top level of a pipeline file while it loads the
            # file; sluice runs queries only in the update's flows.
            raise _errors.unsupported(
                "%s outside a query function" % what,
                "sluice runs queries in the update's flows only, not while it loads the "
                "pipeline's files: compute the result in a dataset instead")
        raise _errors.PipelineDefinitionError(
            "[ATTEMPT_ANALYSIS_IN_PIPELINE_QUERY_FUNCTION] %s reads or writes data, which "
            "the functions that define datasets may not do: return the DataFrame and let "
            "the pipeline run it" % what)
    return refuse


# df.write and df.writeStream are refused when read, so that df.write.mode(...).save(...)
# fails naming the write rather than an attribute of a function.
for _action in _ACTIONS:
    setattr(DataFrame, _action, property(lambda self, _n=_action: _refused_action(_n)())
            if _action in _WRITERS else _refused_action(_action))


def _session_mutation(method, alternative):
    return _errors.PipelineDefinitionError(
        "[SESSION_MUTATION_IN_DECLARATIVE_PIPELINE] %s() changes the session, which pipeline "
        "definitions may not do; %s instead" % (method, alternative))
