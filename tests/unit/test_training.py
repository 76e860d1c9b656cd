"""Out-of-time training on a synthetic FeatureSet, and training on a labelled customer table.

The FeatureSet here is a stand-in built from attributes only (duck typing), with a known
truth: churn depends on recency plus an x1*x2 interaction and a channel effect that
RFM-only baselines cannot see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl
import pytest

from churnlab.config import TrainingConfig
from churnlab.errors import DataError
from churnlab.i18n import Message, catalogue
from churnlab.model import ChurnModel
from churnlab.training import TrainResult, train_on_feature_set

CONFIG = TrainingConfig(
    seed=3, tuning_seconds=120, max_trials=2, early_stopping_rounds=10, max_trees=60
)
FEATURES = ["recency_days", "frequency", "monetary", "x1", "x2", "channel"]
CUTOFFS = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(5)]


@dataclass
class Plan:
    cutoffs: list[dt.date]
    eval_cutoff: dt.date
    validation_cutoffs: list[dt.date]
    warnings: list[str] = field(default_factory=list)


@dataclass
class FakeFeatureSet:
    frame: pl.DataFrame
    feature_names: list[str]
    categorical: list[str]
    plan: Plan | None


def synthetic_rows(n: int, rng: np.random.Generator, shift: float = 0.0) -> dict[str, np.ndarray]:
    recency = rng.exponential(60, n)
    frequency = rng.poisson(3, n).astype(float)
    monetary = frequency * rng.gamma(2, 30, n)
    x1, x2 = rng.normal(size=(2, n))
    channel = rng.choice(["web", "app", "store"], n)
    logit = (
        -0.3
        + shift
        + 0.7 * (np.log1p(recency) - 3.5)
        + 2.0 * np.sign(x1 * x2)
        + 1.0 * ((channel == "app") & (x1 > 0))
    )
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return {
        "recency_days": recency,
        "frequency": frequency,
        "monetary": monetary,
        "x1": x1,
        "x2": x2,
        "channel": channel,
        "label": label,
    }


def event_feature_set(per_cutoff: int = 300, n_validation: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    parts = []
    cutoffs = CUTOFFS[: n_validation + 1]
    for cutoff in cutoffs:
        ids = rng.choice(per_cutoff * 2, per_cutoff, replace=False)
        rows = synthetic_rows(per_cutoff, rng)
        parts.append(
            pl.DataFrame(
                {
                    "customer_id": [f"c{i:05d}" for i in ids],
                    "cutoff": [cutoff] * per_cutoff,
                    **rows,
                }
            )
        )
    frame = (
        pl.concat(parts)
        .with_columns(pl.col("label").cast(pl.Int8), pl.col("cutoff").cast(pl.Date))
        .select(["customer_id", "cutoff", "label", *FEATURES])
    )
    plan = Plan(cutoffs=cutoffs, eval_cutoff=cutoffs[-1], validation_cutoffs=cutoffs[:-1])
    return FakeFeatureSet(frame, list(FEATURES), ["channel"], plan)


@pytest.fixture(scope="module")
def events_result() -> tuple[FakeFeatureSet, TrainResult, list[tuple[float, str]]]:
    fs = event_feature_set()
    calls: list[tuple[float, str]] = []
    result = train_on_feature_set(fs, CONFIG, lambda f, m: calls.append((f, m)))
    return fs, result, calls


def test_events_result_shape(events_result) -> None:
    fs, result, _ = events_result
    assert result.mode == "events"
    assert isinstance(result.model, ChurnModel)
    assert set(result.metrics) == {"model", "recency", "rfm_logistic"}
    eval_rows = fs.frame.filter(pl.col("cutoff") == fs.plan.eval_cutoff)
    preds = result.eval_predictions
    assert preds.columns == ["customer_id", "label", "p_model", "p_recency", "p_rfm_logistic"]
    assert preds.height == eval_rows.height
    assert preds["label"].dtype == pl.Int8
    assert preds["customer_id"].to_list() == eval_rows["customer_id"].to_list()
    for metrics in result.metrics.values():
        assert metrics["n"] == eval_rows.height
        assert metrics["positives"] == int(eval_rows["label"].sum())
    assert 1 <= len(result.trials) <= CONFIG.max_trials
    assert result.n_trees == result.model.n_trees_ and result.params == result.model.params_
    assert result.seconds > 0
    # tuning fits on the cut-offs whose label windows end before the validation cut-off
    assert all(t["rows"] == 3 * 300 for t in result.trials)


def test_bgnbd_baseline_joins_when_the_features_have_it() -> None:
    fs = event_feature_set(per_cutoff=200, n_validation=3, seed=5)
    # a stand-in for BG/NBD's expected purchases: falls with recency, rises with frequency
    expected = (pl.col("frequency") + 0.5) / (1.0 + pl.col("recency_days") / 30.0)
    fs.frame = fs.frame.with_columns(expected.alias("bgnbd_expected_purchases"))
    result = train_on_feature_set(fs, CONFIG)
    assert set(result.metrics) == {"model", "recency", "rfm_logistic", "bgnbd"}
    assert result.eval_predictions.columns[-1] == "p_bgnbd"
    p = result.eval_predictions.get_column("p_bgnbd").to_numpy()
    assert np.all((p > 0) & (p < 1)) and 0.5 < result.metrics["bgnbd"]["roc_auc"] < 1.0
    # all missing (no BG/NBD fit was possible): no such baseline
    fs.frame = fs.frame.with_columns(pl.lit(None, pl.Float64).alias("bgnbd_expected_purchases"))
    assert "bgnbd" not in train_on_feature_set(fs, CONFIG).metrics


def test_cutoff_stats(events_result) -> None:
    fs, result, _ = events_result
    assert [s["cutoff"] for s in result.cutoff_stats] == [c.isoformat() for c in CUTOFFS]
    for stat, cutoff in zip(result.cutoff_stats, CUTOFFS, strict=True):
        labels = fs.frame.filter(pl.col("cutoff") == cutoff)["label"].to_numpy()
        assert stat["population"] == len(labels)
        assert stat["churners"] == int(labels.sum())
        assert stat["churn_rate"] == pytest.approx(labels.mean())


def test_progress_is_reported_in_order(events_result) -> None:
    _, _, calls = events_result
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(isinstance(m, Message) and m.key.startswith("progress.") for _, m in calls)
    english = catalogue()["en"]
    assert all(m.key in english for _, m in calls), [m.key for _, m in calls]
    # every step reads in Chinese in the app, and in English for logs and the CLI
    assert all(m.text("zh") != str(m) and str(m) for _, m in calls)
    assert "Tried 1 parameter set(s); best log loss" in [str(m).split(" 0.")[0] for _, m in calls]


def test_model_beats_both_baselines_out_of_time(events_result) -> None:
    _, result, _ = events_result
    model = result.metrics["model"]
    for name in ("recency", "rfm_logistic"):
        assert model["roc_auc"] > result.metrics[name]["roc_auc"] + 0.05, name
        assert model["log_loss"] < result.metrics[name]["log_loss"], name
    assert not any("does not clearly beat" in str(w) for w in result.warnings)


def test_final_model_is_calibrated_on_eval_cutoff(events_result) -> None:
    fs, result, _ = events_result
    eval_rows = fs.frame.filter(pl.col("cutoff") == fs.plan.eval_cutoff)
    p = result.model.predict_proba(eval_rows.select(FEATURES))
    assert abs(p.mean() - eval_rows["label"].mean()) < 0.03
    oot = result.eval_predictions["p_model"].to_numpy()
    assert abs(oot.mean() - eval_rows["label"].mean()) < 0.05


def test_final_model_uses_every_cutoff_with_more_trees(events_result) -> None:
    _, result, _ = events_result
    best = min(result.trials, key=lambda t: t["valid_logloss"])
    # fitted on 3 cut-offs x 300 rows, refit on 5 x 300: trees grow with sqrt(5 / 3)
    expected = min(CONFIG.max_trees, round(best["n_trees"] * np.sqrt(1500 / 900)))
    assert result.n_trees == expected
    assert result.model.n_trees_ == expected


def test_eval_labels_are_never_used_for_the_reported_predictions(events_result) -> None:
    fs, result, _ = events_result
    rng = np.random.default_rng(99)
    is_eval = (fs.frame["cutoff"] == fs.plan.eval_cutoff).to_numpy()
    labels = fs.frame["label"].to_numpy().copy()
    labels[is_eval] = rng.permutation(labels[is_eval])
    shuffled = FakeFeatureSet(
        fs.frame.with_columns(pl.Series("label", labels, dtype=pl.Int8)),
        fs.feature_names,
        fs.categorical,
        fs.plan,
    )
    again = train_on_feature_set(shuffled, CONFIG)
    np.testing.assert_array_equal(
        again.eval_predictions["p_model"].to_numpy(),
        result.eval_predictions["p_model"].to_numpy(),
    )
    assert again.trials == [
        {**t, "seconds": a["seconds"]} for t, a in zip(result.trials, again.trials, strict=True)
    ]


def test_tuning_fit_windows_do_not_overlap_the_validation_cutoff() -> None:
    fs = event_feature_set(per_cutoff=300, n_validation=4, seed=9)
    # a 60-day horizon: the 4th cut-off cannot be used, eval is 60 days after the 3rd
    plan = Plan(CUTOFFS[:5], CUTOFFS[4], CUTOFFS[:3])
    frame = fs.frame.filter(pl.col("cutoff") != CUTOFFS[3])
    result = train_on_feature_set(
        FakeFeatureSet(frame, fs.feature_names, fs.categorical, plan), CONFIG
    )
    assert all(t["rows"] == 300 for t in result.trials)  # only the first cut-off
    assert not result.warnings or all("sample" not in str(w) for w in result.warnings)


def test_single_validation_cutoff_uses_customer_split() -> None:
    fs = event_feature_set(per_cutoff=400, n_validation=1, seed=4)
    result = train_on_feature_set(fs, CONFIG)
    assert any("sample of customers" in str(w) for w in result.warnings)
    note = next(w for w in result.warnings if "sample of customers" in str(w))
    assert isinstance(note, Message) and "客户" in note.text("zh")
    assert result.trials[0]["rows"] == pytest.approx(0.8 * 400, abs=1)
    assert result.metrics["model"]["n"] == 400


def test_one_class_in_evaluation_is_refused() -> None:
    fs = event_feature_set(per_cutoff=200, n_validation=2, seed=5)
    frame = fs.frame.with_columns(
        pl.when(pl.col("cutoff") == fs.plan.eval_cutoff)
        .then(pl.lit(0, dtype=pl.Int8))
        .otherwise(pl.col("label"))
        .alias("label")
    )
    broken = FakeFeatureSet(frame, fs.feature_names, fs.categorical, fs.plan)
    with pytest.raises(DataError, match="evaluation"):
        train_on_feature_set(broken, CONFIG)


def test_too_few_rows_and_no_validation_cutoff_are_refused() -> None:
    fs = event_feature_set(per_cutoff=10, n_validation=2, seed=6)
    with pytest.raises(DataError, match="at least"):
        train_on_feature_set(fs, CONFIG)
    fs = event_feature_set(per_cutoff=100, n_validation=1, seed=6)
    no_validation = Plan(fs.plan.cutoffs, fs.plan.eval_cutoff, [])
    with pytest.raises(DataError, match="out of time"):
        train_on_feature_set(
            FakeFeatureSet(fs.frame, fs.feature_names, fs.categorical, no_validation), CONFIG
        )


def test_missing_feature_column_is_refused() -> None:
    fs = event_feature_set(per_cutoff=100, n_validation=1, seed=7)
    broken = FakeFeatureSet(fs.frame.drop("x2"), fs.feature_names, fs.categorical, fs.plan)
    with pytest.raises(DataError, match="x2"):
        train_on_feature_set(broken, CONFIG)


def test_labelled_customer_table() -> None:
    rng = np.random.default_rng(8)
    n = 1000
    rows = synthetic_rows(n, rng)
    frame = pl.DataFrame(
        {
            "customer_id": [f"t{i}" for i in range(n)],
            "cutoff": pl.Series([None] * n, dtype=pl.Date),
            **rows,
        }
    ).with_columns(pl.col("label").cast(pl.Int8))
    fs = FakeFeatureSet(frame, list(FEATURES), ["channel"], None)
    result = train_on_feature_set(fs, CONFIG)
    assert result.mode == "table"
    assert set(result.metrics) == {"model", "logistic", "xgboost_depth3", "xgboost_depth6"}
    preds = result.eval_predictions
    assert preds.columns == [
        "customer_id",
        "label",
        "p_model",
        "p_logistic",
        "p_xgboost_depth3",
        "p_xgboost_depth6",
    ]
    assert preds.height == pytest.approx(0.2 * n, abs=2)
    # stratified: the held-out churn rate matches the whole table's
    assert preds["label"].mean() == pytest.approx(rows["label"].mean(), abs=0.01)
    assert result.cutoff_stats == []
    # the table has RFM-named columns, yet a table gets no linear prior
    assert result.model.prior_ is None
    assert all("linear_prior" not in t["params"] for t in result.trials)
    assert result.metrics["model"]["roc_auc"] > result.metrics["logistic"]["roc_auc"]
    # cross-validated tuning tries the plain peers first and is at least as good as them
    assert [t["candidate"] for t in result.trials[:3]] == [
        "xgboost_depth3",
        "xgboost_depth6",
        "churnlab_default",
    ]
    assert all(t["folds"] == 5 and t["rows"] == 800 for t in result.trials)
    chosen = next(t for t in result.trials if t["chosen"])
    assert chosen["valid_logloss"] <= min(t["valid_logloss"] for t in result.trials[:2]) * 1.005
    for peer in ("xgboost_depth3", "xgboost_depth6"):
        assert result.metrics["model"]["log_loss"] < result.metrics[peer]["log_loss"]
    p = result.model.predict_proba(frame.select(FEATURES))
    assert p.shape == (n,)
    assert abs(p.mean() - rows["label"].mean()) < 0.05


def test_events_search_the_linear_prior_and_the_final_model_follows(events_result) -> None:
    _, result, _ = events_result
    flags = [t["params"]["linear_prior"] for t in result.trials]
    assert flags[:2] == [False, True]  # the defaults without and with the prior
    chosen = bool(result.params["linear_prior"])
    assert (result.model.prior_ is not None) == chosen
    if chosen:
        assert result.model.prior_.features == ["recency_days", "frequency", "monetary"]


def test_training_warnings_are_messages_in_both_languages() -> None:
    from churnlab.pipeline import warning_from_dict, warning_to_dict
    from churnlab.training import _compare, _size_warnings

    warnings: list[Message] = []
    _size_warnings(np.array([1] * 5 + [0] * 45), warnings)
    metrics = {
        "model": {"roc_auc": 0.6, "log_loss": 0.5},
        "recency": {"roc_auc": 0.7, "log_loss": 0.4},
    }
    _compare(metrics, warnings)
    assert [w.key for w in warnings] == [
        "training.warning.small_eval",
        "training.warning.not_better",
    ]
    assert str(warnings[0]) == (
        "The evaluation snapshot is small (50 customers, 5 churners): "
        "the metrics are rough estimates."
    )
    assert "AUC 0.600 vs 0.700, log loss 0.500 vs 0.400" in str(warnings[1])
    chinese = warnings[1].text("zh")
    assert "0.600" in chinese and "recency" in chinese and chinese != str(warnings[1])
    # a bundle keeps the key and values as JSON, so a saved model reads in any language
    import json

    stored = json.loads(json.dumps([warning_to_dict(w) for w in warnings]))
    assert [warning_from_dict(item) for item in stored] == warnings
    assert str(warning_from_dict("An old English warning {x}.")) == "An old English warning {x}."


def test_a_big_shop_skips_the_random_search() -> None:
    """Past ``search_up_to_rows`` labelled rows: the default trials alone, at the big-shop rate."""
    fs = event_feature_set()  # 1,500 labelled rows
    searched = TrainingConfig(
        seed=3, max_trials=4, early_stopping_rounds=10, max_trees=60, search_up_to_rows=None
    )
    big = dataclasses.replace(
        searched, search_up_to_rows=1_499, big_shop_learning_rate=0.2, big_shop_max_depth=2
    )
    trials = train_on_feature_set(fs, big).trials
    assert [(t["params"]["learning_rate"], t["params"]["max_depth"]) for t in trials] == [
        (0.2, 2),
        (0.2, 2),
    ]
    assert len(train_on_feature_set(fs, searched).trials) == 4
    # at the threshold the shop is not big; an explicit learning rate wins over the big-shop one
    small = dataclasses.replace(big, search_up_to_rows=1_500, max_trials=3)
    assert len(train_on_feature_set(fs, small).trials) == 3
    chosen = dataclasses.replace(big, learning_rate=0.3)
    assert [t["params"]["learning_rate"] for t in train_on_feature_set(fs, chosen).trials] == [
        0.3,
        0.3,
    ]


@pytest.mark.parametrize("big_shop", [True, False])
def test_side_by_side_fits_give_the_model_of_fits_one_after_the_other(
    monkeypatch: pytest.MonkeyPatch, big_shop: bool
) -> None:
    """The two default trials, then the evaluated and final models, are fitted side by side
    on one thread each (``SIDE_BY_SIDE_THREADS``): the same trials, metrics and booster as
    fitting each on both cores in turn, and the saved model predicts on both cores."""
    import json

    import churnlab.model as model_module
    import churnlab.training as training_module

    fs = event_feature_set()
    config = TrainingConfig(
        seed=3,
        early_stopping_rounds=10,
        max_trees=60,
        max_trials=4,
        search_up_to_rows=1 if big_shop else None,
    )
    side_by_side = train_on_feature_set(fs, config)
    monkeypatch.setattr(model_module, "SIDE_BY_SIDE_THREADS", model_module.NTHREAD)
    monkeypatch.setattr(training_module, "SIDE_BY_SIDE_THREADS", model_module.NTHREAD)
    in_turn = train_on_feature_set(fs, config)
    assert len(side_by_side.trials) == (2 if big_shop else 4)
    assert side_by_side.trials[1]["params"]["linear_prior"]
    for ours, theirs in zip(side_by_side.trials, in_turn.trials, strict=True):
        assert {k: v for k, v in ours.items() if k != "seconds"} == {
            k: v for k, v in theirs.items() if k != "seconds"
        }
    assert side_by_side.metrics == in_turn.metrics
    booster = side_by_side.model.booster_
    assert bytes(booster.save_raw()) == bytes(in_turn.model.booster_.save_raw())
    generic = json.loads(booster.save_config())["learner"]["generic_param"]
    assert int(generic["nthread"]) == model_module.NTHREAD


def test_the_cli_summary_says_when_a_big_shop_skipped_the_search() -> None:
    from types import SimpleNamespace

    from churnlab.cli_model import training_summary

    metrics = {"roc_auc": 0.9, "pr_auc": 0.8, "log_loss": 0.3, "brier": 0.1, "lift": {"10": 3.0}}
    stats = [
        {"cutoff": f"2024-0{m}-01", "population": 120_000, "churners": 1, "churn_rate": 0.1}
        for m in (1, 2)
    ]
    doc = {
        "mode": "events",
        "plan": {
            "data_start": "2023-01-01T00:00:00",
            "data_end": "2024-05-01T00:00:00",
            "cutoffs": ["2024-01-01", "2024-02-01"],
            "eval_cutoff": "2024-02-01",
        },
        "definition": {"activity": ["purchase"], "horizon_days": 60, "lookback_days": 365},
        "cutoff_stats": stats,
        "training": {"search_up_to_rows": 200_000},
        "params": {"learning_rate": 0.1},
        "metrics": {"model": metrics, "recency": dict(metrics, roc_auc=0.8)},
    }
    big = training_summary(SimpleNamespace(document=doc, warnings=[]))
    assert "A big shop (240,000 labelled rows)" in big and "--full-search" in big
    for training in ({"search_up_to_rows": None}, {"search_up_to_rows": 240_000}):
        text = training_summary(
            SimpleNamespace(document={**doc, "training": training}, warnings=[])
        )
        assert "big shop" not in text
