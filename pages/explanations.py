"""Explanations: what drives risk overall, for one feature, and for any one customer."""

import numpy as np
import polars as pl
import streamlit as st

from churnlab.catalogue import describe
from churnlab.charts import beeswarm_figure, dependence_figure, importance_figure, waterfall_figure
from churnlab.explain import global_importance
from churnlab.schema import CUSTOMER_ID
from pages._shared import (
    current_scores,
    escape,
    guarded,
    lang,
    need_model,
    pct,
    plot,
    route_through_app,
    tr,
)


def label(name: str) -> str:
    info = describe(name)
    return info.description.get(lang()) or info.description["en"]


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
            plot(
                beeswarm_figure(shap, features.select(names), names, lang=lang(), labels=labels),
                key="beeswarm",
            )

        with tab_feature:
            chosen = st.selectbox(tr("explain.choose_feature"), top_names, format_func=label)
            index = names.index(chosen)
            plot(
                dependence_figure(
                    features.get_column(chosen),
                    shap[:, index],
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
                plot(
                    waterfall_figure(
                        scores.base_value, shap[position], labels, values, lang=lang()
                    ),
                    key="waterfall",
                )
                reasons = [
                    row[c] for c in scores.frame.columns if c.startswith("reason_") and row[c]
                ]
                st.markdown("**" + tr("explain.reasons") + "**")
                for reason in reasons or [tr("explain.no_reasons")]:
                    st.markdown(f"- {escape(reason)}")

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
                finite = column.drop_nulls().cast(pl.Float64)
                low, high = (
                    (float(finite.min()), float(finite.max())) if finite.len() else (0.0, 0.0)
                )
                if low == high:
                    high = low + 1.0
                chosen_range = st.slider(
                    tr("explain.filter_range"), low, high, (low, float(finite.median() or high))
                )
                mask = column.cast(pl.Float64).is_between(*chosen_range).fill_null(False).to_numpy()
            probability = scores.frame.get_column("churn_probability").to_numpy()
            groups = {tr("explain.group_in"): mask, tr("explain.group_out"): ~mask}
            rows = []
            for group_name, group_mask in groups.items():
                count = int(group_mask.sum())
                rows.append(
                    {
                        tr("explain.group"): group_name,
                        tr("common.customers"): count,
                        tr("explain.mean_risk"): pct(float(probability[group_mask].mean()))
                        if count
                        else "—",
                        tr("explain.high_share"): pct(
                            float(
                                (
                                    scores.frame.get_column("risk_band").to_numpy()[group_mask]
                                    == "High"
                                ).mean()
                            )
                        )
                        if count
                        else "—",
                        **{
                            label(n)[:40]: (
                                round(
                                    float(
                                        features.get_column(n)
                                        .cast(pl.Float64)
                                        .to_numpy()[group_mask]
                                        .mean()
                                    ),
                                    2,
                                )
                                if count and n not in model.categorical
                                else "—"
                            )
                            for n in top_names[:4]
                        },
                    }
                )
            st.dataframe(pl.DataFrame(rows, strict=False), hide_index=True)
