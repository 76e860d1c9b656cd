"""Customer tables: the trees blended with a logistic regression (table_tuning._blend)."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from churnlab import table_tuning
from churnlab.config import TrainingConfig
from churnlab.model import ChurnModel, auc
from churnlab.training import train_on_feature_set

CONFIG = TrainingConfig(seed=3, tuning_seconds=120, max_trials=4, tuning_patience=2)


def smooth_table(n: int, seed: int) -> pl.DataFrame:
    """Churn rises smoothly with the monthly charge (trees approximate it in steps), steps
    down with a long contract, and the plan matters by itself."""
    rng = np.random.default_rng(seed)
    charge = rng.normal(60, 25, n)
    contract = rng.choice(["month", "one year", "two year"], n, p=[0.5, 0.3, 0.2])
    plan = rng.choice(["basic", "plus", None], n, p=[0.6, 0.3, 0.1])
    logit = 0.045 * (charge - 60) - 1.6 * (contract != "month") + 0.6 * (plan == "plus") - 0.9
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pl.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "cutoff": pl.Series([None] * n, dtype=pl.Date),
            "monthly_charge": charge,
            "contract": contract,
            "plan": plan,
            "label": churned.astype(np.int8),
        }
    )


class TableSet:
    """The attributes of a ``FeatureSet`` that training reads."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.feature_names = ["monthly_charge", "contract", "plan"]
        self.categorical = ["contract", "plan"]
        self.plan = None


@pytest.fixture(scope="module")
def trained():
    return train_on_feature_set(TableSet(smooth_table(2500, 1)), CONFIG)


def test_a_smooth_effect_gets_the_blend(trained) -> None:
    weight = trained.params["linear_blend"]
    chosen = next(t for t in trained.trials if t["chosen"])
    assert weight > 0 and chosen["linear_weight"] == weight
    model = trained.model
    assert model.linear_ is not None and model.linear_weight_ == weight
    assert model.linear_.columns == ["monthly_charge", "contract", "plan"]
    # the blend outranks the plain peers on the hold-out
    metrics = trained.metrics
    for peer in ("xgboost_depth3", "xgboost_depth6"):
        assert metrics["model"]["roc_auc"] > metrics[peer]["roc_auc"]
        assert metrics["model"]["log_loss"] < metrics[peer]["log_loss"]


def test_blended_explanations_add_up_and_survive_a_bundle(trained) -> None:
    model = trained.model
    X = smooth_table(300, 2).select(["monthly_charge", "contract", "plan"])
    values, base = model.contributions(X)
    assert np.allclose(base + values.sum(axis=1), model.predict_logit(X), atol=1e-6)
    # the charge's share rises with the charge: the regression's smooth part is in it
    charge = X["monthly_charge"].to_numpy()
    assert np.corrcoef(charge, values[:, 0])[0, 1] > 0.9
    state = json.loads(json.dumps(model.get_state()))
    again = ChurnModel.from_state(state, model.booster_)
    assert np.array_equal(again.predict_proba(X), model.predict_proba(X))
    assert np.allclose(again.contributions(X)[0], values)
    without = dict(state, table_linear=None)
    assert not np.allclose(
        ChurnModel.from_state(without, model.booster_).predict_logit(X), model.predict_logit(X)
    )


def test_the_blend_is_refused_when_it_ranks_worse(monkeypatch) -> None:
    rng = np.random.default_rng(4)
    n = 3000
    y = (rng.random(n) < 0.3).astype(np.int8)
    trees = np.where(y == 1, 1.0, -1.0) + rng.normal(0, 1.0, n)
    fold = table_tuning.stratified_folds(y, 5, 0)
    slope_trees = table_tuning.platt(trees, y)[0]
    X = pl.DataFrame({"x": rng.normal(size=n)})
    # a regression that adds information: kept, weighted like the calibrated trees
    helpful = np.where(y == 1, 1.0, -1.0) + rng.normal(0, 1.0, n)
    monkeypatch.setattr(table_tuning, "_linear_out_of_fold", lambda *a: helpful)
    slope, weight = table_tuning._blend(X, y, [], fold, trees, slope_trees)
    assert weight == pytest.approx(1 / table_tuning.platt(trees, y)[0])
    assert auc(y, trees + weight * helpful) > auc(y, trees) + 0.02 and slope > 0
    # one that is mostly noise at the trees' scale: refused
    noise = rng.normal(0, 3.0, n) + 0.1 * helpful
    monkeypatch.setattr(table_tuning, "_linear_out_of_fold", lambda *a: noise)
    assert table_tuning._blend(X, y, [], fold, trees, slope_trees) is None
    # no regression possible: trees alone
    monkeypatch.setattr(table_tuning, "_linear_out_of_fold", lambda *a: None)
    assert table_tuning._blend(X, y, [], fold, trees, slope_trees) is None
