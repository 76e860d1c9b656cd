"""Model: the churn definition, training with progress, model against baselines, bundles."""

import datetime as dt

import polars as pl
import streamlit as st

from churnlab.charts import timeline_figure
from churnlab.config import APP_TUNING_SECONDS, QUICK_TRAINING, ChurnDefinition, TrainingConfig
from churnlab.pipeline import model_to_zip
from churnlab.schema import PURCHASE
from pages._shared import (
    DEFINITION,
    USER_MODEL,
    activity_words,
    current_model,
    current_shop,
    escape,
    guarded,
    lang,
    load_model_upload,
    plot,
    route_through_app,
    running_job,
    show_error,
    show_notice,
    tr,
    warm_up,
)
from pages._training import train_with_progress

route_through_app()
warm_up()  # a visitor who uploads or trains will train soon
st.title(tr("model.title"))
show_notice()

with guarded():
    shop, shop_key = current_shop()
    definition: ChurnDefinition = st.session_state[DEFINITION]
    running = running_job()  # a training that went on after its page was left
    if running is not None:
        st.info(tr("model.training_running"), icon="⏳")
    if shop.events is not None and shop.events.height > 0:
        st.subheader(tr("model.definition"))
        types = sorted(shop.events.get_column("event_type").unique().drop_nulls().to_list())
        activity_options = ["purchase", "any", *[t for t in types if t != PURCHASE]]
        with st.form("churn_definition_form"):
            c1, c2, c3 = st.columns(3)
            horizon = c1.number_input(
                tr("model.horizon"),
                7,
                730,
                definition.horizon_days,
                step=15,
                help=tr("model.horizon_help"),
            )
            lookback = c2.number_input(
                tr("model.lookback"),
                14,
                3650,
                definition.lookback_days,
                step=30,
                help=tr("model.lookback_help"),
            )
            use_cutoff = c3.toggle(tr("model.choose_cutoff"), value=definition.cutoff is not None)
            last = shop.events.get_column("timestamp").max()
            end = last.date() + dt.timedelta(days=1)  # the day after the last event
            default_cutoff = definition.cutoff or (end - dt.timedelta(days=int(horizon)))
            cutoff = c3.date_input(tr("model.cutoff"), default_cutoff, help=tr("model.cutoff_help"))
            activity = st.multiselect(
                tr("model.activity"),
                activity_options,
                default=[a for a in definition.activity if a in activity_options] or ["purchase"],
                format_func=lambda a: activity_words((a,)),
                help=tr("model.activity_help"),
            )
            kind = st.radio(
                tr("model.kind"),
                ["quick", "tuned"],
                format_func=lambda k: tr(f"model.kind.{k}"),
                horizontal=True,
                help=tr("model.kind_help"),
            )
            tuning = st.slider(
                tr("model.tuning_seconds"),
                5,
                300,
                int(APP_TUNING_SECONDS),
                step=5,
                help=tr("model.tuning_seconds_help"),
            )
            submitted = st.form_submit_button(
                tr("model.train"), type="primary", disabled=running is not None
            )
        chosen = ChurnDefinition(
            horizon_days=int(horizon),
            activity=tuple(activity) or ("purchase",),
            lookback_days=int(lookback),
            cutoff=cutoff if use_cutoff else None,
        )
        model = current_model()
        plan = model.document.get("plan") if model is not None else None
        if plan:
            plot(
                timeline_figure(
                    dt.datetime.fromisoformat(plan["data_start"]),
                    dt.datetime.fromisoformat(plan["data_end"]),
                    [dt.date.fromisoformat(c) for c in plan["cutoffs"]],
                    dt.date.fromisoformat(plan["eval_cutoff"]),
                    model.definition.horizon_days,
                    model.definition.lookback_days,
                    lang=lang(),
                ),
                key="timeline",
            )
        if submitted:
            st.session_state[DEFINITION] = chosen
            training = (
                QUICK_TRAINING
                if kind == "quick"  # asked for: the search runs on a big shop too
                else TrainingConfig(tuning_seconds=float(tuning), search_up_to_rows=None)
            )
            if train_with_progress(shop, shop_key, chosen, training):
                st.rerun()
    elif shop.events is not None:
        st.error(tr("model.no_events_left"), icon="⚠️")
    else:
        st.info(tr("model.table_mode"), icon="ℹ️")
        if st.button(
            tr("model.train"), type="primary", disabled=running is not None
        ) and train_with_progress(shop, shop_key, definition):
            st.rerun()

with guarded():
    model = current_model()
    if model is not None:
        st.subheader(
            tr("model.against_baselines" if model.mode == "events" else "model.against_peers")
        )
        rows = []
        for name, metrics in model.metrics.items():
            rows.append(
                {
                    tr("model.col.model"): tr(f"series.{name}"),
                    "ROC AUC": round(metrics["roc_auc"], 3),
                    "PR AUC": round(metrics["pr_auc"], 3),
                    tr("model.col.logloss"): round(metrics["log_loss"], 4),
                    "Brier": round(metrics["brier"], 4),
                    tr("model.col.lift10"): round(metrics["lift"]["10"], 2),
                    tr("model.col.capture20"): f"{metrics['capture']['20'] * 100:.0f} %",
                }
            )
        st.dataframe(pl.DataFrame(rows), hide_index=True)
        plan = model.document.get("plan")
        if plan:
            st.caption(tr("model.out_of_time", cutoff=plan["eval_cutoff"], n=len(plan["cutoffs"])))
        auc = model.metrics["model"]["roc_auc"]
        baselines = [v["roc_auc"] for k, v in model.metrics.items() if k != "model"]
        if baselines and auc <= max(baselines):
            st.warning(tr("model.not_better"), icon="⚠️")
        for warning in model.warnings:
            st.warning(escape(warning.text(lang())), icon="⚠️")
        with st.expander(tr("model.details")):
            blend = (model.document.get("params") or {}).get("linear_blend")
            if blend:
                st.caption(tr("model.blended", weight=f"{blend:.2f}"))
            st.json(
                {"params": model.document.get("params"), "trees": model.document.get("n_trees")}
            )
            if model.document.get("cutoff_stats"):
                st.dataframe(pl.DataFrame(model.document["cutoff_stats"]), hide_index=True)
        st.download_button(
            tr("model.download"),
            data=lambda: model_to_zip(model),
            file_name="churnlab-model.zip",
            mime="application/zip",
            icon="💾",
        )

st.subheader(tr("model.load"))
bundle = st.file_uploader(tr("model.load_help"), type=["zip"], key="bundle_upload")
if bundle is not None and st.button(tr("model.load_button")):
    try:
        load_model_upload(bundle.getvalue())
    except Exception as error:
        show_error(error)
    else:
        st.success(tr("model.loaded"))
        st.rerun()
if st.session_state.get(USER_MODEL) is not None:
    st.caption(tr("model.user_model_active"))
