"""What the scores say: their spread among churners and stayers, the confusion at a
threshold, and customers per risk band."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import polars as pl

from churnlab.charts._style import BAND_COLOURS, BANDS, _finish
from churnlab.errors import DataError
from churnlab.i18n import t


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
