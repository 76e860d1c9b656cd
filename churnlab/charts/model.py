"""The model against its baselines on the hold-out: ROC, precision-recall, gains, lift
and calibration (the Performance page and the report)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import plotly.graph_objects as go

from churnlab.charts._style import (
    _INSIDE_BOTTOM_RIGHT,
    _INSIDE_TOP_LEFT,
    BASELINE_COLOURS,
    BASELINE_DASHES,
    MODEL_COLOUR,
    REFERENCE_COLOUR,
    _finish,
    _number,
    _percent_axes,
)
from churnlab.errors import DataError
from churnlab.i18n import t

LIFT_LEVELS: tuple[str, ...] = ("5", "10", "20")


def _series_name(name: str, lang: str) -> str:
    """Display name of a model or baseline; unknown names are shown as given."""
    key = f"chart.series.{name}"
    text = t(key, lang)
    return name if text == key else text


def _ordered(metrics_by_name: Mapping[str, Mapping[str, object]]) -> list[tuple[str, Mapping]]:
    """Baselines first and the model last, so the model is drawn on top."""
    if not metrics_by_name:
        raise DataError("error.charts.no_metrics", hint="error.charts.no_metrics.hint")
    items = [(k, v) for k, v in metrics_by_name.items() if k != "model"]
    if "model" in metrics_by_name:
        items.append(("model", metrics_by_name["model"]))
    return items


def _line_style(name: str, index: int) -> tuple[dict[str, object], int]:
    """Line style and legend rank: model strong and first in the legend, baselines grey."""
    if name == "model":
        return {"color": MODEL_COLOUR, "width": 3}, 1
    return {
        "color": BASELINE_COLOURS[index % len(BASELINE_COLOURS)],
        "width": 2,
        "dash": BASELINE_DASHES[index % len(BASELINE_DASHES)],
    }, 10 + index


def _curve(metrics: Mapping, curve: str, *keys: str) -> list[list[float]]:
    try:
        part = metrics["curves"][curve]
        return [list(part[k]) for k in keys]
    except (KeyError, TypeError) as exc:
        raise DataError(
            "error.charts.no_curve", hint="error.charts.retrain.hint", curve=str(curve)
        ) from exc


def _diagonal(name: str) -> go.Scatter:
    return go.Scatter(
        x=[0.0, 1.0],
        y=[0.0, 1.0],
        mode="lines",
        name=name,
        line={"color": REFERENCE_COLOUR, "width": 1.5, "dash": "dot"},
        hoverinfo="skip",
        legendrank=100,
    )


def roc_figure(metrics_by_name: Mapping[str, Mapping], lang: str = "en") -> go.Figure:
    """ROC curves of the model and baselines, AUC in the legend."""
    fig = go.Figure()
    for i, (name, metrics) in enumerate(_ordered(metrics_by_name)):
        fpr, tpr = _curve(metrics, "roc", "fpr", "tpr")
        line, rank = _line_style(name, i)
        label = t(
            "chart.roc.legend",
            lang,
            name=_series_name(name, lang),
            auc=_number(metrics.get("roc_auc")),
        )
        fig.add_trace(
            go.Scatter(
                x=fpr,
                y=tpr,
                mode="lines",
                name=label,
                line=line,
                legendrank=rank,
                hovertemplate=f"{t('chart.roc.x', lang)}: %{{x:.1%}}<br>"
                f"{t('chart.roc.y', lang)}: %{{y:.1%}}<extra>{_series_name(name, lang)}</extra>",
            )
        )
    fig.add_trace(_diagonal(t("chart.series.random", lang)))
    _finish(
        fig,
        t("chart.roc.title", lang),
        t("chart.roc.x", lang),
        t("chart.roc.y", lang),
        legend=_INSIDE_BOTTOM_RIGHT,
    )
    _percent_axes(fig)
    return fig


def pr_figure(metrics_by_name: Mapping[str, Mapping], lang: str = "en") -> go.Figure:
    """Precision-recall curves, average precision in the legend, base rate as reference."""
    fig = go.Figure()
    base_rate = None
    for i, (name, metrics) in enumerate(_ordered(metrics_by_name)):
        recall, precision = _curve(metrics, "pr", "recall", "precision")
        line, rank = _line_style(name, i)
        if metrics.get("base_rate") is not None:
            base_rate = _number(metrics["base_rate"])
        label = t(
            "chart.pr.legend",
            lang,
            name=_series_name(name, lang),
            ap=_number(metrics.get("pr_auc")),
        )
        fig.add_trace(
            go.Scatter(
                x=recall,
                y=precision,
                mode="lines",
                name=label,
                line=line,
                legendrank=rank,
                hovertemplate=f"{t('chart.pr.x', lang)}: %{{x:.1%}}<br>"
                f"{t('chart.pr.y', lang)}: %{{y:.1%}}<extra>{_series_name(name, lang)}</extra>",
            )
        )
    if base_rate is not None and not math.isnan(base_rate):
        fig.add_trace(
            go.Scatter(
                x=[0.0, 1.0],
                y=[base_rate, base_rate],
                mode="lines",
                name=t("chart.pr.base_rate", lang, rate=base_rate),
                line={"color": REFERENCE_COLOUR, "width": 1.5, "dash": "dot"},
                hoverinfo="skip",
                legendrank=100,
            )
        )
    _finish(
        fig,
        t("chart.pr.title", lang),
        t("chart.pr.x", lang),
        t("chart.pr.y", lang),
    )
    _percent_axes(fig)
    return fig


def gains_figure(metrics_by_name: Mapping[str, Mapping], lang: str = "en") -> go.Figure:
    """Cumulative share of churners caught against share of customers contacted."""
    fig = go.Figure()
    for i, (name, metrics) in enumerate(_ordered(metrics_by_name)):
        contacted, caught = _curve(metrics, "gains", "share_contacted", "share_caught")
        line, rank = _line_style(name, i)
        fig.add_trace(
            go.Scatter(
                x=contacted,
                y=caught,
                mode="lines",
                name=_series_name(name, lang),
                line=line,
                legendrank=rank,
                hovertemplate=f"{t('chart.gains.x', lang)}: %{{x:.0%}}<br>"
                f"{t('chart.gains.y', lang)}: %{{y:.1%}}<extra>{_series_name(name, lang)}</extra>",
            )
        )
    fig.add_trace(_diagonal(t("chart.series.random", lang)))
    _finish(
        fig,
        t("chart.gains.title", lang),
        t("chart.gains.x", lang),
        t("chart.gains.y", lang),
        legend=_INSIDE_BOTTOM_RIGHT,
    )
    _percent_axes(fig)
    return fig


def lift_figure(metrics_by_name: Mapping[str, Mapping], lang: str = "en") -> go.Figure:
    """Lift in the top 5/10/20 % as grouped bars, the model beside its baselines."""
    categories = [t("chart.lift.top", lang, pct=level) for level in LIFT_LEVELS]
    fig = go.Figure()
    indexed = list(enumerate(_ordered(metrics_by_name)))  # index = the colour in every chart
    for i, (name, metrics) in indexed[-1:] + indexed[:-1]:  # model bars first
        lift = metrics.get("lift") or {}
        capture = metrics.get("capture") or {}
        if not isinstance(lift, Mapping) or not lift:
            raise DataError("error.charts.no_lift", hint="error.charts.retrain.hint")
        values = [_number(lift.get(level)) for level in LIFT_LEVELS]
        caught = [_number(capture.get(level)) for level in LIFT_LEVELS]
        colour = MODEL_COLOUR if name == "model" else BASELINE_COLOURS[i % len(BASELINE_COLOURS)]
        fig.add_trace(
            go.Bar(
                x=categories,
                y=values,
                name=_series_name(name, lang),
                marker={"color": colour},
                customdata=caught,
                text=[f"{v:.1f}×" if not math.isnan(v) else "" for v in values],
                textposition="outside",
                cliponaxis=False,
                legendrank=1 if name == "model" else 10 + i,
                hovertemplate=f"%{{x}}<br>{t('chart.lift.y', lang)}: %{{y:.2f}}<br>"
                f"{t('chart.lift.capture', lang)}: %{{customdata:.1%}}"
                f"<extra>{_series_name(name, lang)}</extra>",
            )
        )
    fig.add_hline(y=1.0, line={"color": REFERENCE_COLOUR, "dash": "dot"})
    _finish(fig, t("chart.lift.title", lang), t("chart.lift.x", lang), t("chart.lift.y", lang))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(rangemode="tozero")
    return fig


def calibration_figure(metrics_by_name: Mapping[str, Mapping], lang: str = "en") -> go.Figure:
    """Reliability diagram: mean predicted against observed churn per bin, counts in hover."""
    fig = go.Figure()
    for i, (name, metrics) in enumerate(_ordered(metrics_by_name)):
        predicted, observed, count = _curve(
            metrics, "calibration", "mean_predicted", "observed", "count"
        )
        line, rank = _line_style(name, i)
        fig.add_trace(
            go.Scatter(
                x=predicted,
                y=observed,
                mode="lines+markers",
                name=_series_name(name, lang),
                line=line,
                marker={"color": line["color"], "size": 7},
                legendrank=rank,
                customdata=count,
                hovertemplate=f"{t('chart.calibration.predicted', lang)}: %{{x:.1%}}<br>"
                f"{t('chart.calibration.observed', lang)}: %{{y:.1%}}<br>"
                f"{t('chart.customers', lang)}: %{{customdata:,}}"
                f"<extra>{_series_name(name, lang)}</extra>",
            )
        )
    fig.add_trace(_diagonal(t("chart.calibration.perfect", lang)))
    _finish(
        fig,
        t("chart.calibration.title", lang),
        t("chart.calibration.x", lang),
        t("chart.calibration.y", lang),
        legend=_INSIDE_TOP_LEFT,
    )
    _percent_axes(fig)
    return fig
