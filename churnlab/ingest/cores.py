"""Column passes spread over every core.

An eager Polars ``Series`` method runs on one thread. The same expression collected by the
streaming engine runs morsel by morsel on all cores and keeps the row order, so the few full
passes that reading a big export cannot avoid (parsing its times, casting its numbers,
checking its ids) take about half the time on two cores. Small columns stay eager: starting
the engine costs more than it saves there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

#: Below this many values a column is worked on eagerly, on one thread.
SPREAD_FROM = 200_000

_VALUE = "v"


def _frame(series: pl.Series) -> pl.LazyFrame:
    return pl.LazyFrame([series.alias(_VALUE)])


def spread(series: pl.Series, work: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """``work`` (an expression over the values, given as ``pl.col``) applied to ``series``,
    row for row, keeping its name."""
    value = pl.col(_VALUE)
    if series.len() < SPREAD_FROM:
        result = series.alias(_VALUE).to_frame().select(work(value)).to_series()
    else:
        result = _frame(series).select(work(value)).collect(engine="streaming").to_series()
    return result.alias(series.name)


def summarise(series: pl.Series, **checks: Callable[[pl.Expr], pl.Expr]) -> dict[str, Any]:
    """Several aggregations of ``series`` in one pass (each gives one value), by name."""
    value = pl.col(_VALUE)
    exprs = [check(value).alias(name) for name, check in checks.items()]
    if series.len() < SPREAD_FROM:
        row = series.alias(_VALUE).to_frame().select(exprs)
    else:
        row = _frame(series).select(exprs).collect(engine="streaming")
    return row.row(0, named=True)
