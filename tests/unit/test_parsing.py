"""Value parsing: dates, numbers and ids written in the ways real exports write them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from churnlab.ingest.parsing import (
    clean_ids,
    datetime_share,
    fast_numbers,
    number_share,
    parse_datetimes,
    parse_numbers,
)

D = dt.datetime


def _dates(values: list) -> list:
    return parse_datetimes(pl.Series("x", values)).values.to_list()


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", D(2024, 3, 5)),
        ("2024-03-05 14:05", D(2024, 3, 5, 14, 5)),
        ("2024-03-05 14:05:09", D(2024, 3, 5, 14, 5, 9)),
        ("2024-03-05T14:05:09.250", D(2024, 3, 5, 14, 5, 9, 250000)),
        ("2024-03-05T14:05:00Z", D(2024, 3, 5, 14, 5)),
        ("2024-03-05T14:05:00+08:00", D(2024, 3, 5, 6, 5)),
        ("2024-03-05 14:05:00+0800", D(2024, 3, 5, 6, 5)),
        ("2024-03-05T14:05:00-05:00", D(2024, 3, 5, 19, 5)),
        ("05-Mar-2024", D(2024, 3, 5)),
        ("Mar 5, 2024", D(2024, 3, 5)),
        ("5 March 2024", D(2024, 3, 5)),
        ("2024年3月5日", D(2024, 3, 5)),
        ("2024年3月5日 14:05", D(2024, 3, 5, 14, 5)),
        ("2024/3/5 下午2:05", D(2024, 3, 5, 14, 5)),
        ("2024/3/5 上午9:05", D(2024, 3, 5, 9, 5)),
        ("2024/03/05", D(2024, 3, 5)),
        ("Tue, 05 Mar 2024 14:05:00 GMT", D(2024, 3, 5, 14, 5)),
        ("3/25/2024 2:05:30 PM", D(2024, 3, 25, 14, 5, 30)),
        ("19970101", D(1997, 1, 1)),
    ],
)
def test_single_forms(text: str, expected: dt.datetime) -> None:
    result = parse_datetimes(pl.Series("t", [text, None, ""]))
    assert result.values.dtype == pl.Datetime("us")
    assert result.values.to_list() == [expected, None, None]
    assert result.n_failed == 0


def test_day_first_when_first_field_exceeds_12() -> None:
    result = parse_datetimes(pl.Series(["05/03/2024", "13/03/2024"]))
    assert result.values.to_list() == [D(2024, 3, 5), D(2024, 3, 13)]
    assert "day-first" in result.detected


def test_month_first_when_second_field_exceeds_12() -> None:
    result = parse_datetimes(pl.Series(["03/05/2024", "03/13/2024"]))
    assert result.values.to_list() == [D(2024, 3, 5), D(2024, 3, 13)]
    assert "month-first" in result.detected


def test_ambiguous_dates_default_to_day_first() -> None:
    result = parse_datetimes(pl.Series(["05/03/2024", "06/04/2024"]))
    assert result.values.to_list() == [D(2024, 3, 5), D(2024, 4, 6)]


def test_dots_and_two_digit_years() -> None:
    assert _dates(["05.03.24", "31.12.23"]) == [D(2024, 3, 5), D(2023, 12, 31)]


def test_english_afternoon_marker() -> None:
    assert _dates(["3/25/2024 2:05 PM", "3/25/2024 12:10 AM"]) == [
        D(2024, 3, 25, 14, 5),
        D(2024, 3, 25, 0, 10),
    ]


def test_mixed_formats_in_one_column_are_coalesced() -> None:
    result = parse_datetimes(pl.Series(["2024-03-05", "2024年3月6日", "19970101"]))
    assert result.values.to_list() == [D(2024, 3, 5), D(2024, 3, 6), D(1997, 1, 1)]


def test_failures_are_counted_but_empties_are_not() -> None:
    result = parse_datetimes(pl.Series(["2024-03-05", "soon", "", None, "N/A", "2024-13-45"]))
    assert result.values.to_list()[0] == D(2024, 3, 5)
    assert result.values.null_count() == 5
    assert result.n_failed == 2


def test_numbers_yyyymmdd_unix_and_excel() -> None:
    assert _dates([19970101, 19971231]) == [D(1997, 1, 1), D(1997, 12, 31)]
    assert _dates([1709647500]) == [D(2024, 3, 5, 14, 5)]
    assert _dates([1709647500123]) == [D(2024, 3, 5, 14, 5, 0, 123000)]
    assert _dates([45356.5]) == [D(2024, 3, 5, 12, 0)]
    assert _dates(["1709647500"]) == [D(2024, 3, 5, 14, 5)]


def test_small_numbers_are_not_dates() -> None:
    result = parse_datetimes(pl.Series([1, 2, 5]))
    assert result.values.null_count() == 3
    assert result.n_failed == 3


def test_native_types() -> None:
    zoned = pl.Series([D(2024, 3, 5, 14, 5)]).dt.replace_time_zone("Asia/Shanghai")
    assert parse_datetimes(zoned).values.to_list() == [D(2024, 3, 5, 6, 5)]
    assert parse_datetimes(zoned).values.dtype == pl.Datetime("us")
    ms = pl.Series([D(2024, 3, 5, 14, 5)]).cast(pl.Datetime("ms"))
    assert parse_datetimes(ms).values.dtype == pl.Datetime("us")
    dates = pl.Series([dt.date(2024, 3, 5)])
    assert parse_datetimes(dates).values.to_list() == [D(2024, 3, 5)]


def test_keeps_name_and_length_on_larger_column() -> None:
    base = D(2023, 1, 1)
    values = [(base + dt.timedelta(hours=7 * i)).strftime("%d/%m/%Y %H:%M") for i in range(5000)]
    result = parse_datetimes(pl.Series("when", values))
    assert result.values.name == "when"
    assert result.values.len() == 5000
    assert result.n_failed == 0
    assert result.values[4999] == base + dt.timedelta(hours=7 * 4999)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("12.5", 12.5),
        ("¥12.50", 12.5),
        ("￥1,234.50", 1234.5),
        ("$1,234.50", 1234.5),
        ("€12", 12.0),
        ("£3.10", 3.1),
        ("RMB 88", 88.0),
        ("12.5 CNY", 12.5),
        ("USD 1,000", 1000.0),
        ("1.234,56", 1234.56),
        ("1 234,56", 1234.56),
        ("1'234.50", 1234.5),
        ("12,5", 12.5),
        ("15%", 0.15),
        ("(12.00)", -12.0),
        ("-12", -12.0),
        ("12-", -12.0),
        ("-¥12", -12.0),
        ("1,234,567", 1234567.0),
    ],
)
def test_number_forms(text: str, expected: float) -> None:
    result = parse_numbers(pl.Series([text]))
    assert result.values.dtype == pl.Float64
    assert result.values[0] == pytest.approx(expected)
    assert result.n_failed == 0


def test_null_tokens_are_not_failures() -> None:
    result = parse_numbers(
        pl.Series(["", "NA", "N/A", "null", "None", "-", "—", None, "abc", "12.5.3", "1,23,4"])
    )
    assert result.values.null_count() == 11
    assert result.n_failed == 3


def test_ambiguous_thousands_follow_the_column() -> None:
    european = parse_numbers(pl.Series(["1.234", "12,50", "3,5"])).values.to_list()
    assert european == pytest.approx([1234.0, 12.5, 3.5])
    english = parse_numbers(pl.Series(["1,234", "12.50", "3.5"])).values.to_list()
    assert english == pytest.approx([1234.0, 12.5, 3.5])


def test_native_numbers_pass_through() -> None:
    result = parse_numbers(pl.Series([1, 2, None]))
    assert result.values.to_list() == [1.0, 2.0, None]
    nan = parse_numbers(pl.Series([1.5, float("nan")]))
    assert nan.values.to_list() == [1.5, None]


def test_fast_numbers_reads_plain_decimals_like_the_general_parser() -> None:
    plain = pl.Series("amount", ["12", "0.5", "-3", "1e3", None, "+7", ".25"])
    fast = fast_numbers(plain)
    assert fast is not None and fast.n_failed == 0
    assert fast.values.to_list() == parse_numbers(plain).values.to_list()
    assert fast.values.name == "amount"


@pytest.mark.parametrize(
    "odd", [" 12", "1,234", "¥12", "nan", "inf", "", "NA", "(12.00)", "12%", "1.234,56"]
)
def test_fast_numbers_leaves_every_messy_value_to_the_general_parser(odd: str) -> None:
    assert fast_numbers(pl.Series(["1.5", "2", odd, "3"])) is None
    assert fast_numbers(pl.Series([1.5, 2.0])) is None  # typed columns need no text parsing


# --------------------------------------------------------------------------- ids


def test_clean_ids_text() -> None:
    ids = clean_ids(pl.Series(" c ", [" 17850.0 ", "00123", "", None, "A-7", "12.50"]))
    assert ids.dtype == pl.String
    assert ids.to_list() == ["17850", "00123", None, None, "A-7", "12.50"]


def test_clean_ids_numbers() -> None:
    assert clean_ids(pl.Series([17850.0, 1e20, None])).to_list() == [
        "17850",
        "100000000000000000000",
        None,
    ]
    assert clean_ids(pl.Series([5, 60])).to_list() == ["5", "60"]


# --------------------------------------------------------------------------- shares


def test_datetime_share() -> None:
    assert datetime_share(pl.Series(["2024-03-05", "2024-03-06", "x", ""])) == pytest.approx(2 / 3)
    assert datetime_share(pl.Series([1, 2, 3, 4, 5])) == 0.0
    assert datetime_share(pl.Series(["1", "2", "5"])) == 0.0
    assert datetime_share(pl.Series([19970101, 19970102])) == 1.0
    assert datetime_share(pl.Series([45356.5, 45357.0])) == 1.0
    assert datetime_share(pl.Series([45356, 45357])) == 0.0
    assert datetime_share(pl.Series([D(2024, 1, 1)])) == 1.0
    assert datetime_share(pl.Series([None, None], dtype=pl.String)) == 0.0
    assert datetime_share(pl.Series(["13800138000", "15912345678"])) == 0.0  # phone numbers


def test_number_share() -> None:
    assert number_share(pl.Series(["¥1", "2,5", "x", "N/A"])) == pytest.approx(2 / 3)
    assert number_share(pl.Series([1.0, 2.0])) == 1.0
    assert number_share(pl.Series(["red", "blue"])) == 0.0


def test_share_samples_large_columns() -> None:
    values = ["2024-03-05"] * 3000 + ["nope"] * 3000
    share = datetime_share(pl.Series(values), sample=200)
    assert 0.3 < share < 0.7


def test_hour_and_minute_level_text_times() -> None:
    from churnlab.ingest.parsing import parse_datetimes

    parsed = parse_datetimes(pl.Series("t", ["2014-12-06 02", "2014/12/06 2:05", "2014-12-07 23"]))
    assert parsed.values.to_list() == [
        dt.datetime(2014, 12, 6, 2, 0),
        dt.datetime(2014, 12, 6, 2, 5),
        dt.datetime(2014, 12, 7, 23, 0),
    ]


def test_epoch_microseconds_and_ids_that_are_not_times() -> None:
    from churnlab.ingest.parsing import parse_datetimes

    micros = parse_datetimes(pl.Series("t", [1511544070123456, 1511544070999000]))
    assert micros.values[0] == dt.datetime(2017, 11, 24, 17, 21, 10, 123456)
    assert micros.detected == "Unix microseconds"
    # an 11-digit receipt number is neither seconds, milliseconds nor microseconds
    receipts = parse_datetimes(pl.Series("t", [26984851472, 26984851473]))
    assert receipts.values.null_count() == 2


@pytest.mark.parametrize(
    "fmt",
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y-%-m-%-d %-H:%M",  # months, days and hours without their zero
    ],
)
def test_each_fast_date_format_reads_what_the_general_parser_reads(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain ISO-like text takes Polars' own parser (``fast_datetimes``): the same values and
    the same description of the format as the general text parsing gives."""
    import churnlab.ingest.parsing as parsing

    rng = np.random.default_rng(11)
    start = dt.datetime(2019, 1, 1)
    stamps = [
        start + dt.timedelta(seconds=int(s), microseconds=int(u) * 1000)
        for s, u in zip(
            rng.integers(0, 5 * 365 * 86400, 400), rng.integers(0, 1000, 400), strict=True
        )
    ]
    text = pl.Series("t", [t.strftime(fmt) for t in stamps] + [None])
    fast = parsing.fast_datetimes(text)
    assert fast is not None
    monkeypatch.setattr(parsing, "_FAST_FORMATS", ())
    assert parsing.fast_datetimes(text) is None
    general = parsing.parse_datetimes(text)
    assert fast.values.to_list() == general.values.to_list()
    assert fast.detected == general.detected
    assert fast.n_failed == general.n_failed == 0
