"""The typed reading path of big delimited files gives what the text path gives.

Big files (``typed_csv.TYPED_FROM`` bytes and up) have their plain ISO time columns parsed
while they are read. These tests take that path on small files (the threshold set to 0)
and compare everything a user sees with the text path: the clean frames, the quality
reports, the notes and the errors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import churnlab.ingest.reading as reading
from churnlab.errors import ChurnlabError
from churnlab.ingest.loading import ShopData, load_files
from churnlab.ingest.reading import read_table
from tests.conftest import CORPUS
from tests.hardening.corpus.make_corpus import HERE as HARDENING

_TEXT = {".csv", ".tsv", ".txt"}
_FILES = sorted(
    p
    for folder in (CORPUS / "reading", CORPUS / "mapping", CORPUS / "shapes", HARDENING)
    for p in folder.rglob("*")
    if p.suffix in _TEXT
)


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, typed: bool) -> ShopData | str:
    monkeypatch.setattr(reading, "TYPED_FROM", 0 if typed else 1 << 60)
    try:
        return load_files([path])
    except ChurnlabError as error:
        return str(error)


def _seen(shop: ShopData | str) -> object:
    """What a user sees of a load: the frames, every report, or the error's words."""
    if isinstance(shop, str):
        return shop
    return (
        shop.events.to_dicts() if shop.events is not None else None,
        shop.customers.to_dicts() if shop.customers is not None else None,
        [t.report.to_dict() for t in shop.tables],
        [(t.mapping.kind, t.mapping.roles) for t in shop.tables],
    )


def test_the_corpus_has_text_files_to_compare() -> None:
    assert len(_FILES) >= 30


@pytest.mark.parametrize("path", _FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_loads_the_same_on_both_paths(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _seen(_load(path, monkeypatch, typed=True)) == _seen(
        _load(path, monkeypatch, typed=False)
    )


def _log(path: Path, rows: int, time_of=None, amount_of=None) -> Path:
    """An event log past the sniffed head (256 KB), ISO times unless ``time_of`` says."""
    start = dt.datetime(2024, 1, 1, 8, 0, 0)
    lines = ["customer_id,event_time,event_type,amount"]
    for i in range(rows):
        when = start + dt.timedelta(minutes=37 * i)
        text = time_of(i, when) if time_of else when.strftime("%Y-%m-%d %H:%M:%S")
        kind = "purchase" if i % 3 == 0 else "view"
        amount = amount_of(i) if amount_of else (f"{i % 50 + 1}.50" if kind == "purchase" else "")
        lines.append(f"C{i % 400:04d},{text},{kind},{amount}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_plain_iso_log_is_read_with_its_times_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path / "log.csv", 12_000)
    assert path.stat().st_size > 1.5 * 256 * 1024  # rows 11,000 on lie past the head
    monkeypatch.setattr(reading, "TYPED_FROM", 0)
    raw = read_table(path)
    assert raw.frame.schema["event_time"] == pl.Datetime("us")
    assert raw.frame.schema["customer_id"] == pl.String  # ids stay text (leading zeros)
    assert raw.frame.schema["amount"] == pl.Float64  # named a measure, plain decimals
    assert raw.frame.schema["event_type"] == pl.String
    assert raw.read_formats == {"event_time": "Y-M-D with time"}
    assert raw.frame.height == raw.rows == 12_000
    assert raw.frame["event_time"][-1] == dt.datetime(2024, 1, 1, 8) + dt.timedelta(
        minutes=37 * 11_999
    )
    typed = _load(path, monkeypatch, typed=True)
    assert _seen(typed) == _seen(_load(path, monkeypatch, typed=False))
    assert isinstance(typed, ShopData)
    assert any("Y-M-D with time" in str(n) for n in typed.tables[0].report.notes)


def test_a_small_file_keeps_every_column_as_text(tmp_path: Path) -> None:
    raw = read_table(_log(tmp_path / "log.csv", 200))
    assert all(dtype == pl.String for dtype in raw.frame.dtypes)
    assert raw.read_formats == {}


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param(lambda i, t: t.strftime("%d/%m/%Y %H:%M"), id="another-order"),
        pytest.param(lambda i, t: t.strftime("%Y-%m-%d %H:%M:%S.250"), id="fractions"),
        pytest.param(lambda i, t: "1850-01-01 00:00:00", id="year-out-of-range"),
        pytest.param(lambda i, t: "not a date", id="a-word"),
        pytest.param(lambda i, t: t.strftime("%Y-%m-31 %H:%M:%S"), id="no-such-day"),
    ],
)
def test_a_log_that_turns_messy_after_its_head_is_read_as_text(
    odd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def time_of(i: int, when: dt.datetime) -> str:
        return odd(i, when) if i >= 11_000 and i % 7 == 0 else when.strftime("%Y-%m-%d %H:%M:%S")

    path = _log(tmp_path / "log.csv", 12_000, time_of=time_of)
    monkeypatch.setattr(reading, "TYPED_FROM", 0)
    raw = read_table(path)
    assert raw.frame.schema["event_time"] == pl.String
    assert raw.read_formats == {}
    assert _seen(_load(path, monkeypatch, typed=True)) == _seen(
        _load(path, monkeypatch, typed=False)
    )


def test_a_bad_byte_after_the_head_is_replaced_as_on_the_text_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path / "log.csv", 12_000)
    data = path.read_bytes()
    cut = data.index(b"\n", len(data) - 5_000) + 1
    path.write_bytes(data[:cut] + b"C0001,2024-12-01 10:00:00,vi\xffew,\n" + data[cut:])
    typed = _load(path, monkeypatch, typed=True)
    assert _seen(typed) == _seen(_load(path, monkeypatch, typed=False))
    assert isinstance(typed, ShopData)
    assert any("replaced" in str(n) for n in typed.tables[0].report.notes)


def test_empty_rows_and_trailing_delimiters_are_dropped_as_on_the_text_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path / "log.csv", 12_000)
    text = path.read_text(encoding="utf-8").replace("\n", ",\n")  # an empty last column
    lines = text.splitlines()
    lines[11_000:11_000] = [",,,,", ",,,,"]  # two empty rows past the head
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(reading, "TYPED_FROM", 0)
    raw = read_table(path)
    assert raw.frame.schema["event_time"] == pl.Datetime("us")
    assert raw.frame.height == 12_000 and raw.rows == 12_002
    assert raw.columns == ["customer_id", "event_time", "event_type", "amount"]
    assert _seen(_load(path, monkeypatch, typed=True)) == _seen(
        _load(path, monkeypatch, typed=False)
    )


@pytest.mark.parametrize(
    "amount_of",
    [
        pytest.param(lambda i: '"1,234.50"' if i == 11_500 else "3.25", id="thousands-separator"),
        pytest.param(lambda i: "¥12" if i == 11_500 else "3.25", id="currency"),
        pytest.param(lambda i: "n/a" if i == 11_500 else "3.25", id="a-word"),
        pytest.param(lambda i: "inf" if i == 11_500 else "3.25", id="infinite"),
    ],
)
def test_amounts_that_turn_messy_after_the_head_are_read_as_text(
    amount_of, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path / "log.csv", 12_000, amount_of=amount_of)
    monkeypatch.setattr(reading, "TYPED_FROM", 0)
    assert read_table(path).frame.schema["amount"] == pl.String
    typed = _load(path, monkeypatch, typed=True)
    assert _seen(typed) == _seen(_load(path, monkeypatch, typed=False))


def test_decimals_in_a_column_not_named_as_a_measure_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path / "log.csv", 12_000)
    text = path.read_text(encoding="utf-8").replace(",amount\n", ",version\n", 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(reading, "TYPED_FROM", 0)
    raw = read_table(path)
    assert raw.frame.schema["event_time"] == pl.Datetime("us")
    assert raw.frame.schema["version"] == pl.String
