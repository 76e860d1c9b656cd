"""Canonical frames and quality reports from realistic exports (expected values from csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from churnlab.errors import MappingError
from churnlab.ingest.cleaning import prepare
from churnlab.ingest.mapping import Mapping, detect_mapping
from churnlab.ingest.quality import QualityReport
from churnlab.ingest.reading import RawTable

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "mapping"


def raw_csv(name: str, encoding: str = "utf-8", sep: str = ",", skip: int = 0) -> RawTable:
    """Read a corpus file as all-String columns, like a CSV read, without reading.py."""
    text = (CORPUS / name).read_bytes().decode(encoding).lstrip("\ufeff")
    body = "".join(text.splitlines(keepends=True)[skip:])
    frame = pl.read_csv(io.StringIO(body), infer_schema=False, separator=sep)
    return RawTable(frame=frame, source=name, format="csv", rows=frame.height, encoding=encoding)


def csv_rows(name: str, encoding: str = "utf-8", sep: str = ",", skip: int = 0) -> list[dict]:
    """The same file through the csv module: the independent oracle for expected values."""
    text = (CORPUS / name).read_bytes().decode(encoding).lstrip("\ufeff")
    lines = text.splitlines(keepends=True)[skip:]
    return list(csv.DictReader(lines, delimiter=sep))


def load(*args) -> tuple[pl.DataFrame, QualityReport]:
    raw = raw_csv(*args)
    return prepare(raw, detect_mapping(raw))


def raw_frame(data: dict[str, list]) -> RawTable:
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    return RawTable(frame=frame, source="test.csv", format="csv", rows=frame.height)


EVENT_DTYPES = {
    "customer_id": pl.String,
    "timestamp": pl.Datetime("us"),
    "event_type": pl.String,
    "amount": pl.Float64,
    "quantity": pl.Float64,
    "order_id": pl.String,
    "session_id": pl.String,
    "product_id": pl.String,
    "category": pl.String,
    "channel": pl.String,
    "coupon": pl.String,
    "rating": pl.Float64,
}


def check_event_dtypes(frame: pl.DataFrame) -> None:
    assert frame.columns[:3] == ["customer_id", "timestamp", "event_type"]
    for name, dtype in frame.schema.items():
        assert dtype == EVENT_DTYPES[name], (name, dtype)
    assert frame.schema["timestamp"].time_zone is None
    if "amount" in frame.columns:
        assert frame["amount"].min() >= 0


def test_uci_order_lines() -> None:
    rows = csv_rows("uci_online_retail.csv")
    frame, report = load("uci_online_retail.csv")
    check_event_dtypes(frame)
    assert set(frame.columns) == {
        "customer_id",
        "timestamp",
        "event_type",
        "amount",
        "quantity",
        "order_id",
        "product_id",
    }
    missing = sum(1 for r in rows if not r["CustomerID"])
    with_id = [r for r in rows if r["CustomerID"]]
    bad_time = sum(1 for r in with_id if r["InvoiceDate"].startswith("31/31"))
    seen: set[tuple] = set()
    dups = 0
    for r in with_id:
        key = tuple(r.values())
        dups += key in seen
        seen.add(key)
    assert report.rows == len(rows)
    assert report.dropped == {
        "missing_customer_id": missing,
        "unreadable_time": bad_time,
        "duplicate": dups,
    }
    assert report.rows_kept == frame.height == len(rows) - missing - bad_time - dups
    # ids "17850.0" -> "17850"
    assert set(frame["customer_id"]) == {r["CustomerID"][:-2] for r in with_id}
    # cancellations: negative quantity -> refund rows with positive amounts
    cancels = [r for r in with_id if r["InvoiceNo"].startswith("C")]
    refunds = frame.filter(pl.col("event_type") == "refund")
    assert refunds.height == len(cancels) > 0
    assert sorted(refunds["order_id"]) == sorted(r["InvoiceNo"] for r in cancels)
    expected = sum(-float(r["Quantity"]) * float(r["UnitPrice"]) for r in cancels)
    assert refunds["amount"].sum() == pytest.approx(expected)
    assert (refunds["quantity"] > 0).all()
    assert report.events_per_type["refund"] == len(cancels)
    assert report.events_per_type["purchase"] == frame.height - len(cancels)
    purchases = frame.filter(pl.col("event_type") == "purchase")
    assert report.amount_total == pytest.approx(purchases["amount"].sum())
    first = frame.row(0, named=True)
    assert first["timestamp"] == dt.datetime(2011, 1, 27, 8, 51)
    assert first["amount"] == pytest.approx(4 * 3.39)
    assert report.date_min == frame["timestamp"].min()
    assert any("31/31/2010 25:00" in str(w) for w in report.warnings + report.problems)


def test_kaggle_events_utc_and_types() -> None:
    rows = csv_rows("kaggle_events.csv")
    frame, report = load("kaggle_events.csv")
    check_event_dtypes(frame)
    assert dict(Counter(frame["event_type"])) == dict(Counter(r["event_type"] for r in rows))
    assert frame["timestamp"][0] == dt.datetime.strptime(
        rows[0]["event_time"], "%Y-%m-%d %H:%M:%S UTC"
    )
    assert frame["amount"].to_list() == pytest.approx([float(r["price"]) for r in rows])
    blank = sum(1 for r in rows if not r["category_code"])
    assert frame["category"].null_count() == blank > 0
    assert report.problems == []


def test_taobao_unix_seconds_and_codes() -> None:
    rows = csv_rows("taobao_behaviour.csv")
    frame, report = load("taobao_behaviour.csv")
    check_event_dtypes(frame)
    codes = {"pv": "view", "cart": "cart", "fav": "favorite", "buy": "purchase"}
    assert frame["event_type"].to_list() == [codes[r["行为类型"]] for r in rows]
    expected = [
        dt.datetime.fromtimestamp(int(r["时间戳"]), dt.UTC).replace(tzinfo=None) for r in rows
    ]
    assert frame["timestamp"].to_list() == expected
    assert "amount" not in frame.columns
    assert report.customers == len({r["用户ID"] for r in rows})


def test_taobao_chinese_words_keep_leading_zeros() -> None:
    rows = csv_rows("taobao_behaviour_cn.tsv", sep="\t")
    frame, _ = load("taobao_behaviour_cn.tsv", "utf-8", "\t")
    words = {
        "浏览": "view",
        "加购": "cart",
        "收藏": "favorite",
        "购买": "purchase",
        "退款": "refund",
    }
    assert frame["event_type"].to_list() == [words[r["行为类型"]] for r in rows]
    assert frame["customer_id"].to_list() == [r["用户ID"] for r in rows]
    assert frame["customer_id"].str.starts_with("000").all()


def test_chinese_gbk_orders() -> None:
    rows = csv_rows("cn_orders_gbk.csv", "gbk", ",", 2)
    frame, report = load("cn_orders_gbk.csv", "gbk", ",", 2)
    check_event_dtypes(frame)
    kept = [r for r in rows if r["买家会员名"]]
    assert report.dropped == {"missing_customer_id": len(rows) - len(kept)}
    amounts = [abs(float(r["实付金额"].replace("￥", "").replace(",", ""))) for r in kept]
    assert frame["amount"].to_list() == pytest.approx(amounts)
    negative = [r["订单编号"] for r in kept if r["实付金额"].startswith("-")]
    assert frame.filter(pl.col("event_type") == "refund")["order_id"].to_list() == negative
    assert frame["coupon"].null_count() == sum(1 for r in kept if not r["优惠券"])
    assert frame["order_id"][0] == kept[0]["订单编号"]
    assert frame["timestamp"][0] == dt.datetime.strptime(
        kept[0]["订单创建时间"], "%Y年%m月%d日 %H:%M"
    )


def test_shopify_zoned_times_become_utc() -> None:
    rows = csv_rows("shopify_orders.csv")
    frame, _ = load("shopify_orders.csv")
    check_event_dtypes(frame)
    first = dt.datetime.strptime(rows[0]["Created at"], "%Y-%m-%d %H:%M:%S %z")
    assert frame["timestamp"][0] == first.astimezone(dt.UTC).replace(tzinfo=None)
    assert frame["amount"].to_list() == pytest.approx([float(r["Total"]) for r in rows])
    assert frame["coupon"].to_list() == [r["Discount Code"] or None for r in rows]
    assert frame["channel"].to_list() == [r["Source"] for r in rows]


def test_telco_customers() -> None:
    rows = csv_rows("telco_customers.csv")
    frame, report = load("telco_customers.csv")
    assert frame.schema["customer_id"] == pl.String
    assert frame.schema["label"] == pl.Int8
    assert frame.schema["tenure"] == pl.Float64
    assert frame.schema["TotalCharges"] == pl.Float64
    assert frame.schema["Contract"] == pl.String
    assert frame["label"].sum() == sum(r["Churn"] == "Yes" for r in rows)
    assert frame["TotalCharges"].null_count() == sum(not r["TotalCharges"].strip() for r in rows)
    assert report.kind == "customers"
    assert report.customers == len(rows)
    assert report.problems == []


def test_bank_and_chinese_customers() -> None:
    bank_rows = csv_rows("bank_customers.csv")
    bank, _ = load("bank_customers.csv")
    assert bank["label"].to_list() == [int(r["Exited"]) for r in bank_rows]
    cn_rows = csv_rows("cn_customers.csv")
    cn, report = load("cn_customers.csv")
    assert report.dropped == {"duplicate": 1}
    assert cn.height == len(cn_rows) - 1
    assert cn.schema["注册日期"] == pl.Datetime("us")
    assert cn["注册日期"][0] == dt.datetime.strptime(cn_rows[0]["注册日期"], "%Y/%m/%d")
    assert cn["label"].to_list() == [int(r["是否流失"] == "是") for r in cn_rows[:-1]]


def test_customer_table_without_label_keeps_first_of_repeated_ids() -> None:
    rows = csv_rows("customers_attributes.csv")
    frame, report = load("customers_attributes.csv")
    assert "label" not in frame.columns
    assert frame.schema["signup_date"] == pl.Datetime("us")
    assert frame["customer_id"][0] == "000000"
    assert report.dropped == {"repeated_customer_id": 1}
    first = next(r for r in rows if r["customer_id"] == "000003")
    kept = frame.filter(pl.col("customer_id") == "000003").row(0, named=True)
    assert kept["tier"] == first["tier"]


def test_amount_from_quantity_times_price_and_all_purchases() -> None:
    raw = raw_frame(
        {
            "user": ["a", "a", "b", "b"],
            "date": ["2024-01-01", "2024-01-05", "2024-01-02", "2024-02-01"],
            "qty": ["2", "", "-1", "3"],
            "price": ["1.50", "4", "10", "x"],
        }
    )
    frame, report = prepare(raw, detect_mapping(raw))
    assert frame["amount"].to_list() == [3.0, 4.0, 10.0, None]
    assert frame["event_type"].to_list() == ["purchase", "purchase", "refund", "purchase"]
    assert frame["quantity"].to_list() == [2.0, None, 1.0, 3.0]
    assert any("'x'" in str(w) for w in report.warnings + report.problems)


def test_many_unreadable_times_are_a_problem_with_examples() -> None:
    times = [f"2024-01-{d:02d}" for d in range(1, 8)] + ["31/31/2024", "soon", "31/31/2024"]
    raw = raw_frame({"customer_id": list("aabbccddee"), "order_date": times})
    frame, report = prepare(raw, detect_mapping(raw))
    assert report.dropped == {"unreadable_time": 3}
    assert frame.height == 7
    problem = next(str(p) for p in report.problems if "could not be read" in str(p))
    assert "3" in problem and "'31/31/2024'" in problem and "'soon'" in problem


def test_strings_trimmed_empty_to_null_and_rating() -> None:
    raw = raw_frame(
        {
            "customer_id": [" 007 ", "007", "8"],
            "timestamp": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "event_type": ["评价", "客服", ""],
            "rating": ["5", "", "4.5"],
            "coupon": ["  SAVE5 ", "", "0"],
            "channel": ["app ", " ", "web"],
        }
    )
    frame, report = prepare(raw, detect_mapping(raw))
    assert frame["customer_id"].to_list() == ["007", "007", "8"]
    assert frame["event_type"].to_list() == ["review", "service", "unknown"]
    assert frame["rating"].to_list() == [5.0, None, 4.5]
    assert frame["coupon"].to_list() == ["SAVE5", None, None]
    assert frame["channel"].to_list() == ["app", None, "web"]
    assert report.warnings  # the missing event type is mentioned


def test_events_without_a_time_role_raise() -> None:
    raw = raw_frame({"customer_id": ["a", "a"], "x": ["1", "2"]})
    with pytest.raises(MappingError):
        prepare(raw, Mapping(kind="events", roles={"customer_id": "customer_id"}))
    with pytest.raises(MappingError):
        prepare(raw, Mapping(kind="events", roles={"customer_id": "nope", "timestamp": "x"}))


def test_single_label_value_is_a_problem() -> None:
    raw = raw_frame({"customer_id": ["a", "b", "c"], "churn": ["no", "no", "no"]})
    mapping = Mapping(
        kind="customers", roles={"customer_id": "customer_id", "label": "churn"}, attributes=[]
    )
    frame, report = prepare(raw, mapping)
    assert frame["label"].to_list() == [0, 0, 0]
    assert any("only one value" in str(p) for p in report.problems)


def test_report_is_json_safe_and_readable() -> None:
    _, report = load("uci_online_retail.csv")
    data = report.to_dict()
    again = json.loads(json.dumps(data))
    assert again["date_min"] == report.date_min.isoformat()
    assert again["dropped"] == report.dropped
    assert again["roles"]["customer_id"] == "CustomerID"
    text = report.to_text()
    assert "uci_online_retail.csv" in text
    assert "event log" in text
    assert f"{report.rows_kept:,} kept" in text
    assert "31/31/2010" in text


def test_large_files_parse_distinct_values_once_with_the_same_result() -> None:
    from churnlab.ingest.cleaning import _parse_distinct
    from churnlab.ingest.parsing import parse_datetimes, parse_numbers

    n = 30_000
    numbers = pl.Series("q", ["1", "2,5", "", "x", None, "-3"] * (n // 6))
    direct, fast = parse_numbers(numbers), _parse_distinct(numbers, parse_numbers)
    assert fast.values.to_list() == direct.values.to_list()
    assert fast.n_failed == direct.n_failed == n // 6
    times = pl.Series("t", ["12/1/2010 8:26", "12/13/2010 9:00", "31/31/2010"] * (n // 3))
    direct_t, fast_t = parse_datetimes(times), _parse_distinct(times, parse_datetimes)
    assert fast_t.values.to_list() == direct_t.values.to_list()
    assert fast_t.n_failed == direct_t.n_failed == n // 3


def test_large_plain_number_columns_skip_the_distinct_pass_with_the_same_result() -> None:
    from churnlab.ingest.cleaning import _parse_distinct
    from churnlab.ingest.parsing import parse_numbers

    n = 30_000
    plain = pl.Series("amount", [f"{i % 997}.{i % 100:02d}" for i in range(n)] + [None])
    assert _parse_distinct(plain, parse_numbers).values.to_list() == (
        parse_numbers(plain).values.to_list()
    )
    messy = pl.Series("amount", ["1,234.50", "12"] * (n // 2))
    assert _parse_distinct(messy, parse_numbers).values.to_list() == [1234.5, 12.0] * (n // 2)


def test_customers_of_a_large_log_are_counted_exactly() -> None:
    from churnlab.ingest.cleaning import _customers

    ids = [f"{i % 4_321:05d}" for i in range(25_000)] + [None, "00042 "]
    frame = pl.DataFrame({"customer_id": ids})
    assert _customers(frame) == 4_321 + 1  # "00042 " is its own (uncleaned) id


@pytest.mark.parametrize(
    ("ids", "times", "expected"),
    [
        # duplicates and rows without an id leave every customer: role detection's count
        (["a", "a", "b", "c", None], ["2024-01-02 10:00:00"] * 5, 3),
        # the only row of "c" has no time: "c" is not a customer of the clean log
        (["a", "a", "b", "c", "b"], ["2024-01-02 10:00:00"] * 3 + [None, "2024-01-03 10:00:00"], 2),
        # "17850.0" and "17850" are one customer once cleaned
        (["17850.0", "17850", "2", "2", "3"], ["2024-01-02 10:00:00"] * 5, 3),
    ],
)
def test_the_report_counts_the_customers_of_the_clean_log(
    ids: list[str | None], times: list[str | None], expected: int
) -> None:
    n = 30  # rows repeated with other times: an event log, past the distinct-value paths
    frame = pl.DataFrame(
        {
            "customer_id": ids * n,
            "event_time": [
                None if t is None else f"2024-01-{1 + i // len(ids) % 28:02d}{t[10:]}"
                for i, t in enumerate(times * n)
            ],
            "amount": ["1.5"] * len(ids) * n,
        }
    )
    raw = RawTable(frame=frame, source="t.csv", format="csv", rows=frame.height)
    clean, report = prepare(raw, detect_mapping(raw))
    assert report.customers == clean["customer_id"].n_unique() == expected


def test_the_report_counts_integer_ids_as_their_text() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": [7, 7, 8, 9, None] * 20,
            "event_time": [dt.datetime(2024, 1, 1 + i % 28, 10) for i in range(100)],
        }
    )
    raw = RawTable(frame=frame, source="t.parquet", format="parquet", rows=frame.height)
    clean, report = prepare(raw, detect_mapping(raw))
    assert report.customers == clean["customer_id"].n_unique() == 3


def test_canonical_event_types_of_a_large_log_are_kept_as_they_are() -> None:
    from churnlab.ingest.mapping import normalise_event_types

    canonical = pl.Series("event_type", ["view", "cart", "purchase", None] * 6_000)
    assert normalise_event_types(canonical) is canonical  # no 24k-row rewrite
    words = pl.Series("event_type", ["pv", "cart", "购买", None] * 6_000)
    assert normalise_event_types(words).to_list() == ["view", "cart", "purchase", None] * 6_000


def test_event_words_are_judged_on_every_value_not_only_the_first() -> None:
    """The first 20,000 values decide only a "no" (more than 40 distinct texts already)."""
    from churnlab.counting import value_counts
    from churnlab.ingest.mapping import _looks_like_event_types

    words = ["view", "cart", "purchase", "favorite"] * 5_000
    assert _looks_like_event_types(pl.Series("t", words + ["buy"] * 10_000))
    # types first, then thousands of other texts further down: not a column of event types
    mixed = pl.Series("t", words + [f"x{i}" for i in range(10_000)])
    assert not _looks_like_event_types(mixed)
    assert not _looks_like_event_types(mixed, value_counts(mixed.alias("v")))
    # more than 40 texts among the first values
    assert not _looks_like_event_types(pl.Series("t", [f"page {i % 50}" for i in range(30_000)]))


def test_event_types_mapped_from_counted_values_are_the_same() -> None:
    from churnlab.counting import value_counts
    from churnlab.ingest.mapping import normalise_event_types

    words = pl.Series("event", ["pv", "cart", "购买", None, " View "] * 6_000)
    counted = value_counts(words.alias("v")).get_column("v")
    assert normalise_event_types(words, distinct=counted).to_list() == (
        normalise_event_types(words).to_list()
    )


def test_large_files_clean_distinct_ids_once() -> None:
    from churnlab.ingest.cleaning import _ids
    from churnlab.ingest.parsing import clean_ids

    ids = pl.Series("c", ["17850.0", " 007 ", "", None, "C536379"] * 6_000)
    assert _ids(ids).to_list() == clean_ids(ids).to_list()
    assert _ids(ids).dtype == pl.String


_TRICKY = st.text(
    alphabet=st.sampled_from([*"nNaAlLoOeE/#0123456789.-xK \t\u3000\xa0\u2009\x1c١"]),
    max_size=7,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _TRICKY), min_size=1, max_size=6))
def test_the_fast_text_and_id_checks_agree_with_their_regexes(values: list[str | None]) -> None:
    """Reading skips trimming and id cleaning when nothing needs it; the fast checks that
    decide so must say exactly what the full regexes say, value for value."""
    from churnlab.ingest.cleaning import _needs, _unclean_ids, _untrimmed

    untrimmed = r"^\s|\s$|^$"  # the full regexes the fast checks stand for
    unclean_id = r"(?i)^\s|\s$|^-?\d+\.0+$|^(nan|null|none|n/a|#n/a|na)?$"
    from churnlab.ingest import cores

    series = pl.Series("v", values, dtype=pl.String)
    for spread_from in (cores.SPREAD_FROM, 1):  # eager, and on the streaming engine
        cores.SPREAD_FROM, before = spread_from, cores.SPREAD_FROM
        try:
            assert _untrimmed(series) == _needs(series, untrimmed)
            assert _unclean_ids(series) == _needs(series, unclean_id)
        finally:
            cores.SPREAD_FROM = before


def test_a_big_logs_duplicates_checked_beside_role_detection_are_the_same_rows(
    tmp_path: Path,
) -> None:
    """Past ``SPREAD_FROM`` rows the duplicate check starts on its own thread while the roles
    are detected (``check_duplicates_beside``): it drops exactly the repeated rows, the
    first copy of each kept, as the check done in place does."""
    import numpy as np

    from churnlab.ingest.cleaning import _first_copies, check_duplicates_beside
    from churnlab.ingest.cores import SPREAD_FROM
    from churnlab.ingest.loading import load_files
    from churnlab.ingest.reading import read_table

    rng = np.random.default_rng(4)
    n = SPREAD_FROM + 5_000
    start = np.datetime64("2024-01-01T00:00:00")
    log = pl.DataFrame(
        {
            "user_id": rng.integers(1, 3_000, n),
            "event_time": (start + rng.integers(0, 86_400 * 200, n).astype("timedelta64[s]"))
            .astype("datetime64[us]")
            .astype(str),
            "event_type": rng.choice(["view", "cart", "purchase"], n),
        }
    )
    repeated = rng.choice(n, 300, replace=False)
    log = pl.concat([log, log[np.sort(repeated)]])  # 300 exact copies, after their firsts
    path = tmp_path / "events.csv"
    log.write_csv(path)
    raw = read_table(path)
    check_duplicates_beside(raw)
    assert raw.__dict__["_memo"]  # the check runs beside
    in_place = ~_first_copies(raw.frame)
    shop = load_files([path])
    dropped = log.height - log.unique().height  # the copies (a few random rows repeat too)
    assert dropped >= 300 and int(in_place.sum()) == dropped
    assert shop.tables[0].report.dropped == {"duplicate": dropped}
    assert shop.events.height == log.height - dropped
