"""Retention & segments: cohort retention and RFM segments with their value and risk."""

import polars as pl
import streamlit as st

from churnlab.charts import cohort_heatmap_figure, retention_curves_figure, segments_figure
from churnlab.cohorts import assign_rfm_segments, segment_summary
from pages._shared import (
    DEFINITION,
    current_evaluation_rfm,
    current_retention,
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

with guarded():
    shop, _ = current_shop()
    if shop.events is None:
        st.info(tr("retention.no_events"), icon="ℹ️")
    else:
        activity = tuple(st.session_state[DEFINITION].activity)
        retention = current_retention(activity)
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
        history = current_evaluation_rfm(model)
        if history is not None and history.height:
            churn_by_segment = (
                assign_rfm_segments(history)
                .group_by("segment")
                .agg(pl.col("label").cast(pl.Float64).mean())
            )
            segmented = segmented.join(churn_by_segment, on="segment", how="left")
        summary = segment_summary(segmented)
        st.subheader(tr("retention.segments"))
        st.caption(tr("retention.segments_intro"))
        plot(segments_figure(summary, lang=lang()), key="segments")
        table = summary.with_columns(
            pl.col("segment").replace_strict(
                {s: tr(f"chart.segment.{s}") for s in summary.get_column("segment").to_list()}
            )
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "segment": tr("retention.col.segment"),
                "customers": st.column_config.NumberColumn(tr("common.customers"), format="%d"),
                "share": st.column_config.NumberColumn(tr("retention.col.share"), format="percent"),
                "total_value": st.column_config.NumberColumn(
                    tr("retention.col.total_value"), format="¥%.0f"
                ),
                "mean_value": st.column_config.NumberColumn(
                    tr("retention.col.mean_value"), format="¥%.0f"
                ),
                "churn_rate": st.column_config.NumberColumn(
                    tr("retention.col.churn_rate"), format="percent"
                ),
                "mean_risk": st.column_config.NumberColumn(
                    tr("retention.col.mean_risk"), format="percent"
                ),
                "value_at_risk": st.column_config.NumberColumn(
                    tr("retention.col.value_at_risk"), format="¥%.0f"
                ),
            },
        )
