"""Column passes on every core: the streaming engine must give the eager result, row for row."""

from __future__ import annotations

import polars as pl
import pytest

from churnlab.ingest import cores

N = cores.SPREAD_FROM + 12_345  # past the threshold, so the streaming engine runs


@pytest.fixture
def times() -> pl.Series:
    """Shuffled timestamps as text, some blank and some unreadable, in no particular order."""
    values = [
        None
        if i % 997 == 0
        else "not a time"
        if i % 1_013 == 0
        else f"2024-{1 + i * 7 % 12:02d}-{1 + i * 13 % 28:02d} {i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d}"
        for i in range(N)
    ]
    return pl.Series("when", values).shuffle(seed=3)


def test_a_spread_pass_keeps_every_row_in_place(times: pl.Series) -> None:
    def parse(v: pl.Expr) -> pl.Expr:
        return v.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)

    spread = cores.spread(times, parse)
    eager = times.to_frame().select(parse(pl.col("when"))).to_series()
    assert spread.name == "when"
    assert spread.len() == N
    assert spread.equals(eager, check_names=False)
    # a multi-chunk column (as a big CSV read gives) keeps its order too
    chunked = pl.concat([times.slice(0, 1_000), times.slice(1_000)], rechunk=False)
    assert chunked.n_chunks() == 2
    assert cores.spread(chunked, parse).equals(eager, check_names=False)


def test_a_small_column_is_worked_on_eagerly_with_the_same_result(times: pl.Series) -> None:
    small = times.head(1_000)
    result = cores.spread(small, lambda v: v.str.len_bytes())
    assert result.to_list() == small.str.len_bytes().to_list()


def test_summarise_answers_every_check_in_one_pass(times: pl.Series) -> None:
    found = cores.summarise(
        times,
        blanks=lambda v: v.null_count(),
        words=lambda v: v.str.contains("not").sum(),
        longest=lambda v: v.str.len_bytes().max(),
    )
    assert found == {
        "blanks": times.null_count(),
        "words": int(times.str.contains("not").sum()),
        "longest": times.str.len_bytes().max(),
    }
