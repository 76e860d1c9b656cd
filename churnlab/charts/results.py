"""Figures of campaign results, the backtest and uplift targeting (pure: data in, figure out).

Same look as every other chart (``_style``: ``_finish`` and the colours).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from churnlab.charts._style import GREY, MODEL_COLOUR, _finish, _percent_axes
from churnlab.i18n import t

TREATMENT_COLOUR = MODEL_COLOUR
CONTROL_COLOUR = GREY


def _band_names(rows: Sequence[Mapping], lang: str) -> list[str]:
    return [t(f"band.{row['band']}", lang) for row in rows]


def results_bands_figure(bands: Sequence[Mapping], lang: str = "en") -> go.Figure:
    """Churn rate of treatment and control per risk band, with Wilson 95 % intervals."""
    names = _band_names(bands, lang)
    fig = go.Figure()
    for group, colour in (("treatment", TREATMENT_COLOUR), ("control", CONTROL_COLOUR)):
        rates = [row[group]["churn_rate"] for row in bands]
        low = [row[group]["churn_rate_low"] for row in bands]
        high = [row[group]["churn_rate_high"] for row in bands]
        fig.add_trace(
            go.Bar(
                x=names,
                y=rates,
                name=t(f"chart.results.{group}", lang),
                marker_color=colour,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [
                        h - r if r is not None else 0 for h, r in zip(high, rates, strict=True)
                    ],
                    "arrayminus": [
                        r - lo if r is not None else 0 for lo, r in zip(low, rates, strict=True)
                    ],
                },
                hovertemplate="%{x}: %{y:.1%}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    _finish(
        fig,
        t("chart.results.title", lang),
        t("chart.results.band", lang),
        t("chart.results.churn", lang),
    )
    _percent_axes(fig, x=False)
    return fig


def backtest_bands_figure(bands: Sequence[Mapping], lang: str = "en") -> go.Figure:
    """Predicted against observed churn per risk band on the untouched customers."""
    names = _band_names(bands, lang)
    fig = go.Figure()
    for key, colour in (("predicted", GREY), ("observed", MODEL_COLOUR)):
        fig.add_trace(
            go.Bar(
                x=names,
                y=[row[key] for row in bands],
                name=t(f"chart.backtest.{key}", lang),
                marker_color=colour,
                hovertemplate="%{x}: %{y:.1%}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    _finish(
        fig,
        t("chart.backtest.title", lang),
        t("chart.results.band", lang),
        t("chart.results.churn", lang),
    )
    _percent_axes(fig, x=False)
    return fig


def qini_figure(qini: Mapping, lang: str = "en") -> go.Figure:
    """Qini curves on held-out customers: the uplift model, churn risk, and random targeting."""
    fig = go.Figure()
    styles = {
        "uplift": {"color": MODEL_COLOUR, "width": 3},
        "risk": {"color": "#ff7f0e", "width": 2, "dash": "dash"},
    }
    for name, curve in qini["curves"].items():
        fig.add_trace(
            go.Scatter(
                x=curve["share"],
                y=curve["kept"],
                mode="lines",
                name=t(f"chart.qini.{name}", lang),
                line=styles.get(name, {"color": GREY}),
                hovertemplate="%{x:.0%}: %{y:,.1f}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0.0, 1.0],
            y=[0.0, qini["overall_kept"]],
            mode="lines",
            name=t("chart.qini.random", lang),
            line={"color": GREY, "width": 1.5, "dash": "dot"},
            hoverinfo="skip",
        )
    )
    _finish(
        fig,
        t("chart.qini.title", lang, n=qini["held_out"]),
        t("chart.qini.x", lang),
        t("chart.qini.y", lang),
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1.0])
    return fig
