"""Engine helpers behind the Explanations page and the export sheet."""

from __future__ import annotations

import numpy as np
import polars as pl

from churnlab.campaign import describe_assumptions, with_action_names
from churnlab.config import CampaignConfig
from churnlab.explain import compare_groups, dependence_data, global_importance
from churnlab.export import column_notes


def test_compare_groups_counts_means_and_ignores_missing_values() -> None:
    scored = pl.DataFrame(
        {"churn_probability": [0.9, 0.7, 0.2, 0.1], "risk_band": ["High", "High", "Low", "Low"]}
    )
    features = pl.DataFrame({"spend_90d": [10.0, None, 30.0, 50.0]})
    out = compare_groups(scored, features, np.array([True, True, False, False]), ["spend_90d"])
    selected, others = out.row(0, named=True), out.row(1, named=True)
    assert selected["selected"] is True and selected["customers"] == 2
    assert selected["mean_risk"] == 0.8 and selected["high_share"] == 1.0
    assert selected["spend_90d"] == 10.0  # the missing value is not a zero
    assert others["spend_90d"] == 40.0 and others["high_share"] == 0.0


def test_importance_and_dependence_line_up_with_features() -> None:
    shap = np.array([[1.0, -0.1], [-3.0, 0.2]])
    importance = global_importance(shap, ["a", "b"])
    assert importance.get_column("feature").to_list() == ["a", "b"]
    assert importance.get_column("share").sum() == 1.0
    features = pl.DataFrame({"a": [5.0, 6.0], "b": [1.0, 2.0]})
    dependence = dependence_data(features, shap, ["a", "b"], "b")
    assert dependence.get_column("shap").to_list() == [-0.1, 0.2]
    assert dependence.get_column("value").to_list() == [1.0, 2.0]


def test_exports_describe_actions_columns_and_assumptions_in_the_readers_language() -> None:
    frame = pl.DataFrame({"recommended_action": ["monitor", "no_action"]})
    assert with_action_names(frame, "zh").get_column("recommended_action").to_list() == [
        "持续观察",
        "无需行动",
    ]
    notes = column_notes(["churn_probability", "spend_90d"], "en")
    assert "probability" in notes["churn_probability"]
    assert "90 days" in notes["spend_90d"]
    text = describe_assumptions(CampaignConfig(budget=5000.0))
    assert "margin 30%" in text and "budget ¥5,000" in text
