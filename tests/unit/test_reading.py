"""Reading messy exports: formats, encodings, delimiters, headers, sheets, and failures.

The files live in tests/corpus/reading/ and are made by make_corpus.py there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import churnlab.ingest.reading as reading
from churnlab.errors import ChurnlabError, EmptyFileError, InputError
from churnlab.ingest.parsing import clean_ids, parse_datetimes, parse_numbers
from churnlab.ingest.reading import RawTable, read_table

HERE = Path(__file__).resolve().parent.parent / "corpus" / "reading"
IDS = ["00017", "00018", "00019"]
TIMES = ["2024-03-05 14:05:00", "2024-03-06 09:30:00", "2024-03-07 18:00:00"]
AMOUNTS = ["12.50", "1234.50", "7.00"]


def corpus(name: str) -> Path:
    return HERE / name


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8.csv", "UTF-8", ","),
        ("utf8_bom.csv", "UTF-8 (BOM)", ","),
        ("utf16.txt", "UTF-16 LE", "\t"),
        ("tab.tsv", "UTF-8", "\t"),
        ("pipe.txt", "UTF-8", "|"),
    ],
)
def test_plain_tables(name: str, encoding: str, delimiter: str) -> None:
    raw = read_table(corpus(name))
    assert isinstance(raw, RawTable)
    assert raw.format == "csv"
    assert raw.encoding == encoding
    assert raw.delimiter == delimiter
    assert raw.columns == ["customer_id", "order_time", "amount"]
    assert raw.frame["customer_id"].to_list() == IDS
    assert raw.frame["order_time"].to_list() == TIMES
    assert raw.frame["amount"].to_list() == AMOUNTS
    assert raw.rows == 3
    assert all(dtype == pl.String for dtype in raw.frame.dtypes)


def test_gb18030_with_titles_and_chinese_values() -> None:
    raw = read_table(corpus("gb18030.csv"))
    assert raw.encoding == "GB18030"
    assert raw.header_row == 3
    assert raw.columns == ["客户编号", "下单时间", "金额", "商品名称"]
    assert raw.frame["商品名称"].to_list() == ["红色连衣裙", "蓝牙耳机", "保温杯"]
    assert any("2 title lines" in str(note) for note in raw.notes)
    times = parse_datetimes(raw.frame["下单时间"]).values.to_list()
    assert times == [
        dt.datetime(2024, 3, 5, 14, 5),
        dt.datetime(2024, 3, 6, 14, 5),
        dt.datetime(2024, 3, 7),
    ]
    assert parse_numbers(raw.frame["金额"]).values.to_list() == [12.5, 1234.5, 7.0]


def test_gbk_bytes_are_not_read_as_cp1252() -> None:
    data = "客户,城市\n张三,北京\n李四,上海\n".encode("gbk")
    raw = read_table(data, name="export.csv")
    assert raw.encoding == "GB18030"
    assert raw.frame["城市"].to_list() == ["北京", "上海"]


def test_cp1252_accents_and_euro() -> None:
    raw = read_table(corpus("cp1252.csv"))
    assert raw.encoding == "Windows-1252"
    assert raw.frame["customer"].to_list() == ["José", "Müller", "Françoise"]
    assert raw.frame["price"][0] == "€12.50"
    assert parse_numbers(raw.frame["price"]).values.to_list() == [12.5, 1234.5, 7.0]


def test_semicolon_with_decimal_comma() -> None:
    raw = read_table(corpus("semicolon.csv"))
    assert raw.delimiter == ";"
    assert raw.frame["kunde"].to_list() == IDS
    assert parse_numbers(raw.frame["betrag"]).values.to_list() == [12.5, 1234.5, 7.0]
    assert parse_datetimes(raw.frame["datum"]).values.to_list()[2] == dt.datetime(2024, 3, 13)


def test_whitespace_without_header_like_cdnow() -> None:
    raw = read_table(corpus("whitespace.txt"))
    assert raw.delimiter == " "
    assert raw.header_row == -1
    assert raw.columns == ["column_1", "column_2", "column_3", "column_4"]
    assert raw.frame["column_1"].to_list() == ["00001", "00002", "00002", "00003"]
    assert raw.frame["column_4"].to_list() == ["11.77", "12.00", "77.00", "20.76"]
    assert parse_datetimes(raw.frame["column_2"]).values[0] == dt.datetime(1997, 1, 1)


def test_title_lines_blank_lines_and_empty_rows() -> None:
    raw = read_table(corpus("titles.csv"))
    assert raw.header_row == 3
    assert raw.columns == ["customer_id", "order_time", "amount"]
    assert raw.frame["customer_id"].to_list() == ["00017", "00018"]
    assert any("title line" in str(note) for note in raw.notes)


def test_quoted_fields_keep_delimiters_newlines_and_quotes() -> None:
    raw = read_table(corpus("quoted.csv"))
    assert raw.frame["note"].to_list() == ["hello, world", "two\nlines", 'say "hi"']
    assert raw.frame["amount"].to_list() == ["5", "6", "7"]


def test_ragged_lines_are_tolerated() -> None:
    raw = read_table(corpus("ragged.csv"))
    assert raw.columns == ["a", "b", "c"]
    assert raw.frame["c"].to_list() == ["3", None, "8"]


def test_blank_and_duplicate_names_and_trailing_empty_columns() -> None:
    raw = read_table(corpus("dupes.csv"))
    assert raw.columns == ["id", "id_2", "column_3", "amount"]
    assert raw.frame["amount"].to_list() == ["4", "8"]


def test_values_file_parses_every_form() -> None:
    raw = read_table(corpus("values.csv"))
    frame = raw.frame
    day = dt.datetime(2024, 3, 5)
    assert parse_datetimes(frame["dayfirst"]).values.to_list()[0] == dt.datetime(2024, 3, 13)
    assert parse_datetimes(frame["monthfirst"]).values.to_list()[0] == dt.datetime(2024, 3, 13)
    assert parse_datetimes(frame["names"]).values.to_list() == [day] * 3
    assert parse_datetimes(frame["zoned"]).values.to_list() == [
        dt.datetime(2024, 3, 5, 14, 5),
        dt.datetime(2024, 3, 5, 6, 5),
        dt.datetime(2024, 3, 5, 6, 5),
    ]
    assert parse_datetimes(frame["chinese"]).values.to_list() == [
        day,
        dt.datetime(2024, 3, 5, 14, 5),
        dt.datetime(2024, 3, 5, 14, 5),
    ]
    assert parse_numbers(frame["money"]).values.to_list() == pytest.approx([1234.5, -12.0, 0.15])
    assert parse_numbers(frame["eu_money"]).values.to_list() == pytest.approx([1234.56, 12.5, -3])
    assert clean_ids(frame["ids"]).to_list() == ["17850", "00123", "42"]


# --------------------------------------------------------------------------- excel


def test_excel_picks_the_sheet_with_data_and_skips_title_rows() -> None:
    raw = read_table(corpus("workbook.xlsx"))
    assert raw.format == "excel"
    assert raw.sheet == "Orders"
    assert raw.header_row == 2
    assert raw.columns == ["customer_id", "order_time", "amount"]
    assert raw.frame["customer_id"].to_list() == IDS
    assert parse_datetimes(raw.frame["order_time"]).values[0] == dt.datetime(2024, 3, 5, 14, 5)
    assert raw.frame["amount"].cast(pl.Float64).to_list() == [12.5, 1234.5, 7.0]
    assert "Sheet 'Orders' of 3" in [str(note) for note in raw.notes]


def test_excel_sheet_by_name_index_and_unknown() -> None:
    data = corpus("workbook.xlsx").read_bytes()
    assert read_table(data, name="w.xlsx", sheet="Orders").sheet == "Orders"
    assert read_table(data, name="w.xlsx", sheet="1").sheet == "Orders"
    cover = read_table(data, name="w.xlsx", sheet="Cover")
    assert cover.sheet == "Cover"
    with pytest.raises(InputError, match="Cover"):
        read_table(data, name="w.xlsx", sheet="Missing")


def test_xls_legacy_workbook() -> None:
    pytest.skip("no writer for legacy .xls is installed (xlwt absent), so no corpus file")


# --------------------------------------------------------------------------- parquet, json


def test_parquet_keeps_native_types() -> None:
    raw = read_table(corpus("orders.parquet"))
    assert raw.format == "parquet"
    assert raw.frame.schema["order_time"] == pl.Datetime("us")
    assert raw.frame["customer_id"].to_list() == IDS
    from_bytes = read_table(corpus("orders.parquet").read_bytes(), name="x.parquet")
    assert from_bytes.frame.equals(raw.frame)


def test_truncated_parquet_is_an_input_error() -> None:
    with pytest.raises(InputError, match="damaged or incomplete"):
        read_table(corpus("truncated.parquet"))


@pytest.mark.parametrize(
    ("name", "fmt"), [("records.json", "json"), ("wrapped.json", "json"), ("lines.jsonl", "jsonl")]
)
def test_json_forms(name: str, fmt: str) -> None:
    raw = read_table(corpus(name))
    assert raw.format == fmt
    assert raw.columns == ["customer_id", "order_time", "amount", "items"]
    assert raw.frame["customer_id"].to_list() == IDS
    assert raw.frame["amount"].to_list() == [12.5, 1234.5, 7.0]
    assert raw.frame["items"][0] == '[{"sku": "A"}]'


def test_json_with_mixed_types_becomes_text() -> None:
    raw = read_table(b'[{"id": 1, "v": "a"}, {"id": "x2", "v": 3}]', name="m.json")
    assert raw.frame["id"].to_list() == ["1", "x2"]


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("name", ["empty.csv", "blank_lines.csv", "header_only.csv", "empty.json"])
def test_empty_files(name: str) -> None:
    with pytest.raises(EmptyFileError):
        read_table(corpus(name))


def test_text_named_xlsx() -> None:
    with pytest.raises(InputError, match=r"named \.xlsx but is not an Excel workbook"):
        read_table(corpus("fake.xlsx"))


def test_text_named_parquet() -> None:
    with pytest.raises(InputError, match="not a Parquet file"):
        read_table(corpus("fake.parquet"))


def test_random_binary() -> None:
    with pytest.raises(InputError):
        read_table(corpus("random.bin"))


def test_missing_path_and_folder() -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_table(HERE / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        read_table(HERE)


def test_broken_zip_named_xlsx() -> None:
    with pytest.raises(InputError):
        read_table(b"PK\x03\x04" + b"\x00" * 100, name="broken.xlsx")


def test_errors_are_churnlab_errors_with_hints() -> None:
    with pytest.raises(ChurnlabError) as info:
        read_table(corpus("fake.xlsx"))
    assert info.value.hint


# --------------------------------------------------------------------------- uploads, big files


def test_bytes_upload_uses_name_for_source() -> None:
    raw = read_table(corpus("utf8.csv").read_bytes(), name="orders.csv")
    assert raw.source == "orders.csv"
    assert raw.frame["customer_id"].to_list() == IDS


def test_big_utf8_file_is_read_from_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "_BIG_FILE", 10)
    monkeypatch.setattr(reading, "_SNIFF_BYTES", 64)
    lines = ["Report", "customer_id,amount"] + [f"{i:05d},{i}.5" for i in range(200)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_table(path)
    assert raw.columns == ["customer_id", "amount"]
    assert raw.frame.height == 200
    assert raw.frame["customer_id"][7] == "00007"


def test_a_bad_byte_deep_in_a_big_utf8_file_is_replaced_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first read is strict UTF-8 (the fast one); a byte it refuses, beyond the part the
    encoding was sniffed from, reads the file again with that character replaced."""
    monkeypatch.setattr(reading, "_BIG_FILE", 10)
    monkeypatch.setattr(reading, "_SNIFF_BYTES", 64)
    lines = [b"customer_id,city"] + [b"%05d,Paris" % i for i in range(200)]
    lines[150] = b"00149,Mont\xe9limar"  # Latin-1 in an otherwise UTF-8 export
    path = tmp_path / "big.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    raw = read_table(path)
    assert raw.frame.height == 200
    assert raw.frame["city"][149] == "Mont\ufffdlimar"
    assert raw.frame["city"][0] == "Paris"
    assert "quality.note.replaced_characters" in [n.key for n in raw.notes]


def test_a_clean_file_has_no_replacement_note() -> None:
    raw = read_table(corpus("utf8.csv"))
    assert "quality.note.replaced_characters" not in [n.key for n in raw.notes]


def test_real_cdnow(cdnow_path: Path) -> None:
    raw = read_table(cdnow_path)
    assert raw.delimiter == " "
    assert raw.frame.width == 4
    assert raw.frame.height > 60000
    first = raw.frame.columns[1]
    dates = parse_datetimes(raw.frame[first])
    assert dates.n_failed == 0
    assert dates.values.min() == dt.datetime(1997, 1, 1)


def test_a_first_line_of_data_with_text_columns_is_not_a_header() -> None:
    """``1,2268318,2520377,pv,1511544070``: the text column's first value recurs below."""
    lines = [
        f"{u},{2268318 + u},{2520377 + u % 3},{b},{1511544070 + u}"
        for u in range(1, 60)
        for b in ("pv", "buy", "cart")
    ]
    raw = read_table("\n".join(lines).encode(), name="behaviour.csv")
    assert raw.columns == ["column_1", "column_2", "column_3", "column_4", "column_5"]
    assert raw.frame.height == len(lines)
    named = read_table(("user,item,cat,type,ts\n" + "\n".join(lines)).encode(), name="b.csv")
    assert named.columns == ["user", "item", "cat", "type", "ts"]
