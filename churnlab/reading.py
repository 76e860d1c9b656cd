"""Reading any export into a raw table (STUB: contract only; the reading helper fills it in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl


@dataclass
class RawTable:
    """A table as found in a file, before any role mapping or cleaning.

    Column names are stripped and unique; values are mostly String (CSV, text)
    or native types (Parquet, Excel, JSON), which ``parsing`` handles alike.
    """

    frame: pl.DataFrame
    source: str
    format: str  # "csv", "excel", "parquet", "json", "jsonl"
    rows: int  # data rows in the file, before any cleaning
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def read_table(
    source: str | Path | bytes, *, name: str | None = None, sheet: str | None = None
) -> RawTable:
    """Read a CSV/TSV/Excel/Parquet/JSON export; raise an InputError child when impossible."""
    raise NotImplementedError
