"""SHAP explanations: global importance, the beeswarm, one feature's dependence and one
customer's waterfall."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import polars as pl

from churnlab.charts._style import GREY, MODEL_COLOUR, VALUE_SCALE, _finish
from churnlab.errors import DataError
from churnlab.i18n import t


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
