"""Metrics and curves for churn probabilities, in the "Metrics" shape of docs/ARCHITECTURE.md.

Everything returned is plain Python (int, float, list, dict) so it can be stored
in a bundle as JSON and drawn by ``churnlab.charts``.

Ranking rule used for lift, capture, gains and the threshold table: customers are
sorted by probability, highest first; ties keep their input order (a stable sort),
so the same inputs always give the same top-x % list.

Default threshold: the probability cut that maximises F1 on these rows (customers
with ``p >= threshold`` are flagged). Pass ``threshold`` to report at another cut.
"""

from __future__ import annotations

import math

import numpy as np

from churnlab.errors import DataError

LIFT_SHARES: tuple[int, ...] = (5, 10, 20)
MAX_CURVE_POINTS = 200
GAINS_POINTS = 101
CALIBRATION_BINS = 10
_CLIP = 1e-15


def _inputs(y: object, p: object) -> tuple[np.ndarray, np.ndarray]:
    """Validated 0/1 labels and finite probabilities in [0, 1]."""
    y_arr = np.asarray(y)
    p_arr = np.asarray(p, dtype=np.float64)
    if y_arr.ndim != 1 or p_arr.ndim != 1 or len(y_arr) != len(p_arr):
        raise DataError("error.evaluation.lengths")
    if len(y_arr) == 0:
        raise DataError("error.evaluation.empty", hint="error.evaluation.empty.hint")
    try:
        y_float = y_arr.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError("error.evaluation.labels") from exc
    if np.any(~np.isin(y_float, (0.0, 1.0))):
        raise DataError("error.evaluation.labels")
    if not np.all(np.isfinite(p_arr)) or p_arr.min() < 0 or p_arr.max() > 1:
        raise DataError("error.evaluation.probabilities")
    y_int = y_float.astype(np.int64)
    positives = int(y_int.sum())
    if positives == 0 or positives == len(y_int):
        raise DataError(
            "error.evaluation.all_churned" if positives else "error.evaluation.all_stayed",
            hint="error.evaluation.one_class.hint",
        )
    return y_int, p_arr


def _ranking(p: np.ndarray) -> np.ndarray:
    """Indices from highest to lowest probability; ties keep input order."""
    return np.argsort(-p, kind="stable")


def _top_n(n: int, share: float) -> int:
    return min(n, max(1, math.ceil(share * n - 1e-9)))


def _downsample(*arrays: np.ndarray, limit: int = MAX_CURVE_POINTS) -> list[list[float]]:
    """Keep at most ``limit`` evenly spaced points, always with both ends."""
    length = len(arrays[0])
    if length > limit:
        idx = np.unique(np.linspace(0, length - 1, limit).round().astype(np.int64))
    else:
        idx = np.arange(length)
    return [[float(v) for v in np.asarray(a, dtype=np.float64)[idx]] for a in arrays]


Curve = tuple[np.ndarray, np.ndarray, np.ndarray]


def _cumulative_counts(y: np.ndarray, p: np.ndarray) -> Curve:
    """False and true positives when flagging ``p >= t`` for each distinct ``t``, highest first.

    The curves below are scikit-learn's (``roc_curve``, ``precision_recall_curve``), written
    out because importing scikit-learn costs a training 0.7 s; the tests compare them.
    """
    order = np.argsort(p, kind="mergesort")[::-1]
    scores, labels = p[order], y[order]
    last_of_value = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    true_pos = np.cumsum(labels, dtype=np.float64)[last_of_value]
    false_pos = 1 + last_of_value - true_pos
    return false_pos, true_pos, scores[last_of_value]


def roc_curve(y: np.ndarray, p: np.ndarray) -> Curve:
    """False and true positive rates and their thresholds (the first one +inf); points on a
    straight line between their neighbours are left out."""
    return _roc(*_cumulative_counts(y, p))


def precision_recall_curve(y: np.ndarray, p: np.ndarray) -> Curve:
    """Precision and recall by rising threshold, ending at (precision 1, recall 0)."""
    return _precision_recall(*_cumulative_counts(y, p))


def _roc(fps: np.ndarray, tps: np.ndarray, thresholds: np.ndarray) -> Curve:
    if len(fps) > 2:
        corner = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[corner], tps[corner], thresholds[corner]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]


def _precision_recall(fps: np.ndarray, tps: np.ndarray, thresholds: np.ndarray) -> Curve:
    flagged = tps + fps
    precision = np.divide(tps, flagged, out=np.zeros_like(tps), where=flagged != 0)
    recall = tps / tps[-1] if tps[-1] else np.ones_like(tps)
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def _counts(y: np.ndarray, flagged: np.ndarray) -> dict[str, int]:
    tp = int(np.count_nonzero(flagged & (y == 1)))
    fp = int(np.count_nonzero(flagged & (y == 0)))
    positives = int(np.count_nonzero(y == 1))
    fn = positives - tp
    tn = len(y) - positives - fp
    return {"tp": tp, "fp": fp, "tn": tn, "fn": fn}


def _prf(c: dict[str, int]) -> tuple[float, float, float]:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def best_f1_threshold(y: object, p: object) -> float:
    """The probability cut (flag ``p >= cut``) with the highest F1 on these rows."""
    y_int, p_arr = _inputs(y, p)
    return _best_f1(*precision_recall_curve(y_int, p_arr))


def _best_f1(precision: np.ndarray, recall: np.ndarray, thresholds: np.ndarray) -> float:
    """``best_f1_threshold`` from the precision-recall curve."""
    precision, recall = precision[:-1], recall[:-1]
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0)
    return float(thresholds[int(np.argmax(f1))])


def confusion_at(y: object, p: object, threshold: float) -> dict[str, float | int]:
    """Confusion counts and precision/recall/F1 when flagging ``p >= threshold``.

    Vectorised and cheap: the UI calls it on every move of the threshold slider.
    """
    y_arr = np.asarray(y).astype(np.int64)
    p_arr = np.asarray(p, dtype=np.float64)
    if y_arr.shape != p_arr.shape:
        raise DataError("error.evaluation.lengths")
    c = _counts(y_arr, p_arr >= threshold)
    precision, recall, f1 = _prf(c)
    flagged = c["tp"] + c["fp"]
    return {
        **c,
        "threshold": float(threshold),
        "flagged": int(flagged),
        "flagged_share": float(flagged / len(y_arr)) if len(y_arr) else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def threshold_table(
    y: object, p: object, shares: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3, 0.5)
) -> list[dict[str, float | int]]:
    """For each top-x % of the ranked list: the probability cut, precision, recall, F1, lift."""
    y_int, p_arr = _inputs(y, p)
    order = _ranking(p_arr)
    hits = np.cumsum(y_int[order])
    n, positives = len(y_int), int(y_int.sum())
    base_rate = positives / n
    rows: list[dict[str, float | int]] = []
    for share in shares:
        k = _top_n(n, float(share))
        tp = int(hits[k - 1])
        precision = tp / k
        recall = tp / positives
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {
                "share": float(share),
                "contacted": int(k),
                "threshold": float(p_arr[order[k - 1]]),
                "precision": float(precision),
                "recall": float(recall),
                "f1": float(f1),
                "lift": float(precision / base_rate),
                "churners": tp,
            }
        )
    return rows


def evaluate(y: object, p: object, threshold: float | None = None) -> dict:
    """All metrics and curves for labels ``y`` (0/1) and churn probabilities ``p``."""
    y_int, p_arr = _inputs(y, p)
    n = len(y_int)
    positives = int(y_int.sum())
    base_rate = positives / n
    p_clip = np.clip(p_arr, _CLIP, 1 - _CLIP)

    counts = _cumulative_counts(y_int, p_arr)  # one sort for both curves
    fpr, tpr, roc_thr = _roc(*counts)
    roc_auc = float(np.trapezoid(tpr, fpr))
    # one precision-recall curve for the average precision, the F1 cut and the chart
    precision, recall, pr_thr = _precision_recall(*counts)
    # scikit-learn's average_precision_score: the step-wise area under this curve
    pr_auc = float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))
    log_loss = float(-np.mean(y_int * np.log(p_clip) + (1 - y_int) * np.log1p(-p_clip)))
    brier = float(np.mean((p_arr - y_int) ** 2))

    order = _ranking(p_arr)
    hits = np.cumsum(y_int[order])
    lift: dict[str, float] = {}
    capture: dict[str, float] = {}
    for pct in LIFT_SHARES:
        k = _top_n(n, pct / 100)
        caught = int(hits[k - 1])
        lift[str(pct)] = float((caught / k) / base_rate)
        capture[str(pct)] = float(caught / positives)

    if threshold is None:
        threshold = _best_f1(precision, recall, pr_thr)
    at = confusion_at(y_int, p_arr, float(threshold))

    roc_thr = np.minimum(roc_thr, 1.0)  # the first threshold is +inf
    roc = _downsample(fpr, tpr, roc_thr)
    pr_thr = np.append(pr_thr, 1.0)  # the (recall 0, precision 1) end has no threshold
    precision, recall, pr_thr = precision[::-1], recall[::-1], pr_thr[::-1]
    pr = _downsample(recall, precision, pr_thr)

    contacted = np.linspace(0.0, 1.0, GAINS_POINTS)
    k = np.round(contacted * n).astype(np.int64)
    caught = np.where(k > 0, hits[np.maximum(k, 1) - 1], 0) / positives

    bins = np.minimum((p_arr * CALIBRATION_BINS).astype(np.int64), CALIBRATION_BINS - 1)
    count = np.bincount(bins, minlength=CALIBRATION_BINS)
    sum_p = np.bincount(bins, weights=p_arr, minlength=CALIBRATION_BINS)
    sum_y = np.bincount(bins, weights=y_int, minlength=CALIBRATION_BINS)
    filled = count > 0  # empty bins are left out (no NaN in the JSON)

    return {
        "n": int(n),
        "positives": positives,
        "base_rate": float(base_rate),
        "roc_auc": roc_auc,
        "pr_auc": pr_auc,
        "log_loss": log_loss,
        "brier": brier,
        "lift": lift,
        "capture": capture,
        "threshold": float(threshold),
        "precision": at["precision"],
        "recall": at["recall"],
        "f1": at["f1"],
        "confusion": {key: int(at[key]) for key in ("tp", "fp", "tn", "fn")},
        "curves": {
            "roc": {"fpr": roc[0], "tpr": roc[1], "threshold": roc[2]},
            "pr": {"recall": pr[0], "precision": pr[1], "threshold": pr[2]},
            "gains": {
                "share_contacted": [float(v) for v in contacted],
                "share_caught": [float(v) for v in caught],
            },
            "calibration": {
                "mean_predicted": [float(v) for v in sum_p[filled] / count[filled]],
                "observed": [float(v) for v in sum_y[filled] / count[filled]],
                "count": [int(v) for v in count[filled]],
            },
        },
    }
