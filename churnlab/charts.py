"""Every chart as a pure function: data in, ``plotly.graph_objects.Figure`` out.

No Streamlit and no I/O here, so the pages, the HTML report and the tests draw the
same figures. Marketers and managers read them, hence one look everywhere: a plain
title, axis labels with units, percentages shown as %, the model in a strong colour
and baselines in dashed grey, risk bands in fixed colours. All text comes from
``churnlab.i18n.t`` (keys ``chart.*``); feature names arrive already translated.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from churnlab.errors import DataError
from churnlab.i18n import t

log = logging.getLogger(__name__)

BAND_COLOURS: dict[str, str] = {"High": "#d62728", "Medium": "#ff7f0e", "Low": "#2ca02c"}
BANDS: tuple[str, ...] = ("High", "Medium", "Low")
MODEL_COLOUR = "#1f4e9c"
BASELINE_COLOURS: tuple[str, ...] = ("#7f7f7f", "#a6a6a6", "#595959", "#bfbfbf")
BASELINE_DASHES: tuple[str, ...] = ("dash", "dot", "dashdot", "longdash")
REFERENCE_COLOUR = "#c7c7c7"
ACCENT_COLOUR = "#d62728"
GREY = "#b0b0b0"
# SHAP's own low → high colours, so the beeswarm reads like the familiar plot.
VALUE_SCALE: list[list[object]] = [[0.0, "#008bfb"], [0.5, "#9b7fd4"], [1.0, "#ff0051"]]
RISK_SCALE: list[list[object]] = [[0.0, "#2ca02c"], [0.5, "#ff7f0e"], [1.0, "#d62728"]]
TEMPLATE = "plotly_white"
HEIGHT = 420
LIFT_LEVELS: tuple[str, ...] = ("5", "10", "20")


# ---------------------------------------------------------------- helpers


def _finish(
    fig: go.Figure,
    title: str,
    x_title: str,
    y_title: str,
    *,
    height: int = HEIGHT,
    legend: dict[str, object] | None = None,
) -> go.Figure:
    """The shared look: template, title, axis titles, margins, legend placement."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        height=height,
        margin={"l": 70, "r": 30, "t": 90, "b": 60},
        legend=legend
        or {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0.0, "xanchor": "left"},
        hoverlabel={"namelength": -1},
    )
    fig.update_xaxes(title_text=x_title, automargin=True)
    fig.update_yaxes(title_text=y_title, automargin=True)
    return fig


_INSIDE_BOTTOM_RIGHT = {
    "x": 0.98,
    "y": 0.03,
    "xanchor": "right",
    "yanchor": "bottom",
    "bgcolor": "rgba(255,255,255,0.85)",
}
_INSIDE_TOP_LEFT = {
    "x": 0.02,
    "y": 0.98,
    "xanchor": "left",
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0.85)",
}
_INSIDE_TOP_RIGHT = {
    "x": 0.98,
    "y": 0.98,
    "xanchor": "right",
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0.85)",
}


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


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


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


def _percent_axes(fig: go.Figure, x: bool = True, y: bool = True) -> None:
    if x:
        fig.update_xaxes(tickformat=".0%", range=[0, 1.0], zeroline=False)
    if y:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.02], zeroline=False)


# ---------------------------------------------------------------- model metrics


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


def score_distribution_figure(
    p: np.ndarray,
    y: np.ndarray,
    threshold: float | None = None,
    lang: str = "en",
    bins: int = 50,
) -> go.Figure:
    """Histograms of the predicted probability for churners and stayers, overlaid.

    Counts are binned here (not in the browser) so 1M customers stay a small figure.
    """
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if p.shape != y.shape or p.size == 0:
        raise DataError("error.charts.scores_shape")
    edges = np.linspace(0.0, 1.0, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    width = 1.0 / bins
    fig = go.Figure()
    for value, key, colour in (
        (0, "chart.scores.stayed", "#2ca02c"),
        (1, "chart.scores.churned", "#d62728"),
    ):
        chosen = p[(y == value) & ~np.isnan(p)]
        counts, _ = np.histogram(np.clip(chosen, 0.0, 1.0), bins=edges)
        fig.add_trace(
            go.Bar(
                x=centres,
                y=counts,
                width=width,
                name=t(key, lang),
                marker={"color": colour, "line": {"width": 0}},
                opacity=0.55,
                customdata=np.column_stack([edges[:-1], edges[1:]]),
                hovertemplate=f"{t('chart.scores.x', lang)}: "
                "%{customdata[0]:.0%}–%{customdata[1]:.0%}<br>"
                f"{t('chart.scores.y', lang)}: %{{y:,}}<extra>{t(key, lang)}</extra>",
            )
        )
    if threshold is not None:
        fig.add_vline(
            x=float(threshold),
            line={"color": "#333333", "dash": "dash", "width": 2},
            annotation_text=t("chart.scores.threshold", lang, value=float(threshold)),
            annotation_position="top right",
        )
    _finish(
        fig, t("chart.scores.title", lang), t("chart.scores.x", lang), t("chart.scores.y", lang)
    )
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return fig


def confusion_figure(confusion: Mapping[str, int], lang: str = "en") -> go.Figure:
    """2×2 heatmap of actual against predicted, with counts and shares in each cell."""
    try:
        tp, fn = int(confusion["tp"]), int(confusion["fn"])
        fp, tn = int(confusion["fp"]), int(confusion["tn"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError("error.charts.no_confusion") from exc
    total = max(tp + fn + fp + tn, 1)
    z = [[tp, fn], [fp, tn]]
    shares = [[v / total for v in row] for row in z]
    churn, stay = t("chart.confusion.churn", lang), t("chart.confusion.stay", lang)
    text = [
        [f"{v:,}<br>{s:.1%}" for v, s in zip(row, srow, strict=True)]
        for row, srow in zip(z, shares, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[churn, stay],
            y=[churn, stay],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 16},
            customdata=shares,
            colorscale="Blues",
            showscale=False,
            hovertemplate=f"{t('chart.confusion.y', lang)}: %{{y}}<br>"
            f"{t('chart.confusion.x', lang)}: %{{x}}<br>{t('chart.customers', lang)}: %{{z:,}}<br>"
            f"{t('chart.confusion.share', lang)}: %{{customdata:.1%}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.confusion.title", lang),
        t("chart.confusion.x", lang),
        t("chart.confusion.y", lang),
        height=400,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="bottom")
    return fig


def _first_key(row: Mapping, keys: Sequence[str]) -> object:
    for key in keys:
        if row.get(key) is not None:
            return row[key]
    return None


def churn_over_time_figure(cutoff_stats: Sequence[Mapping], lang: str = "en") -> go.Figure:
    """Churn rate (line, %) and population (bars, right axis) at each cut-off date.

    Each entry needs ``cutoff`` and the population size (``customers``, ``population``
    or ``n``) and either ``churn_rate`` / ``base_rate`` or a count of churners
    (``churned`` / ``positives``).
    """
    if not cutoff_stats:
        raise DataError("error.charts.no_cutoffs")
    dates, sizes, rates = [], [], []
    for row in cutoff_stats:
        size = _number(_first_key(row, ("customers", "population", "n")))
        rate = _first_key(row, ("churn_rate", "base_rate"))
        if rate is None:
            churned = _first_key(row, ("churned", "positives"))
            rate = _number(churned) / size if churned is not None and size else float("nan")
        dates.append(row.get("cutoff"))
        sizes.append(size)
        rates.append(_number(rate))
    if any(d is None for d in dates):
        raise DataError("error.charts.cutoff_without_date")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=dates,
            y=sizes,
            name=t("chart.over_time.population", lang),
            marker={"color": "#c6dbef"},
            hovertemplate=f"%{{x|%Y-%m-%d}}<br>{t('chart.over_time.population', lang)}: "
            "%{y:,.0f}<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=rates,
            mode="lines+markers",
            name=t("chart.over_time.rate", lang),
            line={"color": ACCENT_COLOUR, "width": 3},
            hovertemplate=f"%{{x|%Y-%m-%d}}<br>{t('chart.over_time.rate', lang)}: "
            "%{y:.1%}<extra></extra>",
        ),
        secondary_y=False,
    )
    _finish(
        fig,
        t("chart.over_time.title", lang),
        t("chart.over_time.x", lang),
        t("chart.over_time.y", lang),
    )
    fig.update_yaxes(
        title_text=t("chart.over_time.y", lang),
        tickformat=".0%",
        rangemode="tozero",
        secondary_y=False,
    )
    fig.update_yaxes(
        title_text=t("chart.over_time.y2", lang),
        rangemode="tozero",
        showgrid=False,
        tickmode="auto",
        tickformat=",.0f",
        secondary_y=True,
    )
    fig.update_layout(margin={"r": 80})
    return fig


# ---------------------------------------------------------------- explanations


def importance_figure(
    names: Sequence[str], mean_abs_shap: np.ndarray, top: int = 15, lang: str = "en"
) -> go.Figure:
    """Horizontal bars of mean |SHAP| for the ``top`` features, the biggest at the top."""
    values = np.asarray(mean_abs_shap, dtype=np.float64)
    if len(names) != values.size or values.size == 0:
        raise DataError("error.charts.importance_shape")
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")[: max(top, 1)]
    shown = order[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure(
        go.Bar(
            x=values[shown],
            y=[names[i] for i in shown],
            orientation="h",
            marker={"color": MODEL_COLOUR},
            hovertemplate=f"%{{y}}<br>{t('chart.importance.x', lang)}: %{{x:.3f}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.importance.title", lang),
        t("chart.importance.x", lang),
        t("chart.feature", lang),
        height=min(max(380, 26 * len(shown) + 130), 650),
    )
    return fig


def _value_text(series: pl.Series, missing: str) -> np.ndarray:
    """Feature values as short strings for hover text (vectorised)."""
    if series.dtype.is_float():
        series = series.round(3)
    if series.dtype == pl.Object:  # only the sampled rows, so a Python pass is cheap
        return np.array([missing if v is None else str(v) for v in series.to_list()], dtype=object)
    return series.cast(pl.String).fill_null(missing).to_numpy().astype(object)


def _swarm_offsets(x: np.ndarray, rng: np.random.Generator, width: float = 0.4) -> np.ndarray:
    """Vertical jitter that grows with local density, so dense regions fan out like a swarm."""
    finite = np.isfinite(x)
    if finite.sum() < 2:
        return np.zeros_like(x)
    counts, edges = np.histogram(x[finite], bins=40)
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(counts) - 1)
    density = np.sqrt(counts[idx] / max(counts.max(), 1))
    return rng.uniform(-1.0, 1.0, size=x.size) * width * density


def beeswarm_figure(
    shap_values: np.ndarray,
    feature_values: pl.DataFrame,
    names: Sequence[str],
    top: int = 12,
    max_points: int = 3000,
    seed: int = 0,
    lang: str = "en",
    labels: Sequence[str] | None = None,
) -> go.Figure:
    """SHAP summary: one row per feature, a dot per customer, coloured by the value's rank.

    ``names`` are the columns of ``shap_values`` and of ``feature_values``; ``labels``
    (optional, same order) are the translated names shown on the axis. Customers are
    subsampled deterministically (``seed``) to ``max_points`` so the chart stays fast.
    Two traces: numeric values coloured low → high, categorical or missing values grey.
    """
    shap = np.asarray(shap_values, dtype=np.float64)
    if shap.ndim != 2 or shap.shape[1] != len(names) or shap.shape[0] == 0:
        raise DataError("error.charts.shap_shape")
    if feature_values.height != shap.shape[0]:
        raise DataError("error.charts.shap_rows")
    labels = list(labels) if labels is not None else list(names)
    n = shap.shape[0]
    rng = np.random.default_rng(seed)
    rows = np.arange(n) if n <= max_points else np.sort(rng.choice(n, max_points, replace=False))
    importance = np.nanmean(np.abs(shap), axis=0)
    order = np.argsort(-np.nan_to_num(importance, nan=-np.inf), kind="stable")[: max(top, 1)]
    missing = t("chart.missing", lang)
    coloured: dict[str, list[np.ndarray]] = {"x": [], "y": [], "c": [], "name": [], "value": []}
    grey: dict[str, list[np.ndarray]] = {"x": [], "y": [], "name": [], "value": []}
    row_rng = np.random.default_rng(seed + 1)
    for position, j in enumerate(order):
        level = len(order) - 1 - position  # most important at the top
        x = shap[rows, j]
        y = level + _swarm_offsets(x, row_rng)
        column = names[j]
        if column in feature_values.columns:
            values = feature_values[column].gather(rows)
        else:
            values = pl.Series([None] * rows.size, dtype=pl.Float64)
        text = _value_text(values, missing)
        label = np.full(rows.size, labels[j], dtype=object)
        numeric = values.dtype.is_numeric()
        raw = values.cast(pl.Float64).to_numpy() if numeric else np.full(rows.size, np.nan)
        ok = ~np.isnan(raw)
        if ok.any():
            ranks = pl.Series(raw[ok]).rank(method="average").to_numpy()
            scaled = (ranks - 1) / max(ok.sum() - 1, 1)
            for key, arr in (
                ("x", x[ok]),
                ("y", y[ok]),
                ("c", scaled),
                ("name", label[ok]),
                ("value", text[ok]),
            ):
                coloured[key].append(arr)
        if (~ok).any():
            for key, arr in (
                ("x", x[~ok]),
                ("y", y[~ok]),
                ("name", label[~ok]),
                ("value", text[~ok]),
            ):
                grey[key].append(arr)

    def _cat(parts: list[np.ndarray], dtype: object = np.float64) -> np.ndarray:
        return np.concatenate(parts) if parts else np.array([], dtype=dtype)

    hover = f"%{{customdata[0]}} = %{{customdata[1]}}<br>{t('chart.shap', lang)}: %{{x:.3f}}"
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=_cat(coloured["x"]),
            y=_cat(coloured["y"]),
            mode="markers",
            name=t("chart.beeswarm.colour", lang),
            marker={
                "color": _cat(coloured["c"]),
                "colorscale": VALUE_SCALE,
                "cmin": 0.0,
                "cmax": 1.0,
                "size": 4,
                "opacity": 0.7,
                "colorbar": {
                    "title": {"text": t("chart.beeswarm.colour", lang)},
                    "tickvals": [0, 1],
                    "ticktext": [t("chart.beeswarm.low", lang), t("chart.beeswarm.high", lang)],
                    "thickness": 12,
                    "len": 0.6,
                },
            },
            customdata=np.column_stack(
                [_cat(coloured["name"], object), _cat(coloured["value"], object)]
            )
            if coloured["x"]
            else None,
            hovertemplate=hover + "<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scattergl(
            x=_cat(grey["x"]),
            y=_cat(grey["y"]),
            mode="markers",
            name=t("chart.beeswarm.categorical", lang),
            marker={"color": GREY, "size": 4, "opacity": 0.6},
            customdata=np.column_stack([_cat(grey["name"], object), _cat(grey["value"], object)])
            if grey["x"]
            else None,
            hovertemplate=hover + "<extra></extra>",
            showlegend=bool(grey["x"]),
        )
    )
    fig.add_vline(x=0.0, line={"color": "#888888", "width": 1})
    _finish(
        fig,
        t("chart.beeswarm.title", lang),
        t("chart.shap_axis", lang),
        t("chart.feature", lang),
        height=min(max(400, 34 * len(order) + 140), 700),
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0.0},
    )
    fig.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[labels[j] for j in order[::-1]],
        range=[-0.6, len(order) - 0.4],
        showgrid=False,
        zeroline=False,
    )
    return fig


def dependence_figure(
    values: pl.Series | np.ndarray,
    shap: np.ndarray,
    name: str,
    categorical: bool = False,
    lang: str = "en",
    max_points: int = 5000,
    seed: int = 0,
) -> go.Figure:
    """How one feature's value moves churn risk: scatter (numeric) or boxes per category."""
    series = (values if isinstance(values, pl.Series) else pl.Series(values)).alias("value")
    impact = np.asarray(shap, dtype=np.float64).ravel()
    if series.len() != impact.size or impact.size == 0:
        raise DataError("error.charts.dependence_shape")
    n = impact.size
    if n > max_points:
        rows = np.sort(np.random.default_rng(seed).choice(n, max_points, replace=False))
        series, impact = series.gather(rows), impact[rows]
    if series.dtype == pl.Object:  # e.g. a numpy object array; at most max_points values
        series = pl.Series("value", [None if v is None else str(v) for v in series.to_list()])
    title = t("chart.dependence.title", lang, name=name)
    hover = f"{name}: %{{x}}<br>{t('chart.shap', lang)}: %{{y:.3f}}<extra></extra>"
    if categorical or not series.dtype.is_numeric():
        labels = series.cast(pl.String).fill_null(t("chart.missing", lang))
        counts = labels.value_counts(sort=True)
        keep = set(counts[labels.name].head(20).to_list())
        labels = (
            labels.to_frame()
            .select(
                pl.when(pl.col(labels.name).is_in(list(keep)))
                .then(pl.col(labels.name))
                .otherwise(pl.lit(t("chart.other", lang)))
            )
            .to_series()
        )
        trace: go.Box | go.Scatter = go.Box(
            x=labels.to_numpy(),
            y=impact,
            name=name,
            marker={"color": MODEL_COLOUR, "size": 3},
            boxpoints="outliers",
            hovertemplate=hover,
        )
    else:
        x = series.cast(pl.Float64).to_numpy()
        ok = ~np.isnan(x)
        trace = go.Scattergl(
            x=x[ok],
            y=impact[ok],
            mode="markers",
            name=name,
            marker={"color": MODEL_COLOUR, "size": 5, "opacity": 0.45},
            hovertemplate=hover,
        )
    fig = go.Figure(trace)
    fig.add_hline(y=0.0, line={"color": "#888888", "width": 1})
    _finish(fig, title, name, t("chart.shap_axis", lang))
    fig.update_layout(showlegend=False)
    return fig


def _short(value: object) -> str:
    """A feature value for hover text: floats to 4 significant digits, missing as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float | np.floating):
        return f"{float(value):,.4g}"
    return str(value)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def waterfall_figure(
    base_value: float,
    contributions: np.ndarray,
    names: Sequence[str],
    values: Sequence[object],
    top: int = 10,
    lang: str = "en",
) -> go.Figure:
    """One customer: from the average churn log-odds (``base_value``) to theirs.

    The ``top`` largest contributions are shown one by one, the rest summed as
    "other features"; the start and end probabilities are annotated because
    log-odds mean little to a marketer.
    """
    contrib = np.asarray(contributions, dtype=np.float64).ravel()
    if contrib.size != len(names) or len(values) != len(names):
        raise DataError("error.charts.waterfall_shape")
    contrib = np.nan_to_num(contrib)
    order = np.argsort(-np.abs(contrib), kind="stable")
    shown, rest = order[: max(top, 0)], order[max(top, 0) :]
    final = float(base_value) + float(contrib.sum())
    p_start, p_end = _sigmoid(float(base_value)), _sigmoid(final)
    labels = [t("chart.waterfall.start", lang, p=p_start)]
    measures = ["absolute"]
    xs = [float(base_value)]
    hover_values = [""]
    for i in shown:
        labels.append(str(names[i]))
        measures.append("relative")
        xs.append(float(contrib[i]))
        hover_values.append(f"{names[i]} = {_short(values[i])}")
    if rest.size:
        labels.append(t("chart.waterfall.other", lang, n=int(rest.size)))
        measures.append("relative")
        xs.append(float(contrib[rest].sum()))
        hover_values.append(labels[-1])
    labels.append(t("chart.waterfall.end", lang, p=p_end))
    measures.append("total")
    xs.append(0.0)
    hover_values.append("")
    text = [f"{base_value:+.2f}"] + [f"{v:+.2f}" for v in xs[1:-1]] + [f"{final:+.2f}"]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=measures,
            y=labels,
            x=xs,
            text=text,
            textposition=["inside"] + ["outside"] * (len(xs) - 2) + ["inside"],
            insidetextanchor="middle",
            cliponaxis=False,
            customdata=hover_values,
            increasing={"marker": {"color": "#d62728"}},
            decreasing={"marker": {"color": "#2ca02c"}},
            totals={"marker": {"color": MODEL_COLOUR}},
            connector={"line": {"color": "#999999", "width": 1}},
            hovertemplate=f"%{{customdata}}<br>{t('chart.shap', lang)}: %{{x:+.3f}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.waterfall.title", lang, p=p_end),
        t("chart.waterfall.x", lang),
        t("chart.feature", lang),
        height=min(max(400, 30 * len(labels) + 140), 650),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False)
    return fig


# ---------------------------------------------------------------- scoring pictures


def _band_id(value: str) -> str | None:
    lowered = str(value).strip().lower()
    for band in BANDS:
        if band.lower() == lowered:
            return band
    return None


def risk_distribution_figure(
    bands: Sequence[str] | np.ndarray | pl.Series, lang: str = "en"
) -> go.Figure:
    """Customers per risk band (High / Medium / Low) in the band colours."""
    series = pl.Series("band", bands).cast(pl.String).drop_nulls()
    if series.len() == 0:
        raise DataError("error.charts.no_bands")
    counts = series.str.strip_chars().str.to_lowercase().value_counts()
    by_band = dict(zip(counts["band"].to_list(), counts["count"].to_list(), strict=True))
    unknown = [b for b in by_band if _band_id(b) is None]
    if unknown:
        raise DataError("error.charts.unknown_bands", bands=", ".join(sorted(unknown)))
    total = series.len()
    ys = [int(by_band.get(b.lower(), 0)) for b in BANDS]
    fig = go.Figure(
        go.Bar(
            x=[t(f"chart.band.{b.lower()}", lang) for b in BANDS],
            y=ys,
            marker={"color": [BAND_COLOURS[b] for b in BANDS]},
            text=[f"{v:,} ({v / total:.0%})" for v in ys],
            textposition="outside",
            cliponaxis=False,
            customdata=[v / total for v in ys],
            hovertemplate=f"%{{x}}<br>{t('chart.customers', lang)}: %{{y:,}}<br>"
            f"{t('chart.share', lang)}: %{{customdata:.1%}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.bands.title", lang),
        t("chart.bands.x", lang),
        t("chart.bands.y", lang),
        height=380,
    )
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def timeline_figure(
    data_start: dt.date | dt.datetime,
    data_end: dt.date | dt.datetime,
    cutoffs: Sequence[dt.date],
    eval_cutoff: dt.date,
    horizon_days: int,
    lookback_days: int,
    lang: str = "en",
) -> go.Figure:
    """The windows on a date axis: data, look-back before and horizon after the evaluation
    cut-off, the training cut-offs and the evaluation cut-off."""
    start, end, cut = _as_date(data_start), _as_date(data_end), _as_date(eval_cutoff)
    rows = {
        "data": t("chart.timeline.data", lang),
        "lookback": t("chart.timeline.lookback", lang, days=lookback_days),
        "horizon": t("chart.timeline.horizon", lang, days=horizon_days),
        "cutoffs": t("chart.timeline.training", lang),
    }
    bar = {"mode": "lines", "line": {"width": 14}}
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[start, end],
            y=[rows["data"]] * 2,
            name=rows["data"],
            showlegend=False,
            line={**bar["line"], "color": "#c6dbef"},
            mode="lines",
            hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[cut - dt.timedelta(days=lookback_days), cut],
            y=[rows["lookback"]] * 2,
            name=rows["lookback"],
            showlegend=False,
            mode="lines",
            line={**bar["line"], "color": "#6baed6"},
            hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[cut, cut + dt.timedelta(days=horizon_days)],
            y=[rows["horizon"]] * 2,
            name=rows["horizon"],
            showlegend=False,
            mode="lines",
            line={**bar["line"], "color": "#ff7f0e"},
            hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
        )
    )
    training = [_as_date(c) for c in cutoffs if _as_date(c) != cut]
    fig.add_trace(
        go.Scatter(
            x=training,
            y=[rows["cutoffs"]] * len(training),
            mode="markers",
            name=t("chart.timeline.training", lang),
            marker={"color": "#7f7f7f", "size": 10, "symbol": "line-ns-open", "line": {"width": 3}},
            hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[cut],
            y=[rows["cutoffs"]],
            mode="markers",
            name=t("chart.timeline.evaluation", lang),
            marker={"color": ACCENT_COLOUR, "size": 14, "symbol": "diamond"},
            hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_vline(x=cut.isoformat(), line={"color": ACCENT_COLOUR, "dash": "dot", "width": 1})
    _finish(
        fig,
        t("chart.timeline.title", lang),
        t("chart.timeline.x", lang),
        "",
        height=380,
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0},
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[rows["cutoffs"], rows["horizon"], rows["lookback"], rows["data"]],
        title_text="",
    )
    fig.update_xaxes(type="date")
    fig.update_layout(margin={"b": 90})
    return fig


# ---------------------------------------------------------------- cohorts and segments


def _check_retention(retention: pl.DataFrame) -> None:
    needed = {"cohort", "period", "customers", "active", "retention"}
    if retention.height == 0 or not needed <= set(retention.columns):
        raise DataError("error.charts.no_cohorts", hint="error.charts.no_cohorts.hint")


def cohort_heatmap_figure(retention: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Cohorts (rows, oldest at the top) by months since first purchase, coloured by retention."""
    _check_retention(retention)
    frame = retention.sort("cohort", "period")
    cohorts = frame["cohort"].unique(maintain_order=True).to_list()
    periods = list(range(int(frame["period"].max()) + 1))
    index = {c: i for i, c in enumerate(cohorts)}
    z = np.full((len(cohorts), len(periods)), np.nan)
    active = np.full((len(cohorts), len(periods)), np.nan)
    rows = np.array([index[c] for c in frame["cohort"].to_list()])
    cols = frame["period"].to_numpy().astype(int)
    z[rows, cols] = frame["retention"].to_numpy()
    active[rows, cols] = frame["active"].to_numpy()
    sizes = frame.group_by("cohort", maintain_order=True).agg(pl.col("customers").first())
    size_by_row = np.array(sizes["customers"].to_list(), dtype=float)
    custom = np.dstack([np.repeat(size_by_row[:, None], len(periods), axis=1), active])
    labels = [c.strftime("%Y-%m") if hasattr(c, "strftime") else str(c) for c in cohorts]
    z_list = [[None if np.isnan(v) else float(v) for v in row] for row in z]
    show_text = len(cohorts) * len(periods) <= 400
    fig = go.Figure(
        go.Heatmap(
            z=z_list,
            x=periods,
            y=labels,
            customdata=custom,
            colorscale="Blues",
            zmin=0.0,
            zmax=1.0,
            texttemplate="%{z:.0%}" if show_text else None,
            textfont={"size": 10},
            colorbar={
                "title": {"text": t("chart.cohort.colour", lang)},
                "tickformat": ".0%",
                "thickness": 12,
            },
            hoverongaps=False,
            hovertemplate=f"{t('chart.cohort.y', lang)}: %{{y}}<br>"
            f"{t('chart.cohort.x', lang)}: %{{x}}<br>{t('chart.cohort.colour', lang)}: "
            f"%{{z:.1%}}<br>{t('chart.cohort.active', lang)}: %{{customdata[1]:,.0f}}<br>"
            f"{t('chart.cohort.size', lang)}: %{{customdata[0]:,.0f}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.cohort.title", lang),
        t("chart.cohort.x", lang),
        t("chart.cohort.y", lang),
        height=min(max(400, 22 * len(cohorts) + 160), 800),
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(dtick=1 if len(periods) <= 24 else None)
    return fig


def retention_curves_figure(
    retention: pl.DataFrame, lang: str = "en", max_cohorts: int = 8
) -> go.Figure:
    """Retention by month for the most recent cohorts with at least two months, plus the
    customer-weighted average of all cohorts as a thick reference line."""
    _check_retention(retention)
    frame = retention.sort("cohort", "period")
    lengths = frame.group_by("cohort").agg(pl.len().alias("n")).filter(pl.col("n") >= 2)
    chosen = lengths.sort("cohort")["cohort"].tail(max(max_cohorts, 0)).to_list()
    palette = [
        "#08306b",
        "#08519c",
        "#2171b5",
        "#4292c6",
        "#6baed6",
        "#9ecae1",
        "#6a51a3",
        "#807dba",
        "#9e9ac8",
        "#bcbddc",
    ]
    fig = go.Figure()
    for i, cohort in enumerate(chosen):
        part = frame.filter(pl.col("cohort") == cohort)
        label = cohort.strftime("%Y-%m") if hasattr(cohort, "strftime") else str(cohort)
        fig.add_trace(
            go.Scatter(
                x=part["period"].to_list(),
                y=part["retention"].to_list(),
                mode="lines+markers",
                name=label,
                line={"color": palette[i % len(palette)], "width": 1.5},
                marker={"size": 5},
                customdata=part["active"].to_list(),
                hovertemplate=f"{label}<br>{t('chart.cohort.x', lang)}: %{{x}}<br>"
                f"{t('chart.retention.y', lang)}: %{{y:.1%}}<br>"
                f"{t('chart.cohort.active', lang)}: %{{customdata:,}}<extra></extra>",
            )
        )
    average = (
        frame.group_by("period")
        .agg((pl.col("active").sum() / pl.col("customers").sum()).alias("retention"))
        .sort("period")
    )
    fig.add_trace(
        go.Scatter(
            x=average["period"].to_list(),
            y=average["retention"].to_list(),
            mode="lines",
            name=t("chart.series.average", lang),
            line={"color": ACCENT_COLOUR, "width": 4},
            hovertemplate=f"{t('chart.cohort.x', lang)}: %{{x}}<br>"
            f"{t('chart.retention.y', lang)}: %{{y:.1%}}<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.retention.title", lang),
        t("chart.cohort.x", lang),
        t("chart.retention.y", lang),
        legend=_INSIDE_TOP_RIGHT,
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(rangemode="tozero")
    return fig


def segments_figure(segments: pl.DataFrame, lang: str = "en", currency: str = "¥") -> go.Figure:
    """RFM segments as horizontal bars: share of customers, coloured by mean risk (or the
    observed churn rate), value and value at risk in the hover."""
    needed = {"segment", "customers", "share", "total_value", "mean_value"}
    if segments.height == 0 or not needed <= set(segments.columns):
        raise DataError("error.charts.no_segments", hint="error.charts.no_segments.hint")
    frame = segments
    for column in ("churn_rate", "mean_risk", "value_at_risk"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(column))
    names = [t(f"chart.segment.{s}", lang) for s in frame["segment"].to_list()]
    names = [
        n if not n.startswith("chart.segment.") else s
        for n, s in zip(names, frame["segment"].to_list(), strict=True)
    ]
    colour_col = next(
        (c for c in ("mean_risk", "churn_rate") if frame[c].null_count() < frame.height), None
    )
    marker: dict[str, object] = {"color": MODEL_COLOUR}
    if colour_col is not None:
        marker = {
            "color": frame[colour_col].fill_null(0.0).to_list(),
            "colorscale": RISK_SCALE,
            "cmin": 0.0,
            "cmax": max(float(frame[colour_col].max() or 0.0), 0.05),
            "colorbar": {
                "title": {"text": t(f"chart.segments.{colour_col}", lang)},
                "tickformat": ".0%",
                "thickness": 12,
            },
        }
    custom = np.column_stack(
        [
            frame["customers"].cast(pl.Float64).to_numpy(),
            frame["total_value"].cast(pl.Float64).to_numpy(),
            frame["mean_value"].cast(pl.Float64).to_numpy(),
            frame["churn_rate"].cast(pl.Float64).fill_null(float("nan")).to_numpy(),
            frame["mean_risk"].cast(pl.Float64).fill_null(float("nan")).to_numpy(),
            frame["value_at_risk"].cast(pl.Float64).fill_null(float("nan")).to_numpy(),
        ]
    )
    hover = (
        f"%{{y}}<br>{t('chart.customers', lang)}: %{{customdata[0]:,.0f}} (%{{x:.1%}})<br>"
        f"{t('chart.segments.total_value', lang)}: {currency}%{{customdata[1]:,.0f}}<br>"
        f"{t('chart.segments.mean_value', lang)}: {currency}%{{customdata[2]:,.2f}}"
    )
    if frame["churn_rate"].null_count() < frame.height:
        hover += f"<br>{t('chart.segments.churn_rate', lang)}: %{{customdata[3]:.1%}}"
    if frame["mean_risk"].null_count() < frame.height:
        hover += (
            f"<br>{t('chart.segments.mean_risk', lang)}: %{{customdata[4]:.1%}}"
            f"<br>{t('chart.segments.value_at_risk', lang)}: "
            f"{currency}%{{customdata[5]:,.0f}}"
        )
    fig = go.Figure(
        go.Bar(
            x=frame["share"].to_list(),
            y=names,
            orientation="h",
            marker=marker,
            customdata=custom,
            text=[f"{s:.0%}" for s in frame["share"].to_list()],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=hover + "<extra></extra>",
        )
    )
    _finish(
        fig,
        t("chart.segments.title", lang),
        t("chart.segments.x", lang),
        t("chart.segments.y", lang),
        height=min(max(400, 30 * frame.height + 140), 650),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig


def profit_curve_figure(
    n_contacted: np.ndarray,
    net_gain: np.ndarray,
    best_n: int | None = None,
    budget_n: int | None = None,
    currency: str = "¥",
    lang: str = "en",
) -> go.Figure:
    """Expected net gain against the number of customers contacted, with the best N and the
    budget N marked."""
    xs = np.asarray(n_contacted, dtype=np.float64).ravel()
    ys = np.asarray(net_gain, dtype=np.float64).ravel()
    if xs.size == 0 or xs.size != ys.size:
        raise DataError("error.charts.profit_shape")
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name=t("chart.profit.curve", lang),
            line={"color": MODEL_COLOUR, "width": 3},
            hovertemplate=f"{t('chart.profit.x', lang)}: %{{x:,.0f}}<br>"
            f"{t('chart.profit.curve', lang)}: {currency}%{{y:,.0f}}<extra></extra>",
        )
    )

    def _gain_at(n: int) -> float:
        return float(np.interp(n, xs, ys)) if xs.size > 1 else float(ys[0])

    for n, key, colour, symbol in (
        (best_n, "chart.profit.best", "#2ca02c", "star"),
        (budget_n, "chart.profit.budget", "#ff7f0e", "diamond"),
    ):
        if n is None:
            continue
        gain = _gain_at(int(n))
        fig.add_trace(
            go.Scatter(
                x=[int(n)],
                y=[gain],
                mode="markers",
                name=t(key, lang, n=int(n)),
                marker={
                    "color": colour,
                    "size": 14,
                    "symbol": symbol,
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"{t(key, lang, n=int(n))}<br>{t('chart.profit.curve', lang)}: "
                f"{currency}%{{y:,.0f}}<extra></extra>",
            )
        )
        fig.add_vline(x=int(n), line={"color": colour, "dash": "dot", "width": 1})
    fig.add_hline(y=0.0, line={"color": "#888888", "width": 1})
    _finish(
        fig,
        t("chart.profit.title", lang),
        t("chart.profit.x", lang),
        t("chart.profit.y", lang, currency=currency),
    )
    fig.update_xaxes(rangemode="tozero", tickformat=",d")
    fig.update_yaxes(tickprefix=currency, tickformat=",.0f")
    return fig
