"""Thorough tuning for labelled customer tables: cross-validated, depth 2-8.

A customer table is small and has no time axis, so one 20 % validation slice is a noisy
judge: two settings a few thousandths apart swap places on another slice. Here every
candidate is scored by the out-of-fold log loss of stratified K-fold cross-validation on the
development rows. The candidates always include what a data scientist would try first
(XGBoost's own defaults at depth 3 and at depth 6, 100 trees at learning rate 0.3) and
churnlab's defaults, then seeded random draws over depth 2-8 with stronger regularisation
on small tables, then perturbations of the best. The chosen settings are therefore at least
as good in cross-validation as the plain XGBoost peers.

Every candidate is judged as it will be delivered, Platt-scaled: raw margins of a sharp
ranker (XGBoost's defaults at learning rate 0.3) are overconfident, and their raw log loss
hid how well they rank.

Last, the chosen trees are blended with a logistic regression on the same columns, its
logit counting as much as the calibrated trees' (the two averaged), unless out of fold the
blend ranks customers worse than the trees alone. A few thousand customers hold smooth
effects (a charge that rises with tenure) that trees approximate in steps; the weight is
fixed, not fitted on the same out-of-fold predictions that chose the trees, which flatter
the chosen trees and gave the regression too little weight. On both public telecom tables
the blend ranked held-out customers better than the trees alone, the plain XGBoost peers
and the regression, in every one of six splits (README).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from churnlab._xgb import xgb
from churnlab.baselines import TableLogisticBaseline
from churnlab.config import TrainingConfig
from churnlab.errors import ChurnlabError
from churnlab.i18n import Message
from churnlab.model import (
    DEFAULT_PARAMS,
    LOGLOSS_TOLERANCE,
    _Encoder,
    _scale_pos_weight,
    _xgb_params,
    auc,
    log_loss,
    platt,
)

Progress = Callable[[float, Message], None]

FOLDS = 5
MAX_DEPTH = 8
SMALL_TABLE = 5_000
"""Below this many rows the random draws favour heavier regularisation."""
PLAIN_TREES = 100
"""XGBoost's default number of trees (``n_estimators``), for the plain peers."""
PLAIN_PARAMS: dict[str, float | int] = {
    "learning_rate": 0.3,
    "min_child_weight": 1.0,
    "reg_lambda": 1.0,
    "reg_alpha": 0.0,
    "subsample": 1.0,
    "colsample_bytree": 1.0,
    "gamma": 0.0,
}
"""XGBoost's defaults (``max_depth`` set per peer)."""
BLEND_AUC_TOLERANCE = 0.001
"""The blend with the logistic regression is kept unless it ranks worse out of fold than the
trees alone by more than this ROC AUC (ties within it go to the blend, which measured better
on held-out rows of both public telecom tables: README)."""


class Tuned(NamedTuple):
    """What the search chose, for the refits."""

    params: dict[str, Any]
    trees: int
    """Trees of a fit on K-1 folds (``cv_scale`` for a refit on all)."""
    trials: list[dict[str, Any]]
    slope: float
    """Platt slope of the chosen margin (with the blend, if any) out of fold."""
    linear_weight: float
    """Weight of the logistic regression's logit beside the trees (0: trees alone)."""


def plain_candidates() -> list[tuple[str, dict[str, Any], int | None]]:
    """(name, parameters, fixed trees or None for early stopping) tried first."""
    return [
        ("xgboost_depth3", {**PLAIN_PARAMS, "max_depth": 3}, PLAIN_TREES),
        ("xgboost_depth6", {**PLAIN_PARAMS, "max_depth": 6}, PLAIN_TREES),
        ("churnlab_default", dict(DEFAULT_PARAMS), None),
    ]


def stratified_folds(y: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Fold number of every row: each fold holds about the same share of churners."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=np.int64)
    for value in (0, 1):
        idx = np.flatnonzero(y == value)
        idx = idx[rng.permutation(len(idx))]
        fold[idx] = np.arange(len(idx)) % folds
    return fold


def _draw(rng: np.random.Generator, rows: int) -> dict[str, Any]:
    small = rows < SMALL_TABLE
    low_mcw, high_mcw = (3.0, 100.0) if small else (1.0, 50.0)
    low_lambda, high_lambda = (1.0, 50.0) if small else (0.1, 20.0)
    return {
        "max_depth": int(rng.integers(2, MAX_DEPTH + 1)),
        "min_child_weight": float(np.exp(rng.uniform(np.log(low_mcw), np.log(high_mcw)))),
        "learning_rate": float(np.exp(rng.uniform(np.log(0.02), np.log(0.3)))),
        "reg_lambda": float(np.exp(rng.uniform(np.log(low_lambda), np.log(high_lambda)))),
        "reg_alpha": float(rng.choice([0.0, 0.0, rng.uniform(0.0, 5.0)])),
        "subsample": float(rng.uniform(0.5, 1.0)),
        "colsample_bytree": float(rng.uniform(0.4, 1.0)),
        "gamma": float(rng.choice([0.0, 0.0, rng.uniform(0.0, 2.0)])),
    }


def _near(best: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    p = dict(best)
    p["max_depth"] = int(np.clip(int(best["max_depth"]) + rng.integers(-1, 2), 2, MAX_DEPTH))
    for key, spread, low, high in (
        ("min_child_weight", 0.5, 1.0, 100.0),
        ("learning_rate", 0.3, 0.02, 0.3),
        ("reg_lambda", 0.7, 0.1, 50.0),
    ):
        p[key] = float(np.clip(float(best[key]) * np.exp(rng.normal(0, spread)), low, high))
    p["subsample"] = float(np.clip(float(best["subsample"]) + rng.normal(0, 0.1), 0.5, 1.0))
    p["colsample_bytree"] = float(
        np.clip(float(best["colsample_bytree"]) + rng.normal(0, 0.1), 0.4, 1.0)
    )
    return p


def _cross_validate(
    matrices: list[tuple[xgb.DMatrix, xgb.DMatrix, np.ndarray]],
    y: np.ndarray,
    params: dict[str, Any],
    trees: int | None,
    config: TrainingConfig,
    spw: float,
) -> tuple[np.ndarray, int]:
    """Out-of-fold margins, corrected for the class weight as ``ChurnModel`` corrects them,
    and the trees to refit with (the mean best iteration, or the fixed number)."""
    margins = np.zeros(len(y), dtype=np.float64)
    best: list[int] = []
    xparams = _xgb_params(params, spw, config.seed)
    for dtrain, dvalid, rows in matrices:
        booster = xgb.train(
            xparams,
            dtrain,
            num_boost_round=int(trees or config.max_trees),
            evals=[(dvalid, "valid")] if trees is None else [],
            early_stopping_rounds=config.early_stopping_rounds if trees is None else None,
            verbose_eval=False,
        )
        used = int(booster.best_iteration) + 1 if trees is None else int(trees)
        best.append(used)
        margins[rows] = booster.predict(dvalid, output_margin=True, iteration_range=(0, used))
    margins -= math.log(spw)
    return margins, round(float(np.mean(best)))


def tune_cv(
    X: pl.DataFrame,
    y: np.ndarray,
    categorical: list[str],
    config: TrainingConfig,
    progress: Progress | None = None,
    folds: int = FOLDS,
) -> Tuned:
    """Cross-validated search, then the blend with a logistic regression (module docstring).

    Trials stop at ``config.max_trials`` + the plain peers, at the time budget, or after
    ``2 * config.tuning_patience`` draws in a row without a gain beyond the tolerance.
    Among trials within ``LOGLOSS_TOLERANCE`` of the best, the shallowest, smallest wins.
    """
    y = np.asarray(y).astype(np.int8)
    folds = int(max(2, min(folds, np.bincount(y, minlength=2).min())))
    fold = stratified_folds(y, folds, config.seed)
    encoder = _Encoder.learn(X, list(categorical))
    spw = _scale_pos_weight(y)  # as the refit will weigh the classes
    matrices = []
    oof: dict[int, np.ndarray] = {}  # out-of-fold margins of every trial
    for k in range(folds):
        inside, outside = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        matrices.append(
            (
                encoder.dmatrix(X[inside], y[inside]),
                encoder.dmatrix(X[outside], y[outside]),
                outside,
            )
        )
    rng = np.random.default_rng(config.seed)
    start = time.perf_counter()
    plain = plain_candidates()
    budget = len(plain) + int(config.max_trials)
    trials: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    stale = 0
    for i in range(budget):
        if i >= len(plain) and time.perf_counter() - start > config.tuning_seconds:
            break
        if i >= len(plain) and stale >= 2 * max(1, config.tuning_patience):
            break
        if i < len(plain):
            name, params, trees = plain[i]
        else:
            draws = i - len(plain)
            coarse = draws < max(2, int(config.max_trials) // 2)
            name, trees = "search", None
            params = _draw(rng, len(y)) if coarse or best is None else _near(best["params"], rng)
        t0 = time.perf_counter()
        margins, used = _cross_validate(matrices, y, params, trees, config, spw)
        # judged as delivered: Platt-scaled (a sharp ranker's raw margins are overconfident)
        a, b = platt(margins, y)
        p = 1.0 / (1.0 + np.exp(-(a * margins + b)))
        oof[i] = margins
        trial = {
            "trial": i,
            "candidate": name,
            "params": dict(params),
            "n_trees": used,
            "rows": len(y),
            "folds": folds,
            "valid_logloss": log_loss(y, p),
            "valid_auc": auc(y, p),
            "platt_slope": a,
            "seconds": round(time.perf_counter() - t0, 3),
        }
        trials.append(trial)
        if best is not None and i >= len(plain):
            improved = trial["valid_logloss"] < best["valid_logloss"] * (1 - LOGLOSS_TOLERANCE)
            stale = 0 if improved else stale + 1
        if best is None or trial["valid_logloss"] < best["valid_logloss"]:
            best = trial
        if progress:
            progress(
                min(1.0, (i + 1) / budget),
                Message("progress.trial", {"tried": i + 1, "logloss": best["valid_logloss"]}),
            )
    chosen = _simplest(trials)
    for trial in trials:
        trial["chosen"] = trial is chosen
    slope, weight = float(chosen["platt_slope"]), 0.0
    blended = _blend(X, y, categorical, fold, oof[int(chosen["trial"])], slope)
    if blended is not None:
        slope, weight = blended
    chosen["linear_weight"] = weight
    return Tuned(dict(chosen["params"]), int(chosen["n_trees"]), trials, slope, weight)


def _linear_out_of_fold(
    X: pl.DataFrame, y: np.ndarray, categorical: list[str], fold: np.ndarray
) -> np.ndarray | None:
    """The logistic regression's out-of-fold logits; None when it cannot be fitted."""
    margins = np.zeros(len(y), dtype=np.float64)
    for k in np.unique(fold):
        inside, outside = fold != k, fold == k
        try:
            linear = TableLogisticBaseline().fit(X.filter(inside), y[inside], categorical)
        except ChurnlabError:  # no usable column, or one class in a fold
            return None
        margins[outside] = linear.margin(X.filter(outside))
    return margins


def _blend(
    X: pl.DataFrame,
    y: np.ndarray,
    categorical: list[str],
    fold: np.ndarray,
    trees: np.ndarray,
    slope: float,
) -> tuple[float, float] | None:
    """(Platt slope, weight of the logistic logit) of the blend in which the regression's
    logit counts as much as the calibrated trees' (``trees``: their out-of-fold margins,
    ``slope``: their Platt slope); None when, out of fold, it would rank customers worse than
    the trees alone (by more than ``BLEND_AUC_TOLERANCE``)."""
    linear = _linear_out_of_fold(X, y, categorical, fold)
    if linear is None or slope <= 0:
        return None
    weight = 1.0 / slope
    blended = trees + weight * linear
    if auc(y, blended) < auc(y, trees) - BLEND_AUC_TOLERANCE:
        return None
    return platt(blended, y)[0], weight


def _simplest(trials: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(t["valid_logloss"] for t in trials)
    good = [t for t in trials if t["valid_logloss"] <= best * (1 + LOGLOSS_TOLERANCE)]
    cost = lambda t: float(t["n_trees"]) * 2.0 ** int(t["params"]["max_depth"])  # noqa: E731
    return min(good, key=lambda t: (cost(t), t["valid_logloss"], t["trial"]))


def cv_scale(trees: int, folds: int) -> int:
    """Trees for a refit on all K folds: a little more data, a few more trees."""
    return max(1, round(trees * math.sqrt(folds / max(1, folds - 1))))


class PlainXGBoostBaseline:
    """XGBoost exactly as a data scientist's first try would be: the library's defaults
    (100 trees, learning rate 0.3, no class weights) at a given depth. A peer the tuned
    model must at least match on the same hold-out."""

    def __init__(self, depth: int, seed: int = 0) -> None:
        self.depth = depth
        self.seed = seed

    def fit(self, X: pl.DataFrame, y: np.ndarray, categorical: list[str]) -> PlainXGBoostBaseline:
        self.encoder_ = _Encoder.learn(X, list(categorical))
        params = _xgb_params({**PLAIN_PARAMS, "max_depth": self.depth}, 1.0, self.seed)
        self.booster_ = xgb.train(
            params, self.encoder_.dmatrix(X, np.asarray(y)), num_boost_round=PLAIN_TREES
        )
        return self

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        return np.asarray(self.booster_.predict(self.encoder_.dmatrix(X)), dtype=np.float64)
