"""The bundled demo shop: deterministic, canonical, seasonal, and churn with visible causes."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
import pytest

from churnlab import sample
from churnlab.errors import ConfigError, DataError
from churnlab.sample import generate_sample, sample_paths, write_sample
from churnlab.schema import CANONICAL_EVENT_TYPES

END = dt.date(2026, 10, 31)
START = END - dt.timedelta(days=729)


@pytest.fixture(scope="module")
def small() -> sample.SampleShop:
    return generate_sample(300, seed=1)


@pytest.fixture(scope="module")
def committed() -> sample.SampleShop:
    events_path, customers_path = sample_paths()
    return sample.SampleShop(
        events=pl.read_parquet(events_path), customers=pl.read_parquet(customers_path)
    )


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_same_frames(small: sample.SampleShop) -> None:
    again = generate_sample(300, seed=1)
    assert again.events.equals(small.events)
    assert again.customers.equals(small.customers)


def test_other_seed_other_frames(small: sample.SampleShop) -> None:
    other = generate_sample(300, seed=2)
    assert not other.events.equals(small.events)
    assert not other.customers.equals(small.customers)


def test_write_sample_is_byte_identical(tmp_path) -> None:
    first = write_sample(tmp_path / "a", customers=120, seed=3)
    second = write_sample(tmp_path / "b", customers=120, seed=3)
    assert [p.name for p in first] == ["events.parquet", "customers.parquet"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert pl.read_parquet(first[0]).equals(generate_sample(120, seed=3).events)


def test_bad_sizes_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        generate_sample(0)
    with pytest.raises(ConfigError):
        generate_sample(100, days=30)


# --- schema and values ------------------------------------------------------------------------


def test_schema(small: sample.SampleShop) -> None:
    assert small.events.schema == pl.Schema(
        {
            "customer_id": pl.String,
            "timestamp": pl.Datetime("us"),
            "event_type": pl.String,
            "amount": pl.Float64,
            "order_id": pl.String,
            "product_id": pl.String,
            "category": pl.String,
            "rating": pl.Float64,
            "channel": pl.String,
            "coupon": pl.String,
            "discount": pl.Float64,
        }
    )
    assert small.customers.schema == pl.Schema(
        {
            "customer_id": pl.String,
            "signup_date": pl.Date,
            "gender": pl.String,
            "age_band": pl.String,
            "city_tier": pl.String,
            "acquisition_channel": pl.String,
            "membership_level": pl.String,
        }
    )


def test_customer_table(small: sample.SampleShop) -> None:
    c = small.customers
    assert c.height == 300
    assert c["customer_id"].is_unique().all()
    assert c["customer_id"].str.contains(r"^C\d{6}$").all()
    assert set(c["gender"]) <= {"female", "male", "unknown"}
    assert set(c["acquisition_channel"]) == {"app", "web", "mini-program"}
    assert set(c["membership_level"]) == {"regular", "silver", "gold", "platinum"}
    assert c["signup_date"].max() <= END
    assert c["signup_date"].min() < START  # an initial base of older customers


def test_event_values(small: sample.SampleShop) -> None:
    e = small.events
    assert set(e["event_type"]) == set(CANONICAL_EVENT_TYPES)
    assert e["timestamp"].min() >= dt.datetime.combine(START, dt.time())
    assert e["timestamp"].max() < dt.datetime.combine(END + dt.timedelta(days=1), dt.time())
    assert set(e["customer_id"]) <= set(small.customers["customer_id"])
    money = pl.col("event_type").is_in(["purchase", "refund"])
    assert e.filter(money)["amount"].null_count() == 0
    assert e.filter(money)["amount"].min() >= 0
    assert e.filter(~money)["amount"].null_count() == e.filter(~money).height
    reviews = e.filter(pl.col("event_type") == "review")
    assert reviews["rating"].null_count() == 0
    assert reviews["rating"].is_in([1.0, 2.0, 3.0, 4.0, 5.0]).all()
    assert e.filter(pl.col("event_type") != "review")["rating"].null_count() == (
        e.height - reviews.height
    )
    purchases = e.filter(pl.col("event_type") == "purchase")
    assert purchases["order_id"].is_unique().all()
    assert purchases["discount"].min() >= 0
    assert e.filter(pl.col("coupon").is_not_null())["event_type"].unique().to_list() == ["purchase"]
    used = purchases.filter(pl.col("coupon").is_not_null())
    assert (used["discount"] > 0).all()
    assert (purchases.filter(pl.col("coupon").is_null())["discount"] == 0).all()
    assert set(e["channel"]) == {"app", "web", "mini-program"}


def test_signup_before_first_event(small: sample.SampleShop) -> None:
    first = small.events.group_by("customer_id").agg(pl.col("timestamp").min().dt.date())
    joined = first.join(small.customers, on="customer_id")
    assert (joined["signup_date"] <= joined["timestamp"]).all()


def test_refunds_and_reviews_follow_an_earlier_purchase(small: sample.SampleShop) -> None:
    e = small.events
    bought = e.filter(pl.col("event_type") == "purchase").select(
        "order_id",
        pl.col("customer_id").alias("buyer"),
        pl.col("timestamp").alias("bought_at"),
        pl.col("amount").alias("paid"),
    )
    for kind in ("refund", "review"):
        after = e.filter(pl.col("event_type") == kind).join(bought, on="order_id", how="left")
        assert after.height > 0
        assert after["buyer"].null_count() == 0
        assert (after["buyer"] == after["customer_id"]).all()
        assert (after["timestamp"] > after["bought_at"]).all()
    refunds = e.filter(pl.col("event_type") == "refund").join(bought, on="order_id")
    assert (refunds["amount"] <= refunds["paid"] + 1e-9).all()


# --- seasonality ------------------------------------------------------------------------------


def test_sales_peaks_have_more_purchases(small: sample.SampleShop) -> None:
    days = (
        small.events.filter(pl.col("event_type") == "purchase")
        .with_columns(day=pl.col("timestamp").dt.date())
        .group_by("day")
        .len()
    )
    n_days = 730
    average = days["len"].sum() / n_days

    def per_day(month: int, first: int, last: int) -> float:
        window = days.filter(
            (pl.col("day").dt.month() == month) & pl.col("day").dt.day().is_between(first, last)
        )
        window_days = 2 * (last - first + 1)  # each window occurs twice in the two years
        return window["len"].sum() / window_days

    assert per_day(11, 1, 11) > 1.5 * average
    assert per_day(6, 1, 18) > 1.3 * average
    assert per_day(11, 11, 11) > per_day(11, 1, 10)
    coupon_share = (
        small.events.filter(pl.col("event_type") == "purchase")
        .group_by(peak=pl.col("timestamp").dt.month().is_in([6, 11]))
        .agg(pl.col("coupon").is_not_null().mean())
        .sort("peak")["coupon"]
    )
    assert coupon_share[1] > coupon_share[0]


# --- churn with causes (on the committed 5,000-customer shop) ---------------------------------


def _snapshots(shop: sample.SampleShop) -> pl.DataFrame:
    """Population (bought in the year before C), label (no purchase in [C, C+90)), a few signals."""
    e = shop.events
    rows = []
    for i in range(8):
        c = dt.datetime(2025, 11, 1) + dt.timedelta(days=30 * i)
        before = e.filter(pl.col("timestamp") < c)
        buys = before.filter(
            (pl.col("event_type") == "purchase") & (pl.col("timestamp") >= c - dt.timedelta(365))
        )
        pop = buys.group_by("customer_id").agg(
            recent=(pl.col("timestamp") >= c - dt.timedelta(90)).sum(),
            earlier=(
                (pl.col("timestamp") < c - dt.timedelta(90))
                & (pl.col("timestamp") >= c - dt.timedelta(180))
            ).sum(),
            coupon_share=pl.col("coupon").is_not_null().mean(),
        )
        bad = (
            before.filter(pl.col("timestamp") >= c - dt.timedelta(90))
            .group_by("customer_id")
            .agg(
                bad=(
                    (pl.col("event_type") == "service")
                    | ((pl.col("event_type") == "review") & (pl.col("rating") <= 2))
                ).any()
            )
        )
        stay = (
            e.filter(
                (pl.col("event_type") == "purchase")
                & pl.col("timestamp").is_between(c, c + dt.timedelta(90), closed="left")
            )
            .select("customer_id")
            .unique()
            .with_columns(stay=pl.lit(True))
        )
        rows.append(
            pop.join(bad, on="customer_id", how="left")
            .join(stay, on="customer_id", how="left")
            .join(shop.customers, on="customer_id")
            .with_columns(
                pl.col("bad").fill_null(False),
                churned=pl.col("stay").is_null(),
                cutoff=pl.lit(c.date()),
            )
        )
    return pl.concat(rows, how="diagonal_relaxed")


@pytest.fixture(scope="module")
def snapshots(committed: sample.SampleShop) -> pl.DataFrame:
    return _snapshots(committed)


def _rate(frame: pl.DataFrame) -> float:
    return float(frame["churned"].mean())


def test_both_classes_at_every_cutoff(snapshots: pl.DataFrame) -> None:
    rates = snapshots.group_by("cutoff").agg(pl.col("churned").mean())["churned"]
    assert rates.min() > 0.2
    assert rates.max() < 0.4


def test_bad_experiences_raise_churn(snapshots: pl.DataFrame) -> None:
    active = snapshots.filter(pl.col("recent") > 0)
    assert _rate(active.filter("bad")) > 1.4 * _rate(active.filter(~pl.col("bad")))


def test_membership_and_channel_drive_churn(snapshots: pl.DataFrame) -> None:
    level = pl.col("membership_level")
    high = snapshots.filter(level.is_in(["gold", "platinum"]))
    assert _rate(high) < 0.8 * _rate(snapshots.filter(level == "regular"))
    channel = pl.col("acquisition_channel")
    assert _rate(snapshots.filter(channel == "mini-program")) > _rate(
        snapshots.filter(channel == "app")
    )


def test_coupon_dependence_raises_churn(snapshots: pl.DataFrame) -> None:
    hunters = snapshots.filter(pl.col("coupon_share") > 0.7)
    others = snapshots.filter(pl.col("coupon_share") < 0.3)
    assert _rate(hunters) > _rate(others)


def test_leavers_fade_before_they_go(snapshots: pl.DataFrame) -> None:
    """Churners bought less in the last 90 days than in the 90 before; stayers did not."""
    trend = snapshots.group_by("churned").agg(
        (pl.col("recent").sum() / pl.col("earlier").sum()).alias("ratio")
    )
    ratio = dict(zip(trend["churned"], trend["ratio"], strict=True))
    assert ratio[True] < 0.8 * ratio[False]


# --- the committed files ----------------------------------------------------------------------


def _checksum(frame: pl.DataFrame, columns: list[str]) -> str:
    text = frame.select(columns).write_csv()
    return hashlib.sha256(text.encode()).hexdigest()


def test_committed_files_match_the_generator(committed: sample.SampleShop) -> None:
    fresh = generate_sample()
    assert committed.events.height == fresh.events.height
    assert committed.customers.height == fresh.customers.height == 5000
    columns = ["customer_id", "timestamp", "event_type", "amount", "order_id", "rating"]
    assert _checksum(committed.events, columns) == _checksum(fresh.events, columns)
    assert committed.customers.equals(fresh.customers)
    size = sum(p.stat().st_size for p in sample_paths())
    assert size < 6_000_000


def test_missing_sample_is_a_data_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sample, "SAMPLE_DIR", tmp_path)
    with pytest.raises(DataError, match="sample"):
        sample_paths()
