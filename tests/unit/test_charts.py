"""Every chart: a Figure with the right traces, axis titles, the input data, both languages."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import time

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest

from churnlab import charts
from churnlab.cohorts import assign_rfm_segments, cohort_retention, segment_summary
from churnlab.errors import DataError
from churnlab.messages import charts as chart_messages


def _metrics(seed: int, auc: float) -> dict:
    rng = np.random.default_rng(seed)
    fpr = np.sort(rng.random(20)).tolist()
    tpr = np.sort(rng.random(20)).tolist()
    return {
        "n": 1000,
        "positives": 200,
        "base_rate": 0.2,
        "roc_auc": auc,
        "pr_auc": auc - 0.3,
        "lift": {"5": 3.1, "10": 2.5, "20": 1.9},
        "capture": {"5": 0.15, "10": 0.25, "20": 0.38},
        "confusion": {"tp": 120, "fp": 80, "tn": 720, "fn": 80},
        "curves": {
            "roc": {"fpr": [0.0, *fpr, 1.0], "tpr": [0.0, *tpr, 1.0], "threshold": []},
            "pr": {"recall": tpr[::-1], "precision": fpr, "threshold": []},
            "gains": {
                "share_contacted": np.linspace(0, 1, 11).tolist(),
                "share_caught": np.sqrt(np.linspace(0, 1, 11)).tolist(),
            },
            "calibration": {
                "mean_predicted": np.linspace(0.05, 0.95, 10).tolist(),
                "observed": np.linspace(0.02, 0.9, 10).tolist(),
                "count": list(range(10, 110, 10)),
            },
        },
    }


@pytest.fixture(scope="module")
def metrics_by_name() -> dict[str, dict]:
    return {
        "model": _metrics(0, 0.81),
        "recency": _metrics(1, 0.7),
        "rfm_logistic": _metrics(2, 0.74),
    }


def _check(fig: go.Figure, n_traces: int) -> None:
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == n_traces
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text
    assert fig.layout.template.layout.paper_bgcolor is not None  # plotly_white applied
    json.loads(fig.to_json())


def _trace(fig: go.Figure, starts: str) -> go.BaseTraceType:
    found = [tr for tr in fig.data if tr.name and tr.name.startswith(starts)]
    assert len(found) == 1, [tr.name for tr in fig.data]
    return found[0]


def test_message_keys_match_and_are_prefixed() -> None:
    assert set(chart_messages.EN) == set(chart_messages.ZH)
    assert all(k.startswith("chart.") for k in chart_messages.EN)


def test_roc_figure(metrics_by_name: dict) -> None:
    fig = charts.roc_figure(metrics_by_name)
    _check(fig, 4)
    model = _trace(fig, "churnlab model")
    assert list(model.x) == metrics_by_name["model"]["curves"]["roc"]["fpr"]
    assert list(model.y) == metrics_by_name["model"]["curves"]["roc"]["tpr"]
    assert "0.810" in model.name
    assert fig.layout.yaxis.title.text
    assert model.line.color == charts.MODEL_COLOUR
    assert _trace(fig, "Recency rule").line.dash == "dash"
    assert fig.data[-2] is model or fig.data[-2].name == model.name  # model drawn over baselines


def test_pr_gains_lift_calibration(metrics_by_name: dict) -> None:
    pr = charts.pr_figure(metrics_by_name)
    _check(pr, 4)
    assert (
        list(_trace(pr, "churnlab model").x) == metrics_by_name["model"]["curves"]["pr"]["recall"]
    )
    assert "AP 0.510" in _trace(pr, "churnlab model").name

    gains = charts.gains_figure(metrics_by_name)
    _check(gains, 4)
    caught = metrics_by_name["recency"]["curves"]["gains"]["share_caught"]
    assert list(_trace(gains, "Recency rule").y) == caught

    lift = charts.lift_figure(metrics_by_name)
    _check(lift, 3)
    assert list(_trace(lift, "churnlab model").y) == [3.1, 2.5, 1.9]
    assert lift.layout.barmode == "group"
    assert lift.data[0].name == "churnlab model"  # model bars first
    roc = charts.roc_figure(metrics_by_name)
    for name in ("Recency rule", "RFM logistic regression"):  # one colour per series everywhere
        assert _trace(lift, name).marker.color == _trace(roc, name).line.color

    cal = charts.calibration_figure(metrics_by_name)
    _check(cal, 4)
    model = _trace(cal, "churnlab model")
    assert list(model.customdata) == metrics_by_name["model"]["curves"]["calibration"]["count"]


def test_metric_charts_need_metrics() -> None:
    with pytest.raises(DataError):
        charts.roc_figure({})
    with pytest.raises(DataError):
        charts.roc_figure({"model": {"roc_auc": 0.8}})


def test_unknown_series_name_shown_as_given(metrics_by_name: dict) -> None:
    fig = charts.gains_figure({"my_rule": metrics_by_name["recency"]})
    assert _trace(fig, "my_rule")


def test_score_distribution_and_confusion() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(500)
    y = (rng.random(500) < p).astype(int)
    fig = charts.score_distribution_figure(p, y, threshold=0.4)
    _check(fig, 2)
    assert sum(fig.data[0].y) + sum(fig.data[1].y) == 500
    assert sum(_trace(fig, "Churned").y) == int(y.sum())
    assert any(abs(s.x0 - 0.4) < 1e-12 for s in fig.layout.shapes)

    conf = charts.confusion_figure({"tp": 5, "fp": 3, "tn": 10, "fn": 2})
    _check(conf, 1)
    assert [list(r) for r in conf.data[0].z] == [[5, 2], [3, 10]]
    assert "25.0%" in conf.data[0].text[0][0]


def test_churn_over_time() -> None:
    stats = [
        {"cutoff": dt.date(2024, 1, 1), "customers": 100, "churn_rate": 0.3},
        {"cutoff": dt.date(2024, 2, 1), "population": 120, "churned": 30},
    ]
    fig = charts.churn_over_time_figure(stats)
    _check(fig, 2)
    assert list(_trace(fig, "Churn rate").y) == [0.3, 0.25]
    assert list(_trace(fig, "Customers").y) == [100, 120]
    assert fig.layout.yaxis2.title.text


def test_importance_biggest_on_top() -> None:
    fig = charts.importance_figure(["a", "b", "c"], np.array([0.1, 0.5, 0.3]), top=2)
    _check(fig, 1)
    assert list(fig.data[0].y) == ["c", "b"]  # plotly draws the last bar at the top
    assert list(fig.data[0].x) == [0.3, 0.5]


def test_beeswarm_subsamples_and_colours() -> None:
    rng = np.random.default_rng(1)
    n = 200_000
    shap = rng.normal(size=(n, 3)) * np.array([0.1, 1.0, 0.5])
    values = pl.DataFrame(
        {
            "x1": rng.random(n),
            "x2": rng.random(n),
            "city": rng.choice(["a", "b"], n),
        }
    )
    start = time.perf_counter()
    fig = charts.beeswarm_figure(shap, values, ["x1", "x2", "city"], top=3, max_points=2000)
    assert time.perf_counter() - start < 3.0
    _check(fig, 2)
    coloured, grey = fig.data
    assert len(coloured.x) == 2 * 2000  # two numeric features
    assert len(grey.x) == 2000  # the categorical one
    assert set(np.round(coloured.marker.color, 6)) <= set(np.round(np.linspace(0, 1, 2000), 6))
    assert list(fig.layout.yaxis.ticktext) == ["x1", "city", "x2"]  # most important at the top
    again = charts.beeswarm_figure(shap, values, ["x1", "x2", "city"], top=3, max_points=2000)
    assert np.array_equal(again.data[0].x, coloured.x)


def test_dependence_numeric_and_categorical() -> None:
    rng = np.random.default_rng(2)
    vals = rng.random(300)
    shap = vals * 2 - 1
    fig = charts.dependence_figure(vals, shap, "Days since last order", categorical=False)
    _check(fig, 1)
    assert np.allclose(fig.data[0].x, vals)
    assert fig.layout.xaxis.title.text == "Days since last order"
    cat = charts.dependence_figure(
        pl.Series(["a", None, "b"]), np.array([0.1, 0.2, 0.3]), "City", categorical=True
    )
    _check(cat, 1)
    assert list(cat.data[0].x) == ["a", "(missing)", "b"]


def test_waterfall_sums_to_customer() -> None:
    contrib = np.array([0.5, -0.2, 0.05, 0.01])
    fig = charts.waterfall_figure(-1.0, contrib, ["a", "b", "c", "d"], [1, 2, "x", None], top=2)
    _check(fig, 1)
    wf = fig.data[0]
    assert list(wf.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert wf.x[1:4] == pytest.approx((0.5, -0.2, 0.06))
    final = -1.0 + contrib.sum()
    p_end = 1 / (1 + np.exp(-final))
    assert f"{p_end:.0%}" in fig.layout.title.text
    assert f"{p_end:.1%}" in wf.y[-1]
    assert f"{1 / (1 + np.exp(1.0)):.1%}" in wf.y[0]  # the average customer's probability
    assert "a = 1" in wf.customdata[1]


def test_risk_distribution() -> None:
    fig = charts.risk_distribution_figure(["High", "low", "Low", "Medium", "Low"])
    _check(fig, 1)
    assert list(fig.data[0].y) == [1, 1, 3]
    assert list(fig.data[0].marker.color) == ["#d62728", "#ff7f0e", "#2ca02c"]
    with pytest.raises(DataError):
        charts.risk_distribution_figure(["Extreme"])


def test_timeline() -> None:
    cutoffs = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)]
    fig = charts.timeline_figure(
        dt.datetime(2023, 1, 1), dt.datetime(2024, 6, 30), cutoffs, dt.date(2024, 3, 1), 90, 365
    )
    _check(fig, 5)
    assert len(_trace(fig, "Training cut-offs").x) == 2
    horizon = _trace(fig, "Churn horizon")
    assert list(horizon.x) == [dt.date(2024, 3, 1), dt.date(2024, 5, 30)]


@pytest.fixture(scope="module")
def retention() -> pl.DataFrame:
    rng = np.random.default_rng(3)
    n = 400
    events = pl.DataFrame(
        {
            "customer_id": rng.integers(0, 60, n).astype(str),
            "timestamp": [
                dt.datetime(2024, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 365, n)
            ],
            "event_type": "purchase",
        }
    )
    return cohort_retention(events)


def test_cohort_charts(retention: pl.DataFrame) -> None:
    heat = charts.cohort_heatmap_figure(retention)
    _check(heat, 1)
    first = retention.filter(pl.col("cohort") == retention["cohort"].min()).sort("period")
    assert heat.data[0].z[0][: first.height] == pytest.approx(first["retention"].to_list())
    curves = charts.retention_curves_figure(retention, max_cohorts=3)
    n_multi = retention.group_by("cohort").len().filter(pl.col("len") >= 2).height
    _check(curves, min(3, n_multi) + 1)
    assert curves.data[-1].y[0] == pytest.approx(1.0)


def test_segments_figure() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": list("abcdef"),
            "recency_days": [1.0, 5, 40, 90, 200, 400],
            "frequency": [9.0, 6, 4, 3, 1, 1],
            "monetary": [500.0, 300, 100, 80, 20, 5],
            "churn_probability": [0.05, 0.1, 0.3, 0.5, 0.8, 0.9],
        }
    )
    summary = segment_summary(assign_rfm_segments(frame))
    fig = charts.segments_figure(summary)
    _check(fig, 1)
    assert list(fig.data[0].x) == summary["share"].to_list()
    assert "Champions" in fig.data[0].y
    zh = charts.segments_figure(summary, lang="zh")
    assert "冠军客户" in zh.data[0].y


def test_profit_curve() -> None:
    n = np.arange(0, 101)
    gain = 50 * n - 0.6 * n**2
    fig = charts.profit_curve_figure(n, gain, best_n=42, budget_n=20, currency="$")
    _check(fig, 3)
    assert list(fig.data[0].x) == n.tolist()
    assert _trace(fig, "Best: 42").y[0] == pytest.approx(50 * 42 - 0.6 * 42**2)
    assert "$" in fig.layout.yaxis.title.text
    _check(charts.profit_curve_figure(n, gain), 1)


def test_both_languages_differ(metrics_by_name: dict, retention: pl.DataFrame) -> None:
    builders = [
        lambda lang: charts.roc_figure(metrics_by_name, lang=lang),
        lambda lang: charts.pr_figure(metrics_by_name, lang=lang),
        lambda lang: charts.gains_figure(metrics_by_name, lang=lang),
        lambda lang: charts.lift_figure(metrics_by_name, lang=lang),
        lambda lang: charts.calibration_figure(metrics_by_name, lang=lang),
        lambda lang: charts.score_distribution_figure(
            np.array([0.1, 0.9]), np.array([0, 1]), 0.5, lang=lang
        ),
        lambda lang: charts.confusion_figure({"tp": 1, "fp": 1, "tn": 1, "fn": 1}, lang=lang),
        lambda lang: charts.churn_over_time_figure(
            [{"cutoff": dt.date(2024, 1, 1), "customers": 10, "churn_rate": 0.1}], lang=lang
        ),
        lambda lang: charts.importance_figure(["a"], np.array([1.0]), lang=lang),
        lambda lang: charts.beeswarm_figure(
            np.ones((3, 1)), pl.DataFrame({"a": [1, 2, 3]}), ["a"], lang=lang
        ),
        lambda lang: charts.dependence_figure(
            np.array([1.0, 2.0]), np.array([0.1, 0.2]), "a", lang=lang
        ),
        lambda lang: charts.waterfall_figure(0.0, np.array([0.1]), ["a"], [1], lang=lang),
        lambda lang: charts.risk_distribution_figure(["High"], lang=lang),
        lambda lang: charts.timeline_figure(
            dt.date(2023, 1, 1),
            dt.date(2024, 1, 1),
            [dt.date(2023, 6, 1)],
            dt.date(2023, 6, 1),
            30,
            90,
            lang=lang,
        ),
        lambda lang: charts.cohort_heatmap_figure(retention, lang=lang),
        lambda lang: charts.retention_curves_figure(retention, lang=lang),
        lambda lang: charts.profit_curve_figure(np.array([0, 1]), np.array([0.0, 1.0]), lang=lang),
    ]
    for build in builders:
        en, zh = build("en"), build("zh")
        assert en.layout.title.text != zh.layout.title.text
        axes_en = (en.layout.xaxis.title.text, en.layout.yaxis.title.text)
        assert axes_en != (zh.layout.xaxis.title.text, zh.layout.yaxis.title.text)


@pytest.mark.skipif(importlib.util.find_spec("kaleido") is None, reason="kaleido not installed")
def test_renders_png(metrics_by_name: dict, tmp_path) -> None:  # pragma: no cover - optional
    out = tmp_path / "roc.png"
    charts.roc_figure(metrics_by_name).write_image(out)
    assert out.stat().st_size > 1000


def test_every_peer_of_a_table_model_has_a_readable_name(metrics_by_name: dict) -> None:
    peers = {
        k: metrics_by_name["recency"] for k in ("logistic", "xgboost_depth3", "xgboost_depth6")
    }
    for lang, names in (
        ("en", {"Logistic regression", "Plain XGBoost, depth 3", "Plain XGBoost, depth 6"}),
        ("zh", {"逻辑回归", "默认 XGBoost（深度 3）", "默认 XGBoost（深度 6）"}),
    ):
        fig = charts.roc_figure({**peers, "model": metrics_by_name["model"]}, lang=lang)
        shown = {trace.name.split(" (AUC")[0].split("(AUC")[0] for trace in fig.data}
        assert names <= shown, shown
