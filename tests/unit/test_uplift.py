"""Uplift targeting: Qini beats random on the sample's known effect; the planner ranks by gain."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from churnlab.campaign import plan_campaign
from churnlab.errors import DataError
from churnlab.holdout import read_campaign
from churnlab.ingest.loading import load_files
from churnlab.results import measure
from churnlab.sample_campaign import sample_campaign_paths, true_segments
from churnlab.uplift import MIN_PER_GROUP, fit_uplift, fold_ids, plan_by_uplift, qini_curve


@pytest.fixture(scope="module")
def sample_outcomes() -> pl.DataFrame:
    campaign_path, export_path = sample_campaign_paths()
    return measure(read_campaign(campaign_path), load_files([export_path]).events).outcomes


@pytest.fixture(scope="module")
def model(sample_outcomes):
    return fit_uplift(sample_outcomes, seed=0, campaign_id="sample")


def test_qini_of_a_perfect_ranking_is_the_true_gain_and_random_is_a_line() -> None:
    # 4 treated who stay, 4 controls who churn: targeting the treated first keeps all 4
    groups = np.array(["treatment"] * 4 + ["control"] * 4)
    churned = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    share, q = qini_curve(np.arange(8)[::-1], groups, churned)
    assert share[0] == 0 and share[-1] == 1
    assert q[4] == 4.0 and q[-1] == 4.0


def test_the_uplift_model_beats_random_and_risk_targeting_on_the_sample(model) -> None:
    area = model.qini["area"]
    assert area["uplift"] > area["random"] == 0.0
    assert area["uplift"] > 2 * area["risk"]  # risk finds churners, not the ones the offer keeps
    assert model.qini["held_out"] == model.qini["treatment"] + model.qini["control"]


def test_the_qini_is_deterministic_and_the_split_is_balanced(model, sample_outcomes) -> None:
    again = fit_uplift(sample_outcomes, seed=0, campaign_id="sample")
    assert again.qini == model.qini
    groups = sample_outcomes.filter(pl.col("group") != "not_selected")["group"].to_numpy()
    folds = fold_ids(groups, seed=0)
    for group in ("treatment", "control"):
        counts = np.bincount(folds[groups == group])
        assert counts.max() - counts.min() <= 1


def test_the_estimated_effect_separates_the_true_segments(model, sample_outcomes) -> None:
    effect = model.effect(sample_outcomes)
    segment = true_segments(sample_outcomes)
    helped = effect[segment == "helped"].mean()
    pushed = effect[segment == "pushed"].mean()
    none = effect[segment == "none"].mean()
    assert helped > none > pushed
    assert pushed < 0 < helped


def test_too_few_customers_are_refused_with_the_minimum(sample_outcomes) -> None:
    small = sample_outcomes.filter(pl.col("group") != "not_selected").head(150)
    with pytest.raises(DataError, match=f"at least {MIN_PER_GROUP}"):
        fit_uplift(small)


def test_the_planner_ranks_by_expected_incremental_gain(model, sample_outcomes) -> None:
    keep = ["customer_id", "churn_probability", "risk_band", "monetary"]
    scored = sample_outcomes.select(*keep, *(f for f in model.features[2:] if f not in keep))
    plan = plan_by_uplift(scored, None, model)
    net = plan.frame["expected_net_gain"].to_numpy()
    assert (np.diff(net[: plan.best_n]) <= 1e-9).all()  # ranked by gain
    assert plan.planned_n == plan.best_n == int((net > 0).sum())
    assert "estimated_effect" in plan.frame.columns
    planned = plan.frame.filter(pl.col("planned"))
    assert (planned["estimated_effect"] > 0).all()
    by_risk = plan_campaign(scored)
    chosen_by_uplift = set(planned["customer_id"])
    chosen_by_risk = set(by_risk.frame.filter(pl.col("planned"))["customer_id"])
    assert chosen_by_uplift != chosen_by_risk
