"""Retention & segments: cohort retention and RFM segments with their value and risk."""

import polars as pl
import streamlit as st

from churnlab.charts import cohort_heatmap_figure, retention_curves_figure, segments_figure
from churnlab.cohorts import assign_rfm_segments, cohort_retention, segment_summary
from pages._shared import (
    DEFINITION,
    cached,
    current_scores,
    current_shop,
    guarded,
    lang,
    need_model,
    plot,
    route_through_app,
    tr,
)

route_through_app()
st.title(tr("retention.title"))

retention_table = cached(cohort_retention)

with guarded():
    shop, _ = current_shop()
    if shop.events is None:
        st.info(tr("retention.no_events"), icon="ℹ️")
    else:
        activity = tuple(st.session_state[DEFINITION].activity)
        retention = retention_table(shop.events, activity=activity)
        st.subheader(tr("retention.cohorts"))
        st.caption(tr("retention.cohorts_intro"))
        plot(cohort_heatmap_figure(retention, lang=lang()), key="cohorts")
        plot(retention_curves_figure(retention, lang=lang()), key="curves")

model = need_model()
if model is not None and model.mode == "events":
    with guarded():
        scores = current_scores()
        rfm = scores.features.select("customer_id", "recency_days", "frequency", "monetary")
        segmented = assign_rfm_segments(rfm).join(
            scores.frame.select("customer_id", "churn_probability"), on="customer_id"
        )
        training = model.training_set
        if training is not None and model.document.get("plan"):
            eval_cutoff = training.plan.eval_cutoff
            history = assign_rfm_segments(
                training.frame.filter(pl.col("cutoff") == eval_cutoff).select(
                    "customer_id", "recency_days", "frequency", "monetary", "label"
                )
            )
            churn_by_segment = history.group_by("segment").agg(
                pl.col("label").mean().alias("label")
            )
            segmented = segmented.join(churn_by_segment, on="segment", how="left")
        summary = segment_summary(segmented)
        st.subheader(tr("retention.segments"))
        st.caption(tr("retention.segments_intro"))
        plot(segments_figure(summary, lang=lang()), key="segments")
        st.dataframe(summary, hide_index=True)
