"""``churnlab inspect FILE``: what churnlab sees in one export, as JSON or text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from churnlab.ingest.loading import load_table
from churnlab.ingest.quality import render_report


def inspect_file(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The quality report of one file as a JSON-safe dict: kind, rows, columns, roles, problems."""
    table = load_table(source, name=name, sheet=sheet, overrides=overrides)
    result = table.report.to_dict()
    result["header_row"] = table.raw.header_row
    result["preview"] = [
        {
            k: (v if v is None or isinstance(v, int | float | str | bool) else str(v))
            for k, v in row.items()
        }
        for row in table.frame.head(5).iter_rows(named=True)
    ]
    return result


def render_inspect_text(result: dict[str, Any]) -> str:
    """Plain-text output of ``churnlab inspect`` from the ``inspect_file`` dict."""
    return render_report(result)
