"""Plain-language reasons: positive contributions only, grouped, both languages, own values."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from churnlab.errors import ModelError
from churnlab.reasons import reasons_for_rows

NAMES = [
    "recency_days",
    "days_since_last_purchase",
    "gap_mean_days",
    "spend_trend_90d",
    "spend_90d",
    "spend_180d",
    "rating_min",
    "days_since_low_rating",
    "service_contacts_90d",
    "coupon_share",
    "membership_level",
    "events_view_30d",
    "events_view_365d",
]
FRAME = pl.DataFrame(
    {
        "customer_id": ["1", "2", "3"],
        "recency_days": [84.0, 5.0, 30.0],
        "days_since_last_purchase": [84.0, 5.0, 30.0],
        "gap_mean_days": [21.0, 10.0, None],
        "spend_trend_90d": [-0.5, 0.2, 0.0],
        "spend_90d": [30.0, 120.0, 0.0],
        "spend_180d": [130.0, 220.0, 0.0],
        "rating_min": [1.0, None, 4.0],
        "days_since_low_rating": [12.0, None, None],
        "service_contacts_90d": [3.0, 0.0, 1.0],
        "coupon_share": [0.9, 0.2, None],
        "membership_level": ["regular", "gold", None],
        "events_view_30d": [0.0, 14.0, 2.0],
        "events_view_365d": [40.0, 80.0, 9.0],
    }
)


def contributions(row: dict[str, float], n: int = 3) -> np.ndarray:
    out = np.zeros((n, len(NAMES)))
    for name, value in row.items():
        out[:, NAMES.index(name)] = value
    return out


def test_top_reasons_from_own_values_in_order() -> None:
    c = contributions(
        {
            "days_since_last_purchase": 0.9,
            "gap_mean_days": 0.2,
            "spend_trend_90d": 0.5,
            "days_since_low_rating": 0.4,
            "service_contacts_90d": 0.1,
        }
    )
    reasons = reasons_for_rows(FRAME, c, NAMES, k=3)
    assert reasons[0] == [
        "No purchase for 84 days; usually orders every 21 days",
        # spend fell from 100 (days 91-180) to 30: 70 %
        "Spend in the last 90 days fell 70 % against the 90 days before",
        "Gave a 1-star rating 12 days ago",
    ]
    assert reasons[1][0] == "No purchase for 5 days; usually orders every 10 days"
    assert reasons[2][0] == "No purchase for 30 days"  # no usual gap known


def test_only_positive_contributions_and_fewer_reasons() -> None:
    c = contributions({"service_contacts_90d": 0.3, "coupon_share": -2.0, "recency_days": 0.0})
    reasons = reasons_for_rows(FRAME, c, NAMES, k=3)
    assert reasons[0] == ["Contacted customer service 3 times in the last 90 days"]
    c[1, :] = -1.0
    assert reasons_for_rows(FRAME, c, NAMES)[1] == []


def test_related_features_give_one_reason() -> None:
    names = ["recency_days", "gap_ratio", "gap_mean_days", "coupon_share"]
    frame = FRAME.select("customer_id", "recency_days", "gap_mean_days", "coupon_share")
    frame = frame.with_columns(gap_ratio=pl.col("recency_days") / pl.col("gap_mean_days"))
    c = np.tile([0.8, 0.7, 0.6, 0.1], (3, 1))
    reasons = reasons_for_rows(frame, c, names, k=3)
    assert reasons[0] == [
        "No purchase for 84 days; usually orders every 21 days",
        "Only buys with coupons (90 % of orders)",
    ]
    assert reasons[1][1] == "Uses coupons on 20 % of orders"


def test_activity_recency_when_purchases_are_separate() -> None:
    """With a broader activity, recency_days is about any activity, not purchases."""
    names = ["recency_days", "days_since_last_purchase"]
    frame = pl.DataFrame({"recency_days": [4.0], "days_since_last_purchase": [60.0]})
    reasons = reasons_for_rows(frame, np.array([[0.5, 0.4]]), names, k=3)
    assert reasons[0] == ["No activity for 4 days", "No purchase for 60 days"]


def test_both_languages_and_attributes() -> None:
    c = contributions({"membership_level": 0.5, "events_view_30d": 0.4})
    en = reasons_for_rows(FRAME, c, NAMES, k=2, lang="en")
    zh = reasons_for_rows(FRAME, c, NAMES, k=2, lang="zh")
    assert en[0] == [
        "Membership level: regular",
        "0 product views in the last 30 days, 40 in the last 365 days",
    ]
    assert zh[0][0] == "membership_level：regular"
    assert "商品浏览" in zh[0][1] and "40" in zh[0][1]
    assert en[2][0] == "Membership level: unknown"
    for a, b in zip(en, zh, strict=True):
        assert a != b


def test_chinese_phrases() -> None:
    c = contributions({"days_since_last_purchase": 0.9, "days_since_low_rating": 0.4})
    zh = reasons_for_rows(FRAME, c, NAMES, k=2, lang="zh")
    assert zh[0] == ["已 84 天没有购买；通常每 21 天下单一次", "12 天前给出了 1 星评价"]


def test_deterministic_and_fast_enough() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    frame = pl.concat([FRAME] * (n // 3 + 1)).head(n)
    c = rng.normal(size=(n, len(NAMES)))
    first = reasons_for_rows(frame, c, NAMES, k=3, lang="zh")
    assert first == reasons_for_rows(frame, c, NAMES, k=3, lang="zh")
    positives = (c > 0).sum(axis=1)
    assert all(len(r) <= min(3, p) for r, p in zip(first, positives, strict=True))
    assert all(len(r) >= 1 for r, p in zip(first, positives, strict=True) if p)


def test_shape_mismatch_is_refused() -> None:
    with pytest.raises(ModelError, match="do not match"):
        reasons_for_rows(FRAME, np.zeros((2, len(NAMES))), NAMES)


def test_a_tiny_chance_of_still_buying_is_not_written_as_zero_percent() -> None:
    from churnlab.reasons import _still_buying

    assert "Less than a 1 %" in _still_buying({"bgnbd_p_alive": 0.001}, "en")
    assert "不到 1%" in _still_buying({"bgnbd_p_alive": 0.001}, "zh")
    assert "Only a 22 %" in _still_buying({"bgnbd_p_alive": 0.22}, "en")
