"""The data-quality report: what was read, what was kept, and what looks wrong.

The same report feeds the upload page, ``churnlab inspect`` (text or JSON) and the
saved run record, so it is a plain dataclass with a JSON-safe ``to_dict``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from churnlab.i18n import Message, catalogue, t


def drop_words(reason: str, lang: str = "en") -> str:
    """Why rows were dropped (a ``QualityReport.dropped`` key), in words for ``lang``."""
    key = f"quality.dropped.{reason}"
    return t(key, lang) if key in catalogue()["en"] else reason


@dataclass
class QualityReport:
    """Facts about one loaded file, and the problems and warnings found in it."""

    source: str
    kind: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows: int = 0  # data rows in the file, before cleaning
    rows_kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    columns: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)
    customers: int = 0
    date_min: dt.datetime | None = None
    date_max: dt.datetime | None = None
    events_per_type: dict[str, int] = field(default_factory=dict)
    amount_total: float | None = None  # sum of purchase amounts (refunds not subtracted)
    # Messages, so the app can show them in the reader's language.
    problems: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: dates as ISO strings, numbers as plain Python numbers, messages
        as English text (the shape ``inspect --json`` and saved run records have always had)."""
        out = asdict(self)
        for key in ("problems", "warnings", "notes"):
            out[key] = [str(item) for item in getattr(self, key)]
        for key in ("date_min", "date_max"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        if out["amount_total"] is not None:
            out["amount_total"] = float(out["amount_total"])
        return out

    def to_text(self) -> str:
        return render_report(self.to_dict())


def _fmt_int(value: object) -> str:
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


def render_report(report: dict[str, Any]) -> str:
    """A short multi-line report for the terminal, from ``QualityReport.to_dict()`` output."""
    lines: list[str] = []
    fmt = report.get("format") or "?"
    details = [fmt]
    if report.get("encoding"):
        details.append(str(report["encoding"]))
    if report.get("delimiter"):
        details.append(f"delimiter {report['delimiter']!r}")
    if report.get("sheet"):
        details.append(f"sheet {report['sheet']!r}")
    lines.append(f"{report.get('source', '?')} ({', '.join(details)})")
    kind = report.get("kind", "?")
    kept = report.get("rows_kept", 0)
    lines.append(
        f"  kind: {'event log' if kind == 'events' else 'customer table'}; "
        f"rows: {_fmt_int(report.get('rows', 0))} in file, {_fmt_int(kept)} kept"
    )
    dropped = {k: v for k, v in (report.get("dropped") or {}).items() if v}
    if dropped:
        parts = [f"{_fmt_int(n)} with {drop_words(k)}" for k, n in dropped.items()]
        lines.append("  dropped: " + "; ".join(parts))
    lines.append(f"  customers: {_fmt_int(report.get('customers', 0))}")
    if report.get("date_min"):
        lines.append(f"  dates: {report['date_min'][:10]} to {(report.get('date_max') or '')[:10]}")
    events = report.get("events_per_type") or {}
    if events:
        lines.append("  events: " + ", ".join(f"{k} {_fmt_int(v)}" for k, v in events.items()))
    if report.get("amount_total") is not None:
        lines.append(f"  purchase amount total: {report['amount_total']:,.2f}")
    roles = report.get("roles") or {}
    if roles:
        lines.append("  columns used:")
        lines.extend(f"    {role:<12} <- {column}" for role, column in roles.items())
    attributes = report.get("attributes") or []
    if attributes:
        lines.append("  attributes: " + ", ".join(attributes))
    for title, key in (("PROBLEMS", "problems"), ("warnings", "warnings"), ("notes", "notes")):
        items = report.get(key) or []
        if items:
            lines.append(f"  {title}:")
            lines.extend(f"    - {item}" for item in items)
    if not report.get("problems"):
        lines.append("  no problems found")
    return "\n".join(lines)
