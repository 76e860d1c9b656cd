"""No feature at a cut-off may depend on events on or after it (property tests)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from churnlab.config import ChurnDefinition
from churnlab.features import build_features, build_scoring_set

C = dt.date(2024, 3, 1)
MIDNIGHT = dt.datetime(2024, 3, 1)
START = dt.datetime(2023, 3, 1)
TYPES = ["view", "cart", "purchase", "refund", "review", "service", "favorite"]
SCHEMA = {
    "customer_id": pl.String,
    "timestamp": pl.Datetime("us"),
    "event_type": pl.String,
    "amount": pl.Float64,
    "order_id": pl.String,
    "product_id": pl.String,
    "category": pl.String,
    "channel": pl.String,
    "coupon": pl.String,
    "rating": pl.Float64,
}


def make_events(seed: int, n: int, lo: dt.datetime, hi: dt.datetime) -> pl.DataFrame:
    """``n`` random events of 8 customers between ``lo`` (inclusive) and ``hi``."""
    rng = np.random.default_rng(seed)
    span_us = int((hi - lo).total_seconds() * 1e6)
    offsets = rng.integers(0, max(span_us, 1), n)
    types = rng.choice(TYPES, n)
    return pl.DataFrame(
        {
            "customer_id": rng.choice(["a", "b", "c", "d", "e", "f", "g", "h"], n),
            "timestamp": [lo + dt.timedelta(microseconds=int(o)) for o in offsets],
            "event_type": types,
            "amount": np.round(rng.gamma(2.0, 15.0, n), 2),
            "order_id": [f"o{seed}-{i % 40}" for i in range(n)],
            "product_id": rng.choice(["p1", "p2", "p3", "p4"], n),
            "category": rng.choice(["k1", "k2"], n),
            "channel": rng.choice(["app", "web", "store"], n),
            "coupon": rng.choice(["SAVE5", "", "0"], n),
            "rating": np.where(types == "review", rng.integers(1, 6, n), np.nan),
        }
    ).with_columns(
        pl.col("coupon").replace("", None),
        pl.col("rating").fill_nan(None),
        pl.col("timestamp").cast(pl.Datetime("us")),
    )


CUSTOMERS = pl.DataFrame(
    {
        "customer_id": ["a", "b", "c", "d", "e", "f", "g", "h"],
        "tier": ["gold", "regular"] * 4,
        "signup": [START - dt.timedelta(days=30 * i) for i in range(8)],
    }
)
BASE = make_events(0, 300, START, MIDNIGHT + dt.timedelta(days=120))
DEFINITIONS = [
    ChurnDefinition(),
    ChurnDefinition(activity=("any",), lookback_days=90),
    ChurnDefinition(activity=("purchase", "cart"), lookback_days=500),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(1, 10_000),
    n_added=st.integers(0, 60),
    drop_share=st.floats(0.0, 1.0),
    definition=st.sampled_from(DEFINITIONS),
)
def test_events_on_or_after_cutoff_change_nothing(
    seed: int, n_added: int, drop_share: float, definition: ChurnDefinition
) -> None:
    before = build_features(BASE, CUSTOMERS, [C], definition)
    assert before.height > 0
    rng = np.random.default_rng(seed)
    later = BASE.filter(pl.col("timestamp") >= MIDNIGHT)
    keep = rng.random(later.height) >= drop_share
    added = make_events(seed, n_added, MIDNIGHT, MIDNIGHT + dt.timedelta(days=400))
    if n_added:  # some exactly at the cut-off, some with new event types and channels
        added = added.with_columns(
            pl.when(pl.int_range(pl.len()) % 5 == 0)
            .then(pl.lit(MIDNIGHT))
            .otherwise(pl.col("timestamp"))
            .alias("timestamp"),
            pl.when(pl.int_range(pl.len()) % 7 == 0)
            .then(pl.lit("wishlist"))
            .otherwise(pl.col("event_type"))
            .alias("event_type"),
            pl.when(pl.int_range(pl.len()) % 3 == 0)
            .then(pl.lit("tv"))
            .otherwise(pl.col("channel"))
            .alias("channel"),
        )
    changed = pl.concat(
        [BASE.filter(pl.col("timestamp") < MIDNIGHT), later.filter(pl.Series(keep)), added]
    ).sample(fraction=1.0, shuffle=True, seed=seed)
    after = build_features(changed, CUSTOMERS, [C], definition)
    assert_frame_equal(before, after)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000), n_added=st.integers(1, 60))
def test_scoring_set_ignores_events_after_as_of(seed: int, n_added: int) -> None:
    as_of = dt.date(2024, 4, 15)
    as_of_midnight = dt.datetime(2024, 4, 15)
    base = BASE.filter(pl.col("timestamp") < as_of_midnight)
    scored = build_scoring_set(base, CUSTOMERS, ChurnDefinition(), as_of=as_of)
    added = make_events(seed, n_added, as_of_midnight, as_of_midnight + dt.timedelta(days=200))
    rescored = build_scoring_set(
        pl.concat([base, added]), CUSTOMERS, ChurnDefinition(), as_of=as_of
    )
    assert scored.feature_names == rescored.feature_names
    assert_frame_equal(scored.frame, rescored.frame)


def test_cutoff_sees_an_event_the_moment_before_it() -> None:
    """The property tests above could pass with features that ignore everything:
    check that an event just before the cut-off does change them."""
    definition = ChurnDefinition()
    before = build_features(BASE, CUSTOMERS, [C], definition)
    extra = make_events(99, 1, MIDNIGHT - dt.timedelta(seconds=1), MIDNIGHT).with_columns(
        pl.lit("a").alias("customer_id"), pl.lit("purchase").alias("event_type")
    )
    after = build_features(pl.concat([BASE, extra]), CUSTOMERS, [C], definition)
    row = after.filter(pl.col("customer_id") == "a").row(0, named=True)
    assert row["recency_days"] == 1.0
    assert not before.equals(after)


def test_the_new_features_are_filled_and_see_the_past() -> None:
    """BG/NBD (fitted at the cut-off) and the rhythm features exist in the frames the
    property tests compare, so those tests cover them, and they react to past purchases."""
    definition = ChurnDefinition()
    before = build_features(BASE, CUSTOMERS, [C], definition)
    new = [
        "bgnbd_p_alive",
        "bgnbd_p_silent",
        "bgnbd_expected_purchases",
        "gap_survival",
        "days_overdue",
        "orders_slope_12w",
        "events_slope_12w",
    ]
    for name in new:
        assert before.get_column(name).is_not_null().any(), name
    extra = make_events(7, 3, MIDNIGHT - dt.timedelta(days=20), MIDNIGHT).with_columns(
        pl.lit("b").alias("customer_id"), pl.lit("purchase").alias("event_type")
    )
    after = build_features(pl.concat([BASE, extra]), CUSTOMERS, [C], definition)
    b_before = before.filter(pl.col("customer_id") == "b").select(new[:3] + new[5:6])
    b_after = after.filter(pl.col("customer_id") == "b").select(new[:3] + new[5:6])
    assert (b_before.row(0) != b_after.row(0)) and all(
        x != y for x, y in zip(b_before.row(0), b_after.row(0), strict=True)
    )


# --------------------------------------------------------------------------- what customers write

TEXTS = [
    "物流太慢了，差评",
    "质量很好，物流也快",
    "包装破损，要求退款",
    "Great product, love it",
    "Arrived late and broken, I want a refund",
    "When will my order ship?",
    None,
]


def with_texts(events: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Review texts on review rows and messages on service rows, drawn from ``TEXTS``."""
    rng = np.random.default_rng(seed)
    drawn = pl.Series(
        [TEXTS[i] for i in rng.integers(0, len(TEXTS), events.height)], dtype=pl.String
    )
    kind = pl.col("event_type")
    return events.with_columns(
        pl.when(kind == "review").then(drawn).otherwise(None).alias("review_text"),
        pl.when(kind == "service").then(drawn).otherwise(None).alias("service_text"),
    )


TEXT_BASE = with_texts(BASE, 0)
TEXT_FEATURES = [
    "negative_review_share_90d",
    "negative_review_share_365d",
    "last_review_sentiment",
    "days_since_negative_review",
    "complaint_texts_90d",
    "complaint_texts_365d",
    "days_since_complaint",
]


C0 = C - dt.timedelta(days=30)
MIDNIGHT0 = dt.datetime.combine(C0, dt.time())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000), n_added=st.integers(0, 60), drop_share=st.floats(0.0, 1.0))
def test_texts_on_or_after_the_cutoff_change_nothing(
    seed: int, n_added: int, drop_share: float
) -> None:
    """Two cut-offs, so texts between them are in the data but must not reach the first."""
    definition = ChurnDefinition()

    def first(events: pl.DataFrame) -> pl.DataFrame:
        frame = build_features(events, CUSTOMERS, [C0, C], definition)
        return frame.filter(pl.col("cutoff") == C0)

    before = first(TEXT_BASE)
    assert set(TEXT_FEATURES) <= set(before.columns) and before.height > 0
    rng = np.random.default_rng(seed)
    later = TEXT_BASE.filter(pl.col("timestamp") >= MIDNIGHT0)
    keep = rng.random(later.height) >= drop_share
    added = with_texts(
        make_events(seed, n_added, MIDNIGHT0, MIDNIGHT + dt.timedelta(days=400)), seed
    ).with_columns(  # some exactly at the cut-off, every one a review or a complaint
        pl.when(pl.int_range(pl.len()) % 4 == 0)
        .then(pl.lit(MIDNIGHT0))
        .otherwise(pl.col("timestamp"))
        .alias("timestamp"),
        pl.lit("包装破损，要求退款").alias("review_text"),
        pl.lit("Arrived late and broken, I want a refund").alias("service_text"),
    )
    changed = pl.concat(
        [TEXT_BASE.filter(pl.col("timestamp") < MIDNIGHT0), later.filter(pl.Series(keep)), added]
    ).sample(fraction=1.0, shuffle=True, seed=seed)
    assert_frame_equal(before, first(changed))


def test_a_text_the_moment_before_the_cutoff_counts() -> None:
    """The property test above could pass with text features that ignore everything."""
    definition = ChurnDefinition()
    before = build_features(TEXT_BASE, CUSTOMERS, [C], definition)
    extra = with_texts(
        make_events(5, 1, MIDNIGHT - dt.timedelta(seconds=1), MIDNIGHT), 5
    ).with_columns(
        pl.lit("a").alias("customer_id"),
        pl.lit("review").alias("event_type"),
        pl.lit("物流太慢了，差评").alias("review_text"),
        pl.lit(None, pl.String).alias("service_text"),
    )
    after = build_features(pl.concat([TEXT_BASE, extra]), CUSTOMERS, [C], definition)
    row = after.filter(pl.col("customer_id") == "a").row(0, named=True)
    assert row["days_since_negative_review"] == 1.0
    assert row["days_since_complaint"] == 1.0
    assert row["last_review_sentiment"] < 0
    assert not before.select(TEXT_FEATURES).equals(after.select(TEXT_FEATURES))
