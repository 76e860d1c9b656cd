"""The customer base: cohort retention (heatmap and curves) and RFM segments."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from churnlab.charts._style import (
    _INSIDE_TOP_RIGHT,
    ACCENT_COLOUR,
    MODEL_COLOUR,
    RISK_SCALE,
    _finish,
)
from churnlab.errors import DataError
from churnlab.i18n import t


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


def segments_figure(
    segments: pl.DataFrame, lang: str = "en", currency: str = "¥", by: str | None = None
) -> go.Figure:
    """Segments as horizontal bars: share of customers, coloured by mean risk (or the
    observed churn rate), value and value at risk in the hover. RFM segments, or a customer
    table's customers grouped by its column ``by`` (``cohorts.attribute_segments``)."""
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
        t("chart.segments.title", lang)
        if by is None
        else t("chart.segments.title_column", lang, column=by),
        t("chart.segments.x", lang),
        t("chart.segments.y", lang) if by is None else by,
        height=min(max(400, 30 * frame.height + 140), 650),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig
