"""counting.value_counts: the counts of Series.value_counts, in a stable order."""

from __future__ import annotations

import polars as pl

from churnlab.counting import value_counts


def test_counts_match_polars_value_counts_nulls_included() -> None:
    series = pl.Series("event_type", ["view", None, "buy", "view", "cart", "buy", "view", None])
    got = value_counts(series).sort("event_type", nulls_last=True)
    wanted = series.value_counts().sort("event_type", nulls_last=True)
    assert got.columns == ["event_type", "count"]
    assert got.to_dicts() == wanted.to_dicts()


def test_sorted_by_count_then_value() -> None:
    series = pl.Series("t", ["b", "a", "c", "b", "a", "d"])
    got = value_counts(series, sort=True)
    assert got["t"].to_list() == ["a", "b", "c", "d"]
    assert got["count"].to_list() == [2, 2, 1, 1]


def test_a_column_named_count_does_not_clash() -> None:
    got = value_counts(pl.Series("count", [1, 1, 2]), sort=True)
    assert got.columns == ["value", "count"]
    assert got.rows() == [(1, 2), (2, 1)]
