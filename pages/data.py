"""Data: upload exports, check the detected kind and column roles, read the quality report."""

from pathlib import Path

import polars as pl
import streamlit as st

from churnlab.ingest.quality import drop_words
from churnlab.schema import EVENT_ROLES, LABEL
from pages._shared import (
    UPLOADS,
    Upload,
    current_shop,
    digest,
    escape,
    guarded,
    lang,
    load_upload,
    route_through_app,
    set_user_model,
    show_error,
    tr,
    using_sample,
)

ACCEPTED = ["csv", "tsv", "txt", "xlsx", "xls", "parquet", "json", "jsonl", "ndjson"]
NONE = "—"

route_through_app()
st.title(tr("data.title"))
st.write(tr("data.intro"))

files = st.file_uploader(
    tr("data.upload"), type=ACCEPTED, accept_multiple_files=True, help=tr("data.upload_help")
)
if files and st.button(tr("data.use_files"), type="primary"):
    candidates = [Upload(f.name, f.getvalue(), digest(f.getvalue())) for f in files]
    try:
        for upload in candidates:
            load_upload(upload)
    except Exception as error:
        show_error(error)
        st.caption(tr("data.kept_previous"))
    else:
        st.session_state[UPLOADS] = candidates
        set_user_model(None, None)
        st.rerun()

if using_sample():
    st.info(tr("data.using_sample"), icon="🛍️")
elif st.button(tr("data.back_to_sample")):
    st.session_state[UPLOADS] = []
    set_user_model(None, None)
    st.rerun()

with guarded():
    shop, _ = current_shop()
    for index, table in enumerate(shop.tables):
        report = table.report
        st.subheader(escape(Path(table.raw.source).name))
        cols = st.columns([1.5, 1, 1, 1])  # "Customer table" needs the room
        cols[0].metric(tr("data.kind"), tr(f"data.kind.{table.mapping.kind}"))
        cols[1].metric(tr("data.rows_read"), f"{report.rows:,}")
        cols[2].metric(tr("data.rows_kept"), f"{report.rows_kept:,}")
        cols[3].metric(tr("data.customers"), f"{report.customers:,}")
        if report.date_min and report.date_max:
            st.caption(
                tr(
                    "data.date_range",
                    start=str(report.date_min)[:10],
                    end=str(report.date_max)[:10],
                )
            )
        for problem in report.problems:
            st.warning(escape(problem.text(lang())), icon="⚠️")
        for warning in report.warnings:
            st.caption(f"⚠️ {escape(warning.text(lang()))}")
        dropped = {reason: count for reason, count in report.dropped.items() if count}
        if dropped:
            st.caption(
                tr("data.dropped")
                + ", ".join(f"{escape(drop_words(k, lang()))}: {v:,}" for k, v in dropped.items())
            )
        if report.events_per_type:
            st.dataframe(
                pl.DataFrame(
                    {
                        tr("data.event_type"): list(report.events_per_type),
                        tr("data.count"): list(report.events_per_type.values()),
                    }
                ),
                hide_index=True,
                width="content",
            )

        if report.notes:
            with st.expander(tr("quality.title.notes")):
                for note in report.notes:
                    st.caption(escape(note.text(lang())))

        with st.expander(tr("data.mapping"), expanded=not using_sample() and index == 0):
            roles = [*EVENT_ROLES, LABEL]
            columns = table.raw.columns
            with st.form(f"mapping_{index}"):
                choices = {}
                grid = st.columns(3)
                for position, role in enumerate(roles):
                    current = table.mapping.roles.get(role)
                    options = [NONE, *columns]
                    choices[role] = grid[position % 3].selectbox(
                        tr(f"role.{role}"),
                        options,
                        index=options.index(current) if current in options else 0,
                        key=f"map_{index}_{role}",
                    )
                submitted = st.form_submit_button(tr("data.apply_mapping"), disabled=using_sample())
            if submitted:
                overrides = tuple(
                    (role, column)
                    for role, column in choices.items()
                    if column != NONE and table.mapping.roles.get(role) != column
                )
                uploads = list(st.session_state[UPLOADS])
                changed = Upload(
                    uploads[index].name,
                    uploads[index].data,
                    uploads[index].digest,
                    tuple(sorted(set(uploads[index].overrides) | set(overrides))),
                    uploads[index].sheet,
                )
                try:
                    load_upload(changed)
                except Exception as error:
                    show_error(error)
                else:
                    uploads[index] = changed
                    st.session_state[UPLOADS] = uploads
                    set_user_model(None, None)
                    st.rerun()

        with st.expander(tr("data.preview")):
            st.dataframe(table.frame.head(200), hide_index=True)
