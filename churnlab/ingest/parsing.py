"""Parsing messy values from shop exports: dates, money and ids.

Exports come from many tools and countries, so one column may hold
``05/03/2024``, ``2024年3月5日 14:05`` or Excel serials. The strategy is the same
for every parser: look at a small sample of distinct values in Python to decide
*how* to read the column, then read the whole column with vectorised Polars
expressions (this must stay fast on 10 million rows).

Day-first vs month-first: a first field above 12 means day-first, a second field
above 12 means month-first; when the sample cannot tell, the reading that parses
most values wins and a tie goes to day-first (the common order outside the US).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import polars as pl

from churnlab.ingest.cores import spread

log = logging.getLogger(__name__)


@dataclass
class DateParse:
    values: pl.Series  # Datetime("us"), naive (UTC for zoned input); null where unparseable
    n_failed: int  # non-empty inputs that could not be parsed
    detected: str  # human description of the format found, e.g. "day-first D/M/Y"


@dataclass
class NumberParse:
    values: pl.Series  # Float64; null where unparseable or empty
    n_failed: int


# Values that mean "nothing here" in exports (compared lower-cased and trimmed).
NULL_TOKENS: tuple[str, ...] = (
    "",
    "na",
    "n/a",
    "#n/a",
    "nan",
    "null",
    "none",
    "nil",
    "-",
    "--",
    "—",
    "–",
    "nat",
)

_SAMPLE_DISTINCT = 500
_MAX_FORMATS = 3
_MIN_YEAR, _MAX_YEAR = 1900, 2200
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_UNIX_MAX_S = 4_102_444_800  # 2100-01-01
_NUMERIC_STR = r"^\d+(?:\.\d+)?$"
_ZONE_AFTER_TIME = r"(?i)\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$"

_TIME = " %H:%M:%S%.f"
# (strptime date format, D/M order family, description)
_DATE_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("%Y-%m-%d", "ymd", "Y-M-D"),
    ("%d-%m-%Y", "dmy", "day-first D/M/Y"),
    ("%m-%d-%Y", "mdy", "month-first M/D/Y"),
    ("%d-%m-%y", "dmy", "day-first D/M/YY"),
    ("%m-%d-%y", "mdy", "month-first M/D/YY"),
    ("%d %b %Y", "name", "D Mon Y"),
    ("%d %b %y", "name", "D Mon YY"),
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"


# --------------------------------------------------------------------------- helpers


def _text(series: pl.Series) -> pl.Series:
    """The series as trimmed text with empty/NA tokens as null."""
    s = series if series.dtype == pl.String else series.cast(pl.String, strict=False)
    s = s.str.strip_chars()
    return pl.select(
        pl.when(s.str.to_lowercase().is_in(list(NULL_TOKENS))).then(None).otherwise(s)
    ).to_series()


def _distinct_sample(s: pl.Series, n: int = _SAMPLE_DISTINCT) -> pl.Series:
    """Up to n distinct non-null values, deterministic."""
    uniq = s.drop_nulls().unique(maintain_order=True)
    if uniq.len() <= n:
        return uniq
    step = uniq.len() / n
    idx = [int(i * step) for i in range(n)]
    return uniq.gather(idx)


def _even_sample(s: pl.Series, n: int) -> pl.Series:
    """Up to n non-null values spread evenly over the series (deterministic)."""
    s = s.drop_nulls()
    if s.len() <= n:
        return s
    step = s.len() / n
    return s.gather([int(i * step) for i in range(n)])


def _numeric_to_datetime(v: pl.Expr, allow_serial: bool) -> pl.Expr:
    """Numbers as dates: YYYYMMDD, Unix seconds/milliseconds, and Excel serials."""
    is_int = v == v.floor()
    ymd = (
        pl.when(is_int & (v >= 19000101) & (v <= 22001231))
        .then(v)
        .cast(pl.Int64, strict=False)
        .cast(pl.String)
        .str.strptime(pl.Datetime("us"), "%Y%m%d", strict=False)
    )
    # 1973..2100 only: phone numbers (11 digits) and other long codes are not times
    secs = pl.when((v >= 1e8) & (v < _UNIX_MAX_S)).then(v * 1e6)
    millis = pl.when((v >= 1e11) & (v < _UNIX_MAX_S * 1000)).then(v * 1e3)
    micros = pl.when((v >= 1e14) & (v < _UNIX_MAX_S * 1_000_000)).then(v)
    epoch_us = pl.coalesce(secs, millis, micros).round(0).cast(pl.Int64, strict=False)
    unix = pl.from_epoch(epoch_us, time_unit="us")
    parts = [ymd, unix]
    if allow_serial:
        serial_us = (
            pl.when((v >= 20000) & (v <= 80000))
            .then(v * 86_400_000_000)
            .round(0)
            .cast(pl.Int64, strict=False)
        )
        parts.append(
            pl.lit(_EXCEL_EPOCH).cast(pl.Datetime("us")) + pl.duration(microseconds=serial_us)
        )
    return pl.coalesce(parts).cast(pl.Datetime("us"))


def _normalise_date_text(s: pl.Expr, *, chinese: bool, names: bool) -> pl.Expr:
    """Rewrite date strings into a few canonical shapes the formats below understand."""
    if chinese:
        s = s.str.replace_all(r"[年月]", "-").str.replace_all(r"[日号]", " ")
        s = s.str.replace_all(r"(上午|下午|凌晨|早上|中午|晚上)", " ")
        s = s.str.replace_all(r"(\d)时(\d)", "$1:$2").str.replace_all(r"[时分秒]", "")
    s = s.str.replace_all(r"(?i)\s*\b[AP]\.?M\.?$", "")
    s = s.str.replace(r"(\d)T(\d)", "$1 $2")
    # time zone after a time
    s = s.str.replace(
        r"(?i)(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})$", "$1"
    )
    s = s.str.replace(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})", "$1-$2-$3")
    if names:
        s = s.str.replace(r"(?i)^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*", "")
        s = s.str.replace_all(rf"(?i)\b({_MONTHS})[a-z]*\.?", "$1")
        s = s.str.replace(rf"(?i)^(\d{{1,2}})[-/ .]+({_MONTHS})[-/ .,]+(\d{{2,4}})", "$1 $2 $3")
        s = s.str.replace(
            rf"(?i)^({_MONTHS})[-/ .]+(\d{{1,2}})(?:st|nd|rd|th)?[,\s]+(\d{{4}})", "$2 $1 $3"
        )
    s = s.str.replace_all(r"\s+", " ").str.strip_chars(" -")
    s = s.str.replace(r"(\d:\d{2}),(\d+)$", "$1.$2")
    # hour-level times ("2014-12-06 02"): the hour gets its minutes and seconds
    s = s.str.replace(r"^(\d{1,4}-\d{1,2}-\d{1,4}) (\d{1,2})$", "$1 $2:00:00")
    return s.str.replace(r"( \d{1,2}:\d{2})$", "$1:00")


def _hour_shift(raw: pl.Expr, parsed: pl.Expr, *, chinese: bool) -> pl.Expr:
    """Afternoon marks (PM, 下午) add 12 hours; morning marks at 12 o'clock subtract them."""
    pm_pat = r"(?i)(\bp\.?m\.?$|下午|晚上|中午)" if chinese else r"(?i)\bp\.?m\.?$"
    am_pat = r"(?i)(\ba\.?m\.?$|上午|凌晨|早上)" if chinese else r"(?i)\ba\.?m\.?$"
    hour = parsed.dt.hour()
    return (
        pl.when(raw.str.contains(pm_pat) & (hour < 12))
        .then(parsed + pl.duration(hours=12))
        .when(raw.str.contains(am_pat) & (hour == 12))
        .then(parsed - pl.duration(hours=12))
        .otherwise(parsed)
        .alias("parsed")
    )


def _offset_minutes(raw: pl.Expr) -> pl.Expr:
    """Minutes east of UTC written in the value (0 for Z/UTC, null when no zone)."""
    zone = raw.str.extract(
        r"(?i)\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$", 1
    )
    sign = pl.when(zone.str.starts_with("-")).then(-1).otherwise(1)
    hh = zone.str.extract(r"^[+-](\d{2})", 1).cast(pl.Int64, strict=False)
    mm = zone.str.extract(r"^[+-]\d{2}:?(\d{2})$", 1).cast(pl.Int64, strict=False)
    return (
        pl.when(zone.is_null())
        .then(None)
        .otherwise(sign * (hh.fill_null(0) * 60 + mm.fill_null(0)))
    )


def _in_range(e: pl.Expr) -> pl.Expr:
    year = e.dt.year()
    return pl.when((year >= _MIN_YEAR) & (year <= _MAX_YEAR)).then(e)


def _choose_formats(norm: pl.Series) -> list[tuple[str, str]]:
    """Greedy choice of up to three formats that together parse most of the sample."""
    remaining = norm.drop_nulls()
    chosen: list[tuple[str, str]] = []
    banned: set[str] = set()
    candidates = [
        (d + t, fam, desc + (" with time" if t else ""))
        for d, fam, desc in _DATE_FORMATS
        for t in ("", _TIME)
    ]
    while remaining.len() and len(chosen) < _MAX_FORMATS:
        best: tuple[int, str, str, str] | None = None
        frame = pl.DataFrame({"v": remaining})
        exprs = [
            _in_range(pl.col("v").str.strptime(pl.Datetime("us"), fmt, strict=False))
            .is_not_null()
            .sum()
            .alias(str(i))
            for i, (fmt, fam, _) in enumerate(candidates)
        ]
        counts = frame.select(exprs).row(0)
        for (fmt, fam, desc), count in zip(candidates, counts, strict=True):
            if fam in banned or count == 0:
                continue
            if best is None or count > best[0]:
                best = (count, fmt, fam, desc)
        if best is None:
            break
        _, fmt, fam, desc = best
        chosen.append((fmt, desc))
        if fam == "dmy":
            banned.add("mdy")
        elif fam == "mdy":
            banned.add("dmy")
        ok = remaining.str.strptime(pl.Datetime("us"), fmt, strict=False)
        remaining = remaining.filter(_in_range_series(ok).is_null())
        candidates = [c for c in candidates if c[0] != fmt]
    return chosen


def _in_range_series(s: pl.Series) -> pl.Series:
    return pl.select(_in_range(pl.lit(s))).to_series()


# --------------------------------------------------------------------------- dates


#: Typed fast path: ISO text that Polars parses natively, with the description the general
#: path gives the same values (it normalises "T" to a space and chooses these formats).
#: Formats without fractions come first: Polars reads them about three times faster (and
#: refuses a value with a fraction, which then tries the next format).
_FAST_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d %H:%M:%S", "Y-M-D with time"),
    ("%Y-%m-%dT%H:%M:%S", "Y-M-D with time"),
    ("%Y-%m-%d %H:%M", "Y-M-D with time"),  # spreadsheets' and Chinese shops' exports
    ("%Y/%m/%d %H:%M:%S", "Y-M-D with time"),
    ("%Y/%m/%d %H:%M", "Y-M-D with time"),
    ("%Y-%m-%d %H:%M:%S%.f", "Y-M-D with time"),
    ("%Y-%m-%dT%H:%M:%S%.f", "Y-M-D with time"),
    ("%Y-%m-%d", "Y-M-D"),
    ("%Y/%m/%d", "Y-M-D"),
)
_FAST_PROBE = 2_000


def read_format(values: pl.Expr, fmt: str) -> pl.Expr:
    """Text in one strptime format as Datetime("us"); null where a value does not fit."""
    # cache=False: a cache of distinct strings costs more than it saves on timestamps
    return values.str.to_datetime(fmt, time_unit="us", strict=False, cache=False)


def _read_format(series: pl.Series, fmt: str) -> pl.Series:
    return spread(series, lambda v: read_format(v, fmt))


def in_years(values: pl.Series) -> bool:
    """Whether parsed times lie within the years the general path accepts (the two extremes:
    a year for every value took 0.45 s on 10M times)."""
    lo, hi = values.min(), values.max()
    if lo is None or hi is None:
        return True
    return lo.year >= _MIN_YEAR and hi.year <= _MAX_YEAR  # type: ignore[union-attr]


def plain_iso_format(series: pl.Series) -> tuple[str, str] | None:
    """The fast format (and its description) that ``fast_datetimes`` reads a text column
    with; None when no format reads every value within the accepted years."""
    found = _plain_iso(series)
    return None if found is None else (found[0], found[1])


def fast_datetimes(series: pl.Series) -> DateParse | None:
    """The column parsed by Polars alone when every value is plain ISO text, else None.

    Only a format that reads every non-null value (and none outside the years the general
    path accepts) is used, so the result equals the general path's; anything else (blanks,
    NA tokens, spaces, zones, other orders, a single odd value) returns None and the column
    goes through the general text parsing."""
    found = _plain_iso(series)
    if found is None:
        return None
    _fmt, description, values = found
    return DateParse(values.alias(series.name), 0, description)


def _plain_iso(series: pl.Series) -> tuple[str, str, pl.Series] | None:
    """The first fast format that reads every value of a text column, its description and
    the parsed values; None when none does or the years fall outside the accepted ones. A
    probe of the first values keeps a messy column from paying for a full failed pass."""
    if series.dtype != pl.String:
        return None
    nulls = series.null_count()
    if nulls == series.len():
        return None
    probe = series.drop_nulls().head(_FAST_PROBE)
    for fmt, description in _FAST_FORMATS:
        if _read_format(probe, fmt).null_count():
            continue
        values = _read_format(series, fmt)
        if values.null_count() != nulls:
            continue  # e.g. fractions of seconds further down: the next format may read them
        return (fmt, description, values) if in_years(values) else None
    return None


def _parse_datetimes(series: pl.Series, *, allow_serial: bool) -> DateParse:
    dtype = series.dtype
    name = series.name
    fast = fast_datetimes(series)
    if fast is not None:
        return fast
    if isinstance(dtype, pl.Datetime):
        values = series
        if dtype.time_zone is not None:
            values = values.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        values = values.cast(pl.Datetime("us"))
        return DateParse(values.alias(name), 0, "native date/time")
    if dtype == pl.Date:
        return DateParse(series.cast(pl.Datetime("us")).alias(name), 0, "native date")
    if dtype.is_numeric() or dtype == pl.Boolean:
        v = series.cast(pl.Float64, strict=False)
        v = pl.select(pl.when(v.is_finite()).then(v)).to_series()
        values = pl.select(_numeric_to_datetime(pl.lit(v), allow_serial)).to_series()
        present = int(v.is_not_null().sum())
        failed = present - int(values.is_not_null().sum())
        return DateParse(values.alias(name), failed, _numeric_description(v, allow_serial))

    text = _text(series)
    present = int(text.is_not_null().sum())
    if present == 0:
        empty = pl.Series(name, [None] * series.len(), dtype=pl.Datetime("us"))
        return DateParse(empty, 0, "empty")
    sample = _distinct_sample(text)
    chinese = bool(sample.str.contains(r"[年月日午晚凌早时]").any())
    names = bool(sample.str.contains(rf"(?i)\b({_MONTHS})").any())
    numeric_sample = sample.filter(sample.str.contains(_NUMERIC_STR))
    text_sample = sample.filter(~sample.str.contains(_NUMERIC_STR))
    norm_sample = pl.select(
        _normalise_date_text(pl.lit(text_sample), chinese=chinese, names=names)
    ).to_series()
    formats = _choose_formats(norm_sample) if norm_sample.len() else []

    frame = pl.DataFrame({"raw": text})
    raw = pl.col("raw")
    parts: list[pl.Expr] = []
    descriptions: list[str] = []
    if numeric_sample.len():
        num = pl.when(raw.str.contains(_NUMERIC_STR)).then(raw.cast(pl.Float64, strict=False))
        parts.append(_numeric_to_datetime(num, allow_serial))
        descriptions.append(
            _numeric_description(numeric_sample.cast(pl.Float64, strict=False), allow_serial)
        )
    if formats:
        # materialise each stage once: reusing an expression would re-run its regexes
        unchanged = bool((norm_sample == text_sample).all())
        normalised = raw if unchanged else _normalise_date_text(raw, chinese=chinese, names=names)
        frame = frame.with_columns(normalised.alias("norm"))
        norm = pl.col("norm")
        frame = frame.with_columns(
            pl.coalesce(
                [
                    _in_range(norm.str.strptime(pl.Datetime("us"), f, strict=False))
                    for f, _ in formats
                ]
            ).alias("parsed")
        )
        has_marks = sample.str.contains(r"(?i)(\bp\.?m\.?$|\ba\.?m\.?$|午|晚上|凌晨|早上)").any()
        if has_marks:
            frame = frame.with_columns(_hour_shift(raw, pl.col("parsed"), chinese=chinese))
        has_zone = sample.str.contains(_ZONE_AFTER_TIME).any()
        if has_zone:
            frame = frame.with_columns(offset=_offset_minutes(raw))
            offset = pl.col("offset")
            frame = frame.with_columns(
                parsed=pl.when(offset.is_null())
                .then(pl.col("parsed"))
                .otherwise(pl.col("parsed") - pl.duration(minutes=offset))
            )
        parts.append(pl.col("parsed"))
        descriptions.extend(desc for _, desc in formats)
        if has_zone:
            descriptions.append("time zone converted to UTC")
    if not parts:
        values = pl.Series(name, [None] * series.len(), dtype=pl.Datetime("us"))
    else:
        values = frame.select(pl.coalesce(parts).cast(pl.Datetime("us")).alias(name)).to_series()
    failed = present - int(values.is_not_null().sum())
    detected = " + ".join(descriptions) if descriptions else "no date format recognised"
    return DateParse(values, failed, detected)


def _numeric_description(v: pl.Series, allow_serial: bool) -> str:
    v = v.drop_nulls()
    if v.len() == 0:
        return "numbers"
    med = float(v.median() or 0)
    if 19000101 <= med <= 22001231:
        return "YYYYMMDD numbers"
    if 1e8 <= med < _UNIX_MAX_S:
        return "Unix seconds"
    if 1e11 <= med < _UNIX_MAX_S * 1000:
        return "Unix milliseconds"
    if 1e14 <= med < _UNIX_MAX_S * 1_000_000:
        return "Unix microseconds"
    if allow_serial and 20000 <= med <= 80000:
        return "Excel serial days"
    return "numbers (not dates)"


def parse_datetimes(series: pl.Series) -> DateParse:
    """Parse a column of dates/times written in any common way into naive UTC datetimes."""
    return _parse_datetimes(series, allow_serial=True)


# --------------------------------------------------------------------------- numbers


_CURRENCY = r"(?i)(RMB|CNY|USD|EUR|GBP|HKD|JPY|AUD|CAD|SGD|TWD|US\$|HK\$|NT\$|[¥￥$€£₩₹元])"


def _decimal_comma(sample: pl.Series) -> bool:
    """True when the sample's values use a comma as the decimal mark."""
    comma = (
        sample.str.contains(r",\d{1,2}$")
        | sample.str.contains(r",\d{4,}$")
        | sample.str.contains(r"\.\d{3},\d*$")
        | sample.str.contains(r"\.\d{3}\.\d{3}")
    )
    dot = (
        sample.str.contains(r"\.\d{1,2}$")
        | sample.str.contains(r"\.\d{4,}$")
        | sample.str.contains(r",\d{3}\.\d*$")
        | sample.str.contains(r",\d{3},\d{3}")
    )
    return int(comma.sum()) > int(dot.sum())


def fast_numbers(series: pl.Series) -> NumberParse | None:
    """The column read by one Polars cast when every value is a plain finite decimal, else None.

    The same values ``parse_numbers`` gives such a column (its own first step is this cast),
    without a pass over the distinct values first; a blank, an NA word, a currency sign, a
    separator or a single odd value returns None and the general parser decides."""
    if series.dtype != pl.String:
        return None
    plain = spread(series, lambda v: v.cast(pl.Float64, strict=False))
    if plain.null_count() != series.null_count() or not bool(plain.is_finite().all()):
        return None
    return NumberParse(plain, 0)


def parse_numbers(series: pl.Series) -> NumberParse:
    """Parse money, counts and percentages written with signs, separators and currencies."""
    name = series.name
    fast = fast_numbers(series)
    if fast is not None:
        return fast
    if series.dtype.is_numeric() or series.dtype == pl.Boolean:
        v = series.cast(pl.Float64, strict=False)
        v = pl.select(pl.when(v.is_finite()).then(v)).to_series().alias(name)
        return NumberParse(v, 0)
    if series.dtype != pl.String and not isinstance(series.dtype, pl.Categorical | pl.Enum):
        # dates, lists, structs: not numbers
        text = _text(series)
        n = int(text.is_not_null().sum())
        return NumberParse(pl.Series(name, [None] * series.len(), dtype=pl.Float64), n)
    text = _text(series)
    present = int(text.is_not_null().sum())
    # fast path: plain numbers need no rewriting (most big files)
    plain = text.cast(pl.Float64, strict=False)
    plain = pl.select(pl.when(plain.is_finite()).then(plain)).to_series().alias(name)
    if int(plain.is_not_null().sum()) == present and not (
        present and bool(_distinct_sample(text, 200).str.contains(",").any())
    ):
        return NumberParse(plain, 0)
    raw = pl.col("raw")
    # strip currency and spacing characters, keep sign marks for later
    core = (
        raw.str.replace_all(_CURRENCY, "")
        .str.replace_all(r"[\s\u00a0\u202f'’`]", "")
        .str.replace_all("−", "-")
    )
    frame = pl.DataFrame({"raw": text}).with_columns(core=core)
    core = pl.col("core")
    negative = core.str.contains(r"^\(.*\)$") | core.str.contains(r"^-") | core.str.contains(r"-$")
    percent = core.str.contains("%$") | core.str.contains("^%")
    digits = core.str.replace_all(r"[()%+\-]", "")
    frame = frame.with_columns(neg=negative, pct=percent, digits=digits)
    sample = _distinct_sample(frame["digits"].filter(frame["digits"].is_not_null()))
    comma = _decimal_comma(sample) if sample.len() else False
    d = pl.col("digits")
    as_dot = d.str.replace_all(",", "")
    as_comma = d.str.replace_all(r"\.", "").str.replace_all(",", ".")
    n_comma = d.str.count_matches(",")
    n_dot = d.str.count_matches(r"\.")
    # Unambiguous values decide for themselves; only "1,234" / "1.234" follow the column.
    use_comma = (
        pl.when((n_comma > 0) & (n_dot > 0))
        .then(d.str.contains(r"\.[^,]*,\d*$"))
        .when(n_comma > 1)
        .then(pl.lit(False))
        .when(n_dot > 1)
        .then(pl.lit(True))
        .when((n_comma == 1) & ~d.str.contains(r",\d{3}$"))
        .then(pl.lit(True))
        .when((n_dot == 1) & ~d.str.contains(r"\.\d{3}$"))
        .then(pl.lit(False))
        .otherwise(pl.lit(comma))
    )
    # thousands groups must have three digits: "12.5.3" is not a number
    shape_dot = d.str.contains(r"^(\d{1,3}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?$")
    shape_comma = d.str.contains(r"^(\d{1,3}(\.\d{3})+|\d*)(,\d*)?$")
    shape_ok = pl.when(use_comma).then(shape_comma).otherwise(shape_dot)
    d = pl.when(use_comma).then(as_comma).otherwise(as_dot)
    valid = shape_ok & d.str.contains(r"^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    value = pl.when(valid).then(d.cast(pl.Float64, strict=False))
    value = pl.when(pl.col("neg")).then(-value).otherwise(value)
    value = pl.when(pl.col("pct")).then(value / 100).otherwise(value)
    value = pl.when(value.is_finite()).then(value)
    values = frame.select(value.alias(name)).to_series()
    return NumberParse(values, present - int(values.is_not_null().sum()))


# --------------------------------------------------------------------------- ids


def clean_ids(series: pl.Series) -> pl.Series:
    """Ids as trimmed text: "17850.0" → "17850", numbers without ".0", leading zeros kept."""
    name = series.name
    dtype = series.dtype
    if dtype.is_integer():
        return series.cast(pl.String).alias(name)
    if dtype.is_float():
        v = series
        integral = v.is_finite() & (v == v.floor()) & (v.abs() < 1e37)
        as_int = pl.select(
            pl.when(integral).then(v).cast(pl.Decimal(38, 0), strict=False).cast(pl.String)
        ).to_series()
        out = pl.select(
            pl.when(integral)
            .then(pl.lit(as_int))
            .when(v.is_finite())
            .then(pl.lit(v).cast(pl.String))
        ).to_series()
        return out.alias(name)
    text = series if dtype == pl.String else series.cast(pl.String, strict=False)
    text = text.str.strip_chars()
    out = pl.select(
        pl.when(text.str.to_lowercase().is_in(["", "nan", "null", "none", "n/a", "#n/a", "na"]))
        .then(None)
        .otherwise(text.str.replace(r"^(-?\d+)\.0+$", "$1"))
    ).to_series()
    return out.alias(name)


# --------------------------------------------------------------------------- shares


def datetime_share(series: pl.Series, sample: int = 1000) -> float:
    """Share of non-empty values (in a sample) that parse as date/times.

    Numbers only count when they look like YYYYMMDD or Unix time, or like Excel
    serials in float columns, so ratings and quantities are not taken for dates.
    """
    if isinstance(series.dtype, pl.Datetime) or series.dtype == pl.Date:
        return 1.0 if series.drop_nulls().len() else 0.0
    if not (series.dtype.is_numeric() or series.dtype == pl.String):
        return 0.0
    values = _text(series) if series.dtype == pl.String else series
    picked = _even_sample(values, sample)
    if picked.len() == 0:
        return 0.0
    parsed = _parse_datetimes(picked, allow_serial=series.dtype.is_float())
    return float(parsed.values.is_not_null().sum()) / picked.len()


def number_share(series: pl.Series, sample: int = 1000) -> float:
    """Share of non-empty values (in a sample) that parse as numbers."""
    if series.dtype.is_numeric():
        return 1.0 if series.drop_nulls().len() else 0.0
    if series.dtype != pl.String:
        return 0.0
    picked = _even_sample(_text(series), sample)
    if picked.len() == 0:
        return 0.0
    parsed = parse_numbers(picked)
    return float(parsed.values.is_not_null().sum()) / picked.len()
