"""Loading files end to end through read_table, overrides, and combining tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from churnlab.errors import DataError, MappingError
from churnlab.ingest.loading import (
    LoadedTable,
    ShopData,
    combine,
    load_files,
    load_table,
    parse_overrides,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "mapping"


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("uci_online_retail.csv", "events", 122),
        ("kaggle_events.csv", "events", 150),
        ("taobao_behaviour.csv", "events", 200),
        ("taobao_behaviour_cn.tsv", "events", 120),
        ("cn_orders_gbk.csv", "events", 51),
        ("shopify_orders.csv", "events", 40),
        ("telco_customers.csv", "customers", 80),
        ("bank_customers.csv", "customers", 80),
        ("cn_customers.csv", "customers", 61),
        ("customers_attributes.csv", "customers", 61),
    ],
)
def test_load_table_through_read_table(name: str, kind: str, rows: int) -> None:
    table = load_table(CORPUS / name)
    assert isinstance(table, LoadedTable)
    assert table.mapping.kind == kind
    assert table.report.rows == rows
    assert table.report.rows_kept == table.frame.height
    assert table.frame.schema["customer_id"] == pl.String
    if kind == "events":
        assert table.frame.schema["timestamp"] == pl.Datetime("us")
        assert table.frame["timestamp"].null_count() == 0
    assert table.frame["customer_id"].null_count() == 0


def test_gbk_export_read_and_cleaned() -> None:
    table = load_table(CORPUS / "cn_orders_gbk.csv")
    assert table.report.roles["customer_id"] == "买家会员名"
    assert table.report.dropped == {"missing_customer_id": 1}
    assert table.frame["amount"].min() > 0
    assert table.frame.filter(pl.col("event_type") == "refund").height == 1
    assert any("title" in str(n) for n in table.report.notes)  # reading's notes are carried along


def test_load_table_with_overrides_and_bytes() -> None:
    data = (CORPUS / "uci_online_retail.csv").read_bytes()
    table = load_table(data, name="retail.csv", overrides={"category": "Country"})
    assert table.mapping.roles["category"] == "Country"
    assert set(table.frame["category"].unique()) == {"United Kingdom"}
    with pytest.raises(MappingError):
        load_table(data, name="retail.csv", overrides={"customer_id": "Nope"})


def test_no_customer_column_error() -> None:
    with pytest.raises(MappingError, match="amount"):
        load_table(CORPUS / "no_customer.csv")


def test_combine_events_union_of_columns() -> None:
    a = load_table(CORPUS / "uci_online_retail.csv")
    b = load_table(CORPUS / "kaggle_events.csv")
    shop = combine([a, b])
    assert shop.events is not None and shop.customers is None
    assert shop.events.height == a.frame.height + b.frame.height
    assert set(shop.events.columns) == set(a.frame.columns) | set(b.frame.columns)
    assert shop.events.columns[:3] == ["customer_id", "timestamp", "event_type"]
    # kaggle rows have no order id, uci rows no category
    assert shop.events["order_id"].null_count() == b.frame.height
    assert shop.events["category"].null_count() >= a.frame.height
    assert shop.n_events == shop.events.height
    assert shop.n_customers == len(set(a.frame["customer_id"]) | set(b.frame["customer_id"]))
    assert shop.date_min == min(a.frame["timestamp"].min(), b.frame["timestamp"].min())
    assert shop.date_range == (shop.date_min, shop.date_max)
    assert "2 files" in shop.source


def test_combine_customer_tables_join_on_id() -> None:
    one = load_table(b"customer_id,tier\n1,gold\n2,silver\n", name="a.csv")
    two = load_table(b"customer_id,churned,tier\n2,yes,x\n3,no,y\n", name="b.csv")
    shop = combine([one, two], source="mine")
    assert shop.source == "mine"
    assert shop.events is None and shop.date_range is None
    customers = shop.customers.sort("customer_id")
    assert customers["customer_id"].to_list() == ["1", "2", "3"]
    assert customers["label"].to_list() == [None, 1, 0]
    assert customers["tier"].to_list() == ["gold", "silver", None]
    assert customers["tier_2"].to_list() == [None, "x", "y"]
    assert shop.has_labels
    assert shop.n_customers == 3


def test_combine_nothing_raises() -> None:
    with pytest.raises(DataError):
        combine([])


def test_load_files_events_and_customers() -> None:
    shop = load_files([CORPUS / "taobao_behaviour.csv", CORPUS / "customers_attributes.csv"])
    assert isinstance(shop, ShopData)
    assert shop.events is not None and shop.customers is not None
    assert len(shop.tables) == 2
    assert isinstance(shop.date_max, dt.datetime)


def test_load_files_overrides_apply_where_the_column_exists() -> None:
    shop = load_files(
        [CORPUS / "kaggle_events.csv", CORPUS / "uci_online_retail.csv"],
        overrides={"channel": "Country", "category": "brand"},
    )
    kaggle, uci = shop.tables
    assert kaggle.mapping.roles["category"] == "brand"
    assert "channel" not in kaggle.mapping.roles
    assert uci.mapping.roles["channel"] == "Country"
    with pytest.raises(MappingError, match="Nowhere"):
        load_files([CORPUS / "kaggle_events.csv"], overrides={"channel": "Nowhere"})
    with pytest.raises(MappingError, match="Nowhere"):
        load_files(
            [CORPUS / "kaggle_events.csv", CORPUS / "uci_online_retail.csv"],
            overrides={"channel": "Nowhere"},
        )


def test_parse_overrides() -> None:
    assert parse_overrides(["customer_id=CustomerID", " amount = Total (USD) ", "a=b=c"]) == {
        "customer_id": "CustomerID",
        "amount": "Total (USD)",
        "a": "b=c",
    }
    assert parse_overrides(["coupon="]) == {"coupon": ""}
    for bad in ("customer_id", "=Total"):
        with pytest.raises(MappingError):
            parse_overrides([bad])
