"""Lists a marketer can open safely: CSV with a BOM, formatted Excel, no formula injection.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is neutralised with a leading apostrophe (OWASP's advice for CSV injection);
numeric columns stay numbers. Files are written atomically (temporary file,
then rename), so a failed export never leaves half a list behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from churnlab.errors import ChurnlabError

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
EXCEL_FORMATS: tuple[str, ...] = ("csv", "xlsx")

#: Columns shown as percentages in Excel.
PERCENT_COLUMNS: frozenset[str] = frozenset({"churn_probability"})


def neutralise_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix every dangerous text cell with an apostrophe; numbers are left alone."""
    pattern = "^[" + "".join("\\" + p if p in "-+" else p for p in FORMULA_PREFIXES) + "]"
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def atomic_write(path: Path, data: bytes) -> Path:
    path = Path(path)
    if path.is_dir():
        raise ChurnlabError("error.export.folder", path=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a list is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a BOM so Excel shows Chinese correctly."""
    buffer = io.BytesIO()
    neutralise_text(frame).write_csv(buffer)
    return b"\xef\xbb\xbf" + buffer.getvalue()


def xlsx_bytes(
    frame: pl.DataFrame,
    *,
    column_notes: Mapping[str, str] | None = None,
    about: Mapping[str, str] | None = None,
    sheet_name: str = "Customers",
) -> bytes:
    """A formatted workbook: bold frozen header, sensible widths, percentages, and an 'About' sheet."""
    import xlsxwriter

    safe = neutralise_text(frame)
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "bottom": 1})
    percent = workbook.add_format({"num_format": "0.0%"})
    number = workbook.add_format({"num_format": "#,##0.00"})
    sheet = workbook.add_worksheet(sheet_name[:31])
    sheet.freeze_panes(1, 0)
    for col, name in enumerate(safe.columns):
        sheet.write_string(0, col, name, header)
        series = safe.get_column(name)
        dtype = series.dtype
        fmt = None
        if name in PERCENT_COLUMNS:
            fmt = percent
        elif dtype in (pl.Float32, pl.Float64):
            fmt = number
        values = series.to_list()
        for row, value in enumerate(values, start=1):
            if value is None:
                continue
            if dtype.is_numeric() and not isinstance(value, bool):
                if value == value and value not in (float("inf"), float("-inf")):
                    sheet.write_number(row, col, value, fmt)
            else:
                sheet.write_string(row, col, str(value))
        longest = max([len(name), *(len(str(v)) for v in values[:500] if v is not None)])
        sheet.set_column(col, col, min(max(10, longest + 2), 60))
    if safe.width:
        sheet.autofilter(0, 0, max(safe.height, 1), safe.width - 1)
    if column_notes or about:
        notes = workbook.add_worksheet("About")
        notes.set_column(0, 0, 28)
        notes.set_column(1, 1, 90)
        row = 0
        for key, value in (about or {}).items():
            notes.write_string(row, 0, str(key), header)
            notes.write_string(row, 1, str(value))
            row += 1
        if column_notes:
            row += 1
            notes.write_string(row, 0, "column", header)
            notes.write_string(row, 1, "meaning", header)
            row += 1
            for key, value in column_notes.items():
                notes.write_string(row, 0, str(key))
                notes.write_string(row, 1, str(value))
                row += 1
    workbook.close()
    return buffer.getvalue()


def write_list(
    frame: pl.DataFrame,
    path: str | Path,
    *,
    fmt: str | None = None,
    column_notes: Mapping[str, str] | None = None,
    about: Mapping[str, str] | None = None,
) -> Path:
    """Write a list as CSV or Excel, chosen by ``fmt`` or the file extension."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in EXCEL_FORMATS:
        raise ChurnlabError("error.export.format", format=str(fmt))
    if fmt == "csv":
        return atomic_write(path, csv_bytes(frame))
    return atomic_write(path, xlsx_bytes(frame, column_notes=column_notes, about=about))


def pseudonymise_ids(frame: pl.DataFrame, salt: str, column: str = "customer_id") -> pl.DataFrame:
    """Replace ids with a keyed hash (HMAC-SHA256, 16 hex characters), stable for one salt.

    The same salt maps the same id to the same pseudonym, so a list sent to an
    agency can be matched back by whoever holds the salt; without it the raw id
    cannot be recovered.
    """
    import hashlib
    import hmac

    if not salt:
        raise ChurnlabError("error.export.no_salt")
    key = salt.encode("utf-8")
    ids = frame.get_column(column).cast(pl.String)
    mapping = {
        value: hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for value in ids.unique().drop_nulls().to_list()
    }
    return frame.with_columns(ids.replace_strict(mapping, default=None).alias(column))


def column_notes(columns: list[str], lang: str = "en") -> dict[str, str]:
    """What each exported column means, for the About sheet: features from the catalogue."""
    from churnlab import i18n
    from churnlab.catalogue import CATALOGUE, describe

    notes = {}
    for column in columns:
        key = f"column.{column}"
        text = i18n.t(key, lang)
        if text == key and (column in CATALOGUE or "_" in column):
            text = describe(column).text(lang)
        notes[column] = text
    return notes
