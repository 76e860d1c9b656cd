"""Plain-language reasons: why one customer's churn risk is high, in their own numbers.

Each feature belongs to a *topic* (purchase recency, spend trend, service contacts,
...). A topic's weight for a customer is the largest positive contribution among
its features, so "84 days since the last purchase" and "4 times the usual gap"
become one reason, not two. The top-k topics per row are phrased from the
customer's own values, in English or 简体中文.

Formatting works topic by topic over all rows that need it (no per-feature
lookups per row), so 200k customers x 3 reasons take a couple of seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from churnlab.catalogue import describe, event_type_name, humanise
from churnlab.errors import ModelError

Row = dict[str, object]
Phrase = Callable[[Row, str], str]

_EVENT_COUNT = re.compile(r"^events_(?P<type>.+)_(?:30|365)d$")
_CHANNEL_SHARE = re.compile(r"^channel_share_(?P<channel>.+)$")


def _num(value: object) -> float | None:
    """A finite-or-infinite float, or None for missing / NaN / text."""
    if type(value) is float:
        return value if value == value else None
    if value is None or isinstance(value, str):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if number != number else number


def _days(value: object, lang: str) -> str:
    """Days in words: 1 day, 84 days, 84 天."""
    text = _int(value)
    if lang == "zh":
        return f"{text} 天"
    return f"{text} day" if text == "1" else f"{text} days"


def _int(value: object) -> str:
    number = _num(value)
    if number is None:
        return "?"
    return f"{round(number):,}" if abs(number) < 1e15 else f"{number:.3g}"


def _money(value: object) -> str:
    number = _num(value)
    if number is None:
        return "?"
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.2f}"


def _pct(value: object) -> str:
    number = _num(value)
    return "?" if number is None else f"{round(number * 100)}"


def _first(row: Row, *names: str) -> object:
    for name in names:
        if _num(row.get(name)) is not None:
            return row[name]
    return None


def _fall_from_trend(trend: object) -> float | None:
    """Percent fall implied by (recent - previous) / (recent + previous)."""
    t = _num(trend)
    if t is None or t >= 0 or t <= -1 + 1e-12:
        return 1.0 if t is not None and t <= -1 + 1e-12 else None
    return -2 * t / (1 - t)


# ---- phrases per topic ---------------------------------------------------------------


def _purchase_recency(row: Row, lang: str) -> str:
    days = _first(row, "days_since_last_purchase", "recency_days")
    gap = _num(row.get("gap_mean_days"))
    if days is None:
        return "最近 365 天没有购买" if lang == "zh" else "No purchase in the last 365 days"
    if lang == "zh":
        text = f"已 {_days(days, lang)}没有购买"
        return text + (f"；通常每 {_days(gap, lang)}下单一次" if gap else "")
    text = f"No purchase for {_days(days, lang)}"
    return text + (f"; usually orders every {_days(gap, lang)}" if gap else "")


def _activity_recency(row: Row, lang: str) -> str:
    days = _first(row, "days_since_last_event", "recency_days")
    if lang == "zh":
        return f"已 {_days(days, lang)}没有活动"
    return f"No activity for {_days(days, lang)}"


def _active_days(row: Row, lang: str) -> str:
    d90, d365 = row.get("active_days_90d"), row.get("active_days_365d")
    if _num(d90) is not None:
        if lang == "zh":
            return f"最近 90 天只有 {_int(d90)} 天有活动"
        return f"Active on {_int(d90)} days in the last 90 days"
    if lang == "zh":
        return f"最近 365 天只有 {_int(d365)} 天有活动"
    return f"Active on {_int(d365)} days in the last 365 days"


def _trend(kind: str, trend_name: str, recent: str, longer: str | None) -> Phrase:
    labels = {
        "orders": ("Orders", "订单数"),
        "spend": ("Spend", "消费金额"),
        "events": ("Visits and other activity", "访问及其他活动"),
    }[kind]

    def phrase(row: Row, lang: str) -> str:
        r = _num(row.get(recent)) if recent else None
        total = _num(row.get(longer)) if longer else None
        fall: float | None = None
        if r is not None and total is not None and total - r > 0:
            fall = (total - r - r) / (total - r) if r < total - r else None
        elif _num(row.get(trend_name)) is not None:
            fall = _fall_from_trend(row.get(trend_name))
        if fall is not None and fall > 0:
            if lang == "zh":
                return f"最近 90 天的{labels[1]}比之前 90 天下降了 {_pct(fall)}%"
            return f"{labels[0]} in the last 90 days fell {_pct(fall)} % against the 90 days before"
        if r is not None:
            value = _money(r) if kind == "spend" else _int(r)
            if lang == "zh":
                return f"最近 90 天的{labels[1]}：{value}"
            return f"{labels[0]} in the last 90 days: {value}"
        if lang == "zh":
            return f"最近 90 天的{labels[1]}没有增长"
        return f"{labels[0]} in the last 90 days did not grow"

    return phrase


def _frequency(row: Row, lang: str) -> str:
    orders = _first(row, "orders_365d", "orders_180d")
    if orders is not None:
        window = "365" if _num(row.get("orders_365d")) is not None else "180"
        if lang == "zh":
            return f"最近 {window} 天只下了 {_int(orders)} 单"
        if _int(orders) == "1":
            return f"Only 1 order in the last {window} days"
        return f"Only {_int(orders)} orders in the last {window} days"
    if lang == "zh":
        return f"回看期内只有 {_int(row.get('frequency'))} 天有购买"
    return f"Bought on only {_int(row.get('frequency'))} days in the look-back window"


def _orders_recent(row: Row, lang: str) -> str:
    value = row.get("orders_30d")
    if lang == "zh":
        return f"最近 30 天下了 {_int(value)} 单"
    noun = "order" if _int(value) == "1" else "orders"
    return f"{_int(value)} {noun} in the last 30 days"


def _spend(row: Row, lang: str) -> str:
    if _num(row.get("spend_365d")) is not None:
        if lang == "zh":
            return f"最近 365 天消费 {_money(row['spend_365d'])}"
        return f"Spent {_money(row['spend_365d'])} in the last 365 days"
    if lang == "zh":
        return f"回看期内消费 {_money(row.get('monetary'))}"
    return f"Spent {_money(row.get('monetary'))} in the look-back window"


def _spend_recent(row: Row, lang: str) -> str:
    if lang == "zh":
        return f"最近 30 天消费 {_money(row.get('spend_30d'))}"
    return f"Spent {_money(row.get('spend_30d'))} in the last 30 days"


def _aov(row: Row, lang: str) -> str:
    value = _money(row.get("avg_order_value"))
    return f"平均订单金额 {value}" if lang == "zh" else f"Average order value {value}"


def _gap_std(row: Row, lang: str) -> str:
    value = _int(row.get("gap_std_days"))
    if lang == "zh":
        return f"购买间隔不规律（波动约 {value} 天）"
    return f"Buys at irregular intervals (gaps vary by about {value} days)"


def _tenure(row: Row, lang: str) -> str:
    value = _int(row.get("tenure_days"))
    return f"成为客户 {value} 天" if lang == "zh" else f"Customer for {value} days"


def _view_to_cart(row: Row, lang: str) -> str:
    value = _pct(row.get("view_to_cart"))
    if lang == "zh":
        return f"浏览后加购的比例为 {value}%"
    return f"Adds to cart after {value} % of product views"


def _cart_to_purchase(row: Row, lang: str) -> str:
    rate = _num(row.get("cart_to_purchase"))
    if rate is not None and rate > 1:
        if lang == "zh":
            return f"每次加购约对应 {rate:.1f} 次购买"
        return f"About {rate:.1f} purchases per add-to-cart"
    value = _pct(rate)
    if lang == "zh":
        return f"加购后购买的比例为 {value}%"
    return f"Buys {value} % of what goes into the cart"


def _products(row: Row, lang: str) -> str:
    products, categories = row.get("distinct_products"), row.get("distinct_categories")
    if _num(products) is not None and _num(categories) is not None:
        if lang == "zh":
            return f"最近 365 天买了 {_int(products)} 种商品，涉及 {_int(categories)} 个品类"
        return (
            f"Bought {_int(products)} different products in {_int(categories)} categories "
            "in the last 365 days"
        )
    if _num(products) is not None:
        if lang == "zh":
            return f"最近 365 天买了 {_int(products)} 种商品"
        return f"Bought {_int(products)} different products in the last 365 days"
    if lang == "zh":
        return f"最近 365 天购买涉及 {_int(categories)} 个品类"
    return f"Bought from {_int(categories)} categories in the last 365 days"


def _refunds(row: Row, lang: str) -> str:
    count, share = row.get("refunds_365d"), _num(row.get("refund_share"))
    days = _num(row.get("days_since_last_refund"))
    if _num(count) is None and days is not None:
        if lang == "zh":
            return f"{_days(days, lang)}前申请过退款"
        return f"Asked for a refund {_days(days, lang)} ago"
    if lang == "zh":
        text = f"最近 365 天退款 {_int(count)} 次"
        if share is not None:
            text += f"（占消费的 {_pct(share)}%）"
        return text + (f"，最近一次在 {_days(days, lang)}前" if days is not None else "")
    text = f"Refunded {_int(count)} times in the last 365 days"
    if share is not None:
        text += f" ({_pct(share)} % of spend)"
    return text + (f", the last {_days(days, lang)} ago" if days is not None else "")


def _ratings(row: Row, lang: str) -> str:
    days = _num(row.get("days_since_low_rating"))
    low = _num(row.get("rating_min"))
    if days is not None and low is not None:
        if lang == "zh":
            return f"{_days(days, lang)}前给出了 {_int(low)} 星评价"
        return f"Gave a {_int(low)}-star rating {_days(days, lang)} ago"
    mean = _num(row.get("rating_mean"))
    if mean is None:
        return "最近 365 天没有评分" if lang == "zh" else "No ratings in the last 365 days"
    return f"平均评分 {mean:.1f} 星" if lang == "zh" else f"Average rating {mean:.1f} stars"


def _service(row: Row, lang: str) -> str:
    recent, year = row.get("service_contacts_90d"), row.get("service_contacts_365d")
    if _num(recent):
        if lang == "zh":
            return f"最近 90 天联系客服 {_int(recent)} 次"
        return f"Contacted customer service {_int(recent)} times in the last 90 days"
    if _num(year):
        if lang == "zh":
            return f"最近 365 天联系客服 {_int(year)} 次"
        return f"Contacted customer service {_int(year)} times in the last 365 days"
    days = row.get("days_since_last_service")
    if _num(days) is None:
        return (
            "最近 365 天没有联系客服" if lang == "zh" else "No customer-service contact in a year"
        )
    if lang == "zh":
        return f"{_days(days, lang)}前联系过客服"
    return f"Contacted customer service {_days(days, lang)} ago"


def _review_sentiment(row: Row, lang: str) -> str:
    days = _num(row.get("days_since_negative_review"))
    share = _first(row, "negative_review_share_90d", "negative_review_share_365d")
    window = 90 if _num(row.get("negative_review_share_90d")) is not None else 365
    if days is not None:
        if lang == "zh":
            text = f"{_days(days, lang)}前写了负面评价"
            return text + (f"（最近 {window} 天 {_pct(share)}% 的评价为负面）" if share else "")
        text = f"Wrote a negative review {_days(days, lang)} ago"
        return text + (f" ({_pct(share)} % of reviews in the last {window} days)" if share else "")
    last = _num(row.get("last_review_sentiment"))
    if last is None:
        return "最近 365 天没有评价" if lang == "zh" else "No reviews written in the last 365 days"
    if lang == "zh":
        return f"最近一条评价的情感：{last:+.1f}（-1 负面，+1 正面）"
    return f"Last review's sentiment: {last:+.1f} (-1 negative, +1 positive)"


def _complaints(row: Row, lang: str) -> str:
    days = _num(row.get("days_since_complaint"))
    recent, year = _num(row.get("complaint_texts_90d")), _num(row.get("complaint_texts_365d"))
    if days is None:
        if lang == "zh":
            return "最近 365 天没有投诉"
        return "No complaints in the last 365 days"
    if lang == "zh":
        text = f"{_days(days, lang)}前投诉过（退款、慢、破损等）"
        return text + (f"，最近 90 天共 {_int(recent)} 次" if recent and recent > 1 else "")
    text = f"Complained {_days(days, lang)} ago (refund, late, broken ...)"
    if recent and recent > 1:
        return text + f", {_int(recent)} times in the last 90 days"
    return text + (f", {_int(year)} times in the last 365 days" if year and year > 1 else "")


def _coupon(row: Row, lang: str) -> str:
    share = _num(row.get("coupon_share"))
    if share is None:
        return "最近 365 天没有订单" if lang == "zh" else "No orders in the last 365 days"
    if share is not None and share >= 0.8:
        if lang == "zh":
            return f"只在有优惠券时购买（{_pct(share)}% 的订单）"
        return f"Only buys with coupons ({_pct(share)} % of orders)"
    if lang == "zh":
        return f"{_pct(share)}% 的订单使用了优惠券"
    return f"Uses coupons on {_pct(share)} % of orders"


def _still_buying(row: Row, lang: str) -> str:
    alive = _num(row.get("bgnbd_p_alive"))
    if alive is not None and alive < 0.5:
        if alive < 0.005:  # "a 0 % chance" reads as a bug; say how small it is
            if lang == "zh":
                return "从购买频率和最近购买时间看，仍在购买的可能性不到 1%"
            return "Less than a 1 % chance they still buy here, given how often and how recently they bought"
        if lang == "zh":
            return f"从购买频率和最近购买时间看，仍在购买的可能性只有 {_pct(alive)}%"
        return f"Only a {_pct(alive)} % chance they still buy here, given how often and how recently they bought"
    expected = _num(row.get("bgnbd_expected_purchases"))
    shown = "?" if expected is None else f"{expected:.1f}"
    if lang == "zh":
        return f"按其购买模式，流失判定期内预计只购买 {shown} 次"
    return f"Expected to buy on only {shown} days in the coming period, from their buying pattern"


def _slope(kind: str, name: str) -> Phrase:
    labels = {"orders": ("Weekly orders", "每周订单数"), "events": ("Weekly activity", "每周活动")}[
        kind
    ]

    def phrase(row: Row, lang: str) -> str:
        value = _num(row.get(name))
        if value is not None and value < 0:
            if lang == "zh":
                return f"最近 12 周{labels[1]}持续下降（每周减少 {-value:.2f}）"
            return f"{labels[0]} have been falling over the last 12 weeks ({value:.2f} a week)"
        if lang == "zh":
            return f"最近 12 周{labels[1]}没有增长"
        return f"{labels[0]} did not grow over the last 12 weeks"

    return phrase


def _channel(row: Row, lang: str) -> str:
    main = row.get("main_channel")
    if main is None:
        return "渠道使用情况" if lang == "zh" else "Channel mix"
    return f"主要渠道：{main}" if lang == "zh" else f"Main channel: {main}"


def _event_counts(event_type: str, recent: str, year: str) -> Phrase:
    def phrase(row: Row, lang: str) -> str:
        name = event_type_name(event_type, lang)
        r, y = _num(row.get(recent)), _num(row.get(year))
        if lang == "zh":
            parts = [f"最近 30 天{name} {_int(r)} 次"] if r is not None else []
            parts += [f"最近 365 天 {_int(y)} 次"] if y is not None else []
            return "，".join(parts)
        parts = [f"{_int(r)} {name} in the last 30 days"] if r is not None else []
        parts += [f"{_int(y)} in the last 365 days"] if y is not None else []
        return ", ".join(parts)

    return phrase


def _channel_share(channel: str, column: str) -> Phrase:
    def phrase(row: Row, lang: str) -> str:
        share = _pct(row.get(column))
        if lang == "zh":
            return f"{share}% 的活动通过“{channel}”渠道"
        return f"{share} % of activity through “{channel}”"

    return phrase


def _attribute(name: str) -> Phrase:
    unit = describe(name).unit

    def phrase(row: Row, lang: str) -> str:
        value = row.get(name)
        if unit == "days":
            column = name.removesuffix("_days")
            if lang == "zh":
                return f"{column}：{_days(value, lang)}前"
            return f"{humanise(column)}: {_days(value, lang)} ago"
        shown = ("未知" if lang == "zh" else "unknown") if value is None else value
        if isinstance(value, float):
            shown = _int(value) if float(value).is_integer() else f"{value:,.2f}"
        return f"{name}：{shown}" if lang == "zh" else f"{humanise(name)}: {shown}"

    return phrase


_FIXED_TOPICS: dict[str, tuple[str, Phrase, tuple[str, ...]]] = {}


def _register(topic: str, phrase: Phrase, names: tuple[str, ...], *extra: str) -> None:
    """Put ``names`` under ``topic``; the phrase reads ``names`` plus ``extra`` columns."""
    reads = (*names, *extra)
    for name in names:
        _FIXED_TOPICS[name] = (topic, phrase, reads)


_register(
    "purchase_recency",
    _purchase_recency,
    (
        "recency_days",
        "days_since_last_purchase",
        "gap_ratio",
        "gap_mean_days",
        "gap_survival",
        "days_overdue",
    ),
)
_register(
    "still_buying",
    _still_buying,
    ("bgnbd_p_alive", "bgnbd_p_silent", "bgnbd_expected_purchases"),
)
_register("orders_slope", _slope("orders", "orders_slope_12w"), ("orders_slope_12w",))
_register("events_slope", _slope("events", "events_slope_12w"), ("events_slope_12w",))
_register("activity_recency", _activity_recency, ("days_since_last_event",), "recency_days")
_register("active_days", _active_days, ("active_days_90d", "active_days_365d"))
_register(
    "orders_trend",
    _trend("orders", "orders_trend_90d", "orders_90d", "orders_180d"),
    ("orders_trend_90d", "orders_90d"),
    "orders_180d",
)
_register(
    "spend_trend",
    _trend("spend", "spend_trend_90d", "spend_90d", "spend_180d"),
    ("spend_trend_90d", "spend_90d"),
    "spend_180d",
)
_register("events_trend", _trend("events", "events_trend_90d", "", None), ("events_trend_90d",))
_register("frequency", _frequency, ("frequency", "orders_180d", "orders_365d"))
_register("orders_recent", _orders_recent, ("orders_30d",))
_register("spend", _spend, ("monetary", "spend_180d", "spend_365d"))
_register("spend_recent", _spend_recent, ("spend_30d",))
_register("aov", _aov, ("avg_order_value",))
_register("gap_std", _gap_std, ("gap_std_days",))
_register("tenure", _tenure, ("tenure_days",))
_register("view_to_cart", _view_to_cart, ("view_to_cart",))
_register("cart_to_purchase", _cart_to_purchase, ("cart_to_purchase",))
_register("products", _products, ("distinct_products", "distinct_categories"))
_register(
    "refunds",
    _refunds,
    ("refunds_365d", "refund_value_365d", "refund_share", "days_since_last_refund"),
)
_register(
    "ratings", _ratings, ("rating_mean", "rating_min", "low_ratings", "days_since_low_rating")
)
_register(
    "service",
    _service,
    ("service_contacts_365d", "service_contacts_90d", "days_since_last_service"),
)
_register(
    "review_sentiment",
    _review_sentiment,
    (
        "negative_review_share_90d",
        "negative_review_share_365d",
        "last_review_sentiment",
        "days_since_negative_review",
    ),
)
_register(
    "complaints",
    _complaints,
    ("complaint_texts_90d", "complaint_texts_365d", "days_since_complaint"),
)
_register("coupon", _coupon, ("coupon_share",))
_register("channel", _channel, ("main_channel",))


def topic_of(name: str, feature_names: Sequence[str]) -> tuple[str, Phrase, tuple[str, ...]]:
    """The topic a feature belongs to, how it is phrased and the columns the phrase reads."""
    if name == "recency_days" and "days_since_last_purchase" in feature_names:
        # recency_days then measures the chosen activity, not purchases.
        return "activity_recency", _activity_recency, ("days_since_last_event", "recency_days")
    if name in _FIXED_TOPICS:
        return _FIXED_TOPICS[name]
    match = _EVENT_COUNT.match(name)
    if match:
        event_type = match["type"]
        recent, year = f"events_{event_type}_30d", f"events_{event_type}_365d"
        return f"events:{event_type}", _event_counts(event_type, recent, year), (recent, year)
    match = _CHANNEL_SHARE.match(name)
    if match:
        return f"channel:{match['channel']}", _channel_share(match["channel"], name), (name,)
    return f"attribute:{name}", _attribute(name), (name,)


def reasons_for_rows(
    features: pl.DataFrame,
    contributions: np.ndarray,
    feature_names: list[str],
    k: int = 3,
    lang: str = "en",
) -> list[list[str]]:
    """Up to ``k`` reasons per row, strongest first, from positive contributions only.

    ``contributions`` is (rows, features) in log-odds (SHAP values, without the
    bias column), in the order of ``feature_names``. A row whose features all
    lower the risk gets no reasons.
    """
    contributions = np.asarray(contributions, dtype=np.float64)
    n_rows = features.height
    if contributions.ndim != 2 or contributions.shape != (n_rows, len(feature_names)):
        raise ModelError(
            "error.reasons.shape",
            rows=n_rows,
            columns=len(feature_names),
            shape=str(contributions.shape),
        )
    if n_rows == 0 or k <= 0 or not feature_names:
        return [[] for _ in range(n_rows)]
    topics: dict[str, tuple[Phrase, list[int], set[str]]] = {}
    for j, name in enumerate(feature_names):
        topic, phrase, reads = topic_of(name, feature_names)
        entry = topics.setdefault(topic, (phrase, [], set()))
        entry[1].append(j)
        entry[2].update(reads)
    topic_names = list(topics)
    weights = np.empty((n_rows, len(topic_names)))
    for t, topic in enumerate(topic_names):
        weights[:, t] = contributions[:, topics[topic][1]].max(axis=1)
    weights = np.where(np.isfinite(weights) & (weights > 0), weights, -np.inf)
    k = min(k, len(topic_names))
    order = np.argsort(-weights, axis=1, kind="stable")[:, :k]
    chosen = np.take_along_axis(weights, order, axis=1) > -np.inf
    texts = np.empty((n_rows, k), dtype=object)
    features = features.rechunk()  # row gathers on a many-chunk frame are slow
    for t, topic in enumerate(topic_names):
        hit = (order == t) & chosen
        rows = np.flatnonzero(hit.any(axis=1))
        if rows.size == 0:
            continue
        phrase, _, reads = topics[topic]
        columns = sorted(c for c in reads if c in features.columns)
        values = features.select(columns)[rows].to_dicts()
        texts[rows, hit[rows].argmax(axis=1)] = [phrase(row, lang) for row in values]
    return [
        [text for text, keep in zip(row_texts, row_keep, strict=True) if keep]
        for row_texts, row_keep in zip(texts.tolist(), chosen.tolist(), strict=True)
    ]
