"""Campaign results: treatment against control, last campaign's predictions checked."""

import polars as pl
import streamlit as st

from churnlab.charts import backtest_bands_figure, qini_figure, results_bands_figure
from churnlab.errors import ChurnlabError
from churnlab.results import planner_save_rate
from pages._shared import (
    MEASURED,
    RESULTS,
    UPLIFT,
    Upload,
    campaign_results,
    digest,
    guarded,
    lang,
    pct,
    plot,
    route_through_app,
    sample_campaign_results,
    tr,
    uplift_model,
    using_sample,
)


def points(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}"


def money(value: float, currency: str) -> str:
    return f"{'−' if value < 0 else ''}{currency}{abs(value):,.0f}"


def interval(low: float | None, high: float | None, fmt) -> str:
    if low is None or high is None:
        return ""
    return tr("results.interval", low=fmt(low), high=fmt(high))


route_through_app()
st.title(tr("results.title"))
st.caption(tr("results.intro"))

with st.expander(tr("results.upload_title"), expanded=not using_sample()):
    campaign_file = st.file_uploader(tr("results.upload_campaign"), type=["csv"], key="rc_file")
    export_files = st.file_uploader(
        tr("results.upload_exports"),
        type=["csv", "tsv", "txt", "xlsx", "xls", "parquet", "json"],
        accept_multiple_files=True,
        key="rc_exports",
    )
    salt = st.text_input(tr("results.salt"), type="password", key="rc_salt")

results = None
with guarded():
    if campaign_file is not None and export_files:
        data = campaign_file.getvalue()
        campaign = Upload(campaign_file.name, data, digest(data))
        exports = [Upload(f.name, f.getvalue(), digest(f.getvalue())) for f in export_files]
        results = campaign_results(campaign, exports, salt)
        st.session_state[RESULTS] = results  # the report shows the last uploaded results
    elif campaign_file is None and not export_files and using_sample():
        results = sample_campaign_results()
        st.info(tr("results.sample_note", as_of=results.facts["as_of"]), icon="ℹ️")
    else:
        st.info(tr("results.waiting"), icon="ℹ️")

if results is not None:
    s = results.summary
    currency = s["currency"]
    u = s["uplift"]
    st.subheader(tr("results.verdict"))
    verdict = results.verdict.text(lang())
    if results.verdict.key.startswith("results.verdict.lowered"):
        st.success(verdict, icon="✅")
    elif results.verdict.key.startswith("results.verdict.raised"):
        st.warning(verdict, icon="⚠️")
    else:
        st.info(verdict, icon="ℹ️")
    for note in results.notes:
        st.warning(note.text(lang()), icon="⚠️")

    k = st.columns(4)
    k[0].metric(tr("results.metric.treatment"), pct(s["treatment"]["churn_rate"]))
    k[1].metric(tr("results.metric.control"), pct(s["control"]["churn_rate"]))
    k[2].metric(
        tr("results.metric.uplift"),
        points(u["estimate"]),
        help=interval(u["low"], u["high"], points),
    )
    k[3].metric(
        tr("results.metric.relative"),
        "—" if u.get("relative") is None else pct(u["relative"]),
        help=interval(u.get("relative_low"), u.get("relative_high"), pct),
    )
    k = st.columns(4)
    kept = s["customers_kept"]
    k[0].metric(
        tr("results.metric.kept"),
        f"{kept['estimate']:,.0f}",
        help=interval(kept["low"], kept["high"], lambda v: f"{v:,.0f}"),
    )
    k[1].metric(
        tr("results.metric.net"),
        money(s["net"]["estimate"], currency),
        help=interval(s["net"]["low"], s["net"]["high"], lambda v: money(v, currency)),
    )
    roi = s["roi"]["estimate"]
    k[2].metric(tr("results.metric.roi"), "—" if roi is None else pct(roi, 0))
    if results.measured_by_label:  # a customer table: no days, no spend
        st.caption(tr("results.by_label", customers=f"{results.outcomes.height:,}"))
    else:
        k[3].metric(tr("results.metric.observed"), f"{s['observed_days']} / {s['horizon_days']}")
        spend = s["spend_difference"]
        st.caption(
            tr(
                "results.spend",
                difference=money(spend["estimate"], currency),
                low=money(spend["low"], currency),
                high=money(spend["high"], currency),
            )
        )
    st.caption(interval(u["low"], u["high"], points))

    # ---------------------------------------------------------------- per band
    st.subheader(tr("results.bands"))
    rows = [
        {
            tr("results.col.band"): tr(f"band.{b['band']}"),
            tr("results.col.treatment"): b["treatment"]["customers"],
            tr("results.col.control"): b["control"]["customers"],
            tr("results.col.churn_t"): b["treatment"]["churn_rate"],
            tr("results.col.churn_c"): b["control"]["churn_rate"],
            tr("results.col.uplift"): None
            if b["uplift"]["estimate"] is None
            else round(b["uplift"]["estimate"] * 100, 1),
            tr("results.col.low"): None
            if b["uplift"]["low"] is None
            else round(b["uplift"]["low"] * 100, 1),
            tr("results.col.high"): None
            if b["uplift"]["high"] is None
            else round(b["uplift"]["high"] * 100, 1),
        }
        for b in results.bands
    ]
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(
        pl.DataFrame(rows),
        hide_index=True,
        column_config={tr("results.col.churn_t"): percent, tr("results.col.churn_c"): percent},
    )
    plot(results_bands_figure(results.bands, lang()), key="results_bands")

    # ---------------------------------------------------------------- measured save rate
    measured = planner_save_rate(results)
    if measured is None:
        st.info(tr("results.save_rate_unusable"), icon="ℹ️")
    else:
        values = {key: pct(measured[key]) for key in ("rate", "low", "high")}
        st.caption(tr("results.save_rate", **values))
        if st.button(tr("results.apply"), help=tr("results.apply_help"), icon="🎯"):
            st.session_state[MEASURED] = measured
        if st.session_state.get(MEASURED) == measured:
            st.success(tr("results.applied", **values), icon="✅")

    # ---------------------------------------------------------------- uplift targeting
    st.subheader(tr("uplift.title"))
    with st.spinner():
        try:
            uplift = uplift_model(results)
        except ChurnlabError as error:
            message, hint = error.render(lang())
            st.info(f"{message} {hint}", icon="ℹ️")
            uplift = None
    if uplift is not None:
        q = uplift.qini
        st.caption(
            tr(
                "uplift.intro",
                minimum=q["minimum_per_group"],
                treatment=q["treatment"],
                control=q["control"],
                held_out=q["held_out"],
            )
        )
        k = st.columns(2)
        help_text = tr("uplift.area_help")
        k[0].metric(tr("uplift.area.uplift"), f"{q['area']['uplift']:.4f}", help=help_text)
        k[1].metric(tr("uplift.area.risk"), f"{q['area']['risk']:.4f}", help=help_text)
        plot(qini_figure(q, lang()), key="qini")
        if st.button(tr("uplift.apply"), help=tr("uplift.apply_help"), icon="📈"):
            st.session_state[UPLIFT] = uplift
        if st.session_state.get(UPLIFT) is uplift:
            st.success(tr("uplift.applied", campaign=uplift.campaign_id), icon="✅")

    # ---------------------------------------------------------------- backtest
    st.subheader(tr("results.backtest.title"))
    test = results.backtest
    if test is None:
        st.info(tr("results.backtest.none"), icon="ℹ️")
    else:
        st.caption(
            tr("results.backtest.intro", n=f"{test['customers']:,}", as_of=results.facts["as_of"])
        )
        k = st.columns(3)
        reported = test["reported_roc_auc"]
        k[0].metric(
            tr("results.backtest.auc"),
            f"{test['roc_auc']:.3f}",
            delta=None if reported is None else f"{test['roc_auc'] - reported:+.3f}",
            help=None
            if reported is None
            else tr("results.backtest.reported", auc=f"{reported:.3f}"),
        )
        k[1].metric(tr("results.backtest.lift"), f"{test['lift_10']:.2f}")
        k[2].metric(tr("results.backtest.capture"), pct(test["capture_10"], 0))
        plot(backtest_bands_figure(test["bands"], lang()), key="backtest_bands")
