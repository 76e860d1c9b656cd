"""Cohort retention on a hand-built log, RFM scores by hand, segment summary sums."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from churnlab.cohorts import (
    SEGMENT_GRID,
    SEGMENTS,
    assign_rfm_segments,
    cohort_retention,
    rfm_segments,
    segment_summary,
)
from churnlab.errors import DataError
from churnlab.i18n import t


def _events(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": [dt.datetime.fromisoformat(r[1]) for r in rows],
            "event_type": [r[2] for r in rows],
        },
        schema={"customer_id": pl.String, "timestamp": pl.Datetime("us"), "event_type": pl.String},
    )


@pytest.fixture
def log() -> pl.DataFrame:
    # Jan cohort: a, b, c. Feb cohort: d, e. Data runs to April.
    return _events(
        [
            ("a", "2024-01-03", "purchase"),
            ("a", "2024-01-20", "purchase"),  # same month twice counts once
            ("b", "2024-01-15", "purchase"),
            ("c", "2024-01-31 23:59:59", "purchase"),
            ("a", "2024-02-10", "purchase"),
            ("b", "2024-03-01", "purchase"),
            ("c", "2024-02-05", "view"),  # not a purchase
            ("d", "2024-02-02", "purchase"),
            ("e", "2024-02-28", "purchase"),
            ("d", "2024-04-30", "purchase"),
            ("e", "2023-12-31", "view"),
        ]
    )


def test_cohort_retention_by_hand(log: pl.DataFrame) -> None:
    out = cohort_retention(log)
    assert out.schema == pl.Schema(
        {
            "cohort": pl.Date,
            "period": pl.Int64,
            "customers": pl.Int64,
            "active": pl.Int64,
            "retention": pl.Float64,
        }
    )
    got = {(r["cohort"], r["period"]): (r["customers"], r["active"]) for r in out.to_dicts()}
    jan, feb = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
    assert got == {
        (jan, 0): (3, 3),
        (jan, 1): (3, 1),
        (jan, 2): (3, 1),
        (jan, 3): (3, 0),
        (feb, 0): (2, 2),
        (feb, 1): (2, 0),
        (feb, 2): (2, 1),
    }
    row = out.filter((pl.col("cohort") == jan) & (pl.col("period") == 1))
    assert row["retention"][0] == pytest.approx(1 / 3)


def test_cohort_retention_any_activity_and_max_periods(log: pl.DataFrame) -> None:
    out = cohort_retention(log, activity=("any",), max_periods=2)
    assert out["period"].max() == 1
    dec = out.filter(pl.col("cohort") == dt.date(2023, 12, 1))
    assert dec["customers"].to_list() == [1, 1]  # e's cohort moves to December
    jan1 = out.filter((pl.col("cohort") == dt.date(2024, 1, 1)) & (pl.col("period") == 1))
    assert jan1["active"][0] == 2  # a's purchase and c's view


def test_cohort_retention_errors(log: pl.DataFrame) -> None:
    with pytest.raises(DataError):
        cohort_retention(log.drop("event_type"))
    with pytest.raises(DataError, match="No events"):
        cohort_retention(log, activity=("refund",))


def test_cohort_retention_matches_slow_count() -> None:
    rng = np.random.default_rng(5)
    n = 3000
    events = pl.DataFrame(
        {
            "customer_id": rng.integers(0, 300, n).astype(str),
            "timestamp": pl.Series(
                np.datetime64("2023-01-01T00:00:00", "us")
                + rng.integers(0, 700 * 86400, n).astype("timedelta64[s]")
            ).cast(pl.Datetime("us")),
            "event_type": rng.choice(["purchase", "view"], n),
        }
    )
    out = cohort_retention(events)
    buys = events.filter(pl.col("event_type") == "purchase").with_columns(
        (pl.col("timestamp").dt.year() * 12 + pl.col("timestamp").dt.month()).alias("m")
    )
    first = buys.group_by("customer_id").agg(pl.col("m").min().alias("c"))
    expected = (
        buys.join(first, on="customer_id")
        .group_by("c", (pl.col("m") - pl.col("c")).alias("p"))
        .agg(pl.col("customer_id").n_unique().alias("active"))
    )
    got = out.filter(pl.col("active") > 0)
    assert got.height == expected.filter(pl.col("p") < 24).height
    assert got["active"].sum() == expected.filter(pl.col("p") < 24)["active"].sum()
    assert out.group_by("cohort").agg(pl.col("customers").first())["customers"].sum() == (
        first.height
    )


def test_rfm_scores_by_hand() -> None:
    # ten customers, distinct values: two per quintile
    recency = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    frequency = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    monetary = [5.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, None]
    out = rfm_segments(recency, frequency, monetary)
    assert out["r_score"].to_list() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert out["f_score"].to_list() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # ties share one score: four 5.0 (ranks 6-9 of 9, avg 7.5) and five 1.0 (avg 3); None scores 1
    assert out["m_score"].to_list() == [4, 4, 4, 4, 2, 2, 2, 2, 2, 1]
    assert out["rfm_score"][0] == "554"
    assert out["segment"].to_list() == [
        "champions",
        "champions",
        "loyal",
        "loyal",
        "need_attention",
        "need_attention",
        "hibernating",
        "hibernating",
        "lost",
        "lost",
    ]


def test_rfm_is_order_independent() -> None:
    rng = np.random.default_rng(0)
    r, f, m = rng.integers(0, 50, 200), rng.integers(1, 6, 200), rng.random(200)
    perm = rng.permutation(200)
    a = rfm_segments(r, f, m)
    b = rfm_segments(r[perm], f[perm], m[perm])
    assert a[perm].equals(b)


def test_segment_grid_covers_every_segment_and_has_messages() -> None:
    assert {s for row in SEGMENT_GRID for s in row} == set(SEGMENTS)
    for segment in SEGMENTS:
        for lang in ("en", "zh"):
            assert t(f"chart.segment.{segment}", lang) != f"chart.segment.{segment}"


def test_assign_and_summary() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "recency_days": [1.0, 2.0, 300.0, 400.0, 500.0],
            "frequency": [9.0, 8.0, 7.0, 1.0, 1.0],
            "monetary": [100.0, 50.0, 80.0, 10.0, None],
            "label": pl.Series([0, 0, 1, 1, 1], dtype=pl.Int8),
            "churn_probability": [0.1, 0.2, 0.6, 0.9, 0.8],
            "segment": ["x"] * 5,  # replaced
        }
    )
    scored = assign_rfm_segments(frame)
    assert scored.columns[:6] == [
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "label",
        "churn_probability",
    ]
    assert "x" not in scored["segment"].to_list()
    summary = segment_summary(scored)
    assert summary["customers"].sum() == 5
    assert summary["share"].sum() == pytest.approx(1.0)
    assert summary["total_value"].sum() == pytest.approx(240.0)
    assert summary["value_at_risk"].sum() == pytest.approx(10 + 10 + 48 + 9 + 0)
    by = {r["segment"]: r for r in summary.to_dicts()}
    assert set(by) == {"champions", "loyal", "need_attention", "hibernating", "lost"}
    assert by["champions"]["customers"] == 1
    assert by["champions"]["mean_value"] == pytest.approx(100.0)
    assert by["need_attention"]["churn_rate"] == pytest.approx(1.0)
    assert by["loyal"]["mean_risk"] == pytest.approx(0.2)
    assert by["lost"]["total_value"] == pytest.approx(0.0)  # missing spend counts as 0
    order = [SEGMENTS.index(s) for s in summary["segment"].to_list()]
    assert order == sorted(order)


def test_summary_without_label_or_risk() -> None:
    frame = pl.DataFrame({"segment": ["lost", "lost", "new"], "monetary": [1.0, 3.0, 5.0]})
    summary = segment_summary(frame)
    assert summary["segment"].to_list() == ["new", "lost"]
    assert summary["churn_rate"].null_count() == 2
    assert summary["value_at_risk"].null_count() == 2
    with pytest.raises(DataError):
        segment_summary(frame.drop("monetary"))
    with pytest.raises(DataError):
        assign_rfm_segments(frame)


def test_a_tables_customers_by_one_column() -> None:
    from churnlab import charts
    from churnlab.cohorts import MISSING_SEGMENT, OTHER_SEGMENT, attribute_segments

    rng = np.random.default_rng(2)
    n = 1000
    tenure = rng.integers(1, 73, n).astype(float)
    tenure[:7] = np.nan
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1])
    label = (rng.random(n) < np.where(plan == "basic", 0.4, 0.1)).astype(np.int8)
    features = pl.DataFrame(
        {
            "tenure": tenure,
            "plan": plan,
            "flag": rng.integers(0, 2, n).astype(float),
            "city": [f"c{i % 20}" for i in range(n)],
            "label": label,
        }
    )
    p = rng.random(n)
    spend = np.full(n, 100.0)
    bands = attribute_segments(features, "tenure", p, spend)
    assert bands.height == 6 and bands["segment"][-1] == MISSING_SEGMENT
    assert bands["customers"].sum() == n and bands["customers"][-1] == 7
    lows = [float(s.split("–")[0]) for s in bands["segment"][:-1]]
    assert lows == sorted(lows) and lows[0] == 1  # in order, from the smallest
    assert all(abs(c - 199) <= 40 for c in bands["customers"][:-1])  # about equal sizes
    by_plan = attribute_segments(features, "plan", p, spend)
    assert by_plan["segment"].to_list() == ["basic", "plus", "pro"]  # the commonest first
    basic = features.filter(pl.col("plan") == "basic")
    assert by_plan["churn_rate"][0] == pytest.approx(basic["label"].mean())
    assert by_plan["mean_risk"][0] == pytest.approx(p[plan == "basic"].mean())
    assert by_plan["value_at_risk"][0] == pytest.approx((p * spend)[plan == "basic"].sum())
    assert attribute_segments(features, "flag", p)["segment"].to_list() == ["0", "1"]
    cities = attribute_segments(features.drop("label"), "city", p)
    assert cities.height == 13 and cities["segment"][-1] == OTHER_SEGMENT
    assert cities["churn_rate"].null_count() == 13  # no label, no churn rate
    fig = charts.segments_figure(by_plan, by="plan")
    assert fig.layout.title.text.startswith("Customers by plan")
    assert list(fig.data[0].y) == ["basic", "plus", "pro"]
