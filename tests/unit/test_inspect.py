"""`churnlab inspect`: the JSON object and its text rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from churnlab.errors import MappingError
from churnlab.ingest.inspect import inspect_file, render_inspect_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "mapping"


def test_inspect_json_fields() -> None:
    result = inspect_file(CORPUS / "cn_orders_gbk.csv")
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    assert result["kind"] == "events"
    assert result["rows"] == 51
    assert result["columns"][:2] == ["订单编号", "买家会员名"]
    assert result["roles"]["amount"] == "实付金额"
    assert result["roles"]["timestamp"] == "订单创建时间"
    assert isinstance(result["problems"], list)
    assert result["rows_kept"] == 50
    assert result["dropped"] == {"missing_customer_id": 1}
    assert result["date_min"].startswith("2024-01")
    assert len(result["preview"]) == 5


def test_inspect_problems_and_overrides() -> None:
    data = b"user,date,shop\na,2024-01-01,x\na,31/31/2024,x\nb,99/99/99,y\nb,2024-01-03,y\n"
    result = inspect_file(data, name="bad.csv")
    assert result["rows"] == 4
    assert any("'31/31/2024'" in p for p in result["problems"])
    overridden = inspect_file(data, name="bad.csv", overrides={"channel": "shop"})
    assert overridden["roles"]["channel"] == "shop"
    assert overridden["preview"][0]["channel"] == "x"
    with pytest.raises(MappingError, match="customer id"):
        inspect_file(data, name="bad.csv", overrides={"order_id": "user"})
    with pytest.raises(MappingError):
        inspect_file(data, name="bad.csv", overrides={"flavour": "user"})


def test_render_text() -> None:
    result = inspect_file(CORPUS / "telco_customers.csv")
    text = render_inspect_text(result)
    assert "telco_customers.csv" in text
    assert "customer table" in text
    assert "label" in text and "Churn" in text
    assert "80 in file" in text
    assert "no problems found" in text
    result["problems"] = ["something is odd"]
    assert "something is odd" in render_inspect_text(result)
