"""Regenerate the small, realistic shop exports used by tests/unit/test_mapping.py etc.

Run: python tests/corpus/mapping/make_corpus.py   (deterministic: seeded; each file < 30 KB)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _write(
    name: str,
    rows: list[list[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    preamble: list[str] | None = None,
) -> None:
    buf = io.StringIO()
    for line in preamble or []:
        buf.write(line + "\n")
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    (HERE / name).write_bytes(buf.getvalue().encode(encoding))


def uci_online_retail(rng: random.Random) -> None:
    """Order lines like the UCI Online Retail set: M/D/Y times, float ids, C-cancellations."""
    header = [
        "InvoiceNo",
        "StockCode",
        "Description",
        "Quantity",
        "InvoiceDate",
        "UnitPrice",
        "CustomerID",
        "Country",
    ]
    products = [
        ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2.55),
        ("71053", "WHITE METAL LANTERN", 3.39),
        ("84406B", "CREAM CUPID HEARTS COAT HANGER", 2.75),
        ("22752", "SET 7 BABUSHKA NESTING BOXES", 7.65),
        ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4.25),
    ]
    rows: list[list[object]] = [header]
    start = dt.datetime(2010, 12, 1, 8, 26)
    invoice = 536365
    for i in range(60):
        when = start + dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
        customer = (
            "" if i % 10 == 9 else f"{rng.choice([17850, 13047, 12583, 13748, 15100, 15291])}.0"
        )
        for _ in range(rng.randint(1, 3)):
            code, desc, price = rng.choice(products)
            rows.append(
                [
                    invoice,
                    code,
                    desc,
                    rng.randint(1, 12),
                    f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}",
                    price,
                    customer,
                    "United Kingdom",
                ]
            )
        invoice += 1
    # cancellations: C-prefixed invoice, negative quantity
    for cancel, customer in (
        ("C536379", "17850.0"),
        ("C536383", "13047.0"),
        ("C536391", "12583.0"),
    ):
        rows.append(
            [
                cancel,
                "22752",
                "SET 7 BABUSHKA NESTING BOXES",
                -2,
                "12/1/2010 9:41",
                7.65,
                customer,
                "United Kingdom",
            ]
        )
    rows.append(list(rows[5]))  # one exact duplicate line
    rows.append(list(rows[6]))  # and another
    rows.append(
        [
            "536999",
            "71053",
            "WHITE METAL LANTERN",
            1,
            "31/31/2010 25:00",
            3.39,
            "15100.0",
            "United Kingdom",
        ]
    )
    _write("uci_online_retail.csv", rows)


def kaggle_events(rng: random.Random) -> None:
    """An e-commerce behaviour log like the Kaggle REES46 data (UTC times, view/cart/purchase)."""
    header = [
        "event_time",
        "event_type",
        "product_id",
        "category_id",
        "category_code",
        "brand",
        "price",
        "user_id",
        "user_session",
    ]
    rows: list[list[object]] = [header]
    start = dt.datetime(2019, 10, 1)
    users = [541312140, 554748717, 519107250, 550050854, 535871217, 512742880]
    types = ["view"] * 6 + ["cart", "remove_from_cart", "purchase"]
    for _ in range(150):
        when = start + dt.timedelta(seconds=rng.randint(0, 60 * 86400))
        rows.append(
            [
                f"{when:%Y-%m-%d %H:%M:%S} UTC",
                rng.choice(types),
                rng.randint(1000000, 1000100),
                2053013555631882655,
                rng.choice(["electronics.smartphone", "appliances.kitchen", ""]),
                rng.choice(["samsung", "apple", "xiaomi"]),
                f"{rng.uniform(5, 900):.2f}",
                rng.choice(users),
                f"s{rng.randint(1, 40)}",
            ]
        )
    _write("kaggle_events.csv", rows)


def taobao(rng: random.Random) -> None:
    """Taobao user-behaviour logs: codes pv/cart/fav/buy with Unix seconds, and a Chinese TSV."""
    rows: list[list[object]] = [["用户ID", "商品ID", "类目ID", "行为类型", "时间戳"]]
    base = 1511539200  # 2017-11-24 16:00 UTC
    for _ in range(200):
        rows.append(
            [
                rng.randint(1, 25),
                rng.randint(100000, 100050),
                rng.choice([4690421, 2520377, 982926]),
                rng.choice(["pv"] * 8 + ["cart", "fav", "buy"]),
                base + rng.randint(0, 9 * 86400),
            ]
        )
    _write("taobao_behaviour.csv", rows)
    rows = [["用户ID", "商品ID", "商品类别", "行为类型", "时间"]]
    for _ in range(120):
        when = dt.datetime(2017, 11, 25) + dt.timedelta(minutes=rng.randint(0, 20000))
        rows.append(
            [
                f"{rng.randint(1, 15):05d}",
                rng.randint(100, 150),
                rng.choice(["女装", "数码", "食品"]),
                rng.choice(["浏览"] * 6 + ["加购", "收藏", "购买", "退款"]),
                f"{when:%Y-%m-%d %H:%M:%S}",
            ]
        )
    _write("taobao_behaviour_cn.tsv", rows, delimiter="\t")


def cn_orders(rng: random.Random) -> None:
    """A Chinese shop's order export: GBK, title lines, ￥ amounts, 2024年3月5日 14:05 times."""
    preamble = ["订单报表", "导出时间：2024年4月1日"]
    rows: list[list[object]] = [
        [
            "订单编号",
            "买家会员名",
            "商品标题",
            "购买数量",
            "实付金额",
            "订单创建时间",
            "订单状态",
            "优惠券",
        ]
    ]
    buyers = ["小王", "李雷", "韩梅梅", "张三", "tb_88231"]
    for i in range(50):
        when = dt.datetime(2024, 1, 2, 9, 0) + dt.timedelta(hours=rng.randint(0, 2000))
        amount = rng.uniform(19, 2500)
        rows.append(
            [
                f"{3920000000000 + i:d}",
                "" if i == 7 else rng.choice(buyers),
                "纯棉T恤 男款",
                rng.randint(1, 3),
                f"￥{amount:,.2f}",
                f"{when.year}年{when.month}月{when.day}日 {when.hour:02d}:{when.minute:02d}",
                "交易成功",
                rng.choice(["", "", "满200减20"]),
            ]
        )
    rows.append(
        [
            "3920000000999",
            "小王",
            "纯棉T恤 男款",
            -1,
            "-￥59.00",
            "2024年3月5日 14:05",
            "退款成功",
            "",
        ]
    )
    _write("cn_orders_gbk.csv", rows, encoding="gbk", preamble=preamble)


def shopify(rng: random.Random) -> None:
    """A Shopify order export: e-mail as the customer, zoned Created at, Total, Discount Code."""
    rows: list[list[object]] = [
        [
            "Name",
            "Email",
            "Financial Status",
            "Paid at",
            "Created at",
            "Currency",
            "Subtotal",
            "Total",
            "Discount Code",
            "Discount Amount",
            "Lineitem quantity",
            "Lineitem name",
            "Lineitem price",
            "Lineitem sku",
            "Source",
        ]
    ]
    emails = ["ann@example.com", "bo@example.com", "cy@example.org", "di@example.net"]
    for i in range(40):
        when = dt.datetime(2024, 1, 5, 10, 22, 13) + dt.timedelta(hours=rng.randint(0, 3000))
        total = rng.uniform(10, 300)
        stamp = f"{when:%Y-%m-%d %H:%M:%S} -0500"
        rows.append(
            [
                f"#{1001 + i}",
                rng.choice(emails),
                "paid",
                stamp,
                stamp,
                "USD",
                f"{total:.2f}",
                f"{total:.2f}",
                rng.choice(["", "WELCOME10"]),
                "0.00",
                rng.randint(1, 3),
                "Mug",
                "12.00",
                "MUG-1",
                rng.choice(["web", "pos", "shopify_draft_order"]),
            ]
        )
    _write("shopify_orders.csv", rows)


def customers(rng: random.Random) -> None:
    """Customer tables: Telco-like (Churn Yes/No), bank-like (Exited 1/0), Chinese, no label."""
    rows: list[list[object]] = [
        [
            "customerID",
            "gender",
            "SeniorCitizen",
            "tenure",
            "Contract",
            "MonthlyCharges",
            "TotalCharges",
            "Churn",
        ]
    ]
    for i in range(80):
        tenure = rng.randint(0, 72)
        monthly = rng.uniform(18, 118)
        total = " " if tenure == 0 else f"{monthly * tenure:.2f}"
        rows.append(
            [
                f"{7590 + i:04d}-{rng.choice(['VHVEG', 'GNVDE', 'QPYBK'])}",
                rng.choice(["Male", "Female"]),
                rng.choice([0, 1]),
                tenure,
                rng.choice(["Month-to-month", "One year", "Two year"]),
                f"{monthly:.2f}",
                total,
                rng.choice(["Yes", "No", "No"]),
            ]
        )
    _write("telco_customers.csv", rows)
    rows = [
        [
            "RowNumber",
            "CustomerId",
            "Surname",
            "CreditScore",
            "Geography",
            "Age",
            "Balance",
            "Exited",
        ]
    ]
    for i in range(80):
        rows.append(
            [
                i + 1,
                15634602 + i * 7,
                rng.choice(["Hargrave", "Hill", "Onio"]),
                rng.randint(350, 850),
                rng.choice(["France", "Spain", "Germany"]),
                rng.randint(18, 80),
                f"{rng.uniform(0, 200000):.2f}",
                rng.choice([0, 0, 1]),
            ]
        )
    _write("bank_customers.csv", rows)
    rows = [["会员ID", "注册日期", "会员等级", "城市", "是否流失"]]
    for i in range(60):
        signup = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        rows.append(
            [
                f"M{i:04d}",
                f"{signup:%Y/%m/%d}",
                rng.choice(["普通", "银卡", "金卡"]),
                rng.choice(["上海", "北京", "杭州"]),
                rng.choice(["是", "否", "否"]),
            ]
        )
    rows.append(list(rows[3]))  # exact duplicate
    _write("cn_customers.csv", rows, encoding="utf-8-sig")
    rows = [["customer_id", "signup_date", "tier", "city"]]
    for i in range(60):
        signup = dt.date(2021, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
        rows.append(
            [
                f"{i:06d}",
                signup.isoformat(),
                rng.choice(["bronze", "silver", "gold"]),
                rng.choice(["Leeds", "York", "Bath"]),
            ]
        )
    rows.append(["000003", "2022-01-01", "gold", "Leeds"])  # a repeated id
    _write("customers_attributes.csv", rows)


def no_customer(rng: random.Random) -> None:
    rows: list[list[object]] = [["date", "product", "amount"]]
    for i in range(20):
        rows.append(
            [f"2024-02-{i + 1:02d}", rng.choice(["mug", "tee"]), f"{rng.uniform(5, 50):.2f}"]
        )
    _write("no_customer.csv", rows)


def main() -> None:
    for make in (
        uci_online_retail,
        kaggle_events,
        taobao,
        cn_orders,
        shopify,
        customers,
        no_customer,
    ):
        make(random.Random(42))


if __name__ == "__main__":
    main()
