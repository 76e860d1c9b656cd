"""Cut-off planning, population, labels and label checks on hand-built logs."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from churnlab.config import ChurnDefinition
from churnlab.errors import DataError, InsufficientHistoryError
from churnlab.windows import (
    build_labels,
    check_labels,
    plan_cutoffs,
    population,
    qualifying,
)

C = dt.date(2024, 6, 1)
MIDNIGHT = dt.datetime(2024, 6, 1)


def log(rows: list[tuple[str, dt.datetime, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": [r[1] for r in rows],
            "event_type": [r[2] for r in rows],
        },
        schema={"customer_id": pl.String, "timestamp": pl.Datetime("us"), "event_type": pl.String},
    )


def span_log(days: int, start: dt.datetime = dt.datetime(2023, 1, 1, 10)) -> pl.DataFrame:
    """Two purchases: on the first day and on the last day of a ``days``-day history."""
    return log([("a", start, "purchase"), ("a", start + dt.timedelta(days=days - 1), "purchase")])


def test_long_history_plan() -> None:
    events = span_log(600)
    plan = plan_cutoffs(events, ChurnDefinition())
    end = dt.date(2023, 1, 1) + dt.timedelta(days=600)
    assert plan.as_of == end
    assert plan.eval_cutoff == end - dt.timedelta(days=90)
    assert plan.cutoffs[-1] == plan.eval_cutoff
    assert len(plan.cutoffs) == 12
    assert plan.cutoffs == sorted(plan.cutoffs)
    steps = {(b - a).days for a, b in zip(plan.cutoffs, plan.cutoffs[1:], strict=False)}
    assert steps == {30}
    assert plan.validation_cutoffs == [
        c for c in plan.cutoffs if c + dt.timedelta(days=90) <= plan.eval_cutoff
    ]
    assert len(plan.validation_cutoffs) == 9
    assert plan.data_start == dt.datetime(2023, 1, 1, 10)
    assert plan.warnings == []


def test_medium_history_gives_fewer_cutoffs_with_warning() -> None:
    events = span_log(300)
    plan = plan_cutoffs(events, ChurnDefinition())
    start = dt.date(2023, 1, 1)
    assert all(c >= start + dt.timedelta(days=60) for c in plan.cutoffs)
    assert len(plan.cutoffs) == 6  # eval at day 210, back to day 60
    assert plan.validation_cutoffs
    assert plan.warnings and "6 cut-offs" in str(plan.warnings[0])


def test_history_shorter_than_horizon_says_days() -> None:
    with pytest.raises(InsufficientHistoryError) as info:
        plan_cutoffs(span_log(100), ChurnDefinition())
    assert "100 days" in str(info.value)
    assert "150 days" in str(info.value)


def test_no_validation_cutoff_says_shortest_history() -> None:
    with pytest.raises(InsufficientHistoryError) as info:
        plan_cutoffs(span_log(200), ChurnDefinition())
    assert "240 days" in str(info.value)
    # and exactly 240 days works
    assert plan_cutoffs(span_log(240), ChurnDefinition()).validation_cutoffs


def test_chosen_cutoff_must_fit() -> None:
    events = span_log(400)
    late = dt.date(2023, 1, 1) + dt.timedelta(days=350)
    with pytest.raises(InsufficientHistoryError, match="too late"):
        plan_cutoffs(events, ChurnDefinition(cutoff=late))
    chosen = dt.date(2023, 10, 1)
    plan = plan_cutoffs(events, ChurnDefinition(cutoff=chosen))
    assert plan.eval_cutoff == chosen and plan.cutoffs[-1] == chosen


def test_population_edges() -> None:
    lookback_start = MIDNIGHT - dt.timedelta(days=365)
    events = log(
        [
            ("edge", lookback_start, "purchase"),  # exactly C - lookback: in
            ("before", lookback_start - dt.timedelta(microseconds=1), "purchase"),  # out
            ("at_c", MIDNIGHT, "purchase"),  # at C: not before C, out
            ("view_only", MIDNIGHT - dt.timedelta(days=3), "view"),  # not a purchase: out
            ("last", MIDNIGHT - dt.timedelta(microseconds=1), "purchase"),  # in
        ]
    )
    pop = population(events, C, ChurnDefinition()).get_column("customer_id").to_list()
    assert pop == ["edge", "last"]
    pop_any = population(events, C, ChurnDefinition(activity=("any",)))
    assert pop_any.get_column("customer_id").to_list() == ["edge", "last", "view_only"]


def test_label_edges() -> None:
    horizon_end = MIDNIGHT + dt.timedelta(days=90)
    before = MIDNIGHT - dt.timedelta(days=5)
    events = log(
        [
            ("at_c", before, "purchase"),
            ("at_c", MIDNIGHT, "purchase"),  # at C counts for the horizon: stayed
            ("at_end", before, "purchase"),
            ("at_end", horizon_end, "purchase"),  # at C + horizon: outside, churned
            ("just_in", before, "purchase"),
            ("just_in", horizon_end - dt.timedelta(seconds=1), "purchase"),  # stayed
            ("viewer", before, "purchase"),
            ("viewer", MIDNIGHT + dt.timedelta(days=2), "view"),  # a view is not a purchase
            ("new", MIDNIGHT + dt.timedelta(days=1), "purchase"),  # not in population
        ]
    )
    labels = build_labels(events, [C], ChurnDefinition())
    assert labels.schema == {"customer_id": pl.String, "cutoff": pl.Date, "label": pl.Int8}
    got = dict(zip(labels["customer_id"], labels["label"], strict=True))
    assert got == {"at_c": 0, "at_end": 1, "just_in": 0, "viewer": 1}
    any_labels = build_labels(events, [C], ChurnDefinition(activity=("any",)))
    assert dict(zip(any_labels["customer_id"], any_labels["label"], strict=True))["viewer"] == 0
    listed = build_labels(events, [C], ChurnDefinition(activity=("purchase", "view")))
    assert dict(zip(listed["customer_id"], listed["label"], strict=True))["viewer"] == 0


def test_labels_at_several_cutoffs() -> None:
    days = [0, 40, 100]
    events = log([("a", MIDNIGHT + dt.timedelta(days=d), "purchase") for d in days])
    c1, c2 = dt.date(2024, 6, 20), dt.date(2024, 8, 1)
    labels = build_labels(events, [c2, c1], ChurnDefinition(horizon_days=30))
    # c1 = day 19: next purchase day 40 is inside [19, 49) -> stayed
    # c2 = day 61: next purchase day 100 is outside [61, 91) -> churned
    assert labels.rows() == [("a", c1, 0), ("a", c2, 1)]


def test_log_without_event_types_counts_every_row() -> None:
    events = log([("a", MIDNIGHT - dt.timedelta(days=1), "x")]).drop("event_type")
    assert population(events, C, ChurnDefinition()).height == 1
    expr = qualifying(events, ChurnDefinition())
    assert events.select(expr).item() is True


def _labels(n: int, churned: int, cutoff: dt.date = C) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [str(i) for i in range(n)],
            "cutoff": [cutoff] * n,
            "label": [1] * churned + [0] * (n - churned),
        },
        schema={"customer_id": pl.String, "cutoff": pl.Date, "label": pl.Int8},
    )


def test_check_labels_refuses_tiny_or_one_sided() -> None:
    with pytest.raises(DataError, match="Only 20 customers"):
        check_labels(_labels(20, 5))
    with pytest.raises(DataError, match="every one of the 100 customers stayed") as info:
        check_labels(_labels(100, 0))
    assert "horizon" in str(info.value)
    with pytest.raises(DataError, match="churned"):
        check_labels(_labels(100, 100))


def test_check_labels_warns_small_shop() -> None:
    warnings = check_labels(_labels(300, 60))
    assert len(warnings) == 1 and "300 customers" in str(warnings[0])
    assert check_labels(_labels(1000, 300)) == []
    few = check_labels(_labels(1000, 3))
    assert any("3 customers churned" in str(w) for w in few)
    early = pl.concat([_labels(10, 2, dt.date(2024, 1, 1)), _labels(1000, 300)])
    assert any("2024-01-01" in str(w) for w in check_labels(early))
