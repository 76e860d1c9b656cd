"""Raw table + mapping -> the canonical events or customers frame, and its quality report.

Everything after this step relies on the canonical frames of docs/ARCHITECTURE.md, so
this is where messy values become typed columns, cancellations become refunds, and
unusable rows are dropped and counted (never silently). Vectorised Polars throughout.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import polars as pl

from churnlab import schema
from churnlab._threads import beside
from churnlab.counting import value_counts
from churnlab.errors import MappingError
from churnlab.i18n import Message, Phrases
from churnlab.ingest.cores import SPREAD_FROM, spread, summarise
from churnlab.ingest.mapping import (
    Mapping,
    looks_like_dates,
    normalise_event_types,
    normalise_labels,
)
from churnlab.ingest.parsing import (
    DateParse,
    clean_ids,
    fast_datetimes,
    fast_numbers,
    number_share,
    parse_datetimes,
    parse_numbers,
)
from churnlab.ingest.quality import QualityReport
from churnlab.ingest.reading import RawTable

log = logging.getLogger(__name__)

_TEXT_ROLES = (schema.CATEGORY, schema.CHANNEL, schema.COUPON)
_ID_ROLES = (schema.ORDER_ID, schema.SESSION_ID, schema.PRODUCT_ID)
_NO_COUPON = ("0", "0.0", "0.00", "-", "none", "null", "nan", "n/a", "无", "否")
# Canonical column order of the events frame.
EVENT_COLUMNS = (
    schema.CUSTOMER_ID,
    schema.TIMESTAMP,
    schema.EVENT_TYPE,
    schema.AMOUNT,
    schema.QUANTITY,
    schema.ORDER_ID,
    schema.SESSION_ID,
    schema.PRODUCT_ID,
    schema.CATEGORY,
    schema.CHANNEL,
    schema.COUPON,
    schema.RATING,
    schema.REVIEW_TEXT,
    schema.SERVICE_TEXT,
)


# Text that trimming or emptying would change (an empty value, or a space at either end), and
# ids that ``clean_ids`` would change (those, "123.0", or a word for "missing"): a column without
# any is used as it is (no copy: at 10M rows each copy costs seconds and hundreds of MB).
_EDGE_SPACE = r"^\s|\s$"
_MISSING_WORD = r"(?i)^(nan|null|none|n/a|#n/a|na)$"
_DOT_ZERO = r"^-?\d+\.0+$"

# Every character Python's str.isspace accepts: a superset of the regex's \s, so a column with
# none of them anywhere has no value that starts or ends with a space.
_SPACES = list("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") + [
    chr(c) for c in range(0x2000, 0x200B)
]


def _needs(series: pl.Series, pattern: str) -> bool:
    return bool(series.str.contains(pattern).any())


# One pass over a column answers every cheap question at once (on every core); the anchored
# regexes run only on the values they can match: a word for missing has at most 4 bytes, and
# "123.0" ends in 0 (10M ids: 0.55 -> 0.15 s).
_TRIM_CHECKS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "empty": lambda v: (v.str.len_bytes() == 0).any(),
    "spaces": lambda v: v.str.contains_any(_SPACES).any(),
}
_ID_CHECKS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "missing_word": lambda v: v.filter(v.str.len_bytes() <= 4).str.contains(_MISSING_WORD).any(),
    "dot_zero": lambda v: v.filter(v.str.ends_with("0")).str.contains(_DOT_ZERO).any(),
}


def _trim_changes(series: pl.Series, found: dict[str, Any]) -> bool:
    """Some value is empty or has a space at an end: the anchored regex runs only when some
    value holds a space character somewhere."""
    return bool(found["empty"]) or (bool(found["spaces"]) and _needs(series, _EDGE_SPACE))


def _untrimmed(series: pl.Series) -> bool:
    """Some value is empty or has a space at an end."""
    return _trim_changes(series, summarise(series, **_TRIM_CHECKS))


def _unclean_ids(series: pl.Series) -> bool:
    """Some id ``clean_ids`` would change."""
    found = summarise(series, **_TRIM_CHECKS, **_ID_CHECKS)
    return _trim_changes(series, found) or bool(found["missing_word"] or found["dot_zero"])


def _text(series: pl.Series) -> pl.Series:
    """Trimmed strings, empty -> null, for any input dtype."""
    if series.dtype == pl.String and not _untrimmed(series):
        return series
    return series.cast(pl.String, strict=False).str.strip_chars().replace({"": None})


def _is_empty(series: pl.Series) -> pl.Series:
    """True where a value is missing or blank text (typed columns need no text round trip)."""
    if series.dtype == pl.String:
        return _text(series).is_null()
    return series.is_null()


def _examples(raw: pl.Series, mask: pl.Series, n: int = 3) -> str:
    values = _text(raw).filter(mask).drop_nulls().unique(maintain_order=True).head(n)
    return ", ".join(f"'{v}'" for v in values.to_list())


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _naive_datetime(series: pl.Series) -> pl.Series:
    """Datetime("us") without a zone (zoned values converted to UTC first)."""
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return series.cast(pl.Datetime("us"))


_DISTINCT_FROM = 20_000  # below this many rows, parse directly


def _parse_distinct(series: pl.Series, parse: Callable[[pl.Series], Any]) -> Any:
    """Parse each distinct value once and map back: shop exports repeat values a lot
    (quantities, prices, order times), and parsing text is the costly step."""
    if series.len() < _DISTINCT_FROM or series.dtype != pl.String:
        return parse(series)  # typed columns (Parquet, Excel) need no text parsing
    if parse is parse_datetimes:
        quick = fast_datetimes(series)  # plain ISO text: Polars alone, no distinct pass
        if quick is not None:
            return quick
    if parse is parse_numbers:
        plain = fast_numbers(series)  # plain decimals: one cast, no distinct pass
        if plain is not None:
            return plain
    distinct = series.unique()
    if distinct.len() > series.len() // 2:
        return parse(series)
    result = parse(distinct)
    values = series.replace_strict(
        distinct, result.values, default=None, return_dtype=result.values.dtype
    )
    failed = int((values.is_null() & ~_is_empty(series)).sum())
    return replace(result, values=values, n_failed=failed)


def parse_times(raw: RawTable, column: str) -> DateParse:
    """The time column parsed as cleaning parses it; role detection's parse when it kept one."""
    remembered = raw.recall(("parse", column))
    if remembered is not None:
        return remembered
    series = raw.frame[column]
    described = raw.read_formats.get(column)
    if described is not None and series.dtype == pl.Datetime("us"):
        return DateParse(series, 0, described)  # parsed from its text while being read
    return _parse_distinct(series, parse_datetimes)


def _ids(series: pl.Series) -> pl.Series:
    """``clean_ids`` applied once per distinct value (ids repeat on every event)."""
    if series.dtype == pl.String and not _unclean_ids(series):
        return series
    if series.dtype.is_integer():  # clean_ids is a plain cast: cheaper than mapping distincts
        return spread(series, lambda v: v.cast(pl.String))
    if series.len() < _DISTINCT_FROM:
        return clean_ids(series).cast(pl.String)
    distinct = series.unique()
    if distinct.len() > series.len() // 2:
        return clean_ids(series).cast(pl.String)
    cleaned = clean_ids(distinct).cast(pl.String)
    return series.replace_strict(distinct, cleaned, default=None, return_dtype=pl.String)


def _report(raw: RawTable, mapping: Mapping) -> QualityReport:
    return QualityReport(
        source=raw.source,
        kind=mapping.kind,
        format=raw.format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        rows=raw.rows,
        columns=list(raw.columns),
        roles=dict(mapping.roles),
        attributes=list(mapping.attributes),
        notes=[*raw.notes, *mapping.notes],
    )


def _check_columns(raw: RawTable, mapping: Mapping) -> None:
    missing = [c for c in [*mapping.roles.values(), *mapping.attributes] if c not in raw.columns]
    if missing:
        raise MappingError(
            "error.cleaning.missing_columns",
            source=raw.source,
            missing=", ".join(f"'{c}'" for c in missing),
            columns=", ".join(f"'{c}'" for c in raw.columns),
        )
    if schema.CUSTOMER_ID not in mapping.roles:
        raise MappingError("error.cleaning.no_customer_id", source=raw.source)


def _row_filter(keep: pl.Series, drop: pl.Series, reason: str, report: QualityReport) -> pl.Series:
    """Drop ``drop`` rows among those still kept, counting them under ``reason``."""
    drop = drop.fill_null(False)
    count = int((keep & drop).sum())
    if count:
        report.dropped[reason] = count
    return keep & ~drop


# Rows dropped for these reasons never take a customer away: a duplicate leaves its first
# copy, and a row without an id belongs to nobody. When nothing else was dropped and the ids
# are as read, the distinct ids that role detection counted are the report's customers.
_KEEP_EVERY_CUSTOMER = {"duplicate", "missing_customer_id"}


def _first_copies(frame: pl.DataFrame) -> pl.Series:
    """True for the first copy of every distinct row (exact duplicates after it are False)."""
    if frame.width == 0:
        return pl.Series([True] * frame.height)
    # Hash every row first (8 bytes a row); only rows sharing a hash are compared in full,
    # which keeps the result exact without materialising a struct of every column. Shared
    # hashes are found by sorting, several times faster than a hash table of 10M rows;
    # Polars sorts on every core (10M rows: 0.16 s against numpy's 0.5 s).
    hashes = frame.hash_rows()
    ordered = hashes.sort(multithreaded=True).to_numpy()
    shared = ordered[1:][ordered[1:] == ordered[:-1]]
    first = pl.Series(np.ones(frame.height, dtype=bool))
    if not len(shared):
        return first
    # Polars' hashed membership: numpy's isin compares every row with every shared hash
    rows = np.flatnonzero(hashes.is_in(pl.Series(np.unique(shared)).implode()))
    subset = frame[rows].select(pl.struct(pl.all()).is_first_distinct()).to_series().to_numpy()
    values = first.to_numpy().copy()
    values[rows] = subset
    return pl.Series(values)


_DUPLICATES = ("duplicates", "rows")


def check_duplicates_beside(raw: RawTable) -> None:
    """Start the exact duplicate-row check of a big table on a thread of its own: it needs
    only the rows, and role detection (much of it one core's work on a sample) runs
    meanwhile; cleaning takes the result (``_duplicate_rows``)."""
    if raw.frame.height >= SPREAD_FROM:
        # on a clone (a new handle on the same columns): Polars locks a frame while it
        # hashes its rows, which held role detection's first look at it for 0.14 s
        raw.remember(_DUPLICATES, beside(_first_copies, raw.frame.clone()))


def _duplicate_rows(raw: RawTable) -> pl.Series:
    """True for every exact copy of an earlier row."""
    started = raw.recall(_DUPLICATES)
    return ~(started.result() if started is not None else _first_copies(raw.frame))


def prepare(raw: RawTable, mapping: Mapping) -> tuple[pl.DataFrame, QualityReport]:
    """Build the canonical frame of ``mapping.kind`` and the quality report for this file."""
    _check_columns(raw, mapping)
    report = _report(raw, mapping)
    if mapping.kind == schema.EVENTS:
        frame = _prepare_events(raw, mapping, report)
    else:
        frame = _prepare_customers(raw, mapping, report)
    report.rows_kept = frame.height
    if mapping.kind != schema.EVENTS:  # an event log counts them while filtering its rows
        report.customers = _customers(frame)
    if frame.height == 0:
        report.problems.append(Message("quality.problem.no_rows_left"))
    elif report.customers < 2:
        report.warnings.append(Message("quality.warning.one_customer"))
    log.info("%s: kept %d of %d rows", raw.source, frame.height, raw.rows)
    return frame, report


def _customers(
    frame: pl.DataFrame, ids: pl.Series | None = None, keep: pl.Series | None = None
) -> int:
    """Distinct customers of the clean frame. Integer ids in the file (``ids``, rows kept:
    ``keep``) map one to one onto their text ids, so those are counted, not 10M strings."""
    if not frame.height:
        return 0
    if ids is not None and keep is not None and ids.dtype.is_integer():
        return int(ids.filter(keep).drop_nulls().n_unique())
    column = frame[schema.CUSTOMER_ID]
    if column.len() >= _DISTINCT_FROM:
        # Text ids counted by their 64-bit hashes (four times faster on 10M ids). The chance
        # that two of ten million ids share a hash is about three in a million, and it would
        # make the report's customer count one too low: nothing is keyed on this count.
        return int(column.drop_nulls().hash(seed=0).n_unique())
    return int(column.n_unique())


def _fill_from_order(
    frame: pl.DataFrame, time_empty: pl.Series, report: QualityReport
) -> tuple[pl.DataFrame, pl.Series]:
    """Order exports (Shopify's among them) write the customer and time on an order's first
    line only: the other lines of the same order get them from it instead of being dropped."""
    if schema.ORDER_ID not in frame.columns:
        return frame, time_empty
    gaps = frame[schema.CUSTOMER_ID].is_null() | frame[schema.TIMESTAMP].is_null()
    if not gaps.any():
        return frame, time_empty
    order = pl.col(schema.ORDER_ID)
    columns = (schema.CUSTOMER_ID, schema.TIMESTAMP, schema.EVENT_TYPE)
    unknown = pl.col(schema.EVENT_TYPE) == "unknown"
    filled = (
        frame.with_columns(
            pl.when(unknown)
            .then(None)
            .otherwise(pl.col(schema.EVENT_TYPE))
            .alias(schema.EVENT_TYPE)
        )
        .with_columns(
            [
                pl.col(c).fill_null(pl.col(c).drop_nulls().first().over(order)).alias(c)
                for c in columns
            ]
        )
        .with_columns(
            # a row without an order id is not part of any order
            [pl.when(order.is_null()).then(frame[c]).otherwise(pl.col(c)).alias(c) for c in columns]
        )
        .with_columns(pl.col(schema.EVENT_TYPE).fill_null("unknown"))
    )
    was_gap = gaps & ~(filled[schema.CUSTOMER_ID].is_null() | filled[schema.TIMESTAMP].is_null())
    count = int(was_gap.sum())
    if count:
        report.notes.append(Message("quality.note.filled_from_order", {"count": count}))
    return filled, time_empty & filled[schema.TIMESTAMP].is_null()


def _prepare_events(raw: RawTable, mapping: Mapping, report: QualityReport) -> pl.DataFrame:
    roles = mapping.roles
    source = raw.frame
    n = source.height
    if schema.TIMESTAMP not in roles:
        raise MappingError(
            "error.cleaning.no_time", hint="error.cleaning.no_time.hint", source=raw.source
        )
    data: dict[str, pl.Series] = {}
    raw_ids = source[roles[schema.CUSTOMER_ID]]
    cleaned_ids = _ids(raw_ids)
    # integer ids become their digits, one text per number: the distinct ones stay distinct
    ids_as_read = cleaned_ids is raw_ids or raw_ids.dtype.is_integer()
    data[schema.CUSTOMER_ID] = cleaned_ids.alias(schema.CUSTOMER_ID)
    raw_time = source[roles[schema.TIMESTAMP]]
    parsed = parse_times(raw, roles[schema.TIMESTAMP])
    data[schema.TIMESTAMP] = _naive_datetime(parsed.values).alias(schema.TIMESTAMP)
    if parsed.detected:
        report.notes.append(
            Message(
                "quality.note.time_format",
                {
                    "column": roles[schema.TIMESTAMP],
                    "formats": Phrases("dateformat", parsed.detected),
                },
            )
        )

    if schema.EVENT_TYPE in roles:
        counted = raw.recall(("values", roles[schema.EVENT_TYPE]))  # role detection's count
        types = normalise_event_types(
            source[roles[schema.EVENT_TYPE]],
            mapping.event_codes,
            distinct=None if counted is None else counted.get_column("v"),
        )
        empty = int(types.is_null().sum())
        if empty:
            report.warnings.append(Message("quality.warning.no_event_type", {"count": empty}))
        data[schema.EVENT_TYPE] = types.fill_null("unknown").alias(schema.EVENT_TYPE)
    else:
        data[schema.EVENT_TYPE] = pl.repeat(schema.PURCHASE, n, eager=True).alias(schema.EVENT_TYPE)
        report.notes.append(Message("quality.note.all_purchases"))

    numbers: dict[str, pl.Series] = {}
    for role in (schema.AMOUNT, schema.QUANTITY, schema.UNIT_PRICE, schema.RATING):
        if role not in roles:
            continue
        column = roles[role]
        result = _parse_distinct(source[column], parse_numbers)
        numbers[role] = result.values.cast(pl.Float64).alias(role)
        if result.n_failed:
            bad = result.values.is_null() & ~_is_empty(source[column])
            filled = int((~_is_empty(source[column])).sum())
            message = Message(
                f"quality.issue.not_numbers.{role}",
                {
                    "column": column,
                    "count": result.n_failed,
                    "examples": _examples(source[column], bad),
                },
            )
            target = report.problems if _share(result.n_failed, filled) > 0.2 else report.warnings
            target.append(message)

    amount = numbers.get(schema.AMOUNT)
    quantity = numbers.get(schema.QUANTITY)
    if amount is None and schema.UNIT_PRICE in numbers:
        price = numbers[schema.UNIT_PRICE]
        amount = price * quantity.fill_null(1.0) if quantity is not None else price
        amount = amount.alias(schema.AMOUNT)
        report.notes.append(
            Message(
                "quality.note.amount_from_quantity"
                if quantity is not None
                else "quality.note.amount_from_price"
            )
        )
    negative = pl.repeat(False, n, eager=True)
    for series in (amount, quantity):
        if series is not None:
            negative = negative | (series < 0).fill_null(False)
    n_negative = int(negative.sum())
    if n_negative:
        data[schema.EVENT_TYPE] = (
            pl.select(
                pl.when(negative).then(pl.lit(schema.REFUND)).otherwise(data[schema.EVENT_TYPE])
            )
            .to_series()
            .alias(schema.EVENT_TYPE)
        )
        report.notes.append(Message("quality.note.refunds", {"count": n_negative}))
    if amount is not None:
        data[schema.AMOUNT] = amount.abs().alias(schema.AMOUNT)
    if quantity is not None:
        data[schema.QUANTITY] = quantity.abs().alias(schema.QUANTITY)
    if schema.RATING in numbers:
        data[schema.RATING] = numbers[schema.RATING]

    for role in _ID_ROLES:
        if role in roles:
            data[role] = _ids(source[roles[role]]).alias(role)
    for role in _TEXT_ROLES:
        if role in roles:
            values = _text(source[roles[role]])
            if role == schema.COUPON:
                lowered = values.str.to_lowercase().is_in(_NO_COUPON).fill_null(False)
                values = pl.select(pl.when(lowered).then(None).otherwise(values)).to_series()
            data[role] = values.alias(role)
    for role in schema.TEXT_ROLES:
        if role in roles:
            data[role] = _text(source[roles[role]]).alias(role)
            report.notes.append(_text_languages(data[role], roles[role], role))

    frame = pl.DataFrame([data[c] for c in EVENT_COLUMNS if c in data])
    if parsed.values.null_count() == raw_time.null_count():
        time_empty = raw_time.is_null()  # every value there was read as a time: none is blank
    else:
        time_empty = _is_empty(raw_time)
    frame, time_empty = _fill_from_order(frame, time_empty, report)

    keep = pl.repeat(True, n, eager=True)
    keep = _row_filter(keep, frame[schema.CUSTOMER_ID].is_null(), "missing_customer_id", report)
    time_bad = frame[schema.TIMESTAMP].is_null() & ~time_empty
    n_bad_time = int((keep & time_bad).sum())
    keep = _row_filter(keep, time_empty, "missing_time", report)
    if n_bad_time:
        message = Message(
            "quality.issue.bad_times",
            {"count": n_bad_time, "examples": _examples(raw_time, keep & time_bad)},
        )
        (report.problems if _share(n_bad_time, n) >= 0.01 else report.warnings).append(message)
    keep = _row_filter(keep, time_bad, "unreadable_time", report)
    keep = _row_filter(keep, _duplicate_rows(raw), "duplicate", report)
    frame = frame.filter(keep) if report.dropped else frame
    counted = raw.recall(("distinct", roles[schema.CUSTOMER_ID]))
    if counted is not None and ids_as_read and set(report.dropped) <= _KEEP_EVERY_CUSTOMER:
        report.customers = counted
    else:
        report.customers = _customers(frame, source[roles[schema.CUSTOMER_ID]], keep)

    missing_ids = report.dropped.get("missing_customer_id", 0)
    if missing_ids:
        message = Message("quality.issue.missing_ids", {"count": missing_ids})
        (report.problems if _share(missing_ids, n) > 0.5 else report.warnings).append(message)
    _describe_events(frame, report)
    return frame


def _text_languages(texts: pl.Series, column: str, role: str) -> Message:
    """Which languages a text column is written in: only Chinese and English are scored."""
    from churnlab.text_signals import languages

    distinct = value_counts(texts.drop_nulls())
    found = languages(distinct[distinct.columns[0]])
    counts = distinct["count"]
    total = max(int(counts.sum()), 1)
    share = {
        lang: round(100 * int(counts.filter(found == lang).sum()) / total) for lang in ("zh", "en")
    }
    return Message(
        f"quality.note.text_column.{role}",
        {
            "column": column,
            "zh": share["zh"],
            "en": share["en"],
            "other": 100 - share["zh"] - share["en"],
        },
    )


def _describe_events(frame: pl.DataFrame, report: QualityReport) -> None:
    if frame.height == 0:
        return
    stats = frame.select(
        pl.col(schema.TIMESTAMP).min().alias("lo"), pl.col(schema.TIMESTAMP).max().alias("hi")
    ).row(0)
    report.date_min, report.date_max = stats
    counts = value_counts(frame[schema.EVENT_TYPE], sort=True)
    report.events_per_type = {
        str(k): int(v)
        for k, v in zip(counts[schema.EVENT_TYPE].to_list(), counts["count"].to_list(), strict=True)
    }
    if schema.AMOUNT in frame.columns:
        purchases = pl.col(schema.EVENT_TYPE) == schema.PURCHASE  # no filtered copy of the log
        total = frame.select(pl.col(schema.AMOUNT).filter(purchases).sum()).item()
        report.amount_total = float(total or 0.0)
    if schema.PURCHASE not in report.events_per_type:
        report.warnings.append(Message("quality.warning.no_purchases"))
    if report.date_max is not None and report.date_max > dt.datetime.now() + dt.timedelta(days=2):
        report.warnings.append(
            Message("quality.warning.future", {"date": report.date_max.date().isoformat()})
        )
    if report.date_min is not None and report.date_min.year < 1990:
        report.warnings.append(
            Message("quality.warning.before_1990", {"date": report.date_min.date().isoformat()})
        )
    if report.date_min == report.date_max or (
        report.date_max is not None
        and report.date_min is not None
        and report.date_max - report.date_min < dt.timedelta(days=1)
    ):
        report.warnings.append(Message("quality.warning.one_day"))


def _attribute(series: pl.Series, name: str) -> pl.Series:
    """Type one customer attribute: Float64 numbers, Datetime dates, else trimmed String."""
    dtype = series.dtype
    if dtype.is_numeric():
        return series.cast(pl.Float64)
    if dtype.is_temporal():
        return _naive_datetime(series)
    if dtype == pl.Boolean:
        return series.cast(pl.String)
    text = _text(series)
    if text.null_count() == text.len():
        return text
    if looks_like_dates(text, name):
        return _naive_datetime(_parse_distinct(text, parse_datetimes).values)
    if number_share(text) >= 0.95:
        return _parse_distinct(text, parse_numbers).values.cast(pl.Float64)
    return text


def _prepare_customers(raw: RawTable, mapping: Mapping, report: QualityReport) -> pl.DataFrame:
    roles = mapping.roles
    source = raw.frame
    n = source.height
    columns: list[pl.Series] = [_ids(source[roles[schema.CUSTOMER_ID]]).alias(schema.CUSTOMER_ID)]
    taken = {schema.CUSTOMER_ID, schema.LABEL}
    for name in mapping.attributes:
        out_name = name if name not in taken else f"{name}_attribute"
        taken.add(out_name)
        columns.append(_attribute(source[name], name).alias(out_name))
    if schema.LABEL in roles:
        columns.append(normalise_labels(source[roles[schema.LABEL]]).alias(schema.LABEL))
    frame = pl.DataFrame(columns)

    keep = pl.repeat(True, n, eager=True)
    keep = _row_filter(keep, frame[schema.CUSTOMER_ID].is_null(), "missing_customer_id", report)
    keep = _row_filter(keep, _duplicate_rows(raw), "duplicate", report)
    frame = frame.filter(keep)
    repeated = ~frame[schema.CUSTOMER_ID].is_first_distinct()
    if int(repeated.sum()):
        report.dropped["repeated_customer_id"] = int(repeated.sum())
        frame = frame.filter(~repeated)

    if report.dropped.get("missing_customer_id"):
        report.warnings.append(
            Message("quality.issue.missing_ids", {"count": report.dropped["missing_customer_id"]})
        )
    if report.dropped.get("repeated_customer_id"):
        report.warnings.append(
            Message(
                "quality.warning.repeated_ids", {"count": report.dropped["repeated_customer_id"]}
            )
        )
    if schema.LABEL in frame.columns:
        labels = frame[schema.LABEL]
        unlabelled = int(labels.null_count())
        if unlabelled:
            report.warnings.append(Message("quality.warning.unlabelled", {"count": unlabelled}))
        counts = value_counts(labels.drop_nulls())
        report.events_per_type = {}
        if counts.height < 2 and frame.height:
            report.problems.append(Message("quality.problem.one_label"))
        churned = int((labels == 1).sum())
        report.notes.append(
            Message(
                "quality.note.churned_share",
                {"churned": churned, "labelled": labels.len() - unlabelled},
            )
        )
    else:
        report.notes.append(Message("quality.note.no_label"))
    return frame
