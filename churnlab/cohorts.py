"""Cohort retention and RFM segments: the classic CRM views beside the model.

Marketers know these pictures from Klaviyo or Amplitude; showing them next to the
model's risk lets a team check that the model agrees with what they already see
(new customers drop off fastest, "At risk" customers carry the value at risk).
Everything here is vectorised Polars / numpy so it keeps up with 10M events.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import polars as pl

from churnlab.errors import DataError
from churnlab.schema import CUSTOMER_ID, EVENT_TYPE, LABEL, TIMESTAMP

log = logging.getLogger(__name__)

# Canonical segment ids, best first. Display names: i18n key ``chart.segment.<id>``.
SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)

# SEGMENT_GRID[r - 1][f - 1]: the segment for recency score r and frequency score f.
SEGMENT_GRID: tuple[tuple[str, ...], ...] = (
    # F=1          F=2             F=3                    F=4              F=5
    ("lost", "lost", "at_risk", "at_risk", "cant_lose"),  # R=1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R=2
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),  # R=3
    ("promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"),  # R=4
    ("new", "potential_loyalists", "potential_loyalists", "champions", "champions"),  # R=5
)

CHURN_PROBABILITY = "churn_probability"
_MONTH_SLOTS = 4096
RFM_COLUMNS: tuple[str, ...] = ("recency_days", "frequency", "monetary")


def _month_index(column: str) -> pl.Expr:
    """Months since year 0, so month differences are plain integer subtraction."""
    return (
        pl.col(column).dt.year().cast(pl.Int32) * 12 + pl.col(column).dt.month().cast(pl.Int32) - 1
    )


def cohort_retention(
    events: pl.DataFrame,
    activity: tuple[str, ...] = ("purchase",),
    max_periods: int = 24,
) -> pl.DataFrame:
    """Monthly retention of each first-purchase cohort.

    A customer's cohort is the month of their first qualifying activity (``activity``
    event types; ``("any",)`` counts every event). For each cohort and each month
    since (``period`` 0 .. ``max_periods - 1``, only months the data covers) the
    frame gives the cohort size (``customers``), the customers with qualifying
    activity in that month (``active``) and their share (``retention``). Months
    with no active customer appear with 0, so a gap is visible rather than hidden.
    """
    missing = [c for c in (CUSTOMER_ID, TIMESTAMP, EVENT_TYPE) if c not in events.columns]
    if missing:
        raise DataError(
            "error.cohorts.needs_events",
            hint="error.cohorts.needs_events.hint",
            missing=", ".join(missing),
        )
    if max_periods < 1:
        raise DataError("error.cohorts.periods")
    qualifying = events.lazy().filter(pl.col(TIMESTAMP).is_not_null())
    if "any" not in activity:
        qualifying = qualifying.filter(pl.col(EVENT_TYPE).is_in(list(activity)))
    month = _month_index(TIMESTAMP).cast(pl.Int64)
    bounds = qualifying.select(month.min().alias("lo"), month.max().alias("hi")).collect()
    if bounds.height == 0 or bounds["lo"][0] is None:
        raise DataError(
            "error.cohorts.no_activity",
            hint="error.cohorts.no_activity.hint",
            activity=", ".join(activity),
        )
    first_month, last_month = int(bounds["lo"][0]), int(bounds["hi"][0])
    if last_month - first_month >= _MONTH_SLOTS:
        raise DataError("error.cohorts.span")
    # One integer key per (customer, month): a 52-bit hash of the id and the month
    # offset. Unique on one integer column is several times faster than on
    # (string, int) pairs at 10M events; a hash collision would at worst merge two
    # customers in a chart.
    keys = (
        qualifying.select(
            (
                (pl.col(CUSTOMER_ID).hash(seed=0) // _MONTH_SLOTS) * _MONTH_SLOTS
                + (month - first_month).cast(pl.UInt64)
            ).alias("key")
        )
        .collect()["key"]
        .unique()
    )
    months = pl.DataFrame(
        {"customer": keys // _MONTH_SLOTS, "month": (keys % _MONTH_SLOTS).cast(pl.Int32)}
    )
    first = months.group_by("customer").agg(pl.col("month").min().alias("cohort_month"))
    sizes = first.group_by("cohort_month").agg(pl.len().cast(pl.Int64).alias("customers"))
    active = (
        months.join(first, on="customer")
        .with_columns((pl.col("month") - pl.col("cohort_month")).alias("period"))
        .filter(pl.col("period") < max_periods)
        .group_by("cohort_month", "period")
        .agg(pl.len().cast(pl.Int64).alias("active"))
    )
    periods = pl.DataFrame({"period": pl.arange(0, max_periods, eager=True).cast(pl.Int32)})
    grid = (
        sizes.join(periods, how="cross")
        .filter(pl.col("cohort_month") + pl.col("period") <= last_month - first_month)
        .join(active, on=["cohort_month", "period"], how="left")
        .with_columns(pl.col("active").fill_null(0))
    )
    return (
        grid.with_columns(
            pl.date(
                (pl.col("cohort_month") + first_month) // 12,
                (pl.col("cohort_month") + first_month) % 12 + 1,
                1,
            ).alias("cohort"),
            pl.col("period").cast(pl.Int64),
            (pl.col("active") / pl.col("customers")).alias("retention"),
        )
        .select("cohort", "period", "customers", "active", "retention")
        .sort("cohort", "period")
    )


def _quintile_score(values: np.ndarray) -> np.ndarray:
    """1-5 by quintile of rank; equal values get the same score; nulls (NaN) get 1.

    Uses the average rank so ties never split across scores and the result does
    not depend on row order.
    """
    scores = np.ones(len(values), dtype=np.int8)
    ok = ~np.isnan(values)
    n = int(ok.sum())
    if n == 0:
        return scores
    ranks = pl.Series(values[ok]).rank(method="average").to_numpy()
    pct = (ranks - 0.5) / n
    scores[ok] = np.clip(np.floor(pct * 5).astype(np.int8) + 1, 1, 5)
    return scores


def _as_float(values: object, what: str) -> np.ndarray:
    try:
        array = pl.Series(values).cast(pl.Float64).to_numpy()
    except Exception as exc:  # polars raises several types for non-numbers
        raise DataError(
            "error.cohorts.recency_not_numbers"
            if what == "recency"
            else "error.cohorts.frequency_not_numbers"
            if what == "frequency"
            else "error.cohorts.monetary_not_numbers"
        ) from exc
    return np.asarray(array, dtype=np.float64)


def rfm_segments(
    recency_days: object,
    frequency: object,
    monetary: object,
) -> pl.DataFrame:
    """RFM scores and named segments for aligned arrays (one entry per customer).

    Scores are quintiles of the rank among the given customers, 1 (worst) to 5
    (best): recency is scored on *fewer* days since the last activity, frequency
    and monetary on *more*. Ties get the same score (average rank) so the result is
    deterministic; a missing recency/frequency/monetary scores 1.

    The segment comes from the recency (R) and frequency (F) scores, the widely
    used RFM grid:

    ======  ===================  ======================================
    R       F                    segment
    ======  ===================  ======================================
    5       4-5                  champions
    3-4     4-5                  loyal
    4-5     2-3                  potential_loyalists
    5       1                    new
    4       1                    promising
    3       3                    need_attention
    3       1-2                  about_to_sleep
    1-2     3-4                  at_risk
    1-2     5                    cant_lose (Can't lose them)
    2       1-2                  hibernating
    1       1-2                  lost
    ======  ===================  ======================================

    Returns ``r_score``, ``f_score``, ``m_score`` (Int8), ``rfm_score`` (String such
    as "545") and ``segment`` (canonical id; translate with ``chart.segment.<id>``).
    """
    r = _as_float(recency_days, "recency")
    f = _as_float(frequency, "frequency")
    m = _as_float(monetary, "monetary")
    if not len(r) == len(f) == len(m):
        raise DataError("error.cohorts.rfm_lengths")
    r_score = _quintile_score(-r)
    f_score = _quintile_score(f)
    m_score = _quintile_score(m)
    grid = np.array(SEGMENT_GRID, dtype=object)
    segment = grid[r_score - 1, f_score - 1] if len(r) else np.array([], dtype=object)
    frame = pl.DataFrame(
        {
            "r_score": pl.Series(r_score, dtype=pl.Int8),
            "f_score": pl.Series(f_score, dtype=pl.Int8),
            "m_score": pl.Series(m_score, dtype=pl.Int8),
            "segment": pl.Series(segment.tolist(), dtype=pl.String),
        }
    )
    return frame.with_columns(
        pl.concat_str(
            pl.col("r_score").cast(pl.String),
            pl.col("f_score").cast(pl.String),
            pl.col("m_score").cast(pl.String),
        ).alias("rfm_score")
    ).select("r_score", "f_score", "m_score", "rfm_score", "segment")


def assign_rfm_segments(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (customer_id, recency_days, frequency, monetary, ...) with RFM scores and segment.

    Existing r_score/f_score/m_score/rfm_score/segment columns are replaced.
    """
    missing = [c for c in RFM_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            "error.cohorts.rfm_missing",
            hint="error.cohorts.rfm_missing.hint",
            missing=", ".join(missing),
        )
    scored = rfm_segments(frame["recency_days"], frame["frequency"], frame["monetary"])
    base = frame.drop([c for c in scored.columns if c in frame.columns])
    return pl.concat([base, scored], how="horizontal")


def segment_summary(frame: pl.DataFrame, order: Sequence[str] = SEGMENTS) -> pl.DataFrame:
    """Per segment: how many customers, their value, and how much of it is at risk.

    Input: one row per customer with ``segment`` and ``monetary``, optionally
    ``label`` (1 = churned) and ``churn_probability`` (current risk). Output, in
    ``order`` (the canonical RFM order by default, best first): ``segment``, ``customers``, ``share``,
    ``total_value``, ``mean_value``, ``churn_rate`` (null without labels),
    ``mean_risk`` and ``value_at_risk`` (sum of probability × monetary; null without
    probabilities).
    """
    missing = [c for c in ("segment", "monetary") if c not in frame.columns]
    if missing:
        raise DataError(
            "error.cohorts.summary_missing",
            hint="error.cohorts.summary_missing.hint",
            missing=", ".join(missing),
        )
    if frame.height == 0:
        raise DataError("error.cohorts.no_customers")
    money = pl.col("monetary").cast(pl.Float64).fill_null(0.0)
    aggs: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("customers"),
        money.sum().alias("total_value"),
        money.mean().alias("mean_value"),
    ]
    if LABEL in frame.columns:
        aggs.append(pl.col(LABEL).cast(pl.Float64).mean().alias("churn_rate"))
    else:
        aggs.append(pl.lit(None, dtype=pl.Float64).alias("churn_rate"))
    if CHURN_PROBABILITY in frame.columns:
        p = pl.col(CHURN_PROBABILITY).cast(pl.Float64)
        aggs.append(p.mean().alias("mean_risk"))
        aggs.append((p * money).sum().alias("value_at_risk"))
    else:
        aggs.append(pl.lit(None, dtype=pl.Float64).alias("mean_risk"))
        aggs.append(pl.lit(None, dtype=pl.Float64).alias("value_at_risk"))
    rank = {name: i for i, name in enumerate(order)}
    summary = frame.group_by("segment").agg(aggs)
    return (
        summary.with_columns(
            (pl.col("customers") / frame.height).alias("share"),
            pl.col("segment")
            .replace_strict(rank, default=len(rank), return_dtype=pl.Int64)
            .alias("_order"),
        )
        .sort("_order", "segment")
        .select(
            "segment",
            "customers",
            "share",
            "total_value",
            "mean_value",
            "churn_rate",
            "mean_risk",
            "value_at_risk",
        )
    )


#: A customer table's numeric column is cut into this many bands of equal size (at most).
ATTRIBUTE_BANDS = 5
#: A text column shows its most common values, the rest together as "other".
ATTRIBUTE_LEVELS = 12
MISSING_SEGMENT = "—"
OTHER_SEGMENT = "other"


def _number(value: float) -> str:
    """A band edge as people write it: 7, 94.3, 2,050."""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:.3g}"


def _bands(values: pl.Series, bands: int) -> tuple[pl.Series, list[str]]:
    """Quantile bands of a number ("1–8", "9–29", ...: each band's own lowest and highest
    value) and their order; a missing value is "—"."""
    numbers = values.cast(pl.Float64).fill_nan(None)
    present = numbers.drop_nulls().to_numpy()
    cuts = np.unique(np.quantile(present, np.linspace(0, 1, bands + 1)[1:-1]))
    frame = pl.DataFrame(
        {"value": numbers, "band": np.searchsorted(cuts, numbers.fill_null(0.0).to_numpy())}
    )
    ranges = (
        frame.drop_nulls("value")
        .group_by("band")
        .agg(pl.col("value").min().alias("low"), pl.col("value").max().alias("high"))
        .sort("band")
    )
    names = {
        band: _number(low) if low == high else f"{_number(low)}–{_number(high)}"
        for band, low, high in ranges.iter_rows()
    }
    segment = frame.select(
        pl.when(pl.col("value").is_null())
        .then(pl.lit(MISSING_SEGMENT))
        .otherwise(pl.col("band").replace_strict(names, return_dtype=pl.String))
    ).to_series()
    return segment, [*names.values(), MISSING_SEGMENT]


def attribute_segments(
    features: pl.DataFrame,
    column: str,
    churn_probability: np.ndarray,
    monetary: np.ndarray | None = None,
) -> pl.DataFrame:
    """A customer table's customers grouped by one of its columns (``segment_summary``'s
    columns): a number in up to ``ATTRIBUTE_BANDS`` bands of equal size, in order; a text
    column by its values, most common first (past ``ATTRIBUTE_LEVELS``, "other"). The
    churn rate is what the table's label says; the risk, the model's.
    """
    if column not in features.columns:
        raise DataError("error.cohorts.summary_missing", missing=column)
    values = features.get_column(column)
    if values.dtype.is_numeric() and values.n_unique() > ATTRIBUTE_BANDS:
        segment, order = _bands(values, ATTRIBUTE_BANDS)
    elif values.dtype.is_numeric():  # a few numbers (a 0/1 flag, a tier): each its own, in order
        numbers = values.cast(pl.Float64).to_list()
        segment = pl.Series(
            [MISSING_SEGMENT if v is None or v != v else _number(v) for v in numbers],
            dtype=pl.String,
        )
        present = sorted({v for v in numbers if v is not None and v == v})
        order = [*(_number(v) for v in present), MISSING_SEGMENT]
    else:
        text = values.cast(pl.String).fill_null(MISSING_SEGMENT)
        common = text.value_counts(sort=True).get_column(column).head(ATTRIBUTE_LEVELS)
        segment = pl.select(
            pl.when(text.is_in(common.implode())).then(text).otherwise(pl.lit(OTHER_SEGMENT))
        ).to_series()
        common = common.to_list()
        order = [*common, OTHER_SEGMENT]
    frame = pl.DataFrame(
        {
            "segment": segment,
            "monetary": np.zeros(features.height) if monetary is None else monetary,
            CHURN_PROBABILITY: churn_probability,
        }
    )
    if LABEL in features.columns and features.get_column(LABEL).null_count() < features.height:
        frame = frame.with_columns(features.get_column(LABEL).cast(pl.Float64).alias(LABEL))
    return segment_summary(frame, order=order)
