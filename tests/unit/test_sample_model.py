"""The committed sample model: it loads, belongs to the committed sample, and matches the features."""

from __future__ import annotations

import pytest

from churnlab.features import build_training_set
from churnlab.ingest.loading import load_files
from churnlab.pipeline import definition_from_dict, load_model, load_or_train_sample_model
from churnlab.sample import SAMPLE_MODEL_DIR, sample_fingerprint, sample_paths

REGENERATE = "regenerate it: python -m churnlab sample --out sample_data --with-model"


@pytest.fixture(scope="module")
def sample_shop():
    return load_files(sample_paths())


def test_committed_sample_model_loads_and_belongs_to_the_sample_files() -> None:
    trained = load_model(SAMPLE_MODEL_DIR)
    assert trained.document["sample_fingerprint"] == sample_fingerprint(), REGENERATE
    baselines = ("recency", "rfm_logistic", "bgnbd")
    assert set(trained.metrics) == {"model", *baselines}
    for name in baselines:
        assert trained.metrics["model"]["roc_auc"] > trained.metrics[name]["roc_auc"] + 0.02, name
        assert trained.metrics["model"]["log_loss"] < trained.metrics[name]["log_loss"], name
    assert trained.bgnbd_params is not None  # scoring reuses the newest cut-off's fit


def test_committed_sample_model_uses_todays_feature_list(sample_shop) -> None:
    trained = load_model(SAMPLE_MODEL_DIR)
    definition = definition_from_dict(trained.document["definition"])
    features = build_training_set(sample_shop.events, sample_shop.customers, definition)
    assert features.feature_names == trained.feature_names, REGENERATE


def test_the_app_uses_the_committed_model_without_training(sample_shop, monkeypatch) -> None:
    import churnlab.pipeline as pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("the sample model was retrained")

    monkeypatch.setattr(pipeline, "train", refuse)
    trained = load_or_train_sample_model(sample_shop)
    assert trained.document["sample_fingerprint"] == sample_fingerprint()
