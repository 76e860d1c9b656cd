"""Overview: the headline numbers, churn over time, the main drivers, what to do next."""

import streamlit as st

from churnlab.charts import churn_over_time_figure, risk_distribution_figure
from churnlab.explain import global_importance, top_driver_descriptions
from pages._shared import (
    current_scores,
    escape,
    guarded,
    lang,
    money,
    need_model,
    pct,
    plot,
    route_through_app,
    tr,
    using_sample,
)

route_through_app()
st.title(tr("overview.title"))
st.caption(tr("overview.subtitle"))
if using_sample():
    st.info(tr("overview.sample_note"), icon="🛍️")

model = need_model()
if model is not None:
    with guarded():
        scores = current_scores()
        frame = scores.frame
        table = model.mode == "table"
        bands = frame.get_column("risk_band")
        high = int((bands == "High").sum())
        value = frame.get_column("monetary") if "monetary" in frame.columns else None
        at_risk_value = (
            float((frame.get_column("churn_probability") * value.fill_null(0)).sum())
            if value is not None
            else None
        )
        cols = st.columns(4)
        cols[0].metric(
            tr("overview.customers_in_scope"),
            f"{frame.height:,}",
            help=tr("overview.customers_in_scope_help"),
        )
        cols[1].metric(
            tr("overview.churn_rate"),
            pct(model.base_rate),
            help=tr("overview.churn_rate_help_table")
            if table
            else tr("overview.churn_rate_help", horizon=model.definition.horizon_days),
        )
        cols[2].metric(tr("overview.high_risk"), f"{high:,}", help=tr("overview.high_risk_help"))
        if at_risk_value is not None:
            cols[3].metric(
                tr("overview.value_at_risk"),
                money(at_risk_value),
                help=tr("overview.value_at_risk_help_table", column=scores.spend.column)
                if scores.spend is not None
                else tr("overview.value_at_risk_help"),
            )

        left, right = st.columns([3, 2])
        if model.document.get("cutoff_stats"):
            with left:
                plot(
                    churn_over_time_figure(model.document["cutoff_stats"], lang=lang()),
                    key="churn_time",
                )
        else:  # a customer table has no churn over time: the bands take its place
            left, right = right, left
        with right:
            plot(risk_distribution_figure(bands.to_numpy(), lang=lang()), key="risk_bands")

        importance = global_importance(scores.shap_values, scores.feature_names)
        drivers = top_driver_descriptions(importance, lang=lang(), top=3)
        st.subheader(tr("overview.drivers"))
        for rank, text in enumerate(drivers, start=1):
            st.markdown(f"{rank}. {escape(text)}")
        auc = model.metrics["model"]["roc_auc"]
        baselines = {k: v["roc_auc"] for k, v in model.metrics.items() if k != "model"}
        if baselines:
            best = max(baselines.values())
            quality = "overview.model_quality_table" if table else "overview.model_quality"
            st.caption(tr(quality, auc=auc, best=best))

        st.subheader(tr("overview.next"))
        st.page_link("pages/at_risk.py", label=tr("overview.next_list", n=high), icon="🎯")
        st.page_link("pages/explanations.py", label=tr("overview.next_why"), icon="🔍")
        st.page_link("pages/data.py", label=tr("overview.next_upload"), icon="📂")
