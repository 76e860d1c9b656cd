"""Property tests: whatever bytes or text arrive, reading gives a table or a ChurnlabError."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from churnlab.errors import ChurnlabError
from churnlab.ingest.parsing import (
    clean_ids,
    datetime_share,
    number_share,
    parse_datetimes,
    parse_numbers,
)
from churnlab.ingest.reading import RawTable, read_table

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

cell_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;|\t\"'.-/:¥€年月日é\n\r")) | st.characters(),
    max_size=12,
)


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    delim = draw(st.sampled_from([",", ";", "\t", "|", " ", "  "]))
    n_cols = draw(st.integers(1, 5))
    rows = draw(
        st.lists(
            st.lists(cell_text, min_size=0, max_size=n_cols + 2),  # ragged on purpose
            min_size=0,
            max_size=12,
        )
    )
    quote = draw(st.booleans())
    lines = [
        delim.join((f'"{c}"' if quote and i % 2 else c) for i, c in enumerate(row)) for row in rows
    ]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    return text.encode(encoding, errors="replace")


def _read_never_crashes(data: bytes, name: str) -> None:
    try:
        raw = read_table(data, name=name)
    except ChurnlabError as exc:
        assert str(exc)
        return
    assert isinstance(raw, RawTable)
    assert raw.frame.height >= 1
    assert len(set(raw.columns)) == len(raw.columns)
    assert all(c.strip() == c and c for c in raw.columns)


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from(["f.csv", "f.xlsx", "f.json", "f.parquet", "f"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _read_never_crashes(data, name)


@SETTINGS
@given(
    st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PAR1", b"[", b"{", b"\xef\xbb\xbf"]),
    st.binary(max_size=300),
)
def test_magic_prefix_with_garbage(prefix: bytes, rest: bytes) -> None:
    _read_never_crashes(prefix + rest, "upload.bin")


@pytest.mark.slow
@SETTINGS
@given(delimited(), st.sampled_from(["t.csv", "t.txt", "t.tsv"]))
def test_random_delimited_text(data: bytes, name: str) -> None:
    _read_never_crashes(data, name)


values = st.lists(st.one_of(st.none(), st.text(max_size=20), cell_text), max_size=30)


@pytest.mark.slow
@SETTINGS
@given(values)
def test_parsers_on_random_strings(items: list[str | None]) -> None:
    series = pl.Series("v", items, dtype=pl.String)
    dates = parse_datetimes(series)
    assert dates.values.len() == series.len()
    assert dates.values.dtype == pl.Datetime("us")
    assert 0 <= dates.n_failed <= series.len()
    numbers = parse_numbers(series)
    assert numbers.values.dtype == pl.Float64
    assert 0 <= numbers.n_failed <= series.len()
    ids = clean_ids(series)
    assert ids.dtype == pl.String and ids.len() == series.len()
    assert 0.0 <= datetime_share(series) <= 1.0
    assert 0.0 <= number_share(series) <= 1.0


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=30))
def test_parsers_on_random_floats(items: list[float | None]) -> None:
    series = pl.Series("v", items, dtype=pl.Float64)
    assert parse_datetimes(series).values.len() == series.len()
    assert parse_numbers(series).values.len() == series.len()
    assert clean_ids(series).len() == series.len()
    assert 0.0 <= datetime_share(series) <= 1.0
