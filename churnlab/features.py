"""Customer features at cut-off dates, built from whatever columns the export has.

Every feature at a cut-off C uses only events strictly before C (the leakage
tests check it). The log is first rolled up to one row per customer and day
(one pass); then one filtered ``group_by`` per cut-off runs over that small
daily table, Polars runs the cut-offs in parallel and the results are stacked.
Money and ratings are summed as integers of 1/10,000 so that results do not
depend on thread scheduling (same data, same features, bit for bit).
BG/NBD (``bgnbd.py``) is fitted at each cut-off on every customer's qualifying days
before it, over the whole history (it needs each customer's first purchase).

Which columns exist (per-event-type counts, channel shares) follows the export's
vocabulary *before* the latest cut-off, so training and scoring sets of the same
data have the same columns and later events cannot change an earlier snapshot.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

import numpy as np
import polars as pl

from churnlab import bgnbd, text_signals
from churnlab._threads import beside
from churnlab.bgnbd import BgNbdParams
from churnlab.config import ChurnDefinition
from churnlab.errors import DataError
from churnlab.schema import (
    AMOUNT,
    CATEGORY,
    CHANNEL,
    COUPON,
    CUSTOMER_ID,
    EVENT_TYPE,
    LABEL,
    ORDER_ID,
    PRODUCT_ID,
    PURCHASE,
    RATING,
    REFUND,
    SERVICE,
    TIMESTAMP,
)
from churnlab.windows import (
    CutoffPlan,
    check_labels,
    is_purchase,
    plan_cutoffs,
    qualifying,
    to_datetime,
)

logger = logging.getLogger(__name__)

RFM_FEATURES: tuple[str, ...] = ("recency_days", "frequency", "monetary")
ORDER_WINDOWS: tuple[int, ...] = (30, 90, 180, 365)
MAX_EVENT_TYPES = 20
"""At most this many event types get their own count columns (the most frequent)."""
MAX_CHANNELS = 10
"""At most this many channels get a share column (the most frequent)."""
NO_COUPON_VALUES = ("", "0", "0.0", "0.00", "no", "none", "false", "n", "无", "否", "null")
_DAY = "_day"
_Q = "_q"
_P = "_p"
_COUPON = "_coupon"
_KEY = "_key"
_SCALE = 10_000
_EPOCH = dt.date(1970, 1, 1)


@dataclass
class FeatureSet:
    """Features (and labels when training) ready for the model (see docs/ARCHITECTURE.md)."""

    frame: pl.DataFrame
    feature_names: list[str]
    categorical: list[str]
    plan: CutoffPlan | None
    bgnbd: dict[dt.date, BgNbdParams | None] = field(default_factory=dict)
    """BG/NBD parameters fitted at each cut-off (None where no fit was possible)."""
    fit_customers: pl.Series | None = None
    """The customers training fits on, when the set was built for a sample of them."""
    label_counts: pl.DataFrame | None = None
    """cutoff and label of every labelled row, sampled or not (the per-cut-off statistics)."""


@dataclass(frozen=True)
class Vocabulary:
    """Which optional columns, event types and channels the features are built from."""

    columns: frozenset[str]
    event_types: tuple[str, ...]
    channels: tuple[str, ...]


FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def _day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def _slug(value: str) -> str:
    return re.sub(r"\W+", "_", value.strip().lower()).strip("_")


def _top_values(events: pl.DataFrame, column: str, limit: int) -> tuple[str, ...]:
    counts = (
        events.lazy()
        .select(pl.col(column))
        .drop_nulls()
        .group_by(column)
        .len()
        .sort(["len", column], descending=[True, False])
        .head(limit)
        .collect()
    )
    return tuple(sorted(counts.get_column(column).to_list()))


def vocabulary(events: pl.DataFrame, before: dt.date | None = None) -> Vocabulary:
    """The columns, event types and channels of the log, from events before ``before``."""
    if before is not None:
        events = events.filter(pl.col(TIMESTAMP) < to_datetime(before))
    event_types: tuple[str, ...] = ()
    if EVENT_TYPE in events.columns:
        event_types = _top_values(events, EVENT_TYPE, MAX_EVENT_TYPES)
    channels: tuple[str, ...] = ()
    if CHANNEL in events.columns:
        channels = _top_values(events, CHANNEL, MAX_CHANNELS)
    return Vocabulary(frozenset(events.columns), event_types, channels)


def _has_types(vocab: Vocabulary) -> bool:
    """True when the log has event types beyond purchases (visits, carts, ...)."""
    return any(t != PURCHASE for t in vocab.event_types)


def _window_days(definition: ChurnDefinition) -> int:
    return max(365, definition.lookback_days)


def _type_columns(vocab: Vocabulary) -> dict[str, str]:
    """Event type -> its daily count column, for every type but purchase."""
    columns: dict[str, str] = {}
    for t in vocab.event_types:
        slug = _slug(t)
        if t == PURCHASE or not slug or f"_t_{slug}" in columns.values():
            continue
        columns[t] = f"_t_{slug}"
    return columns


def _channel_columns(vocab: Vocabulary) -> dict[str, str]:
    columns: dict[str, str] = {}
    for channel in vocab.channels:
        slug = _slug(channel)
        if slug and f"_ch_{slug}" not in columns.values():
            columns[channel] = f"_ch_{slug}"
    return columns


@dataclass(frozen=True)
class CustomerKeys:
    """One row per customer (``table``: ``_key``, customer_id, ``_first_day``) and the key
    expression it was built with.

    The key is a 64-bit hash of the id: grouping and sorting integers is several times
    faster than strings, and the id is joined back once per cut-off on the small result.
    Should two ids ever share a hash, each id's row number in the sorted table (collision-free,
    slower) is used instead.
    """

    table: pl.DataFrame
    by_hash: bool = True

    def ranked(self) -> pl.DataFrame:
        """``_key``, customer_id and ``_rank``, the id's position in id order: frames sorted by
        the rank are sorted by id without comparing 200,000 strings again."""
        return self.table.select(_KEY, CUSTOMER_ID).sort(CUSTOMER_ID).with_row_index("_rank")

    def expr(self) -> pl.Expr:
        if self.by_hash:
            return pl.col(CUSTOMER_ID).hash().alias(_KEY)
        return (
            pl.col(CUSTOMER_ID)
            .replace_strict(self.table.get_column(CUSTOMER_ID), self.table.get_column(_KEY))
            .cast(pl.UInt64)
            .alias(_KEY)
        )


def customer_keys(events: pl.LazyFrame) -> CustomerKeys:
    """Every customer's key, id and first day (tenure counts from the first event).

    Grouped by the id itself (as fast as by its hash), then the distinct ids are hashed: the
    key is the hash unless two ids share one, and then the ids are numbered instead."""
    first_day = pl.col(TIMESTAMP).min().dt.date().cast(pl.Int32).alias("_first_day")
    table = events.group_by(CUSTOMER_ID).agg(first_day).collect()
    hashed = CustomerKeys(pl.DataFrame())
    keyed = table.with_columns(hashed.expr())
    if keyed.get_column(_KEY).n_unique() == keyed.height:
        return CustomerKeys(keyed.select(_KEY, CUSTOMER_ID, "_first_day").sort(_KEY))
    logger.info("two customer ids share a hash: numbering the ids instead")
    numbered = (
        table.sort(CUSTOMER_ID)
        .with_row_index(_KEY)
        .with_columns(pl.col(_KEY).cast(pl.UInt64))
        .select(_KEY, CUSTOMER_ID, "_first_day")
    )
    return CustomerKeys(numbered, by_hash=False)


def _daily(
    events: pl.LazyFrame,
    vocab: Vocabulary,
    definition: ChurnDefinition,
    keys: CustomerKeys,
    parts: int = 1,
) -> Rollup:
    """Roll the log up to one row per customer key and day (with the purchased products and
    the purchase days, ``Rollup``).

    Every feature at a cut-off is a sum, max or count over these day rows, so each
    cut-off scans the small daily table instead of the raw events. A day row only
    depends on events of that day or earlier, which keeps the snapshot leakage-free.
    Only integers are grouped: the customer is its key (``customer_keys``).

    A big log is rolled up in ``parts`` of whole customers (by a hash of the id), one after
    another, so the group-by's working memory is one part's; the day rows are the same
    (in another order, which nothing downstream depends on: every use groups by key).
    """
    if parts <= 1:
        daily, products = _collect_daily(*_daily_plan(events, vocab, definition, keys))
    else:
        part = pl.col(CUSTOMER_ID).hash(seed=0) % parts
        pieces = [
            _collect_daily(*_daily_plan(events.filter(part == k), vocab, definition, keys))
            for k in range(parts)
        ]
        daily = pl.concat([d for d, _ in pieces])
        bought = [p for _, p in pieces if p is not None]
        products = pl.concat(bought) if bought else None
    return Rollup(daily, products, _purchase_days(daily))


class Rollup(NamedTuple):
    """The log rolled up (``_daily``): what every cut-off's features are aggregated from."""

    days: pl.DataFrame
    """One row per customer key and day with any event."""
    products: pl.DataFrame | None
    """Key, day and product/category of every purchase (None without product columns)."""
    purchases: pl.DataFrame
    """Key, day and the previous purchase day (``_prev_pday``) of every purchase day."""

    def of(self, chosen: pl.Series) -> Rollup:
        """The rows of the customer keys in ``chosen`` (an imploded key list)."""
        mine = pl.col(_KEY).is_in(chosen)
        products = None if self.products is None else self.products.filter(mine)
        return Rollup(self.days.filter(mine), products, self.purchases.filter(mine))


def _purchase_days(daily: pl.DataFrame) -> pl.DataFrame:
    """Every purchase day with the customer's purchase day before it (null for the first).

    Kept apart from the day rows: joined back onto every day row it cost a third of the
    roll-up (10M events: 0.5 s); the gap features need only these rows."""
    same_customer = pl.col(_KEY) == pl.col(_KEY).shift(1)
    return (
        daily.lazy()
        .filter(pl.col("_np") > 0)
        .select(_KEY, _DAY)
        .sort(_KEY, _DAY)
        .with_columns(pl.when(same_customer).then(pl.col(_DAY).shift(1)).alias("_prev_pday"))
        .collect()
    )


def _collect_daily(
    daily: pl.LazyFrame, products: pl.LazyFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    collected = pl.collect_all([daily] if products is None else [daily, products])
    return collected[0], (collected[1] if products is not None else None)


def _daily_plan(
    events: pl.LazyFrame,
    vocab: Vocabulary,
    definition: ChurnDefinition,
    keys: CustomerKeys,
) -> tuple[pl.LazyFrame, pl.LazyFrame | None]:
    """The day rows and purchased products of ``_daily`` as lazy queries."""
    cols = vocab.columns
    p = pl.col(_P)
    lf = events.with_columns(
        pl.col(TIMESTAMP).dt.date().cast(pl.Int32).alias(_DAY),
        qualifying(events, definition).alias(_Q),
        is_purchase(events).alias(_P),
        keys.expr(),
    )
    has_coupon = COUPON in cols
    if has_coupon:
        cleaned = pl.col(COUPON).str.strip_chars().str.to_lowercase()
        lf = lf.with_columns(
            (pl.col(COUPON).is_not_null() & ~cleaned.is_in(list(NO_COUPON_VALUES))).alias(_COUPON)
        )
    by_day = [_KEY, _DAY]
    aggs: list[pl.Expr] = [
        pl.col(_Q).sum().cast(pl.Int32).alias("_nq"),
        p.sum().cast(pl.Int32).alias("_np"),
        pl.len().cast(pl.Int32).alias("_ne"),
    ]
    if AMOUNT in cols:
        aggs.append(pl.when(p).then(_fixed(pl.col(AMOUNT))).sum().alias("_spend"))
    for t, column in _type_columns(vocab).items():
        aggs.append((pl.col(EVENT_TYPE) == t).sum().cast(pl.Int32).alias(column))
    if AMOUNT in cols and REFUND in vocab.event_types:
        is_refund = pl.col(EVENT_TYPE) == REFUND
        aggs.append(pl.when(is_refund).then(_fixed(pl.col(AMOUNT))).sum().alias("_refund_value"))
    if RATING in cols:
        rating = pl.col(RATING)
        aggs += [
            _fixed(rating).sum().alias("_rating_sum"),
            rating.count().cast(pl.Int32).alias("_rating_n"),
            rating.min().alias("_rating_min"),
            (rating <= 2).sum().cast(pl.Int32).alias("_low_n"),
        ]
    for channel, column in _channel_columns(vocab).items():
        aggs.append((pl.col(CHANNEL) == channel).sum().cast(pl.Int32).alias(column))
    if ORDER_ID not in cols:
        aggs.append(p.sum().cast(pl.Int32).alias("_orders"))
        if has_coupon:
            aggs.append((p & pl.col(_COUPON)).sum().cast(pl.Int32).alias("_coupon_orders"))
    daily = lf.group_by(by_day).agg(aggs)
    if ORDER_ID in cols:
        order_aggs = [pl.col(_DAY).min()]
        if has_coupon:
            order_aggs.append(pl.col(_COUPON).any().alias("_cpn"))
        per_day = [pl.len().cast(pl.Int32).alias("_orders")]
        if has_coupon:
            per_day.append(pl.col("_cpn").sum().cast(pl.Int32).alias("_coupon_orders"))
        orders = (
            lf.filter(p & pl.col(ORDER_ID).is_not_null())
            .group_by(_KEY, ORDER_ID)
            .agg(order_aggs)
            .group_by(by_day)
            .agg(per_day)
        )
        fill = ["_orders", "_coupon_orders"] if has_coupon else ["_orders"]
        daily = daily.join(orders, on=by_day, how="left").with_columns(pl.col(fill).fill_null(0))
    products = None
    product_cols = [c for c in (PRODUCT_ID, CATEGORY) if c in cols]
    if product_cols:
        products = lf.filter(p).select(*by_day, *product_cols).unique()
    return daily, products


def _event_features(
    c_day: int, vocab: Vocabulary, definition: ChurnDefinition
) -> tuple[list[pl.Expr], list[pl.Expr], list[pl.Expr], list[str], list[str]]:
    """Aggregations over the daily table at one cut-off, two rounds of derived
    columns, the feature names in order and the categorical ones."""
    day = pl.col(_DAY)
    f64 = pl.Float64
    cols = vocab.columns
    has_amount = AMOUNT in cols
    has_types = _has_types(vocab)
    type_cols = _type_columns(vocab)
    window = _window_days(definition)

    def within(days: int) -> pl.Expr:
        return day >= c_day - days

    def since(expr: pl.Expr) -> pl.Expr:
        return (pl.lit(c_day, pl.Int32) - expr).cast(f64)

    def total(column: str, days: int | None = None) -> pl.Expr:
        value = pl.col(column)
        if days is not None and days < window:
            value = pl.when(within(days)).then(value)
        return value.sum().cast(f64)

    def last_day(column: str) -> pl.Expr:
        return since(pl.when(pl.col(column) > 0).then(day).max())

    lookback = within(definition.lookback_days)
    aggs: list[pl.Expr] = [
        ((pl.col("_nq") > 0) & lookback).any().alias("_in_population"),
        last_day("_nq").alias("recency_days"),
        ((pl.col("_nq") > 0) & lookback).sum().cast(f64).alias("frequency"),
        (
            (pl.when(lookback).then(pl.col("_spend")).sum().cast(f64) / _SCALE)
            if has_amount
            else pl.lit(0.0, f64)
        ).alias("monetary"),
        last_day("_np").alias("days_since_last_purchase"),
        _weekly_slope(day, pl.col("_orders"), c_day).alias("orders_slope_12w"),
        within(90).sum().cast(f64).alias("active_days_90d"),
        within(365).sum().cast(f64).alias("active_days_365d"),
    ]
    names = [*RFM_FEATURES]
    activity_is_purchase = not definition.counts_any_activity and set(definition.activity) == {
        PURCHASE
    }
    if not activity_is_purchase:  # otherwise it is recency_days again
        names.append("days_since_last_purchase")
    if has_types:
        aggs.append(since(day.max()).alias("days_since_last_event"))
        names.append("days_since_last_event")
    names.append("tenure_days")
    for d in ORDER_WINDOWS:
        aggs.append(total("_orders", d).alias(f"orders_{d}d"))
        names.append(f"orders_{d}d")
    if has_amount:
        for d in ORDER_WINDOWS:
            aggs.append((total("_spend", d) / _SCALE).alias(f"spend_{d}d"))
            names.append(f"spend_{d}d")
        names.append("avg_order_value")
    names.append("orders_trend_90d")
    if has_amount:
        names.append("spend_trend_90d")
    if has_types:
        aggs.append(total("_ne", 90).alias("_events_90d"))
        aggs.append(total("_ne", 180).alias("_events_180d"))
        names.append("events_trend_90d")
    names += ["gap_mean_days", "gap_std_days", "gap_ratio", "gap_survival", "days_overdue"]
    names += ["orders_slope_12w", "active_days_90d", "active_days_365d"]
    if has_types:
        aggs.append(_weekly_slope(day, pl.col("_ne"), c_day).alias("events_slope_12w"))
        names.append("events_slope_12w")

    if has_types:
        for t, column in type_cols.items():
            if t in (REFUND, SERVICE):
                continue
            for d in (30, 365):
                name = f"events{column[2:]}_{d}d"
                aggs.append(total(column, d).alias(name))
                names.append(name)
    derived: list[pl.Expr] = [since(pl.col("_first_day")).alias("tenure_days")]
    if "cart" in type_cols:
        aggs.append(total(type_cols["cart"], 365).alias("_carts"))
    if "view" in type_cols and "cart" in type_cols:
        aggs.append(total(type_cols["view"], 365).alias("_views"))
        derived.append(_ratio("_carts", "_views").alias("view_to_cart"))
        names.append("view_to_cart")
    if "cart" in type_cols:
        aggs.append(total("_np", 365).alias("_purchase_events"))
        derived.append(_ratio("_purchase_events", "_carts").alias("cart_to_purchase"))
        names.append("cart_to_purchase")
    if PRODUCT_ID in cols:
        names.append("distinct_products")
    if CATEGORY in cols:
        names.append("distinct_categories")
    if REFUND in type_cols:
        aggs.append(total(type_cols[REFUND], 365).alias("refunds_365d"))
        names.append("refunds_365d")
        if has_amount:
            aggs.append((total("_refund_value", 365) / _SCALE).alias("refund_value_365d"))
            names += ["refund_value_365d", "refund_share"]
            derived.append(_ratio("refund_value_365d", "spend_365d").alias("refund_share"))
        aggs.append(last_day(type_cols[REFUND]).alias("days_since_last_refund"))
        names.append("days_since_last_refund")
    if RATING in cols:
        aggs += [
            total("_rating_sum", 365).alias("_rating_sum"),
            total("_rating_n", 365).alias("_rating_n"),
            pl.when(within(365)).then(pl.col("_rating_min")).min().cast(f64).alias("rating_min"),
            total("_low_n", 365).alias("low_ratings"),
            last_day("_low_n").alias("days_since_low_rating"),
        ]
        derived.append((_ratio("_rating_sum", "_rating_n") / _SCALE).alias("rating_mean"))
        names += ["rating_mean", "rating_min", "low_ratings", "days_since_low_rating"]
    if SERVICE in type_cols:
        column = type_cols[SERVICE]
        aggs += [
            total(column, 365).alias("service_contacts_365d"),
            total(column, 90).alias("service_contacts_90d"),
            last_day(column).alias("days_since_last_service"),
        ]
        names += ["service_contacts_365d", "service_contacts_90d", "days_since_last_service"]
    if COUPON in cols:
        aggs.append(total("_coupon_orders", 365).alias("_coupon_orders"))
        derived.append(_ratio("_coupon_orders", "orders_365d").alias("coupon_share"))
        names.append("coupon_share")
    channel_cols = _channel_columns(vocab)
    if CHANNEL in cols:
        aggs.append(total("_ne", 365).alias("_events_365d"))
        shares = []
        for column in channel_cols.values():
            name = f"channel_share{column[3:]}"
            aggs.append(total(column, 365).alias(f"_n{column}"))
            derived.append(_ratio(f"_n{column}", "_events_365d").alias(name))
            names.append(name)
            shares.append(f"_n{column}")
        names.append("main_channel")

    def trend(recent: pl.Expr, previous: pl.Expr) -> pl.Expr:
        both = recent + previous
        return pl.when(both > 0).then((recent - previous) / both).otherwise(0.0)

    derived.append(
        trend(pl.col("orders_90d"), pl.col("orders_180d") - pl.col("orders_90d")).alias(
            "orders_trend_90d"
        )
    )
    if has_amount:
        derived += [
            _ratio("spend_365d", "orders_365d").alias("avg_order_value"),
            trend(pl.col("spend_90d"), pl.col("spend_180d") - pl.col("spend_90d")).alias(
                "spend_trend_90d"
            ),
        ]
    if has_types:
        derived.append(
            trend(pl.col("_events_90d"), pl.col("_events_180d") - pl.col("_events_90d")).alias(
                "events_trend_90d"
            )
        )
    # Gap mean and spread from exact integer sums: the same result whatever the row order.
    n, s, sq = pl.col("_gap_n"), pl.col("_gap_sum").cast(f64), pl.col("_gap_sq").cast(f64)
    derived += [
        pl.when(n > 0).then(s / n).otherwise(None).alias("gap_mean_days"),
        pl.when(n > 1)
        .then(((sq - s * s / n) / (n - 1)).clip(lower_bound=0.0).sqrt())
        .otherwise(None)
        .alias("gap_std_days"),
    ]
    second = [
        _ratio("days_since_last_purchase", "gap_mean_days").alias("gap_ratio"),
        (pl.col("days_since_last_purchase") - pl.col("gap_mean_days")).alias("days_overdue"),
        # share of the customer's own past gaps at least this long (smoothed: (k + 1) / (n + 2))
        pl.when(n > 0)
        .then((pl.col("_gaps_as_long").cast(f64) + 1.0) / (n.cast(f64) + 2.0))
        .otherwise(None)
        .alias("gap_survival"),
    ]
    if CHANNEL in cols:
        second.append(_main_channel(channel_cols).alias("main_channel"))
    categorical = ["main_channel"] if CHANNEL in cols else []
    names += text_signals.feature_names(cols)  # only when the log has review or service text
    return aggs, derived, second, names, categorical


GAP_COLUMNS = ("_gap_n", "_gap_sum", "_gap_sq", "_gaps_as_long")


def _gap_stats(purchases: pl.DataFrame, c_day: int, window: int) -> pl.LazyFrame:
    """Per customer key, over its purchase days in the window before the cut-off: how many
    gaps since the purchase day before (when that one is in the window too), their sum and
    sum of squares, and how many are at least as long as the gap open at the cut-off (the
    days since the last purchase day). Keys without a purchase day have no row.

    A query of its own over the purchase days, collected now (one cut-off's working memory
    at a time): inside the main aggregation of every day row, comparing each row with its
    group's maximum took a third of the group-by (10M events: 0.5 s of 1.5 s)."""
    day, previous = pl.col(_DAY), pl.col("_prev_pday")
    rows = purchases.lazy().filter((day >= c_day - window) & (day < c_day))
    last = rows.group_by(_KEY).agg(day.max().cast(pl.Int64).alias("_last_pday"))
    gap = pl.when(previous >= c_day - window).then((day - previous).cast(pl.Int64))
    open_gap = pl.lit(c_day, pl.Int64) - pl.col("_last_pday")
    return (
        rows.join(last, on=_KEY)
        .group_by(_KEY)
        .agg(
            gap.count().alias("_gap_n"),
            gap.sum().alias("_gap_sum"),
            (gap * gap).sum().alias("_gap_sq"),
            (gap >= open_gap).sum().alias("_gaps_as_long"),
        )
        .collect()
        .lazy()
    )


SLOPE_WEEKS = 12
"""Weekly activity slopes use the last this many whole weeks before the cut-off."""


def _weekly_slope(day: pl.Expr, count: pl.Expr, c_day: int) -> pl.Expr:
    """Least-squares slope of weekly counts over the last ``SLOPE_WEEKS`` weeks, per week.

    Week k = 0 is the one just before the cut-off; with weeks placed oldest to newest,
    the slope is sum((mean_k - k) * count) / sum((k - mean_k)^2) over the day rows (weeks
    without activity add nothing). Integer sums keep it exact whatever the row order.
    Positive: buying more lately; negative: slowing down.
    """
    weeks = SLOPE_WEEKS
    k = (pl.lit(c_day - 1, pl.Int64) - day.cast(pl.Int64)) // 7
    weight = (weeks - 1) - 2 * k  # 2 * (mean_k - k), an integer
    denominator = 2.0 * sum((i - (weeks - 1) / 2) ** 2 for i in range(weeks))
    inside = day >= c_day - 7 * weeks
    total = pl.when(inside).then(weight * count.cast(pl.Int64)).sum()
    return total.cast(pl.Float64) / denominator


def _fixed(value: pl.Expr) -> pl.Expr:
    """Money and ratings as integers of 1/10,000: integer sums do not depend on the
    order Polars' threads add rows in, so the same data always gives the same features."""
    return (value * _SCALE).round().cast(pl.Int64)


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    """numerator / denominator, missing when the denominator is 0 or missing."""
    return (
        pl.when(pl.col(denominator) > 0)
        .then(pl.col(numerator) / pl.col(denominator))
        .otherwise(None)
        .cast(pl.Float64)
    )


def _main_channel(channel_cols: dict[str, str]) -> pl.Expr:
    """The channel with the most events in the last year (ties: first by name)."""
    if not channel_cols:
        return pl.lit(None, pl.String)
    counts = [pl.col(f"_n{column}") for column in channel_cols.values()]
    best = pl.max_horizontal(counts)
    return pl.coalesce(
        [
            pl.when((count == best) & (best > 0)).then(pl.lit(channel))
            for channel, count in zip(channel_cols, counts, strict=True)
        ]
    ).cast(pl.String)


def _attribute_plan(
    customers: pl.DataFrame | None, taken: Sequence[str]
) -> list[tuple[str, str, str]]:
    """(source column, feature name, kind) for every usable customer attribute.

    Kinds: "category" (String), "number", "date". High-cardinality text (names,
    e-mails) is skipped: it cannot generalise and it is personal data.
    """
    if customers is None:
        return []
    plan: list[tuple[str, str, str]] = []
    reserved = {CUSTOMER_ID, "cutoff", LABEL, *taken}
    limit = max(50, customers.height // 2)
    for column, dtype in customers.schema.items():
        if column in (CUSTOMER_ID, LABEL):
            continue
        if dtype == pl.String:
            if customers.get_column(column).n_unique() > limit:
                logger.info("skipping attribute %s: too many distinct values", column)
                continue
            kind, name = "category", column
        elif dtype.is_numeric() or dtype == pl.Boolean:
            kind, name = "number", column
        elif dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
            kind, name = "date", f"{column}_days"
        else:
            continue
        if name in reserved:
            name = f"customer_{name}"
        if name in reserved:
            continue
        reserved.add(name)
        plan.append((column, name, kind))
    return plan


def _join_attributes(
    frame: FrameT,
    customers: pl.DataFrame | None,
    plan: list[tuple[str, str, str]],
    reference: pl.Expr,
) -> FrameT:
    """Join customer attributes; dates become days before ``reference`` (the cut-off)."""
    if not plan or customers is None:
        return frame
    source = customers.unique(subset=CUSTOMER_ID, keep="first", maintain_order=True)
    table = source.select(
        pl.col(CUSTOMER_ID).cast(pl.String),
        *[pl.col(column).alias(f"_attr_{name}") for column, name, _ in plan],
    )
    joined = frame.join(
        table.lazy() if isinstance(frame, pl.LazyFrame) else table,
        on=CUSTOMER_ID,
        how="left",
        maintain_order="left",
    )
    exprs = []
    for _, name, kind in plan:
        col = pl.col(f"_attr_{name}")
        if kind == "category":
            exprs.append(col.cast(pl.String).alias(name))
        elif kind == "number":
            exprs.append(col.cast(pl.Float64).alias(name))
        else:
            days = (reference - col.cast(pl.Date)).dt.total_days().cast(pl.Float64)
            exprs.append(pl.when(days >= 0).then(days).otherwise(None).alias(name))
    return joined.with_columns(exprs).drop([f"_attr_{name}" for _, name, _ in plan])


def _empty_frame(names: list[str], categorical: list[str]) -> pl.DataFrame:
    schema = {CUSTOMER_ID: pl.String, "cutoff": pl.Date}
    schema.update({n: (pl.String if n in categorical else pl.Float64) for n in names})
    return pl.DataFrame(schema=schema)


def build_features_with_names(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    cutoffs: Sequence[dt.date],
    definition: ChurnDefinition,
    vocab: Vocabulary | None = None,
    bgnbd_params: BgNbdParams | None = None,
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """``build_features`` plus the feature names and the categorical ones."""
    frame, names, categorical, _ = _features_plan(
        events, customers, cutoffs, definition, vocab, bgnbd_params
    )
    return frame.collect(), names, categorical


# Events rolled up, and day rows aggregated, in one group-by; more are done in parts
# (10M events: four parts each; peak memory 1.79 -> 1.3 GB, time the same).
EVENTS_PER_PART = 2_500_000
ROWS_PER_PART = 1_500_000


def _parts(rows: int, per_part: int) -> int:
    """How many parts of at most ``per_part`` rows (0 or 1: no parts)."""
    return -(-rows // per_part)


def _aggregate(rolled: pl.DataFrame, in_window: pl.Expr, aggs: list[pl.Expr]) -> pl.LazyFrame:
    """One row per customer key: ``aggs`` over its day rows in the window.

    A big roll-up is aggregated in parts of whole customers (by key), one part after
    another, so the group-by's working memory is one part's: scoring 10M events peaked at
    1.79 GB in one group-by and at 1.41 GB in four. Each customer's rows are the same in
    any part and sums are of fixed-point values, so counts and sums do not change; a quotient
    may move by a unit in the last place (Polars may divide by a constant as a product with
    its reciprocal in one group-by and not in another; at 10M the list is byte-identical)."""
    parts = _parts(rolled.height, ROWS_PER_PART)
    if parts <= 1:
        return rolled.lazy().filter(in_window).group_by(_KEY).agg(aggs)
    part = pl.col(_KEY) % parts
    return pl.concat(
        [
            rolled.lazy().filter(in_window & (part == k)).group_by(_KEY).agg(aggs).collect()
            for k in range(parts)
        ]
    ).lazy()


def _features_plan(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    cutoffs: Sequence[dt.date],
    definition: ChurnDefinition,
    vocab: Vocabulary | None = None,
    bgnbd_params: BgNbdParams | None = None,
    only: dict[dt.date, pl.Series] | None = None,
    keyed: tuple[CustomerKeys, RunningSpans] | None = None,
) -> tuple[pl.LazyFrame, list[str], list[str], dict[dt.date, BgNbdParams | None]]:
    """The feature table as one lazy query over the daily roll-up (collected once by the
    caller, so no intermediate copy of the wide table is ever held beside the next one).

    BG/NBD is fitted at each cut-off on the full qualifying history before it (or uses
    ``bgnbd_params``, e.g. a bundle's); the parameters used are returned by cut-off.
    ``only`` limits the rows of some cut-offs to the given customer ids (a training
    sample): their features are the same as without it, at a fraction of the cost.
    ``keyed``: the customer keys and their qualifying days' running spans, when the caller has
    them (for these cut-offs)."""
    cutoffs = sorted(set(cutoffs))
    if vocab is None:
        vocab = vocabulary(events, before=max(cutoffs) if cutoffs else None)
    window = _window_days(definition)
    # tenure needs each customer's first day, however old
    keys, spans = keyed if keyed is not None else (customer_keys(events.lazy()), None)
    seen = events.lazy()
    whole_past = True  # whether ``seen`` holds every event before the last cut-off
    if cutoffs:
        # Only the days that some cut-off can see are rolled up;
        # lazily: an eager filter would copy the whole log while the caller still holds it.
        first = cutoffs[0] - dt.timedelta(days=window)
        last = to_datetime(cutoffs[-1])
        seen = seen.filter((pl.col(TIMESTAMP) >= to_datetime(first)) & (pl.col(TIMESTAMP) < last))
        starts = keys.table.get_column("_first_day")
        whole_past = not starts.len() or starts.min() >= _day_number(first)  # type: ignore[operator]
    # BG/NBD fits (SciPy, mostly one thread) run beside the Polars roll-up and aggregation
    if spans is not None:
        chain = beside(_bgnbd_by_cutoff, spans, keys, cutoffs, definition, bgnbd_params)
    rollup = _daily(seen, vocab, definition, keys, _parts(events.height, EVENTS_PER_PART))
    if spans is None:
        if whole_past:
            # the qualifying days are the roll-up's days with a qualifying event: no second pass
            active = rollup.days.filter(pl.col("_nq") > 0).select(_KEY, _DAY)
        else:  # older history than the roll-up holds (BG/NBD reads all of it)
            active = _active_key_days(events, definition, keys, cutoffs[-1] if cutoffs else None)
        chain = beside(_bgnbd_by_cutoff, active, keys, cutoffs, definition, bgnbd_params)
    texts = text_signals.text_table(seen, vocab.columns)
    fitted: dict[dt.date, BgNbdParams | None] = {}
    frames: list[pl.LazyFrame] = []
    plans: list[tuple[dt.date, pl.LazyFrame, list[pl.Expr], list[pl.Expr], list[str]]] = []
    names: list[str] = []
    categorical: list[str] = []
    subsets: dict[int, Rollup] = {}
    for cutoff in cutoffs:
        c_day = _day_number(cutoff)
        aggs, derived, second, names, categorical = _event_features(c_day, vocab, definition)
        part = rollup
        if only is not None and cutoff in only:
            ids = only[cutoff]
            if id(ids) not in subsets:  # one filtered copy per distinct sample
                wanted = keys.table.filter(pl.col(CUSTOMER_ID).is_in(ids.implode()))
                subsets[id(ids)] = rollup.of(wanted.get_column(_KEY).implode())
            part = subsets[id(ids)]
        in_window = (pl.col(_DAY) >= c_day - window) & (pl.col(_DAY) < c_day)
        frame = (
            _aggregate(part.days, in_window, aggs)
            .filter(pl.col("_in_population"))
            .join(_gap_stats(part.purchases, c_day, window), on=_KEY, how="left")
            .with_columns(pl.col(GAP_COLUMNS).fill_null(0))
            .join(keys.table.lazy(), on=_KEY, how="left")  # the id and the first day
        )
        if part.products is not None:
            product_aggs = [
                pl.col(column).drop_nulls().n_unique().cast(pl.Float64).alias(name)
                for column, name in (
                    (PRODUCT_ID, "distinct_products"),
                    (CATEGORY, "distinct_categories"),
                )
                if column in part.products.columns
            ]
            bought = (
                part.products.lazy()
                .filter((pl.col(_DAY) >= c_day - 365) & (pl.col(_DAY) < c_day))
                .group_by(_KEY)
                .agg(product_aggs)
            )
            frame = frame.join(bought, on=_KEY, how="left").with_columns(
                pl.col([e.meta.output_name() for e in product_aggs]).fill_null(0.0)
            )
        if texts is not None:
            written = text_signals.cutoff_features(texts, c_day, vocab.columns)
            frame = frame.join(written, on=CUSTOMER_ID, how="left").with_columns(
                text_signals.fill_absent(text_signals.feature_names(vocab.columns))
            )
        plans.append((cutoff, frame, derived, second, names))
    for cutoff, frame, derived, second, names in plans:
        buy_till_you_die, fitted[cutoff] = chain.result()[cutoff]
        frame = frame.join(buy_till_you_die.lazy(), on=CUSTOMER_ID, how="left")
        names = names + list(bgnbd.FEATURES)
        frame = (
            frame.with_columns(derived)
            .with_columns(second)
            .select(
                pl.col(CUSTOMER_ID),
                pl.lit(cutoff, pl.Date).alias("cutoff"),
                *[pl.col(n) for n in names],
            )
        )
        frames.append(frame)
    if not frames:
        _, _, _, names, categorical = _event_features(0, vocab, definition)
        names = names + list(bgnbd.FEATURES)
        result = _empty_frame(names, categorical).lazy()
    else:
        result = pl.concat(frames).sort("cutoff", CUSTOMER_ID)
    attributes = _attribute_plan(customers, names)
    result = _join_attributes(result, customers, attributes, pl.col("cutoff"))
    names = names + [name for _, name, _ in attributes]
    categorical = categorical + [name for _, name, kind in attributes if kind == "category"]
    return result, names, categorical, fitted


@dataclass(frozen=True)
class DaySpans:
    """Each customer key's qualifying days summarised between consecutive cut-offs.

    ``frame`` has one row per key and span (``_span``: how many cut-offs fall on or before
    the day, 0 before the first) with the span's first and last day and number of days.
    Labels and BG/NBD summaries at every cut-off are small sums over these rows, instead of
    a pass over every qualifying day per cut-off (10M events: 6.5M days, ~1M span rows)."""

    frame: pl.DataFrame
    edges: tuple[int, ...]
    """The cut-offs' day numbers, ascending."""

    @classmethod
    def of(cls, active: pl.DataFrame, cutoffs: Sequence[dt.date]) -> DaySpans:
        edges = tuple(sorted({_day_number(c) for c in cutoffs}))
        day = pl.col(_DAY)
        span = pl.sum_horizontal([(day >= edge).cast(pl.Int32) for edge in edges] or [0])
        frame = (
            active.lazy()
            .group_by(_KEY, span.cast(pl.Int32).alias("_span"))
            .agg(day.min().alias("_first"), day.max().alias("_last"), pl.len().alias("_n"))
            .collect()
        )
        return cls(frame, edges)

    def running(self, ranked: pl.DataFrame) -> RunningSpans:
        """The spans in customer id order (``ranked``: ``CustomerKeys.ranked``), each with
        the customer's first day, last day and number of days up to its end."""
        # A customer's spans follow one another in time, so the running last day is the
        # span's own, the first day is the first span's and the count a running sum from
        # the customer's first row: plain passes down the sorted rows, no window group-by.
        key = pl.col("_rank")
        starts = (key != key.shift(1)).fill_null(True)
        total = pl.col("_n").cast(pl.Int64).cum_sum()
        frame = (
            self.frame.lazy()
            .join(ranked.lazy(), on=_KEY)
            .sort("_rank", "_span")
            .select(
                _KEY,
                CUSTOMER_ID,
                "_rank",
                "_span",
                pl.when(starts).then(pl.col("_first")).forward_fill().alias("_first"),
                "_last",
                (total - pl.when(starts).then(total - pl.col("_n")).forward_fill())
                .cast(pl.UInt32)
                .alias("_n"),
                # the first day of the customer's next span (null after the last)
                pl.when(key.shift(-1) == key).then(pl.col("_first").shift(-1)).alias("_next"),
            )
            .collect()
        )
        return RunningSpans(frame, self.edges)


@dataclass(frozen=True)
class RunningSpans:
    """``DaySpans`` in customer id order with running totals: a customer's qualifying days
    before a cut-off are one row (the last span before it), found by a filter, not a group-by
    per cut-off and a sort of the ids."""

    frame: pl.DataFrame
    edges: tuple[int, ...]

    def before(self, cutoff: dt.date) -> pl.LazyFrame:
        """Per customer with a qualifying day before ``cutoff``, in id order: ``_key``,
        customer_id, the first and last such day (``_first``, ``_last``), their number
        (``_n``) and the first qualifying day on or after the cut-off (``_next``, or null)."""
        index = self.edges.index(_day_number(cutoff))
        key, span = pl.col("_rank"), pl.col("_span")
        last_before = (span <= index) & ((key.shift(-1) != key) | (span.shift(-1) > index))
        return (
            self.frame.lazy()
            .filter(last_before.fill_null(True))
            .select(_KEY, CUSTOMER_ID, "_first", "_last", "_n", "_next")
        )


def _bgnbd_by_cutoff(
    spans: RunningSpans | pl.DataFrame,
    keys: CustomerKeys,
    cutoffs: Sequence[dt.date],
    definition: ChurnDefinition,
    params: BgNbdParams | None,
) -> dict[dt.date, tuple[pl.DataFrame, BgNbdParams | None]]:
    """BG/NBD features and parameters at each cut-off, fitted on the full qualifying history
    before it (unless ``params`` are given), each fit starting from the one before.
    ``spans``: the qualifying days' running spans, or the qualifying days themselves (key,
    day)."""
    # the fit's seeded sample follows the ids' order: the running spans come in it
    running = (
        DaySpans.of(spans, cutoffs).running(keys.ranked())
        if isinstance(spans, pl.DataFrame)
        else spans
    )
    out: dict[dt.date, tuple[pl.DataFrame, BgNbdParams | None]] = {}
    previous: BgNbdParams | None = None
    for cutoff in cutoffs:
        c_day = _day_number(cutoff)
        summary = running.before(cutoff).drop("_next").collect()
        out[cutoff] = bgnbd.summary_features(
            summary,
            c_day,
            definition.horizon_days,
            params,
            since_day=c_day - definition.lookback_days,
            start=previous,  # cut-offs a step apart have close optima: start from the last
        )
        previous = out[cutoff][1] or previous
    return out


def _active_key_days(
    events: pl.DataFrame, definition: ChurnDefinition, keys: CustomerKeys, before: dt.date | None
) -> pl.DataFrame:
    """``_active_days`` by customer key: one row per key and qualifying day before ``before``."""
    lf = events.lazy()
    if before is not None:
        lf = lf.filter(pl.col(TIMESTAMP) < to_datetime(before))
    return (
        lf.filter(qualifying(events, definition))
        .select(keys.expr(), pl.col(TIMESTAMP).dt.date().cast(pl.Int32).alias(_DAY))
        .unique()
        .collect()
    )


def _key_labels(
    running: RunningSpans, cutoffs: Sequence[dt.date], definition: ChurnDefinition
) -> pl.DataFrame:
    """``windows.build_labels`` from the qualifying days' running spans (one pass over the
    log shared with BG/NBD): the population has a qualifying day in the lookback, and
    churned when it has none in ``[C, C + horizon)``."""
    schema = {CUSTOMER_ID: pl.String, "cutoff": pl.Date, "label": pl.Int8}
    if not cutoffs:
        return pl.DataFrame(schema=schema)
    frames = []
    for cutoff in sorted(cutoffs):  # each cut-off's rows come in id order
        c_day = _day_number(cutoff)
        start, end = c_day - definition.lookback_days, c_day + definition.horizon_days
        stayed = pl.col("_next") < end
        frames.append(
            running.before(cutoff)
            .filter(pl.col("_last") >= start)
            .select(
                CUSTOMER_ID,
                pl.lit(cutoff, pl.Date).alias("cutoff"),
                (~stayed.fill_null(False)).cast(pl.Int8).alias("label"),
            )
        )
    return pl.concat(frames).collect().cast(schema)


def _active_days(
    events: pl.DataFrame, definition: ChurnDefinition, before: dt.date | None
) -> pl.DataFrame:
    """One row per customer and day with qualifying activity, over the whole history
    before ``before`` (BG/NBD needs each customer's first purchase, however long ago)."""
    lf = events.lazy()
    if before is not None:
        lf = lf.filter(pl.col(TIMESTAMP) < to_datetime(before))
    return (
        lf.filter(qualifying(events, definition))
        .select(
            pl.col(CUSTOMER_ID).cast(pl.String),
            pl.col(TIMESTAMP).dt.date().cast(pl.Int32).alias(_DAY),
        )
        .unique()
        .collect()
    )


def build_features(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    cutoffs: Sequence[dt.date],
    definition: ChurnDefinition,
) -> pl.DataFrame:
    """Features for the population of every cut-off, from events strictly before it.

    Columns: customer_id, cutoff (Date), then the features (Float64, String for
    categorical ones). Built from the columns the log has; absent ones are skipped.
    """
    frame, _, _ = build_features_with_names(events, customers, cutoffs, definition)
    return frame


def build_training_set(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    definition: ChurnDefinition,
    *,
    max_fit_rows: int | None = None,
    seed: int = 0,
) -> FeatureSet:
    """Features and labels at every cut-off of the plan; the plan carries the warnings.

    With ``max_fit_rows``, when the labelled rows of all cut-offs exceed it, the earlier
    cut-offs are built only for the seeded sample of whole customers that training fits
    on (``fitting_sample``, recorded in ``fit_customers``); the evaluation cut-off keeps
    every customer. Training on the result gives the same model as on the full set.
    """
    plan = plan_cutoffs(events, definition)
    keys = customer_keys(events.lazy())
    # qualifying days between cut-offs, in id order with running totals: labels and BG/NBD
    spans = DaySpans.of(_active_key_days(events, definition, keys, None), plan.cutoffs)
    running = spans.running(keys.ranked())
    del spans
    labels = _key_labels(running, plan.cutoffs, definition)
    plan.warnings.extend(check_labels(labels))
    vocab = vocabulary(events, before=plan.as_of)
    sample = None
    if max_fit_rows is not None:
        sample = fitting_sample(labels, max_fit_rows, seed)
    only, counts = None, None
    if sample is not None:
        counts = labels.select("cutoff", "label")
        only = {c: sample for c in plan.cutoffs if c != plan.eval_cutoff}
        labels = labels.filter(
            (pl.col("cutoff") == plan.eval_cutoff) | pl.col(CUSTOMER_ID).is_in(sample.implode())
        )
    features, names, categorical, fitted = _features_plan(
        events, customers, plan.cutoffs, definition, vocab, only=only, keyed=(keys, running)
    )
    frame = (
        features.join(labels.lazy(), on=[CUSTOMER_ID, "cutoff"], how="inner", maintain_order="left")
        .select(CUSTOMER_ID, "cutoff", "label", *names)
        .collect()
    )
    return FeatureSet(
        frame=frame,
        feature_names=names,
        categorical=categorical,
        plan=plan,
        bgnbd=fitted,
        fit_customers=sample,
        label_counts=counts,
    )


def fitting_sample(rows: pl.DataFrame | pl.LazyFrame, limit: int, seed: int) -> pl.Series | None:
    """The seeded sample of whole customers that training fits on when ``rows`` (customer ×
    cut-off) exceed ``limit``: about ``limit`` rows' worth of customers; None when all fit."""
    rows = rows.lazy()
    height = rows.select(pl.len()).collect().item()
    if height <= limit:
        return None
    ids = rows.select(pl.col(CUSTOMER_ID).unique().sort()).collect().to_series()
    keep = max(1, int(len(ids) * limit / height))
    chosen = np.sort(np.random.default_rng(seed).permutation(len(ids))[:keep])
    logger.info("fitting on %d of %d customers (max_fit_rows=%d)", keep, len(ids), limit)
    return ids.gather(chosen)


def _is_zero_when_absent(name: str) -> bool:
    """Counts and shares of an event type or channel never seen mean zero, not missing."""
    return name.startswith(("events_", "channel_share_"))


def build_scoring_set(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    definition: ChurnDefinition,
    as_of: dt.date | None = None,
    *,
    feature_names: Sequence[str] | None = None,
    categorical: Sequence[str] | None = None,
    bgnbd_params: BgNbdParams | None = None,
) -> FeatureSet:
    """Features of today's customers (no label), as of ``as_of`` or the day after the data.

    Events on or after ``as_of`` are ignored. ``feature_names`` (and ``categorical``),
    e.g. from a saved model, force the columns: a count for an event type absent
    now is 0, any other missing feature is null, extra features are dropped.
    ``bgnbd_params`` (a bundle's, fitted at its last cut-off) are used instead of a new
    BG/NBD fit, so scoring reproduces the features the model was trained on.
    """
    plan: CutoffPlan | None
    try:
        plan = plan_cutoffs(events, definition)
    except DataError:
        plan = None
    if as_of is None:
        if plan is not None:
            as_of = plan.as_of
        elif events.height:
            as_of = events.get_column(TIMESTAMP).max().date() + dt.timedelta(days=1)
        else:
            raise DataError("error.features.no_events_to_score")
    past = events
    latest = events.get_column(TIMESTAMP).max() if events.height else None
    if latest is not None and latest >= to_datetime(as_of):  # a copy only when events must go
        past = events.filter(pl.col(TIMESTAMP) < to_datetime(as_of))
    vocab = vocabulary(past)
    frame, names, cats = build_features_with_names(
        past, customers, [as_of], definition, vocab, bgnbd_params
    )
    if feature_names is not None:
        wanted = list(feature_names)
        wanted_cats = (
            list(categorical) if categorical is not None else [n for n in wanted if n in cats]
        )
        frame = in_model_columns(frame, wanted, wanted_cats)
        names, cats = wanted, wanted_cats
    if plan is not None:
        plan.as_of = as_of
    return FeatureSet(frame=frame, feature_names=names, categorical=cats, plan=plan)


def build_table_set(
    customers: pl.DataFrame, label: str = LABEL, *, require_label: bool = True
) -> FeatureSet:
    """A customer table: its attributes are the features, the cut-off is null.

    For training (``require_label``) the label must say 1/0 with both outcomes
    present; for scoring a table without labels, pass ``require_label=False``.
    Date attributes become days before the table's latest date plus one day.
    """
    if not require_label:
        table = (
            customers
            if label in customers.columns
            else customers.with_columns(pl.lit(None, dtype=pl.Int8).alias(label))
        )
        return _table_features(table, label)
    if label not in customers.columns:
        raise DataError(
            "error.features.no_label_column",
            hint="error.features.no_label_column.hint",
            label=label,
        )
    labels = customers.get_column(label)
    if not labels.dtype.is_numeric() and labels.dtype != pl.Boolean:
        raise DataError(
            "error.features.label_not_binary",
            hint="error.features.label_not_binary.hint",
            label=label,
        )
    table = customers.filter(pl.col(label).is_not_null())
    dropped = customers.height - table.height
    if dropped:
        logger.warning("%d customers without a churn label were left out", dropped)
    values = set(table.get_column(label).cast(pl.Int8).unique().to_list())
    if not values <= {0, 1}:
        raise DataError(
            "error.features.label_other_values",
            hint="error.features.label_not_binary.hint",
            label=label,
        )
    if len(values) < 2:
        raise DataError("error.features.one_label", hint="error.features.one_label.hint")
    return _table_features(table, label)


def _table_features(table: pl.DataFrame, label: str) -> FeatureSet:
    source = table.rename({label: LABEL}) if label != LABEL else table
    plan = _attribute_plan(source, ())
    if not plan:
        raise DataError("error.features.no_attributes", hint="error.features.no_attributes.hint")
    dates = [pl.col(c).cast(pl.Date).max() for c, _, kind in plan if kind == "date"]
    reference = pl.lit(None, pl.Date)
    if dates:
        latest = source.select(pl.max_horizontal(dates)).item()
        reference = pl.lit(latest + dt.timedelta(days=1) if latest else None, pl.Date)
    frame = source.select(
        pl.col(CUSTOMER_ID).cast(pl.String),
        pl.lit(None, pl.Date).alias("cutoff"),
        pl.col(LABEL).cast(pl.Int8),
    )
    frame = _join_attributes(frame, source, plan, reference)
    names = [name for _, name, _ in plan]
    categorical = [name for _, name, kind in plan if kind == "category"]
    return FeatureSet(frame=frame, feature_names=names, categorical=categorical, plan=None)


def in_model_columns(
    frame: pl.DataFrame, wanted: list[str], categorical: list[str]
) -> pl.DataFrame:
    """Feature rows in a model's columns: a count the data cannot have is 0 (no events of that
    type), anything else absent is missing."""
    fill = []
    for name in wanted:
        if name in frame.columns:
            continue
        if name in categorical:
            fill.append(pl.lit(None, pl.String).alias(name))
        elif _is_zero_when_absent(name):
            fill.append(pl.lit(0.0, pl.Float64).alias(name))
        else:
            fill.append(pl.lit(None, pl.Float64).alias(name))
    return frame.with_columns(fill).select(CUSTOMER_ID, "cutoff", *wanted)
