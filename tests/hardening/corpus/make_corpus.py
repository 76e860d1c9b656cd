"""Regenerate the small bad and extreme exports used by tests/hardening/.

Run: python tests/hardening/corpus/make_corpus.py   (deterministic: seeded; each file < 100 KB)

Every file is named after what is wrong with it. ``CASES`` says what churnlab
must do with each: ``"error"`` (a clear refusal), ``"ok"`` (a correct result,
perhaps with warnings), or ``"either"`` (a clear refusal or a result).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
START = dt.datetime(2023, 1, 1, 9, 0)

HEADER = ["order_id", "customer_id", "order_date", "amount"]


def order_rows(
    customers: int = 150,
    days: int = 540,
    seed: int = 0,
    start: dt.datetime = START,
    id_of=lambda c: f"C{c:04d}",
) -> list[list[object]]:
    """A plausible order log: loyal buyers over the whole span, others who stop early."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for c in range(customers):
        loyal = rng.random() < 0.55
        n = rng.randint(5, 14) if loyal else rng.randint(1, 4)
        span = days if loyal else rng.randint(20, days // 2)
        for k in range(n):
            when = start + dt.timedelta(days=rng.randint(0, span), hours=rng.randint(0, 12))
            rows.append(
                [
                    f"O{c:04d}-{k:02d}",
                    id_of(c),
                    when.strftime("%Y-%m-%d %H:%M"),
                    f"{rng.uniform(5, 250):.2f}",
                ]
            )
    return rows


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _truncated_parquet() -> bytes:
    import polars as pl

    buf = io.BytesIO()
    frame = pl.DataFrame(order_rows(40), schema=HEADER, orient="row")
    frame.write_parquet(buf)
    data = buf.getvalue()
    return data[: len(data) // 2]


def _workbook_without_table() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2024, 1, 1)})  # deterministic bytes
    book.add_worksheet("Empty")
    book.add_worksheet("Notes").write(0, 0, "Nothing to see here")
    book.close()
    return buf.getvalue()


def build() -> dict[str, bytes]:
    """Every corpus file, by name."""
    rng = random.Random(7)
    normal = order_rows()
    files: dict[str, bytes] = {}
    files["empty.csv"] = b""
    files["header_only.csv"] = _csv([HEADER])
    files["random_bytes.csv"] = bytes(rng.getrandbits(8) for _ in range(4096))
    files["random_bytes.parquet"] = bytes(rng.getrandbits(8) for _ in range(4096))
    files["csv_named.xlsx"] = _csv([HEADER, *normal[:200]])
    files["truncated.parquet"] = _truncated_parquet()
    files["no_table.xlsx"] = _workbook_without_table()
    files["no_customer_column.csv"] = _csv(
        [["order_id", "order_date", "amount"]] + [[r[0], r[2], r[3]] for r in normal]
    )
    files["no_time_column.csv"] = _csv(
        [["order_id", "customer_id", "amount"]] + [[r[0], r[1], r[3]] for r in normal]
    )
    files["unparseable_dates.csv"] = _csv(
        [HEADER]
        + [[r[0], r[1], rng.choice(["soon", "n/a", "yesterday-ish", "??"]), r[3]] for r in normal]
    )
    files["label_one_class.csv"] = _csv(
        [["customer_id", "age", "plan", "churn"]]
        + [[f"C{c:04d}", rng.randint(18, 80), rng.choice("ABC"), 0] for c in range(300)]
    )
    files["short_history.csv"] = _csv([HEADER, *order_rows(150, days=40)])
    files["too_few_customers.csv"] = _csv([HEADER, *order_rows(4)])
    # Everyone stops buying in the first year: nobody stays, whatever the cut-off.
    stop = [
        [
            f"O{c}-{k}",
            f"C{c:03d}",
            (START + dt.timedelta(days=rng.randint(0, 200))).strftime("%Y-%m-%d"),
            "20",
        ]
        for c in range(120)
        for k in range(3)
    ]
    stop.append(["LAST", "C999", (START + dt.timedelta(days=600)).strftime("%Y-%m-%d"), "20"])
    files["all_churn.csv"] = _csv([HEADER, *stop])
    # Everyone buys every 20 days over the whole span: nobody churns.
    steady = [
        [
            f"O{c}-{k}",
            f"C{c:03d}",
            (START + dt.timedelta(days=20 * k + c % 5)).strftime("%Y-%m-%d"),
            "20",
        ]
        for c in range(120)
        for k in range(28)
    ]
    files["no_churn.csv"] = _csv([HEADER, *steady])
    files["huge_amounts.csv"] = _csv(
        [HEADER]
        + [[r[0], r[1], r[2], "1e12" if i % 3 else "999999999999.99"] for i, r in enumerate(normal)]
    )
    files["negative_and_text_amounts.csv"] = _csv(
        [HEADER]
        + [[r[0], r[1], r[2], rng.choice([r[3], f"-{r[3]}", "free", "n/a", r[3]])] for r in normal]
    )
    edge = [[r[0], r[1], r[2], r[3]] for r in normal]
    edge += [["E1", "C0000", "1970-01-01 00:00", "10"], ["E2", "C0001", "2100-12-31 23:59", "10"]]
    files["dates_1970_2100.csv"] = _csv([HEADER, *edge])
    files["one_event_per_customer.csv"] = _csv(
        [HEADER]
        + [
            [
                f"O{c}",
                f"C{c:04d}",
                (START + dt.timedelta(days=rng.randint(0, 540))).strftime("%Y-%m-%d"),
                "30",
            ]
            for c in range(400)
        ]
    )
    files["duplicate_rows.csv"] = _csv([HEADER, *normal, *normal[:300]])
    nasty = [
        '=HYPERLINK("http://evil.example","click")',
        "<script>alert(1)</script>",
        "+1-2",
        "@SUM(A1)",
        "**bold**",
        "[link](http://x)",
    ]
    files["formula_and_html_ids.csv"] = _csv(
        [HEADER, *order_rows(id_of=lambda c: f"{nasty[c % len(nasty)]}{c}")]
    )
    files["html_column_names.csv"] = _csv(
        [
            [
                "order_id",
                "customer_id",
                "order_date",
                "amount",
                "<script>alert(1)</script>",
                "**bold** [link](http://x)",
            ]
        ]
        + [[*r, "<b>x</b>", "[y](http://x)"] for r in normal]
    )
    return files


#: What churnlab must do with each file: "error", "ok" or "either".
CASES: dict[str, str] = {
    "empty.csv": "error",
    "header_only.csv": "error",
    "random_bytes.csv": "error",
    "random_bytes.parquet": "error",
    "csv_named.xlsx": "either",
    "truncated.parquet": "error",
    "no_table.xlsx": "error",
    "no_customer_column.csv": "error",
    "no_time_column.csv": "error",
    "unparseable_dates.csv": "error",
    "label_one_class.csv": "error",
    "short_history.csv": "error",
    "too_few_customers.csv": "error",
    "all_churn.csv": "error",
    "no_churn.csv": "error",
    "huge_amounts.csv": "ok",
    "negative_and_text_amounts.csv": "ok",
    "dates_1970_2100.csv": "either",
    "one_event_per_customer.csv": "either",
    "duplicate_rows.csv": "ok",
    "formula_and_html_ids.csv": "ok",
    "html_column_names.csv": "ok",
}


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
