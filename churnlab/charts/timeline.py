"""Charts on the date axis: the data, look-back and horizon windows with the cut-offs,
and the churn rate at each cut-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from churnlab.charts._style import ACCENT_COLOUR, _finish, _number
from churnlab.errors import DataError
from churnlab.i18n import t


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
