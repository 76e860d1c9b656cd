"""A customer table's spend for the campaign planner (churnlab.spend)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from churnlab.campaign import plan_campaign
from churnlab.config import ScoringConfig, Settings, TrainingConfig
from churnlab.errors import DataError
from churnlab.features import build_table_set
from churnlab.pipeline import score_feature_set, train_feature_set
from churnlab.report import executive_summary, report_facts
from churnlab.spend import (
    PERIOD_DAYS,
    SpendSource,
    guess_spend_source,
    period_of,
    spend_columns,
    spend_over,
    with_spend,
)


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("MonthlyCharges", "month"),
        ("avg_monthly_spend", "month"),
        ("Monthly Revenue", "month"),
        ("Annual Spend", "year"),
        ("yearly_fee", "year"),
        ("weekly_sales", "week"),
        ("QuarterlyBilling", "quarter"),
        ("月消费", "month"),
        ("月均消费金额", "month"),
        ("年消费额", "year"),
    ],
)
def test_a_name_that_says_money_and_a_period_is_spend(name: str, period: str) -> None:
    assert period_of(name) == period


@pytest.mark.parametrize(
    "name",
    [
        "TotalCharges",  # money over an unknown span
        "CashbackAmount",
        "total_day_charge",  # daytime calls, not a day
        "HourSpendOnApp",  # hours
        "OrderAmountHikeFromlastYear",  # a growth rate
        "monthly_spend_growth_rate",
        "MonthsSinceLastPurchase",
        "monthly_to_yearly_fee",  # two periods: unclear
        "tenure",
        "消费次数",  # a count
        "月消费增长率",  # a rate
    ],
)
def test_other_names_are_not_spend(name: str) -> None:
    assert period_of(name) is None


def test_the_guess_prefers_a_monthly_amount_and_skips_unusable_columns() -> None:
    features = pl.DataFrame(
        {
            "annual_fee": [120.0, 60.0],
            "monthly_bill_change": [-5.0, 3.0],  # "change": not spend
            "MonthlyCharges": [10.0, 5.0],
            "monthly_spend_text": ["a", "b"],  # not a number
            "weekly_spend": [-1.0, 2.0],  # negative: not an amount spent
            "yearly_spend": pl.Series([None, None], dtype=pl.Float64),  # all empty
        }
    )
    names = list(features.columns)
    assert spend_columns(features, names) == ["annual_fee", "MonthlyCharges"]
    assert guess_spend_source(features, names) == SpendSource("MonthlyCharges", "month")
    assert guess_spend_source(features, ["annual_fee"]) == SpendSource("annual_fee", "year")
    assert guess_spend_source(features, ["weekly_spend", "monthly_spend_text"]) is None


def test_spend_is_scaled_to_the_look_back_window() -> None:
    monthly = SpendSource("m", "month")
    assert spend_over(np.array([10.0, np.nan, -3.0]), monthly, 365).tolist() == [120.0, 0, 0]
    assert spend_over(np.array([70.0]), SpendSource("w", "week"), 365)[0] == pytest.approx(3650)
    assert spend_over(np.array([50.0]), SpendSource("y", "year"), 365)[0] == 50.0
    assert PERIOD_DAYS["quarter"] * 4 == PERIOD_DAYS["year"] == 365


def telco_like(rows: int = 500, seed: int = 5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 72, rows)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], rows)
    charges = rng.uniform(20, 120, rows).round(2)
    logit = 1.0 - 0.05 * tenure + (contract == "Month-to-month") * 1.2 + 0.01 * charges
    churn = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return pl.DataFrame(
        {
            "customer_id": [f"c{i:04d}" for i in range(rows)],
            "tenure": tenure,
            "Contract": contract,
            "MonthlyCharges": charges,
            "TotalCharges": (charges * tenure).round(2),
            "label": churn,
        }
    )


@pytest.fixture(scope="module")
def table_model():
    table = telco_like()
    feature_set = build_table_set(table)
    config = TrainingConfig(seed=1, max_trials=2, tuning_seconds=300)
    trained = train_feature_set(
        feature_set, "table", Settings(training=config), source="t", mapping=[]
    )
    return trained, feature_set, table


def test_a_table_list_carries_a_year_of_its_monthly_charge(table_model) -> None:
    trained, feature_set, table = table_model
    scored = score_feature_set(trained, feature_set)
    assert scored.spend == SpendSource("MonthlyCharges", "month")
    charges = dict(table.select("customer_id", "MonthlyCharges").iter_rows())
    got = scored.frame.select("customer_id", "monetary").iter_rows()
    assert all(spend == pytest.approx(12 * charges[c], abs=0.01) for c, spend in got)
    plan = plan_campaign(scored.frame, lookback_days=trained.definition.lookback_days)
    assert plan.planned_n > 0
    assert plan.frame.get_column("customer_value").max() == pytest.approx(
        12 * table.get_column("MonthlyCharges").max(), abs=0.01
    )
    summary = executive_summary(report_facts(trained, scored, plan))[0]
    assert "customers in the table" in summary and "of yearly spend" in summary


def test_the_user_names_the_spend_or_none(table_model) -> None:
    trained, feature_set, table = table_model
    total = SpendSource("TotalCharges", "year")
    scored = score_feature_set(trained, feature_set, scoring=ScoringConfig(spend=total))
    assert scored.spend == total
    totals = dict(table.select("customer_id", "TotalCharges").iter_rows())
    customer, spend = scored.frame.select("customer_id", "monetary").row(0)
    assert spend == pytest.approx(totals[customer], abs=0.01)
    without = with_spend(scored, None, 365)
    assert "monetary" not in without.frame.columns and without.spend is None
    summary = executive_summary(report_facts(trained, without, None))[0]
    assert "yearly spend" not in summary
    with pytest.raises(DataError, match="cannot be the customers' spend"):
        with_spend(scored, SpendSource("Contract", "month"), 365)
    with pytest.raises(DataError, match="is not a period"):
        with_spend(scored, SpendSource("TotalCharges", "fortnight"), 365)
