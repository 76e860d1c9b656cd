"""Choosing each column's role from its name *and* its values, with a confidence.

Names are a hint, structure decides: the customer is the id whose values recur across
many days and that order or session ids nest inside; a time is any column whose values
read as plausible dates (epoch seconds, milliseconds or microseconds included), whatever
its name. Each role carries a confidence (high / medium / low) and its evidence in words,
so a doubtful guess can be shown and confirmed instead of silently used.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from churnlab import schema
from churnlab.i18n import Message
from churnlab.ingest import mapping as names
from churnlab.ingest.reading import RawTable
from churnlab.ingest.structure import IdProfile, profile_ids

log = logging.getLogger(__name__)

HIGH, MEDIUM, LOW = "high", "medium", "low"

# Parts of a name that rule a money column out as the amount of a purchase.
_NOT_AMOUNT = ("freight", "shipping", "postage", "tax", "运费", "邮费", "税")
# Plausible dates for a time column found by its values alone.
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_TIME_SAMPLE = 2000


@dataclass(frozen=True)
class RoleConfidence:
    """How sure the reading is about one role, and why (a catalogue message)."""

    level: str  # "high", "medium" or "low"
    evidence: Message

    def to_dict(self, column: str) -> dict[str, str]:
        return {"column": column, "confidence": self.level, "evidence": str(self.evidence)}


@dataclass
class RoleChoice:
    """Roles, the confidence of each, and notes, before the kind of file is decided."""

    roles: dict[str, str]
    confidence: dict[str, RoleConfidence]
    notes: list[Message]
    profiles: dict[str, IdProfile]


# --------------------------------------------------------------------------- names


def name_scores(columns: list[str]) -> dict[str, dict[str, float]]:
    """role -> column -> how strongly the name says so (3 exact, 1.5 part of the name)."""
    out: dict[str, dict[str, float]] = {}
    for column in columns:
        key = names.normalise_name(column)
        if not key:
            continue
        for role, exact in names._EXACT.items():
            if key in exact:
                out.setdefault(role, {})[column] = 3.0 - 0.5 * exact.index(key) / len(exact)
            elif any(f in key for f in names._CONTAINS.get(role, ())):
                out.setdefault(role, {})[column] = 1.5
    for column in list(out.get(schema.AMOUNT, {})):
        if any(word in names.normalise_name(column) for word in _NOT_AMOUNT):
            del out[schema.AMOUNT][column]
    return out


def _best(scores: dict[str, float], used: set[str]) -> str | None:
    free = [(s, c) for c, s in scores.items() if c not in used]
    return max(free, key=lambda item: item[0])[1] if free else None


# --------------------------------------------------------------------------- time


def _integers(series: pl.Series) -> bool:
    if series.dtype.is_integer():
        return True
    if series.dtype.is_float():
        values = series.drop_nulls().head(_TIME_SAMPLE)
        return values.len() > 0 and bool((values == values.floor()).all())
    if series.dtype == pl.String:
        values = series.drop_nulls().head(_TIME_SAMPLE).str.strip_chars()
        return values.len() > 0 and bool(values.str.contains(r"^\d+(\.0+)?$").all())
    return False


def time_evidence(series: pl.Series, named: bool) -> tuple[float, pl.Series] | None:
    """Share of a sample that reads as plausible dates, and the parsed sample; None if not."""
    from churnlab.ingest.parsing import parse_datetimes

    if series.dtype == pl.Boolean or series.dtype.is_nested():
        return None
    values = series.drop_nulls()
    if values.len() == 0:
        return None
    step = max(values.len() // _TIME_SAMPLE, 1)
    sample = values.gather_every(step).head(_TIME_SAMPLE)
    if sample.dtype == pl.String:
        sample = sample.str.strip_chars().replace({"": None}).drop_nulls()
        if sample.len() == 0:
            return None
    numeric = _integers(sample) and not sample.dtype.is_temporal()
    if numeric and not named:
        ints = sample.cast(pl.Float64, strict=False)
        med = ints.median()
        # epoch s/ms/us, or YYYYMMDD; a bare count, code or amount is not a time
        if med is None or not (
            19_900_101 <= med <= 21_001_231 or 6.3e8 <= med <= 4.2e15  # type: ignore[operator]
        ):
            return None
    elif sample.dtype.is_numeric() and not named:
        return None
    parsed = parse_datetimes(sample).values
    ok = parsed.drop_nulls()
    if ok.len() == 0:
        return None
    years = ok.dt.year()
    plausible = ok.filter((years >= _MIN_YEAR) & (years <= _MAX_YEAR))
    share = plausible.len() / sample.len()
    if not named and (plausible.n_unique() < min(3, sample.n_unique()) or share < 0.95):
        return None
    return share, plausible


def _choose_time(
    raw: RawTable, scores: dict[str, float], notes: list[Message]
) -> tuple[str | None, RoleConfidence | None]:
    frame = raw.frame
    candidates: list[tuple[float, float, int, str, pl.Series]] = []
    for position, column in enumerate(frame.columns):
        named = column in scores
        found = time_evidence(frame[column], named)
        if found is None or found[0] < 0.5:
            if named:  # named as a time but hardly readable: kept, with low confidence
                empty = pl.Series(column, [], dtype=pl.Datetime("us"))
                share = found[0] if found else 0.0
                candidates.append((scores[column] - 4.0, share, -position, column, empty))
            continue
        share, parsed = found
        # time of day present beats dates only; names break ties
        has_clock = float(
            (parsed.dt.hour() != 0).any() or (parsed.dt.minute() != 0).any()  # type: ignore[operator]
        )
        score = share * 4 + scores.get(column, 0.0) + has_clock * 0.5
        candidates.append((score, share, -position, column, parsed))
    if not candidates:
        return None, None
    candidates.sort(key=lambda c: (c[0], c[2]), reverse=True)
    score, share, _pos, column, parsed = candidates[0]
    start, end = (parsed.min(), parsed.max()) if parsed.len() else ("?", "?")
    span = {"column": column, "start": str(start)[:16], "end": str(end)[:16]}
    if column in scores and share >= 0.9:
        level, key = HIGH, "quality.evidence.time.name"
    elif share >= 0.95:
        level, key = MEDIUM, "quality.evidence.time.values"
        notes.append(Message("quality.note.dates_as_time", {"column": column}))
    else:
        level, key = LOW, "quality.evidence.time.doubtful"
    runner = candidates[1] if len(candidates) > 1 else None
    if runner is not None and runner[0] >= score - 0.25 and column not in scores:
        level = LOW
        key = "quality.evidence.time.several"
        span["other"] = runner[3]
    return column, RoleConfidence(level, Message(key, {**span, "share": round(share * 100)}))


# --------------------------------------------------------------------------- ids


_ID_ROLES = (schema.CUSTOMER_ID, schema.ORDER_ID, schema.SESSION_ID, schema.PRODUCT_ID)


def _id_candidates(
    raw: RawTable, taken: set[str], scores: dict[str, dict[str, float]]
) -> list[str]:
    """Columns whose values could be ids: text or whole numbers, not free text or amounts
    (a column named as an id is always one)."""
    out: list[str] = []
    named = {c for role in _ID_ROLES for c in scores.get(role, {})}
    for column in raw.frame.columns:
        if column in taken:
            continue
        if column in named:
            out.append(column)
            continue
        series = raw.frame[column]
        dtype = series.dtype
        if dtype.is_temporal() or dtype == pl.Boolean or dtype.is_nested():
            continue
        if dtype.is_float():
            if not _integers(series):
                continue
        elif dtype == pl.String:
            sample = series.drop_nulls().head(_TIME_SAMPLE)
            if sample.len() == 0:
                continue
            lengths = sample.str.len_chars()
            # money or measures written with decimals ("12.00", "1.234,50"), not ids like "17850.0"
            decimals = sample.str.contains(r"^-?[\d.,]*\d[.,]\d+$").mean()
            fractions = sample.str.contains(r"[.,]\d*[1-9]\d*$").any()
            if float(lengths.mean() or 0) > 40 or (float(decimals or 0) > 0.5 and fractions):  # type: ignore[arg-type]
                continue
        elif not dtype.is_integer():
            continue
        if series.drop_nulls().head(50_000).n_unique() < 2:
            continue
        out.append(column)
    return out


def _customer_score(
    profile: IdProfile, profiles: dict[str, IdProfile], name: float, events: bool
) -> float:
    """How much a column looks like the customer; names weigh in, structure decides."""
    score = name
    if not events:
        # one row per customer: without a name, only a unique, non-sequential id will do
        if profile.unique and not profile.sequential:
            return score + 1.0
        return score if name else -5.0
    if profile.sequential or profile.unique:
        return score - 4.0
    if not _eligible(profile):
        return score - 4.0
    score += 0.3 * math.log10(max(profile.distinct, 1))
    if not profile.recurs:
        score -= 2.0
    score += _nesting_bonus(profiles).get(profile.column, 0.0)
    # a grouping of another recurring id (items inside a category, households in a store)
    if any(
        p.column != profile.column and p.recurs and p.nests_in.get(profile.column, 0.0) >= 0.95
        for p in profiles.values()
    ):
        score -= 1.5
    if profile.burst is not None:
        score += 2.0 * max(0.0, min(1.0, (0.6 - profile.burst) / 0.5))
    if profile.distinct < 10:
        score -= 2.0
    # present on most days of the data: a store, channel or best-seller, not a person
    if (profile.coverage or 0.0) > 0.5:
        score -= 2.0
    return score


def _prefer_person(
    roles: dict[str, str],
    confidence: dict[str, RoleConfidence],
    profiles: dict[str, IdProfile],
    customer_names: dict[str, float],
) -> None:
    """In a customers file with a per-order customer id and a second id for the person
    (``customer_unique_id``), the person is the second one: it groups several of the first."""
    key = profiles.get(roles[schema.CUSTOMER_ID])
    if key is None or not key.unique:
        return
    for column, score in customer_names.items():
        person = profiles.get(column)
        if person is None or column == key.column or score < 2.0 or person.unique:
            continue
        if 1 < person.distinct < key.distinct:
            roles[schema.CUSTOMER_ID] = column
            confidence[schema.CUSTOMER_ID] = RoleConfidence(
                HIGH,
                Message(
                    "quality.evidence.customer.person",
                    {
                        "column": column,
                        "values": f"{person.distinct:,}",
                        "key": key.column,
                        "ids": f"{key.distinct:,}",
                    },
                ),
            )
            return


def _eligible(profile: IdProfile) -> bool:
    """Could be a person at all: not an order, session, day/week number or time of day."""
    return not (
        profile.order_like or profile.session_like or profile.period_like or profile.clock_like
    )


def _nesting_bonus(profiles: dict[str, IdProfile]) -> dict[str, float]:
    """Orders and sessions nest in their customer, but also in coarser groupings (a store, a
    region): the finest recurring parent of each gets the most credit."""
    bonus: dict[str, float] = {}
    for child in profiles.values():
        if not (child.order_like or child.session_like):
            continue
        parents = [
            profiles[c]
            for c in child.parents()
            if c in profiles and _eligible(profiles[c]) and not profiles[c].unique
        ]
        parents.sort(key=lambda p: (p.recurs, p.distinct), reverse=True)
        for rank, parent in enumerate(parents):
            gain = 3.0 if rank == 0 and parent.recurs else 1.0
            bonus[parent.column] = max(bonus.get(parent.column, 0.0), gain)
    return bonus


def _customer_evidence(profile: IdProfile, profiles: dict[str, IdProfile]) -> Message:
    children = [
        p.column
        for p in profiles.values()
        if (p.order_like or p.session_like) and p.nests_in.get(profile.column, 0.0) >= 0.95
    ]
    values = {
        "column": profile.column,
        "values": f"{profile.distinct:,}",
        "days": f"{profile.median_days or 1:g}",
    }
    if children:
        return Message(
            "quality.evidence.customer.nested", {**values, "children": ", ".join(children)}
        )
    if profile.recurs:
        return Message("quality.evidence.customer.recurs", values)
    return Message("quality.evidence.customer.once", values)


def _doubt(profile: IdProfile | None, column: str, events: bool) -> Message | None:
    """Why a customer column cannot be a customer (None when nothing speaks against it)."""
    if profile is None or not events:
        return None
    if profile.unique and profile.rows >= 50:
        return Message(
            "quality.evidence.customer.per_row",
            {"column": column, "values": f"{profile.distinct:,}"},
        )
    if profile.order_like:
        parent = profile.parents()[0]
        return Message(
            "quality.evidence.customer.order_like",
            {"column": column, "values": f"{profile.distinct:,}", "parent": parent},
        )
    if profile.repeated >= 5 and (profile.multi_day or 0.0) <= 0.02:
        return Message(
            "quality.evidence.customer.single_day",
            {"column": column, "values": f"{profile.distinct:,}"},
        )
    return None


def choose_roles(raw: RawTable) -> RoleChoice:
    """Every role of one file from names and values, each with its confidence."""
    frame = raw.frame
    scores = name_scores(raw.columns)
    notes: list[Message] = []
    roles: dict[str, str] = {}
    confidence: dict[str, RoleConfidence] = {}

    time_col, time_conf = _choose_time(raw, scores.get(schema.TIMESTAMP, {}), notes)
    if time_col is not None and time_conf is not None:
        roles[schema.TIMESTAMP] = time_col
        confidence[schema.TIMESTAMP] = time_conf
    taken = set(roles.values())

    # roles that are not ids, by name: the strongest name first, one column per role
    measures = (
        schema.LABEL,
        schema.AMOUNT,
        schema.QUANTITY,
        schema.UNIT_PRICE,
        schema.RATING,
        schema.CHANNEL,
        schema.COUPON,
    )
    ranked = sorted(
        (
            (score, -frame.columns.index(column), role, column)
            for role in measures
            for column, score in scores.get(role, {}).items()
        ),
        reverse=True,
    )
    for score, _pos, role, column in ranked:
        if role in roles or column in taken or not _fits_measure(frame[column], role):
            continue
        # a column whose name is a stronger match for an id role stays an id
        if any(scores.get(r, {}).get(column, 0.0) > score for r in _ID_ROLES):
            continue
        roles[role] = column
        confidence[role] = _name_confidence(column, score, role)
        taken.add(column)
    event_col = _choose_event_type(raw, scores.get(schema.EVENT_TYPE, {}), taken, notes)
    if event_col is not None:
        roles[schema.EVENT_TYPE] = event_col
        if event_col in scores.get(schema.EVENT_TYPE, {}):
            confidence[schema.EVENT_TYPE] = _name_confidence(
                event_col, scores[schema.EVENT_TYPE][event_col], schema.EVENT_TYPE
            )
        else:
            confidence[schema.EVENT_TYPE] = RoleConfidence(
                MEDIUM, Message("quality.evidence.event_values", {"column": event_col})
            )
        taken.add(event_col)
    # what customers wrote, before ids: a column of reviews is never an id
    for role, (column, conf) in _choose_texts(raw, scores, taken, event_col, notes).items():
        roles[role] = column
        confidence[role] = conf
        taken.add(column)

    candidates = _id_candidates(raw, taken, scores)
    times = None
    if time_col is not None:
        from churnlab.ingest.cleaning import parse_times

        # parsed once, as cleaning parses it, and kept on the table for cleaning to reuse
        parsed = parse_times(raw, time_col)
        raw.remember(("parse", time_col), parsed)
        times = parsed.values
    profiles = profile_ids(frame, candidates, times)
    many_rows_per_id = any(not p.unique for p in profiles.values())
    events = time_col is not None and many_rows_per_id

    _assign_ids(roles, confidence, profiles, scores, events, notes)
    return RoleChoice(roles=roles, confidence=confidence, notes=notes, profiles=profiles)


# --------------------------------------------------------------------------- free text

# Parts of a name that rule a column out as free text found by its values (names, titles,
# addresses and product descriptions are long varied strings too, but not what customers say).
_NOT_TEXT = (
    "name", "title", "desc", "address", "addr", "email", "mail", "phone", "tel", "url",
    "link", "sku", "product", "item", "goods", "city", "street", "remark", "备注", "标题",
    "名称", "描述", "地址", "电话", "手机", "邮箱", "商品", "宝贝", "链接", "昵称", "城市",
)  # fmt: skip
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_TEXT_DISTINCT = 0.3  # free text by values: at least this share of the values distinct


def looks_like_text(series: pl.Series, named: bool) -> bool:
    """Long, varied strings with words in them: what customers wrote. Dates, numbers, ids and
    codes (one token without spaces), and a few repeated labels (categories) are not."""
    from churnlab.ingest.parsing import datetime_share, number_share

    if series.dtype != pl.String:
        return False
    values = series.drop_nulls()
    if values.len() == 0:
        return False
    step = max(values.len() // _TIME_SAMPLE, 1)
    sample = values.gather_every(step).head(_TIME_SAMPLE).str.strip_chars()
    sample = sample.filter(sample.str.len_chars() > 0)
    if sample.len() == 0 or sample.n_unique() < 2:
        return False
    if datetime_share(sample, 500) >= 0.5 or number_share(sample, 500) >= 0.5:
        return False
    # one ASCII token (an id, code, e-mail or URL), or digits with a word around them (订单000123)
    digits = sample.str.count_matches(r"\d") >= 0.3 * sample.str.len_chars()
    code = sample.str.contains(r"^[\x21-\x7e]+$") | (digits & ~sample.str.contains(r"\s"))
    tokens = float(code.mean() or 0.0)  # type: ignore[arg-type]
    if tokens > (0.5 if named else 0.2):
        return False
    chinese = sample.str.count_matches(_CJK) >= 2
    wordy = float((sample.str.contains(r"[A-Za-z]\s+[A-Za-z]") | chinese).mean() or 0.0)  # type: ignore[arg-type]
    if named:
        return wordy >= 0.3
    length = float(sample.str.len_chars().mean() or 0.0)  # type: ignore[arg-type]
    long_enough = length >= (6 if float(chinese.mean() or 0.0) >= 0.5 else 12)  # type: ignore[arg-type]
    if not long_enough or wordy < 0.5 or sample.n_unique() < max(10, _TEXT_DISTINCT * sample.len()):
        return False
    return values.n_unique() >= _TEXT_DISTINCT * values.len()


def _choose_texts(
    raw: RawTable,
    scores: dict[str, dict[str, float]],
    taken: set[str],
    event_col: str | None,
    notes: list[Message],
) -> dict[str, tuple[str, RoleConfidence]]:
    """Review and service text columns: by name (and text values), else the one column of
    free text found by its values alone (service messages when its rows are service events)."""
    frame = raw.frame
    chosen: dict[str, tuple[str, RoleConfidence]] = {}
    used = set(taken)
    ranked = sorted(
        (
            # equal names (review_comment_message): a review first, then the first column
            (score, role == schema.REVIEW_TEXT, -frame.columns.index(column), role, column)
            for role in schema.TEXT_ROLES
            for column, score in scores.get(role, {}).items()
        ),
        reverse=True,
    )
    for score, _review, _pos, role, column in ranked:
        if role in chosen or column in used:
            continue
        others = max(
            (s.get(column, 0.0) for r, s in scores.items() if r not in schema.TEXT_ROLES),
            default=0.0,
        )
        if others > score or not looks_like_text(frame[column], named=True):
            continue
        chosen[role] = (column, _name_confidence(column, score, role))
        used.add(column)
    if chosen:
        return chosen
    named = {c for s in scores.values() for c in s}
    for column in frame.columns:
        if column in used or column in named:
            continue
        if any(word in names.normalise_name(column) for word in _NOT_TEXT):
            continue
        if not looks_like_text(frame[column], named=False):
            continue
        role = schema.REVIEW_TEXT
        if event_col is not None:
            written = frame.filter(pl.col(column).is_not_null())[event_col]
            types = names.normalise_event_types(written).drop_nulls()
            if types.len() and float((types == schema.SERVICE).mean() or 0.0) > 0.5:  # type: ignore[arg-type]
                role = schema.SERVICE_TEXT
        notes.append(Message("quality.note.text_from_values", {"column": column}))
        evidence = Message("quality.evidence.text_values", {"column": column})
        return {role: (column, RoleConfidence(MEDIUM, evidence))}
    return chosen


def _fits_measure(series: pl.Series, role: str) -> bool:
    if role == schema.LABEL:
        return series.drop_nulls().n_unique() == 2 or series.dtype == pl.Boolean
    return True


def _name_confidence(column: str, score: float, role: str) -> RoleConfidence:
    level = HIGH if score >= 2.0 else MEDIUM
    return RoleConfidence(level, Message("quality.evidence.name", {"column": column, "role": role}))


def _choose_event_type(
    raw: RawTable, scores: dict[str, float], taken: set[str], notes: list[Message]
) -> str | None:
    frame = raw.frame
    named = _best(scores, taken)
    if named is not None:
        strong = names.normalise_name(named) in names._STRONG_EVENT_NAMES
        if strong or names._looks_like_event_types(frame[named]) or looks_like_codes(frame[named]):
            return named
        notes.append(Message("quality.note.not_event_types", {"column": named}))
    for column in frame.columns:
        if column in taken or column == named:
            continue
        if frame[column].dtype == pl.String and names._looks_like_event_types(frame[column]):
            notes.append(Message("quality.note.event_types_from_values", {"column": column}))
            return column
    return None


def looks_like_codes(series: pl.Series) -> bool:
    """A handful of short codes (1-4, A-D) that could stand for event types."""
    values = names._strings(series).drop_nulls()
    if values.len() == 0:
        return False
    distinct = values.unique()
    return 2 <= distinct.len() <= 12 and bool(distinct.str.contains(r"^[0-9A-Za-z]{1,2}$").all())


def _assign_ids(
    roles: dict[str, str],
    confidence: dict[str, RoleConfidence],
    profiles: dict[str, IdProfile],
    scores: dict[str, dict[str, float]],
    events: bool,
    notes: list[Message],
) -> None:
    customer_names = scores.get(schema.CUSTOMER_ID, {})
    ranked = sorted(
        (
            (
                _customer_score(p, profiles, customer_names.get(c, 0.0), events),
                p.distinct,
                -list(profiles).index(c),
                c,
            )
            for c, p in profiles.items()
        ),
        reverse=True,
    )
    # a column named as another role (order number, product, session) is not the customer
    other_named = {
        c
        for role in (schema.ORDER_ID, schema.PRODUCT_ID, schema.SESSION_ID, schema.CATEGORY)
        for c, s in scores.get(role, {}).items()
        if s >= 2.0 and c not in customer_names
    }
    ranked = [r for r in ranked if r[3] not in other_named]
    if ranked:
        score, _d, _p, column = ranked[0]
        profile = profiles[column]
        runner = ranked[1][0] if len(ranked) > 1 else None
        doubt = _doubt(profile, column, events)
        if doubt is not None:
            level, evidence = LOW, doubt
        elif column in customer_names and customer_names[column] >= 2.0:
            level, evidence = HIGH, _customer_evidence(profile, profiles)
        elif runner is not None and score - runner < 1.0:
            level = LOW
            evidence = Message(
                "quality.evidence.customer.close",
                {"column": column, "other": ranked[1][3]},
            )
        else:
            level = MEDIUM if column not in customer_names else HIGH
            evidence = _customer_evidence(profile, profiles)
            if column not in customer_names:
                notes.append(Message("quality.note.id_from_values", {"column": column}))
        if score > -3.0 or column in customer_names:
            roles[schema.CUSTOMER_ID] = column
            confidence[schema.CUSTOMER_ID] = RoleConfidence(level, evidence)
        elif events and not customer_names:
            # too few rows to tell (a tiny headerless log): the likeliest, flagged as a guess
            guess = next(
                (r[3] for r in ranked if _eligible(profiles[r[3]]) and not profiles[r[3]].unique),
                None,
            )
            if guess is not None:
                roles[schema.CUSTOMER_ID] = guess
                confidence[schema.CUSTOMER_ID] = RoleConfidence(
                    LOW, Message("quality.evidence.customer.guess", {"column": guess})
                )
    if not events and schema.CUSTOMER_ID in roles:
        _prefer_person(roles, confidence, profiles, customer_names)
    customer = roles.get(schema.CUSTOMER_ID)
    used = set(roles.values())
    # orders and sessions: named, else found by how they live and nest
    for role, test in ((schema.ORDER_ID, "order_like"), (schema.SESSION_ID, "session_like")):
        named = _best(scores.get(role, {}), used)
        if named is not None:
            roles[role] = named
            confidence[role] = _name_confidence(named, scores[role][named], role)
            used.add(named)
            continue
        if not events or customer is None:
            continue
        found = [
            p
            for c, p in profiles.items()
            if c not in used and getattr(p, test) and p.nests_in.get(customer, 0.0) >= 0.95
        ]
        if found:
            best = max(found, key=lambda p: p.distinct)
            roles[role] = best.column
            used.add(best.column)
            key = (
                "quality.evidence.order" if role == schema.ORDER_ID else "quality.evidence.session"
            )
            confidence[role] = RoleConfidence(
                MEDIUM,
                Message(
                    key,
                    {
                        "column": best.column,
                        "values": f"{best.distinct:,}",
                        "parent": customer,
                        "minutes": f"{(best.life_hours or 0) * 60:.0f}",
                    },
                ),
            )
    # products and categories: named, else the finest recurring id shared across customers
    for role in (schema.PRODUCT_ID, schema.CATEGORY):
        named = _best(scores.get(role, {}), used)
        if named is not None:
            roles[role] = named
            confidence[role] = _name_confidence(named, scores[role][named], role)
            used.add(named)
    if events and customer is not None and schema.PRODUCT_ID not in roles:
        person = profiles.get(customer)
        shared = [
            p
            for c, p in profiles.items()
            if c not in used
            and p.recurs
            and p.distinct >= 20
            and not p.unique
            # one value per customer is an attribute of the customer (zip code, city), not a product
            and (person is None or person.determines.get(c, 0.0) < 0.95)
        ]
        if shared:
            product = max(shared, key=lambda p: p.distinct)
            roles[schema.PRODUCT_ID] = product.column
            used.add(product.column)
            confidence[schema.PRODUCT_ID] = RoleConfidence(
                LOW,
                Message(
                    "quality.evidence.product",
                    {"column": product.column, "values": f"{product.distinct:,}"},
                ),
            )
            if schema.CATEGORY not in roles:
                groups = [
                    profiles[c]
                    for c, share in product.nests_in.items()
                    if share >= 0.95 and c not in used and profiles[c].distinct >= 2
                ]
                if groups:
                    category = max(groups, key=lambda p: p.distinct)
                    roles[schema.CATEGORY] = category.column
                    confidence[schema.CATEGORY] = RoleConfidence(
                        LOW,
                        Message(
                            "quality.evidence.category",
                            {"column": category.column, "product": product.column},
                        ),
                    )


#: Evidence keys that say a customer column cannot be a customer (training refuses).
IMPOSSIBLE_CUSTOMER = (
    "quality.evidence.customer.order_like",
    "quality.evidence.customer.single_day",
    "quality.evidence.customer.per_row",
)


def review_customer(mapping: Any, events: bool) -> None:
    """Re-check the customer column against its structure once the kind is known (and after a
    user's choice): a column that cannot be a customer gets a low confidence and the evidence
    why, and the likeliest other column is remembered for the error message."""
    column = mapping.roles.get(schema.CUSTOMER_ID)
    profiles: dict[str, IdProfile] = mapping.profiles
    if column is None:
        return
    doubt = _doubt(profiles.get(column), column, events)
    if doubt is not None:
        mapping.confidence[schema.CUSTOMER_ID] = RoleConfidence(LOW, doubt)
    elif impossible_customer(mapping):  # judged as an event log before the kind was known
        mapping.confidence[schema.CUSTOMER_ID] = RoleConfidence(
            HIGH if column in name_scores([column]).get(schema.CUSTOMER_ID, {}) else MEDIUM,
            Message("quality.evidence.customer.table", {"column": column}),
        )
    customer_names = name_scores(list(profiles)).get(schema.CUSTOMER_ID, {})
    others = [
        (_customer_score(p, profiles, customer_names.get(c, 0.0), events), c)
        for c, p in profiles.items()
        if c != column and _doubt(p, c, events) is None
    ]
    others = [o for o in others if o[0] > -1.0]
    mapping.likely_customer = max(others)[1] if others else None


def impossible_customer(mapping: Any) -> bool:
    """True when the structure rules the chosen customer column out."""
    conf = mapping.confidence.get(schema.CUSTOMER_ID)
    return conf is not None and conf.evidence.key in IMPOSSIBLE_CUSTOMER
