"""Features on hand-built logs with hand-computed values, the training and scoring sets,
customer attributes, labelled customer tables and the bilingual catalogue."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import churnlab.features as features_module
from churnlab.catalogue import CATALOGUE, describe
from churnlab.config import ChurnDefinition
from churnlab.errors import DataError
from churnlab.features import (
    RFM_FEATURES,
    build_features,
    build_scoring_set,
    build_table_set,
    build_training_set,
)
from churnlab.windows import build_labels

C = dt.date(2024, 6, 1)
MIDNIGHT = dt.datetime(2024, 6, 1)

EVENT_SCHEMA = {
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


def at(days_before: int) -> dt.datetime:
    """Noon of the day ``days_before`` days before the cut-off."""
    return MIDNIGHT - dt.timedelta(days=days_before) + dt.timedelta(hours=12)


def rich_log() -> pl.DataFrame:
    # customer, days before C, type, amount, order, product, category, channel, coupon, rating
    rows = [
        ("a", 100, "purchase", 10.0, "o1", "p1", "k1", "app", "SAVE", None),
        ("a", 70, "purchase", 20.0, "o2", "p2", "k1", "web", None, None),
        ("a", 40, "purchase", 15.0, "o3", "p1", "k2", "app", None, None),
        ("a", 40, "purchase", 15.0, "o3", "p3", "k2", "app", None, None),
        ("a", 10, "purchase", 40.0, "o4", "p4", "k2", "app", "0", None),
        ("a", 5, "view", None, None, "p9", "k3", "app", None, None),
        ("a", 5, "view", None, None, "p8", "k3", "app", None, None),
        ("a", 200, "view", None, None, "p9", "k3", "web", None, None),
        ("a", 11, "cart", None, None, "p9", "k3", "app", None, None),
        ("a", 3, "service", None, None, None, None, "app", None, None),
        ("a", 20, "review", None, None, "p4", "k2", "app", None, 1.0),
        ("a", 30, "refund", 10.0, "o2", "p2", "k1", "app", None, None),
        # b bought 400 days ago (outside the look-back) and only viewed since
        ("b", 400, "purchase", 50.0, "o9", "p1", "k1", "web", None, None),
        ("b", 2, "view", None, None, "p1", "k1", "web", None, None),
        # events on or after C are invisible at C
        ("a", 0, "purchase", 999.0, "o5", "p5", "k5", "store", None, None),
        ("a", -3, "service", None, None, None, None, "store", None, None),
    ]
    data = {name: [] for name in EVENT_SCHEMA}
    for r in rows:
        values = [r[0], at(r[1]), *r[2:]]
        if r[1] == 0:
            values[1] = MIDNIGHT  # exactly at the cut-off
        for name, value in zip(EVENT_SCHEMA, values, strict=True):
            data[name].append(value)
    return pl.DataFrame(data, schema=EVENT_SCHEMA)


def one_row(frame: pl.DataFrame, customer: str) -> dict:
    rows = frame.filter(pl.col("customer_id") == customer).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_hand_computed_features() -> None:
    frame = build_features(rich_log(), None, [C], ChurnDefinition())
    assert frame.get_column("customer_id").to_list() == ["a"]  # b is not in the population
    a = one_row(frame, "a")
    expected = {
        "cutoff": C,
        "recency_days": 10.0,
        "frequency": 4.0,  # purchase days 100, 70, 40, 10
        "monetary": 100.0,
        "days_since_last_event": 3.0,
        "tenure_days": 200.0,
        "orders_30d": 1.0,
        "orders_90d": 3.0,
        "orders_180d": 4.0,  # o3 has two lines but is one order
        "orders_365d": 4.0,
        "spend_30d": 40.0,
        "spend_90d": 90.0,
        "spend_180d": 100.0,
        "spend_365d": 100.0,
        "avg_order_value": 25.0,
        "orders_trend_90d": (3 - 1) / (3 + 1),
        "spend_trend_90d": (90 - 10) / (90 + 10),
        "events_trend_90d": (10 - 1) / (10 + 1),
        "gap_mean_days": 30.0,
        "gap_std_days": 0.0,
        "gap_ratio": 10 / 30,
        "active_days_90d": 8.0,
        "active_days_365d": 10.0,
        "events_view_30d": 2.0,
        "events_view_365d": 3.0,
        "events_cart_30d": 1.0,
        "events_cart_365d": 1.0,
        "events_review_30d": 1.0,
        "view_to_cart": 1 / 3,
        "cart_to_purchase": 5.0,  # five purchase lines per one cart event
        "distinct_products": 4.0,
        "distinct_categories": 2.0,
        "refunds_365d": 1.0,
        "refund_value_365d": 10.0,
        "refund_share": 0.1,
        "days_since_last_refund": 30.0,
        "rating_mean": 1.0,
        "rating_min": 1.0,
        "low_ratings": 1.0,
        "days_since_low_rating": 20.0,
        "service_contacts_365d": 1.0,
        "service_contacts_90d": 1.0,
        "days_since_last_service": 3.0,
        "coupon_share": 0.25,  # "0" is not a coupon
        "channel_share_app": 10 / 12,
        "channel_share_web": 2 / 12,
        "main_channel": "app",
    }
    for name, value in expected.items():
        assert a[name] == pytest.approx(value), name
    assert "channel_share_store" not in frame.columns  # only seen after the cut-off
    assert "days_since_last_purchase" not in frame.columns  # recency_days already is that
    assert "events_refund_30d" not in frame.columns  # refunds have their own features


def test_irregular_gaps() -> None:
    events = pl.DataFrame(
        {"customer_id": ["x"] * 4, "timestamp": [at(d) for d in (50, 40, 10, 10)]},
        schema={"customer_id": pl.String, "timestamp": pl.Datetime("us")},
    )
    x = one_row(build_features(events, None, [C], ChurnDefinition()), "x")
    # distinct purchase days 50, 40, 10 -> gaps 10 and 30
    assert x["gap_mean_days"] == pytest.approx(20.0)
    assert x["gap_std_days"] == pytest.approx(np.std([10, 30], ddof=1))
    assert x["gap_ratio"] == pytest.approx(10 / 20)
    assert x["frequency"] == 3.0
    assert x["orders_90d"] == 4.0  # without order ids every purchase row is an order


def test_any_activity_changes_population_and_recency() -> None:
    frame = build_features(rich_log(), None, [C], ChurnDefinition(activity=("any",)))
    assert frame.get_column("customer_id").to_list() == ["a", "b"]
    b = one_row(frame, "b")
    assert b["recency_days"] == 2.0
    assert b["days_since_last_purchase"] is None  # 400 days ago is outside the window
    assert b["orders_365d"] == 0.0
    assert b["tenure_days"] == 400.0
    a = one_row(frame, "a")
    assert a["recency_days"] == 3.0 and a["days_since_last_purchase"] == 10.0


def test_bare_log_without_types_amounts_or_orders() -> None:
    events = pl.DataFrame(
        {"customer_id": ["x", "x", "y"], "timestamp": [at(50), at(20), at(5)]},
        schema={"customer_id": pl.String, "timestamp": pl.Datetime("us")},
    )
    frame = build_features(events, None, [C], ChurnDefinition())
    for name in RFM_FEATURES:
        assert frame.schema[name] == pl.Float64
    x = one_row(frame, "x")
    assert (x["recency_days"], x["frequency"], x["monetary"]) == (20.0, 2.0, 0.0)
    assert x["orders_30d"] == 1.0 and x["orders_90d"] == 2.0
    assert not any(c.startswith(("spend_", "events_", "channel_")) for c in frame.columns)
    assert "days_since_last_event" not in frame.columns
    assert "days_since_last_purchase" not in frame.columns  # same as recency_days here


def test_customer_attributes_joined() -> None:
    customers = pl.DataFrame(
        {
            "customer_id": ["a", "b", "zz"],
            "tier": ["gold", None, "regular"],
            "signup_date": [MIDNIGHT - dt.timedelta(days=500), None, MIDNIGHT],
            "age": [31, 40, 50],
            "label": [1, 0, 1],
        },
        schema_overrides={"label": pl.Int8},
    )
    frame = build_features(rich_log(), customers, [C], ChurnDefinition(activity=("any",)))
    assert frame.schema["tier"] == pl.String
    assert frame.schema["signup_date_days"] == pl.Float64
    assert frame.schema["age"] == pl.Float64
    assert "label" not in frame.columns
    a, b = one_row(frame, "a"), one_row(frame, "b")
    assert (a["tier"], a["signup_date_days"], a["age"]) == ("gold", 500.0, 31.0)
    assert (b["tier"], b["signup_date_days"], b["age"]) == (None, None, 40.0)


def random_shop(customers: int = 120, seed: int = 3) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    n = customers * 25
    start = np.datetime64("2023-01-01T00:00:00", "us")
    # half the customers stop early so both outcomes exist
    cust = rng.integers(0, customers, n)
    span = np.where(cust % 2 == 0, 500, 300) * 86400e6
    offsets = (rng.random(n) * span).astype("int64").astype("timedelta64[us]")
    types = np.array(["view", "cart", "purchase", "refund", "service"])[
        rng.choice(5, n, p=[0.4, 0.15, 0.35, 0.05, 0.05])
    ]
    events = pl.DataFrame(
        {
            "customer_id": [f"c{c:03d}" for c in cust],
            "timestamp": start + offsets,
            "event_type": types,
            "amount": rng.gamma(2.0, 20.0, n),
            "channel": np.array(["app", "web"])[rng.integers(0, 2, n)],
        }
    ).with_columns(pl.col("timestamp").cast(pl.Datetime("us")))
    table = pl.DataFrame(
        {
            "customer_id": [f"c{c:03d}" for c in range(customers)],
            "tier": np.array(["gold", "regular", "new"])[np.arange(customers) % 3],
        }
    )
    return events, table


def test_training_and_scoring_sets_match() -> None:
    events, customers = random_shop()
    definition = ChurnDefinition()
    training = build_training_set(events, customers, definition)
    scoring = build_scoring_set(events, customers, definition)
    assert training.feature_names == scoring.feature_names
    assert training.categorical == scoring.categorical == ["main_channel", "tier"]
    assert training.frame.columns[:3] == ["customer_id", "cutoff", "label"]
    assert training.frame.schema["label"] == pl.Int8
    assert set(training.frame.get_column("cutoff").unique()) == set(training.plan.cutoffs)
    labels = build_labels(events, training.plan.cutoffs, definition)
    assert training.frame.height == labels.height  # every labelled customer has features
    for frame in (training.frame, scoring.frame):
        for name in training.feature_names:
            wanted = pl.String if name in training.categorical else pl.Float64
            assert frame.schema[name] == wanted, name
    assert "label" not in scoring.frame.columns
    assert scoring.frame.get_column("cutoff").unique().to_list() == [training.plan.as_of]
    # labels agree with a direct check: no purchase in [C, C + 90 days)
    row = training.frame.filter(pl.col("cutoff") == training.plan.eval_cutoff).row(0, named=True)
    c = dt.datetime.combine(row["cutoff"], dt.time())
    bought = events.filter(
        (pl.col("customer_id") == row["customer_id"])
        & (pl.col("event_type") == "purchase")
        & pl.col("timestamp").is_between(c, c + dt.timedelta(days=90), closed="left")
    )
    assert row["label"] == int(bought.height == 0)


def test_scoring_as_of_and_forced_columns() -> None:
    events, customers = random_shop()
    as_of = dt.date(2024, 1, 1)
    scoring = build_scoring_set(events, customers, ChurnDefinition(), as_of=as_of)
    manual = build_features(
        events.filter(pl.col("timestamp") < dt.datetime(2024, 1, 1)),
        customers,
        [as_of],
        ChurnDefinition(),
    )
    assert scoring.frame.equals(manual)
    wanted = ["recency_days", "events_favorite_30d", "spend_trend_90d", "shoe_size", "tier"]
    forced = build_scoring_set(
        events, customers, ChurnDefinition(), feature_names=wanted, categorical=["tier"]
    )
    assert forced.frame.columns == ["customer_id", "cutoff", *wanted]
    assert forced.frame.get_column("events_favorite_30d").unique().to_list() == [0.0]
    assert forced.frame.get_column("shoe_size").null_count() == forced.frame.height


@pytest.mark.parametrize("history_days", [200, 900])
def test_scoring_reads_qualifying_days_from_the_roll_up_only_when_it_holds_all_history(
    history_days: int,
) -> None:
    """Scoring takes the qualifying days from the daily roll-up when the log starts inside its
    window, and from a pass over the whole log when older history exists (BG/NBD and tenure
    read all of it): both give the features of the explicit computation."""
    events, customers = random_shop()
    end = events.get_column("timestamp").max()
    events = events.filter(pl.col("timestamp") >= end - dt.timedelta(days=history_days))
    as_of = end.date() + dt.timedelta(days=1)
    definition = ChurnDefinition()
    keys = features_module.customer_keys(events.lazy())
    active = features_module._active_key_days(events, definition, keys, as_of)
    explicit, _, _, _ = features_module._features_plan(
        events,
        customers,
        [as_of],
        definition,
        keyed=(keys, features_module.DaySpans.of(active, [as_of]).running(keys.ranked())),
    )
    calls: list[tuple] = []
    original = features_module._active_key_days
    features_module._active_key_days = lambda *a: calls.append(a) or original(*a)
    try:
        derived, _, _, _ = features_module._features_plan(events, customers, [as_of], definition)
    finally:
        features_module._active_key_days = original
    assert derived.collect().equals(explicit.collect())
    # history older than the window needs the pass over the whole log; else none is made
    assert len(calls) == (1 if history_days > 365 else 0)


def test_every_feature_has_both_descriptions() -> None:
    events, customers = random_shop()
    training = build_training_set(
        events, customers.with_columns(age=pl.lit(30.0)), ChurnDefinition()
    )
    rich = build_features(rich_log(), None, [C], ChurnDefinition())
    names = set(training.feature_names) | (set(rich.columns) - {"customer_id", "cutoff"})
    for name in names:
        info = describe(name)
        assert info.name == name
        assert info.description["en"] and info.description["zh"], name
        assert info.description["en"] != info.description["zh"]
    assert describe("recency_days") is CATALOGUE["recency_days"]
    assert (
        "view" in describe("events_view_30d").description["en"]
        or "views" in describe("events_view_30d").description["en"]
    )
    assert "浏览" in describe("events_view_30d").description["zh"]
    assert "tier" in describe("tier").description["zh"]


def test_table_set() -> None:
    table = pl.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4"],
            "tier": ["a", "b", "a", None],
            "orders": [3, 1, 0, 5],
            "signup": [dt.date(2024, 1, 1), dt.date(2024, 2, 1), None, dt.date(2024, 3, 1)],
            "churned": [1, 0, None, 0],
        }
    )
    fs = build_table_set(table, label="churned")
    assert fs.plan is None and fs.categorical == ["tier"]
    assert fs.feature_names == ["tier", "orders", "signup_days"]
    assert fs.frame.get_column("customer_id").to_list() == ["1", "2", "4"]
    assert fs.frame.schema["label"] == pl.Int8 and fs.frame.schema["cutoff"] == pl.Date
    assert fs.frame.get_column("cutoff").null_count() == 3
    assert fs.frame.get_column("signup_days").to_list() == [61.0, 30.0, 1.0]
    with pytest.raises(DataError, match="churned"):
        build_table_set(table)
    with pytest.raises(DataError, match="same churn label"):
        build_table_set(table.with_columns(churned=pl.lit(1)), label="churned")


def test_labels_by_key_equal_build_labels() -> None:
    events, _ = random_shop(customers=200, seed=5)
    for definition in (ChurnDefinition(), ChurnDefinition(activity=("any",), horizon_days=45)):
        training = build_training_set(events, None, definition)
        expected = build_labels(events, training.plan.cutoffs, definition)
        got = training.frame.select("customer_id", "cutoff", "label").sort("cutoff", "customer_id")
        assert got.height == expected.height > 0
        assert got.equals(expected.sort("cutoff", "customer_id"))


def test_a_hash_collision_falls_back_to_dictionary_keys(monkeypatch) -> None:
    """Two ids with the same hash must never be merged into one customer."""
    events, _ = random_shop(customers=60, seed=2)
    definition = ChurnDefinition()
    plain = build_training_set(events, None, definition).frame
    numbered = features_module.CustomerKeys.expr

    def colliding(self):  # every id hashes alike: only the fallback keeps customers apart
        return (pl.col("customer_id").hash() * 0).alias("_key") if self.by_hash else numbered(self)

    monkeypatch.setattr(features_module.CustomerKeys, "expr", colliding)
    keys = features_module.customer_keys(events.lazy())
    assert not keys.by_hash and keys.table.height == events["customer_id"].n_unique()
    collided = build_training_set(events, None, definition).frame
    assert collided.sort("cutoff", "customer_id").equals(plain.sort("cutoff", "customer_id"))


def test_a_training_sample_builds_only_what_training_fits_on() -> None:
    """With max_fit_rows the earlier cut-offs hold only the fitting sample and the model
    trained on the smaller set is the same model, byte for byte."""
    from churnlab.config import TrainingConfig
    from churnlab.training import train_on_feature_set

    events, _ = random_shop(customers=400, seed=7)
    definition = ChurnDefinition(activity=("any",), horizon_days=60)
    full = build_training_set(events, None, definition)
    limit = full.frame.height // 3
    sampled = build_training_set(events, None, definition, max_fit_rows=limit, seed=0)
    eval_cutoff = full.plan.eval_cutoff
    assert sampled.fit_customers is not None
    assert sampled.frame.height < full.frame.height
    at_eval = sampled.frame.filter(pl.col("cutoff") == eval_cutoff)
    assert at_eval.height == full.frame.filter(pl.col("cutoff") == eval_cutoff).height
    earlier = sampled.frame.filter(pl.col("cutoff") != eval_cutoff)
    assert set(earlier["customer_id"]) <= set(sampled.fit_customers)
    # the sampled rows are exactly the full set's rows of those customers
    same = full.frame.join(earlier.select("customer_id", "cutoff"), on=["customer_id", "cutoff"])
    assert same.sort("cutoff", "customer_id").equals(earlier.sort("cutoff", "customer_id"))
    config = TrainingConfig(max_fit_rows=limit, tuning_seconds=600.0, max_trials=4)
    a = train_on_feature_set(full, config)
    b = train_on_feature_set(sampled, config)
    assert bytes(a.model.booster_.save_raw()) == bytes(b.model.booster_.save_raw())
    assert a.cutoff_stats == b.cutoff_stats
    assert a.eval_predictions.equals(b.eval_predictions)


def test_a_sampled_training_run_reports_the_full_base_rate_and_stats() -> None:
    """The bundle's base rate (risk bands) and per-cut-off counts come from every labelled
    row, not from the sample the earlier cut-offs were built for."""
    from churnlab.config import Settings, TrainingConfig
    from churnlab.ingest.loading import ShopData
    from churnlab.pipeline import train

    events, _ = random_shop(customers=400, seed=7)
    shop = ShopData(events=events, customers=None, tables=[], source="test")
    definition = ChurnDefinition(activity=("any",), horizon_days=60)
    rows = build_training_set(events, None, definition).frame.height
    runs = {}
    for limit in (rows * 10, rows // 3):
        config = TrainingConfig(max_fit_rows=limit, tuning_seconds=600.0, max_trials=2)
        runs[limit] = train(shop, Settings(churn=definition, training=config))
    full, sampled = runs[rows * 10], runs[rows // 3]
    assert sampled.training_set.fit_customers is not None
    assert full.training_set.fit_customers is None
    assert sampled.base_rate == pytest.approx(full.base_rate, abs=1e-12)
    assert sampled.document["cutoff_stats"] == full.document["cutoff_stats"]


def assert_same_features(got: pl.DataFrame, wanted: pl.DataFrame) -> None:
    """Equal row for row; floats to within a few units in the last place (a quotient in a
    Polars group-by may be taken as a product with the reciprocal, depending on its size)."""
    assert got.columns == wanted.columns and got.height == wanted.height
    for name in wanted.columns:
        a, b = got[name], wanted[name]
        if a.dtype == pl.Float64:
            assert a.is_null().equals(b.is_null()), name
            x, y = a.drop_nulls().to_numpy(), b.drop_nulls().to_numpy()
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=0, err_msg=name)
        else:
            assert a.equals(b), name


def test_a_log_rolled_up_and_aggregated_in_parts_gives_the_same_features(monkeypatch) -> None:
    """Big logs are rolled up and aggregated in parts of whole customers (to bound memory):
    parts must give the features of one pass, row for row."""
    events, customers = random_shop(customers=300, seed=5)
    rich = rich_log()  # every kind of column
    definition = ChurnDefinition(activity=("any",), horizon_days=60)
    cutoffs = [C - dt.timedelta(days=60), C]
    whole_training = build_training_set(events, customers, definition).frame
    whole_scoring = build_scoring_set(events, customers, definition, as_of=C).frame
    whole_rich = build_features(rich, None, cutoffs, definition)
    # the random shop in three parts and its day rows in about twenty; the rich log in four
    monkeypatch.setattr(features_module, "EVENTS_PER_PART", events.height // 3 + 1)
    monkeypatch.setattr(features_module, "ROWS_PER_PART", 150)
    assert_same_features(build_training_set(events, customers, definition).frame, whole_training)
    assert_same_features(
        build_scoring_set(events, customers, definition, as_of=C).frame, whole_scoring
    )
    monkeypatch.setattr(features_module, "EVENTS_PER_PART", 5)
    monkeypatch.setattr(features_module, "ROWS_PER_PART", 4)
    assert_same_features(build_features(rich, None, cutoffs, definition), whole_rich)


def test_day_spans_sum_up_to_the_days_themselves() -> None:
    """Per cut-off, the running spans give each customer's first, last and number of days
    before it and its first day on or after it, in id order, as a pass over the days would."""
    rng = np.random.default_rng(5)
    days = pl.DataFrame(
        {
            "_key": rng.integers(0, 40, 600).astype(np.uint64),
            "_day": rng.integers(19_000, 19_400, 600).astype(np.int32),
        }
    ).unique()
    # five customers with no day after the first cut-offs (nothing on or after them)
    days = days.filter((pl.col("_key") >= 5) | (pl.col("_day") < 19_040))
    # ids whose order is not the keys' order
    ranked = (
        pl.DataFrame({"_key": np.arange(40, dtype=np.uint64)})
        .with_columns(customer_id=pl.format("c{}", (pl.col("_key") * 17) % 40))
        .sort("customer_id")
        .with_row_index("_rank")
        .select("_key", "customer_id", "_rank")
    )
    cutoffs = [dt.date(2022, 3, 1), dt.date(2022, 1, 1), dt.date(2022, 6, 1)]
    running = features_module.DaySpans.of(days, cutoffs).running(ranked)
    day = pl.col("_day")
    for cutoff in cutoffs:
        c = (cutoff - dt.date(1970, 1, 1)).days
        after = days.filter(day >= c).group_by("_key").agg(day.min().alias("_next"))
        expected = (
            days.filter(day < c)
            .group_by("_key")
            .agg(
                day.min().alias("_first"),
                day.max().alias("_last"),
                pl.len().cast(pl.UInt32).alias("_n"),
            )
            .join(after, on="_key", how="left")
            .join(ranked.select("_key", "customer_id"), on="_key")
            .sort("customer_id")
            .select("_key", "customer_id", "_first", "_last", "_n", "_next")
        )
        assert expected.height > 10 or c <= 19_000  # 2022-01-01: no day before it
        assert running.before(cutoff).collect().equals(expected)
