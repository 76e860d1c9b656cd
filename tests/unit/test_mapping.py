"""Column roles and kinds detected from realistic exports; overrides; event and label words."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from churnlab import schema
from churnlab.errors import MappingError
from churnlab.ingest.mapping import (
    Mapping,
    apply_overrides,
    detect_mapping,
    normalise_event_types,
    normalise_labels,
    normalise_name,
)
from churnlab.ingest.reading import RawTable

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "mapping"


def raw_csv(name: str, encoding: str = "utf-8", sep: str = ",", skip: int = 0) -> RawTable:
    """Read a corpus file as all-String columns, like a CSV read, without reading.py."""
    text = (CORPUS / name).read_bytes().decode(encoding).lstrip("\ufeff")
    body = "".join(text.splitlines(keepends=True)[skip:])
    frame = pl.read_csv(io.StringIO(body), infer_schema=False, separator=sep)
    return RawTable(frame=frame, source=name, format="csv", rows=frame.height)


def raw_frame(data: dict[str, list[str | None]]) -> RawTable:
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    return RawTable(frame=frame, source="test.csv", format="csv", rows=frame.height)


CASES = [
    (
        ("uci_online_retail.csv",),
        "events",
        {
            "customer_id": "CustomerID",
            "timestamp": "InvoiceDate",
            "order_id": "InvoiceNo",
            "product_id": "StockCode",
            "quantity": "Quantity",
            "unit_price": "UnitPrice",
        },
    ),
    (
        ("kaggle_events.csv",),
        "events",
        {
            "customer_id": "user_id",
            "timestamp": "event_time",
            "event_type": "event_type",
            "product_id": "product_id",
            "category": "category_code",
            "unit_price": "price",
        },
    ),
    (
        ("taobao_behaviour.csv",),
        "events",
        {
            "customer_id": "用户ID",
            "timestamp": "时间戳",
            "event_type": "行为类型",
            "product_id": "商品ID",
            "category": "类目ID",
        },
    ),
    (
        ("taobao_behaviour_cn.tsv", "utf-8", "\t"),
        "events",
        {
            "customer_id": "用户ID",
            "timestamp": "时间",
            "event_type": "行为类型",
            "category": "商品类别",
        },
    ),
    (
        ("cn_orders_gbk.csv", "gbk", ",", 2),
        "events",
        {
            "customer_id": "买家会员名",
            "timestamp": "订单创建时间",
            "amount": "实付金额",
            "order_id": "订单编号",
            "quantity": "购买数量",
            "coupon": "优惠券",
        },
    ),
    (
        ("shopify_orders.csv",),
        "events",
        {
            "customer_id": "Email",
            "timestamp": "Created at",
            "amount": "Total",
            "coupon": "Discount Code",
            "quantity": "Lineitem quantity",
            "channel": "Source",
        },
    ),
    (("telco_customers.csv",), "customers", {"customer_id": "customerID", "label": "Churn"}),
    (("bank_customers.csv",), "customers", {"customer_id": "CustomerId", "label": "Exited"}),
    (("cn_customers.csv",), "customers", {"customer_id": "会员ID", "label": "是否流失"}),
    (("customers_attributes.csv",), "customers", {"customer_id": "customer_id"}),
]


@pytest.mark.parametrize(("args", "kind", "roles"), CASES, ids=[c[0][0] for c in CASES])
def test_corpus_kind_and_roles(args: tuple, kind: str, roles: dict[str, str]) -> None:
    raw = raw_csv(*args)
    mapping = detect_mapping(raw)
    assert mapping.kind == kind
    for role, column in roles.items():
        assert mapping.roles.get(role) == column, (role, mapping.roles)
    assert set(mapping.roles.values()) <= set(raw.columns)
    assert len(set(mapping.roles.values())) == len(mapping.roles)  # one role per column


def test_customer_tables_keep_every_other_column_as_attribute() -> None:
    raw = raw_csv("telco_customers.csv")
    mapping = detect_mapping(raw)
    assert set(mapping.roles) == {"customer_id", "label"}
    assert mapping.attributes == [c for c in raw.columns if c not in ("customerID", "Churn")]


def test_event_logs_drop_label_role_and_have_no_attributes() -> None:
    mapping = detect_mapping(raw_csv("kaggle_events.csv"))
    assert mapping.attributes == []
    assert "label" not in mapping.roles
    assert mapping.roles["session_id"] == "user_session"


def test_no_customer_column_names_the_columns() -> None:
    with pytest.raises(MappingError) as info:
        detect_mapping(raw_csv("no_customer.csv"))
    message = str(info.value)
    for column in ("date", "product", "amount"):
        assert f"'{column}'" in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Customer ID", "customerid"),
        ("customer_id", "customerid"),
        ("  Invoice-Date ", "invoicedate"),
        ("客户ID", "客户id"),
        ("订单编号（主）", "订单编号主"),
        ("Paid at", "paidat"),
    ],
)
def test_normalise_name(header: str, expected: str) -> None:
    assert normalise_name(header) == expected


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Customer Id", "customer_id"),
        ("CUSTOMER_ID", "customer_id"),
        ("会员ID", "customer_id"),
        ("买家昵称", "customer_id"),
        ("下单时间", "timestamp"),
        ("支付时间", "timestamp"),
        ("Order Date", "timestamp"),
        ("订单号", "order_id"),
        ("商品编号", "product_id"),
        ("品类", "category"),
        ("评价星级", "rating"),
        ("终端", "channel"),
        ("优惠金额", "coupon"),
        ("单价", "unit_price"),
        ("数量", "quantity"),
        ("Order Total Amount", "amount"),
    ],
)
def test_single_header_synonyms(header: str, role: str) -> None:
    dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
    data = {
        header: dates if role == "timestamp" else ["a", "a", "b", "c"],
        # neutral helpers, found from their values only
        "shopper_ref_id": ["a", "a", "b", "c"],
        "stamp": dates,
    }
    if role == "customer_id":
        del data["shopper_ref_id"]
    if role == "timestamp":
        del data["stamp"]
    mapping = detect_mapping(raw_frame(data))
    assert mapping.roles.get(role) == header, mapping.roles


def test_roles_from_values_when_names_say_nothing() -> None:
    raw = raw_frame(
        {
            "shopper_ref_id": ["u1", "u1", "u2", "u2", "u3", "u1"],
            "what": ["浏览", "加购", "购买", "pv", "buy", "view"],
            "stamp": [
                "2024-01-01 10:00",
                "2024-01-02 11:00",
                "2024-01-03 12:00",
                "2024-01-04 13:00",
                "2024-01-05 14:00",
                "2024-01-06 15:00",
            ],
        }
    )
    mapping = detect_mapping(raw)
    assert mapping.kind == "events"
    assert mapping.roles["customer_id"] == "shopper_ref_id"
    assert mapping.roles["event_type"] == "what"
    assert mapping.roles["timestamp"] == "stamp"
    assert mapping.notes  # the guesses are explained


def test_kind_from_id_repeats() -> None:
    unique = raw_frame({"customer_id": ["a", "b", "c"], "signup_date": ["2024-01-01"] * 3})
    repeated = raw_frame({"customer_id": ["a", "a", "b"], "date": ["2024-01-01"] * 3})
    assert detect_mapping(unique).kind == "customers"
    assert detect_mapping(repeated).kind == "events"


def test_label_with_two_values_makes_a_customer_table_even_with_repeats() -> None:
    raw = raw_frame(
        {"user_id": ["a", "a", "b"], "date": ["2024-01-01"] * 3, "churned": ["yes", "no", "no"]}
    )
    mapping = detect_mapping(raw)
    assert mapping.kind == "customers"
    assert mapping.roles["label"] == "churned"
    assert "date" in mapping.attributes


# ---- overrides ----


def _uci() -> tuple[RawTable, Mapping]:
    raw = raw_csv("uci_online_retail.csv")
    return raw, detect_mapping(raw)


def test_override_sets_a_role_and_frees_the_column() -> None:
    raw, mapping = _uci()
    changed = apply_overrides(mapping, {"category": "StockCode"}, raw)
    assert changed.roles["category"] == "StockCode"
    assert "product_id" not in changed.roles
    assert mapping.roles["product_id"] == "StockCode"  # the original is untouched
    assert any("category=StockCode" in str(note) for note in changed.notes)


def test_override_replaces_a_roles_column() -> None:
    raw, mapping = _uci()
    changed = apply_overrides(mapping, {"product_id": "Description"}, raw)
    assert changed.roles["product_id"] == "Description"
    assert "StockCode" not in changed.roles.values()


def test_override_with_empty_column_removes_role() -> None:
    raw, mapping = _uci()
    changed = apply_overrides(mapping, {"order_id": ""}, raw)
    assert "order_id" not in changed.roles


def test_unknown_role_lists_valid_roles() -> None:
    raw, mapping = _uci()
    with pytest.raises(MappingError) as info:
        apply_overrides(mapping, {"shopper": "CustomerID"}, raw)
    for role in schema.ROLES:
        assert role in str(info.value)


def test_unknown_column_lists_columns() -> None:
    raw, mapping = _uci()
    with pytest.raises(MappingError) as info:
        apply_overrides(mapping, {"customer_id": "Client"}, raw)
    assert "'Client'" in str(info.value)
    assert "'InvoiceNo'" in str(info.value)


def test_mapping_a_label_turns_the_file_into_a_customer_table() -> None:
    raw = raw_frame(
        {"customer_id": ["a", "b", "c", "a"], "flag": ["1", "0", "0", "1"], "city": list("xyzx")}
    )
    mapping = detect_mapping(raw)
    assert "label" not in mapping.roles
    changed = apply_overrides(mapping, {"label": "flag"}, raw)
    assert changed.kind == "customers"
    assert changed.roles["label"] == "flag"
    assert changed.attributes == ["city"]


def test_kind_override_from_customers_to_events_finds_event_roles() -> None:
    raw = raw_frame(
        {"customer_id": ["a", "b", "c"], "order_date": ["2024-01-01"] * 3, "total": ["1", "2", "3"]}
    )
    mapping = apply_overrides(
        Mapping(kind="customers", roles={"customer_id": "customer_id"}, attributes=[]),
        {"kind": "events"},
        raw,
    )
    assert mapping.kind == "events"
    assert mapping.roles["timestamp"] == "order_date"
    assert mapping.roles["amount"] == "total"
    with pytest.raises(MappingError):
        apply_overrides(mapping, {"kind": "orders"}, raw)


# ---- event types and labels ----


@pytest.mark.parametrize(
    ("word", "canonical"),
    [
        ("浏览", "view"),
        ("pv", "view"),
        ("page_view", "view"),
        ("Click", "view"),
        ("搜索", "search"),
        ("加购", "cart"),
        ("加入购物车", "cart"),
        ("add_to_cart", "cart"),
        ("AddToCart", "cart"),
        ("收藏", "favorite"),
        ("fav", "favorite"),
        ("wishlist", "favorite"),
        ("购买", "purchase"),
        ("下单", "purchase"),
        ("支付", "purchase"),
        (" BUY ", "purchase"),
        ("order", "purchase"),
        ("transaction", "purchase"),
        ("退款", "refund"),
        ("退货", "refund"),
        ("Return", "refund"),
        ("评价", "review"),
        ("评论", "review"),
        ("rating", "review"),
        ("客服", "service"),
        ("投诉", "service"),
        ("咨询", "service"),
        ("ticket", "service"),
        ("complaint", "service"),
    ],
)
def test_event_synonyms(word: str, canonical: str) -> None:
    assert normalise_event_types(pl.Series("t", [word])).to_list() == [canonical]


def test_unknown_event_types_kept_lower_case_and_nulls_stay() -> None:
    out = normalise_event_types(pl.Series("t", [" Remove_From_Cart ", None, "view", " "]))
    assert out.to_list() == ["remove_from_cart", None, "view", None]
    assert out.name == "t"
    assert out.dtype == pl.String


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Yes", "No", "yes"], [1, 0, 1]),
        (["1", "0"], [1, 0]),
        (["Y", "N"], [1, 0]),
        (["True", "false"], [1, 0]),
        (["churned", "retained", "stayed", "active"], [1, 0, 0, 0]),
        (["流失", "未流失"], [1, 0]),
        (["是", "否"], [1, 0]),
        (["1.0", "0.0", None], [1, 0, None]),
        (["Attrited Customer", "Existing Customer"], [1, 0]),
    ],
)
def test_normalise_labels(values: list[str | None], expected: list[int | None]) -> None:
    out = normalise_labels(pl.Series("Churn", values, dtype=pl.String))
    assert out.dtype == pl.Int8
    assert out.to_list() == expected


def test_normalise_labels_native_types() -> None:
    assert normalise_labels(pl.Series([1, 0, 1])).to_list() == [1, 0, 1]
    assert normalise_labels(pl.Series([True, False])).to_list() == [1, 0]


def test_unreadable_labels_name_the_values() -> None:
    with pytest.raises(MappingError) as info:
        normalise_labels(pl.Series("Churn", ["Yes", "maybe", "later"]))
    assert "'maybe'" in str(info.value)
    assert "'later'" in str(info.value)


def test_generic_type_column_without_event_words_is_not_an_event_type() -> None:
    raw = raw_frame(
        {
            "customer_id": ["a", "a", "b"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "type": ["T-shirt", "Mug", "Hoodie"],
        }
    )
    mapping = detect_mapping(raw)
    assert "event_type" not in mapping.roles
    assert any("'type'" in str(note) for note in mapping.notes)
    raw.frame = raw.frame.with_columns(pl.Series("type", ["view", "cart", "purchase"]))
    assert detect_mapping(raw).roles["event_type"] == "type"
