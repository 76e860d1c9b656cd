"""Scoring with the committed sample model: ranking, bands, additivity, bounded exact SHAP."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from churnlab.config import ScoringConfig
from churnlab.explain import global_importance
from churnlab.ingest.loading import load_files
from churnlab.pipeline import customer_reasons, explain_customer, load_model, score
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


def test_beyond_max_explained_the_top_and_a_sample_are_exact_and_the_rest_on_demand(
    model_and_shop, exact
) -> None:
    model, shop = model_and_shop
    bounded = score(model, shop, scoring=ScoringConfig(max_explained=200, explain_sample=50))
    assert bounded.frame.get_column("churn_probability").equals(
        exact.frame.get_column("churn_probability")
    )
    mask = bounded.explained_mask()
    assert mask[:200].all() and int(mask.sum()) == 250
    np.testing.assert_allclose(bounded.shap_values[mask], exact.shap_values[mask], atol=1e-9)
    assert np.isnan(bounded.shap_values[~mask]).all()
    reasons = bounded.frame.get_column("reason_1")
    assert (reasons.filter(pl.Series(~mask)) == "").all()
    assert bounded.frame.head(200).equals(exact.frame.head(200))
    far_down = int(np.flatnonzero(~mask)[-1])
    np.testing.assert_allclose(
        explain_customer(model, bounded, far_down), exact.shap_values[far_down], atol=1e-9
    )
    importance = global_importance(bounded.shap_values, bounded.feature_names)
    assert np.isfinite(importance.get_column("mean_abs_shap").to_numpy()).all()


def test_the_explained_sample_is_the_same_every_time(model_and_shop) -> None:
    model, shop = model_and_shop
    config = ScoringConfig(max_explained=100, explain_sample=30)
    first, second = score(model, shop, scoring=config), score(model, shop, scoring=config)
    assert np.array_equal(first.explained_mask(), second.explained_mask())


def test_scores_do_not_depend_on_events_after_the_scoring_date(model_and_shop) -> None:
    import datetime as dt

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


def test_reasons_far_down_a_long_list_are_written_on_demand(model_and_shop, exact) -> None:
    model, shop = model_and_shop
    bounded = score(model, shop, scoring=ScoringConfig(max_explained=200, explain_sample=50))
    assert bounded.reasons_stop_at() == 200 and exact.reasons_stop_at() is None
    far_down = int(np.flatnonzero(~bounded.explained_mask())[-1])
    contributions = explain_customer(model, bounded, far_down)
    on_demand = customer_reasons(bounded, far_down, contributions)
    in_full_list = customer_reasons(exact, far_down, exact.shap_values[far_down])
    assert on_demand and on_demand == in_full_list


def test_rows_a_view_or_export_shows_get_the_reasons_of_the_full_list(
    model_and_shop, exact
) -> None:
    """The app explains its list's top at once and other rows when they are shown or
    exported: a filtered, re-sorted view gets exactly the reasons a full explanation writes."""
    from churnlab.pipeline import ranks_without_reasons, with_missing_reasons

    model, shop = model_and_shop
    bounded = score(model, shop, scoring=ScoringConfig(max_explained=100, explain_sample=0))
    view = bounded.frame.filter(pl.col("rank") % 3 == 0).sort("rank", descending=True)
    missing = ranks_without_reasons(bounded, view, limit=40)
    assert len(missing) == 40  # the last 40 of the view are all below the top 100
    assert ranks_without_reasons(bounded, bounded.frame.head(100)) == []

    filled = with_missing_reasons(model, bounded, view, limit=40)
    assert filled.get_column("rank").equals(view.get_column("rank"))  # order kept
    expected = exact.frame.join(view.select("rank"), on="rank", how="semi").sort(
        "rank", descending=True
    )
    reasons = ["reason_1", "reason_2", "reason_3"]
    assert filled.head(40).select(reasons).equals(expected.head(40).select(reasons))
    assert (filled.get_column("reason_1").head(40) != "").any()
    # rows past the limit stay as the list left them
    assert filled.slice(40).equals(view.slice(40))


def test_equal_probabilities_are_ranked_by_customer_id() -> None:
    """The list's order is total: equal risk is ordered by the id as text, so the same data
    gives the same list (and the same top rows to contact) on every run."""
    from churnlab.pipeline import _ranking

    probability = np.array([0.2, 0.9, 0.2, 0.9, 0.5])
    ids = pl.Series(["b", "z", "a", "y", "c"])
    assert _ranking(probability, ids).tolist() == [3, 1, 4, 2, 0]
    numbers = pl.Series([30, 4, 200, 1, 5])  # as text: "1" < "200" < "30" < "4"
    assert _ranking(np.full(5, 0.5), numbers).tolist() == [3, 2, 0, 1, 4]
