"""The campaign-results section of the management report (HTML, offline)."""

from __future__ import annotations

import html

import plotly.io as pio

from churnlab import i18n
from churnlab.charts import results_bands_figure
from churnlab.results import CampaignResults


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}"


def results_section_html(results: CampaignResults, lang: str = "en") -> str:
    """Heading, verdict in words, the key numbers and the per-band chart."""
    t = i18n.t
    esc = html.escape
    s = results.summary
    u = s["uplift"]
    c = s["currency"]
    kept = s["customers_kept"]
    rows = [
        (t("results.metric.treatment", lang), _pct(s["treatment"]["churn_rate"])),
        (t("results.metric.control", lang), _pct(s["control"]["churn_rate"])),
        (
            t("results.metric.uplift", lang),
            f"{_points(u['estimate'])} ({_points(u['low'])} – {_points(u['high'])})",
        ),
        (
            t("results.metric.kept", lang),
            f"{kept['estimate']:,.0f} ({kept['low']:,.0f} – {kept['high']:,.0f})",
        ),
        (t("results.metric.net", lang), f"{c}{s['net']['estimate']:,.0f}"),
    ]
    if results.measured_by_label:  # a customer table's later label: no days to observe
        rows.append((t("results.metric.customers", lang), f"{results.outcomes.height:,}"))
    else:
        rows.append(
            (t("results.metric.observed", lang), f"{s['observed_days']} / {s['horizon_days']}")
        )
    if results.backtest is not None:
        rows.append((t("results.backtest.auc", lang), f"{results.backtest['roc_auc']:.3f}"))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    figure = results_bands_figure(results.bands, lang)
    figure.update_layout(width=900)
    parts = [
        f"<h2>{esc(t('report.section.results', lang, as_of=results.facts.get('as_of', '')))}</h2>",
        f'<div class="summary"><p>{esc(results.verdict.text(lang))}</p>',
        *(f"<p>{esc(note.text(lang))}</p>" for note in results.notes),
        "</div>",
        f"<table>{body}</table>",
        '<div class="figure">'
        + pio.to_html(figure, full_html=False, include_plotlyjs=False)
        + "</div>",
    ]
    return "\n".join(parts)
