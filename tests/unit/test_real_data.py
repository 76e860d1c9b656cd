"""Out of time on the real CDNOW purchases (../shared/data; skipped when absent).

Protocol of ../shared/data/README.md: features from purchases before 1997-10-01,
churn = no purchase in the following 90 days, every customer with a purchase in the
prior 365 days. The model must beat the three baselines (recency, RFM logistic
regression, BG/NBD) on ROC AUC and log loss.
"""

from __future__ import annotations

import datetime as dt

import pytest

from churnlab.config import ChurnDefinition, Settings, TrainingConfig
from churnlab.ingest.loading import load_files
from churnlab.pipeline import train

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]

#: A fixed number of trials and a generous budget: the search is the same on any machine.
DETERMINISTIC = TrainingConfig(tuning_seconds=900.0, max_trials=8)


@pytest.fixture(scope="module")
def cdnow_model(cdnow_path):
    shop = load_files([cdnow_path])
    definition = ChurnDefinition(cutoff=dt.date(1997, 10, 1), horizon_days=90, lookback_days=365)
    return train(shop, Settings(churn=definition, training=DETERMINISTIC))


def test_cdnow_population_follows_the_protocol(cdnow_model) -> None:
    plan = cdnow_model.document["plan"]
    assert plan["eval_cutoff"] == "1997-10-01"
    evaluation = cdnow_model.document["cutoff_stats"][-1]
    assert evaluation["population"] == 23570  # every customer bought in the prior 365 days
    assert 0.75 < evaluation["churn_rate"] < 0.9


def test_cdnow_model_beats_all_three_baselines_out_of_time(cdnow_model) -> None:
    metrics = cdnow_model.metrics
    model = metrics["model"]
    assert set(metrics) == {"model", "recency", "rfm_logistic", "bgnbd"}
    for baseline in ("recency", "rfm_logistic", "bgnbd"):
        assert model["roc_auc"] > metrics[baseline]["roc_auc"], baseline
        assert model["log_loss"] < metrics[baseline]["log_loss"], baseline
    assert model["roc_auc"] > 0.768  # BG/NBD and a plain XGBoost on RFM (shared README)
    # our BG/NBD baseline reproduces the shared README's reference figure
    assert metrics["bgnbd"]["roc_auc"] == pytest.approx(0.768, abs=0.005)


def test_cdnow_bgnbd_parameters_are_stored_and_plausible(cdnow_model) -> None:
    """Fitted on all 23,570 customers before 1997-10-01 (the published 0.243 / 4.41 / 0.79 /
    2.43 come from a 1/10 sample with a different end date: the same order of magnitude)."""
    params = cdnow_model.bgnbd_params
    assert params is not None
    assert 0.2 < params.r < 0.3 and 3.5 < params.alpha < 5.5
    assert 0.5 < params.a < 1.0 and 1.5 < params.b < 3.0
