"""What each feature means, in English and 简体中文.

Fixed features live in ``CATALOGUE``. Generated names (per-event-type counts,
channel shares, customer attributes) get a sensible generic description from
``describe``, so every feature a model uses can be explained in both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FeatureInfo:
    """A feature's name, unit and description by language ("en", "zh")."""

    name: str
    unit: str
    description: dict[str, str]

    def text(self, lang: str) -> str:
        """The description in ``lang``, else English."""
        return self.description.get(lang) or self.description["en"]


def _info(name: str, unit: str, en: str, zh: str) -> FeatureInfo:
    return FeatureInfo(name=name, unit=unit, description={"en": en, "zh": zh})


_FIXED: list[FeatureInfo] = [
    _info(
        "recency_days",
        "days",
        "Days since the customer's last activity that counts as staying (by default a purchase)",
        "距上次有效活动（默认为购买）的天数",
    ),
    _info(
        "frequency",
        "days",
        "Days with qualifying activity in the look-back window",
        "回看期内有有效活动的天数",
    ),
    _info("monetary", "money", "Spend in the look-back window", "回看期内的消费金额"),
    _info(
        "days_since_last_purchase",
        "days",
        "Days since the customer's last purchase",
        "距上次购买的天数",
    ),
    _info(
        "days_since_last_event",
        "days",
        "Days since the customer's last event of any kind",
        "距上次任何行为的天数",
    ),
    _info("tenure_days", "days", "Days since the customer's first event", "距首次行为的天数"),
    *[
        _info(f"orders_{d}d", "orders", f"Orders in the last {d} days", f"最近 {d} 天的订单数")
        for d in (30, 90, 180, 365)
    ],
    *[
        _info(f"spend_{d}d", "money", f"Spend in the last {d} days", f"最近 {d} 天的消费金额")
        for d in (30, 90, 180, 365)
    ],
    _info(
        "avg_order_value",
        "money",
        "Average order value in the last 365 days",
        "最近 365 天的平均订单金额",
    ),
    _info(
        "orders_trend_90d",
        "ratio",
        "Orders in the last 90 days against the 90 days before: (recent - previous) / "
        "(recent + previous), from -1 (stopped) to +1 (new)",
        "最近 90 天与之前 90 天的订单数对比：(近期 - 前期) / (近期 + 前期)，-1 表示停止，+1 表示新增",
    ),
    _info(
        "spend_trend_90d",
        "ratio",
        "Spend in the last 90 days against the 90 days before: (recent - previous) / "
        "(recent + previous), from -1 to +1",
        "最近 90 天与之前 90 天的消费金额对比：(近期 - 前期) / (近期 + 前期)，范围 -1 到 +1",
    ),
    _info(
        "events_trend_90d",
        "ratio",
        "Visits and other events in the last 90 days against the 90 days before, from -1 to +1",
        "最近 90 天与之前 90 天的访问及其他行为次数对比，范围 -1 到 +1",
    ),
    _info(
        "gap_mean_days",
        "days",
        "Usual number of days between purchase days",
        "两次购买之间的平均间隔天数",
    ),
    _info(
        "gap_std_days",
        "days",
        "How much the days between purchases vary (standard deviation)",
        "购买间隔天数的波动（标准差）",
    ),
    _info(
        "gap_ratio",
        "ratio",
        "Days since the last purchase divided by the usual gap between purchases",
        "距上次购买的天数除以平均购买间隔",
    ),
    _info(
        "gap_survival",
        "share",
        "Share of the customer's own past gaps between purchases that lasted at least as long "
        "as the current one (low: this silence is unusual for them)",
        "客户过去的购买间隔中，不短于当前未购买天数的比例（越低表示这次沉默对其越反常）",
    ),
    _info(
        "days_overdue",
        "days",
        "Days past the customer's usual next purchase: days since the last purchase minus the "
        "usual gap (negative: not due yet)",
        "超过客户通常下次购买时间的天数：距上次购买的天数减去平均购买间隔（负数表示尚未到期）",
    ),
    _info(
        "orders_slope_12w",
        "orders",
        "Trend of weekly orders over the last 12 weeks: change in orders per week, per week "
        "(negative: slowing down)",
        "最近 12 周每周订单数的趋势：每周订单数每周的变化（负数表示放缓）",
    ),
    _info(
        "events_slope_12w",
        "count",
        "Trend of weekly events (visits, carts, ...) over the last 12 weeks, per week "
        "(negative: slowing down)",
        "最近 12 周每周行为次数（访问、加购等）的趋势，每周的变化（负数表示放缓）",
    ),
    _info(
        "bgnbd_p_alive",
        "share",
        "Probability that the customer still buys here, from the BG/NBD purchase-pattern model "
        "(how often and how recently they bought)",
        "根据 BG/NBD 购买模式模型（购买频率与最近购买时间）估计的客户仍在购买的概率",
    ),
    _info(
        "bgnbd_p_silent",
        "share",
        "Probability of no purchase in the churn horizon, from the BG/NBD purchase-pattern model",
        "根据 BG/NBD 购买模式模型估计的在流失判定期内不再购买的概率",
    ),
    _info(
        "bgnbd_expected_purchases",
        "orders",
        "Purchase days expected in the churn horizon, from the BG/NBD purchase-pattern model",
        "根据 BG/NBD 购买模式模型估计的流失判定期内的预期购买天数",
    ),
    _info(
        "active_days_90d",
        "days",
        "Days with any activity in the last 90 days",
        "最近 90 天有任何行为的天数",
    ),
    _info(
        "active_days_365d",
        "days",
        "Days with any activity in the last 365 days",
        "最近 365 天有任何行为的天数",
    ),
    _info(
        "view_to_cart",
        "share",
        "Add-to-cart events per product view in the last 365 days",
        "最近 365 天每次浏览对应的加购次数（浏览加购率）",
    ),
    _info(
        "cart_to_purchase",
        "share",
        "Purchases per add-to-cart event in the last 365 days",
        "最近 365 天每次加购对应的购买次数（加购购买率）",
    ),
    _info(
        "distinct_products",
        "count",
        "Different products bought in the last 365 days",
        "最近 365 天购买的不同商品数",
    ),
    _info(
        "distinct_categories",
        "count",
        "Different categories bought in the last 365 days",
        "最近 365 天购买的不同品类数",
    ),
    _info("refunds_365d", "count", "Refunds in the last 365 days", "最近 365 天的退款次数"),
    _info(
        "refund_value_365d",
        "money",
        "Money refunded in the last 365 days",
        "最近 365 天的退款金额",
    ),
    _info(
        "refund_share",
        "share",
        "Money refunded as a share of spend in the last 365 days",
        "最近 365 天退款金额占消费金额的比例",
    ),
    _info("days_since_last_refund", "days", "Days since the last refund", "距上次退款的天数"),
    _info("rating_mean", "rating", "Average rating given", "平均评分"),
    _info("rating_min", "rating", "Lowest rating given", "最低评分"),
    _info(
        "low_ratings",
        "count",
        "Ratings of 2 stars or less in the last 365 days",
        "最近 365 天 2 星及以下评分的次数",
    ),
    _info(
        "days_since_low_rating",
        "days",
        "Days since the last rating of 2 stars or less",
        "距上次 2 星及以下评分的天数",
    ),
    _info(
        "service_contacts_365d",
        "count",
        "Customer-service contacts in the last 365 days",
        "最近 365 天联系客服的次数",
    ),
    _info(
        "service_contacts_90d",
        "count",
        "Customer-service contacts in the last 90 days",
        "最近 90 天联系客服的次数",
    ),
    _info(
        "days_since_last_service",
        "days",
        "Days since the last customer-service contact",
        "距上次联系客服的天数",
    ),
    *[
        _info(
            f"negative_review_share_{d}d",
            "share",
            f"Share of the customer's reviews in the last {d} days whose text is negative",
            f"最近 {d} 天客户评价中内容为负面的比例",
        )
        for d in (90, 365)
    ],
    _info(
        "last_review_sentiment",
        "score",
        "Sentiment of the customer's last review text, from -1 (negative) to +1 (positive)",
        "客户最近一条评价内容的情感，从 -1（负面）到 +1（正面）",
    ),
    _info(
        "days_since_negative_review",
        "days",
        "Days since the customer last wrote a negative review",
        "距客户上次写负面评价的天数",
    ),
    *[
        _info(
            f"complaint_texts_{d}d",
            "count",
            f"Reviews and service messages in the last {d} days that complain (refund, late, "
            "broken, 差评 ...)",
            f"最近 {d} 天含投诉内容（退款、慢、破损、差评等）的评价和客服消息数",
        )
        for d in (90, 365)
    ],
    _info(
        "days_since_complaint",
        "days",
        "Days since the customer last complained in a review or service message",
        "距客户上次在评价或客服消息中投诉的天数",
    ),
    _info(
        "coupon_share",
        "share",
        "Share of orders with a coupon or discount in the last 365 days",
        "最近 365 天使用优惠券或折扣的订单比例",
    ),
    _info(
        "main_channel",
        "category",
        "The channel the customer uses most",
        "客户最常用的渠道",
    ),
]

CATALOGUE: dict[str, FeatureInfo] = {info.name: info for info in _FIXED}
"""Every fixed feature name with its unit and bilingual description."""

EVENT_TYPE_NAMES: dict[str, dict[str, str]] = {
    "view": {"en": "product views", "zh": "商品浏览"},
    "search": {"en": "searches", "zh": "搜索"},
    "cart": {"en": "add-to-cart events", "zh": "加购"},
    "favorite": {"en": "favourites", "zh": "收藏"},
    "purchase": {"en": "purchase events", "zh": "购买"},
    "refund": {"en": "refunds", "zh": "退款"},
    "review": {"en": "reviews", "zh": "评价"},
    "service": {"en": "service contacts", "zh": "客服咨询"},
}

_EVENT_COUNT = re.compile(r"^events_(?P<type>.+)_(?P<days>30|365)d$")
_CHANNEL_SHARE = re.compile(r"^channel_share_(?P<channel>.+)$")
_DATE_ATTRIBUTE = re.compile(r"^(?P<column>.+)_days$")


def event_type_name(event_type: str, lang: str) -> str:
    """A readable plural name for an event type; unknown types are quoted as written."""
    known = EVENT_TYPE_NAMES.get(event_type)
    if known:
        return known.get(lang, known["en"])
    return f"“{event_type}” 事件" if lang == "zh" else f"“{event_type}” events"


def humanise(column: str) -> str:
    """``membership_level`` -> ``Membership level``: a column name as words."""
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else column


def describe(name: str) -> FeatureInfo:
    """The description of any feature churnlab produces, fixed or generated."""
    if name in CATALOGUE:
        return CATALOGUE[name]
    match = _EVENT_COUNT.match(name)
    if match:
        days = match["days"]
        en = event_type_name(match["type"], "en")
        zh = event_type_name(match["type"], "zh")
        return _info(
            name, "count", f"Number of {en} in the last {days} days", f"最近 {days} 天的{zh}次数"
        )
    match = _CHANNEL_SHARE.match(name)
    if match:
        channel = match["channel"]
        return _info(
            name,
            "share",
            f"Share of the customer's events through the channel “{channel}”",
            f"通过“{channel}”渠道的行为占比",
        )
    match = _DATE_ATTRIBUTE.match(name)
    if match:
        column = match["column"]
        return _info(
            name,
            "days",
            f"Days between the customer's “{humanise(column)}” date and the cut-off",
            f"客户“{column}”日期距截止日的天数",
        )
    return _info(
        name,
        "attribute",
        f"Customer attribute “{humanise(name)}” from the customer table",
        f"客户表中的客户属性“{name}”",
    )
