"""Cut-off dates, the population at each cut-off, and churn labels.

A cut-off C is a midnight. Features may only use events strictly before C; the
label of a customer at C says whether they had qualifying activity in the
horizon ``[C, C + horizon)``. The population at C is every customer with
qualifying activity in the look-back window ``[C - lookback, C)``: people who
were customers at the time, so "stopped buying" is a meaningful question.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, field

import polars as pl

from churnlab.config import ChurnDefinition
from churnlab.errors import DataError, InsufficientHistoryError
from churnlab.i18n import Message
from churnlab.schema import CUSTOMER_ID, EVENT_TYPE, PURCHASE, TIMESTAMP

logger = logging.getLogger(__name__)

MIN_HISTORY_DAYS = 60
"""Days of history a cut-off needs before it, so its features mean something."""
MIN_CUSTOMERS_PER_CUTOFF = 30
"""Below this many customers at the evaluation cut-off the numbers are noise: refuse."""
SMALL_SHOP_CUSTOMERS = 500
"""Below this many customers at the evaluation cut-off: train, but warn."""
MIN_OUTCOME_COUNT = 10
"""Fewer churners (or stayers) than this at the evaluation cut-off: warn."""


@dataclass
class CutoffPlan:
    """The cut-offs used for training and evaluation (see docs/ARCHITECTURE.md)."""

    cutoffs: list[dt.date]
    eval_cutoff: dt.date
    validation_cutoffs: list[dt.date]
    data_start: dt.datetime
    data_end: dt.datetime
    as_of: dt.date
    warnings: list[Message] = field(default_factory=list)


def to_datetime(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``."""
    return dt.datetime.combine(day, dt.time())


def _event_span(events: pl.DataFrame) -> tuple[dt.datetime, dt.datetime]:
    if events.height == 0:
        raise DataError("error.windows.no_events", hint="error.windows.no_events.hint")
    span = events.select(
        pl.col(TIMESTAMP).min().alias("start"), pl.col(TIMESTAMP).max().alias("end")
    ).row(0)
    return span[0], span[1]


def plan_cutoffs(events: pl.DataFrame, definition: ChurnDefinition) -> CutoffPlan:
    """Choose the evaluation cut-off and the earlier training cut-offs.

    The evaluation cut-off is the latest midnight whose horizon still ends inside
    the data (or the one the user chose). Earlier cut-offs step back from it; the
    ones whose horizon ends on or before the evaluation cut-off are the only ones
    an honest out-of-time model may train on.
    """
    definition = definition.validate()
    start_ts, end_ts = _event_span(events)
    start = start_ts.date()
    end = end_ts.date() + dt.timedelta(days=1)  # exclusive
    horizon = dt.timedelta(days=definition.horizon_days)
    history = dt.timedelta(days=MIN_HISTORY_DAYS)
    span_days = (end - start).days
    needed = MIN_HISTORY_DAYS + definition.horizon_days
    if span_days < needed:
        raise InsufficientHistoryError(
            "error.windows.too_short",
            span=span_days,
            horizon=definition.horizon_days,
            needed=needed,
            history=MIN_HISTORY_DAYS,
        )

    if definition.cutoff is not None:
        eval_cutoff = definition.cutoff
        if eval_cutoff + horizon > end:
            raise InsufficientHistoryError(
                "error.windows.cutoff_too_late",
                hint="error.windows.cutoff_too_late.hint",
                cutoff=eval_cutoff.isoformat(),
                horizon=definition.horizon_days,
                horizon_end=(eval_cutoff + horizon).isoformat(),
                data_end=end_ts.date().isoformat(),
                latest=(end - horizon).isoformat(),
            )
        if start + history > eval_cutoff:
            raise InsufficientHistoryError(
                "error.windows.cutoff_too_early",
                hint="error.windows.cutoff_too_early.hint",
                cutoff=eval_cutoff.isoformat(),
                history=MIN_HISTORY_DAYS,
                data_start=start.isoformat(),
                earliest=(start + history).isoformat(),
            )
    else:
        eval_cutoff = end - horizon

    step = dt.timedelta(days=definition.cutoff_step_days)
    cutoffs = []
    for i in range(definition.max_cutoffs):
        cutoff = eval_cutoff - i * step
        if start + history > cutoff:
            break
        cutoffs.append(cutoff)
    cutoffs.sort()
    validation = [c for c in cutoffs if c + horizon <= eval_cutoff]
    if not validation:
        steps_back = math.ceil(definition.horizon_days / definition.cutoff_step_days)
        shortest = MIN_HISTORY_DAYS + definition.horizon_days + steps_back * step.days
        raise InsufficientHistoryError(
            "error.windows.no_training_cutoff",
            hint="error.windows.no_training_cutoff.hint_cutoffs"
            if definition.max_cutoffs <= steps_back
            else "error.windows.no_training_cutoff.hint_export",
            span=span_days,
            horizon=definition.horizon_days,
            shortest=shortest,
            steps=steps_back + 1,
            max_cutoffs=definition.max_cutoffs,
        )

    _check_activity_near(events, cutoffs, definition, end_ts)

    warnings: list[Message] = []
    if len(cutoffs) < definition.max_cutoffs:
        values = {
            "found": len(cutoffs),
            "wanted": definition.max_cutoffs,
            "validation": len(validation),
        }
        warnings.append(Message("windows.warning.fewer_cutoffs", values))
    logger.info("cut-offs %s, eval %s", cutoffs, eval_cutoff)
    return CutoffPlan(
        cutoffs=cutoffs,
        eval_cutoff=eval_cutoff,
        validation_cutoffs=validation,
        data_start=start_ts,
        data_end=end_ts,
        as_of=end,
        warnings=warnings,
    )


def _check_activity_near(
    events: pl.DataFrame, cutoffs: list[dt.date], definition: ChurnDefinition, end_ts: dt.datetime
) -> None:
    """Refuse, naming the dates, when nobody was active before any cut-off.

    A few rows with a wrong time (2100-01-01, a placeholder far in the future)
    move every cut-off past the real data; saying so beats "nobody to label".
    """
    first = to_datetime(cutoffs[0] - dt.timedelta(days=definition.lookback_days))
    last = to_datetime(cutoffs[-1])
    active = events.select(pl.col(TIMESTAMP).is_between(first, last, closed="left").any()).item()
    if not active:
        raise DataError(
            "error.windows.no_recent_activity",
            hint="error.windows.no_recent_activity.hint",
            lookback=definition.lookback_days,
            data_end=end_ts.date().isoformat(),
        )


def qualifying(events: pl.DataFrame | pl.LazyFrame, definition: ChurnDefinition) -> pl.Expr:
    """A boolean expression: does this event count as staying active?

    Logs without event types are all purchases already, so every row counts.
    """
    names = events.collect_schema().names() if isinstance(events, pl.LazyFrame) else events.columns
    if definition.counts_any_activity or EVENT_TYPE not in names:
        return pl.lit(True)
    return pl.col(EVENT_TYPE).is_in(list(definition.activity))


def is_purchase(events: pl.DataFrame | pl.LazyFrame) -> pl.Expr:
    """A boolean expression: is this event a purchase (every row when there are no types)?"""
    names = events.collect_schema().names() if isinstance(events, pl.LazyFrame) else events.columns
    if EVENT_TYPE not in names:
        return pl.lit(True)
    return pl.col(EVENT_TYPE) == PURCHASE


def population(events: pl.DataFrame, cutoff: dt.date, definition: ChurnDefinition) -> pl.DataFrame:
    """Customers with at least one qualifying event in ``[cutoff - lookback, cutoff)``."""
    start = to_datetime(cutoff - dt.timedelta(days=definition.lookback_days))
    return (
        events.lazy()
        .filter(
            (pl.col(TIMESTAMP) >= start)
            & (pl.col(TIMESTAMP) < to_datetime(cutoff))
            & qualifying(events, definition)
        )
        .select(pl.col(CUSTOMER_ID).unique())
        .sort(CUSTOMER_ID)
        .collect()
    )


def _labels_at(events: pl.LazyFrame, cutoff: dt.date, definition: ChurnDefinition) -> pl.LazyFrame:
    c = to_datetime(cutoff)
    lookback_start = c - dt.timedelta(days=definition.lookback_days)
    horizon_end = c + dt.timedelta(days=definition.horizon_days)
    q = qualifying(events, definition)
    ts = pl.col(TIMESTAMP)
    return (
        events.filter(q & (ts >= lookback_start) & (ts < horizon_end))
        .group_by(CUSTOMER_ID)
        .agg(
            (ts < c).any().alias("_before"),
            (ts >= c).any().alias("_after"),
        )
        .filter(pl.col("_before"))
        .select(
            pl.col(CUSTOMER_ID),
            pl.lit(cutoff, dtype=pl.Date).alias("cutoff"),
            (~pl.col("_after")).cast(pl.Int8).alias("label"),
        )
    )


def build_labels(
    events: pl.DataFrame, cutoffs: list[dt.date], definition: ChurnDefinition
) -> pl.DataFrame:
    """Label 1 (churned) when a customer of the population had no qualifying event
    in ``[C, C + horizon)``, else 0. One row per customer and cut-off."""
    schema = {CUSTOMER_ID: pl.String, "cutoff": pl.Date, "label": pl.Int8}
    if not cutoffs:
        return pl.DataFrame(schema=schema)
    lazy = events.lazy()
    frames = [_labels_at(lazy, c, definition) for c in sorted(cutoffs)]
    return pl.concat(frames).sort("cutoff", CUSTOMER_ID).collect().cast(schema)


def check_labels(labels: pl.DataFrame) -> list[Message]:
    """Refuse labels that cannot support a model; warn when they are thin.

    The latest cut-off in ``labels`` is the evaluation cut-off. Small shops get
    warnings, not refusals: hundreds of customers are enough to be useful.
    """
    if labels.height == 0:
        raise DataError("error.windows.nobody_to_label", hint="error.windows.nobody_to_label.hint")
    eval_cutoff = labels.get_column("cutoff").max()
    at_eval = labels.filter(pl.col("cutoff") == eval_cutoff)
    n_eval = at_eval.height
    churners = int(at_eval.get_column("label").sum())
    if n_eval < MIN_CUSTOMERS_PER_CUTOFF:
        raise DataError(
            "error.windows.too_few_customers",
            hint="error.windows.too_few_customers.hint",
            n_eval=n_eval,
            cutoff=str(eval_cutoff),
            minimum=MIN_CUSTOMERS_PER_CUTOFF,
        )
    if labels.get_column("label").n_unique() < 2 or churners in (0, n_eval):
        raise DataError(
            "error.windows.all_churned" if churners == n_eval else "error.windows.all_stayed",
            hint="error.windows.one_outcome.hint",
            cutoff=str(eval_cutoff),
            n_eval=n_eval,
        )
    warnings: list[Message] = []
    if n_eval < SMALL_SHOP_CUSTOMERS:
        warnings.append(Message("windows.warning.small_shop", {"n_eval": n_eval}))
    stayers = n_eval - churners
    if min(churners, stayers) < MIN_OUTCOME_COUNT:
        warnings.append(
            Message("windows.warning.few_outcomes", {"churners": churners, "stayers": stayers})
        )
    per_cutoff = labels.group_by("cutoff").len().filter(pl.col("len") < MIN_CUSTOMERS_PER_CUTOFF)
    if per_cutoff.height:
        days = ", ".join(str(d) for d in sorted(per_cutoff.get_column("cutoff").to_list()))
        warnings.append(
            Message(
                "windows.warning.thin_early_cutoffs",
                {"minimum": MIN_CUSTOMERS_PER_CUTOFF, "days": days},
            )
        )
    return warnings
