"""Baselines: recency rule, RFM logistic regression, logistic regression for customer tables."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from churnlab.baselines import RecencyBaseline, RfmLogisticBaseline, TableLogisticBaseline
from churnlab.errors import DataError, ModelError


def rfm_frame(n: int, seed: int) -> tuple[pl.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    recency = rng.exponential(60, n)
    frequency = rng.poisson(3, n).astype(float)
    monetary = frequency * rng.gamma(2, 30, n)
    logit = 1.2 * (np.log1p(recency) - 3.5) - 0.8 * (np.log1p(frequency) - 1.2)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    frame = pl.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "recency_days": recency,
            "frequency": frequency,
            "monetary": monetary,
        }
    )
    return frame, y


def test_recency_baseline_is_monotone_in_recency() -> None:
    X, y = rfm_frame(500, 1)
    model = RecencyBaseline().fit(X, y)
    grid = pl.DataFrame({"recency_days": [0.0, 10.0, 100.0, 1000.0]})
    p = model.predict_proba(grid)
    assert p.shape == (4,)
    assert np.all(np.diff(p) > 0)
    assert roc_auc_score(y, model.predict_proba(X)) > 0.6


def test_recency_missing_is_treated_as_longest_gap() -> None:
    X, y = rfm_frame(300, 2)
    model = RecencyBaseline().fit(X, y)
    p = model.predict_proba(
        pl.DataFrame({"recency_days": [None, 0.0]}, schema={"recency_days": pl.Float64})
    )
    assert p[0] > p[1]


def test_rfm_baseline_beats_recency_when_frequency_matters() -> None:
    X, y = rfm_frame(2000, 3)
    Xt, yt = rfm_frame(2000, 4)
    rec = roc_auc_score(yt, RecencyBaseline().fit(X, y).predict_proba(Xt))
    rfm = roc_auc_score(yt, RfmLogisticBaseline().fit(X, y).predict_proba(Xt))
    assert rfm > rec + 0.01


def test_rfm_handles_missing_and_negative_values() -> None:
    X, y = rfm_frame(200, 5)
    model = RfmLogisticBaseline().fit(X, y)
    odd = pl.DataFrame(
        {"recency_days": [None, 5.0], "frequency": [None, 2.0], "monetary": [-10.0, None]},
        schema={"recency_days": pl.Float64, "frequency": pl.Float64, "monetary": pl.Float64},
    )
    p = model.predict_proba(odd)
    assert p.shape == (2,) and np.all(np.isfinite(p)) and np.all((p > 0) & (p < 1))


def test_baselines_refuse_one_class_missing_columns_and_unfitted_use() -> None:
    X, y = rfm_frame(50, 6)
    with pytest.raises(DataError, match="both churned and retained"):
        RfmLogisticBaseline().fit(X, np.zeros(len(X)))
    with pytest.raises(DataError, match="monetary"):
        RfmLogisticBaseline().fit(X.drop("monetary"), y)
    with pytest.raises(ModelError, match="not been trained"):
        RecencyBaseline().predict_proba(X)


def table(n: int, seed: int) -> tuple[pl.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    tenure = rng.uniform(0, 60, n)
    levels = ["gold", "silver", "bronze"] + [f"rare{i}" for i in range(30)]
    tier = rng.choice(levels, n, p=[0.3, 0.3, 0.3] + [0.1 / 30] * 30)
    logit = -0.05 * (tenure - 30) + np.where(tier == "bronze", 1.5, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    tenure_missing = np.where(rng.random(n) < 0.1, np.nan, tenure)
    frame = pl.DataFrame({"tenure": tenure_missing, "tier": tier}).with_columns(
        pl.col("tenure").fill_nan(None),
        pl.when(pl.int_range(pl.len()) % 17 == 0)
        .then(None)
        .otherwise(pl.col("tier"))
        .alias("tier"),
    )
    return frame, y


def test_table_baseline_one_hot_with_level_cap() -> None:
    X, y = table(800, 7)
    model = TableLogisticBaseline(max_levels=5).fit(X, y, categorical=["tier"])
    assert model.numeric_ == ["tenure"] and model.categorical_ == ["tier"]
    assert len(model.levels_["tier"]) == 5
    assert {"gold", "silver", "bronze"} <= set(model.levels_["tier"])
    Xt, yt = table(800, 8)
    assert roc_auc_score(yt, model.predict_proba(Xt)) > 0.65
    unseen = pl.DataFrame({"tenure": [None, 10.0], "tier": ["platinum", None]})
    p = model.predict_proba(unseen)
    assert p.shape == (2,) and np.all(np.isfinite(p))


def test_table_baseline_detects_string_columns_itself() -> None:
    X, y = table(300, 9)
    model = TableLogisticBaseline().fit(X, y)
    assert model.categorical_ == ["tier"]
    with pytest.raises(DataError, match="tier"):
        model.predict_proba(X.drop("tier"))


def test_table_baseline_contributions_add_up_to_its_margin() -> None:
    X, y = table(600, 11)
    model = TableLogisticBaseline(max_levels=2).fit(X, y, categorical=["tier"])
    values, base = model.contributions(X)
    assert values.shape == (len(X), 2) and model.columns == ["tenure", "tier"]
    assert np.allclose(base + values.sum(axis=1), model.margin(X))
    # the margin is the probability's logit
    p = model.predict_proba(X)
    assert np.allclose(model.margin(X), np.log(p / (1 - p)))
    # against the average training row: each column's shares average to about zero
    assert np.allclose(values.mean(axis=0), 0.0, atol=1e-9)


def test_table_baseline_state_round_trip() -> None:
    X, y = table(500, 12)
    model = TableLogisticBaseline(max_levels=3).fit(X, y, categorical=["tier"])
    state = json.loads(json.dumps(model.to_state()))
    again = TableLogisticBaseline.from_state(state)
    assert np.array_equal(again.margin(X), model.margin(X))
    assert np.array_equal(again.contributions(X)[0], model.contributions(X)[0])
    state["coef"] = state["coef"][:-1]
    with pytest.raises(ValueError):
        TableLogisticBaseline.from_state(state)
