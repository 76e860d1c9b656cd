"""Reading any export into a raw table: CSV/TSV/text, Excel, Parquet, JSON.

Shop exports are messy: Chinese tools write GB18030, Excel writes UTF-16 or a
BOM, European tools use semicolons, reports put titles above the header. This
module finds the format from the content first (then the file name), the text
encoding, the delimiter and the header row, and returns every text column as
String so ids keep their leading zeros. Every failure becomes an ``InputError``
child with words a marketer understands.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from churnlab.errors import ChurnlabError, EmptyFileError, InputError, UnsupportedFormatError
from churnlab.i18n import Message
from churnlab.ingest.cores import spread
from churnlab.ingest.typed_csv import TYPED_FROM, plan_numbers, plan_times, read_parsed

log = logging.getLogger(__name__)


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
    notes: list[Message] = field(default_factory=list)
    #: columns parsed from text while the file was read (plain ISO times), each with the
    #: description of its format, which the quality report gives as for a parse after
    read_formats: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def remember(self, key: tuple[str, str], value: Any) -> None:
        """Keep something measured on a column (role detection parses the time column and
        counts the ids; cleaning then reuses them instead of a second pass over 10M rows).
        Tied to this very frame: a new frame forgets it."""
        memo = self.__dict__.setdefault("_memo", {})
        memo[key] = (weakref.ref(self.frame), value)

    def recall(self, key: tuple[str, str]) -> Any | None:
        """What was remembered under ``key`` for this frame (once), or None."""
        entry = self.__dict__.get("_memo", {}).pop(key, None)
        if entry is None or entry[0]() is not self.frame:
            return None
        return entry[1]


TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ".dat", ".psv", ""}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
JSON_EXTENSIONS = {".json", ".jsonl", ".ndjson"}

NO_HEADER = "\x00no header"  # internal marker: the file starts with data, not names
WHITESPACE = " "  # marker for "runs of spaces/tabs" (recorded as delimiter " ")
_SNIFF_BYTES = 256 * 1024
_SAMPLE_LINES = 60
_SHEET_SAMPLE_ROWS = 2000  # enough rows to tell a data sheet from a cover or notes sheet
_BIG_FILE = 32 * 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_CANDIDATE_ENCODINGS = ["gb18030", "big5", "cp1252", "latin_1"]
_ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
}


# --------------------------------------------------------------------------- entry point


def read_table(
    source: str | Path | bytes, *, name: str | None = None, sheet: str | None = None
) -> RawTable:
    """Read a CSV/TSV/Excel/Parquet/JSON export; raise an InputError child when impossible."""
    label = name or (str(source) if not isinstance(source, bytes | bytearray) else "upload")
    try:
        return _read(source, name=name, sheet=sheet, label=label)
    except ChurnlabError:
        raise
    except MemoryError as exc:
        raise InputError("error.reading.too_large", file=_short(label)) from exc
    except Exception as exc:
        log.debug("reading %s failed", label, exc_info=True)
        raise InputError(
            "error.reading.unreadable", file=_short(label), reason=type(exc).__name__
        ) from exc


def _short(label: str) -> str:
    """The file name a person recognises (not the whole path), for messages."""
    return Path(label).name or label


def _read(
    source: str | Path | bytes, *, name: str | None, sheet: str | None, label: str
) -> RawTable:
    path: Path | None = None
    data: bytes | None = None
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        head = data[:_SNIFF_BYTES]
        size = len(data)
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(
                "error.reading.missing", hint="error.reading.missing.hint", file=_short(label)
            )
        if path.is_dir():
            raise InputError(
                "error.reading.folder", hint="error.reading.folder.hint", file=_short(label)
            )
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
        size = path.stat().st_size
    ext = Path(name or (path.name if path else "")).suffix.lower()
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyFileError("error.reading.empty", file=_short(label))

    kind = _sniff_kind(head, ext, label)

    def whole() -> bytes:
        return data if data is not None else path.read_bytes()  # type: ignore[union-attr]

    if kind == "excel":
        return _read_excel(whole(), label, sheet)
    if kind == "parquet":
        return _read_parquet(path if data is None else data, label)
    if kind == "json":
        try:
            return _read_json(whole(), label)
        except EmptyFileError:
            raise
        except InputError:
            if ext in JSON_EXTENSIONS:
                raise
            # "[Date],[Amount]" headers from SQL tools start like JSON but are text
    return _read_text(path, data, head, size, label)


def _sniff_kind(head: bytes, ext: str, label: str) -> str:
    """The file format from its first bytes, then from its extension."""
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "excel"  # xlsx/ods are zip files, xls is an OLE2 compound file
    if head.startswith(b"PAR1"):
        return "parquet"
    if ext in EXCEL_EXTENSIONS:
        raise InputError(
            "error.reading.not_excel",
            hint="error.reading.not_excel.hint",
            ext=ext,
            file=_short(label),
        )
    if ext in PARQUET_EXTENSIONS:
        raise InputError(
            "error.reading.not_parquet",
            hint="error.reading.not_parquet.hint",
            ext=ext,
            file=_short(label),
        )
    if _looks_binary(head):
        raise UnsupportedFormatError(
            "error.reading.binary", hint="error.reading.binary.hint", file=_short(label)
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{") or ext in JSON_EXTENSIONS:
        return "json"
    return "text"


def _looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return False
    sample = head[:8192]
    if _utf16_without_bom(sample):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is zero (ASCII text in UTF-16)."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------- text


def _detect_encoding(head: bytes, complete: bool) -> str:
    """BOMs first, then strict UTF-8, then the best of a few sensible legacy encodings."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    bomless = _utf16_without_bom(head[:8192])
    if bomless:
        return bomless
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = head if complete else _trim_to_line(head)
    gb_text = _try_decode(sample, "gb18030")
    if gb_text is not None and _cjk_share(gb_text) > 0.5:
        # cp1252/latin-1 decode anything; GBK text read that way is mojibake
        try:
            import charset_normalizer

            best = charset_normalizer.from_bytes(sample, cp_isolation=["gb18030", "big5"]).best()
            if best is not None and best.encoding == "big5" and _cjk_share(str(best)) > 0.5:
                return "big5"
        except Exception:  # charset-normalizer is only a tie-breaker
            log.debug("charset-normalizer failed", exc_info=True)
        return "gb18030"
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(sample, cp_isolation=_CANDIDATE_ENCODINGS).best()
        if best is not None:
            found = best.encoding.lower().replace("-", "_")
            if found in ("gbk", "gb2312", "gb18030"):
                return "gb18030"
            if found in ("cp1252", "windows_1252"):
                return "cp1252"
            if found == "big5":
                return "big5"
    except Exception:
        log.debug("charset-normalizer failed", exc_info=True)
    if _try_decode(sample, "cp1252") is not None:
        return "cp1252"
    return "latin_1"


def _trim_to_line(head: bytes) -> bytes:
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else head


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(text: str) -> float:
    """Share of non-ASCII letters that are CJK ideographs or CJK punctuation."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    cjk = sum(
        1
        for c in non_ascii
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return cjk / len(non_ascii)


def _split_whitespace(line: str) -> list[str]:
    return line.split()


def _fields(line: str, delimiter: str) -> list[str]:
    if delimiter == WHITESPACE:
        return _split_whitespace(line)
    try:
        return next(csv.reader([line], delimiter=delimiter, quotechar='"'))
    except (csv.Error, StopIteration):
        return line.split(delimiter)


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter giving the most lines with the same number (> 1) of fields."""
    content = [ln for ln in lines if ln.strip()]
    best = (",", -1, 0)
    for delim in (*_DELIMITERS, WHITESPACE):
        counts = Counter(len(_fields(ln, delim)) for ln in content)
        counts.pop(1, None)
        counts.pop(0, None)
        if not counts:
            continue
        width, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if freq > best[1]:
            best = (delim, freq, width)
    return best[0]


def _find_header(lines: list[str], delimiter: str) -> int:
    """Index of the header line: the first line as wide as the table (titles and blanks skipped)."""
    widths = [
        (i, sum(1 for f in _fields(ln, delimiter) if f.strip())) for i, ln in enumerate(lines)
    ]
    filled = [w for _, w in widths if w > 0]
    if not filled:
        return 0
    counts = Counter(filled)
    table_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    need = _needed_width(table_width)
    for i, w in widths:
        if w >= need:
            return i
    return 0


def _needed_width(table_width: int) -> int:
    """Filled cells a header needs: title lines hold one or two, headers about the table's width."""
    if table_width <= 1:
        return 1
    return max(2, (table_width + 1) // 2)


_DATA_LIKE = re.compile(r"^[-+]?[\d.,:/\- ]+$")


def _looks_like_data(names: list[str], body: list[list[str | None]] | None = None) -> bool:
    """True when a would-be header is data: all numbers/dates, or (given the rows below) values
    of the same types as the rows below with at least one number among them, or values that
    occur again below (``pv`` in a column of pv/buy/cart). A header of names never has a
    number where its column has numbers, so one such column is enough to tell."""
    filled = [n.strip() for n in names]
    if not filled or not all(filled):
        return False
    if all(_DATA_LIKE.match(n) for n in filled):
        return True
    if not body:
        return False
    numeric_match = False
    for index, name in enumerate(filled):
        column = [str(row[index]).strip() for row in body if index < len(row) and row[index]]
        if not column:
            return False
        numbers = sum(bool(_DATA_LIKE.match(v)) for v in column) / len(column)
        if _DATA_LIKE.match(name):
            if numbers < 0.9:
                return False
            numeric_match = True
        elif numbers >= 0.9 or name not in set(column):
            return False
    return numeric_match


def _header_named(lines: list[str], header: int, delimiter: str) -> bool:
    """True when the header line really holds names (not data)."""
    if header >= len(lines):
        return False
    body = [_fields(line, delimiter) for line in lines[header + 1 : header + 200]]
    return not _looks_like_data(_fields(lines[header], delimiter), body)


def _read_text(
    path: Path | None, data: bytes | None, head: bytes, size: int, label: str
) -> RawTable:
    complete = data is not None or size <= len(head)
    encoding = _detect_encoding(head, complete)
    notes: list[Message] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        raw = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
        text = raw.decode(encoding, errors="replace").lstrip("\ufeff")
        if "\ufffd" in text:
            notes.append(Message("quality.note.replaced_characters"))
        payload: bytes | Path = text.encode("utf-8")
        head_text = text[:_SNIFF_BYTES]
    elif path is not None and size > _BIG_FILE and encoding == "utf-8":
        payload = path  # let Polars read a big plain UTF-8 file straight from disk
        head_text = codecs.getincrementaldecoder("utf-8")("replace").decode(head, final=False)
    else:
        raw = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        try:
            head_text = raw[:_SNIFF_BYTES].decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            head_text = raw[:_SNIFF_BYTES].decode("utf-8", errors="ignore")
        payload = raw
    notes.append(
        Message("quality.note.encoding", {"encoding": _ENCODING_NAMES.get(encoding, encoding)})
    )

    head_text = head_text.replace("\r\n", "\n")
    if "\n" not in head_text and "\r" in head_text:
        head_text = head_text.replace("\r", "\n")
        if isinstance(payload, bytes):
            payload = payload.replace(b"\r", b"\n")
    lines = head_text.split("\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a partial read may be cut
    sample = lines[: _SAMPLE_LINES * 4]
    if not any(ln.strip() for ln in sample):
        raise EmptyFileError("error.reading.no_rows", file=_short(label))
    delimiter = _sniff_delimiter(sample[: _SAMPLE_LINES * 2])
    header = _find_header(sample[:_SAMPLE_LINES], delimiter)
    titles = [ln for ln in lines[:header] if ln.strip()]
    if titles:
        notes.append(
            Message(
                "quality.note.title_lines" if len(titles) > 1 else "quality.note.title_line",
                {"count": len(titles)},
            )
        )

    read_formats: dict[str, str] = {}
    if delimiter == WHITESPACE:
        frame = _read_whitespace(payload, header)
    else:
        typed = _read_typed(payload, lines, delimiter, header) if size >= TYPED_FROM else None
        if typed is not None:
            frame, read_formats = typed
        else:
            frame = _read_delimited(payload, delimiter, header, notes)
            frame = _promote_header(frame)
    if (
        frame.width
        and all(re.fullmatch(r"column_\d+", c) for c in frame.columns)
        and not _header_named(lines, header, delimiter)
    ):
        notes.append(Message("quality.note.no_header"))
        header = -1
    delim_name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", WHITESPACE: "spaces"}
    if delimiter in delim_name:
        notes.append(Message(f"quality.note.delimiter.{delim_name[delimiter]}"))
    else:
        notes.append(Message("quality.note.delimiter.other", {"delimiter": repr(delimiter)}))
    table = _finish(
        frame, label, "csv", notes, encoding=encoding, delimiter=delimiter, header=header
    )
    table.read_formats = {c: f for c, f in read_formats.items() if c in table.frame.columns}
    return table


def _text_options(delimiter: str, header: int) -> dict[str, Any]:
    """Polars' options for reading a delimited file as text, the header row as a data row."""
    return {
        "separator": delimiter,
        "has_header": False,
        "skip_lines": header,
        "infer_schema": False,
        "truncate_ragged_lines": True,
        "quote_char": '"',
        "raise_if_empty": False,
        "empty_string_is_null": True,
    }


def _read_typed(
    payload: bytes | Path, lines: list[str], delimiter: str, header: int
) -> tuple[pl.DataFrame, dict[str, str]] | None:
    """A big file with its plain ISO time columns (and plain numbers named as measures)
    parsed while it is read (``typed_csv``), and the time columns' format descriptions;
    None when the text path must read it."""
    # the head's lines without the last two (a quoted field may run past the head)
    sample_text = "\n".join(lines[:-2]).encode("utf-8")
    try:
        sample = pl.read_csv(sample_text, **_text_options(delimiter, header))
    except pl.exceptions.PolarsError:
        return None
    if sample.height < 2:
        return None
    names = _header_row(sample)
    if names is None:
        return None
    names = _clean_names(names)
    body = sample.slice(1).rename(dict(zip(sample.columns, names, strict=True)))
    plan = plan_times(body)
    if not plan:
        return None
    numbers = plan_numbers(body, skip=set(plan))
    frame = read_parsed(payload, _text_options(delimiter, header), names, plan, numbers)
    if frame is None:
        return None
    return frame, {column: description for column, (_fmt, description) in plan.items()}


def _read_delimited(
    payload: bytes | Path, delimiter: str, header: int, notes: list[Message]
) -> pl.DataFrame:
    """Every column as text. Strict UTF-8 first: Polars' lossy decoding costs a third of the
    read on a clean file; a stray bad byte deep in a big file is read again, replaced."""
    options = _text_options(delimiter, header)
    try:
        return pl.read_csv(payload, **options)
    except pl.exceptions.ComputeError as error:
        if "utf-8" not in str(error).lower():
            raise
    notes.append(Message("quality.note.replaced_characters"))
    return pl.read_csv(payload, encoding="utf8-lossy", **options)


def _header_row(frame: pl.DataFrame) -> list[str] | None:
    """The first row as column names, or None when it looks like data (no header)."""
    names = [("" if v is None else str(v)) for v in frame.row(0)]
    below = [list(row) for row in frame.slice(1, 200).iter_rows()]
    return None if _looks_like_data(names, below) else names


def _promote_header(frame: pl.DataFrame) -> pl.DataFrame:
    """Use the first row as column names (Polars' own duplicate naming is not for people)."""
    if frame.height == 0:
        return frame
    names = _header_row(frame)
    if names is None:
        names, body = [NO_HEADER] * frame.width, frame
    else:
        body = frame.slice(1)
    return body.rename(dict(zip(body.columns, _clean_names(names), strict=True)))


def _read_whitespace(payload: bytes | Path, header: int) -> pl.DataFrame:
    """Columns separated by runs of spaces (fixed-width-looking text such as CDNOW)."""
    lines = pl.read_csv(
        payload,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        infer_schema=False,
        new_columns=["line"],
        truncate_ragged_lines=True,
        raise_if_empty=False,
        encoding="utf8-lossy",
    )
    if lines.width == 0:
        return pl.DataFrame()
    col = lines.get_column(lines.columns[0])
    # blank lines are skipped by the reader, so recount the header position among kept lines
    return _split_lines(col, header)


def _split_lines(col: pl.Series, header: int) -> pl.DataFrame:
    """Split lines on runs of whitespace; the header is the first line as wide as the table."""
    del header  # blank lines are not in ``col``, so the width rule finds the header again
    tokens = col.str.strip_chars().str.replace_all(r"\s+", " ")
    tokens = tokens.filter(tokens.is_not_null() & (tokens != ""))
    if tokens.len() == 0:
        return pl.DataFrame()
    split = tokens.str.split(" ")
    lens = split.list.len()
    width = int(lens.value_counts(sort=True)[0, 0])
    first = int((lens >= width).arg_max() or 0) if width > 1 else 0
    header_fields = [*split[first].to_list(), *[""] * width][:width]
    body = split.slice(first + 1)
    if _looks_like_data(header_fields):
        header_fields, body = [NO_HEADER] * width, split.slice(first)
    names = _clean_names(header_fields)
    return pl.DataFrame({names[i]: body.list.get(i, null_on_oob=True) for i in range(width)})


# --------------------------------------------------------------------------- excel


def _read_excel(data: bytes, label: str, sheet: str | None) -> RawTable:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:
        raise InputError(
            "error.reading.bad_workbook", hint="error.reading.bad_workbook.hint", file=_short(label)
        ) from exc
    names = list(reader.sheet_names)
    if not names:
        raise EmptyFileError("error.reading.no_sheets", file=_short(label))
    notes: list[Message] = []
    if sheet is not None:
        idx = _sheet_index(names, sheet)
        if idx is None:
            raise InputError(
                "error.reading.no_such_sheet",
                hint="error.reading.no_such_sheet.hint",
                file=_short(label),
                sheet=str(sheet),
                sheets=", ".join(f"'{n}'" for n in names),
            )
    else:
        idx = _fullest_sheet(reader, names)
    sheet_name = names[idx]
    grid = reader.load_sheet(
        idx, header_row=None, dtypes="string", n_rows=_SAMPLE_LINES
    ).to_polars()
    if grid.height == 0:
        raise EmptyFileError("error.reading.empty_sheet", sheet=sheet_name, file=_short(label))
    filled = grid.select(
        pl.sum_horizontal(
            [(pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "")) for c in grid.columns]
        )
    ).to_series()
    header = _header_from_widths(filled.head(_SAMPLE_LINES).to_list())
    frame = reader.load_sheet(idx, header_row=header, dtype_coercion="coerce").to_polars()
    notes.append(Message("quality.note.sheet", {"sheet": sheet_name, "count": len(names)}))
    if header:
        notes.append(
            Message(
                "quality.note.skipped_rows" if header > 1 else "quality.note.skipped_row",
                {"count": header},
            )
        )
    return _finish(frame, label, "excel", notes, sheet=sheet_name, header=header)


def _sheet_index(names: list[str], wanted: str) -> int | None:
    if wanted in names:
        return names.index(wanted)
    lowered = [n.strip().lower() for n in names]
    if wanted.strip().lower() in lowered:
        return lowered.index(wanted.strip().lower())
    if wanted.strip().isdigit() and int(wanted) < len(names):
        return int(wanted)
    return None


def _fullest_sheet(reader: Any, names: list[str]) -> int:
    """The sheet holding the most cells (a workbook may have a cover or notes sheet)."""
    if len(names) == 1:
        return 0
    best, best_cells = 0, -1
    for i in range(len(names)):
        try:
            grid = reader.load_sheet(
                i, header_row=None, dtypes="string", n_rows=_SHEET_SAMPLE_ROWS
            ).to_polars()
        except Exception:
            log.debug("sheet %s unreadable", names[i], exc_info=True)
            continue
        cells = int(sum(grid[c].is_not_null().sum() for c in grid.columns)) if grid.width else 0
        if cells > best_cells:
            best, best_cells = i, cells
    return best


def _header_from_widths(widths: list[int]) -> int:
    filled = [w for w in widths if w > 0]
    if not filled:
        return 0
    counts = Counter(filled)
    table_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    need = _needed_width(table_width)
    for i, w in enumerate(widths):
        if w >= need:
            return i
    return 0


# --------------------------------------------------------------------------- parquet


def _read_parquet(source: Path | bytes, label: str) -> RawTable:
    try:
        frame = pl.read_parquet(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Exception as exc:
        raise InputError(
            "error.reading.bad_parquet", hint="error.reading.bad_parquet.hint", file=_short(label)
        ) from exc
    return _finish(frame, label, "parquet", [])


# --------------------------------------------------------------------------- json


_WRAPPER_KEYS = ("data", "records", "rows", "items", "results", "result", "orders", "events")


def _read_json(data: bytes, label: str) -> RawTable:
    encoding = _detect_encoding(data[:_SNIFF_BYTES], True)
    text = data.decode(encoding, errors="replace").lstrip("\ufeff").strip()
    fmt = "json"
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        doc = None
    if doc is None:
        records = []
        for i, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    "error.reading.bad_json",
                    hint="error.reading.bad_json.hint",
                    file=_short(label),
                    line=i + 1,
                ) from exc
        fmt = "jsonl"
    elif isinstance(doc, list):
        records = doc
    elif isinstance(doc, dict):
        records = _unwrap(doc)
    else:
        records = []
    records = [r for r in records if isinstance(r, dict)]
    if not records:
        raise EmptyFileError("error.reading.no_records", file=_short(label))
    return _finish(_records_frame(records), label, fmt, [])


def _unwrap(doc: dict[str, Any]) -> list[Any]:
    for key in _WRAPPER_KEYS:
        if isinstance(doc.get(key), list):
            return doc[key]
    lists = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    if len(lists) == 1:
        return lists[0]
    for v in doc.values():
        if isinstance(v, dict):
            inner = _unwrap(v)
            if inner:
                return inner
    return [doc] if all(not isinstance(v, dict | list) for v in doc.values()) else []


def _records_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """Records to a frame: one type per column, nested values as JSON text, mixed types as text."""
    keys: dict[str, None] = {}
    for rec in records:
        for k in rec:
            keys.setdefault(str(k), None)
    columns: dict[str, pl.Series] = {}
    for key in keys:
        values = [rec.get(key) for rec in records]
        kinds = {type(v) for v in values if v is not None}
        if kinds & {dict, list}:
            values = [
                None
                if v is None
                else (json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v))
                for v in values
            ]
            columns[key] = pl.Series(key, values, dtype=pl.String)
        elif kinds <= {int} and kinds:
            columns[key] = pl.Series(key, values, dtype=pl.Int64, strict=False)
        elif kinds <= {int, float} and kinds:
            columns[key] = pl.Series(key, values, dtype=pl.Float64, strict=False)
        elif kinds == {bool}:
            columns[key] = pl.Series(key, values, dtype=pl.Boolean)
        else:
            columns[key] = pl.Series(
                key, [None if v is None else str(v) for v in values], dtype=pl.String
            )
    return pl.DataFrame(list(columns.values()))


# --------------------------------------------------------------------------- finishing


def _clean_names(names: list[str]) -> list[str]:
    """Stripped, non-blank, unique column names."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names):
        name = str(raw).replace("\ufeff", "").strip()
        if not name or name == NO_HEADER or re.fullmatch(r"__UNNAMED__\d*", name):
            name = f"column_{i + 1}"
        base, n = name, 2
        while name in seen:
            name = f"{base}_{n}"
            n += 1
        seen.add(name)
        out.append(name)
    return out


def _finish(
    frame: pl.DataFrame,
    label: str,
    fmt: str,
    notes: list[Message],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header: int = 0,
) -> RawTable:
    """Clean names, drop empty rows and trailing empty columns, refuse empty tables."""
    if frame.width == 0:
        raise EmptyFileError("error.reading.no_columns", file=_short(label))
    frame = frame.rename(dict(zip(frame.columns, _clean_names(frame.columns), strict=True)))
    rows = frame.height
    frame = _drop_empty(frame)
    if frame.height == 0:
        raise EmptyFileError(
            "error.reading.header_only"
            if rows == 0 or frame.width
            else "error.reading.no_data_rows",
            file=_short(label),
        )
    dropped = rows - frame.height
    if dropped:
        notes.append(
            Message(
                "quality.note.empty_rows" if dropped > 1 else "quality.note.empty_row",
                {"count": dropped},
            )
        )
    return RawTable(
        frame=frame,
        source=label,
        format=fmt,
        rows=rows,
        encoding=_ENCODING_NAMES.get(encoding, encoding) if encoding else None,
        delimiter=delimiter,
        sheet=sheet,
        header_row=header,
        notes=notes,
    )


def _is_empty(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        return values.is_null() | (values.str.strip_chars() == "")
    return values.is_null()


def _empty_rows(frame: pl.DataFrame) -> pl.Series | None:
    """Rows with every column empty, or None when there are none. Column by column, only
    on the rows still empty so far: a 10M-row log usually stops after its first column."""
    rows: pl.Series | None = None  # indices of the rows empty in every column so far
    for column in frame.columns:
        values = frame.get_column(column)
        if rows is not None:
            values = values.gather(rows)
        dtype = values.dtype
        where = spread(values, lambda v, dtype=dtype: _is_empty(v, dtype)).arg_true()
        rows = where if rows is None else rows.gather(where)
        if rows.len() == 0:
            return None
    assert rows is not None  # a frame with rows has columns
    return pl.int_range(frame.height, eager=True, dtype=rows.dtype).is_in(rows.implode())


def _has_values(series: pl.Series) -> bool:
    """Whether a column holds any non-empty value (a look at its first values first)."""
    present = series.drop_nulls()
    if present.len() == 0:
        return False
    if series.dtype != pl.String:
        return True
    if (present.head(1000).str.strip_chars() != "").any():
        return True
    return bool((present.str.strip_chars() != "").any())


def _drop_empty(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.height == 0:
        return frame
    nulls = dict(zip(frame.columns, frame.null_count().row(0), strict=True))
    # a typed column without a null (a parsed time, a Parquet number) leaves no row empty
    full = any(not n and frame.schema[c] != pl.String for c, n in nulls.items())
    if not full and (any(nulls.values()) or pl.String in frame.dtypes):
        empty_rows = _empty_rows(frame)
        if empty_rows is not None:  # filtering copies every column: only when a row goes
            frame = frame.filter(~empty_rows)
    if frame.height == 0:
        return frame
    # trailing columns with no values at all (exports often end every line with a delimiter)
    keep = frame.width
    while keep > 1 and not _has_values(frame.get_column(frame.columns[keep - 1])):
        keep -= 1
    return frame.select(frame.columns[:keep])
