"""Relational exports: orders, order lines, payments and customers joined into one event log.

Shop databases dump one table per entity: ``orders`` (order id, customer id, time), order
lines or items (order id, product, price), payments (order id, value) and customers
(customer id, and sometimes a second id for the person, like ``customer_unique_id`` when
every order gets a new customer id). The files are recognised by the keys they share (same
column name, overlapping values), joined onto the orders table, and every row that finds
no partner is counted in the join summary, never silently lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from churnlab import schema
from churnlab.i18n import Message
from churnlab.ingest.mapping import normalise_name
from churnlab.ingest.reading import RawTable
from churnlab.ingest.roles import name_scores, time_evidence

log = logging.getLogger(__name__)

#: A shared column is a key when at least this share of one side's values is found on the other.
KEY_OVERLAP = 0.5
PERSON_COLUMN = "__person"
AMOUNT_COLUMN = "__order_amount"


@dataclass
class Join:
    """One join of the plan: ``left`` rows looked up in ``right`` on ``key``."""

    left: str
    right: str
    key: str
    matched: int
    unmatched: int
    use: str  # "person", "lines" or "payments"

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "key": self.key,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "use": self.use,
        }

    def message(self) -> Message:
        return Message(
            "quality.join.summary",
            {
                "left": self.left,
                "right": self.right,
                "key": self.key,
                "matched": f"{self.matched:,}",
                "unmatched": f"{self.unmatched:,}",
            },
        )


@dataclass
class Joined:
    """The joined event table (a raw table, mapped and cleaned as any other) and its story."""

    events: RawTable
    customers: RawTable | None
    overrides: dict[str, str]
    joins: list[Join]
    customer_key: str  # "file:column" of the person
    used: list[str]  # sources that went into the join
    notes: list[Message] = field(default_factory=list)


def _short(raw: RawTable) -> str:
    from pathlib import Path

    return Path(raw.source).name or raw.source


def _keys(series: pl.Series) -> pl.Series:
    return series.cast(pl.String, strict=False).str.strip_chars().replace({"": None})


def _has_time(raw: RawTable) -> str | None:
    """The best time column of a table, if any (by name first, then by values)."""
    scores = name_scores(raw.columns).get(schema.TIMESTAMP, {})
    best: tuple[float, str] | None = None
    for column in raw.columns:
        found = time_evidence(raw.frame[column], column in scores)
        if found is None or found[0] < 0.9:
            continue
        score = found[0] + scores.get(column, 0.0)
        # the purchase time beats approval or delivery times
        name = normalise_name(column)
        if any(w in name for w in ("purchase", "order", "created", "下单", "创建")):
            score += 1.0
        if any(w in name for w in ("deliver", "approved", "estimated", "ship", "发货", "签收")):
            score -= 1.0
        if best is None or score > best[0]:
            best = (score, column)
    return None if best is None else best[1]


def _unique(raw: RawTable, column: str) -> bool:
    values = _keys(raw.frame[column]).drop_nulls()
    return values.len() > 0 and values.n_unique() == values.len()


def _overlap(child: pl.Series, parent: pl.Series) -> float:
    values = _keys(child).drop_nulls().unique()
    if values.len() == 0:
        return 0.0
    return float(values.is_in(_keys(parent).drop_nulls().unique().implode()).mean())  # type: ignore[arg-type]


def _shared_key(child: RawTable, parent: RawTable, parent_key: str) -> str | None:
    """The column of ``child`` that refers to ``parent_key`` (same name, overlapping values)."""
    want = normalise_name(parent_key)
    for column in child.columns:
        if (
            normalise_name(column) == want
            and _overlap(child.frame[column], parent.frame[parent_key]) >= KEY_OVERLAP
        ):
            return column
    return None


def _amount_column(raw: RawTable, role: str) -> str | None:
    scores = name_scores(raw.columns).get(role, {})
    if not scores:
        return None
    return max(scores.items(), key=lambda item: item[1])[0]


def _line_amounts(raw: RawTable, key: str) -> pl.DataFrame | None:
    """Money per order from its lines: an amount, or quantity x unit price, or the price."""
    from churnlab.ingest.parsing import parse_numbers

    amount = _amount_column(raw, schema.AMOUNT)
    price = _amount_column(raw, schema.UNIT_PRICE)
    quantity = _amount_column(raw, schema.QUANTITY)
    if amount is not None:
        money = parse_numbers(raw.frame[amount]).values
    elif price is not None:
        money = parse_numbers(raw.frame[price]).values
        if quantity is not None:
            money = money * parse_numbers(raw.frame[quantity]).values.fill_null(1.0)
    else:
        return None
    return (
        pl.DataFrame({"k": _keys(raw.frame[key]), "m": money.cast(pl.Float64)})
        .group_by("k")
        .agg(pl.col("m").sum())
    )


def find_order_table(raws: list[RawTable]) -> tuple[RawTable, str, str] | None:
    """The orders table: a time, and an order id that is unique per row and that another
    file's rows refer to. Returns (table, order key, time column)."""
    for raw in raws:
        # the cheap tests first: most tables have no unique order id that others refer to,
        # and looking for a time reads every column
        order_names = name_scores(raw.columns).get(schema.ORDER_ID, {})
        for key in sorted(order_names, key=lambda c: -order_names[c]):
            if not _unique(raw, key):
                continue
            others = [r for r in raws if r is not raw and _shared_key(r, raw, key) is not None]
            if not others:
                continue
            time = _has_time(raw)
            if time is None:
                break
            return raw, key, time
    return None


def _person(customers: RawTable, key: str) -> str:
    """The column that names the person: a second id grouping several ``key`` values."""
    names = name_scores(customers.columns).get(schema.CUSTOMER_ID, {})
    best = key
    for column in names:
        if column == key:
            continue
        grouped = customers.frame.select(
            _keys(customers.frame[key]).alias("k"), _keys(customers.frame[column]).alias("p")
        ).drop_nulls()
        if grouped.height == 0:
            continue
        persons = grouped["p"].n_unique()
        per_key = grouped.group_by("k").agg(pl.col("p").n_unique())
        if persons < grouped["k"].n_unique() and bool((per_key["p"] == 1).all()):
            best = column
    return best


def join_relational(raws: list[RawTable]) -> Joined | None:
    """Join several exports that share keys into one event table; None when they do not."""
    if len(raws) < 2:
        return None
    found = find_order_table(raws)
    if found is None:
        return None
    orders, order_key, time_col = found
    frame = orders.frame.with_columns(_keys(orders.frame[order_key]).alias("__order"))
    all_orders = frame["__order"].drop_nulls().unique()
    joins: list[Join] = []
    used = [orders.source]
    notes: list[Message] = []
    customers_raw: RawTable | None = None
    customer_key = f"{_short(orders)}:"
    overrides: dict[str, str] = {schema.ORDER_ID: order_key, schema.TIMESTAMP: time_col}

    # the person: a customers file sharing the orders' customer column
    customer_names = name_scores(orders.columns).get(schema.CUSTOMER_ID, {})
    person_set = False
    for raw in raws:
        if raw is orders or person_set:
            continue
        for column in sorted(customer_names, key=lambda c: -customer_names[c]):
            key_in_customers = _matching(raw, column)
            if key_in_customers not in raw.columns or not _unique(raw, key_in_customers):
                continue
            if _overlap(orders.frame[column], raw.frame[key_in_customers]) < KEY_OVERLAP:
                continue
            person = _person(raw, key_in_customers)
            lookup = raw.frame.select(
                _keys(raw.frame[key_in_customers]).alias("__ck"),
                _keys(raw.frame[person]).alias(PERSON_COLUMN),
            ).unique("__ck", keep="first")
            frame = frame.with_columns(_keys(frame[column]).alias("__ck")).join(
                lookup, on="__ck", how="left", maintain_order="left"
            )
            matched = int(frame[PERSON_COLUMN].is_not_null().sum())
            joins.append(
                Join(_short(orders), _short(raw), column, matched, frame.height - matched, "person")
            )
            frame = frame.filter(pl.col(PERSON_COLUMN).is_not_null()).drop("__ck")
            overrides[schema.CUSTOMER_ID] = PERSON_COLUMN
            customer_key = f"{_short(raw)}:{person}"
            used.append(raw.source)
            if person != key_in_customers:
                notes.append(
                    Message(
                        "quality.join.person",
                        {
                            "column": person,
                            "file": _short(raw),
                            "ids": f"{lookup.height:,}",
                            "per": key_in_customers,
                            "persons": f"{lookup[PERSON_COLUMN].n_unique():,}",
                        },
                    )
                )
            customers_raw = _person_table(raw, key_in_customers, person)
            person_set = True
            break
    if not person_set:
        if not customer_names:
            return None
        column = max(customer_names.items(), key=lambda item: item[1])[0]
        overrides[schema.CUSTOMER_ID] = column
        customer_key += column

    # order lines and payments: money per order
    amount_from: str | None = None
    own_amount = _amount_column(orders, schema.AMOUNT)
    if own_amount is not None:
        overrides[schema.AMOUNT] = own_amount
        amount_from = "orders"
    children = [r for r in raws if r is not orders and r.source not in used]
    # lines (with a product) before payments
    children.sort(key=lambda r: 0 if name_scores(r.columns).get(schema.PRODUCT_ID) else 1)
    for raw in children:
        key = _shared_key(raw, orders, order_key)
        if key is None:
            continue
        use = "lines" if name_scores(raw.columns).get(schema.PRODUCT_ID) else "payments"
        matched = int(_keys(raw.frame[key]).is_in(all_orders.implode()).sum())
        joins.append(
            Join(_short(raw), _short(orders), key, matched, raw.frame.height - matched, use)
        )
        used.append(raw.source)
        if amount_from is not None:
            continue
        money = _line_amounts(raw, key)
        if money is None:
            continue
        frame = frame.join(
            money.rename({"k": "__order", "m": AMOUNT_COLUMN}),
            on="__order",
            how="left",
            maintain_order="left",
        )
        overrides[schema.AMOUNT] = AMOUNT_COLUMN
        amount_from = use
    frame = frame.drop("__order")
    # readable names for the joined columns (they show on the Data page and in inspect)
    readable = {
        PERSON_COLUMN: customer_key.split(":", 1)[1],
        AMOUNT_COLUMN: f"{amount_from}_amount" if amount_from else "order_amount",
    }
    renames = {
        old: new
        for old, new in readable.items()
        if old in frame.columns and new not in frame.columns
    }
    frame = frame.rename(renames)
    overrides = {role: renames.get(column, column) for role, column in overrides.items()}
    events = RawTable(
        frame=frame,
        source=" + ".join(_short(r) for r in raws if r.source in used),
        format=orders.format,
        rows=frame.height,
        encoding=orders.encoding,
        delimiter=orders.delimiter,
        notes=[*orders.notes, *notes, *(j.message() for j in joins)],
    )
    log.info("joined %s: %s", events.source, [j.to_dict() for j in joins])
    return Joined(
        events=events,
        customers=customers_raw,
        overrides=overrides,
        joins=joins,
        customer_key=customer_key,
        used=used,
        notes=notes,
    )


def _matching(raw: RawTable, column: str) -> str:
    want = normalise_name(column)
    for name in raw.columns:
        if normalise_name(name) == want:
            return name
    return column


def _person_table(raw: RawTable, key: str, person: str) -> RawTable | None:
    """The customers file as one row per person (its first row), for the attributes."""
    attributes = [c for c in raw.columns if c not in (key, person)]
    if not attributes:
        return None
    frame = (
        raw.frame.with_columns(_keys(raw.frame[person]).alias(person))
        .drop_nulls(person)
        .unique(person, keep="first", maintain_order=True)
        .drop(key)
    )
    return RawTable(
        frame=frame,
        source=_short(raw),
        format=raw.format,
        rows=raw.rows,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        notes=list(raw.notes),
    )
