"""Scoring with the committed sample model: ranking, bands, additivity, bounded exact SHAP."""

from __future__ import annotations

import numpy as np
import pytest

from churnlab.config import ScoringConfig
from churnlab.loading import load_files
from churnlab.pipeline import load_model, score
from churnlab.sample import SAMPLE_MODEL_DIR, sample_paths


@pytest.fixture(scope="module")
def model_and_shop():
    return load_model(SAMPLE_MODEL_DIR), load_files(sample_paths())


@pytest.fixture(scope="module")
def exact(model_and_shop):
    model, shop = model_and_shop
    return score(model, shop)


def test_list_is_ranked_by_risk_with_reasons(exact) -> None:
    p = exact.frame.get_column("churn_probability").to_numpy()
    assert np.all(np.diff(p) <= 0)
    assert exact.frame.get_column("rank").to_list() == list(range(1, exact.frame.height + 1))
    high = exact.frame.filter(exact.frame["risk_band"] == "High")
    assert high.height > 0 and (high.get_column("reason_1") != "").all()


def test_contributions_add_up_to_each_score(model_and_shop, exact) -> None:
    model, _ = model_and_shop
    X = exact.features.select(model.feature_names)
    logit = model.model.predict_logit(X)
    assert np.allclose(exact.base_value + exact.shap_values.sum(axis=1), logit, atol=1e-4)


def test_beyond_max_explained_the_top_stays_exact_and_the_rest_adds_up(
    model_and_shop, exact
) -> None:
    model, shop = model_and_shop
    bounded = score(model, shop, scoring=ScoringConfig(max_explained=200))
    assert bounded.frame.get_column("churn_probability").equals(
        exact.frame.get_column("churn_probability")
    )
    np.testing.assert_allclose(bounded.shap_values[:200], exact.shap_values[:200], atol=1e-9)
    assert not np.allclose(bounded.shap_values[200:], exact.shap_values[200:])
    X = bounded.features.select(model.feature_names)
    logit = model.model.predict_logit(X)
    assert np.allclose(bounded.base_value + bounded.shap_values.sum(axis=1), logit, atol=1e-4)
    assert bounded.frame.head(200).equals(exact.frame.head(200))


def test_scores_do_not_depend_on_events_after_the_scoring_date(model_and_shop) -> None:
    import datetime as dt

    import polars as pl

    model, shop = model_and_shop
    as_of = dt.date(2026, 9, 1)
    before = score(model, shop, scoring=ScoringConfig(as_of=as_of))
    trimmed = type(shop)(
        events=shop.events.filter(pl.col("timestamp") < dt.datetime(2026, 9, 1)),
        customers=shop.customers,
        tables=shop.tables,
        source=shop.source,
    )
    after = score(model, trimmed, scoring=ScoringConfig(as_of=as_of))
    assert before.as_of == as_of
    assert before.frame.equals(after.frame)
