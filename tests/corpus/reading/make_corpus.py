"""Regenerate the messy-file corpus used by tests/unit/test_reading.py.

Run from anywhere: ``python3 tests/corpus/reading/make_corpus.py``. Output is
deterministic (fixed seed, fixed workbook dates) and every file stays small.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent

ROWS = [
    ("00017", "2024-03-05 14:05:00", "12.50"),
    ("00018", "2024-03-06 09:30:00", "1234.50"),
    ("00019", "2024-03-07 18:00:00", "7.00"),
]


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def text_files() -> None:
    lines = ["customer_id,order_time,amount"] + [",".join(r) for r in ROWS]
    plain = "\n".join(lines) + "\n"
    write("utf8.csv", plain.encode("utf-8"))
    write("utf8_bom.csv", ("\ufeff" + plain.replace("\n", "\r\n")).encode("utf-8"))
    tab = "\r\n".join(ln.replace(",", "\t") for ln in lines) + "\r\n"
    write("utf16.txt", "\ufeff".encode("utf-16-le") + tab.encode("utf-16-le"))

    gb = (
        "销售报表 2024\n"
        "导出时间: 2024-03-05\n"
        "\n"
        "客户编号,下单时间,金额,商品名称\n"
        "00017,2024年3月5日 14:05,¥12.50,红色连衣裙\n"
        '00018,2024/3/6 下午2:05,"¥1,234.50",蓝牙耳机\n'
        "00019,2024年3月7日,￥7.00,保温杯\n"
    )
    write("gb18030.csv", gb.encode("gb18030"))

    cp = "customer,city,price\nJosé,Málaga,€12.50\nMüller,Köln,€1234.50\nFrançoise,Besançon,€7.00\n"
    write("cp1252.csv", cp.encode("cp1252"))

    semi = (
        "kunde;datum;betrag\n"
        "00017;05.03.2024;12,50\n"
        "00018;06.03.2024;1.234,50\n"
        "00019;13.03.2024;7,00\n"
    )
    write("semicolon.csv", semi.encode("utf-8"))
    write("tab.tsv", ("\n".join(ln.replace(",", "\t") for ln in lines) + "\n").encode())
    write("pipe.txt", ("\n".join(ln.replace(",", "|") for ln in lines) + "\n").encode())
    cdnow = (
        "  00001 19970101  1   11.77\n"
        "  00002 19970112  1   12.00\n"
        "  00002 19970112  5   77.00\n"
        "  00003 19970102  2   20.76\n"
    )
    write("whitespace.txt", cdnow.encode())
    titles = (
        "Sales report 2024\n"
        "Exported: 2024-03-05,,\n"
        "\n"
        "customer_id,order_time,amount\n"
        "00017,2024-03-05,12.50\n"
        "\n"
        "00018,2024-03-06,7.00\n"
        ",,\n"
    )
    write("titles.csv", titles.encode())
    quoted = 'id,note,amount\n1,"hello, world",5\n2,"two\nlines",6\n3,"say ""hi""",7\n'
    write("quoted.csv", quoted.encode())
    ragged = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
    write("ragged.csv", ragged.encode())
    write("dupes.csv", b"id,id, ,amount,,\n1,2,3,4,,\n5,6,7,8,,\n")
    write("empty.csv", b"")
    write("blank_lines.csv", b"\n\n  \n")
    write("header_only.csv", b"customer_id,order_time,amount\n")
    write("fake.xlsx", plain.encode())
    write("fake.parquet", plain.encode())
    rng = random.Random(42)
    write("random.bin", bytes(rng.randrange(256) for _ in range(2048)))

    values = (
        "iso,dayfirst,monthfirst,names,compact,zoned,chinese,money,eu_money,ids\n"
        "2024-03-05,13/03/2024,03/13/2024,05-Mar-2024,19970101,2024-03-05T14:05:00Z,2024年3月5日,"
        '"$1,234.50","1.234,56",17850.0\n'
        '2024-03-06 10:00,05/03/2024,03/05/2024,"Mar 5, 2024",19970102,2024-03-05T14:05:00+08:00,'
        '2024/3/5 下午2:05,(12.00),"12,5",00123\n'
        "2024-03-07T11:30:15.5,06/03/24,03/06/24,5 March 2024,19970103,2024-03-05 14:05:00+0800,"
        "2024年3月5日 14:05,15%,-3,  42 \n"
    )
    write("values.csv", values.encode("utf-8"))


def excel() -> None:
    import xlsxwriter

    path = HERE / "workbook.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    cover = wb.add_worksheet("Cover")
    cover.write(0, 0, "Quarterly export")
    cover.write(1, 0, "Made by the shop system")
    orders = wb.add_worksheet("Orders")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    orders.write(0, 0, "Orders report 2024")
    orders.write_row(2, 0, ["customer_id", "order_time", "amount"])
    for i, (cid, when, amount) in enumerate(ROWS, start=3):
        orders.write_string(i, 0, cid)
        orders.write_datetime(i, 1, dt.datetime.fromisoformat(when), date_fmt)
        orders.write_number(i, 2, float(amount))
    notes = wb.add_worksheet("Notes")
    notes.write(0, 0, "nothing here")
    wb.close()


def parquet_and_json() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": [r[0] for r in ROWS],
            "order_time": [dt.datetime.fromisoformat(r[1]) for r in ROWS],
            "amount": [float(r[2]) for r in ROWS],
        }
    )
    frame.write_parquet(HERE / "orders.parquet", statistics=False)
    data = (HERE / "orders.parquet").read_bytes()
    write("truncated.parquet", data[: len(data) // 2])
    records = [
        {"customer_id": r[0], "order_time": r[1], "amount": float(r[2]), "items": [{"sku": "A"}]}
        for r in ROWS
    ]
    write("records.json", json.dumps(records, ensure_ascii=False, indent=1).encode())
    write("wrapped.json", json.dumps({"status": "ok", "data": records}).encode())
    write("lines.jsonl", "\n".join(json.dumps(r) for r in records).encode() + b"\n")
    write("empty.json", b"[]")


if __name__ == "__main__":
    text_files()
    excel()
    parquet_and_json()
