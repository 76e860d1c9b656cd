"""Performance: out-of-time curves for the model and its baselines, and a threshold control."""

import numpy as np
import streamlit as st

from churnlab.charts import (
    calibration_figure,
    confusion_figure,
    gains_figure,
    lift_figure,
    pr_figure,
    roc_figure,
    score_distribution_figure,
)
from churnlab.evaluation import confusion_at
from churnlab.pipeline import eval_predictions
from pages._shared import guarded, lang, need_model, pct, plot, route_through_app, tr

route_through_app()
st.title(tr("performance.title"))
model = need_model()
if model is not None:
    with guarded():
        st.caption(tr("performance.intro" if model.mode == "events" else "performance.intro_table"))
        metrics = model.metrics
        tabs = st.tabs(
            [
                tr("performance.tab.roc"),
                tr("performance.tab.pr"),
                tr("performance.tab.gains"),
                tr("performance.tab.calibration"),
                tr("performance.tab.distribution"),
            ]
        )
        with tabs[0]:
            plot(roc_figure(metrics, lang=lang()), key="roc")
            st.caption(tr("performance.explain.roc"))
        with tabs[1]:
            plot(pr_figure(metrics, lang=lang()), key="pr")
            st.caption(tr("performance.explain.pr"))
        with tabs[2]:
            left, right = st.columns(2)
            with left:
                plot(gains_figure(metrics, lang=lang()), key="gains")
            with right:
                plot(lift_figure(metrics, lang=lang()), key="lift")
            st.caption(tr("performance.explain.gains"))
        with tabs[3]:
            plot(calibration_figure(metrics, lang=lang()), key="calibration")
            st.caption(tr("performance.explain.calibration"))

        predictions = eval_predictions(model)
        y = predictions.get_column("label").to_numpy().astype(int)
        p = predictions.get_column("p_model").to_numpy().astype(float)

        st.subheader(tr("performance.threshold"))
        share = st.slider(
            tr("performance.top_share"),
            1,
            100,
            20,
            format="%d %%",
            help=tr("performance.top_share_help"),
        )
        threshold = float(np.quantile(p, 1 - share / 100)) if share < 100 else 0.0
        confusion = confusion_at(y, p, threshold)
        tp, fp, fn = confusion["tp"], confusion["fp"], confusion["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        st.success(tr("performance.catches", share=share, caught=pct(recall, 0)), icon="🎯")
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(
            tr("performance.threshold_value"),
            pct(threshold),
            help=tr("performance.explain.threshold"),
        )
        c2.metric(
            tr("performance.precision"), pct(precision), help=tr("performance.explain.precision")
        )
        c3.metric(tr("performance.recall"), pct(recall), help=tr("performance.explain.recall"))
        c4.metric("F1", f"{f1:.2f}", help=tr("performance.explain.f1"))
        left, right = st.columns(2)
        with left:
            plot(confusion_figure(confusion, lang=lang()), key="confusion")
        with tabs[4]:
            plot(score_distribution_figure(p, y, threshold, lang=lang()), key="distribution")
            st.caption(tr("performance.explain.distribution"))
        with right:
            st.markdown(tr("performance.metric_notes"))
