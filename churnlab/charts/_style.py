"""The shared look of every chart: colours, sizes, legend places and ``_finish``.

Also the two small helpers more than one area needs (``_number``, ``_percent_axes``).
"""

from __future__ import annotations

import plotly.graph_objects as go

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


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _percent_axes(fig: go.Figure, x: bool = True, y: bool = True) -> None:
    if x:
        fig.update_xaxes(tickformat=".0%", range=[0, 1.0], zeroline=False)
    if y:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.02], zeroline=False)
