"""Honest training: out-of-time validation for event logs, a held-out split for tables.

Event logs (``feature_set.plan`` is set):

1. Training rows are the cut-offs in ``plan.validation_cutoffs`` (their label windows
   end by the evaluation cut-off).
2. Tuning repeats that set-up one step earlier: the latest training cut-off is the
   validation slice (tuning, early stopping, Platt calibration) and the model is fitted
   on the cut-offs at least ``eval_cutoff - latest training cut-off`` days before it, so
   that no fit label window overlaps the validation period (the same customers' overlapping
   windows would flatter the validation). With too few such rows (e.g. a single training
   cut-off) a seeded 20 % sample of customers is held out instead, with a warning.
3. The evaluated model is refit on all training cut-offs with the chosen parameters and
   ``n_trees * sqrt(rows / rows_tuned)`` trees, reusing the Platt scaling from step 2.
4. The evaluation snapshot (rows at ``plan.eval_cutoff``) is never used for fitting or
   tuning. The model and the baselines (fitted on the same training rows) are scored on it.
5. The final model is refit on every cut-off in ``plan.cutoffs`` (trees scaled likewise).
   Its calibration: Platt scaling fitted on the evaluated model's prior-corrected margins
   at the evaluation cut-off (the freshest honest predictions), applied to the final
   model's prior-corrected margin.

Labelled customer tables (``plan`` is None): a stratified, seeded 20 % hold-out gives
the reported estimate; inside the other 80 % stratified 5-fold cross-validation chooses
the settings, the Platt slope and the weight of a logistic regression blended with the
trees (``table_tuning``), then the model is refit on the 80 % as in step 3;
``TableLogisticBaseline`` and plain XGBoost peers are scored on the same hold-out; the
final model is refit on everything and calibrated as in step 5.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from churnlab._threads import beside
from churnlab.baselines import (
    BgNbdBaseline,
    RecencyBaseline,
    RfmLogisticBaseline,
    TableLogisticBaseline,
)
from churnlab.config import TrainingConfig
from churnlab.errors import DataError
from churnlab.evaluation import evaluate
from churnlab.features import fitting_sample
from churnlab.i18n import Message
from churnlab.model import (
    LINEAR_BLEND_PARAM,
    NTHREAD,
    SIDE_BY_SIDE_THREADS,
    ChurnModel,
    platt,
    tune,
)
from churnlab.table_tuning import PlainXGBoostBaseline, cv_scale, tune_cv

logger = logging.getLogger(__name__)

#: progress(fraction, step): fraction 0..1 done; step is a ``Message`` (``progress.*`` key)
#: for the app to show in the user's language (``str(step)`` is English).
Progress = Callable[[float, Message], None]

MIN_TRAIN_ROWS = 30
MIN_CLASS_ROWS = 5
MIN_EVAL_ROWS = 20
SMALL_EVAL_ROWS = 200
SMALL_EVAL_CHURNERS = 20
VALID_SHARE = 0.2
HOLDOUT_SHARE = 0.2


@dataclass
class TrainResult:
    """What a training run produced: the final model and the honest estimate of its quality."""

    model: ChurnModel
    metrics: dict[str, dict]
    eval_predictions: pl.DataFrame
    params: dict[str, Any]
    n_trees: int
    trials: list[dict[str, Any]]
    cutoff_stats: list[dict[str, Any]]
    mode: str
    warnings: list[Message] = field(default_factory=list)
    seconds: float = 0.0


def _report(progress: Progress | None, fraction: float, key: str) -> None:
    message = Message(key)
    logger.info("%3.0f%% %s", 100 * fraction, message)
    if progress is not None:
        progress(float(min(max(fraction, 0.0), 1.0)), message)


def _sub_progress(progress: Progress | None, lo: float, hi: float) -> Progress | None:
    if progress is None:
        return None
    return lambda f, m: progress(lo + (hi - lo) * f, m)


def _labels(frame: pl.DataFrame) -> np.ndarray:
    return frame.get_column("label").cast(pl.Int64).to_numpy().astype(np.int8)


def _check_rows(y: np.ndarray, what: str, minimum: int) -> None:
    """Refuse slices that are too small or hold one class only."""
    n = len(y)
    churners = int(y.sum())
    if n < minimum:
        raise DataError(
            "error.training.too_few.training"
            if what == "training"
            else "error.training.too_few.validation"
            if what == "validation"
            else "error.training.too_few.evaluation",
            hint="error.training.too_few.hint",
            n=n,
            minimum=minimum,
        )
    if churners < MIN_CLASS_ROWS or n - churners < MIN_CLASS_ROWS:
        raise DataError(
            "error.training.one_class.training"
            if what == "training"
            else "error.training.one_class.validation"
            if what == "validation"
            else "error.training.one_class.evaluation",
            hint="error.training.one_class.hint",
            churners=churners,
            retained=n - churners,
            minimum=MIN_CLASS_ROWS,
        )


def _customer_split(ids: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Boolean mask of a seeded sample of whole customers (about ``share`` of them)."""
    uniq, inverse = np.unique(ids.astype(str), return_inverse=True)
    rng = np.random.default_rng(seed)
    chosen = np.zeros(len(uniq), dtype=bool)
    n_pick = max(1, round(share * len(uniq)))
    chosen[rng.permutation(len(uniq))[:n_pick]] = True
    return chosen[inverse]


def _stratified_mask(y: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Boolean mask picking ``share`` of each class, seeded."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(y), dtype=bool)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        n_pick = max(1, round(share * len(idx))) if len(idx) > 1 else 0
        mask[rng.permutation(idx)[:n_pick]] = True
    return mask


def _cutoff_stats(frame: pl.DataFrame) -> list[dict[str, Any]]:
    stats = (
        frame.group_by("cutoff")
        .agg(
            pl.len().alias("population"),
            pl.col("label").cast(pl.Int64).sum().alias("churners"),
        )
        .sort("cutoff")
    )
    out = []
    for row in stats.iter_rows(named=True):
        cutoff = row["cutoff"]
        out.append(
            {
                "cutoff": cutoff.isoformat() if isinstance(cutoff, dt.date) else None,
                "population": int(row["population"]),
                "churners": int(row["churners"]),
                "churn_rate": float(row["churners"] / row["population"]),
            }
        )
    return out


def _fitting_rows(
    labelled: pl.LazyFrame,
    cutoffs: list[dt.date],
    limit: int,
    seed: int,
    sample: pl.Series | None = None,
) -> pl.DataFrame:
    """The rows of ``cutoffs`` to fit on: all of them, or a seeded sample of whole customers
    holding about ``limit`` rows (``sample``, when the feature set was built for it).
    Filtering lazily never copies the full feature table."""
    rows = labelled.filter(pl.col("cutoff").is_in(cutoffs))
    if sample is None:
        sample = fitting_sample(rows, limit, seed)
    if sample is None:
        return rows.collect()
    return rows.filter(pl.col("customer_id").is_in(sample.implode())).collect()


def _scaled_trees(n_trees: int, rows_fit: int, rows_final: int, config: TrainingConfig) -> int:
    """More data supports more trees; grow with the square root of the size ratio."""
    ratio = max(1.0, rows_final / max(1, rows_fit))
    return int(min(config.max_trees, max(1, round(n_trees * math.sqrt(ratio)))))


def _compare(metrics: dict[str, dict], warnings: list[Message]) -> None:
    model = metrics["model"]
    for name, m in metrics.items():
        if name == "model":
            continue
        if model["roc_auc"] <= m["roc_auc"] or model["log_loss"] >= m["log_loss"]:
            values = {
                "name": name,
                "auc": float(model["roc_auc"]),
                "baseline_auc": float(m["roc_auc"]),
                "logloss": float(model["log_loss"]),
                "baseline_logloss": float(m["log_loss"]),
            }
            warnings.append(Message("training.warning.not_better", values))


def _size_warnings(y: np.ndarray, warnings: list[Message]) -> None:
    if len(y) < SMALL_EVAL_ROWS or int(y.sum()) < SMALL_EVAL_CHURNERS:
        values = {"n": len(y), "churners": int(y.sum())}
        warnings.append(Message("training.warning.small_eval", values))


def _uses_prior(feature_set: Any) -> bool:
    """The linear RFM prior is for event logs: it extrapolates recency beyond past cut-offs."""
    return feature_set.plan is not None


def _refit(
    feature_set: Any,
    frame: pl.DataFrame,
    params: dict[str, Any],
    n_trees: int,
    platt_ab: tuple[float, float],
    config: TrainingConfig,
    threads: int = NTHREAD,
    alone: threading.Event | None = None,
) -> ChurnModel:
    """A plain fit with given parameters and trees, calibrated with Platt values from elsewhere."""
    model = ChurnModel(config).fit(
        frame.select(list(feature_set.feature_names)),
        _labels(frame),
        categorical=list(feature_set.categorical),
        params=params,
        n_trees=n_trees,
        linear_prior=_uses_prior(feature_set),
        threads=threads,
        alone=alone,
    )
    return model.set_platt(*platt_ab)


class _Developed(NamedTuple):
    """What tuning and the evaluated refit leave for the rest of training (``_develop``)."""

    evaluated: ChurnModel
    final_fit: Future[ChurnModel]
    """The final model's fit, running beside the rest of training; not yet calibrated."""
    params: dict[str, Any]
    trials: list[dict[str, Any]]
    tuned_trees: int
    rows_tuned: int


def _develop(
    feature_set: Any,
    fit_frame: pl.DataFrame,
    valid_frame: pl.DataFrame,
    train_frame: pl.DataFrame,
    final_frame: pl.DataFrame,
    config: TrainingConfig,
    progress: Progress | None,
    search: bool = True,
) -> _Developed:
    """Tune on fit/valid, then refit on all ``train_frame`` rows (the model that is evaluated).

    Early stopping and Platt scaling come from the validation slice; the refit grows the
    number of trees with the data and reuses that Platt scaling. The final fit on
    ``final_frame`` starts first and both fits run side by side on one thread each: XGBoost
    keeps one core busier than two, so the pair takes about a quarter less time than one
    fit after the other on both cores (bench/RESULTS.md), and the boosters are the same.
    Whichever is still running when the other is done goes on on both cores.
    """
    names = list(feature_set.feature_names)
    categorical = list(feature_set.categorical)
    y_fit, y_valid = _labels(fit_frame), _labels(valid_frame)
    _check_rows(y_fit, "training", MIN_TRAIN_ROWS)
    _check_rows(y_valid, "validation", 2 * MIN_CLASS_ROWS)
    X_fit, X_valid = fit_frame.select(names), valid_frame.select(names)
    params, _, trials = tune(
        X_fit,
        y_fit,
        X_valid,
        y_valid,
        categorical,
        config,
        _sub_progress(progress, 0.1, 0.55),
        groups=fit_frame.get_column("customer_id").to_numpy(),
        valid_groups=valid_frame.get_column("customer_id").to_numpy(),
        linear_prior=_uses_prior(feature_set),
        search=search,
    )
    _report(progress, 0.55, "progress.fitting_chosen")
    # The chosen trial was fitted on (a sample of) fit_frame with early stopping on the
    # validation slice: its tree count and Platt slope carry over without a second fit.
    chosen = next(t for t in trials if t.get("chosen"))
    slope, tuned_trees, rows_tuned = chosen["platt_slope"], chosen["n_trees"], chosen["rows"]
    side = SIDE_BY_SIDE_THREADS
    final_alone, refit_alone = threading.Event(), threading.Event()  # set when the other is done
    final_fit = beside(
        _final_fit,
        feature_set,
        final_frame,
        params,
        tuned_trees,
        rows_tuned,
        config,
        side,
        final_alone,
    )
    final_fit.add_done_callback(lambda _done: refit_alone.set())
    n_trees = _scaled_trees(tuned_trees, rows_tuned, len(train_frame), config)
    try:
        model = _refit(
            feature_set, train_frame, params, n_trees, (slope, 0.0), config, side, refit_alone
        )
    finally:
        final_alone.set()  # the final fit goes on on every core
    latest = _latest_rows(train_frame)
    model = _match_level(model, slope, latest.select(names), _labels(latest))
    return _Developed(model, final_fit, params, trials, tuned_trees, rows_tuned)


def _final_fit(
    feature_set: Any,
    final_frame: pl.DataFrame,
    params: dict[str, Any],
    tuned_trees: int,
    rows_tuned: int,
    config: TrainingConfig,
    threads: int = NTHREAD,
    alone: threading.Event | None = None,
) -> ChurnModel:
    """The final model fitted on every row, its trees scaled from the tuned ones; not yet
    calibrated (``_calibrate_final``)."""
    n_final = _scaled_trees(tuned_trees, rows_tuned, len(final_frame), config)
    return _refit(feature_set, final_frame, params, n_final, (1.0, 0.0), config, threads, alone)


def _calibrate_final(
    final: ChurnModel,
    eval_margin: np.ndarray,
    eval_frame: pl.DataFrame,
    final_frame: pl.DataFrame,
) -> ChurnModel:
    """Platt slope from the evaluated model's held-out predictions (``eval_margin``: its
    corrected margin on the evaluation rows); the level from the newest cut-off."""
    slope, _ = platt(eval_margin, _labels(eval_frame))
    latest = _latest_rows(final_frame)
    return _match_level(final, slope, latest.select(final.feature_names_), _labels(latest))


def _latest_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows of the newest cut-off (all rows for customer tables, whose cut-off is null)."""
    cutoffs = frame.get_column("cutoff").drop_nulls()
    if cutoffs.len() == 0:
        return frame
    return frame.filter(pl.col("cutoff") == cutoffs.max())


def _match_level(model: ChurnModel, slope: float, X: pl.DataFrame, y: np.ndarray) -> ChurnModel:
    """Platt slope from held-out predictions; intercept so the newest snapshot's mean matches.

    A model refit on more rows with more trees has a different margin scale and level
    than the one its Platt scaling was learned on; reusing both parameters mis-states
    the churn level by several points. The slope transfers well; the level is set by
    calibration-in-the-large on the newest cut-off the model was fitted on.
    """
    margin = model.corrected_margin(X)
    target = float(np.mean(y))
    slope = max(float(slope), 1e-3)
    low, high = -20.0, 20.0
    for _ in range(80):  # bisection: mean probability increases with the intercept
        middle = (low + high) / 2
        if float(np.mean(1.0 / (1.0 + np.exp(-(slope * margin + middle))))) < target:
            low = middle
        else:
            high = middle
    return model.set_platt(slope, (low + high) / 2)


def _tuning_split(
    train_frame: pl.DataFrame, validation: list[dt.date], gap: dt.timedelta, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame, Message | None]:
    """Fit and validation rows for tuning that repeat the out-of-time set-up one step earlier.

    The validation slice is the latest training cut-off. The fit rows are the cut-offs at
    least ``gap`` (evaluation cut-off minus latest training cut-off, which is at least the
    horizon) before it, so no fit label window overlaps the validation period: overlapping
    windows of the same customers would make the validation look far better than it is and
    stop the trees too late. Without enough such rows, whole customers are split instead.
    """
    latest = validation[-1]
    valid_frame = train_frame.filter(pl.col("cutoff") == latest)
    earlier = [c for c in validation if c + gap <= latest]
    fit_frame = train_frame.filter(pl.col("cutoff").is_in(earlier))
    y_fit = _labels(fit_frame)
    churners = int(y_fit.sum())
    if len(y_fit) >= MIN_TRAIN_ROWS and min(churners, len(y_fit) - churners) >= MIN_CLASS_ROWS:
        return fit_frame, valid_frame, None
    mask = _customer_split(train_frame.get_column("customer_id").to_numpy(), VALID_SHARE, seed)
    fit_frame = train_frame.filter(~mask)
    valid_frame = train_frame.filter(pl.Series(mask) & (train_frame["cutoff"] == latest))
    return fit_frame, valid_frame, Message("training.warning.customer_split")


def _searches(config: TrainingConfig, labelled: pl.LazyFrame) -> bool:
    """Whether tuning runs the random search: not on a big shop (``search_up_to_rows``)."""
    return config.searches(labelled.select(pl.len()).collect().item())


def _events(
    feature_set: Any, config: TrainingConfig, progress: Progress | None, warnings: list[Message]
) -> tuple[ChurnModel, dict, pl.DataFrame, dict, int, list, list]:
    plan = feature_set.plan
    labelled = feature_set.frame.lazy().filter(pl.col("label").is_not_null())
    validation = sorted(plan.validation_cutoffs)
    if not validation:
        raise DataError(
            "error.training.no_validation_cutoff",
            hint="error.training.no_validation_cutoff.hint",
        )
    counts = getattr(feature_set, "label_counts", None)  # every row, when the set is a sample
    stats = _cutoff_stats(
        (labelled if counts is None else counts.lazy())
        .select("cutoff", "label")
        .filter(pl.col("cutoff").is_in(list(plan.cutoffs)))
        .collect()
    )
    # Every fit uses the same customers (all, or a sample past max_fit_rows); the
    # evaluation snapshot keeps every customer.
    final_frame = _fitting_rows(
        labelled,
        list(plan.cutoffs),
        config.max_fit_rows,
        config.seed,
        getattr(feature_set, "fit_customers", None),
    )
    train_frame = final_frame.filter(pl.col("cutoff").is_in(validation))
    eval_frame = labelled.filter(pl.col("cutoff") == plan.eval_cutoff).collect()
    y_train, y_eval = _labels(train_frame), _labels(eval_frame)
    _check_rows(y_train, "training", MIN_TRAIN_ROWS)
    _check_rows(y_eval, "evaluation", MIN_EVAL_ROWS)

    gap = plan.eval_cutoff - validation[-1]
    fit_frame, valid_frame, note = _tuning_split(train_frame, validation, gap, config.seed)
    if note:
        warnings.append(note)

    _report(progress, 0.1, "progress.tuning_earlier")
    search = _searches(config, labelled if counts is None else counts.lazy())
    if not search:
        logger.info("a big shop: the default trials alone, no random search")
    developed = _develop(
        feature_set, fit_frame, valid_frame, train_frame, final_frame, config, progress, search
    )
    params, trials = developed.params, developed.trials

    names = list(feature_set.feature_names)
    p_model, eval_margin = developed.evaluated.proba_and_corrected_margin(eval_frame.select(names))
    # the final fit started beside the evaluated refit and goes on beside the baselines
    final_fit = developed.final_fit
    _report(progress, 0.7, "progress.baselines")
    recency = RecencyBaseline().fit(train_frame, y_train)
    rfm = RfmLogisticBaseline().fit(train_frame, y_train)

    _report(progress, 0.75, "progress.evaluating_latest")
    p_recency = recency.predict_proba(eval_frame)
    p_rfm = rfm.predict_proba(eval_frame)
    metrics = {
        "model": evaluate(y_eval, p_model),
        "recency": evaluate(y_eval, p_recency),
        "rfm_logistic": evaluate(y_eval, p_rfm),
    }
    columns = {
        "customer_id": eval_frame.get_column("customer_id").cast(pl.String),
        "label": pl.Series(y_eval, dtype=pl.Int8),
        "p_model": p_model,
        "p_recency": p_recency,
        "p_rfm_logistic": p_rfm,
    }
    if BgNbdBaseline.available(train_frame) and BgNbdBaseline.available(eval_frame):
        p_bgnbd = BgNbdBaseline().fit(train_frame, y_train).predict_proba(eval_frame)
        metrics["bgnbd"] = evaluate(y_eval, p_bgnbd)
        columns["p_bgnbd"] = p_bgnbd
    predictions = pl.DataFrame(columns)

    _report(progress, 0.85, "progress.refitting_cutoffs")
    final = _calibrate_final(final_fit.result(), eval_margin, eval_frame, final_frame)
    return final, metrics, predictions, params, final.n_trees_, trials, stats


def _table(
    feature_set: Any, config: TrainingConfig, progress: Progress | None, warnings: list[Message]
) -> tuple[ChurnModel, dict, pl.DataFrame, dict, int, list, list]:
    frame: pl.DataFrame = feature_set.frame.filter(pl.col("label").is_not_null())
    y_all = _labels(frame)
    _check_rows(y_all, "training", MIN_TRAIN_ROWS + MIN_EVAL_ROWS)
    holdout = _stratified_mask(y_all, HOLDOUT_SHARE, config.seed)
    dev_frame, test_frame = frame.filter(~holdout), frame.filter(holdout)
    y_dev, y_test = y_all[~holdout], y_all[holdout]
    _check_rows(y_test, "evaluation", MIN_EVAL_ROWS)

    _report(progress, 0.1, "progress.tuning")
    names = list(feature_set.feature_names)
    categorical = list(feature_set.categorical)
    # Cross-validated on the development rows (see table_tuning); the refit uses them all.
    tuned = tune_cv(
        dev_frame.select(names), y_dev, categorical, config, _sub_progress(progress, 0.1, 0.6)
    )
    params, trials, slope = tuned.params, tuned.trials, tuned.slope
    if tuned.linear_weight > 0:
        params = {**params, LINEAR_BLEND_PARAM: tuned.linear_weight}
    tuned_trees = cv_scale(tuned.trees, int(trials[0]["folds"]))
    rows_tuned = dev_frame.height
    # the logistic peer, fitted on the development rows, is also the model's linear part
    _report(progress, 0.6, "progress.baseline")
    baseline = TableLogisticBaseline().fit(dev_frame.select(names), y_dev, categorical=categorical)
    held_model = _refit(feature_set, dev_frame, params, tuned_trees, (slope, 0.0), config)
    held_model.with_linear(baseline, tuned.linear_weight)
    held_model = _match_level(held_model, slope, dev_frame.select(names), y_dev)
    peers = {
        f"xgboost_depth{depth}": PlainXGBoostBaseline(depth, config.seed).fit(
            dev_frame.select(names), y_dev, categorical
        )
        for depth in (3, 6)
    }

    _report(progress, 0.75, "progress.evaluating_held_out")
    p_model, held_margin = held_model.proba_and_corrected_margin(test_frame.select(names))
    p_logistic = baseline.predict_proba(test_frame.select(names))
    metrics = {"model": evaluate(y_test, p_model), "logistic": evaluate(y_test, p_logistic)}
    columns = {
        "customer_id": test_frame.get_column("customer_id").cast(pl.String),
        "label": pl.Series(y_test, dtype=pl.Int8),
        "p_model": p_model,
        "p_logistic": p_logistic,
    }
    for name, peer in peers.items():
        columns[f"p_{name}"] = peer.predict_proba(test_frame.select(names))
        metrics[name] = evaluate(y_test, columns[f"p_{name}"])
    predictions = pl.DataFrame(columns)
    stats: list[dict[str, Any]] = []  # a customer table has no cut-offs
    _report(progress, 0.85, "progress.refitting_customers")
    final = _final_fit(feature_set, frame, params, tuned_trees, rows_tuned, config)
    if tuned.linear_weight > 0:
        linear = TableLogisticBaseline().fit(frame.select(names), y_all, categorical=categorical)
        final.with_linear(linear, tuned.linear_weight)
    final = _calibrate_final(final, held_margin, test_frame, frame)
    return final, metrics, predictions, params, final.n_trees_, trials, stats


def train_on_feature_set(
    feature_set: Any, config: TrainingConfig | None = None, progress: Progress | None = None
) -> TrainResult:
    """Train, validate (out of time for event logs) and refit the final churn model.

    ``feature_set`` is a ``features.FeatureSet`` (only its attributes are used).
    """
    start = time.perf_counter()
    config = (config or TrainingConfig()).validate()
    frame = feature_set.frame
    missing = [c for c in ("customer_id", "label", *feature_set.feature_names) if c not in frame]
    if missing:
        raise DataError(
            "error.training.missing_columns",
            hint="error.training.missing_columns.hint",
            names=", ".join(missing[:5]),
        )
    warnings: list[Message] = []
    _report(progress, 0.0, "progress.preparing")
    if feature_set.plan is not None:
        mode = "events"
        result = _events(feature_set, config, progress, warnings)
    else:
        mode = "table"
        result = _table(feature_set, config, progress, warnings)
    model, metrics, predictions, params, n_trees, trials, stats = result
    _size_warnings(predictions.get_column("label").to_numpy(), warnings)
    _compare(metrics, warnings)
    seconds = time.perf_counter() - start
    _report(progress, 1.0, "progress.training_finished")
    return TrainResult(
        model=model,
        metrics=metrics,
        eval_predictions=predictions,
        params=params,
        n_trees=n_trees,
        trials=trials,
        cutoff_stats=stats,
        mode=mode,
        warnings=warnings,
        seconds=round(seconds, 3),
    )
