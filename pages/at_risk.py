"""At-risk customers: the ranked list, the campaign planner and safe downloads."""

import dataclasses

import polars as pl
import streamlit as st

from churnlab.campaign import describe_assumptions, plan_campaign, with_action_names
from churnlab.catalogue import describe
from churnlab.charts import profit_curve_figure
from churnlab.config import APP_EXPORT_REASONS, APP_SCORING, CampaignConfig
from churnlab.export import column_notes, csv_bytes, pseudonymise_ids, xlsx_bytes
from churnlab.holdout import (
    build_campaign,
    campaign_csv_bytes,
    campaign_settings,
    pseudonymise_campaign,
)
from churnlab.pipeline import ScoredList, TrainedModel, with_missing_reasons
from churnlab.spend import PERIOD_DAYS, SpendSource, spend_columns
from churnlab.uplift import plan_by_uplift
from pages._shared import (
    MEASURED,
    SPEND,
    UPLIFT,
    activity_words,
    current_scores,
    fill_reasons,
    guarded,
    lang,
    list_columns,
    money,
    need_model,
    pct,
    plot,
    range_filter,
    route_through_app,
    show_error,
    tr,
)

DEFAULTS = CampaignConfig()


def choose_spend(model: TrainedModel, scores: ScoredList) -> None:
    """A customer table's spend column and its period, for the planner (``churnlab.spend``)."""
    st.subheader(tr("spend.title"))
    columns = spend_columns(scores.features, model.feature_names)
    current = scores.spend
    c1, c2 = st.columns(2)
    column = c1.selectbox(
        tr("spend.column"),
        ["", *columns],
        index=1 + columns.index(current.column) if current else 0,
        format_func=lambda c: c or tr("spend.none"),
        help=tr("spend.column_help"),
    )
    period = c2.selectbox(
        tr("spend.period"),
        list(PERIOD_DAYS),
        index=list(PERIOD_DAYS).index(current.period if current else "month"),
        format_func=lambda p: tr(f"spend.period.{p}"),
        disabled=not column,
    )
    chosen = SpendSource(column, period) if column else None
    if chosen != current:
        st.session_state[SPEND] = {"source": chosen}
        st.rerun()
    if current is None:
        st.info(tr("spend.missing"), icon="ℹ️")
    else:
        days = model.definition.lookback_days
        st.caption(
            tr(
                "spend.caption",
                column=current.column,
                period=tr(f"spend.period.{current.period}"),
                days=days,
                factor=f"{days / current.days:.3g}",
            )
        )


route_through_app()
st.title(tr("atrisk.title"))
model = need_model()
if model is not None:
    with guarded():
        scores = current_scores()
        frame = scores.frame
        as_of = scores.as_of.isoformat() if scores.as_of else "—"
        if scores.as_of:
            st.caption(tr("atrisk.intro", as_of=as_of, n=f"{frame.height:,}"))
        else:  # a customer table: no date to score as of
            st.caption(tr("atrisk.intro_table", n=f"{frame.height:,}"))
        if model.mode == "table":
            choose_spend(model, scores)

        # ------------------------------------------------------------ campaign planner
        plan = None
        if "monetary" in frame.columns:
            st.subheader(tr("campaign.title"))
            st.caption(tr("campaign.intro"))
            c1, c2, c3, c4 = st.columns(4)
            margin = c1.number_input(
                tr("campaign.margin"),
                1,
                100,
                int(DEFAULTS.margin * 100),
                help=tr("campaign.margin_help"),
            )
            measured = st.session_state.get(MEASURED)
            save_rate = c2.number_input(
                tr("campaign.save_rate"),
                1,
                100,
                max(1, round(measured["rate"] * 100))
                if measured
                else int(DEFAULTS.save_rate * 100),
                help=tr("campaign.save_rate_help"),
            )
            offer_cost = c3.number_input(
                tr("campaign.offer_cost"),
                0.0,
                10000.0,
                DEFAULTS.offer_cost,
                step=5.0,
                help=tr("campaign.offer_cost_help"),
            )
            contact_cost = c4.number_input(
                tr("campaign.contact_cost"), 0.0, 1000.0, DEFAULTS.contact_cost, step=0.5
            )
            c5, c6, c7, c8 = st.columns(4)
            value_days = c5.number_input(
                tr("campaign.value_days"),
                30,
                1825,
                DEFAULTS.value_days,
                step=30,
                help=tr("campaign.value_days_help"),
            )
            min_risk = c6.number_input(tr("campaign.min_risk"), 0, 100, 0)
            use_budget = c7.toggle(tr("campaign.use_budget"))
            budget = c8.number_input(
                tr("campaign.budget"), 0.0, 1e9, 10000.0, step=1000.0, disabled=not use_budget
            )
            if measured and save_rate == max(1, round(measured["rate"] * 100)):
                st.caption(
                    tr(
                        "campaign.save_rate_source.measured",
                        campaign=measured["campaign_id"],
                        as_of=measured["as_of"],
                        **{key: pct(measured[key]) for key in ("rate", "low", "high")},
                    )
                )
            else:
                st.caption(tr("campaign.save_rate_source.guess"))
            if measured and st.button(tr("campaign.save_rate_forget")):
                st.session_state[MEASURED] = None
                st.rerun()
            config = CampaignConfig(
                margin=margin / 100,
                save_rate=save_rate / 100,
                offer_cost=offer_cost,
                contact_cost=contact_cost,
                value_days=int(value_days),
                min_risk=min_risk / 100,
                budget=budget if use_budget else None,
            )
            uplift = st.session_state.get(UPLIFT)
            by_uplift = uplift is not None and st.toggle(
                tr("uplift.toggle", campaign=uplift.campaign_id),
                value=True,
                help=tr("uplift.toggle_help"),
            )
            try:
                if by_uplift:
                    plan = plan_by_uplift(
                        frame,
                        scores.features,
                        uplift,
                        config,
                        lookback_days=model.definition.lookback_days,
                    )
                else:
                    plan = plan_campaign(
                        frame, config, lookback_days=model.definition.lookback_days
                    )
            except Exception as error:
                show_error(error)
            if plan is not None:
                s = plan.summary
                k = st.columns(4)
                k[0].metric(tr("campaign.summary.contacted"), f"{s['contacted']:,.0f}")
                k[1].metric(tr("campaign.summary.kept"), f"{s['expected_customers_kept']:,.0f}")
                k[2].metric(tr("campaign.summary.revenue"), money(s["revenue_kept"]))
                k[3].metric(
                    tr("campaign.summary.net"),
                    money(s["net_gain"]),
                    delta=f"ROI {s['roi'] * 100:,.0f} %",
                )
                k = st.columns(4)
                k[0].metric(
                    tr("campaign.summary.reached"), f"{s['expected_churners_reached']:,.0f}"
                )
                k[1].metric(tr("campaign.summary.cost"), money(s["cost"]))
                curve = plan.curve
                plot(
                    profit_curve_figure(
                        curve.get_column("n_contacted").to_numpy(),
                        curve.get_column("cumulative_net_gain").to_numpy(),
                        plan.best_n,
                        plan.budget_n,
                        lang=lang(),
                    ),
                    key="profit",
                )
                st.caption(tr("campaign.best_n", best=f"{plan.best_n:,}"))
                if plan.budget_n is not None:
                    st.caption(tr("campaign.budget_n", n=f"{plan.budget_n:,}"))
        elif model.mode != "table":  # a table's Customer value row above says it already
            st.info(tr("campaign.no_amounts"), icon="ℹ️")

        # ------------------------------------------------------------ the list and filters
        listing = (plan.frame if plan is not None else frame).sort("rank")
        with st.expander(tr("atrisk.filters"), expanded=True):
            c1, c2 = st.columns(2)
            bands = c1.multiselect(
                tr("atrisk.bands"),
                ["High", "Medium", "Low"],
                default=["High", "Medium"],
                format_func=lambda b: tr(f"band.{b}"),
            )
            filtered = listing.filter(pl.col("risk_band").is_in(bands))
            if "monetary" in listing.columns:
                top_value = float(listing.get_column("monetary").max() or 0.0)
                min_value = c2.number_input(
                    tr("atrisk.min_value"), 0.0, max(top_value, 1.0), 0.0, step=50.0
                )
                filtered = filtered.filter(pl.col("monetary").fill_null(0) >= min_value)
            numeric = [n for n in scores.feature_names if n not in model.categorical]
            feature = st.selectbox(
                tr("atrisk.feature_filter"),
                ["—", *numeric],
                format_func=lambda n: n if n == "—" else describe(n).text(lang()),
            )
            if feature != "—":
                inside = range_filter(
                    tr("atrisk.range"), scores.features.get_column(feature), "list_range"
                )
                keep = scores.features.get_column("customer_id").filter(pl.Series(inside))
                filtered = filtered.filter(pl.col("customer_id").is_in(keep.implode()))

        shown = with_action_names(fill_reasons(filtered, APP_SCORING.max_explained), lang())
        st.metric(tr("atrisk.selected"), f"{filtered.height:,}")
        if scores.reasons_stop_at() is not None and filtered.height > APP_SCORING.max_explained:
            st.caption(
                tr(
                    "atrisk.reasons_top",
                    n=f"{APP_SCORING.max_explained:,}",
                    exported=f"{APP_EXPORT_REASONS:,}",
                )
            )
        st.dataframe(
            shown,
            hide_index=True,
            column_config=list_columns(),
        )

        # ------------------------------------------------------------ export
        st.subheader(tr("atrisk.export"))
        c1, c2 = st.columns(2)
        row_choice = c1.radio(
            tr("campaign.rows"),
            ["planned", "filtered", "all"] if plan is not None else ["filtered", "all"],
            format_func=lambda r: tr(f"campaign.rows.{r}"),
            horizontal=True,
        )
        rows = {
            "planned": plan.frame.filter(pl.col("planned")) if plan is not None else None,
            "filtered": filtered,
            "all": listing,
        }[row_choice]
        columns = c2.multiselect(
            tr("campaign.columns"),
            rows.columns,
            default=[
                c for c in rows.columns if c not in ("planned", "campaign_rank", "expected_cost")
            ],
        )
        pseudo = st.toggle(tr("campaign.pseudonymise"))
        salt = st.text_input(
            tr("campaign.salt"), type="password", help=tr("campaign.salt_help"), disabled=not pseudo
        )
        reader = lang()

        def export() -> pl.DataFrame:
            """The rows to download, each explained now if the list left it without reasons.
            Runs on click, outside the page's run: engine calls only (no st.*)."""
            filled = with_missing_reasons(
                model, scores, rows, limit=APP_EXPORT_REASONS, lang=reader
            )
            out = with_action_names(filled.select(columns or rows.columns), reader)
            if pseudo and salt and "customer_id" in out.columns:
                out = pseudonymise_ids(out, salt)
            return out

        def export_xlsx() -> bytes:
            frame = export()
            return xlsx_bytes(frame, column_notes=column_notes(frame.columns, reader), about=about)

        about = {
            tr("export.as_of"): as_of,
            tr("export.model_date"): str(model.document.get("trained_at", "")),
            tr("export.definition"): tr(
                "sidebar.definition",
                horizon=model.definition.horizon_days,
                activity=activity_words(model.definition.activity),
                lookback=model.definition.lookback_days,
            ),
        }
        if plan is not None:
            about[tr("export.assumptions")] = describe_assumptions(plan.config, lang())
        blocked = pseudo and not salt
        d1, d2 = st.columns(2)
        d1.download_button(
            tr("atrisk.download_csv"),
            lambda: csv_bytes(export()),
            "churnlab-at-risk.csv",
            "text/csv",
            icon="⬇️",
            disabled=blocked,
        )
        d2.download_button(
            tr("atrisk.download_xlsx"),
            export_xlsx,
            "churnlab-at-risk.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon="⬇️",
            disabled=blocked,
        )

        # ------------------------------------------------------------ control group
        if plan is not None:
            st.subheader(tr("holdout.title"))
            share = st.number_input(
                tr("holdout.share"),
                0,
                90,
                round(DEFAULTS.control_share * 100),
                help=tr("holdout.share_help"),
            )
            campaign = build_campaign(
                plan.frame,
                config=dataclasses.replace(plan.config, control_share=share / 100),
                **campaign_settings(model, scores),
                activity=model.definition.activity,
                lookback_days=model.definition.lookback_days,
                model_document=model.document,
                features=scores.features,
            )
            if pseudo and salt:
                campaign = pseudonymise_campaign(campaign, salt)
            facts = campaign.facts
            st.caption(tr("holdout.split", treatment=facts["treatment"], control=facts["control"]))
            mde = facts["detectable_difference"]
            st.caption(
                tr("holdout.mde", mde=f"{float(mde) * 100:.1f}") if mde else tr("holdout.mde_none")
            )
            st.download_button(
                tr("holdout.download"),
                lambda: campaign_csv_bytes(campaign),
                f"churnlab-campaign-{facts['as_of']}.csv",
                "text/csv",
                icon="⬇️",
                help=tr("holdout.download_help"),
                disabled=blocked,
            )
