"""Explanations: what drives risk overall, for one feature, and for any one customer."""

import numpy as np
import polars as pl
import streamlit as st

from churnlab.catalogue import describe
from churnlab.charts import beeswarm_figure, dependence_figure, importance_figure, waterfall_figure
from churnlab.explain import compare_groups, dependence_data, global_importance
from churnlab.pipeline import customer_reasons, explain_customer
from churnlab.schema import CUSTOMER_ID, TIMESTAMP
from churnlab.text_signals import customer_texts, text_columns
from pages._shared import (
    current_scores,
    current_shop,
    escape,
    guarded,
    lang,
    need_model,
    pct,
    plot,
    range_filter,
    route_through_app,
    tr,
)


def label(name: str) -> str:
    return describe(name).text(lang())


def show_texts(customer: str, before) -> None:
    """The customer's latest reviews and service messages (plain text cells, never HTML)."""
    events = current_shop()[0].events
    if events is None or not text_columns(events.columns):
        return
    written = customer_texts(events, customer, before=before)
    st.markdown("**" + tr("explain.texts.title") + "**")
    if written.height == 0:
        st.caption(tr("explain.texts.none"))
        return
    moods = {-1: "negative", 0: "neutral", 1: "positive"}
    shown = written.with_columns(
        pl.col("kind").replace_strict(
            {k: tr(f"text.kind.{k}") for k in ("review", "service")}, return_dtype=pl.String
        ),
        pl.col("sentiment_class").replace_strict(
            {k: tr(f"text.sentiment.{v}") for k, v in moods.items()},
            default=tr("text.sentiment.unknown"),
            return_dtype=pl.String,
        ),
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            TIMESTAMP: tr("explain.texts.time"),
            "kind": tr("explain.texts.kind"),
            "text": tr("explain.texts.text"),
            "sentiment_class": tr("explain.texts.sentiment"),
        },
    )
    st.caption(tr("explain.texts.caption"))


route_through_app()
st.title(tr("explain.title"))
model = need_model()
if model is not None:
    with guarded():
        scores = current_scores()
        names = scores.feature_names
        shap = scores.shap_values
        features = scores.features
        importance = global_importance(shap, names)
        top_names = importance.get_column("feature").to_list()
        labels = [label(n) for n in names]

        tab_global, tab_feature, tab_customer, tab_groups = st.tabs(
            [
                tr("explain.tab.global"),
                tr("explain.tab.feature"),
                tr("explain.tab.customer"),
                tr("explain.tab.groups"),
            ]
        )
        with tab_global:
            st.caption(tr("explain.global_intro"))
            order = [names.index(n) for n in top_names]
            plot(
                importance_figure(
                    [labels[i] for i in order],
                    importance.get_column("mean_abs_shap").to_numpy(),
                    lang=lang(),
                ),
                key="importance",
            )
            explained = scores.explained_mask()
            plot(
                beeswarm_figure(
                    shap[explained],
                    features.filter(pl.Series(explained)).select(names),
                    names,
                    lang=lang(),
                    labels=labels,
                ),
                key="beeswarm",
            )

        with tab_feature:
            chosen = st.selectbox(tr("explain.choose_feature"), top_names, format_func=label)
            dependence = dependence_data(features, shap, names, chosen)
            plot(
                dependence_figure(
                    dependence.get_column("value"),
                    dependence.get_column("shap").to_numpy(),
                    label(chosen),
                    chosen in model.categorical,
                    lang=lang(),
                ),
                key="dependence",
            )
            st.caption(tr("explain.dependence_intro"))

        with tab_customer:
            ids = scores.frame.get_column(CUSTOMER_ID)
            query = st.text_input(
                tr("explain.customer_id"), placeholder=str(ids[0]), help=tr("explain.customer_help")
            )
            selected = None
            if query.strip():
                text = query.strip()
                exact = scores.frame.filter(pl.col(CUSTOMER_ID) == text)
                if exact.height:
                    selected = text
                else:
                    matches = ids.filter(ids.str.contains(text, literal=True)).head(20).to_list()
                    if matches:
                        selected = st.selectbox(tr("explain.matches", n=len(matches)), matches)
                    else:
                        st.warning(tr("explain.no_match"), icon="🔎")
            else:
                selected = str(ids[0])
                st.caption(tr("explain.showing_top"))
            if selected is not None:
                position = int(np.flatnonzero(ids.to_numpy() == selected)[0])
                row = scores.frame.row(position, named=True)
                c1, c2, c3 = st.columns(3)
                c1.metric(tr("explain.probability"), pct(row["churn_probability"]))
                c2.metric(tr("explain.band"), tr(f"band.{row['risk_band']}"))
                c3.metric(tr("explain.rank"), f"{row['rank']:,} / {scores.frame.height:,}")
                values = [features.row(position, named=True)[n] for n in names]
                contributions = explain_customer(model, scores, position)
                plot(
                    waterfall_figure(
                        scores.base_value,
                        contributions,
                        labels,
                        values,
                        lang=lang(),
                    ),
                    key="waterfall",
                )
                reasons = customer_reasons(scores, position, contributions, lang())
                st.markdown("**" + tr("explain.reasons") + "**")
                for reason in reasons or [tr("explain.no_reasons")]:
                    st.markdown(f"- {escape(reason)}")
                show_texts(selected, scores.as_of)

        with tab_groups:
            st.caption(tr("explain.groups_intro"))
            feature = st.selectbox(
                tr("explain.filter_feature"), top_names, format_func=label, key="group_feature"
            )
            column = features.get_column(feature)
            if feature in model.categorical:
                levels = sorted(column.drop_nulls().unique().to_list())
                picked = st.multiselect(tr("explain.filter_values"), levels, default=levels[:1])
                mask = column.is_in(picked).fill_null(False).to_numpy()
            else:
                mask = range_filter(
                    tr("explain.filter_range"), column, "group_range", up_to_median=True
                )
            numeric = [n for n in top_names[:4] if n not in model.categorical]
            comparison = compare_groups(scores.frame, features, mask, numeric)
            st.dataframe(
                comparison.with_columns(
                    pl.col("selected").replace_strict(
                        {True: tr("explain.group_in"), False: tr("explain.group_out")},
                        return_dtype=pl.String,
                    )
                ),
                hide_index=True,
                column_config={
                    "selected": tr("explain.group"),
                    "customers": tr("common.customers"),
                    "mean_risk": st.column_config.NumberColumn(
                        tr("explain.mean_risk"), format="percent"
                    ),
                    "high_share": st.column_config.NumberColumn(
                        tr("explain.high_share"), format="percent"
                    ),
                    **{
                        n: st.column_config.NumberColumn(label(n)[:40], format="%.2f")
                        for n in numeric
                    },
                },
            )
