"""The churn model: gradient-boosted trees (XGBoost) with calibrated probabilities.

Why these choices:

* Categorical String columns become integer codes learned on the training frame
  (unseen or rare values become missing) and go to XGBoost as native categoricals
  from a numpy matrix, so a bundle can store the category lists as plain JSON.
* Class imbalance is handled with ``scale_pos_weight = sqrt(negatives / positives)``.
  The weighting shifts the log-odds by ``log(scale_pos_weight)``; that shift is
  removed (prior correction) and Platt scaling ``p = sigmoid(a * z + b)`` is fitted
  on held-out rows, so the probabilities mean what they say.
* ``calibration_`` holds ``a`` and ``b`` on the *raw* booster margin (the prior
  correction is folded into ``b``): ``p = sigmoid(a * margin + b)``. SHAP values
  from XGBoost are multiplied by ``a`` (base value ``a * base + b``) so that they
  add up to the calibrated log-odds.
* Linear prior: trees extrapolate flat beyond the range they were trained on (e.g. the
  recency of an out-of-time snapshot reaches further back than the training cut-offs
  saw), while a logistic regression on log recency extrapolates smoothly. When RFM
  features exist, a weighted logistic regression on their standardised ``log1p`` is
  fitted first and its logit is passed to XGBoost as ``base_margin`` everywhere; the
  trees learn the residual. The booster margin (``predict_margin``) includes it.
* Customer tables: a logistic regression on the table's columns may be blended in
  (``with_linear``, chosen by ``table_tuning``): the margin adds ``weight`` times its logit,
  and each column's SHAP value adds the regression's share of that column.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np
import polars as pl

from churnlab._threads import beside
from churnlab._xgb import xgb
from churnlab.baselines import TableLogisticBaseline
from churnlab.config import TrainingConfig
from churnlab.errors import DataError, ModelError
from churnlab.features import RFM_FEATURES
from churnlab.i18n import Message
from churnlab.logistic import LogisticRegression

logger = logging.getLogger(__name__)

#: progress(fraction, step): fraction 0..1 done; step is a ``Message`` (``progress.*`` key)
#: for the app to show in the user's language (``str(step)`` is English).
Progress = Callable[[float, Message], None]

NTHREAD = 2
SIDE_BY_SIDE_THREADS = 1
"""XGBoost threads of each of two fits that run side by side (the two default trials, the
evaluated and final refits): XGBoost keeps one core busier than two, and the boosters come
out byte for byte as on two threads (tests/unit/test_training.py)."""
MAX_BIN = 64
"""Histogram bins per feature: 64 fit as well as 256 on churn features (recency in days,
counts, spend; bench/RESULTS.md) at about half the time of every fit."""
MAX_CATEGORIES = 200
"""At most this many levels per categorical feature (most frequent kept; rarer are missing)."""

DEFAULT_PARAMS: dict[str, float | int] = {
    "max_depth": 4,
    "learning_rate": 0.05,
    "min_child_weight": 2.0,
    "reg_lambda": 1.0,
    "reg_alpha": 0.0,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "gamma": 0.0,
}
"""Sensible starting parameters; the search starts here."""


def default_params(config: TrainingConfig, big_shop: bool = False) -> dict[str, Any]:
    """``DEFAULT_PARAMS`` (on a big shop at ``big_shop_learning_rate`` and ``big_shop_max_depth``),
    at the configured learning rate if one is set."""
    params: dict[str, Any] = dict(DEFAULT_PARAMS)
    if big_shop:
        params["learning_rate"] = float(config.big_shop_learning_rate)
        params["max_depth"] = int(config.big_shop_max_depth)
    if config.learning_rate is not None:
        params["learning_rate"] = float(config.learning_rate)
    return params


_EPS = 1e-12

PRIOR_PARAM = "linear_prior"
"""Key in the parameter dict: whether the trees boost from the linear RFM prior (tuned)."""
LINEAR_BLEND_PARAM = "linear_blend"
"""Key in a customer table model's parameters: the weight of the logistic regression's logit
beside the trees (``ChurnModel.with_linear``); not an XGBoost parameter."""


# --------------------------------------------------------------------------- helpers


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -700.0, 700.0)))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return np.log(p) - np.log1p(-p)


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    """Mean binary log loss with clipped probabilities (no warnings on 0/1)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-15, 1 - 1e-15)
    y = np.asarray(y, dtype=np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC by ranks (ties averaged); NaN when only one class is present."""
    y = np.asarray(y)
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(p, kind="stable")
    sorted_p = np.asarray(p)[order]
    ranks = np.empty(len(p), dtype=np.float64)
    # average ranks for ties
    _, first, counts = np.unique(sorted_p, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def platt(z: np.ndarray, y: np.ndarray, max_iter: int = 100) -> tuple[float, float]:
    """Fit ``p = sigmoid(a * z + b)`` by Newton's method (Platt's smoothed targets).

    Falls back to the identity (a=1, b=0) when the data cannot support a fit.
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n_pos = float(y.sum())
    n_neg = float(len(y) - n_pos)
    if len(y) == 0 or n_pos == 0 or n_neg == 0:
        return 1.0, 0.0
    # Platt's targets keep a and b finite on separable data.
    t = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def objective(a: float, b: float) -> float:
        u = a * z + b
        return float(np.sum(np.logaddexp(0.0, u) - t * u))

    a, b = 1.0, 0.0
    current = objective(a, b)
    for _ in range(max_iter):
        p = _sigmoid(a * z + b)
        w = p * (1 - p) + 1e-12
        g_a = np.sum((p - t) * z)
        g_b = np.sum(p - t)
        h_aa = np.sum(w * z * z) + 1e-9
        h_ab = np.sum(w * z)
        h_bb = np.sum(w) + 1e-9
        det = h_aa * h_bb - h_ab * h_ab
        if det <= 0:
            break
        d_a = (h_bb * g_a - h_ab * g_b) / det
        d_b = (h_aa * g_b - h_ab * g_a) / det
        # halve the step until the loss does not rise: a full Newton step from (1, 0) can
        # overshoot without bound when the margins sit far from the churn level
        scale = 1.0
        while scale > 1e-6:
            value = objective(a - scale * d_a, b - scale * d_b)
            if value <= current + 1e-12 * abs(current):
                break
            scale /= 2
        a, b, current = a - scale * d_a, b - scale * d_b, value
        if abs(scale * d_a) < 1e-9 and abs(scale * d_b) < 1e-9:
            break
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0:
        # A non-increasing mapping would reverse the ranking: keep the ranking, fix the level.
        a = 1.0
        b = float(_logit(np.array([n_pos / (n_pos + n_neg)]))[0] - _logit(_sigmoid(z)).mean())
    return float(a), float(b)


def _check_labels(y: np.ndarray, what: str) -> np.ndarray:
    y = np.asarray(y)
    training = what == "training"  # otherwise "validation"
    if y.ndim != 1:
        raise DataError(
            "error.model.labels_shape.training"
            if training
            else "error.model.labels_shape.validation"
        )
    if len(y) == 0:
        raise DataError(
            "error.model.no_rows.training" if training else "error.model.no_rows.validation",
            hint="error.model.no_rows.hint",
        )
    if np.any(~np.isin(y, (0, 1))):
        raise DataError(
            "error.model.labels_values.training"
            if training
            else "error.model.labels_values.validation",
            hint="error.model.labels_values.hint",
        )
    y = y.astype(np.int8)
    if y.min() == y.max():
        churned = bool(y[0] == 1)
        raise DataError(
            (
                "error.model.one_class.training.churned"
                if churned
                else "error.model.one_class.training.stayed"
            )
            if training
            else (
                "error.model.one_class.validation.churned"
                if churned
                else "error.model.one_class.validation.stayed"
            ),
            hint="error.model.one_class.hint",
        )
    return y


def _xgb_params(
    params: dict[str, Any], scale_pos_weight: float, seed: int, threads: int = NTHREAD
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "objective": "binary:logistic",
        # early stopping follows the log loss; AUC per round cost as much as the boosting
        # itself on the validation slice and decided nothing (trials compute their AUC once)
        "eval_metric": "logloss",
        "tree_method": "hist",
        "nthread": int(threads),
        "seed": int(seed),
        "scale_pos_weight": float(scale_pos_weight),
        "max_cat_to_onehot": 4,
        "max_bin": MAX_BIN,
        "verbosity": 0,
    }
    for key, value in params.items():
        if key not in (PRIOR_PARAM, LINEAR_BLEND_PARAM):
            out[key] = value
    out["max_depth"] = int(out.get("max_depth", 4))
    return out


class _Encoder:
    """Turns a Polars frame into a float matrix with categorical codes."""

    def __init__(self, feature_names: list[str], categories: dict[str, list[str]]) -> None:
        self.feature_names = feature_names
        self.categories = categories

    @classmethod
    def learn(cls, X: pl.DataFrame, categorical: list[str]) -> _Encoder:
        unknown = [c for c in categorical if c not in X.columns]
        if unknown:
            raise ModelError(
                "error.model.unknown_categorical",
                hint="error.model.unknown_categorical.hint",
                names=", ".join(unknown),
            )
        categories: dict[str, list[str]] = {}
        for col in categorical:
            counts = (
                X.select(pl.col(col).cast(pl.String))
                .drop_nulls()
                .group_by(col)
                .len()
                .sort(["len", col], descending=[True, False])
                .head(MAX_CATEGORIES)
            )
            categories[col] = sorted(counts[col].to_list())
        for col in X.columns:
            if col in categories:
                continue
            dtype = X.schema[col]
            if not (dtype.is_numeric() or dtype == pl.Boolean):
                raise ModelError(
                    "error.model.bad_feature_type",
                    hint="error.model.bad_feature_type.hint",
                    column=col,
                    dtype=str(dtype),
                )
        return cls(list(X.columns), categories)

    def feature_types(self) -> list[str]:
        return ["c" if c in self.categories else "q" for c in self.feature_names]

    def matrix(self, X: pl.DataFrame) -> np.ndarray:
        missing = [c for c in self.feature_names if c not in X.columns]
        if missing:
            shown = ", ".join(missing[:5])
            raise ModelError(
                "error.model.missing_features",
                hint="error.model.missing_features.hint",
                count=len(missing),
                names=shown,
            )
        exprs = []
        for col in self.feature_names:
            if col in self.categories:
                cats = self.categories[col]
                exprs.append(
                    pl.col(col)
                    .cast(pl.String)
                    .replace_strict(
                        cats,
                        [float(i) for i in range(len(cats))],
                        default=None,
                        return_dtype=pl.Float64,
                    )
                    .alias(col)
                )
            else:
                exprs.append(pl.col(col).cast(pl.Float64).alias(col))
        arr = X.select(exprs).to_numpy().astype(np.float64, copy=False)
        if arr.ndim != 2:
            arr = arr.reshape(len(X), len(self.feature_names))
        return np.where(np.isfinite(arr), arr, np.nan)

    def dmatrix(
        self,
        X: pl.DataFrame | np.ndarray,
        y: np.ndarray | None = None,
        weight: np.ndarray | None = None,
        base_margin: np.ndarray | None = None,
    ) -> xgb.DMatrix:
        """``X`` as XGBoost's input; ``X`` may be ``matrix``'s result already."""
        # A plain DMatrix: a QuantileDMatrix of 300k rows took 1.9 CPU-s to build here, more
        # than the hist sketch it saves (bench/RESULTS.md).
        return xgb.DMatrix(
            X if isinstance(X, np.ndarray) else self.matrix(X),
            label=y,
            weight=weight,
            base_margin=base_margin,
            missing=np.nan,
            feature_names=self.feature_names,
            feature_types=self.feature_types(),
            enable_categorical=True,
            nthread=NTHREAD,
        )


PRIOR_C = 1.0
"""L2 strength of the linear prior (as the RFM baseline: negligible on standardised inputs)."""


class LinearPrior:
    """Weighted logistic regression on standardised ``log1p`` RFM features.

    Its logit is the starting margin of every tree, so the model extrapolates like a
    logistic regression where the trees saw no data. Plain floats only: it goes into
    bundles as JSON.
    """

    def __init__(
        self,
        features: list[str],
        means: list[float],
        scales: list[float],
        coef: list[float],
        intercept: float,
        centres: list[float],
    ) -> None:
        self.features = list(features)
        self.means = [float(v) for v in means]
        self.scales = [float(v) for v in scales]
        self.coef = [float(v) for v in coef]
        self.intercept = float(intercept)
        self.centres = [float(v) for v in centres]
        sizes = {len(self.means), len(self.scales), len(self.coef), len(self.centres)}
        if not self.features or sizes != {len(self.features)}:
            raise ModelError("error.model.bad_prior")

    @staticmethod
    def usable(X: pl.DataFrame, categorical: list[str]) -> list[str]:
        """The RFM features present in X as numbers (none for most customer tables)."""
        return [
            c
            for c in RFM_FEATURES
            if c in X.columns
            and c not in categorical
            and (X.schema[c].is_numeric() or X.schema[c] == pl.Boolean)
        ]

    @staticmethod
    def _log1p(X: pl.DataFrame, features: list[str]) -> np.ndarray:
        missing = [c for c in features if c not in X.columns]
        if missing:
            raise ModelError(
                "error.model.missing_prior_features",
                hint="error.model.missing_features.hint",
                names=", ".join(missing),
            )
        raw = X.select([pl.col(c).cast(pl.Float64) for c in features]).to_numpy()
        raw = np.asarray(raw, dtype=np.float64).reshape(len(X), len(features))
        raw = np.where(np.isfinite(raw), raw, 0.0)  # missing: nothing seen
        return np.log1p(np.clip(raw, 0.0, None))

    @classmethod
    def fit(
        cls, X: pl.DataFrame, y: np.ndarray, weight: np.ndarray, features: list[str]
    ) -> LinearPrior:
        """Fit on the training rows with the trees' class weights (same margin scale)."""
        logged = cls._log1p(X, features)
        means = logged.mean(axis=0)
        std = logged.std(axis=0)
        scales = np.where(std > 0, std, 1.0)
        z = (logged - means) / scales
        lr = LogisticRegression(C=PRIOR_C)
        lr.fit(z, np.asarray(y).astype(np.int64), sample_weight=weight)
        return cls(
            features,
            means.tolist(),
            scales.tolist(),
            lr.coef_[0].tolist(),
            float(lr.intercept_[0]),
            z.mean(axis=0).tolist(),
        )

    def transformed(self, X: pl.DataFrame) -> np.ndarray:
        """Standardised ``log1p`` features, shape (rows, len(features))."""
        logged = self._log1p(X, self.features)
        return (logged - np.asarray(self.means)) / np.asarray(self.scales)

    def margin(self, X: pl.DataFrame) -> np.ndarray:
        """The prior's logit (under the training class weights), one per row."""
        return self.transformed(X) @ np.asarray(self.coef) + self.intercept

    @property
    def columns(self) -> list[str]:
        """The features it uses, in ``contributions`` order."""
        return self.features

    def contributions(self, X: pl.DataFrame) -> tuple[np.ndarray, float]:
        """Each feature's share of ``margin`` against the training rows' centre, and the base:
        ``coef_j * (z_j - centre_j)`` and ``intercept + sum(coef_j * centre_j)``."""
        coef = np.asarray(self.coef)
        centres = np.asarray(self.centres)
        return (self.transformed(X) - centres) * coef, self.intercept + float(coef @ centres)

    def to_state(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "means": list(self.means),
            "scales": list(self.scales),
            "coef": list(self.coef),
            "intercept": float(self.intercept),
            "centres": list(self.centres),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> LinearPrior:
        return cls(
            list(state["features"]),
            list(state["means"]),
            list(state["scales"]),
            list(state["coef"]),
            float(state["intercept"]),
            list(state["centres"]),
        )


def _class_weights(y: np.ndarray, spw: float) -> np.ndarray:
    return np.where(np.asarray(y) == 1, spw, 1.0).astype(np.float64)


def _fit_prior(
    X: pl.DataFrame, y: np.ndarray, categorical: list[str], spw: float, enabled: bool
) -> LinearPrior | None:
    if not enabled:
        return None
    features = LinearPrior.usable(X, categorical)
    if not features:
        return None
    return LinearPrior.fit(X, y, _class_weights(y, spw), features)


def _prior_margin(prior: LinearPrior | None, X: pl.DataFrame) -> np.ndarray | None:
    return None if prior is None else prior.margin(X)


def _scale_pos_weight(y: np.ndarray) -> float:
    pos = float(np.sum(y))
    neg = float(len(y) - pos)
    return math.sqrt(neg / pos) if pos > 0 and neg > 0 else 1.0


class _EveryCoreOnceAlone(xgb.callback.TrainingCallback):
    """Moves a fit that started on one thread beside another onto every core as soon as the
    other one is done (``alone`` set), instead of leaving the second core idle. XGBoost's
    trees do not depend on its thread count: the booster is the same (tests compare)."""

    def __init__(self, alone: threading.Event) -> None:
        super().__init__()
        self.alone = alone
        self.moved = False

    def after_iteration(self, model: xgb.Booster, epoch: int, evals_log: Any) -> bool:
        if not self.moved and self.alone.is_set():
            model.set_param({"nthread": NTHREAD})
            self.moved = True
        return False  # never stops the training


def _train_booster(
    dtrain: xgb.DMatrix,
    dvalid: xgb.DMatrix | None,
    params: dict[str, Any],
    rounds: int,
    early_stopping_rounds: int | None,
    alone: threading.Event | None = None,
) -> tuple[xgb.Booster, int]:
    """Train and return the booster cut to its best number of trees. A fit on fewer threads
    than NTHREAD takes every core once ``alone`` is set (the fit beside it is done)."""
    evals = [(dvalid, "valid")] if dvalid is not None else []
    callbacks = None
    if alone is not None and params.get("nthread") != NTHREAD:
        callbacks = [_EveryCoreOnceAlone(alone)]
    booster = xgb.train(
        params,
        dtrain,
        num_boost_round=max(1, int(rounds)),
        evals=evals,
        early_stopping_rounds=early_stopping_rounds if dvalid is not None else None,
        verbose_eval=False,
        callbacks=callbacks,
    )
    if dvalid is not None and early_stopping_rounds:
        n_trees = int(booster.best_iteration) + 1
    else:
        n_trees = booster.num_boosted_rounds()
    if n_trees < booster.num_boosted_rounds():
        booster = booster[:n_trees]
    if params.get("nthread") != NTHREAD:  # fitted on one thread beside another fit:
        booster.set_param({"nthread": NTHREAD})  # it predicts on every core
    return booster, n_trees


# --------------------------------------------------------------------------- the model


class ChurnModel:
    """XGBoost churn classifier with native categoricals and calibrated probabilities."""

    prior_: LinearPrior | None = None
    """The linear prior the trees boost from (None: trees alone)."""
    linear_: TableLogisticBaseline | None = None
    """A customer table's logistic regression, blended with the trees (``with_linear``)."""
    linear_weight_: float = 0.0

    def __init__(self, config: TrainingConfig | None = None) -> None:
        self.config = config

    # -- fitting ---------------------------------------------------------------------

    def fit(
        self,
        X: pl.DataFrame,
        y: np.ndarray,
        *,
        categorical: list[str],
        X_valid: pl.DataFrame | None = None,
        y_valid: np.ndarray | None = None,
        params: dict | None = None,
        n_trees: int | None = None,
        progress: Progress | None = None,
        linear_prior: bool = True,
        threads: int = NTHREAD,
        alone: threading.Event | None = None,
    ) -> ChurnModel:
        """Fit on X; with X_valid, stop early on it and calibrate on it.

        Without validation rows the fit is plain (``n_trees`` trees, default ``max_trees``)
        and only the prior correction is applied; ``calibrate`` / ``set_platt`` can add
        Platt scaling afterwards. With ``linear_prior`` and RFM features in X, the trees
        boost from a logistic regression on those (see the module docstring). ``threads``:
        XGBoost's threads for this fit (one when two fits run side by side); ``alone``: set
        when the fit beside this one is done, this fit then goes on on every core.
        """
        config = self.config or TrainingConfig()
        y = _check_labels(y, "training")
        if len(X) != len(y):
            raise ModelError("error.model.rows_mismatch")
        encoder = _Encoder.learn(X, list(categorical))
        spw = _scale_pos_weight(y)
        merged = {**DEFAULT_PARAMS, **(params or {})}
        xparams = _xgb_params(merged, spw, config.seed, threads)
        if progress:
            progress(0.0, Message("progress.fitting"))
        use_prior = linear_prior and bool(merged.get(PRIOR_PARAM, True))
        prior = _fit_prior(X, y, list(encoder.categories), spw, use_prior)
        dtrain = encoder.dmatrix(X, y, base_margin=_prior_margin(prior, X))
        dvalid = None
        if X_valid is not None:
            if y_valid is None:
                raise ModelError("error.model.valid_without_labels")
            y_valid = np.asarray(y_valid).astype(np.int8)
            dvalid = encoder.dmatrix(
                X_valid,
                y_valid,
                weight=_class_weights(y_valid, spw),
                base_margin=_prior_margin(prior, X_valid),
            )
        rounds = int(n_trees) if n_trees is not None else int(config.max_trees)
        booster, used = _train_booster(
            dtrain,
            dvalid,
            xparams,
            rounds,
            config.early_stopping_rounds if dvalid is not None else None,
            alone,
        )
        self.booster_ = booster
        self.feature_names_ = list(encoder.feature_names)
        self.categorical_ = [c for c in encoder.feature_names if c in encoder.categories]
        self.categories_ = encoder.categories
        self.params_ = {k: (float(v) if isinstance(v, float) else v) for k, v in merged.items()}
        self.n_trees_ = int(used)
        self.best_iteration_ = int(used) - 1
        self.scale_pos_weight_ = float(spw)
        self.calibration_ = {"a": 1.0, "b": -math.log(spw)}
        self.prior_ = prior
        self.linear_, self.linear_weight_ = None, 0.0
        self._encoder = encoder
        if X_valid is not None and y_valid is not None and len(np.unique(y_valid)) == 2:
            self.calibrate(X_valid, y_valid)
        if progress:
            progress(1.0, Message("progress.fitted"))
        return self

    def with_linear(self, linear: TableLogisticBaseline | None, weight: float) -> ChurnModel:
        """Blend a fitted logistic regression into the margin: trees + ``weight`` x its logit.

        Cross-validation on customer tables chooses the weight (``table_tuning``): a few
        thousand customers hold linear effects that trees alone approximate in steps.
        Calibrate afterwards: the margin's scale changes.
        """
        self._check_fitted()
        if linear is None or weight <= 0.0:
            self.linear_, self.linear_weight_ = None, 0.0
            return self
        unknown = [c for c in linear.columns if c not in self.feature_names_]
        if unknown:
            raise ModelError("error.model.bad_state", error=f"unknown columns {unknown}")
        self.linear_, self.linear_weight_ = linear, float(weight)
        return self

    def _linear_margin(self, X: pl.DataFrame) -> np.ndarray | float:
        if self.linear_ is None:
            return 0.0
        return self.linear_weight_ * self.linear_.margin(X)

    def calibrate(self, X: pl.DataFrame, y: np.ndarray) -> ChurnModel:
        """Fit Platt scaling on held-out rows (on the prior-corrected margin)."""
        a, b = platt(self.corrected_margin(X), np.asarray(y))
        return self.set_platt(a, b)

    def set_platt(self, a: float, b: float) -> ChurnModel:
        """Use Platt parameters fitted on a *prior-corrected* margin (e.g. of another model)."""
        self._check_fitted()
        shift = math.log(self.scale_pos_weight_)
        self.calibration_ = {"a": float(a), "b": float(b) - float(a) * shift}
        return self

    # -- predicting ------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise ModelError("error.model.not_trained", hint="error.model.not_trained.hint")

    def predict_margin(self, X: pl.DataFrame) -> np.ndarray:
        """Raw margin: linear prior plus trees plus any blended logistic regression
        (log-odds under the training weights)."""
        self._check_fitted()
        if len(X) == 0:
            return np.zeros(0)
        # straight from the matrix: building a DMatrix cost as much as predicting (the
        # booster knows its categorical columns; the tests compare both ways)
        out = self.booster_.inplace_predict(
            self._encoder.matrix(X),
            iteration_range=(0, self.n_trees_),
            predict_type="margin",
            missing=np.nan,
            base_margin=_prior_margin(self.prior_, X),
        )
        return np.asarray(out, dtype=np.float64) + self._linear_margin(X)

    def corrected_margin(self, X: pl.DataFrame) -> np.ndarray:
        """Margin with the class-weighting shift removed (log-odds of the true prior)."""
        return self._corrected(self.predict_margin(X))

    def _corrected(self, margin: np.ndarray) -> np.ndarray:
        return margin - math.log(self.scale_pos_weight_)

    def predict_logit(self, X: pl.DataFrame) -> np.ndarray:
        """Calibrated churn log-odds: ``a * margin + b``."""
        return self._calibrated(self.predict_margin(X))

    def _calibrated(self, margin: np.ndarray) -> np.ndarray:
        return self.calibration_["a"] * margin + self.calibration_["b"]

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        """Calibrated churn probability, one per row."""
        return _sigmoid(self.predict_logit(X))

    def proba_and_corrected_margin(self, X: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """``predict_proba`` and ``corrected_margin`` from one prediction (training needs both
        of the evaluation rows)."""
        margin = self.predict_margin(X)
        return _sigmoid(self._calibrated(margin)), self._corrected(margin)

    def contributions(
        self, X: pl.DataFrame, *, approximate: bool = False
    ) -> tuple[np.ndarray, float]:
        """Exact TreeSHAP in calibrated log-odds: (values of shape (n, features), base value).

        ``base + values.sum(axis=1) == logit(predict_proba(X))``. ``approximate`` uses
        XGBoost's path attributions (Saabas), about 25 times faster and just as additive,
        for customers nobody will look at closely.
        The linear prior adds ``coef_j * (z_j - centre_j)`` to feature j (z: its
        standardised log1p) and ``intercept + sum(coef_j * centre_j)`` to the base.
        """
        self._check_fitted()
        prior_margin = _prior_margin(self.prior_, X)
        dm = self._encoder.dmatrix(X, base_margin=prior_margin)
        raw = self.booster_.predict(
            dm,
            pred_contribs=True,
            approx_contribs=approximate,
            iteration_range=(0, self.n_trees_),
        )
        raw = np.asarray(raw, dtype=np.float64).reshape(-1, len(self.feature_names_) + 1)
        a, b = self.calibration_["a"], self.calibration_["b"]
        values = raw[:, :-1].copy()
        if len(raw):
            # XGBoost's bias column holds the per-row base_margin plus the trees' bias.
            bias = raw[:, -1] - (prior_margin if prior_margin is not None else 0.0)
            tree_bias = float(bias[0])
        else:  # the bias is the same for every row: ask with one all-missing row
            empty = np.full((1, len(self.feature_names_)), np.nan)
            one = xgb.DMatrix(
                empty,
                base_margin=np.zeros(1) if self.prior_ is not None else None,
                feature_names=self.feature_names_,
                feature_types=self._encoder.feature_types(),
                enable_categorical=True,
            )
            contrib = self.booster_.predict(
                one, pred_contribs=True, iteration_range=(0, self.n_trees_)
            )
            tree_bias = float(contrib[0, -1])
        base_margin = tree_bias
        # the linear parts: the prior the trees boost from, a table's blended regression
        for part, weight in ((self.prior_, 1.0), (self.linear_, self.linear_weight_)):
            if part is None:
                continue
            shares, base = part.contributions(X)
            for j, name in enumerate(part.columns):
                values[:, self.feature_names_.index(name)] += weight * shares[:, j]
            base_margin += weight * base
        return a * values, a * base_margin + b

    # -- state for bundles -----------------------------------------------------------

    def get_state(self) -> dict[str, Any]:
        """Everything besides the booster, as plain JSON types."""
        self._check_fitted()
        return {
            "kind": "churnlab.ChurnModel",
            "feature_names": list(self.feature_names_),
            "categorical": list(self.categorical_),
            "categories": {k: list(v) for k, v in self.categories_.items()},
            "calibration": {k: float(v) for k, v in self.calibration_.items()},
            "params": dict(self.params_),
            "n_trees": int(self.n_trees_),
            "best_iteration": int(self.best_iteration_),
            "scale_pos_weight": float(self.scale_pos_weight_),
            "linear_prior": None if self.prior_ is None else self.prior_.to_state(),
            "table_linear": None
            if self.linear_ is None
            else {"weight": self.linear_weight_, "model": self.linear_.to_state()},
            "xgboost_version": xgb.__version__,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], booster: xgb.Booster) -> ChurnModel:
        """Rebuild a fitted model from ``get_state()`` and its booster."""
        try:
            model = cls()
            model.booster_ = booster
            model.feature_names_ = list(state["feature_names"])
            model.categories_ = {k: list(v) for k, v in state["categories"].items()}
            model.categorical_ = list(state["categorical"])
            model.calibration_ = {k: float(v) for k, v in state["calibration"].items()}
            model.params_ = dict(state["params"])
            model.n_trees_ = int(state["n_trees"])
            model.best_iteration_ = int(state.get("best_iteration", model.n_trees_ - 1))
            model.scale_pos_weight_ = float(state.get("scale_pos_weight", 1.0))
            prior_state = state.get("linear_prior")
            model.prior_ = None if prior_state is None else LinearPrior.from_state(prior_state)
            if model.prior_ is not None and not set(model.prior_.features) <= set(
                model.feature_names_
            ):
                raise ValueError("the linear prior uses features the model does not list")
            blend = state.get("table_linear")
            model.linear_ = None
            model.linear_weight_ = 0.0
            if blend is not None:
                model.linear_ = TableLogisticBaseline.from_state(blend["model"])
                model.linear_weight_ = float(blend["weight"])
                if not set(model.linear_.columns) <= set(model.feature_names_):
                    raise ValueError("the logistic part uses features the model does not list")
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError("error.model.bad_state", error=str(exc)) from exc
        model._encoder = _Encoder(model.feature_names_, model.categories_)
        return model


# --------------------------------------------------------------------------- tuning


#: The search space's bounds. Trees deeper than 6 or rates below 0.05 won by hairs on
#: large shops yet made exact SHAP three times slower than a plain model (bench/RESULTS.md).
MAX_DEPTH = 6
MIN_RATE, MAX_RATE = 0.05, 0.3


def _sample_params(rng: np.random.Generator) -> dict[str, float | int]:
    """A broad random draw from the search space."""
    return {
        "max_depth": int(rng.integers(2, MAX_DEPTH + 1)),
        "min_child_weight": float(np.exp(rng.uniform(0.0, np.log(50.0)))),
        "learning_rate": float(np.exp(rng.uniform(np.log(MIN_RATE), np.log(MAX_RATE)))),
        "reg_lambda": float(np.exp(rng.uniform(np.log(0.1), np.log(20.0)))),
        "reg_alpha": float(rng.choice([0.0, 0.0, rng.uniform(0.0, 5.0)])),
        "subsample": float(rng.uniform(0.6, 1.0)),
        "colsample_bytree": float(rng.uniform(0.5, 1.0)),
        "gamma": float(rng.choice([0.0, 0.0, rng.uniform(0.0, 2.0)])),
    }


def _perturb(best: dict[str, Any], rng: np.random.Generator) -> dict[str, float | int]:
    """A draw near the best parameters so far (the fine half of coarse-to-fine)."""
    p = dict(best)
    p["max_depth"] = int(np.clip(int(best["max_depth"]) + rng.integers(-1, 2), 2, MAX_DEPTH))
    p["min_child_weight"] = float(
        np.clip(best["min_child_weight"] * np.exp(rng.normal(0, 0.5)), 1, 50)
    )
    p["learning_rate"] = float(
        np.clip(best["learning_rate"] * np.exp(rng.normal(0, 0.3)), MIN_RATE, MAX_RATE)
    )
    p["reg_lambda"] = float(np.clip(best["reg_lambda"] * np.exp(rng.normal(0, 0.7)), 0.1, 20))
    p["reg_alpha"] = float(np.clip(best["reg_alpha"] + rng.normal(0, 0.3), 0, 5))
    p["subsample"] = float(np.clip(best["subsample"] + rng.normal(0, 0.1), 0.5, 1.0))
    p["colsample_bytree"] = float(np.clip(best["colsample_bytree"] + rng.normal(0, 0.1), 0.4, 1.0))
    p["gamma"] = float(np.clip(best["gamma"] + rng.normal(0, 0.2), 0, 5))
    return p


def _row_sample(n: int, limit: int, groups: np.ndarray | None, seed: int) -> np.ndarray | None:
    """Row indices of a seeded sample of whole customers, or None when no sampling is needed."""
    if n <= limit:
        return None
    rng = np.random.default_rng(seed)
    if groups is None:
        return np.sort(rng.choice(n, size=limit, replace=False))
    uniq, inverse = np.unique(np.asarray(groups).astype(str), return_inverse=True)
    keep_share = limit / n
    chosen = rng.random(len(uniq)) < keep_share
    idx = np.flatnonzero(chosen[inverse])
    return idx if len(idx) else np.sort(rng.choice(n, size=limit, replace=False))


def _trial(
    params: dict[str, Any],
    dtrain: xgb.DMatrix,
    dvalid: xgb.DMatrix,
    y_valid: np.ndarray,
    spw: float,
    config: TrainingConfig,
    threads: int,
    alone: threading.Event | None = None,
) -> dict[str, Any]:
    """One tuning trial: boost with early stopping on ``dvalid``, score the validation rows."""
    t0 = time.perf_counter()
    booster, n_trees = _train_booster(
        dtrain,
        dvalid,
        _xgb_params(params, spw, config.seed, threads),
        config.max_trees,
        config.early_stopping_rounds,
        alone,
    )
    margin = booster.predict(dvalid, output_margin=True, iteration_range=(0, n_trees))
    corrected = np.asarray(margin, dtype=np.float64) - math.log(spw)
    p = _sigmoid(corrected)
    return {
        "params": params,
        "n_trees": int(n_trees),
        "rows": dtrain.num_row(),
        "valid_rows": dvalid.num_row(),
        "valid_logloss": log_loss(y_valid, p),
        "valid_auc": auc(y_valid, p),
        # the slope that calibrates this trial on the validation slice, so the chosen
        # settings need no second fit just to learn it
        "platt_slope": platt(corrected, y_valid)[0],
        "seconds": round(time.perf_counter() - t0, 3),
    }


def tune(
    X_train: pl.DataFrame,
    y_train: np.ndarray,
    X_valid: pl.DataFrame,
    y_valid: np.ndarray,
    categorical: list[str],
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
    *,
    groups: np.ndarray | None = None,
    valid_groups: np.ndarray | None = None,
    linear_prior: bool = True,
    search: bool = True,
) -> tuple[dict[str, Any], int, list[dict[str, Any]]]:
    """Seeded coarse-to-fine parameter search with early stopping on the validation rows.

    Trials are scored by the validation log loss of the prior-corrected probabilities
    (AUC is recorded too). The first trial is ``DEFAULT_PARAMS``; the first half of the
    remaining trials are broad random draws, the second half perturb the best so far.
    Training rows above ``config.max_tuning_rows`` are sampled by customer (``groups``), and so
    are validation rows (``valid_groups``): early stopping evaluates the validation slice after
    every tree, so on a big shop an unbounded slice costs as much as the boosting itself.
    The search stops early once ``config.tuning_patience`` trials in a row (after the
    default ones) have not improved the best log loss by more than ``LOGLOSS_TOLERANCE``:
    deterministic, and on most shops far sooner than the time budget.
    When RFM features exist (and ``linear_prior``), trial 1 repeats the defaults with
    the trees boosting from the linear prior (``params["linear_prior"]``); the prior is
    kept for every later trial when that trial's log loss is within
    ``LOGLOSS_TOLERANCE`` of trial 0's, else the search goes on exactly as without it.
    The prior is fitted on the tuning rows. Without ``search`` (a big shop) only the default
    trials run, at the big shop's learning rate and depth. The two default trials (with and
    without the prior) run side by side on one thread each.
    Returns ``(params, n_trees, trials)``.
    """
    config = config or TrainingConfig()
    y_train = _check_labels(y_train, "training")
    y_valid = _check_labels(y_valid, "validation")
    start = time.perf_counter()
    idx = _row_sample(len(X_train), int(config.max_tuning_rows), groups, config.seed)
    if idx is not None:
        X_train = X_train[idx]
        y_train = y_train[idx]
        if y_train.min() == y_train.max():
            raise DataError(
                "error.model.tuning_one_class", hint="error.model.tuning_one_class.hint"
            )
        logger.info("tuning on a sample of %d rows", len(idx))
    vidx = _row_sample(len(X_valid), int(config.max_tuning_rows), valid_groups, config.seed + 1)
    if vidx is not None and np.unique(y_valid[vidx]).size == 2:
        X_valid, y_valid = X_valid[vidx], y_valid[vidx]
        logger.info("validating on a sample of %d rows", len(vidx))
    encoder = _Encoder.learn(X_train, list(categorical))
    spw = _scale_pos_weight(y_train)
    has_prior = linear_prior and bool(LinearPrior.usable(X_train, list(encoder.categories)))
    train_matrix, valid_matrix = encoder.matrix(X_train), encoder.matrix(X_valid)
    valid_weight = _class_weights(y_valid, spw)
    dtrain = encoder.dmatrix(train_matrix, y_train)
    dvalid = encoder.dmatrix(valid_matrix, y_valid, weight=valid_weight)
    margins: dict[bool, tuple[np.ndarray | None, np.ndarray | None]] = {False: (None, None)}
    pending: dict[int, Future[dict[str, Any]]] = {}
    alone: dict[int, threading.Event] = {}  # trial -> set once the trial beside it is done
    if has_prior:
        # the two default trials, with and without the prior, run side by side on one
        # thread each (a quarter faster than one after the other on both cores); the one
        # still running when the other is done goes on on both
        alone = {0: threading.Event(), 1: threading.Event()}
        prior = _fit_prior(X_train, y_train, list(encoder.categories), spw, True)
        margins[True] = (_prior_margin(prior, X_train), _prior_margin(prior, X_valid))
        with_prior = {**default_params(config, big_shop=not search), PRIOR_PARAM: True}
        pending[1] = beside(
            _trial,
            with_prior,
            encoder.dmatrix(train_matrix, y_train, base_margin=margins[True][0]),
            encoder.dmatrix(
                valid_matrix, y_valid, weight=valid_weight, base_margin=margins[True][1]
            ),
            y_valid,
            spw,
            config,
            SIDE_BY_SIDE_THREADS,
            alone[1],
        )
        pending[1].add_done_callback(lambda _done: alone[0].set())
    rng = np.random.default_rng(config.seed)
    trials: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None  # the best trial of the chosen family (prior or not)
    coarse = 1 + max(0, config.max_trials - 1) // 2
    extra = 1 if has_prior else 0  # the trial that tries the prior
    chosen_prior = False
    best_loss = math.inf  # the best validation log loss of any trial so far
    stale = 0  # trials in a row since one improved it by more than LOGLOSS_TOLERANCE
    for i in range(int(config.max_trials)):
        if i > 0 and i not in pending and time.perf_counter() - start > config.tuning_seconds:
            break  # (a trial already running is taken)
        if i > extra and not search:
            break
        if i > extra and stale >= max(1, config.tuning_patience):
            logger.info("tuning stopped after %d trials without improvement", stale)
            break
        step = i if i <= extra else i - extra  # position in the plain search
        if i == 0 or i == extra:
            params: dict[str, Any] = default_params(config, big_shop=not search)
        elif step < coarse or best is None:
            params = _sample_params(rng)
        else:
            params = _perturb(best["params"], rng)
        if has_prior:
            params[PRIOR_PARAM] = chosen_prior if i != 1 else True
        use_prior = bool(params.get(PRIOR_PARAM, False))
        if i in pending:
            trial = pending.pop(i).result()
        else:
            if use_prior and use_prior not in margins:
                prior = _fit_prior(X_train, y_train, list(encoder.categories), spw, True)
                margins[True] = (_prior_margin(prior, X_train), _prior_margin(prior, X_valid))
            dtrain.set_base_margin(margins[use_prior][0] if use_prior else [])
            dvalid.set_base_margin(margins[use_prior][1] if use_prior else [])
            # beside the prior's trial while it runs; the search's trials on both cores
            threads = SIDE_BY_SIDE_THREADS if pending else NTHREAD
            trial = _trial(params, dtrain, dvalid, y_valid, spw, config, threads, alone.get(i))
            if i + 1 in alone:
                alone[i + 1].set()  # the trial beside this one goes on on every core
        trial = {"trial": i, **trial}
        trials.append(trial)
        if i > extra:
            improved = trial["valid_logloss"] < best_loss * (1 - LOGLOSS_TOLERANCE)
            stale = 0 if improved else stale + 1
        best_loss = min(best_loss, trial["valid_logloss"])
        if has_prior and i == 1:
            # The prior is kept when it is as good as the plain defaults (the parsimony
            # tolerance): on the validation slice it then costs nothing, and beyond the
            # training range it extrapolates like a logistic regression.
            plain_loss = trials[0]["valid_logloss"]
            chosen_prior = trial["valid_logloss"] <= plain_loss * (1 + LOGLOSS_TOLERANCE)
            logger.info("linear prior %s", "kept" if chosen_prior else "dropped")
            if chosen_prior:
                best = trial
        elif best is None or trial["valid_logloss"] < best["valid_logloss"]:
            best = trial
        if progress:
            progress(
                min(1.0, (i + 1) / config.max_trials),
                Message(
                    "progress.trial",
                    {"tried": i + 1, "logloss": float(best["valid_logloss"])},
                ),
            )
    if best is None:  # max_trials < 1 is refused by TrainingConfig.validate
        raise ModelError("error.model.no_trials", hint="error.model.no_trials.hint")
    chosen = _simplest_good_enough(trials)
    for trial in trials:
        trial["chosen"] = trial is chosen
    return dict(chosen["params"]), int(chosen["n_trees"]), trials


#: Trials within this relative distance of the best validation log loss count as equally good.
LOGLOSS_TOLERANCE = 0.005


def _model_cost(trial: dict[str, Any]) -> float:
    """Trees x leaves x depth²: what exact TreeSHAP time grows with."""
    depth = int(trial["params"]["max_depth"])
    return float(trial["n_trees"]) * 2.0**depth * depth**2


def _simplest_good_enough(trials: list[dict[str, Any]]) -> dict[str, Any]:
    """The cheapest trial whose log loss is within 0.5 % of the best (a parsimony rule).

    Deep forests that win by a hair on the validation slice overfit the next period and
    make every explanation slower; an equally good shallow model is preferred.
    Among equally good trials those with the linear prior win: on the validation slice
    they are as good, and beyond the training range they extrapolate like a logistic
    regression instead of flat.
    """
    best_loss = min(t["valid_logloss"] for t in trials)
    good = [t for t in trials if t["valid_logloss"] <= best_loss * (1 + LOGLOSS_TOLERANCE)]
    good = [t for t in good if t["params"].get(PRIOR_PARAM)] or good
    return min(good, key=lambda t: (_model_cost(t), t["valid_logloss"], t["trial"]))
