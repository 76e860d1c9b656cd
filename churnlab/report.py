"""The management report: a narrative written from the numbers, with the key charts.

One self-contained HTML file: Plotly's JavaScript is inlined once, so the report
opens offline, holds no external script or stylesheet, and prints on A4. Every
value that came from the user's data is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from churnlab import i18n
from churnlab.campaign import CampaignPlan
from churnlab.charts import (
    churn_over_time_figure,
    importance_figure,
    lift_figure,
    profit_curve_figure,
    roc_figure,
    segments_figure,
)
from churnlab.cohorts import assign_rfm_segments, attribute_segments, segment_summary
from churnlab.explain import global_importance, top_driver_descriptions
from churnlab.pipeline import ScoredList, TrainedModel


@dataclass
class ReportFacts:
    """The numbers the narrative is written from (also shown on the Report page)."""

    customers: int
    expected_churners: float
    churn_share: float
    value_at_risk: float
    high_risk: int
    horizon_days: int
    drivers: list[str]
    model_auc: float
    best_baseline_auc: float | None
    campaign_n: int
    offer_cost: float
    kept_customers: float
    revenue_kept: float
    net_gain: float
    currency: str
    table: bool = False
    """A labelled customer table: no horizon, no scoring date, validated on held-out customers."""
    has_spend: bool = True
    """The data hold spend, so the value at risk means something."""


def _short_money(value: float, currency: str, lang: str) -> str:
    if lang == "zh":
        if abs(value) >= 1e8:
            return f"{currency}{value / 1e8:.1f}亿"
        if abs(value) >= 1e4:
            return f"{currency}{value / 1e4:.1f}万"
        return f"{currency}{value:,.0f}"
    if abs(value) >= 1e6:
        return f"{currency}{value / 1e6:.1f}M"
    if abs(value) >= 1e3:
        return f"{currency}{value / 1e3:.0f}k"
    return f"{currency}{value:,.0f}"


def report_facts(
    trained: TrainedModel, scored: ScoredList, plan: CampaignPlan | None, lang: str = "en"
) -> ReportFacts:
    """Collect the headline numbers from the model, today's scores and the campaign plan."""
    frame = scored.frame
    p = frame.get_column("churn_probability").to_numpy().astype(float)
    if "monetary" in frame.columns:
        spend = np.nan_to_num(frame.get_column("monetary").to_numpy().astype(float), nan=0.0)
    else:
        spend = np.zeros_like(p)
    importance = global_importance(scored.shap_values, scored.feature_names)
    baselines = [v["roc_auc"] for k, v in trained.metrics.items() if k != "model"]
    summary = plan.summary if plan is not None else {}
    return ReportFacts(
        customers=len(p),
        expected_churners=float(p.sum()),
        churn_share=float(p.mean()) if len(p) else 0.0,
        value_at_risk=float((p * spend).sum()),
        high_risk=int((frame.get_column("risk_band") == "High").sum()),
        horizon_days=trained.definition.horizon_days,
        drivers=top_driver_descriptions(importance, lang=lang, top=3),
        model_auc=float(trained.metrics["model"]["roc_auc"]),
        best_baseline_auc=max(baselines) if baselines else None,
        campaign_n=int(summary.get("contacted", 0)),
        offer_cost=float(plan.config.offer_cost) if plan is not None else 0.0,
        kept_customers=float(summary.get("expected_customers_kept", 0.0)),
        revenue_kept=float(summary.get("revenue_kept", 0.0)),
        net_gain=float(summary.get("net_gain", 0.0)),
        currency=plan.config.currency if plan is not None else "¥",
        table=trained.mode == "table",
        has_spend="monetary" in frame.columns,
    )


def executive_summary(facts: ReportFacts, lang: str = "en") -> list[str]:
    """The narrative, one paragraph per item, in plain words."""
    t = i18n.t
    money = lambda v: _short_money(v, facts.currency, lang)  # noqa: E731
    if facts.table:
        risk = "report.summary.risk_table_spend" if facts.has_spend else "report.summary.risk_table"
    else:
        risk = "report.summary.risk" if facts.has_spend else "report.summary.risk_no_spend"
    paragraphs = [
        t(
            risk,
            lang,
            customers=f"{facts.customers:,}",
            churners=f"{facts.expected_churners:,.0f}",
            share=f"{facts.churn_share * 100:.0f}",
            horizon=facts.horizon_days,
            value=money(facts.value_at_risk),
        ),
        t(
            "report.summary.drivers",
            lang,
            drivers="; ".join(d.lower() if lang == "en" else d for d in facts.drivers),
        ),
    ]
    if facts.best_baseline_auc is not None:
        key = (
            "report.summary.quality_better"
            if facts.model_auc > facts.best_baseline_auc
            else "report.summary.quality_worse"
        ) + ("_table" if facts.table else "")
        paragraphs.append(
            t(key, lang, auc=f"{facts.model_auc:.3f}", baseline=f"{facts.best_baseline_auc:.3f}")
        )
    if facts.campaign_n:
        paragraphs.append(
            t(
                "report.summary.campaign",
                lang,
                n=f"{facts.campaign_n:,}",
                cost=money(facts.offer_cost),
                kept=f"{facts.kept_customers:,.0f}",
                revenue=money(facts.revenue_kept),
                net=money(facts.net_gain),
            )
        )
    elif facts.has_spend:
        paragraphs.append(t("report.summary.no_campaign", lang))
    else:  # no plan at all: nothing to weigh an offer against
        paragraphs.append(t("report.summary.no_spend_campaign", lang))
    return paragraphs


def report_figures(
    trained: TrainedModel, scored: ScoredList, plan: CampaignPlan | None, lang: str = "en"
) -> list[tuple[str, go.Figure]]:
    """The report's charts, each with a heading."""
    from churnlab.catalogue import describe

    t = i18n.t
    figures: list[tuple[str, go.Figure]] = []
    if trained.document.get("cutoff_stats"):
        figures.append(
            (
                t("report.section.risk_over_time", lang),
                churn_over_time_figure(trained.document["cutoff_stats"], lang=lang),
            )
        )
    figures.append((t("report.section.quality", lang), roc_figure(trained.metrics, lang=lang)))
    lift = "report.section.lift" + ("_table" if trained.mode == "table" else "")
    figures.append((t(lift, lang), lift_figure(trained.metrics, lang=lang)))
    importance = global_importance(scored.shap_values, scored.feature_names)
    names = importance.get_column("feature").to_list()
    labels = [describe(n).text(lang) for n in names]
    figures.append(
        (
            t("report.section.drivers", lang),
            importance_figure(
                labels, importance.get_column("mean_abs_shap").to_numpy(), top=10, lang=lang
            ),
        )
    )
    if {"recency_days", "frequency", "monetary"} <= set(scored.features.columns):
        rfm = assign_rfm_segments(
            scored.features.select("customer_id", "recency_days", "frequency", "monetary")
        ).join(scored.frame.select("customer_id", "churn_probability"), on="customer_id")
        figures.append(
            (t("report.section.segments", lang), segments_figure(segment_summary(rfm), lang=lang))
        )
    elif trained.mode == "table" and names:  # where churn concentrates: the strongest signal
        frame = scored.frame
        top = attribute_segments(
            scored.features,
            names[0],
            frame.get_column("churn_probability").to_numpy(),
            frame.get_column("monetary").to_numpy() if "monetary" in frame.columns else None,
        )
        figures.append(
            (
                t("report.section.segments_table", lang, column=names[0]),
                segments_figure(top, lang=lang, by=names[0]),
            )
        )
    if plan is not None:
        curve = plan.curve
        figures.append(
            (
                t("report.section.campaign", lang),
                profit_curve_figure(
                    curve.get_column("n_contacted").to_numpy(),
                    curve.get_column("cumulative_net_gain").to_numpy(),
                    plan.best_n,
                    plan.budget_n,
                    currency=plan.config.currency,
                    lang=lang,
                ),
            )
        )
    return figures


_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: -apple-system, "Segoe UI", "Helvetica Neue", Arial, "PingFang SC",
       "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #222; max-width: 1000px;
       margin: 0 auto; padding: 24px; line-height: 1.5; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 2px solid #d62728; padding-bottom: 4px; margin-top: 28px; }
.meta { color: #666; font-size: 13px; }
.summary p { font-size: 16px; }
.kpis { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.kpi { border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.kpi .v { font-size: 22px; font-weight: 600; }
.kpi .l { font-size: 12px; color: #666; }
.figure { page-break-inside: avoid; break-inside: avoid; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th { background: #f5f5f5; }
@media print { body { padding: 0; } .figure { width: 100%; } }
"""


def render_report_html(
    trained: TrainedModel,
    scored: ScoredList,
    plan: CampaignPlan | None = None,
    lang: str = "en",
    title: str | None = None,
    results: Any = None,
) -> str:
    """The whole report as one self-contained HTML document.

    ``results`` (``churnlab.results.CampaignResults``) adds the campaign-results section.
    """
    t = i18n.t
    facts = report_facts(trained, scored, plan, lang)
    esc = html.escape
    money = lambda v: _short_money(v, facts.currency, lang)  # noqa: E731
    table = "_table" if facts.table else ""
    kpis = [
        (f"{facts.customers:,}", t("report.kpi.customers" + table, lang)),
        (
            f"{facts.expected_churners:,.0f}",
            t("report.kpi.churners" + table, lang, horizon=facts.horizon_days),
        ),
        (f"{facts.high_risk:,}", t("report.kpi.high_risk", lang)),
    ]
    if facts.has_spend:
        kpis.append((money(facts.value_at_risk), t("report.kpi.value_at_risk", lang)))
    if facts.campaign_n:
        kpis.append((money(facts.net_gain), t("report.kpi.net_gain", lang)))
    as_of = scored.as_of.isoformat() if scored.as_of else "—"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{esc(title or t('report.title', lang))}</title>",
        f"<style>{_CSS}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body>",
        f"<h1>{esc(title or t('report.title', lang))}</h1>",
        '<p class="meta">'
        + esc(
            t(
                "report.meta" + table,
                lang,
                source=str(trained.document.get("source", "")),
                as_of=as_of,
                created=dt.date.today().isoformat(),
            )
        )
        + "</p>",
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi"><div class="v">{esc(v)}</div><div class="l">{esc(label)}</div></div>'
            for v, label in kpis
        )
        + "</div>",
        f"<h2>{esc(t('report.section.summary', lang))}</h2>",
        '<div class="summary">'
        + "".join(f"<p>{esc(p)}</p>" for p in executive_summary(facts, lang))
        + "</div>",
    ]
    for heading, figure in report_figures(trained, scored, plan, lang):
        figure.update_layout(width=900)
        parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(
            '<div class="figure">'
            + pio.to_html(
                figure,
                full_html=False,
                include_plotlyjs=False,
                config={"displaylogo": False, "responsive": True},
            )
            + "</div>"
        )
    if plan is not None:
        parts.append(f"<h2>{esc(t('report.section.plan', lang))}</h2>")
        parts.append(_plan_table(plan, lang))
    if results is not None:
        from churnlab.results_report import results_section_html

        parts.append(results_section_html(results, lang))
    parts.append(f'<p class="meta">{esc(t("report.footer" + table, lang))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _plan_table(plan: CampaignPlan, lang: str) -> str:
    t = i18n.t
    s = plan.summary
    c = plan.config.currency
    rows: list[tuple[str, Any]] = [
        (t("campaign.summary.contacted", lang), f"{s['contacted']:,.0f}"),
        (t("campaign.summary.reached", lang), f"{s['expected_churners_reached']:,.0f}"),
        (t("campaign.summary.kept", lang), f"{s['expected_customers_kept']:,.0f}"),
        (t("campaign.summary.revenue", lang), f"{c}{s['revenue_kept']:,.0f}"),
        (t("campaign.summary.cost", lang), f"{c}{s['cost']:,.0f}"),
        (t("campaign.summary.net", lang), f"{c}{s['net_gain']:,.0f}"),
        (t("campaign.summary.roi", lang), f"{s['roi'] * 100:,.0f} %"),
    ]
    body = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{body}</table>"
