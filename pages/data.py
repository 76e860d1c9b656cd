"""Data: upload exports, check the detected kind and column roles, read the quality report."""

import dataclasses
from pathlib import Path

import polars as pl
import streamlit as st

from churnlab.ingest.mapping import event_code_rows
from churnlab.ingest.quality import drop_words
from churnlab.schema import CANONICAL_EVENT_TYPES, EVENT_ROLES, LABEL
from pages._shared import (
    UPLOADS,
    Upload,
    current_shop,
    digest,
    escape,
    guarded,
    lang,
    load_shop,
    route_through_app,
    set_user_model,
    show_error,
    tr,
    using_sample,
    warm_up,
)

ACCEPTED = ["csv", "tsv", "txt", "xlsx", "xls", "parquet", "json", "jsonl", "ndjson"]
NONE = "—"
EVENT_CHOICES = CANONICAL_EVENT_TYPES


def use_uploads(changed: list[Upload]) -> None:
    """Switch to changed uploads if they load; else show why and keep the current data."""
    try:
        load_shop(changed)
    except Exception as error:
        show_error(error)
    else:
        st.session_state[UPLOADS] = changed
        set_user_model(None, None)
        st.rerun()


def edit_roles(table, uploads: list[Upload], upload_index: int | None, key: str) -> None:
    """The role editor of one file; its choices are kept with that upload."""
    roles = [*EVENT_ROLES, LABEL]
    columns = table.raw.columns
    # keys carry the data's content key: choices made for earlier files must not linger
    with st.form(f"mapping_{key}"):
        choices = {}
        grid = st.columns(3)
        for position, role in enumerate(roles):
            current = table.mapping.roles.get(role)
            options = [NONE, *columns]
            choices[role] = grid[position % 3].selectbox(
                tr(f"role.{role}"),
                options,
                index=options.index(current) if current in options else 0,
                key=f"map_{key}_{role}",
            )
        submitted = st.form_submit_button(tr("data.apply_mapping"), disabled=using_sample())
    if submitted and upload_index is not None:
        overrides = tuple(
            (role, column)
            for role, column in choices.items()
            if column != NONE and table.mapping.roles.get(role) != column
        )
        changed = list(uploads)
        changed[upload_index] = dataclasses.replace(
            uploads[upload_index],
            overrides=tuple(sorted(set(uploads[upload_index].overrides) | set(overrides))),
        )
        use_uploads(changed)


def show_joins(shop) -> None:
    """The join summary of a relational export: keys, rows matched and not, customers."""
    st.subheader(tr("data.join.title"))
    customers = shop.events["customer_id"].n_unique() if shop.events is not None else 0
    st.write(
        tr(
            "data.join.summary",
            customers=f"{customers:,}",
            person=escape(shop.customer_key or ""),
            events=f"{shop.n_events:,}",
        )
    )
    st.dataframe(
        pl.DataFrame(
            {
                tr("data.join.left"): [j.left for j in shop.joins],
                tr("data.join.right"): [j.right for j in shop.joins],
                tr("data.join.key"): [j.key for j in shop.joins],
                tr("data.join.matched"): [j.matched for j in shop.joins],
                tr("data.join.unmatched"): [j.unmatched for j in shop.joins],
                tr("data.join.use"): [tr(f"data.join.use.{j.use}") for j in shop.joins],
            }
        ),
        hide_index=True,
    )
    unmatched = sum(j.unmatched for j in shop.joins)
    if unmatched:
        st.caption(tr("data.join.unmatched_note", count=f"{unmatched:,}"))


def show_confidence(table) -> None:
    """Each role's column, how sure the reading is, and why."""
    confidence = table.mapping.confidence
    if not confidence:
        return
    rows = [(r, c) for r, c in table.mapping.roles.items() if r in confidence]
    st.caption(tr("data.roles.title"))
    st.dataframe(
        pl.DataFrame(
            {
                tr("data.roles.role"): [tr(f"role.{r}") for r, _ in rows],
                tr("data.roles.column"): [c for _, c in rows],
                tr("data.roles.confidence"): [
                    tr(f"confidence.{confidence[r].level}") for r, _ in rows
                ],
                tr("data.roles.evidence"): [confidence[r].evidence.text(lang()) for r, _ in rows],
            }
        ),
        hide_index=True,
    )


def name_codes(table, uploads: list[Upload], shop_key: str, index: int) -> None:
    """Let the user say what each coded event type means; kept with the uploads (and in the
    bundle once trained, so scoring reads next month's file the same way)."""
    column = table.mapping.roles["event_type"]
    rows = event_code_rows(table.mapping)
    with st.expander(tr("data.codes.title"), expanded=not table.mapping.codes_named):
        st.caption(tr("data.codes.help", column=escape(column)))
        edited = st.data_editor(
            pl.DataFrame(rows),
            column_config={
                "code": st.column_config.TextColumn(tr("data.codes.code"), disabled=True),
                "rows": st.column_config.NumberColumn(tr("data.codes.count"), disabled=True),
                "meaning": st.column_config.SelectboxColumn(
                    tr("data.codes.meaning"), options=list(EVENT_CHOICES), required=False
                ),
            },
            hide_index=True,
            key=f"codes_{shop_key}_{index}",
        )
        if table.mapping.codes_named:
            st.caption(tr("data.codes.named"))
        if st.button(tr("data.codes.apply"), key=f"codes_apply_{shop_key}_{index}"):
            chosen = {
                str(code): str(meaning)
                for code, meaning in zip(edited["code"], edited["meaning"], strict=True)
                if meaning
            }
            use_uploads(
                [dataclasses.replace(u, event_codes=tuple(sorted(chosen.items()))) for u in uploads]
            )


route_through_app()
warm_up()  # a visitor who uploads or trains will train soon
st.title(tr("data.title"))
st.write(tr("data.intro"))

files = st.file_uploader(
    tr("data.upload"), type=ACCEPTED, accept_multiple_files=True, help=tr("data.upload_help")
)
if files and st.button(tr("data.use_files"), type="primary"):
    candidates = [Upload(f.name, f.getvalue(), digest(f.getvalue())) for f in files]
    try:
        with st.spinner(tr("data.reading")):
            load_shop(candidates)  # joined and checked together, as they will be used
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
    shop, shop_key = current_shop()
    uploads: list[Upload] = list(st.session_state.get(UPLOADS, []))
    names = [u.name for u in uploads]
    # doubtful guesses first, where nobody can miss them
    for table in shop.tables:
        for role in table.mapping.doubtful():
            st.warning(
                tr(
                    "data.confirm",
                    file=escape(Path(table.raw.source).name),
                    role=tr(f"role.{role}"),
                    evidence=escape(table.mapping.confidence[role].evidence.text(lang())),
                )
                + "  \n"
                + tr("data.confirm_hint"),
                icon="⚠️",
            )
    if shop.joins:
        show_joins(shop)
    for index, table in enumerate(shop.tables):
        report = table.report
        upload_index = names.index(table.raw.source) if table.raw.source in names else None
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
            if warning.key != "quality.warning.confirm_role":  # shown at the top
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
                column_config={tr("data.count"): st.column_config.NumberColumn(format="localized")},
            )

        if report.notes:
            with st.expander(tr("quality.title.notes")):
                for note in report.notes:
                    st.caption(escape(note.text(lang())))

        if table.mapping.event_codes and table.mapping.kind == "events":
            name_codes(table, uploads, shop_key, index)

        doubtful = bool(table.mapping.doubtful())
        with st.expander(
            tr("data.mapping"), expanded=doubtful or (not using_sample() and index == 0)
        ):
            show_confidence(table)
            if upload_index is None and not using_sample():
                st.caption(tr("data.join.readonly"))
            else:
                edit_roles(table, uploads, upload_index, f"{shop_key}_{index}")

        with st.expander(tr("data.preview")):
            st.dataframe(table.frame.head(200), hide_index=True)
