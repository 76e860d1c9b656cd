"""evaluate / threshold_table / confusion_at against sklearn and hand-computed cases."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from churnlab.errors import DataError
from churnlab.evaluation import (
    best_f1_threshold,
    confusion_at,
    evaluate,
    precision_recall_curve,
    roc_curve,
    threshold_table,
)


@pytest.fixture(scope="module")
def scored() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 1500)
    p = np.clip(0.3 * y + rng.random(1500) * 0.7, 0, 1)
    return y, np.round(p, 3)  # rounding makes ties


def test_scores_match_sklearn(scored) -> None:
    y, p = scored
    m = evaluate(y, p)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert m["pr_auc"] == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert m["log_loss"] == pytest.approx(log_loss(y, np.clip(p, 1e-15, 1 - 1e-15)), abs=1e-9)
    assert m["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert m["n"] == len(y) and m["positives"] == int(y.sum())
    assert m["base_rate"] == pytest.approx(y.mean())


@pytest.mark.parametrize("ties", [True, False])
def test_curves_are_scikit_learns(scored, ties: bool) -> None:
    """The ROC and precision-recall curves written out (no scikit-learn import in training)
    are scikit-learn's, point for point, with ties and without."""
    from sklearn import metrics

    y, p = scored
    if not ties:
        p = np.random.default_rng(1).random(len(y)) * 0.5 + 0.5 * y * np.random.default_rng(
            2
        ).random(len(y))
    for ours, theirs in zip(roc_curve(y, p), metrics.roc_curve(y, p), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    for ours, theirs in zip(
        precision_recall_curve(y, p), metrics.precision_recall_curve(y, p), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)


def test_curves_of_a_perfect_and_a_constant_score() -> None:
    y = np.array([0, 0, 1, 1])
    fpr, tpr, thresholds = roc_curve(y, np.array([0.1, 0.2, 0.8, 0.9]))
    assert fpr.tolist() == [0.0, 0.0, 0.0, 1.0] and tpr.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert thresholds[0] == np.inf and thresholds[1:].tolist() == [0.9, 0.8, 0.1]
    precision, recall, cuts = precision_recall_curve(y, np.full(4, 0.5))
    assert precision.tolist() == [0.5, 1.0] and recall.tolist() == [1.0, 0.0]
    assert cuts.tolist() == [0.5]


def test_shape_is_json_safe_and_curves_are_small(scored) -> None:
    y, p = scored
    m = evaluate(y, p)
    again = json.loads(json.dumps(m, allow_nan=False))
    assert again == m
    assert set(m) >= {"lift", "capture", "threshold", "precision", "recall", "f1", "confusion"}
    assert set(m["lift"]) == {"5", "10", "20"} and set(m["capture"]) == {"5", "10", "20"}
    curves = m["curves"]
    for name, keys in {
        "roc": ("fpr", "tpr", "threshold"),
        "pr": ("recall", "precision", "threshold"),
        "gains": ("share_contacted", "share_caught"),
        "calibration": ("mean_predicted", "observed", "count"),
    }.items():
        lengths = {len(curves[name][k]) for k in keys}
        assert len(lengths) == 1, name
    assert len(curves["roc"]["fpr"]) <= 200 and len(curves["pr"]["recall"]) <= 200
    assert curves["roc"]["fpr"][0] == 0.0 and curves["roc"]["tpr"][-1] == 1.0
    assert max(curves["roc"]["threshold"]) <= 1.0
    assert len(curves["gains"]["share_contacted"]) == 101
    assert curves["gains"]["share_caught"][0] == 0.0 and curves["gains"]["share_caught"][-1] == 1.0
    assert sum(curves["calibration"]["count"]) == len(y)
    assert len(curves["calibration"]["count"]) <= 10


def test_default_threshold_maximises_f1(scored) -> None:
    y, p = scored
    m = evaluate(y, p)
    assert m["threshold"] == best_f1_threshold(y, p)
    best = max(confusion_at(y, p, t)["f1"] for t in np.unique(p))
    assert m["f1"] == pytest.approx(best)
    fixed = evaluate(y, p, threshold=0.5)
    assert fixed["threshold"] == 0.5
    assert fixed["confusion"] == {k: confusion_at(y, p, 0.5)[k] for k in ("tp", "fp", "tn", "fn")}


def test_lift_and_capture_on_hand_computed_case() -> None:
    # 20 customers, 4 churners (base rate 0.2). Ranked by p: positions 1 and 3 are churners.
    p = np.linspace(0.95, 0.0, 20)
    y = np.zeros(20, dtype=int)
    y[[0, 2, 10, 15]] = 1
    m = evaluate(y, p)
    # top 5 % = 1 customer (a churner): precision 1 -> lift 5, capture 1/4
    assert m["lift"]["5"] == pytest.approx(5.0) and m["capture"]["5"] == pytest.approx(0.25)
    # top 10 % = 2 customers, 1 churner: lift 2.5, capture 0.25
    assert m["lift"]["10"] == pytest.approx(2.5) and m["capture"]["10"] == pytest.approx(0.25)
    # top 20 % = 4 customers, 2 churners: lift 2.5, capture 0.5
    assert m["lift"]["20"] == pytest.approx(2.5) and m["capture"]["20"] == pytest.approx(0.5)


def test_ties_are_broken_by_input_order() -> None:
    p = np.array([0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    y1 = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    y2 = np.array([0, 1, 0, 0, 0, 0, 0, 0, 0, 1])
    # top 10 % is the first of the tied block: a churner in y1, not in y2
    assert evaluate(y1, p)["capture"]["10"] == pytest.approx(0.5)
    assert evaluate(y2, p)["capture"]["10"] == 0.0
    assert evaluate(y1, p) == evaluate(y1, p)


def test_confusion_on_hand_computed_case() -> None:
    y = np.array([1, 1, 0, 0, 1, 0])
    p = np.array([0.9, 0.4, 0.6, 0.1, 0.5, 0.5])
    c = confusion_at(y, p, 0.5)  # flagged: 0, 2, 4, 5
    assert (c["tp"], c["fp"], c["tn"], c["fn"]) == (2, 2, 1, 1)
    assert c["precision"] == pytest.approx(0.5) and c["recall"] == pytest.approx(2 / 3)
    assert c["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert c["flagged"] == 4
    none = confusion_at(y, p, 1.01)
    assert (none["tp"], none["fp"], none["precision"], none["f1"]) == (0, 0, 0.0, 0.0)


def test_threshold_table_hand_case() -> None:
    p = np.linspace(0.95, 0.0, 20)
    y = np.zeros(20, dtype=int)
    y[[0, 2, 10, 15]] = 1
    rows = threshold_table(y, p, shares=(0.1, 0.5))
    assert rows[0]["contacted"] == 2 and rows[0]["threshold"] == pytest.approx(p[1])
    assert rows[0]["precision"] == pytest.approx(0.5) and rows[0]["recall"] == pytest.approx(0.25)
    assert rows[0]["lift"] == pytest.approx(2.5)
    assert rows[1]["contacted"] == 10 and rows[1]["recall"] == pytest.approx(0.5)
    assert rows[1]["f1"] == pytest.approx(2 * 0.2 * 0.5 / 0.7)


@pytest.mark.parametrize(
    ("y", "p", "words"),
    [
        ([0, 0, 0], [0.1, 0.2, 0.3], "Every evaluated customer stayed"),
        ([1, 1], [0.1, 0.2], "Every evaluated customer churned"),
        ([], [], "no customers"),
        ([0, 1], [0.1], "same length"),
        ([0, 2], [0.1, 0.2], "0 \\(stayed\\)"),
        ([0, 1], [0.1, np.nan], "between 0 and 1"),
        ([0, 1], [0.1, 1.5], "between 0 and 1"),
    ],
)
def test_degenerate_inputs_raise_data_error(y, p, words) -> None:
    with pytest.raises(DataError, match=words):
        evaluate(np.asarray(y), np.asarray(p, dtype=float))


def test_degenerate_input_gives_no_numpy_warning() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError):
            evaluate(np.zeros(5), np.full(5, 0.2))
        m = evaluate(np.array([0, 1, 0, 1]), np.array([0.0, 1.0, 0.0, 1.0]))
    assert m["roc_auc"] == 1.0 and np.isfinite(m["log_loss"])
