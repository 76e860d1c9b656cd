"""Report: the management summary in words and charts, downloadable as one HTML file."""

import streamlit as st

from churnlab import i18n
from churnlab.campaign import plan_campaign
from churnlab.charts import results_bands_figure
from churnlab.config import CampaignConfig
from churnlab.report import executive_summary, render_report_html, report_facts, report_figures
from pages._shared import (
    current_scores,
    guarded,
    lang,
    latest_results,
    need_model,
    plot,
    route_through_app,
    tr,
)

route_through_app()
st.title(tr("report.page_title"))
st.caption(tr("report.intro"))

model = need_model()
if model is not None:
    with guarded():
        scores = current_scores()
        plan = None
        if "monetary" in scores.frame.columns:
            plan = plan_campaign(
                scores.frame, CampaignConfig(), lookback_days=model.definition.lookback_days
            )
        results = latest_results()
        facts = report_facts(model, scores, plan, lang())
        for paragraph in executive_summary(facts, lang()):
            st.markdown(f"> {paragraph.replace('$', chr(92) + '$')}")
        report_lang = st.radio(
            tr("report.language"),
            list(i18n.LANGUAGES),
            format_func=lambda c: i18n.LANGUAGE_NAMES[c],
            horizontal=True,
            index=list(i18n.LANGUAGES).index(lang()),
        )
        st.download_button(
            tr("report.download"),
            lambda: render_report_html(
                model, scores, plan, lang=report_lang, results=results
            ).encode("utf-8"),
            "churnlab-report.html",
            "text/html",
            icon="📄",
            type="primary",
        )
        for index, (heading, figure) in enumerate(report_figures(model, scores, plan, lang())):
            st.subheader(heading)
            plot(figure, key=f"report_{index}")
        if results is not None:
            st.subheader(tr("report.section.results", as_of=results.facts.get("as_of", "")))
            st.markdown(f"> {results.verdict.text(lang()).replace('$', chr(92) + '$')}")
            plot(results_bands_figure(results.bands, lang()), key="report_results")
