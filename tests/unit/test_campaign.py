"""Campaign economics on hand-computed cases."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from churnlab.campaign import (
    AUTOMATED_COUPON,
    MONITOR,
    NO_ACTION,
    PERSONAL_OUTREACH,
    customer_value,
    expected_economics,
    plan_campaign,
)
from churnlab.config import CampaignConfig
from churnlab.errors import ConfigError, DataError


def scored(rows: list[tuple[str, float, str, float]]) -> pl.DataFrame:
    ids, p, band, spend = zip(*rows, strict=True)
    return pl.DataFrame(
        {"customer_id": ids, "churn_probability": p, "risk_band": band, "monetary": spend}
    )


CONFIG = CampaignConfig(
    margin=0.5, save_rate=0.2, offer_cost=10.0, contact_cost=1.0, discount_rate=0.0
)


def test_expected_net_gain_matches_the_formula_by_hand() -> None:
    # p=0.5, V=1000: gain = 0.5*0.2*1000*0.5 = 50; redeem = 0.5 + 0.1 = 0.6;
    # cost = 1 + 0.6*10 = 7; net = 43.
    gain, cost, net = expected_economics(
        np.array([0.5]), np.array([1000.0]), np.array([0.0]), CONFIG
    )
    assert gain[0] == pytest.approx(50.0)
    assert cost[0] == pytest.approx(7.0)
    assert net[0] == pytest.approx(43.0)


def test_discount_applies_to_the_average_order_of_redeemers() -> None:
    config = CampaignConfig(
        margin=0.5, save_rate=0.2, offer_cost=0.0, contact_cost=0.0, discount_rate=0.1
    )
    _, cost, _ = expected_economics(np.array([0.5]), np.array([0.0]), np.array([200.0]), config)
    assert cost[0] == pytest.approx(0.6 * 0.1 * 200.0)


def test_value_scales_recent_spend_to_the_value_period() -> None:
    assert customer_value(np.array([365.0, np.nan]), 365, 90).tolist() == [90.0, 0.0]


def test_ranking_is_by_net_gain_not_probability_and_best_n_counts_positive_nets() -> None:
    frame = scored(
        [
            ("risky_poor", 0.9, "High", 10.0),  # gain 0.9 → net ≈ 0.9-1-1.8*... < 0
            ("medium_rich", 0.4, "Medium", 5000.0),  # gain 200 → positive
            ("risky_rich", 0.8, "High", 2000.0),  # gain 160 → positive
            ("safe", 0.02, "Low", 100.0),
        ]
    )
    plan = plan_campaign(frame, CONFIG)
    order = plan.frame.get_column("customer_id").to_list()
    assert order[:2] == ["medium_rich", "risky_rich"]
    nets = plan.frame.get_column("expected_net_gain").to_numpy()
    assert np.all(np.diff(nets) <= 1e-9)
    assert plan.best_n == int((nets > 0).sum()) == 2
    assert plan.planned_n == 2
    # The profit curve peaks at the best N.
    curve = plan.curve.get_column("cumulative_net_gain").to_numpy()
    assert int(np.argmax(curve)) == plan.best_n


def test_budget_caps_the_number_contacted() -> None:
    frame = scored([(f"c{i}", 0.6, "High", 3000.0) for i in range(10)])
    # cost each = 1 + (0.4 + 0.12) * 10 = 6.2; a budget of 20 allows 3.
    plan = plan_campaign(frame, CampaignConfig(**{**CONFIG.__dict__, "budget": 20.0}))
    assert plan.budget_n == 3
    assert plan.planned_n == 3
    assert plan.summary["cost"] == pytest.approx(3 * 6.2)
    assert plan.summary["contacted"] == 3


def test_min_risk_excludes_low_probability_customers() -> None:
    frame = scored([("a", 0.05, "Low", 1e6), ("b", 0.5, "High", 1000.0)])
    plan = plan_campaign(frame, CampaignConfig(**{**CONFIG.__dict__, "min_risk": 0.1}))
    planned = plan.frame.filter(pl.col("planned")).get_column("customer_id").to_list()
    assert planned == ["b"]


def test_summary_adds_up() -> None:
    frame = scored([("a", 0.5, "High", 1000.0), ("b", 0.3, "Medium", 500.0)])
    plan = plan_campaign(frame, CONFIG)
    s = plan.summary
    assert s["contacted"] == 2
    assert s["expected_churners_reached"] == pytest.approx(0.8)
    assert s["expected_customers_kept"] == pytest.approx(0.16)
    assert s["revenue_kept"] == pytest.approx(0.5 * 0.2 * 1000 + 0.3 * 0.2 * 500)
    assert s["net_gain"] == pytest.approx(s["margin_kept"] - s["cost"])
    assert s["roi"] == pytest.approx(s["net_gain"] / s["cost"])


def test_actions_follow_the_rules() -> None:
    rows = [(f"v{i}", 0.9, "High", 100.0) for i in range(8)]
    rows += [("vip", 0.9, "High", 100000.0), ("mid", 0.3, "Medium", 1.0), ("low", 0.01, "Low", 1.0)]
    plan = plan_campaign(scored(rows), CONFIG)
    action = dict(plan.frame.select("customer_id", "recommended_action").iter_rows())
    assert action["vip"] == PERSONAL_OUTREACH
    assert action["v0"] == AUTOMATED_COUPON
    assert action["mid"] == MONITOR
    assert action["low"] == NO_ACTION


def test_plan_is_deterministic_with_ties() -> None:
    frame = scored([(f"c{i}", 0.5, "High", 1000.0) for i in range(20)])
    first = plan_campaign(frame, CONFIG).frame
    second = plan_campaign(frame.sample(fraction=1.0, shuffle=True, seed=3), CONFIG).frame
    assert first.equals(second)


def test_errors_speak_plainly() -> None:
    with pytest.raises(ConfigError, match="margin"):
        plan_campaign(scored([("a", 0.5, "High", 1.0)]), CampaignConfig(margin=2.0))
    with pytest.raises(DataError, match="spend"):
        plan_campaign(scored([("a", 0.5, "High", 1.0)]).drop("monetary"), CONFIG)


def test_assumptions_read_in_the_chosen_language() -> None:
    from churnlab.campaign import describe_assumptions

    config = CampaignConfig(budget=5000.0, margin=0.4)
    english, chinese = describe_assumptions(config), describe_assumptions(config, "zh")
    assert "margin 40%" in english and "budget ¥5,000" in english
    assert "40%" in chinese and "¥5,000" in chinese and "margin" not in chinese
    no_budget = describe_assumptions(CampaignConfig(), "zh")
    assert "¥5,000" not in no_budget and no_budget != describe_assumptions(CampaignConfig())
    assert "budget none" in describe_assumptions(CampaignConfig())
