"""Campaign planning: expected net gain against the number of customers contacted."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from churnlab.charts._style import MODEL_COLOUR, _finish
from churnlab.errors import DataError
from churnlab.i18n import t


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
