"""Files -> shop data: read, map, clean each file, then combine event logs and customer tables.

This is the one entry point the CLI and the pages use to turn uploads into ``ShopData``
(see docs/ARCHITECTURE.md); every file keeps its mapping and quality report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from churnlab import schema
from churnlab.errors import DataError, MappingError
from churnlab.i18n import Message
from churnlab.ingest.cleaning import EVENT_COLUMNS, check_duplicates_beside, prepare
from churnlab.ingest.mapping import Mapping, apply_overrides, detect_mapping, name_event_codes
from churnlab.ingest.quality import QualityReport
from churnlab.ingest.reading import RawTable, read_table

log = logging.getLogger(__name__)


@dataclass
class LoadedTable:
    """One file after reading, mapping and cleaning."""

    raw: RawTable
    mapping: Mapping
    frame: pl.DataFrame
    report: QualityReport


@dataclass
class ShopData:
    """Everything loaded for one shop: the canonical events and customers frames."""

    events: pl.DataFrame | None
    customers: pl.DataFrame | None
    tables: list[LoadedTable]
    source: str
    joins: list[Any] = field(default_factory=list)  # joining.Join, when files were joined
    customer_key: str | None = None  # "file:column" of the person, for joined exports

    @property
    def n_customers(self) -> int:
        """Distinct customer ids across the event log and the customer table."""
        ids = [f.select(schema.CUSTOMER_ID) for f in (self.events, self.customers) if f is not None]
        if not ids:
            return 0
        return int(pl.concat(ids)[schema.CUSTOMER_ID].n_unique())

    @property
    def n_events(self) -> int:
        return 0 if self.events is None else self.events.height

    @property
    def date_min(self) -> dt.datetime | None:
        if self.events is None or self.events.height == 0:
            return None
        return self.events[schema.TIMESTAMP].min()  # type: ignore[return-value]

    @property
    def date_max(self) -> dt.datetime | None:
        if self.events is None or self.events.height == 0:
            return None
        return self.events[schema.TIMESTAMP].max()  # type: ignore[return-value]

    @property
    def date_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        lo, hi = self.date_min, self.date_max
        return None if lo is None or hi is None else (lo, hi)

    @property
    def has_labels(self) -> bool:
        return self.customers is not None and schema.LABEL in self.customers.columns


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """Turn CLI ``role=column`` strings into a dict (a column name may itself contain '=')."""
    out: dict[str, str] = {}
    for pair in pairs:
        role, sep, column = pair.partition("=")
        role = role.strip()
        if not sep or not role:
            raise MappingError(
                "error.loading.bad_pair", hint="error.loading.bad_pair.hint", pair=pair
            )
        out[role] = column.strip()
    return out


def load_table(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> LoadedTable:
    """Read one export, detect its roles (plus the user's overrides) and clean it."""
    raw = read_table(source, name=name, sheet=sheet)
    mapping = detect_mapping(raw)
    if overrides:
        mapping = apply_overrides(mapping, overrides, raw)
    return _loaded(raw, mapping)


def _loaded(raw: RawTable, mapping: Mapping) -> LoadedTable:
    """Clean one mapped table; guesses to confirm go first among its warnings."""
    frame, report = prepare(raw, mapping)
    table = LoadedTable(raw=_preview(raw), mapping=mapping, frame=frame, report=report)
    report.warnings[:0] = doubts([table])
    return table


PREVIEW_ROWS = 200


def _preview(raw: RawTable) -> RawTable:
    """The raw table cut to a preview once cleaned: its columns stay, its memory goes."""
    return dataclasses.replace(raw, frame=raw.frame.head(PREVIEW_ROWS))


def _join_customers(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Join customer tables on customer_id; a later table's clashing columns get a suffix."""
    result = frames[0]
    for index, frame in enumerate(frames[1:], start=2):
        renames = {
            c: f"{c}_{index}"
            for c in frame.columns
            if c in result.columns and c not in (schema.CUSTOMER_ID, schema.LABEL)
        }
        frame = frame.rename(renames)
        if schema.LABEL in frame.columns and schema.LABEL in result.columns:
            frame = frame.rename({schema.LABEL: "_label_right"})
        result = result.join(frame, on=schema.CUSTOMER_ID, how="full", coalesce=True)
        if "_label_right" in result.columns:
            result = result.with_columns(
                pl.coalesce(schema.LABEL, "_label_right").alias(schema.LABEL)
            ).drop("_label_right")
    return result


def combine(tables: list[LoadedTable], source: str | None = None) -> ShopData:
    """Put loaded files together: event logs stacked, customer tables joined on customer_id."""
    if not tables:
        raise DataError("error.loading.no_table", hint="error.loading.no_table.hint")
    event_frames = [t.frame for t in tables if t.mapping.kind == schema.EVENTS]
    customer_frames = [t.frame for t in tables if t.mapping.kind == schema.CUSTOMERS]
    events = pl.concat(event_frames, how="diagonal_relaxed") if event_frames else None
    if events is not None and len(event_frames) > 1:
        # Keep the canonical column order after the union of columns.
        order = [c for c in EVENT_COLUMNS if c in events.columns]
        events = events.select(order)
    customers = _join_customers(customer_frames) if customer_frames else None
    if source is None:
        names = [t.raw.source for t in tables]
        source = names[0] if len(names) == 1 else f"{len(names)} files: " + ", ".join(names)
    log.info(
        "combined %d tables: %s events, %s customers",
        len(tables),
        0 if events is None else events.height,
        0 if customers is None else customers.height,
    )
    previews = [dataclasses.replace(t, frame=t.frame.head(PREVIEW_ROWS)) for t in tables]
    return ShopData(events=events, customers=customers, tables=previews, source=source)


def _canonical_event_order() -> tuple[str, ...]:
    from churnlab.ingest.cleaning import _EVENT_ORDER

    return _EVENT_ORDER


@dataclass(frozen=True)
class Source:
    """One export to load: a path or the bytes of an upload, with its own role choices."""

    data: str | Path | bytes
    name: str | None = None
    sheet: str | None = None
    overrides: tuple[tuple[str, str], ...] = ()


def load_files(
    paths: list[str | Path],
    *,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
) -> ShopData:
    """Load several exports; each override applies to the files that have its column.

    Files that share keys the way a shop database dumps them (orders, lines, payments,
    customers) are joined into one event log first (``joining.join_relational``);
    ``event_codes`` names coded event types (CLI ``--events``)."""
    if not paths:
        raise DataError("error.loading.no_file", hint="error.loading.no_file.hint")
    sources = [Source(path, sheet=sheet) for path in paths]
    return load_sources(sources, overrides=overrides, event_codes=event_codes)


def load_sources(
    sources: list[Source],
    *,
    overrides: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
) -> ShopData:
    """Read, join (when the files are a relational export), map and clean; the one loader
    behind the CLI and the app. ``overrides`` apply to every file that has the column; a
    source's own ``overrides`` only to it."""
    from churnlab.ingest.joining import join_relational

    if not sources:
        raise DataError("error.loading.no_file", hint="error.loading.no_file.hint")
    raws = [read_table(s.data, name=s.name, sheet=s.sheet) for s in sources]
    own = {raw.source: dict(s.overrides) for raw, s in zip(raws, sources, strict=True)}
    joined = join_relational(raws) if len(raws) > 1 else None
    plan: list[tuple[RawTable, dict[str, str]]] = []
    if joined is not None:
        plan.append((joined.events, dict(joined.overrides)))
        if joined.customers is not None:
            person = joined.customer_key.split(":", 1)[1]
            plan.append((joined.customers, {schema.CUSTOMER_ID: person, "kind": schema.CUSTOMERS}))
        raws = [r for r in raws if r.source not in joined.used]
    plan.extend((raw, {}) for raw in raws)
    tables: list[LoadedTable] = []
    used: set[str] = set()
    while plan:
        raw, forced = plan.pop(0)
        forced = {**forced, **own.get(raw.source, {})}
        check_duplicates_beside(raw)
        mapping = detect_mapping(raw) if not forced else _forced_mapping(raw, forced)
        if forced:
            mapping = apply_overrides(mapping, forced, raw)
            _mark_joined(mapping, forced, own.get(raw.source, {}))
        if overrides:
            mine = {r: c for r, c in overrides.items() if r == "kind" or not c or c in raw.columns}
            if len(sources) == 1:
                mine = dict(overrides)
            used.update(r for r in mine)
            if mine:
                mapping = apply_overrides(mapping, mine, raw)
        if event_codes and mapping.kind == schema.EVENTS and schema.EVENT_TYPE in mapping.roles:
            mapping = name_event_codes(mapping, event_codes)
            used.add("--events")
        tables.append(_loaded(raw, mapping))
        del raw  # free the full raw frame before the next file is read
    unused = [f"{r}={c}" for r, c in (overrides or {}).items() if r not in used]
    if unused:
        raise MappingError(
            "error.loading.unused_columns",
            hint="error.loading.unused_columns.hint",
            pairs=", ".join(unused),
        )
    if event_codes and "--events" not in used:
        raise MappingError("error.mapping.codes_without_events")
    shop = combine(tables)
    if joined is not None:
        shop.joins = list(joined.joins)
        shop.customer_key = joined.customer_key
    return shop


def _mark_joined(mapping: Mapping, forced: dict[str, str], by_hand: dict[str, str]) -> None:
    """Roles the join set say so (not "chosen by you")."""
    from churnlab.ingest.roles import HIGH, RoleConfidence

    for role, column in forced.items():
        if role in mapping.roles and role not in by_hand:
            mapping.confidence[role] = RoleConfidence(
                HIGH, Message("quality.evidence.joined", {"column": column})
            )


def _forced_mapping(raw: RawTable, forced: dict[str, str]) -> Mapping:
    """A joined table's mapping: detected, or (when detection finds no customer, as for a
    person column made by the join) started from the forced roles alone."""
    try:
        return detect_mapping(raw)
    except MappingError:
        kind = forced.get("kind", schema.EVENTS)
        return Mapping(kind=kind, roles={schema.CUSTOMER_ID: forced[schema.CUSTOMER_ID]})  # type: ignore[arg-type]


def doubts(tables: list[LoadedTable]) -> list[Message]:
    """The customer or time guesses to confirm, as messages for the page and the CLI."""
    out: list[Message] = []
    for table in tables:
        for role in table.mapping.doubtful():
            evidence = table.mapping.confidence[role].evidence
            out.append(
                Message(
                    "quality.warning.confirm_role",
                    {"role": role, "column": table.mapping.roles[role], "evidence": evidence},
                )
            )
    return out
