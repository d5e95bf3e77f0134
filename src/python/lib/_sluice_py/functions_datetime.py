"""pyspark.sql.functions, part 3: date, timestamp and interval functions, and time windows.

Formats (Spark's datetime patterns), truncation units, day names and durations are
literals; a time zone given as str is a literal too (from_utc_timestamp, to_utc_timestamp),
as in PySpark. `days` and `months` counts take an int literal or a Column or column name."""

import decimal as _decimal

from _sluice_py.functions_core import (
    call, col_sql, fn, int_or_col_sql, optional_fn, require_str, str_or_col_sql)
from pyspark.sql.column import _literal_sql

__all__ = [
    "add_months", "convert_timezone", "curdate", "current_date", "current_timestamp",
    "current_timezone", "date_add", "date_diff", "date_format", "date_from_unix_date",
    "date_part", "date_sub", "date_trunc", "dateadd", "datediff", "datepart", "day",
    "dayofmonth", "dayofweek", "dayofyear", "extract", "from_unixtime", "from_utc_timestamp",
    "hour", "last_day", "localtimestamp", "make_date", "make_dt_interval", "make_interval",
    "make_timestamp", "make_timestamp_ltz", "make_timestamp_ntz", "make_ym_interval",
    "minute", "month", "months_between", "next_day", "now", "quarter", "second",
    "session_window", "timestamp_micros", "timestamp_millis", "timestamp_seconds",
    "to_date", "to_timestamp", "to_timestamp_ltz", "to_timestamp_ntz", "to_unix_timestamp",
    "to_utc_timestamp", "trunc", "try_to_timestamp", "unix_date", "unix_micros",
    "unix_millis", "unix_seconds", "unix_timestamp", "weekday", "weekofyear", "window",
    "window_time", "year",
]

_DEFAULT_FORMAT = "yyyy-MM-dd HH:mm:ss"


def _with_format(name, col, format):
    """name(col) or name(col, 'format') for a literal format that may be None."""
    if format is None:
        return fn(name, col)
    return call(name, col_sql(col), _literal_sql(format))


# --- now --------------------------------------------------------------------------------------

def current_date():
    """The current date (the same for the whole query)."""
    return call("current_date")


def curdate():
    """The current date (the same for the whole query)."""
    return call("curdate")


def current_timestamp():
    """The current timestamp (the same for the whole query)."""
    return call("current_timestamp")


def now():
    """The current timestamp (the same for the whole query)."""
    return call("now")


def localtimestamp():
    """The current timestamp without time zone."""
    return call("localtimestamp")


def current_timezone():
    """The session time zone."""
    return call("current_timezone")


# --- fields of dates and timestamps ---------------------------------------------------------

def year(col):
    """The year."""
    return fn("year", col)


def quarter(col):
    """The quarter (1 to 4)."""
    return fn("quarter", col)


def month(col):
    """The month (1 to 12)."""
    return fn("month", col)


def day(col):
    """The day of the month."""
    return fn("day", col)


def dayofmonth(col):
    """The day of the month."""
    return fn("dayofmonth", col)


def dayofweek(col):
    """The day of the week, 1 (Sunday) to 7 (Saturday)."""
    return fn("dayofweek", col)


def weekday(col):
    """The day of the week, 0 (Monday) to 6 (Sunday)."""
    return fn("weekday", col)


def dayofyear(col):
    """The day of the year."""
    return fn("dayofyear", col)


def weekofyear(col):
    """The ISO week of the year."""
    return fn("weekofyear", col)


def hour(col):
    """The hour."""
    return fn("hour", col)


def minute(col):
    """The minute."""
    return fn("minute", col)


def second(col):
    """The second."""
    return fn("second", col)


def extract(field, source):
    """A field of a date, timestamp or interval; `field` is a Column (e.g. lit('YEAR'))
    or column name."""
    return fn("extract", field, source)


def date_part(field, source):
    """A field of a date, timestamp or interval, as extract()."""
    return fn("date_part", field, source)


def datepart(field, source):
    """A field of a date, timestamp or interval, as extract()."""
    return fn("datepart", field, source)


def last_day(date):
    """The last day of the month of `date`."""
    return fn("last_day", date)


def next_day(date, dayOfWeek):
    """The first date after `date` that is the literal `dayOfWeek` ('Mon', 'Tuesday', ...)."""
    return call("next_day", col_sql(date, "date"), _literal_sql(dayOfWeek))


# --- arithmetic -------------------------------------------------------------------------------

def date_add(start, days):
    """`start` plus `days` days."""
    return call("date_add", col_sql(start, "start"), int_or_col_sql(days, "days"))


def dateadd(start, days):
    """`start` plus `days` days."""
    return call("dateadd", col_sql(start, "start"), int_or_col_sql(days, "days"))


def date_sub(start, days):
    """`start` minus `days` days."""
    return call("date_sub", col_sql(start, "start"), int_or_col_sql(days, "days"))


def add_months(start, months):
    """`start` plus `months` months."""
    return call("add_months", col_sql(start, "start"), int_or_col_sql(months, "months"))


def datediff(end, start):
    """The number of days from `start` to `end`."""
    return fn("datediff", end, start)


def date_diff(end, start):
    """The number of days from `start` to `end`."""
    return fn("date_diff", end, start)


def months_between(date1, date2, roundOff=True):
    """The months from `date2` to `date1`, rounded to 8 digits unless `roundOff` is False."""
    return call("months_between", col_sql(date1, "date1"), col_sql(date2, "date2"),
                _literal_sql(roundOff))


def trunc(date, format):
    """`date` truncated to the literal unit `format` ('year', 'month', 'week', ...)."""
    return call("trunc", col_sql(date, "date"), _literal_sql(format))


def date_trunc(format, timestamp):
    """`timestamp` truncated to the literal unit `format` ('hour', 'day', ...)."""
    return call("date_trunc", _literal_sql(format), col_sql(timestamp, "timestamp"))


# --- conversions ------------------------------------------------------------------------------

def date_format(date, format):
    """A date or timestamp as a string by the literal pattern `format`."""
    return call("date_format", col_sql(date, "date"), _literal_sql(format))


def to_date(col, format=None):
    """A string (by the literal pattern `format`, if given) as a date."""
    return _with_format("to_date", col, format)


def to_timestamp(col, format=None):
    """A string (by the literal pattern `format`, if given) as a timestamp."""
    return _with_format("to_timestamp", col, format)


def try_to_timestamp(col, format=None):
    """to_timestamp(), NULL when the string does not parse; `format` a Column or name."""
    return optional_fn("try_to_timestamp", col, format)


def to_timestamp_ltz(timestamp, format=None):
    """A string as a timestamp with local time zone; `format` a Column or name."""
    return optional_fn("to_timestamp_ltz", timestamp, format)


def to_timestamp_ntz(timestamp, format=None):
    """A string as a timestamp without time zone; `format` a Column or name."""
    return optional_fn("to_timestamp_ntz", timestamp, format)


def to_unix_timestamp(timestamp, format=None):
    """Seconds since the epoch of a timestamp or string; `format` a Column or name."""
    return optional_fn("to_unix_timestamp", timestamp, format)


def unix_timestamp(timestamp=None, format=_DEFAULT_FORMAT):
    """Seconds since the epoch of `timestamp` (parsed by the literal `format` when a
    string), or of now when called without arguments."""
    if timestamp is None:
        return call("unix_timestamp")
    return call("unix_timestamp", col_sql(timestamp, "timestamp"), _literal_sql(format))


def from_unixtime(timestamp, format=_DEFAULT_FORMAT):
    """Seconds since the epoch as a string by the literal pattern `format`."""
    return call("from_unixtime", col_sql(timestamp, "timestamp"), _literal_sql(format))


def from_utc_timestamp(timestamp, tz):
    """A UTC timestamp shown in the time zone `tz` (a literal str or a Column)."""
    return call("from_utc_timestamp", col_sql(timestamp, "timestamp"), str_or_col_sql(tz, "tz"))


def to_utc_timestamp(timestamp, tz):
    """A timestamp of the time zone `tz` (a literal str or a Column) shown in UTC."""
    return call("to_utc_timestamp", col_sql(timestamp, "timestamp"), str_or_col_sql(tz, "tz"))


def convert_timezone(sourceTz, targetTz, sourceTs):
    """A timestamp without time zone moved from `sourceTz` (the session's when None) to
    `targetTz`."""
    if sourceTz is None:
        return fn("convert_timezone", targetTz, sourceTs)
    return fn("convert_timezone", sourceTz, targetTz, sourceTs)


def date_from_unix_date(days):
    """The date `days` days after 1970-01-01."""
    return fn("date_from_unix_date", days)


def unix_date(col):
    """Days since 1970-01-01."""
    return fn("unix_date", col)


def unix_seconds(col):
    """Seconds since the epoch."""
    return fn("unix_seconds", col)


def unix_millis(col):
    """Milliseconds since the epoch."""
    return fn("unix_millis", col)


def unix_micros(col):
    """Microseconds since the epoch."""
    return fn("unix_micros", col)


def timestamp_seconds(col):
    """The timestamp `col` seconds after the epoch."""
    return fn("timestamp_seconds", col)


def timestamp_millis(col):
    """The timestamp `col` milliseconds after the epoch."""
    return fn("timestamp_millis", col)


def timestamp_micros(col):
    """The timestamp `col` microseconds after the epoch."""
    return fn("timestamp_micros", col)


# --- making dates, timestamps and intervals -------------------------------------------------
# Interval fields left out are 0 (seconds a DECIMAL 0, as PySpark passes them).

def make_date(year, month, day):
    """The date of `year`, `month`, `day`."""
    return fn("make_date", year, month, day)


def make_timestamp(years, months, days, hours, mins, secs, timezone=None):
    """The timestamp of the fields, in `timezone` when given."""
    return optional_fn("make_timestamp", years, months, days, hours, mins, secs, timezone)


def make_timestamp_ltz(years, months, days, hours, mins, secs, timezone=None):
    """The timestamp with local time zone of the fields, in `timezone` when given."""
    return optional_fn("make_timestamp_ltz", years, months, days, hours, mins, secs, timezone)


def make_timestamp_ntz(years, months, days, hours, mins, secs):
    """The timestamp without time zone of the fields."""
    return fn("make_timestamp_ntz", years, months, days, hours, mins, secs)


def _field(value, zero=0):
    return _literal_sql(zero) if value is None else col_sql(value)


def make_dt_interval(days=None, hours=None, mins=None, secs=None):
    """A day-time interval."""
    return call("make_dt_interval", _field(days), _field(hours), _field(mins),
                _field(secs, _decimal.Decimal(0)))


def make_interval(years=None, months=None, weeks=None, days=None, hours=None, mins=None,
                  secs=None):
    """A calendar interval."""
    return call("make_interval", _field(years), _field(months), _field(weeks), _field(days),
                _field(hours), _field(mins), _field(secs, _decimal.Decimal(0)))


def make_ym_interval(years=None, months=None):
    """A year-month interval."""
    return call("make_ym_interval", _field(years), _field(months))


# --- time windows -------------------------------------------------------------------------------

def window(timeColumn, windowDuration, slideDuration=None, startTime=None):
    """The time window of `timeColumn`: a struct of start and end, for grouping.
    Durations are literal strings such as '5 minutes'; a start time without a slide
    duration slides by the window duration."""
    require_str(windowDuration, "windowDuration")
    if slideDuration is not None:
        require_str(slideDuration, "slideDuration")
    if startTime is not None:
        require_str(startTime, "startTime")
    args = [col_sql(timeColumn, "timeColumn"), _literal_sql(windowDuration)]
    if slideDuration is not None:
        args.append(_literal_sql(slideDuration))
    elif startTime is not None:
        args.append(_literal_sql(windowDuration))
    if startTime is not None:
        args.append(_literal_sql(startTime))
    return call("window", *args)


def window_time(windowColumn):
    """The event time of a time window: its end minus one microsecond."""
    return fn("window_time", windowColumn)


def session_window(timeColumn, gapDuration):
    """The session window of `timeColumn` with `gapDuration` (a literal str or Column)."""
    return call("session_window", col_sql(timeColumn, "timeColumn"),
                str_or_col_sql(gapDuration, "gapDuration"))
