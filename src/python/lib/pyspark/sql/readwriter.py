"""spark.read and spark.readStream: what a query reads, as Spark SQL relations.

Tables of the pipeline (and of the settings' catalog map) are read by name, batch reads
as `name`, stream reads as `STREAM(name)`. Files are read by sluice's Auto Loader:
`read_files(...)` for batch reads and formats other than cloudFiles, and Auto Loader's
`cloud_files(...)` for `format("cloudFiles")`, which keeps Auto Loader's defaults (JSON and
CSV columns are strings unless cloudFiles.inferColumnTypes is true). Reads of other formats
keep Spark's defaults, which differ from read_files': no rescued data column, and CSV
columns are strings unless inferSchema is true."""

import re

from _sluice_py import errors as _errors
from _sluice_py import origin as _origin
from _sluice_py.sqltext import quote_identifier, string_literal, table_name

__all__ = ["DataFrameReader", "DataStreamReader", "DataFrameWriter"]

_FILE_FORMATS = ("json", "csv", "parquet", "text", "binaryfile", "avro", "orc", "xml")
_LATER_SOURCES = ("kinesis", "eventhubs", "pulsar", "socket", "rate",
                  "sqlserver", "mysql")


# A path in storage on another machine: s3://, s3a://, abfss://, gs://, dbfs:/, ... (a
# scheme has two characters or more; file: URIs are local).
_REMOTE_PATH = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def _check_local(path):
    """Refuses a path in cloud or remote storage where the user's code names it (the SQL
    front-end refuses it too, but would point at the generated query)."""
    remote = _REMOTE_PATH.match(path) if isinstance(path, str) else None
    if remote and remote.group(1).lower() != "file":
        raise _errors.unsupported(
            "reading '%s' (%s: storage)" % (path, remote.group(1)),
            "sluice reads local files only; give a local path (or a file: URI)")


def _option_key(name):
    """An option's name as read_files compares names: lower case, no cloudFiles. prefix."""
    key = name.lower()
    return key[len("cloudfiles."):] if key.startswith("cloudfiles.") else key


def _option_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Reader:
    def __init__(self, session, streaming):
        self._session = session
        self._streaming = streaming
        self._format = None
        self._options = {}
        self._schema = None

    def format(self, source):
        self._format = source
        return self

    def option(self, key, value):
        self._options[key] = _option_text(value)
        return self

    def options(self, **options):
        for key, value in options.items():
            self.option(key, value)
        return self

    def schema(self, schema):
        from pyspark.sql.types import StructType, _schema_ddl
        if isinstance(schema, StructType):
            self._schema = _schema_ddl(schema)
        elif isinstance(schema, str):
            self._schema = schema
        else:
            raise _errors.PySparkTypeError("[NOT_STR_OR_STRUCT] schema should be a StructType "
                                           "or a DDL string")
        return self

    def _function_source(self, function):
        """`function(option => 'value', ...)` with the reader's options, after STREAM for
        readStream."""
        arguments = ", ".join("%s => %s" % (quote_identifier(key), string_literal(value))
                              for key, value in self._options.items())
        source = "%s(%s)" % (function, arguments)
        return "STREAM " + source if self._streaming else source

    def _kafka(self, path, origin):
        """format("kafka"): the read_kafka table function with the same options, under
        their Spark names (option names are compared without regard to case)."""
        if path is not None:
            raise _errors.unsupported("load(path) of a Kafka source",
                                      "name the topics with option(\"subscribe\", ...)")
        if self._schema is not None:
            raise _errors.PySparkTypeError(
                "[UNSUPPORTED_OPERATION] Kafka source has a fixed schema and cannot be set "
                "with a custom one")
        return self._dataframe(self._function_source("read_kafka"), self._streaming, origin)

    def _jdbc(self, path, origin):
        """format("jdbc") and format("postgresql"): the read_jdbc table function with the
        same options (docs/postgres.md)."""
        if path is not None:
            raise _errors.unsupported("load(path) of a JDBC source",
                                      "name the table with option(\"dbtable\", ...)")
        incremental = any(key.lower() == "pipelines.incremental.column" for key in self._options)
        if self._streaming and not incremental:
            raise _errors.unsupported(
                "spark.readStream.format(\"%s\") without the option "
                "pipelines.incremental.column" % self._format,
                "a PostgreSQL table is read in full (spark.read), or as a stream by a column "
                "whose values only grow")
        return self._dataframe(self._function_source("read_jdbc"), self._streaming, origin)

    def jdbc(self, url, table, column=None, lowerBound=None, upperBound=None,
             numPartitions=None, predicates=None, properties=None):
        """spark.read.jdbc(url, table, ...): format("jdbc") with these options."""
        origin = _origin.user_origin(2)
        if predicates is not None:
            raise _errors.unsupported("jdbc(predicates=...)",
                                      "give partitionColumn, lowerBound, upperBound and "
                                      "numPartitions instead")
        self._format = "jdbc"
        self.option("url", url)
        self.option("dbtable", table)
        for key, value in (properties or {}).items():
            self.option(key, value)
        if column is not None:
            self.option("partitionColumn", column)
            self.option("lowerBound", lowerBound)
            self.option("upperBound", upperBound)
            self.option("numPartitions", numPartitions)
        elif numPartitions is not None:
            self.option("numPartitions", numPartitions)
        return self._jdbc(None, origin)

    def _dataframe(self, source, streaming, origin):
        from pyspark.sql.dataframe import DataFrame
        return DataFrame._from_source(self._session, source, streaming, origin=origin)

    def table(self, tableName):
        origin = _origin.user_origin(2)
        if not isinstance(tableName, str):
            raise _errors.PySparkTypeError("[NOT_STR] table() takes a table name")
        name = table_name(tableName)
        if not self._streaming:
            if self._options:
                raise _errors.unsupported("options on a batch table read (%s)" %
                                          ", ".join(sorted(self._options)))
            return self._dataframe(name, False, origin)
        source = "STREAM(%s)" % name
        if self._options:
            source += " WITH (%s)" % ", ".join(
                "%s = %s" % (quote_identifier(k), string_literal(v))
                for k, v in self._options.items())
        return self._dataframe(source, True, origin)

    def load(self, path=None, format=None, schema=None, **options):
        origin = _origin.user_origin(2)
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        fmt = (self._format or "parquet").lower()
        if fmt == "kafka":
            return self._kafka(path, origin)
        if fmt in ("jdbc", "postgresql"):
            return self._jdbc(path, origin)
        if fmt in _LATER_SOURCES:
            raise _errors.unsupported("format(\"%s\")" % self._format,
                                      "sluice reads files and Delta tables; read this source "
                                      "into files first")
        if isinstance(path, (list, tuple)):
            if len(path) != 1:
                raise _errors.unsupported("load() of several paths")
            path = path[0]
        _check_local(path)
        if fmt == "delta":
            return self._delta(path, origin)
        if path is None:
            raise _errors.PySparkValueError("load() needs a path for format '%s'" % fmt)
        if fmt == "cloudfiles":
            return self._cloud_files(path, origin)
        if fmt not in _FILE_FORMATS:
            raise _errors.unsupported("format(\"%s\")" % self._format)
        arguments = [string_literal(path), "format => %s" % string_literal(fmt)]
        if self._schema is not None:
            arguments.append("schema => %s" % string_literal(self._schema))
        options = dict(self._options)
        given = {_option_key(k) for k in options}
        # read_files follows Databricks' read_files; Spark's file sources add no rescued
        # data column and read CSV columns as strings unless inferSchema is true.
        if self._schema is None and fmt != "text" and "rescueddatacolumn" not in given:
            options["rescuedDataColumn"] = ""
        if self._schema is None and fmt == "csv" and \
                not given & {"inferschema", "infercolumntypes"}:
            options["inferSchema"] = "false"
        for key, value in options.items():
            arguments.append("%s => %s" % (quote_identifier(key), string_literal(value)))
        source = "read_files(%s)" % ", ".join(arguments)
        if self._streaming:
            source = "STREAM " + source
        return self._dataframe(source, self._streaming, origin)

    def _cloud_files(self, path, origin):
        if not self._streaming:
            raise _errors.AnalysisException(
                "format(\"cloudFiles\") (Auto Loader) is a streaming source: use "
                "spark.readStream, or spark.read.format(\"json\"|\"csv\"|...) for a batch read")
        options = dict(self._options)
        fmt = None
        for key in list(options):
            if key.lower() == "cloudfiles.format":
                fmt = options.pop(key)
        if fmt is None:
            raise _errors.AnalysisException(
                "Auto Loader needs the option cloudFiles.format (json, csv, parquet, text, "
                "binaryFile)")
        if self._schema is not None:
            options["schema"] = self._schema
        text = "cloud_files(%s, %s" % (string_literal(path), string_literal(fmt))
        if options:
            text += ", map(%s)" % ", ".join(
                "%s, %s" % (string_literal(k), string_literal(v)) for k, v in options.items())
        return self._dataframe("STREAM " + text + ")", True, origin)

    def _delta(self, path, origin):
        for key in self._options:
            if key.lower() not in ("skipchangecommits", "ignorechanges", "ignoredeletes"):
                raise _errors.unsupported("the Delta read option '%s'" % key)
        if path is None:
            raise _errors.PySparkValueError("load() needs a path for format 'delta'")
        source = "delta.`%s`" % path.replace("`", "``")
        if self._streaming:
            source = "STREAM(%s)" % source
            if self._options:
                source += " WITH (%s)" % ", ".join(
                    "%s = %s" % (quote_identifier(k), string_literal(v))
                    for k, v in self._options.items())
        return self._dataframe(source, self._streaming, origin)

    def _shorthand(self, fmt, path, schema, options):
        self.format(fmt)
        if schema is not None:
            self.schema(schema)
        self.options(**{k: v for k, v in options.items() if v is not None})
        return self.load(path)

    def json(self, path, schema=None, **options):
        return self._shorthand("json", path, schema, options)

    def csv(self, path, schema=None, **options):
        return self._shorthand("csv", path, schema, options)

    def parquet(self, *paths, **options):
        if len(paths) != 1:
            raise _errors.unsupported("parquet() of several paths")
        return self._shorthand("parquet", paths[0], None, options)

    def text(self, paths, wholetext=False, lineSep=None, **options):
        if wholetext:
            options["wholetext"] = True
        if lineSep is not None:
            options["lineSep"] = lineSep
        return self._shorthand("text", paths, None, options)

    def orc(self, *args, **kwargs):
        raise _errors.unsupported("ORC files")

    def jdbc(self, *args, **kwargs):
        raise _errors.unsupported("jdbc()", "read the database into files first")


class DataFrameReader(_Reader):
    """spark.read: batch reads."""

    def __init__(self, session):
        super().__init__(session, False)


class DataStreamReader(_Reader):
    """spark.readStream: incremental reads."""

    def __init__(self, session):
        super().__init__(session, True)


class DataFrameWriter:
    def __init__(self, *args, **kwargs):
        raise _errors.PipelineDefinitionError(
            "DataFrame writers are not used in pipelines: define a dataset with @dp.table")
