"""ChurnModel: fit/predict, categoricals, determinism, SHAP additivity, state round trip, tuning."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
import xgboost as xgb

from churnlab.config import TrainingConfig
from churnlab.errors import DataError, ModelError
from churnlab.model import ChurnModel, _simplest_good_enough, auc, log_loss, platt, tune

CONFIG = TrainingConfig(
    seed=7, tuning_seconds=120, max_trials=3, early_stopping_rounds=5, max_trees=30
)


def make_data(n: int, seed: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Known truth: recency, an x1*x2 interaction and a channel effect."""
    rng = np.random.default_rng(seed)
    recency = rng.exponential(60, n)
    frequency = rng.poisson(3, n).astype(float)
    monetary = frequency * rng.gamma(2, 30, n)
    x1, x2 = rng.normal(size=(2, n))
    channel = rng.choice(["web", "app", "store"], n)
    logit = (
        -0.5
        + 0.6 * (np.log1p(recency) - 3.5)
        + 1.8 * np.sign(x1 * x2)
        + 1.0 * ((channel == "app") & (x1 > 0))
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    x1_missing = np.where(rng.random(n) < 0.05, np.nan, x1)
    X = pl.DataFrame(
        {
            "recency_days": recency,
            "frequency": frequency,
            "monetary": monetary,
            "x1": x1_missing,
            "x2": x2,
            "channel": channel,
        }
    ).with_columns(pl.col("x1").fill_nan(None))
    return X, y


@pytest.fixture(scope="module")
def data() -> tuple[pl.DataFrame, np.ndarray, pl.DataFrame, np.ndarray]:
    X, y = make_data(600, 1)
    Xv, yv = make_data(300, 2)
    return X, y, Xv, yv


@pytest.fixture(scope="module")
def fitted(data) -> ChurnModel:
    X, y, Xv, yv = data
    return ChurnModel(CONFIG).fit(X, y, categorical=["channel"], X_valid=Xv, y_valid=yv)


def test_fit_returns_self_and_learned_state(data) -> None:
    X, y = data[0], data[1]
    model = ChurnModel(CONFIG)
    assert not hasattr(model, "booster_")
    out = model.fit(X, y, categorical=["channel"], params={"max_depth": 2}, n_trees=5)
    assert out is model
    assert model.n_trees_ == 5
    assert model.feature_names_ == X.columns
    assert model.categorical_ == ["channel"]
    assert model.categories_ == {"channel": ["app", "store", "web"]}
    assert isinstance(model.booster_, xgb.Booster)


def test_predict_shapes_and_range(fitted, data) -> None:
    _, _, Xv, _ = data
    p = fitted.predict_proba(Xv)
    m = fitted.predict_margin(Xv)
    assert p.shape == (len(Xv),) and m.shape == (len(Xv),)
    assert np.all((p > 0) & (p < 1))
    assert 1 <= fitted.n_trees_ <= CONFIG.max_trees


def test_predictions_from_the_matrix_are_those_of_a_dmatrix(fitted, data) -> None:
    """``predict_margin`` skips the DMatrix (``inplace_predict``): the same margins, with the
    categorical column and the linear prior's base margin, and none for no rows."""
    from churnlab.model import _prior_margin

    _, _, Xv, _ = data
    dm = fitted._encoder.dmatrix(Xv, base_margin=_prior_margin(fitted.prior_, Xv))
    expected = fitted.booster_.predict(dm, output_margin=True, iteration_range=(0, fitted.n_trees_))
    assert fitted.categorical_ == ["channel"] and fitted.prior_ is not None
    np.testing.assert_array_equal(fitted.predict_margin(Xv), np.asarray(expected, np.float64))
    assert fitted.predict_proba(Xv.head(0)).shape == (0,)


def test_predict_before_fit_raises_model_error(data) -> None:
    X = data[0]
    with pytest.raises(ModelError, match="not been trained"):
        ChurnModel().predict_proba(X)
    with pytest.raises(ModelError):
        ChurnModel().get_state()


def test_unseen_and_missing_categories_are_missing(fitted, data) -> None:
    Xv = data[2].head(3)
    unseen = Xv.with_columns(pl.lit("telephone").alias("channel"))
    missing = Xv.with_columns(pl.lit(None, dtype=pl.String).alias("channel"))
    np.testing.assert_allclose(fitted.predict_proba(unseen), fitted.predict_proba(missing))
    codes = fitted._encoder.matrix(Xv.with_columns(pl.Series("channel", ["web", "app", "x"])))
    col = fitted.feature_names_.index("channel")
    assert codes[0, col] == 2.0 and codes[1, col] == 0.0 and np.isnan(codes[2, col])


def test_missing_feature_and_text_feature_errors(fitted, data) -> None:
    X, y, _, _ = data
    with pytest.raises(ModelError, match="lacks"):
        fitted.predict_proba(X.drop("x2"))
    with pytest.raises(ModelError, match="categorical"):
        ChurnModel(CONFIG).fit(X, y, categorical=[], n_trees=3)


def test_one_class_labels_raise_data_error(data) -> None:
    X = data[0]
    with pytest.raises(DataError, match="nothing to learn"):
        ChurnModel(CONFIG).fit(X, np.zeros(len(X)), categorical=["channel"], n_trees=3)


def test_deterministic_with_seed(data) -> None:
    X, y, Xv, yv = data
    params = {"subsample": 0.7, "colsample_bytree": 0.7}
    a = ChurnModel(CONFIG).fit(X, y, categorical=["channel"], X_valid=Xv, y_valid=yv, params=params)
    b = ChurnModel(CONFIG).fit(X, y, categorical=["channel"], X_valid=Xv, y_valid=yv, params=params)
    np.testing.assert_array_equal(a.predict_proba(Xv), b.predict_proba(Xv))
    other = TrainingConfig(seed=8, early_stopping_rounds=5, max_trees=30)
    c = ChurnModel(other).fit(X, y, categorical=["channel"], X_valid=Xv, y_valid=yv, params=params)
    assert not np.array_equal(a.predict_proba(Xv), c.predict_proba(Xv))


def test_shap_adds_up_in_calibrated_logit_space(fitted, data) -> None:
    Xv = data[2]
    values, base = fitted.contributions(Xv)
    assert values.shape == (len(Xv), len(fitted.feature_names_))
    p = fitted.predict_proba(Xv)
    np.testing.assert_allclose(base + values.sum(axis=1), np.log(p / (1 - p)), atol=1e-4)
    assert fitted.calibration_["a"] != 1.0  # the transform is exercised
    empty_values, empty_base = fitted.contributions(Xv.head(0))
    assert empty_values.shape == (0, len(fitted.feature_names_))
    assert empty_base == pytest.approx(base, abs=1e-6)


def test_state_round_trip_gives_identical_predictions(fitted, data) -> None:
    Xv = data[2]
    state = json.loads(json.dumps(fitted.get_state()))
    raw = fitted.booster_.save_raw("ubj")
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))
    again = ChurnModel.from_state(state, booster)
    np.testing.assert_array_equal(again.predict_proba(Xv), fitted.predict_proba(Xv))
    v1, b1 = fitted.contributions(Xv)
    v2, b2 = again.contributions(Xv)
    np.testing.assert_array_equal(v1, v2)
    assert b1 == b2
    assert state["xgboost_version"] == xgb.__version__
    assert state["categories"] == {"channel": ["app", "store", "web"]}


def test_from_state_incomplete_raises() -> None:
    with pytest.raises(ModelError, match="incomplete"):
        ChurnModel.from_state({"feature_names": ["a"]}, xgb.Booster())


def test_calibrated_mean_close_to_observed_on_imbalanced_data() -> None:
    X, y = make_data(3000, 11)
    keep = (y == 0) | (np.arange(len(y)) % 3 == 0)  # fewer churners: imbalance
    X, y = X.filter(pl.Series(keep)), y[keep]
    Xv, yv = make_data(3000, 12)
    keepv = (yv == 0) | (np.arange(len(yv)) % 3 == 0)
    Xv, yv = Xv.filter(pl.Series(keepv)), yv[keepv]
    Xc, Xt, yc, yt = Xv[:1000], Xv[1000:], yv[:1000], yv[1000:]
    model = ChurnModel(CONFIG).fit(X, y, categorical=["channel"], X_valid=Xc, y_valid=yc)
    assert model.scale_pos_weight_ > 1.2
    p = model.predict_proba(Xt)
    assert abs(p.mean() - yt.mean()) < 0.03
    # without the prior correction the weighting would inflate the mean
    raw = 1 / (1 + np.exp(-model.predict_margin(Xt)))
    assert raw.mean() > p.mean() + 0.02


def test_platt_recovers_known_mapping() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-(2.0 * z - 0.5)))).astype(int)
    a, b = platt(z, y)
    assert a == pytest.approx(2.0, abs=0.1) and b == pytest.approx(-0.5, abs=0.1)
    assert platt(z, np.zeros_like(y)) == (1.0, 0.0)


@pytest.mark.parametrize(("centre", "spread"), [(-6.0, 2.5), (-4.0, 3.0), (-5.0, 2.0), (5.0, 2.0)])
def test_platt_converges_from_margins_far_from_the_level(centre: float, spread: float) -> None:
    # a full Newton step from (1, 0) overshot without bound here (slopes of 1e10 and more)
    rng = np.random.default_rng(5)
    z = rng.normal(centre, spread, 20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-(0.7 * z + 1.1)))).astype(int)
    a, b = platt(z, y)
    assert a == pytest.approx(0.7, abs=0.06) and b == pytest.approx(1.1, abs=0.25)


def test_auc_and_log_loss_helpers_match_sklearn() -> None:
    from sklearn.metrics import log_loss as sk_log_loss
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 200)
    p = np.round(rng.random(200), 1)  # ties
    assert auc(y, p) == pytest.approx(roc_auc_score(y, p))
    assert log_loss(y, p) == pytest.approx(sk_log_loss(y, np.clip(p, 1e-15, 1 - 1e-15)))


def test_tune_records_trials_and_is_seeded(data) -> None:
    X, y, Xv, yv = data
    seen: list[float] = []
    params, n_trees, trials = tune(X, y, Xv, yv, ["channel"], CONFIG, lambda f, m: seen.append(f))
    assert seen and all(0 <= f <= 1 for f in seen) and seen[-1] == pytest.approx(1.0)
    assert 1 <= len(trials) <= CONFIG.max_trials
    assert all(trial["rows"] == len(X) for trial in trials)
    assert trials[0]["params"]["max_depth"] == 4
    for trial in trials:
        assert set(trial) >= {"params", "n_trees", "valid_logloss", "valid_auc", "seconds"}
        assert 2 <= trial["params"]["max_depth"] <= 8
    best = min(trials, key=lambda t: t["valid_logloss"])
    assert params == best["params"] and n_trees == best["n_trees"]
    again = tune(X, y, Xv, yv, ["channel"], CONFIG)
    assert again[0] == params and again[1] == n_trees
    json.dumps(trials)


def test_tune_samples_customers_above_row_limit(data) -> None:
    X, y, Xv, yv = data
    config = TrainingConfig(
        seed=1,
        tuning_seconds=5,
        max_trials=1,
        early_stopping_rounds=5,
        max_trees=20,
        max_tuning_rows=200,
    )
    groups = np.array([f"c{i // 2}" for i in range(len(X))])
    _, n_trees, trials = tune(X, y, Xv, yv, ["channel"], config, groups=groups)
    assert len(trials) == 1 and n_trees >= 1
    assert 100 <= trials[0]["rows"] <= 300 and trials[0]["rows"] % 2 == 0  # whole customers
    assert trials[0]["valid_rows"] == min(len(Xv), 200)  # capped by the same limit


def test_tune_samples_validation_customers_above_row_limit(data) -> None:
    """Early stopping evaluates the validation rows after every tree: they are capped too."""
    X, y, Xv, yv = data
    config = TrainingConfig(seed=1, max_trials=1, early_stopping_rounds=5, max_trees=20)
    limit = len(Xv) // 3
    groups = np.array([f"v{i // 2}" for i in range(len(Xv))])
    capped = TrainingConfig(**{**config.__dict__, "max_tuning_rows": limit})
    _, _, trials = tune(X, y, Xv, yv, ["channel"], capped, valid_groups=groups)
    rows = trials[0]["valid_rows"]
    assert limit // 2 <= rows <= 2 * limit and rows % 2 == 0  # whole customers
    _, _, uncapped = tune(X, y, Xv, yv, ["channel"], config, valid_groups=groups)
    assert uncapped[0]["valid_rows"] == len(Xv)


def test_tune_respects_time_budget(data) -> None:
    X, y, Xv, yv = data
    config = TrainingConfig(seed=1, tuning_seconds=1e-6, max_trials=5, max_trees=10)
    _, _, trials = tune(X, y, Xv, yv, ["channel"], config)
    # the prior's trial ran beside the first one and is taken; no search trial starts
    assert [t["trial"] for t in trials] == [0, 1]
    assert trials[1]["params"]["linear_prior"] is True
    _, _, plain = tune(X, y, Xv, yv, ["channel"], config, linear_prior=False)
    assert len(plain) == 1


def test_default_trials_use_the_configured_learning_rate(data) -> None:
    """The quick app model: its default trials boost faster, so they stop with fewer trees."""
    X, y, Xv, yv = data
    slow = TrainingConfig(seed=1, tuning_seconds=60, max_trials=2, max_trees=400)
    fast = TrainingConfig(seed=1, tuning_seconds=60, max_trials=2, max_trees=400, learning_rate=0.3)
    _, _, slow_trials = tune(X, y, Xv, yv, ["channel"], slow)
    _, _, fast_trials = tune(X, y, Xv, yv, ["channel"], fast)
    assert [t["params"]["learning_rate"] for t in slow_trials] == [0.05, 0.05]
    assert [t["params"]["learning_rate"] for t in fast_trials] == [0.3, 0.3]
    assert fast_trials[0]["n_trees"] < slow_trials[0]["n_trees"]


@pytest.mark.parametrize("rate", [0.0, -0.1, 1.5])
def test_learning_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    from churnlab.errors import ConfigError

    with pytest.raises(ConfigError):
        TrainingConfig(learning_rate=rate).validate()


def test_pickle_round_trip(fitted, data) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(data[2]), fitted.predict_proba(data[2]))


# --------------------------------------------------------------------------- linear prior


def test_linear_prior_is_fitted_on_rfm_features(fitted, data) -> None:
    prior = fitted.prior_
    assert prior is not None
    assert prior.features == ["recency_days", "frequency", "monetary"]
    assert prior.coef[0] > 0  # the truth: churn rises with log recency
    np.testing.assert_allclose(prior.centres, 0.0, atol=1e-9)  # standardised on training rows
    X = data[0]
    z = prior.transformed(X)
    expected = (np.log1p(X["recency_days"].to_numpy()) - prior.means[0]) / prior.scales[0]
    np.testing.assert_allclose(z[:, 0], expected)
    # the prior is part of the margin: without it the margin differs
    trees_only = fitted.booster_.predict(
        fitted._encoder.dmatrix(X), output_margin=True, iteration_range=(0, fitted.n_trees_)
    )
    assert not np.allclose(trees_only, fitted.predict_margin(X), atol=1e-3)


def test_no_prior_without_rfm_features_or_when_disabled(data) -> None:
    X, y, Xv, _ = data
    no_rfm = X.drop("recency_days", "frequency", "monetary")
    model = ChurnModel(CONFIG).fit(no_rfm, y, categorical=["channel"], n_trees=5)
    assert model.prior_ is None and model.get_state()["linear_prior"] is None
    off = ChurnModel(CONFIG).fit(X, y, categorical=["channel"], n_trees=5, linear_prior=False)
    assert off.prior_ is None
    by_param = ChurnModel(CONFIG).fit(
        X, y, categorical=["channel"], n_trees=5, params={"linear_prior": False}
    )
    assert by_param.prior_ is None
    np.testing.assert_array_equal(by_param.predict_proba(Xv), off.predict_proba(Xv))
    values, base = off.contributions(Xv)
    p = off.predict_proba(Xv)
    np.testing.assert_allclose(base + values.sum(axis=1), np.log(p / (1 - p)), atol=1e-4)


def test_shap_with_prior_puts_the_linear_part_on_its_features(fitted, data) -> None:
    Xv = data[2]
    values, base = fitted.contributions(Xv)
    p = fitted.predict_proba(Xv)
    np.testing.assert_allclose(base + values.sum(axis=1), np.log(p / (1 - p)), atol=1e-4)
    # tree-only SHAP of recency plus a * coef * (z - centre) is what is reported
    raw = fitted.booster_.predict(
        fitted._encoder.dmatrix(Xv, base_margin=fitted.prior_.margin(Xv)),
        pred_contribs=True,
        iteration_range=(0, fitted.n_trees_),
    )
    j = fitted.feature_names_.index("recency_days")
    z = fitted.prior_.transformed(Xv)[:, 0]
    a = fitted.calibration_["a"]
    expected = a * (raw[:, j] + fitted.prior_.coef[0] * (z - fitted.prior_.centres[0]))
    np.testing.assert_allclose(values[:, j], expected, atol=1e-5)
    # the base value is one number for every row (the per-row prior is not in it)
    _, empty_base = fitted.contributions(Xv.head(0))
    assert empty_base == pytest.approx(base, abs=1e-5)


def _log_recency_truth(
    n: int, low: float, high: float, seed: int
) -> tuple[pl.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    recency = rng.uniform(low, high, n)
    frequency = rng.poisson(2, n).astype(float) + 1
    monetary = frequency * rng.gamma(2, 20, n)
    noise = rng.normal(size=n)
    logit = -0.5 + 2.0 * (np.log1p(recency) - np.log1p(60.0))
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    X = pl.DataFrame(
        {"recency_days": recency, "frequency": frequency, "monetary": monetary, "noise": noise}
    )
    return X, y


def test_prior_extrapolates_beyond_the_training_recency_range() -> None:
    X, y = _log_recency_truth(1500, 1, 120, 21)
    Xv, yv = _log_recency_truth(500, 1, 120, 22)
    Xt, yt = _log_recency_truth(1500, 120, 600, 23)  # out of the training range
    kwargs = {"categorical": [], "X_valid": Xv, "y_valid": yv}
    with_prior = ChurnModel(CONFIG).fit(X, y, **kwargs)
    without = ChurnModel(CONFIG).fit(X, y, linear_prior=False, **kwargs)
    assert with_prior.prior_ is not None and without.prior_ is None
    p_with, p_without = with_prior.predict_proba(Xt), without.predict_proba(Xt)
    assert log_loss(yt, p_with) < log_loss(yt, p_without) - 0.01
    assert auc(yt, p_with) > auc(yt, p_without) + 0.03


def test_state_round_trip_with_prior_and_old_state_without(fitted, data) -> None:
    Xv = data[2]
    state = json.loads(json.dumps(fitted.get_state()))
    assert set(state["linear_prior"]) == {
        "features",
        "means",
        "scales",
        "coef",
        "intercept",
        "centres",
    }
    again = ChurnModel.from_state(state, fitted.booster_)
    assert again.prior_.coef == fitted.prior_.coef
    np.testing.assert_array_equal(again.predict_margin(Xv), fitted.predict_margin(Xv))
    old = {k: v for k, v in state.items() if k != "linear_prior"}  # bundles from before
    assert ChurnModel.from_state(old, fitted.booster_).prior_ is None
    broken = {**state, "linear_prior": {**state["linear_prior"], "coef": [1.0]}}
    with pytest.raises(ModelError, match="prior"):
        ChurnModel.from_state(broken, fitted.booster_)
    foreign = {**state, "linear_prior": {**state["linear_prior"], "features": ["a", "b", "c"]}}
    with pytest.raises(ModelError, match="incomplete"):
        ChurnModel.from_state(foreign, fitted.booster_)


def test_tune_tries_the_prior_once_then_follows_the_choice(data) -> None:
    X, y, Xv, yv = data
    config = TrainingConfig(seed=2, max_trials=5, early_stopping_rounds=5, max_trees=20)
    _, _, trials = tune(X, y, Xv, yv, ["channel"], config)
    flags = [t["params"]["linear_prior"] for t in trials]
    assert flags[:2] == [False, True]
    assert trials[0]["params"]["max_depth"] == trials[1]["params"]["max_depth"] == 4
    kept = trials[1]["valid_logloss"] <= trials[0]["valid_logloss"] * 1.005
    assert flags[2:] == [kept] * (len(trials) - 2)
    _, _, plain = tune(X, y, Xv, yv, ["channel"], config, linear_prior=False)
    assert all("linear_prior" not in t["params"] for t in plain)
    assert plain[0]["valid_logloss"] == pytest.approx(trials[0]["valid_logloss"], abs=1e-12)
    if not kept:  # a dropped prior leaves the plain search unchanged, one trial later
        strip = [{k: v for k, v in t["params"].items() if k != "linear_prior"} for t in trials]
        assert strip[2:] == [t["params"] for t in plain[1 : len(trials) - 1]]


def test_tune_drops_a_prior_that_hurts_on_validation() -> None:
    # churn rises with recency on the fitting rows but falls beyond their range
    rng = np.random.default_rng(5)

    def rows(n: int, low: float, high: float) -> tuple[pl.DataFrame, np.ndarray]:
        recency = rng.uniform(low, high, n)
        logit = (
            -2.0 + 4.0 * np.minimum(recency, 100) / 100 - 8.0 * np.maximum(recency - 100, 0) / 300
        )
        y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
        return pl.DataFrame({"recency_days": recency, "frequency": rng.poisson(2, n) + 1.0}), y

    X, y = rows(1500, 1, 100)
    Xv, yv = rows(600, 100, 400)
    config = TrainingConfig(seed=1, max_trials=3, early_stopping_rounds=10, max_trees=200)
    params, _, trials = tune(X, y, Xv, yv, [], config)
    assert trials[1]["valid_logloss"] > trials[0]["valid_logloss"] * 1.005
    assert params["linear_prior"] is False
    assert [t["params"]["linear_prior"] for t in trials] == [False, True, False]


def test_parsimony_prefers_the_prior_among_equally_good_trials() -> None:
    def trial(i: int, loss: float, depth: int, prior: bool) -> dict:
        params = {"max_depth": depth, "linear_prior": prior}
        return {"trial": i, "params": params, "n_trees": 50, "valid_logloss": loss}

    cheap_plain = trial(0, 0.400, 2, False)
    deep_prior = trial(1, 0.401, 5, True)
    assert _simplest_good_enough([cheap_plain, deep_prior]) is deep_prior
    clearly_worse_prior = trial(2, 0.420, 2, True)
    assert _simplest_good_enough([cheap_plain, clearly_worse_prior]) is cheap_plain


@pytest.mark.parametrize(
    ("what", "y", "english"),
    [
        ("training", [1, 1, 1], "Every customer in the training rows churned"),
        ("validation", [0, 0], "Every customer in the validation rows stayed"),
        ("validation", [], "There are no validation rows."),
        ("training", [0, 2], "The training labels must be 0 (stayed) or 1 (churned)."),
    ],
)
def test_label_errors_name_the_slice_in_both_languages(what: str, y: list, english: str) -> None:
    from churnlab.model import _check_labels

    with pytest.raises(DataError) as caught:
        _check_labels(np.array(y, dtype=np.int64), what)
    assert caught.value.message.startswith(english)
    chinese, hint = caught.value.render("zh")
    assert chinese != caught.value.message and hint
    assert ("训练" if what == "training" else "验证") in chinese


@pytest.mark.parametrize("alone_from_start", [True, False])
def test_a_fit_beside_another_moves_onto_every_core_once_alone(
    alone_from_start: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-thread fit whose neighbour is done goes on on every core (the second core would
    idle otherwise), and its booster is the booster of a fit on every core."""
    import threading

    import churnlab.model as model_module

    rng = np.random.default_rng(5)
    X = rng.normal(size=(3000, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(size=3000) > 0).astype(int)
    dtrain = xgb.DMatrix(X, label=y)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "seed": 1}
    both, _ = model_module._train_booster(
        dtrain, None, {**params, "nthread": model_module.NTHREAD}, 40, None
    )
    alone = threading.Event()
    if alone_from_start:
        alone.set()
    moves: list[bool] = []
    original = model_module._EveryCoreOnceAlone.after_iteration

    def watched(self, model, epoch, evals_log):  # type: ignore[no-untyped-def]
        stop = original(self, model, epoch, evals_log)
        moves.append(self.moved)
        return stop

    monkeypatch.setattr(model_module._EveryCoreOnceAlone, "after_iteration", watched)
    one, _ = model_module._train_booster(
        dtrain, None, {**params, "nthread": model_module.SIDE_BY_SIDE_THREADS}, 40, None, alone
    )
    assert len(moves) == 40
    assert all(moves) is alone_from_start and any(moves) is alone_from_start
    assert bytes(one.save_raw()) == bytes(both.save_raw())
