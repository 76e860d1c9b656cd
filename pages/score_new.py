"""Score new data: apply the current or an uploaded model to a new export, as of a date."""

import streamlit as st

from churnlab.campaign import with_action_names
from churnlab.config import ScoringConfig
from churnlab.export import csv_bytes
from churnlab.pipeline import bundle_event_codes, model_from_zip, score
from pages._shared import (
    Upload,
    current_model,
    digest,
    escape,
    guarded,
    lang,
    list_columns,
    load_uploads,
    route_through_app,
    show_error,
    tr,
)

route_through_app()
st.title(tr("score.title"))
st.caption(tr("score.intro"))

bundle = st.file_uploader(tr("score.bundle"), type=["zip"], key="score_bundle")
files = st.file_uploader(tr("score.files"), accept_multiple_files=True, key="score_files")
# a customer table has no dates to score as of (a bundle's kind is known once it is read)
current = current_model() if bundle is None else None
use_date = not (current is not None and current.mode == "table") and st.toggle(
    tr("score.choose_date")
)
as_of = st.date_input(tr("score.as_of")) if use_date else None

if st.button(tr("score.run"), type="primary", disabled=not files):
    try:
        model = model_from_zip(bundle.getvalue()) if bundle is not None else current_model()
        if model is None:
            st.warning(tr("model.none_yet"))
        else:
            uploads = [Upload(f.name, f.getvalue(), digest(f.getvalue())) for f in files]
            shop = load_uploads(uploads, codes=bundle_event_codes(model))
            with st.spinner(tr("score.scoring")):
                scored = score(model, shop, scoring=ScoringConfig(as_of=as_of), lang=lang())
            st.session_state["score_result"] = scored
    except Exception as error:
        show_error(error)

with guarded():
    scored = st.session_state.get("score_result")
    if scored is not None:
        if scored.drift is not None and scored.drift.drifted:
            st.warning(tr("score.drifted", n=len(scored.drift.drifted)), icon="⚠️")
            with st.expander(tr("score.drift_details")):  # the list first, the details on demand
                for warning in scored.warnings:
                    st.caption(f"⚠️ {escape(warning)}")
        elif scored.drift is not None:
            st.success(tr("score.no_drift"), icon="✅")
        st.metric(tr("score.scored"), f"{scored.frame.height:,}")
        st.dataframe(
            with_action_names(scored.frame, lang()), hide_index=True, column_config=list_columns()
        )
        st.download_button(
            tr("atrisk.download_csv"),
            lambda: csv_bytes(scored.frame),
            "churnlab-scores.csv",
            "text/csv",
        )
