"""``churnlab inspect FILE``: what churnlab sees in one export, as JSON or text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from churnlab.errors import MappingError
from churnlab.ingest.loading import LoadedTable, ShopData, doubts, load_files, load_table
from churnlab.ingest.quality import render_report
from churnlab.ingest.reading import read_table
from churnlab.ingest.roles import choose_roles


def inspect_file(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The quality report of one file as a JSON-safe dict: kind, rows, columns, roles, problems."""
    return table_dict(load_table(source, name=name, sheet=sheet, overrides=overrides))


def table_dict(table: LoadedTable) -> dict[str, Any]:
    """One loaded table as ``inspect --json`` shows it: its quality report, the confidence and
    evidence of every role, the header row and a preview."""
    result = table.report.to_dict()
    result["role_details"] = {
        role: (
            table.mapping.confidence[role].to_dict(column)
            if role in table.mapping.confidence
            else {"column": column, "confidence": "high", "evidence": ""}
        )
        for role, column in table.mapping.roles.items()
    }
    if table.mapping.event_codes:
        result["event_codes"] = dict(table.mapping.event_codes)
        result["event_codes_named"] = table.mapping.codes_named
    result["header_row"] = table.raw.header_row
    result["preview"] = [
        {
            k: (v if v is None or isinstance(v, int | float | str | bool) else str(v))
            for k, v in row.items()
        }
        for row in table.frame.head(5).iter_rows(named=True)
    ]
    return result


def file_dict(path: Path, shop: ShopData, sheet: str | None = None) -> dict[str, Any]:
    """One of several files as it reads on its own; a file of order lines or payments (no
    customer of its own) says what it holds and how it was joined."""
    name = Path(path).name
    loaded = next((t for t in shop.tables if t.raw.source == str(path)), None)
    if loaded is not None:
        return table_dict(loaded)
    raw = read_table(path, sheet=sheet)
    join = next((j for j in shop.joins if name in (j.left, j.right)), None)
    try:
        result = table_dict(load_table(path, sheet=sheet))
    except MappingError:
        choice = choose_roles(raw)
        result = {
            "source": raw.source,
            "kind": None,
            "format": raw.format,
            "rows": raw.rows,
            "columns": raw.columns,
            "roles": dict(choice.roles),
            "role_details": {
                role: choice.confidence[role].to_dict(column)
                for role, column in choice.roles.items()
                if role in choice.confidence
            },
        }
    uses = {j.use for j in shop.joins if j.left == name}
    if "lines" in uses or "payments" in uses:
        result["kind"] = "order_lines" if "lines" in uses else "payments"
    result["joined"] = join is not None
    return result


def combined_dict(shop: ShopData) -> dict[str, Any]:
    """What the files make together: the person key, persons, events, money and the joins."""
    events = shop.events
    key = shop.customer_key
    if key is None:
        first = next((t for t in shop.tables if t.mapping.kind == "events"), shop.tables[0])
        key = f"{Path(first.raw.source).name}:{first.mapping.roles.get('customer_id')}"
    amount = None
    if events is not None and "amount" in events.columns:
        purchases = events.filter(pl.col("event_type") != "refund")
        amount = round(float(purchases["amount"].sum()), 2)
    return {
        "customer_key": key,
        "customers": 0 if events is None else int(events["customer_id"].n_unique()),
        "events": shop.n_events,
        "amount_total": amount,
        "joins": [j.to_dict() for j in shop.joins],
    }


def inspect_files(
    paths: list[Path],
    *,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One file: its ``table_dict``. Several: ``{"tables": [...], "combined": {...}}``, the
    files joined as ``load_files`` joins them. ``_doubts`` lists the guesses to confirm."""
    if len(paths) == 1 and not event_codes:
        table = load_table(paths[0], sheet=sheet, overrides=overrides)
        result = table_dict(table)
        result["_doubts"] = [str(m) for m in doubts([table])]
        return result
    shop = load_files(list(paths), sheet=sheet, overrides=overrides, event_codes=event_codes)
    if len(paths) == 1:
        result = table_dict(shop.tables[0])
        result["_doubts"] = [str(m) for m in doubts(shop.tables)]
        return result
    return {
        "tables": [file_dict(path, shop, sheet) for path in paths],
        "combined": combined_dict(shop),
        "_doubts": [str(m) for m in doubts(shop.tables)],
    }


def render_inspect_text(result: dict[str, Any]) -> str:
    """Plain-text output of ``churnlab inspect`` from the ``inspect_files`` dict."""
    if "tables" not in result:
        return render_report(result)
    parts = [render_report(t) for t in result["tables"]]
    combined = result["combined"]
    lines = [
        f"Combined: {combined['customers']:,} customers ({combined['customer_key']}), "
        f"{combined['events']:,} events"
    ]
    for join in combined["joins"]:
        lines.append(
            f"  {join['left']} -> {join['right']} on {join['key']}: "
            f"{join['matched']:,} matched, {join['unmatched']:,} unmatched"
        )
    return "\n\n".join([*parts, "\n".join(lines)])
