"""pyspark.sql.functions, part 6: hashes, encryption, session and runtime information,
errors and assertions, calls by name, and the PySpark functions sluice lacks (XML paths,
partition transforms, UDTs)."""

import re as _re

from _sluice_py import errors as _errors
from _sluice_py.functions_core import call, col_sql, fn, lit_sql, refuse, str_or_col_sql
from _sluice_py.sqltext import quote_identifier
from pyspark.sql.column import _literal_sql

__all__ = [
    # hashes and encryption
    "crc32", "hash", "md5", "sha", "sha1", "sha2", "xxhash64", "aes_decrypt", "aes_encrypt",
    "try_aes_decrypt",
    # sketches and bitmaps
    "hll_sketch_estimate", "hll_union", "bitmap_bit_position", "bitmap_bucket_number",
    "bitmap_count",
    # session, runtime, types
    "current_catalog", "current_database", "current_schema", "current_user", "user",
    "version", "typeof", "input_file_block_length", "input_file_block_start",
    "java_method", "reflect",
    # errors
    "assert_true", "raise_error",
    # calls by name
    "call_function", "call_udf",
    # not in sluice's catalog
    "xpath", "xpath_boolean", "xpath_double", "xpath_float", "xpath_int", "xpath_long",
    "xpath_number", "xpath_short", "xpath_string", "years", "months", "days", "hours",
    "bucket", "unwrap_udt",
]


# --- hashes and encryption ------------------------------------------------------------------

def crc32(col):
    """CRC-32 checksum of a binary, as a BIGINT."""
    return fn("crc32", col)


def hash(*cols):
    """Spark's 32-bit Murmur3 hash of the columns."""
    return fn("hash", *cols)


def xxhash64(*cols):
    """Spark's 64-bit xxHash of the columns."""
    return fn("xxhash64", *cols)


def md5(col):
    """MD5 digest as 32 hex digits."""
    return fn("md5", col)


def sha1(col):
    """SHA-1 digest as 40 hex digits."""
    return fn("sha1", col)


def sha(col):
    """SHA-1 digest as 40 hex digits."""
    return fn("sha", col)


def sha2(col, numBits):
    """SHA-2 digest of `numBits` bits (224, 256, 384, 512; 0 means 256), as hex digits."""
    if isinstance(numBits, int) and numBits not in (0, 224, 256, 384, 512):
        raise _errors.PySparkValueError(
            "[VALUE_NOT_ALLOWED] Value for `numBits` has to be amongst the following values: "
            "[0, 224, 256, 384, 512].")
    return call("sha2", col_sql(col), lit_sql(numBits))


def _aes_options(mode, padding, *more):
    """The optional AES arguments with PySpark's defaults ('GCM', 'DEFAULT', '' ...)."""
    args = [_literal_sql("GCM") if mode is None else col_sql(mode, "mode"),
            _literal_sql("DEFAULT") if padding is None else col_sql(padding, "padding")]
    for value in more:
        args.append(_literal_sql("") if value is None else col_sql(value))
    return args


def aes_encrypt(input, key, mode=None, padding=None, iv=None, aad=None):
    """`input` encrypted with AES under `key`."""
    return call("aes_encrypt", col_sql(input, "input"), col_sql(key, "key"),
                *_aes_options(mode, padding, iv, aad))


def aes_decrypt(input, key, mode=None, padding=None, aad=None):
    """`input` decrypted with AES under `key`."""
    return call("aes_decrypt", col_sql(input, "input"), col_sql(key, "key"),
                *_aes_options(mode, padding, aad))


def try_aes_decrypt(input, key, mode=None, padding=None, aad=None):
    """aes_decrypt(), NULL when decryption fails."""
    return call("try_aes_decrypt", col_sql(input, "input"), col_sql(key, "key"),
                *_aes_options(mode, padding, aad))


# --- sketches and bitmaps ---------------------------------------------------------------------

def hll_sketch_estimate(col):
    """The estimated number of distinct values of a HyperLogLog sketch."""
    return fn("hll_sketch_estimate", col)


def hll_union(col1, col2, allowDifferentLgConfigK=None):
    """The union of two HyperLogLog sketches."""
    args = [col_sql(col1, "col1"), col_sql(col2, "col2")]
    if allowDifferentLgConfigK is not None:
        args.append(_literal_sql(allowDifferentLgConfigK))
    return call("hll_union", *args)


def bitmap_bit_position(col):
    """The bit position of a value within its bitmap bucket."""
    return fn("bitmap_bit_position", col)


def bitmap_bucket_number(col):
    """The bitmap bucket of a value."""
    return fn("bitmap_bucket_number", col)


def bitmap_count(col):
    """The number of bits set in a bitmap."""
    return fn("bitmap_count", col)


# --- session, runtime, types --------------------------------------------------------------------

def current_catalog():
    """The current catalog."""
    return call("current_catalog")


def current_database():
    """The current database (schema)."""
    return call("current_database")


def current_schema():
    """The current schema."""
    return call("current_schema")


def current_user():
    """The current user."""
    return call("current_user")


def user():
    """The current user."""
    return call("user")


def version():
    """The Spark version and build."""
    return call("version")


def typeof(col):
    """The DDL name of the type of `col`."""
    return fn("typeof", col)


def input_file_block_length():
    """The length of the file block being read, -1 when unknown."""
    return call("input_file_block_length")


def input_file_block_start():
    """The start of the file block being read, -1 when unknown."""
    return call("input_file_block_start")


def java_method(*cols):
    """A Java static method called by reflection (class, method, arguments)."""
    return fn("java_method", *cols)


def reflect(*cols):
    """A Java static method called by reflection (class, method, arguments)."""
    return fn("reflect", *cols)


# --- errors -------------------------------------------------------------------------------------

def assert_true(col, errMsg=None):
    """NULL when `col` is true, else an error with `errMsg` (a literal str or Column)."""
    if errMsg is None:
        return fn("assert_true", col)
    return call("assert_true", col_sql(col), str_or_col_sql(errMsg, "errMsg"))


def raise_error(errMsg):
    """An error with the message `errMsg` (a literal str or Column)."""
    return call("raise_error", str_or_col_sql(errMsg, "errMsg"))


# --- calls by name ------------------------------------------------------------------------------
# The function is looked up by the SQL front-end: an unknown name fails there.

_NAME_PART = _re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _function_name(name):
    """A (possibly qualified) function name as SQL: plain parts as they are, others in
    backquotes."""
    if not isinstance(name, str):
        raise _errors.PySparkTypeError(
            "[NOT_STR] Argument `funcName` should be a str, got %s." % type(name).__name__)
    return ".".join(p if _NAME_PART.match(p) else quote_identifier(p) for p in name.split("."))


def call_function(funcName, *cols):
    """A call of the SQL function `funcName` with ColumnOrName arguments."""
    return fn(_function_name(funcName), *cols)


def call_udf(udfName, *cols):
    """A call of the registered function `udfName` with ColumnOrName arguments."""
    return fn(_function_name(udfName), *cols)


# --- not in sluice's catalog --------------------------------------------------------------------

def xpath(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath")


def xpath_boolean(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_boolean")


def xpath_double(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_double")


def xpath_float(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_float")


def xpath_int(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_int")


def xpath_long(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_long")


def xpath_number(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_number")


def xpath_short(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_short")


def xpath_string(xml, path):
    """XPath query of XML text: not in sluice's catalog."""
    raise refuse("xpath_string")


def years(col):
    """Partition transform of DataFrameWriterV2: not supported by sluice."""
    raise refuse("years")


def months(col):
    """Partition transform of DataFrameWriterV2: not supported by sluice."""
    raise refuse("months")


def days(col):
    """Partition transform of DataFrameWriterV2: not supported by sluice."""
    raise refuse("days")


def hours(col):
    """Partition transform of DataFrameWriterV2: not supported by sluice."""
    raise refuse("hours")


def bucket(numBuckets, col):
    """Partition transform of DataFrameWriterV2: not supported by sluice."""
    raise refuse("bucket")


def unwrap_udt(col):
    """The storage value of a user-defined type: sluice has no user-defined types."""
    raise refuse("unwrap_udt")
