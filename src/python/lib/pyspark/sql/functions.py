"""pyspark.sql.functions for sluice: PySpark 3.5's built-in functions.

Each function returns a Column holding the Spark SQL text of the call (`sum(amount)`,
`date_format(ts, 'yyyy-MM-dd')`), unaliased, which sluice's Spark SQL front-end names
as Spark names it. Arguments follow PySpark 3.5: a ColumnOrName parameter takes a Column
or a column name (a str); a parameter PySpark types as a Python value (a format, a
pattern, a length) becomes a SQL literal. A PySpark function whose SQL function is not in
sluice's catalog raises PySparkNotImplementedError when called.

The functions live by group in _sluice_py.functions_*; this module gathers them.
`from pyspark.sql.functions import *` brings all of __all__, and so shadows Python's
sum, min, max, abs, round, filter, pow, hash, ... as PySpark's module does.
"""

from _sluice_py import (
    functions_aggregate as _aggregate,
    functions_basic as _basic,
    functions_collection as _collection,
    functions_datetime as _datetime,
    functions_misc as _misc,
    functions_string as _string,
)
from _sluice_py.functions_aggregate import *  # noqa: F401,F403
from _sluice_py.functions_basic import *  # noqa: F401,F403
from _sluice_py.functions_collection import *  # noqa: F401,F403
from _sluice_py.functions_datetime import *  # noqa: F401,F403
from _sluice_py.functions_misc import *  # noqa: F401,F403
from _sluice_py.functions_string import *  # noqa: F401,F403

from _sluice_py.udf import pandas_udf, udf  # noqa: F401,E402

__all__ = sorted(_basic.__all__ + _string.__all__ + _datetime.__all__ +
                 _collection.__all__ + _aggregate.__all__ + _misc.__all__ +
                 ["udf", "pandas_udf"])
