"""The Campaign results page: the sample campaign at once, uploads, errors, the planner link."""

from __future__ import annotations

from churnlab.sample_campaign import sample_campaign_paths
from tests.app.conftest import assert_clean, new_app, open_page


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def results_page():
    at = new_app()
    at.run()
    return open_page(at, "campaign_results")


def test_the_sample_campaign_shows_its_effect_and_the_backtest() -> None:
    at = results_page()
    assert_clean(at)
    assert at.title[0].value == "Campaign results"
    assert any("lowered churn by" in s.value for s in at.success)
    labels = {m.label: m.value for m in at.metric}
    assert {"Churn, treatment", "Churn, control", "Customers kept", "Realised ROC AUC"} <= set(
        labels
    )
    assert float(labels["Uplift (points)"]) > 0
    assert len(at.dataframe) == 1 and at.dataframe[0].value.shape[0] == 3  # three bands
    assert len(at.get("plotly_chart")) == 3  # bands, Qini, backtest
    assert float(labels["Qini area, uplift model"]) > 0


def test_the_uplift_model_ranks_the_planner() -> None:
    at = results_page()
    apply = next(b for b in at.button if b.label.startswith("Rank the planner"))
    apply.click().run()
    assert_clean(at)
    assert any("ranks by the uplift model" in s.value for s in at.success)
    open_page(at, "at_risk")
    assert_clean(at)
    toggle = next(t for t in at.toggle if t.label.startswith("Rank by expected incremental gain"))
    assert toggle.value
    assert "estimated_effect" in at.dataframe[-1].value.columns
    toggle.set_value(False).run()
    assert_clean(at)
    assert "estimated_effect" not in at.dataframe[-1].value.columns


def test_the_measured_save_rate_goes_to_the_planner() -> None:
    at = results_page()
    apply = next(b for b in at.button if b.label.startswith("Use the measured save rate"))
    apply.click().run()
    assert_clean(at)
    assert any("now uses the measured save rate" in s.value for s in at.success)
    open_page(at, "at_risk")
    assert_clean(at)
    save_rate = next(n for n in at.number_input if n.label == "Save rate (%)")
    assert save_rate.value != 20  # the guess was 20 %
    assert any("measured by campaign" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Go back to my own guess").click().run()
    save_rate = next(n for n in at.number_input if n.label == "Save rate (%)")
    assert save_rate.value == 20
    assert any("your assumption" in c.value for c in at.caption)


def test_at_risk_offers_the_campaign_file_with_a_control_group() -> None:
    at = new_app()
    at.run()
    open_page(at, "at_risk")
    assert_clean(at)
    assert any("held back as control" in c.value for c in at.caption)
    assert any("detect a difference in churn" in c.value for c in at.caption)
    share = next(n for n in at.number_input if n.label.startswith("Control group"))
    share.set_value(0).run()
    assert any("cannot be measured" in c.value for c in at.caption)


def _upload(at, campaign: bytes, export: bytes, export_name: str = "later.parquet") -> None:
    at.file_uploader[0].set_value(("campaign.csv", campaign, "text/csv")).run()
    at.file_uploader[1].set_value((export_name, export, "application/octet-stream")).run()


def test_uploaded_files_are_measured_and_bad_ones_give_an_error() -> None:
    campaign_path, export_path = sample_campaign_paths()
    campaign = campaign_path.read_bytes()
    export = export_path.read_bytes()
    at = results_page()
    _upload(at, campaign, export)
    assert_clean(at)
    assert any("lowered churn by" in s.value for s in at.success)

    edited = campaign.decode("utf-8-sig").replace(",control,", ",treatment,", 1).encode()
    at.file_uploader[0].set_value(("campaign.csv", edited, "text/csv")).run()
    assert not at.exception
    assert any("edited" in e.value for e in at.error)

    no_band = campaign.decode("utf-8-sig").replace("risk_band", "band", 1).encode()
    at.file_uploader[0].set_value(("campaign.csv", no_band, "text/csv")).run()
    assert any("lacks the columns risk" in e.value for e in at.error)

    other = b"customer_id,timestamp,amount\nX1,2026-09-01,10\nX2,2026-09-02,12\n"
    at.file_uploader[0].set_value(("campaign.csv", campaign, "text/csv")).run()
    at.file_uploader[1].set_value(("other.csv", other, "text/csv")).run()
    assert not at.exception
    assert any("another shop" in e.value for e in at.error)


def test_the_page_speaks_chinese() -> None:
    at = new_app()
    at.run()
    at.sidebar.selectbox[0].set_value("zh").run()
    open_page(at, "campaign_results")
    assert_clean(at)
    assert at.title[0].value == "活动效果"
    assert at.success and all(chinese(s.value) for s in at.success)
    assert "实际 ROC AUC" in [m.label for m in at.metric]
    edited = (
        sample_campaign_paths()[0]
        .read_bytes()
        .decode("utf-8-sig")
        .replace(",control,", ",treatment,", 1)
        .encode()
    )
    _upload(at, edited, sample_campaign_paths()[1].read_bytes())
    assert at.error and all(chinese(e.value) for e in at.error)
    open_page(at, "at_risk")
    assert_clean(at)
    assert any("作为对照组" in c.value for c in at.caption)
    assert any(d.label == "下载营销活动文件（CSV）" for d in at.get("download_button"))


def test_the_report_page_shows_the_campaign_results_on_the_sample() -> None:
    at = new_app()
    at.run()
    open_page(at, "report")
    assert_clean(at)
    assert any(h.value.startswith("Campaign results (campaign of") for h in at.subheader)


def test_a_customer_tables_campaign_is_measured_on_its_later_export() -> None:
    """A telecom marketer's loop: the campaign file from a table, then next month's table."""
    from churnlab.holdout import campaign_csv_bytes
    from tests.unit.test_results import table_campaign

    campaign, later = table_campaign(2000, 0.25, seed=8)
    at = results_page()
    _upload(at, campaign_csv_bytes(campaign), later.write_csv().encode(), "telco-later.csv")
    assert_clean(at)
    assert any("lowered churn by" in s.value for s in at.success)
    assert any("churn label of the later customer table" in c.value for c in at.caption)
    labels = [m.label for m in at.metric]
    assert "Days observed" not in labels and "Churn, treatment" in labels
    # an event log instead of the later table: the page says what it needs
    events = b"customer_id,timestamp,amount\n0001-TBL,2026-04-01,10\n0002-TBL,2026-04-02,12\n"
    at.file_uploader[1].set_value(("events.csv", events, "text/csv")).run()
    assert not at.exception
    assert any("later export of the table with its churn label" in e.value for e in at.error)


def test_a_customer_tables_campaign_ranks_the_table_planner_by_uplift(tmp_path) -> None:
    """IBM's telecom export: train, a campaign file with half held back, next month's table
    (the offer kept some treated churners), then uplift targeting on the table's planner."""
    import gzip

    import numpy as np
    import polars as pl

    from churnlab.campaign import plan_campaign
    from churnlab.config import CampaignConfig
    from churnlab.holdout import build_campaign, campaign_csv_bytes, campaign_settings
    from churnlab.ingest.loading import combine, load_table
    from churnlab.pipeline import score
    from tests.app.conftest import ROOT

    raw = gzip.decompress((ROOT / "tests/data/real_tables/telco_churn.csv.gz").read_bytes())
    at = new_app()
    at.run()
    open_page(at, "data")
    at.file_uploader[0].set_value(("telco.csv", raw, "text/csv")).run()
    next(b for b in at.button if b.label == "Use these files").click().run()
    open_page(at, "model")
    next(b for b in at.button if b.label == "Train the model").click().run()
    model = at.session_state["user_model"]
    export = tmp_path / "telco.csv"
    export.write_bytes(raw)
    scored = score(model, combine([load_table(export)]))
    config = CampaignConfig(control_share=0.5)
    campaign = build_campaign(
        plan_campaign(scored.frame, config).frame,
        config=config,
        **campaign_settings(model, scored),
        activity=model.definition.activity,
        lookback_days=model.definition.lookback_days,
        model_document=model.document,
        features=scored.features,
    )
    treated = set(campaign.frame.filter(pl.col("group") == "treatment")["customer_id"])
    table = pl.read_csv(export, infer_schema_length=0)
    kept = np.random.default_rng(1).random(table.height) < 0.5  # the offer kept half of them
    later = table.with_columns(
        pl.when(pl.col("customerID").is_in(list(treated)) & pl.Series(kept))
        .then(pl.lit("No"))
        .otherwise(pl.col("Churn"))
        .alias("Churn")
    )
    open_page(at, "campaign_results")
    _upload(at, campaign_csv_bytes(campaign), later.write_csv().encode(), "telco-later.csv")
    assert_clean(at)
    assert any("lowered churn by" in s.value for s in at.success)
    next(b for b in at.button if b.label.startswith("Rank the planner")).click().run()
    assert_clean(at)
    open_page(at, "at_risk")
    assert_clean(at)
    toggle = next(t for t in at.toggle if t.label.startswith("Rank by expected incremental gain"))
    assert toggle.value
    listing = at.dataframe[-1].value
    assert "estimated_effect" in listing.columns and listing["estimated_effect"].notna().all()
