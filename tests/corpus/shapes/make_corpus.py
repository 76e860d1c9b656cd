"""Regenerate the structural-shape corpus used by tests/unit/test_shapes.py and
tests/app/test_shapes_upload.py (see expected.json for what each file should be read as).

Run: python tests/corpus/shapes/make_corpus.py   (deterministic: seeded numpy + polars)

Every shape simulates real churn: customers join over time, act at their own rate and
stop for good after a random lifetime, so ``churnlab train`` has something to learn.
Some numbers the tests check (planted unmatched keys, totals) are written to
``expected.json`` by this script, so the file and the data cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
SEED = 20261201


# --------------------------------------------------------------------------- life cycles


def lifecycles(
    rng: np.random.Generator,
    n: int,
    start: dt.datetime,
    end: dt.datetime,
    *,
    mean_gap_days: float,
    mean_life_days: float,
    loyal_share: float = 0.3,
) -> list[tuple[int, dt.datetime]]:
    """Visits (customer index, time): join over time, Poisson visits, churn after a lifetime."""
    span = (end - start).total_seconds() / 86400
    visits: list[tuple[int, dt.datetime]] = []
    for c in range(n):
        join = rng.uniform(0, span * 0.8)
        loyal = rng.random() < loyal_share
        life = rng.exponential(mean_life_days * (3.0 if loyal else 1.0))
        stop = min(join + life, span)
        gap = mean_gap_days * rng.lognormal(0, 0.5)
        t = join
        while True:
            day = int(t)
            # daytime: 8:00-22:00
            seconds = int(rng.uniform(8 * 3600, 22 * 3600))
            visits.append((c, start + dt.timedelta(days=day, seconds=seconds)))
            t += rng.exponential(gap)
            if t >= stop:
                break
    visits.sort(key=lambda v: v[1])
    return visits


def hex_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Distinct 32-hex ids like Olist's."""
    out: set[str] = set()
    ids: list[str] = []
    while len(ids) < n:
        value = rng.bytes(16).hex()
        if value not in out:
            out.add(value)
            ids.append(value)
    return ids


def distinct(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    """``size`` distinct integers in [low, high), in random order (no big arange)."""
    seen: dict[int, None] = {}
    while len(seen) < size:
        for value in rng.integers(low, high, size).tolist():
            seen.setdefault(value)
    return np.array(list(seen)[:size], dtype=np.int64)


def zipf_choice(rng: np.random.Generator, items: np.ndarray, size: int, a: float = 1.1):
    ranks = np.arange(1, len(items) + 1, dtype=float)
    p = ranks**-a
    p /= p.sum()
    return items[rng.choice(len(items), size=size, p=p)]


# --------------------------------------------------------------------------- 1 grocery


def grocery(rng: np.random.Generator, households: int = 400, gap: float = 22) -> pl.DataFrame:
    """Dunnhumby-like basket lines: household, basket (receipt), product, store, time."""
    start, end = dt.datetime(2023, 1, 2), dt.datetime(2024, 8, 31)
    ids = np.sort(distinct(rng, 1, 2501, households))
    stores = np.sort(distinct(rng, 280, 460, 15))
    home = rng.choice(stores, size=households)
    products = np.sort(distinct(rng, 800_000, 15_000_000, 1500))
    price = dict(zip(products.tolist(), np.round(rng.lognormal(1.0, 0.6, 1500), 2).tolist()))
    visits = lifecycles(rng, households, start, end, mean_gap_days=gap, mean_life_days=220)
    basket = 26_984_851_472
    rows: dict[str, list] = {
        k: []
        for k in (
            "household_id",
            "basket_id",
            "day",
            "product_id",
            "quantity",
            "sales_value",
            "store_id",
            "trans_time",
            "week_no",
            "transaction_ts",
        )
    }
    for c, when in visits:
        basket += int(rng.integers(1, 60_000))
        store = int(home[c]) if rng.random() < 0.85 else int(rng.choice(stores))
        lines = 1 + int(rng.poisson(1.6))
        for product in zipf_choice(rng, products, lines):
            qty = 1 if rng.random() < 0.8 else int(rng.integers(2, 5))
            rows["household_id"].append(int(ids[c]))
            rows["basket_id"].append(basket)
            rows["day"].append((when - start).days + 1)
            rows["product_id"].append(int(product))
            rows["quantity"].append(qty)
            rows["sales_value"].append(round(price[int(product)] * qty, 2))
            rows["store_id"].append(store)
            rows["trans_time"].append(when.hour * 100 + when.minute)
            rows["week_no"].append((when - start).days // 7 + 1)
            rows["transaction_ts"].append(when)
    return pl.DataFrame(rows).with_columns(pl.col("transaction_ts").cast(pl.Datetime("us")))


# --------------------------------------------------------------------------- 2 marketplace

STATES = {
    "SP": ["sao paulo", "campinas", "guarulhos", "santos"],
    "RJ": ["rio de janeiro", "niteroi"],
    "MG": ["belo horizonte", "uberlandia"],
    "RS": ["porto alegre"],
    "PR": ["curitiba", "londrina"],
    "BA": ["salvador"],
}


def marketplace(rng: np.random.Generator, persons: int = 330) -> dict[str, pl.DataFrame]:
    """Olist-like relational export: a new customer_id per order, customer_unique_id = person."""
    start, end = dt.datetime(2016, 10, 3), dt.datetime(2018, 8, 29)
    unique = hex_ids(rng, persons)
    state_names = list(STATES)
    person_state = rng.choice(state_names, size=persons, p=[0.42, 0.13, 0.12, 0.11, 0.12, 0.10])
    person_city = [str(rng.choice(STATES[s])) for s in person_state]
    person_zip = rng.integers(1000, 99990, size=persons)
    visits = lifecycles(rng, persons, start, end, mean_gap_days=90, mean_life_days=200)
    n = len(visits)
    order_ids = hex_ids(rng, n)
    customer_ids = hex_ids(rng, n)
    products = hex_ids(rng, 600)
    sellers = hex_ids(rng, 80)
    orders, customers, items, payments = [], [], [], []
    fmt = "%Y-%m-%d %H:%M:%S"
    for k, (p, when) in enumerate(visits):
        status = rng.choice(
            ["delivered", "shipped", "invoiced", "processing"], p=[0.96, 0.02, 0.01, 0.01]
        )
        approved = when + dt.timedelta(minutes=int(rng.integers(5, 600)))
        delivered = approved + dt.timedelta(days=int(rng.integers(3, 25)), hours=int(rng.integers(0, 12)))
        orders.append(
            {
                "order_id": order_ids[k],
                "customer_id": customer_ids[k],
                "order_status": str(status),
                "order_purchase_timestamp": when.strftime(fmt),
                "order_approved_at": approved.strftime(fmt),
                "order_delivered_customer_date": delivered.strftime(fmt)
                if status == "delivered"
                else "",
            }
        )
        customers.append(
            {
                "customer_id": customer_ids[k],
                "customer_unique_id": unique[p],
                "customer_zip_code_prefix": f"{int(person_zip[p]):05d}",
                "customer_city": person_city[p],
                "customer_state": str(person_state[p]),
            }
        )
        total = 0.0
        for i in range(1 + int(rng.poisson(0.25))):
            price = round(float(rng.lognormal(4.2, 0.8)), 2)
            freight = round(float(rng.uniform(7, 40)), 2)
            total += price + freight
            items.append(
                {
                    "order_id": order_ids[k],
                    "order_item_id": i + 1,
                    "product_id": str(zipf_choice(rng, np.array(products), 1)[0]),
                    "seller_id": str(rng.choice(sellers)),
                    "price": price,
                    "freight_value": freight,
                }
            )
        total = round(total, 2)
        method = str(rng.choice(["credit_card", "boleto", "debit_card"], p=[0.75, 0.2, 0.05]))
        if rng.random() < 0.06 and total > 20:
            voucher = round(float(rng.uniform(5, total / 2)), 2)
            parts = [("voucher", voucher, 1), (method, round(total - voucher, 2), 1)]
        else:
            installments = int(rng.integers(1, 11)) if method == "credit_card" else 1
            parts = [(method, total, installments)]
        for seq, (kind, value, inst) in enumerate(parts, start=1):
            payments.append(
                {
                    "order_id": order_ids[k],
                    "payment_sequential": seq,
                    "payment_type": kind,
                    "payment_installments": inst,
                    "payment_value": value,
                }
            )
    return {
        "orders.csv": pl.DataFrame(orders),
        "customers.csv": pl.DataFrame(customers),
        "order_items.csv": pl.DataFrame(items),
        "order_payments.csv": pl.DataFrame(payments),
    }


def break_keys(rng: np.random.Generator, tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The partly matching variant: ~5 % of item/payment rows point at orders that are not in
    orders.csv, and ~3 % of the remaining orders' customer_id are not in customers.csv."""
    orders = tables["orders.csv"]
    items = tables["order_items.csv"]
    target = int(round(0.05 * items.height))
    shuffled = orders["order_id"].sample(fraction=1.0, shuffle=True, seed=int(rng.integers(1 << 30)))
    per_order = dict(items.group_by("order_id").len().iter_rows())
    dropped, count = [], 0
    for oid in shuffled.to_list():
        if count >= target:
            break
        dropped.append(oid)
        count += per_order[oid]
    kept = orders.filter(~pl.col("order_id").is_in(dropped))
    n_missing = int(round(0.03 * kept.height))
    missing_customers = kept["customer_id"].sample(n_missing, seed=int(rng.integers(1 << 30)))
    return {
        "orders.csv": kept,
        "customers.csv": tables["customers.csv"].filter(
            ~pl.col("customer_id").is_in(missing_customers.to_list())
        ),
        "order_items.csv": items,
        "order_payments.csv": tables["order_payments.csv"],
    }


def combined_expectation(tables: dict[str, pl.DataFrame]) -> dict:
    orders, customers = tables["orders.csv"], tables["customers.csv"]
    items, payments = tables["order_items.csv"], tables["order_payments.csv"]
    order_set = set(orders["order_id"].to_list())
    customer_set = set(customers["customer_id"].to_list())
    matched_orders = orders.filter(pl.col("customer_id").is_in(list(customer_set)))
    matched_ids = set(matched_orders["order_id"].to_list())
    persons = matched_orders.join(customers, on="customer_id")["customer_unique_id"].n_unique()
    # the lines carry the money (price per line); payments would only count without lines
    amount = items.filter(pl.col("order_id").is_in(list(matched_ids)))["price"].sum()
    items_in = items["order_id"].is_in(list(order_set)).sum()
    pays_in = payments["order_id"].is_in(list(order_set)).sum()
    return {
        "customer_key": "customers.csv:customer_unique_id",
        "customers": int(persons),
        "events": len(matched_ids),
        "amount_total": round(float(amount), 2),
        "joins": [
            {
                "left": "orders.csv",
                "right": "customers.csv",
                "key": "customer_id",
                "matched": int(matched_orders.height),
                "unmatched": int(orders.height - matched_orders.height),
            },
            {
                "left": "order_items.csv",
                "right": "orders.csv",
                "key": "order_id",
                "matched": int(items_in),
                "unmatched": int(items.height - items_in),
            },
            {
                "left": "order_payments.csv",
                "right": "orders.csv",
                "key": "order_id",
                "matched": int(pays_in),
                "unmatched": int(payments.height - pays_in),
            },
        ],
    }


# --------------------------------------------------------------------------- 3/4 sessions


def session_events(
    rng: np.random.Generator,
    users: int,
    start: dt.datetime,
    end: dt.datetime,
    *,
    mean_gap_days: float,
    mean_life_days: float,
    mean_events: float,
) -> list[tuple[int, int, dt.datetime]]:
    """(user, session number, time): each visit is a burst of events a few minutes apart."""
    out = []
    for session, (u, when) in enumerate(
        lifecycles(rng, users, start, end, mean_gap_days=mean_gap_days, mean_life_days=mean_life_days)
    ):
        t = when
        for _ in range(max(2, int(rng.poisson(mean_events)))):
            out.append((u, session, t))
            t = t + dt.timedelta(seconds=int(rng.integers(15, 420)))
    return out


def catalogue(rng: np.random.Generator, n_items: int, n_categories: int):
    items = np.sort(distinct(rng, 1_000_000, 5_200_000, n_items))
    cats = np.sort(distinct(rng, 100_000, 5_100_000, n_categories))
    item_cat = dict(zip(items.tolist(), rng.choice(cats, size=n_items).tolist()))
    return items, item_cat


def user_behavior(rng: np.random.Generator, users: int = 320) -> str:
    """Taobao UserBehavior-like lines without a header: user,item,category,behaviour,unix."""
    start, end = dt.datetime(2017, 1, 2), dt.datetime(2018, 6, 30)
    user_ids = np.sort(distinct(rng, 1, 1_018_011, users))
    items, item_cat = catalogue(rng, 2500, 150)
    events = session_events(
        rng, users, start, end, mean_gap_days=55, mean_life_days=220, mean_events=5
    )
    kinds = rng.choice(["pv", "cart", "fav", "buy"], size=len(events), p=[0.895, 0.055, 0.03, 0.02])
    chosen = zipf_choice(rng, items, len(events), a=0.9)
    lines = []
    for (u, _s, when), kind, item in zip(events, kinds, chosen, strict=True):
        unix = int(when.replace(tzinfo=dt.UTC).timestamp())
        lines.append(f"{user_ids[u]},{item},{item_cat[int(item)]},{kind},{unix}")
    return "\n".join(lines) + "\n"


def behavior_coded(rng: np.random.Generator, users: int = 330) -> pl.DataFrame:
    """Tianchi mobile-recommend-like: coded behaviour 1..4, hour-level time text."""
    start, end = dt.datetime(2013, 7, 1), dt.datetime(2014, 12, 18)
    user_ids = np.sort(distinct(rng, 10_000, 142_000_000, users))
    items, item_cat = catalogue(rng, 1800, 120)
    events = session_events(
        rng, users, start, end, mean_gap_days=40, mean_life_days=220, mean_events=3
    )
    codes = rng.choice([1, 2, 3, 4], size=len(events), p=[0.80, 0.05, 0.08, 0.07])
    chosen = zipf_choice(rng, items, len(events), a=0.9)
    alphabet = np.array(list("0123456789abcdefghijklmnopqrstuv"))
    homes = ["96" + "".join(rng.choice(alphabet, 5)) for _ in range(users)]
    rows = []
    for (u, _s, when), code, item in zip(events, codes, chosen, strict=True):
        geo = homes[u] if rng.random() < 0.3 else ""
        rows.append(
            (int(user_ids[u]), int(item), int(code), geo, item_cat[int(item)], when.strftime("%Y-%m-%d %H"))
        )
    return pl.DataFrame(
        rows,
        schema=["user_id", "item_id", "behavior_type", "user_geohash", "item_category", "time"],
        orient="row",
    )


def epoch_events(rng: np.random.Generator, visitors: int = 330) -> pl.DataFrame:
    """RetailRocket-like: visitor, epoch-ms time, action, item, revenue on transactions."""
    start, end = dt.datetime(2022, 3, 1), dt.datetime(2023, 9, 15)
    visitor_ids = np.sort(distinct(rng, 1, 1_407_580, visitors))
    items = np.sort(distinct(rng, 1, 466_867, 2000))
    price = dict(zip(items.tolist(), np.round(rng.lognormal(3.0, 0.7, 2000), 2).tolist()))
    events = session_events(
        rng, visitors, start, end, mean_gap_days=40, mean_life_days=200, mean_events=4
    )
    actions = rng.choice(["view", "addtocart", "transaction"], size=len(events), p=[0.86, 0.09, 0.05])
    chosen = zipf_choice(rng, items, len(events), a=0.9)
    session_base = 5_000_000
    rows = []
    for (u, s, when), action, item in zip(events, actions, chosen, strict=True):
        ms = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000) + int(rng.integers(0, 1000))
        revenue = f"{price[int(item)]:.2f}" if action == "transaction" else ""
        rows.append((int(visitor_ids[u]), ms, str(action), int(item), revenue, session_base + s))
    return pl.DataFrame(
        rows, schema=["visitor", "event_ts", "action", "item", "revenue", "session"], orient="row"
    )


def click_sessions(rng: np.random.Generator, visitors: int = 310) -> pl.DataFrame:
    """A web click log: session (one visitor, minutes, 3-30 events), visitor, ISO time, event."""
    start, end = dt.datetime(2023, 2, 1), dt.datetime(2024, 7, 31)
    visitor_ids = [f"v{n:06d}" for n in np.sort(distinct(rng, 1, 999_999, visitors))]
    products = [f"P{n:05d}" for n in distinct(rng, 10_000, 99_999, 600)]
    visits = lifecycles(rng, visitors, start, end, mean_gap_days=50, mean_life_days=200)
    session_ids = hex_ids(rng, len(visits))
    rows = []
    for k, (v, when) in enumerate(visits):
        t = when
        n = int(np.clip(rng.poisson(4.5), 3, 30))
        for i in range(n):
            if i == 0:
                event = "page_view"
            else:
                event = str(
                    rng.choice(
                        ["page_view", "product_view", "search", "add_to_cart", "purchase"],
                        p=[0.30, 0.45, 0.10, 0.10, 0.05],
                    )
                )
            product = (
                str(zipf_choice(rng, np.array(products), 1)[0])
                if event in ("product_view", "add_to_cart", "purchase")
                else ""
            )
            rows.append((session_ids[k][:12], visitor_ids[v], t.strftime("%Y-%m-%dT%H:%M:%S"), event, product))
            t = t + dt.timedelta(seconds=int(rng.integers(10, 300)))
    return pl.DataFrame(
        rows, schema=["session_id", "visitor_id", "ts", "event", "product_id"], orient="row"
    )


# --------------------------------------------------------------------------- 7 wide customers


def customers_wide(rng: np.random.Generator, n: int = 2000) -> pl.DataFrame:
    ids = 15_565_701 + rng.permutation(249_989)[:n]
    age = np.clip(rng.normal(39, 10, n), 18, 90).astype(int)
    tenure = rng.integers(0, 11, n)
    balance = np.where(rng.random(n) < 0.35, 0.0, np.round(rng.normal(120_000, 30_000, n), 2))
    plan = rng.choice(["basic", "plus", "premium"], size=n, p=[0.5, 0.35, 0.15])
    city = rng.choice(["Lyon", "Hamburg", "Madrid", "Milan"], size=n, p=[0.5, 0.25, 0.15, 0.1])
    zips = distinct(rng, 10_000, 99_999, 300)
    zip_code = [f"{z:05d}" for z in rng.choice(zips, n)]
    phone = [f"+33 6 {a:02d} {b:02d} {c:02d} {d:02d}" for a, b, c, d in rng.integers(0, 100, (n, 4))]
    account = 1_000_000_000 + rng.permutation(8_999_999)[:n].astype(np.int64) * 997
    referrer = [
        str(int(ids[j])) if rng.random() < 0.3 and j != i else ""
        for i, j in enumerate(rng.integers(0, n, n))
    ]
    logit = (
        -2.2
        + 0.07 * (age - 39)
        - 0.08 * (tenure - 5)
        + 0.6 * (balance > 0)
        + np.where(plan == "premium", -0.7, 0.0)
        + np.where(city == "Hamburg", 0.8, 0.0)
    )
    exited = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pl.DataFrame(
        {
            "RowNumber": np.arange(1, n + 1),
            "CustomerId": ids,
            "referrer_id": referrer,
            "zip_code": zip_code,
            "phone": phone,
            "account_no": account,
            "age": age,
            "tenure": tenure,
            "balance": balance,
            "plan": plan,
            "city": city,
            "Exited": exited,
        }
    )


# --------------------------------------------------------------------------- ambiguous


def ambiguous(rng: np.random.Generator, rows: int = 3000) -> pl.DataFrame:
    """Two meaningless integer references that both repeat like customers and neither clusters
    in time: nothing in the names or the values says which one is the customer."""
    start = dt.datetime(2023, 1, 1)
    days = rng.integers(0, 540, rows)
    seconds = rng.integers(8 * 3600, 22 * 3600, rows)
    whens = [start + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(days, seconds, strict=True)]
    order = np.argsort(np.array(whens, dtype="datetime64[s]"))
    a = distinct(rng, 1000, 9999, 320)
    b = distinct(rng, 1000, 9999, 320)
    return pl.DataFrame(
        {
            "ref1": rng.choice(a, rows)[order],
            "ref2": rng.choice(b, rows)[order],
            "when": [whens[i].strftime("%Y-%m-%d %H:%M") for i in order],
            "value": np.round(rng.lognormal(3, 0.6, rows), 2),
        }
    )


# --------------------------------------------------------------------------- main

CN_GROCERY = {
    "household_id": "会员ID",
    "basket_id": "小票号",
    "product_id": "商品ID",
    "quantity": "数量",
    "sales_value": "金额",
    "store_id": "门店ID",
    "transaction_ts": "交易时间",
    "week_no": "周次",
}


def blanks_as_nulls(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty text as null, so CSVs get empty fields (not quoted "") like real exports."""
    return frame.with_columns(
        pl.when(pl.col(pl.String) != "").then(pl.col(pl.String)).otherwise(None).name.keep()
    )


def main() -> None:
    rng = np.random.default_rng(SEED)
    expected: list[dict] = []

    frame = grocery(rng)
    frame.write_parquet(HERE / "grocery_households.parquet")
    expected.append(
        {
            "name": "grocery",
            "files": ["grocery_households.parquet"],
            "kind": "events",
            "roles": {
                "customer_id": "household_id",
                "order_id": "basket_id",
                "product_id": "product_id",
                "timestamp": "transaction_ts",
                "amount": "sales_value",
                "quantity": "quantity",
            },
            "structural": True,
            "train": [],
            "stats": {
                "rows": frame.height,
                "customers": frame["household_id"].n_unique(),
                "orders": frame["basket_id"].n_unique(),
            },
        }
    )

    full = marketplace(rng)
    partial = break_keys(rng, full)
    for folder, tables, name in (
        ("marketplace", full, "marketplace"),
        ("marketplace_partial", partial, "marketplace_partial"),
    ):
        (HERE / folder).mkdir(exist_ok=True)
        for file, table in tables.items():
            blanks_as_nulls(table).write_csv(HERE / folder / file)
        expected.append(
            {
                "name": name,
                "files": [f"{folder}/{f}" for f in tables],
                "kind": "relational",
                "tables": {
                    "orders.csv": {
                        "kind": "events",
                        "roles": {
                            "order_id": "order_id",
                            "timestamp": "order_purchase_timestamp",
                        },
                    },
                    # alone, customers.csv is a customer table; its person key only
                    # shows once joined (see "combined")
                    "customers.csv": {"kind": "customers", "roles": {}},
                    # line items and payments have no customer and no time of their
                    # own: alone they are neither kind; they count once joined to orders
                    "order_items.csv": {"roles": {}},
                    "order_payments.csv": {"roles": {}},
                },
                "combined": combined_expectation(tables),
                "train": [],
            }
        )

    text = user_behavior(rng)
    (HERE / "user_behavior_headerless.csv").write_text(text, encoding="utf-8")
    expected.append(
        {
            "name": "headerless",
            "files": ["user_behavior_headerless.csv"],
            "kind": "events",
            "roles": {
                "customer_id": "column_1",
                "product_id": "column_2",
                "category": "column_3",
                "event_type": "column_4",
                "timestamp": "column_5",
            },
            "structural": True,
            "train": ["--activity", "any"],
        }
    )

    coded = behavior_coded(rng)
    blanks_as_nulls(coded).write_csv(HERE / "behavior_coded_hourly.csv")
    expected.append(
        {
            "name": "coded_hourly",
            "files": ["behavior_coded_hourly.csv"],
            "kind": "events",
            "roles": {
                "customer_id": "user_id",
                "product_id": "item_id",
                "category": "item_category",
                "event_type": "behavior_type",
                "timestamp": "time",
            },
            "event_codes": {"1": "view", "2": "favorite", "3": "cart", "4": "purchase"},
            "train": ["--events", "1=view,2=favorite,3=cart,4=purchase"],
        }
    )

    epoch = epoch_events(rng)
    blanks_as_nulls(epoch).write_csv(HERE / "events_epoch_ms.tsv", separator="\t")
    expected.append(
        {
            "name": "epoch_ms",
            "files": ["events_epoch_ms.tsv"],
            "kind": "events",
            "roles": {
                "customer_id": "visitor",
                "timestamp": "event_ts",
                "event_type": "action",
                "amount": "revenue",
                "product_id": "item",
                "session_id": "session",
            },
            "structural": True,
            "train": ["--activity", "any"],
        }
    )

    clicks = click_sessions(rng)
    blanks_as_nulls(clicks).write_csv(HERE / "click_sessions.csv")
    expected.append(
        {
            "name": "click_sessions",
            "files": ["click_sessions.csv"],
            "kind": "events",
            "roles": {
                "customer_id": "visitor_id",
                "session_id": "session_id",
                "timestamp": "ts",
                "event_type": "event",
                "product_id": "product_id",
            },
            "structural": True,
            "train": ["--activity", "any"],
        }
    )

    wide = customers_wide(rng)
    blanks_as_nulls(wide).write_csv(HERE / "customers_wide.csv")
    expected.append(
        {
            "name": "customers_wide",
            "files": ["customers_wide.csv"],
            "kind": "customers",
            "roles": {"customer_id": "CustomerId", "label": "Exited"},
            "train": [],
        }
    )

    cn = grocery(rng, households=300, gap=48).drop("day", "trans_time").rename(CN_GROCERY)
    cn = cn.with_columns(pl.col("交易时间").dt.strftime("%Y-%m-%d %H:%M:%S"))
    (HERE / "grocery_households_cn.csv").write_bytes(cn.write_csv().encode("gb18030"))
    expected.append(
        {
            "name": "grocery_cn",
            "files": ["grocery_households_cn.csv"],
            "encoding": "gb18030",
            "kind": "events",
            "roles": {
                "customer_id": "会员ID",
                "order_id": "小票号",
                "product_id": "商品ID",
                "timestamp": "交易时间",
                "amount": "金额",
                "quantity": "数量",
            },
            "train": [],
        }
    )

    amb = ambiguous(rng)
    blanks_as_nulls(amb).write_csv(HERE / "ambiguous_ids.csv")
    expected.append(
        {
            "name": "ambiguous",
            "files": ["ambiguous_ids.csv"],
            "kind": "events",
            "roles": {"timestamp": "when", "amount": "value"},
            "customer_id_one_of": ["ref1", "ref2"],
            "low_confidence": ["customer_id"],
        }
    )

    (HERE / "expected.json").write_text(
        json.dumps({"seed": SEED, "shapes": expected}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
