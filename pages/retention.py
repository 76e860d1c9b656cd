"""Retention & segments: cohort retention and RFM segments with their value and risk; a
customer table's customers by one of its columns."""

import polars as pl
import streamlit as st

from churnlab.charts import cohort_heatmap_figure, retention_curves_figure, segments_figure
from churnlab.cohorts import assign_rfm_segments, attribute_segments, segment_summary
from churnlab.explain import global_importance
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


def show_segments(summary: pl.DataFrame, spend: bool = True) -> None:
    """The segment table under its chart (a table without spend shows no money columns)."""
    money = ("total_value", "mean_value", "value_at_risk")
    st.dataframe(
        summary if spend else summary.drop(money),
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
        show_segments(
            summary.with_columns(
                pl.col("segment").replace_strict(
                    {s: tr(f"chart.segment.{s}") for s in summary.get_column("segment").to_list()}
                )
            )
        )
elif model is not None:  # a customer table: its customers by one of its columns
    with guarded():
        scores = current_scores()
        st.subheader(tr("retention.table_segments"))
        st.caption(tr("retention.table_segments_intro"))
        importance = global_importance(scores.shap_values, scores.feature_names)
        columns = list(importance.get_column("feature")) if importance.height else []
        columns += [c for c in model.feature_names if c not in columns]
        column = st.selectbox(
            tr("retention.table_column"), columns, help=tr("retention.table_column_help")
        )
        frame = scores.frame
        summary = attribute_segments(
            scores.features,
            column,
            frame.get_column("churn_probability").to_numpy(),
            frame.get_column("monetary").to_numpy() if "monetary" in frame.columns else None,
        )
        plot(segments_figure(summary, lang=lang(), by=column), key="table_segments")
        show_segments(summary, spend="monetary" in frame.columns)
