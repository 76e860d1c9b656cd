"""Properties over random valid event logs (hypothesis): feature invariants, labels, scoring."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from churnlab.config import ChurnDefinition, Settings, TrainingConfig
from churnlab.features import build_features
from churnlab.ingest.loading import ShopData
from churnlab.pipeline import score, train
from churnlab.windows import build_labels

START = dt.datetime(2023, 1, 1)
SPAN_DAYS = 600
TYPES = ("purchase", "purchase", "view", "cart", "refund")
PROPS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure is reported at once
)


@st.composite
def event_logs(draw, min_customers: int = 2, max_customers: int = 8) -> pl.DataFrame:
    """A few customers with random times, amounts and event types over about 20 months."""
    rows = []
    for c in range(draw(st.integers(min_customers, max_customers))):
        for _ in range(draw(st.integers(1, 25))):
            rows.append(
                (
                    f"C{c}",
                    START + dt.timedelta(minutes=draw(st.integers(0, SPAN_DAYS * 1440))),
                    draw(st.sampled_from(TYPES)),
                    draw(st.floats(0, 5000, allow_nan=False).map(lambda v: round(v, 2))),
                )
            )
    frame = pl.DataFrame(
        rows,
        schema={
            "customer_id": pl.String,
            "timestamp": pl.Datetime("us"),
            "event_type": pl.String,
            "amount": pl.Float64,
        },
        orient="row",
    )
    return frame.unique(maintain_order=True).sort("timestamp", "customer_id")


cutoffs = st.dates(dt.date(2023, 3, 1), dt.date(2024, 8, 1))
definitions = st.builds(
    ChurnDefinition,
    horizon_days=st.sampled_from([30, 60, 90]),
    lookback_days=st.sampled_from([90, 180, 365]),
    activity=st.sampled_from([("purchase",), ("any",), ("purchase", "cart")]),
)

WINDOWS = (30, 90, 180, 365)
#: Counts and sums (not trends or ratios, which may be negative).
COUNT_OR_SPEND = re.compile(r"(orders|spend|events_\w+?)_\d+d|frequency|monetary")


@PROPS
@given(events=event_logs(), cutoff=cutoffs, definition=definitions)
def test_features_respect_their_invariants(events, cutoff, definition) -> None:
    frame = build_features(events, None, [cutoff], definition)
    if frame.height == 0:
        return
    for name, dtype in frame.schema.items():
        if dtype == pl.Float64:
            values = frame.get_column(name).drop_nulls()
            assert values.is_finite().all(), name
            if COUNT_OR_SPEND.fullmatch(name) and "trend" not in name:
                assert (values >= 0).all(), name
    if {"recency_days", "tenure_days"} <= set(frame.columns):
        both = frame.drop_nulls(["recency_days", "tenure_days"])
        assert (both["recency_days"] <= both["tenure_days"]).all()
        assert (both["recency_days"] >= 0).all()
    for prefix in ("spend", "orders"):
        present = [f"{prefix}_{d}d" for d in WINDOWS if f"{prefix}_{d}d" in frame.columns]
        assert len(present) >= 2, (prefix, frame.columns)
        for shorter, longer in itertools.pairwise(present):
            pair = frame.select(
                pl.col(shorter).fill_null(0), pl.col(longer).fill_null(0)
            ).to_numpy()
            assert (pair[:, 0] <= pair[:, 1] + 1e-6).all(), (shorter, longer)
    # Nothing at or after the cut-off is visible: the population is active before it.
    assert frame.get_column("cutoff").unique().to_list() == [cutoff]


def brute_force_labels(
    events: pl.DataFrame, cutoff: dt.date, definition: ChurnDefinition
) -> dict[str, int]:
    """The churn definition, one customer at a time, in plain Python."""
    c = dt.datetime.combine(cutoff, dt.time())
    look = c - dt.timedelta(days=definition.lookback_days)
    end = c + dt.timedelta(days=definition.horizon_days)
    counts = definition.counts_any_activity

    def qualifies(row: dict) -> bool:
        return counts or row["event_type"] in definition.activity

    labels: dict[str, int] = {}
    for row in events.iter_rows(named=True):
        if qualifies(row) and look <= row["timestamp"] < c:
            labels.setdefault(row["customer_id"], 1)
    for row in events.iter_rows(named=True):
        if row["customer_id"] in labels and qualifies(row) and c <= row["timestamp"] < end:
            labels[row["customer_id"]] = 0
    return labels


@PROPS
@given(events=event_logs(), cuts=st.lists(cutoffs, min_size=1, max_size=3), definition=definitions)
def test_labels_follow_the_definition(events, cuts, definition) -> None:
    labels = build_labels(events, cuts, definition)
    for cutoff in sorted(set(cuts)):
        got = {
            row["customer_id"]: row["label"]
            for row in labels.filter(pl.col("cutoff") == cutoff).iter_rows(named=True)
        }
        assert got == brute_force_labels(events, cutoff, definition), cutoff


@pytest.fixture(scope="module")
def fitted():
    """One small model for the module, on a seeded log with a clear signal."""
    rng = np.random.default_rng(0)
    rows = []
    for c in range(160):
        loyal = rng.random() < 0.5
        n = int(rng.integers(6, 15)) if loyal else int(rng.integers(1, 4))
        span = 560 if loyal else int(rng.integers(30, 300))
        for _ in range(n):
            when = START + dt.timedelta(
                days=int(rng.integers(0, span)), hours=int(rng.integers(24))
            )
            rows.append((f"T{c}", when, "purchase", float(rng.uniform(5, 200))))
    events = pl.DataFrame(
        rows, schema=["customer_id", "timestamp", "event_type", "amount"], orient="row"
    ).cast({"timestamp": pl.Datetime("us")})
    shop = ShopData(events=events.unique(), customers=None, tables=[], source="test")
    return train(shop, Settings(training=TrainingConfig(tuning_seconds=2, max_trials=2)))


@settings(max_examples=15, deadline=None, derandomize=True, phases=PROPS.phases)
@given(events=event_logs(min_customers=1, max_customers=6))
def test_scoring_never_raises_on_new_logs(fitted, events) -> None:
    from churnlab.errors import DataError

    shop = ShopData(events=events, customers=None, tables=[], source="random")
    try:
        scored = score(fitted, shop)
    except DataError as error:  # nobody active before the scoring date: a clear refusal
        assert "active" in str(error)
        return
    probability = scored.frame.get_column("churn_probability").to_numpy()
    assert np.isfinite(probability).all() and ((probability >= 0) & (probability <= 1)).all()
    assert set(scored.frame.get_column("customer_id")) <= set(events.get_column("customer_id"))
    assert scored.frame.get_column("rank").to_list() == list(range(1, scored.frame.height + 1))
