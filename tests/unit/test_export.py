"""Safe exports: formula injection, BOM, Excel read back, pseudonyms, atomic writes."""

from __future__ import annotations

import io

import fastexcel
import polars as pl
import pytest

from churnlab.errors import ChurnlabError
from churnlab.export import csv_bytes, neutralise_text, pseudonymise_ids, write_list, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "normal", "客户"]


def hostile_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": HOSTILE,
            "churn_probability": [0.5, 0.1, -0.0, 0.9, 0.2, 0.3, 0.4, 0.6],
            "amount": [-5.0, 1, 2, 3, 4, 5, 6, 7],
        }
    )


@pytest.mark.parametrize("value", HOSTILE[:6])
def test_dangerous_cells_are_neutralised(value: str) -> None:
    out = neutralise_text(pl.DataFrame({"x": [value]})).item()
    assert out == "'" + value


def test_numbers_stay_numbers_even_negative() -> None:
    out = neutralise_text(hostile_frame())
    assert out.get_column("amount").dtype == pl.Float64
    assert out.get_column("amount")[0] == -5.0
    assert out.get_column("customer_id")[6] == "normal"


def test_csv_has_a_bom_and_reads_back_safely() -> None:
    data = csv_bytes(hostile_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.BytesIO(data[3:]))
    first_chars = {value[0] for value in back.get_column("customer_id").to_list()}
    assert first_chars.isdisjoint({"=", "+", "-", "@", "\t", "\r"})
    assert "客户" in back.get_column("customer_id").to_list()


def test_excel_has_both_sheets_types_and_no_formulas() -> None:
    data = xlsx_bytes(hostile_frame(), column_notes={"customer_id": "who"}, about={"model": "test"})
    reader = fastexcel.read_excel(data)
    assert reader.sheet_names == ["Customers", "About"]
    sheet = reader.load_sheet(0).to_polars()
    assert sheet.get_column("churn_probability").dtype == pl.Float64
    assert sheet.get_column("amount").to_list()[0] == -5.0
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in sheet.get_column("customer_id"))
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula cell anywhere
    assert "<pane" in xml and 'ySplit="1"' in xml  # frozen header


def test_pseudonyms_are_stable_keyed_and_hide_raw_ids() -> None:
    frame = pl.DataFrame({"customer_id": ["00123", "00456", "00123"], "x": [1, 2, 3]})
    one = pseudonymise_ids(frame, "salt-a")
    again = pseudonymise_ids(frame, "salt-a")
    other = pseudonymise_ids(frame, "salt-b")
    assert one.equals(again)
    ids = one.get_column("customer_id").to_list()
    assert ids[0] == ids[2] != ids[1]
    assert all(len(v) == 16 for v in ids)
    assert not set(ids) & {"00123", "00456"}
    assert ids != other.get_column("customer_id").to_list()
    with pytest.raises(ChurnlabError):
        pseudonymise_ids(frame, "")


def test_write_list_is_atomic_and_checks_format(tmp_path) -> None:
    target = tmp_path / "list.csv"
    write_list(hostile_frame(), target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in tmp_path.iterdir()] == ["list.csv"]
    with pytest.raises(ChurnlabError, match="csv or xlsx"):
        write_list(hostile_frame(), tmp_path / "list.pdf")
    write_list(hostile_frame(), tmp_path / "list.xlsx")
    assert (tmp_path / "list.xlsx").read_bytes()[:2] == b"PK"
