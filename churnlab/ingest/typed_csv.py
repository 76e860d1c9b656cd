"""Big delimited files read with their plain ISO times and plain numbers parsed on the way.

Reading every column as text and parsing the time column afterwards makes ten million
strings only to throw them away. Polars can parse them batch by batch inside the read
instead (10M events: about 0.9 s against 1.3 s for the read and the parse in turn, and no
column of 10M time strings). A column is parsed so only when every value of the file's
head (the lines sniffing already holds) reads with one of ``parsing``'s plain ISO formats,
or, for a column named as a measure, as a plain finite number; the whole column is then
checked (every value read, the years in range, the numbers finite) and any doubt returns
None, so the caller reads the file as text and the general parsing decides. What a column
becomes is therefore exactly what parsing its text gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from churnlab import schema
from churnlab.ingest.parsing import fast_numbers, in_years, plain_iso_format, read_format

#: Files at least this big take the typed path; below it the text path is as quick.
TYPED_FROM = 8 * 1024 * 1024

_NULLS = "\x00nulls:"  # a flag column per parsed column: which values were empty


#: Roles whose columns cleaning reads as numbers: a column named for one of them (and for no
#: id) is read as Float64 when its head holds plain decimals only.
_MEASURES = (schema.AMOUNT, schema.QUANTITY, schema.UNIT_PRICE, schema.RATING)


def plan_times(sample: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """The columns of a file's head (text, header applied) that hold plain ISO times only:
    column → (strptime format, description of the format for the quality report)."""
    plan: dict[str, tuple[str, str]] = {}
    for column in sample.columns:
        found = plain_iso_format(sample.get_column(column))
        if found is not None:
            plan[column] = found
    return plan


def plan_numbers(sample: pl.DataFrame, skip: set[str]) -> list[str]:
    """The columns of a file's head named as a measure (amount, quantity, price, rating)
    whose values are all plain finite decimals: cleaning's first step on such a column is
    the same cast (``parsing.fast_numbers``)."""
    from churnlab.ingest.roles import name_scores  # roles reads raw tables: import late

    scores = name_scores(sample.columns)
    plan = []
    for column in sample.columns:
        if column in skip:
            continue
        named = {role: by[column] for role, by in scores.items() if column in by}
        if not named or max(named, key=named.__getitem__) not in _MEASURES:
            continue
        if fast_numbers(sample.get_column(column)) is not None:
            plan.append(column)
    return plan


def read_parsed(
    payload: bytes | Path,
    options: dict[str, Any],
    names: list[str],
    plan: dict[str, tuple[str, str]],
    numbers: list[str],
) -> pl.DataFrame | None:
    """The file (``options`` as for reading it as text, header row included) with the
    columns ``names``, the times of ``plan`` parsed and the columns ``numbers`` as Float64;
    None when the file does not read so (a value outside the format or not a finite number,
    years out of range, bad UTF-8, another width)."""
    try:
        scan = pl.scan_csv(payload, **{**options, "has_header": True})
        found = scan.collect_schema().names()
        if len(found) != len(names):
            return None
        exprs: list[pl.Expr] = []
        for column, (fmt, _description) in plan.items():
            text = pl.col(column)
            exprs += [read_format(text, fmt), text.is_null().alias(_NULLS + column)]
        for column in numbers:
            text = pl.col(column)
            exprs += [text.cast(pl.Float64, strict=False), text.is_null().alias(_NULLS + column)]
        frame = scan.rename(dict(zip(found, names, strict=True))).with_columns(exprs).collect()
    except pl.exceptions.PolarsError:
        return None
    for column in [*plan, *numbers]:
        flags = frame.get_column(_NULLS + column)
        values = frame.get_column(column)
        if values.null_count() != int(flags.sum()):
            return None
        if column in plan and not in_years(values):
            return None
        if column not in plan and not bool(values.is_finite().all()):
            return None
    return frame.drop([_NULLS + column for column in [*plan, *numbers]])
