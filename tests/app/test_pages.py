"""Every page renders on the sample shop, shows its key elements, and handles bad input."""

from __future__ import annotations

import gzip
import io
import json
import sys
import threading
from pathlib import Path

import polars as pl
import pytest

from tests.app.conftest import PAGES, ROOT, assert_clean, new_app, open_page


def chart_count(at) -> int:
    return len(at.get("plotly_chart"))


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_sample_without_errors(page: str) -> None:
    at = new_app()
    at.run()
    open_page(at, page)
    assert_clean(at)
    assert at.title, "each page has a title"


def test_overview_shows_headline_numbers_and_charts(app) -> None:
    assert_clean(app)
    labels = [m.label for m in app.metric]
    assert "Customers in scope" in labels and "At high risk" in labels
    customers = next(m for m in app.metric if m.label == "Customers in scope")
    assert int(customers.value.replace(",", "")) > 100
    assert chart_count(app) >= 2


def test_performance_threshold_control_updates_the_numbers(app) -> None:
    open_page(app, "performance")
    assert chart_count(app) >= 5
    recall_before = next(m.value for m in app.metric if m.label == "Recall")
    app.slider[0].set_value(60).run()
    assert_clean(app)
    recall_after = next(m.value for m in app.metric if m.label == "Recall")
    assert recall_before != recall_after


def test_explanations_look_up_a_customer_by_id(app) -> None:
    open_page(app, "explanations")
    assert_clean(app)
    at_risk_first = app.text_input[0]
    at_risk_first.set_value("C0000").run()
    assert_clean(app)
    assert any("Top reasons" in m.value for m in app.markdown)


def test_at_risk_list_and_downloads_are_present(app) -> None:
    open_page(app, "at_risk")
    assert_clean(app)
    assert len(app.dataframe) >= 1
    assert len(app.get("download_button")) >= 2


def test_campaign_inputs_change_the_plan(app) -> None:
    open_page(app, "at_risk")

    def contacted() -> str:
        return next(m.value for m in app.metric if m.label == "Customers to contact")

    before = contacted()
    offer = next(n for n in app.number_input if n.label.startswith("Offer cost"))
    offer.set_value(200.0).run()
    assert_clean(app)
    assert contacted() != before


def test_language_switch_changes_the_text(app) -> None:
    english = app.title[0].value
    app.sidebar.selectbox[0].set_value("zh").run()
    assert_clean(app)
    assert app.title[0].value != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in app.title[0].value)


def small_export() -> bytes:
    """A tiny order export with English headers: 120 customers over 16 months."""
    import datetime as dt
    import random

    rng = random.Random(7)
    rows = []
    start = dt.datetime(2024, 1, 1)
    for c in range(120):
        loyal = rng.random() < 0.6
        n = rng.randint(6, 20) if loyal else rng.randint(1, 5)
        span = 480 if loyal else rng.randint(30, 300)
        for k in range(n):
            day = start + dt.timedelta(days=rng.randint(0, span), hours=rng.randint(8, 22))
            rows.append(
                {
                    "Order ID": f"O{c:04d}{k:02d}",
                    "Customer": f"{c:05d}",
                    "Order Date": day.strftime("%d/%m/%Y %H:%M"),
                    "Total": f"${rng.uniform(5, 300):,.2f}",
                }
            )
    buffer = io.BytesIO()
    pl.DataFrame(rows).write_csv(buffer)
    return buffer.getvalue()


def test_upload_map_train_and_list(app) -> None:
    open_page(app, "data")
    app.file_uploader[0].set_value(("orders.csv", small_export(), "text/csv")).run()
    use = next(b for b in app.button if b.label == "Use these files")
    use.click().run()
    assert_clean(app)
    assert any(m.label == "Kind" and m.value == "Event log" for m in app.metric)

    open_page(app, "model")
    train = next(b for b in app.get("form_submit_button") if b.label == "Train the model")
    train.click().run()
    assert_clean(app)
    assert len(app.dataframe) >= 1  # the model-against-baselines table

    open_page(app, "at_risk")
    assert_clean(app)
    assert not any("Training stopped" in w.value for w in app.warning)  # it finished
    listing = app.dataframe[-1].value
    assert listing.shape[0] > 0
    assert set(listing["customer_id"].astype(str)) <= {f"{c:05d}" for c in range(120)}


def test_the_tuned_model_searches_whatever_the_size_of_the_shop(app) -> None:
    """A marketer who asks for the tuned model gets the search, even on a big shop."""
    open_page(app, "data")
    app.file_uploader[0].set_value(("orders.csv", small_export(), "text/csv")).run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    open_page(app, "model")
    app.radio[0].set_value("tuned")
    app.slider[0].set_value(5)
    next(b for b in app.get("form_submit_button") if b.label == "Train the model").click().run()
    assert_clean(app)
    document = app.session_state["user_model"].document
    assert document["training"]["search_up_to_rows"] is None
    assert document["training"]["tuning_seconds"] == 5.0


def test_a_new_model_scores_today_once_in_the_background(app, monkeypatch) -> None:
    """The list is scored while the visitor reads the Model page; opening it then reads the
    cache instead of scoring again."""
    open_page(app, "data")
    app.file_uploader[0].set_value(("orders.csv", small_export(), "text/csv")).run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    open_page(app, "model")
    shared = next(
        m
        for m in list(sys.modules.values())
        if (getattr(m, "__file__", None) or "").endswith(str(Path("pages") / "_shared.py"))
    )
    shared._score.clear()  # another test may have scored this very upload and model
    calls: list[str] = []
    original = shared.score

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(shared, "score", counting)
    train = next(b for b in app.get("form_submit_button") if b.label == "Train the model")
    train.click().run()
    assert_clean(app)
    for thread in threading.enumerate():
        if thread.name == "churnlab-score":
            thread.join(timeout=120)
    assert calls == ["churnlab-score"]
    open_page(app, "at_risk")
    assert_clean(app)
    assert app.dataframe[-1].value.shape[0] > 0
    assert calls == ["churnlab-score"]


def _job_left_running(app, tmp_path, shop_key: str | None = None):  # type: ignore[no-untyped-def]
    """A training job as the Model page leaves it when the visitor opens another page: its
    thread goes on (here until ``release`` is set) with nobody waiting for it."""
    from churnlab.config import QUICK_TRAINING, ChurnDefinition, Settings
    from churnlab.ingest.loading import combine, load_table
    from churnlab.pipeline import train
    from pages._shared import uploads_key
    from pages._training import TrainingJob

    export = tmp_path / "orders.csv"
    export.write_bytes(small_export())
    shop = combine([load_table(export)])
    key = shop_key or uploads_key(app.session_state["uploads"])
    job = TrainingJob(shop=shop, shop_key=key, model_key=f"{key}:test", label="model.training")
    release = threading.Event()

    def work() -> None:
        release.wait(120)
        settings = Settings(churn=ChurnDefinition(), training=QUICK_TRAINING)
        job.model = train(shop, settings, progress=job.progress)
        job.done.set()

    threading.Thread(target=work, daemon=True).start()
    app.session_state["training_job"] = job
    return job, release


def test_training_goes_on_when_the_page_is_left(app, tmp_path) -> None:
    """Streamlit stops a run when the visitor opens another page; the training thread goes
    on, the sidebar shows it, and the first run after it ends makes its model current."""
    open_page(app, "data")
    app.file_uploader[0].set_value(("orders.csv", small_export(), "text/csv")).run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    job, release = _job_left_running(app, tmp_path)
    open_page(app, "overview")
    assert_clean(app)
    assert any("Training the model" in (p.proto.text or "") for p in app.get("progress"))
    assert app.session_state["user_model"] is None
    assert any("being trained" in i.value for i in app.info)  # not "no model yet"
    open_page(app, "model")
    assert any("being trained" in i.value for i in app.info)
    train = next(b for b in app.get("form_submit_button") if b.label == "Train the model")
    assert train.disabled
    release.set()
    assert job.done.wait(120)
    open_page(app, "at_risk")  # the first run after it ended
    assert_clean(app)
    assert app.session_state["user_model"] is job.model
    assert app.session_state["training_job"] is None
    assert [t.value for t in app.toast] == ["Model trained"]
    assert not app.get("progress") or not any(
        "Training the model" in (p.proto.text or "") for p in app.get("progress")
    )
    assert app.dataframe[-1].value.shape[0] > 0  # the list of the new model


def test_a_training_of_replaced_files_is_not_used(app, tmp_path) -> None:
    job, release = _job_left_running(app, tmp_path, shop_key="files-since-replaced")
    release.set()
    assert job.done.wait(120)
    open_page(app, "overview")
    assert app.session_state["user_model"] is None
    assert any("files you have since replaced" in w.value for w in app.warning)


def test_score_new_data_shows_the_list_with_the_at_risk_lists_headers(app) -> None:
    """The list scored on *Score new data* reads like the at-risk list: people's words for
    its headers, not the engine's column names."""
    open_page(app, "score_new")
    assert [t.label for t in app.toggle] == ["Score as of a chosen date"]  # an event log's model
    app.file_uploader[1].set_value(("orders.csv", small_export(), "text/csv")).run()
    next(b for b in app.button if b.label == "Score").click().run()
    assert_clean(app)
    table = app.dataframe[-1]
    assert table.value.shape[0] > 0
    assert {"customer_id", "churn_probability", "risk_band", "reason_1"} <= set(table.value.columns)
    headers = {
        name: config.get("label")
        for name, config in json.loads(table.proto.columns).items()
        if isinstance(config, dict)
    }
    assert headers["customer_id"] == "Customer"
    assert headers["churn_probability"] == "Churn probability"
    assert headers["reason_1"] == "Reason 1"
    if "recency_days" in table.value.columns:
        assert headers["recency_days"] == "Days since active"


def test_broken_upload_shows_an_error_and_keeps_the_sample(app) -> None:
    open_page(app, "data")
    app.file_uploader[0].set_value(("broken.csv", bytes(range(256)) * 20, "text/csv")).run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    assert not app.exception
    assert len(app.error) >= 1
    assert any("sample shop" in i.value for i in app.info)
    open_page(app, "overview")
    assert_clean(app)


def test_in_chinese_an_upload_error_and_the_quality_report_are_chinese(app) -> None:
    def chinese(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    app.sidebar.selectbox[0].set_value("zh").run()
    open_page(app, "data")
    app.file_uploader[0].set_value(("broken.csv", bytes(range(256)) * 20, "text/csv")).run()
    next(b for b in app.button if b.label == "使用这些文件").click().run()
    assert not app.exception
    assert app.error and all(chinese(e.value) for e in app.error)

    app.file_uploader[0].set_value(("orders.csv", small_export(), "text/csv")).run()
    next(b for b in app.button if b.label == "使用这些文件").click().run()
    assert_clean(app)
    notes = [c.value for c in app.caption if "Order Date" in c.value]
    assert notes and all(chinese(n) for n in notes)  # e.g. how the time column was read


def test_the_list_writes_reasons_for_the_rows_a_filter_shows(monkeypatch) -> None:
    """The app explains only the top of its list at once; rows that a filter brings into
    view get their reasons when shown, the same reasons a full explanation writes."""
    import streamlit as st

    import churnlab.config
    import pages._shared as shared
    from churnlab.config import ScoringConfig
    from churnlab.ingest.loading import load_files
    from churnlab.pipeline import load_model, score
    from churnlab.sample import SAMPLE_MODEL_DIR, sample_paths

    tiny = ScoringConfig(max_explained=5, explain_sample=0)
    monkeypatch.setattr(churnlab.config, "APP_SCORING", tiny)
    monkeypatch.setattr(shared, "APP_SCORING", tiny)
    st.cache_data.clear()
    at = new_app()
    at.run()
    open_page(at, "at_risk")
    assert_clean(at)
    bands = next(m for m in at.multiselect if m.label == "Risk bands")
    bands.set_value(["Medium"]).run()
    assert_clean(at)
    shown = at.dataframe[-1].value
    assert len(shown) > 5 and any("first 5 customers" in c.value for c in at.caption)
    full = score(load_model(SAMPLE_MODEL_DIR), load_files(sample_paths())).frame
    expected = dict(zip(full["customer_id"], full["reason_1"], strict=True))
    first = shown.head(5)  # the view's first rows (as many as the list explains at once)
    assert first["rank"].min() > 5  # Medium customers: none of them in the list's top 5
    got = dict(zip(first["customer_id"], first["reason_1"], strict=True))
    assert all(got.values())
    assert got == {c: expected[c] for c in got}
    st.cache_data.clear()


def test_a_customer_table_trains_a_blended_model_and_says_so(app) -> None:
    """IBM's telecom churn export (tests/data/real_tables): a table, not an event log."""
    data = ROOT / "tests" / "data" / "real_tables" / "telco_churn.csv.gz"
    open_page(app, "data")
    app.file_uploader[0].set_value(("telco.csv", gzip.decompress(data.read_bytes()), "text/csv"))
    app.run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    assert_clean(app)
    open_page(app, "model")
    untrained = " ".join(c.value for c in app.sidebar.caption)
    assert "as the label column of your customer table says" in untrained  # before training too
    assert "no purchase" not in untrained
    next(b for b in app.button if b.label == "Train the model").click().run()
    assert_clean(app)
    model = app.session_state["user_model"]
    assert model.mode == "table" and model.document["params"]["linear_blend"] > 0
    assert next(s.value for s in app.subheader).endswith("on held-out customers")
    captions = " ".join(c.value for c in app.caption)
    assert "averages its trees with the logistic regression" in captions
    assert "as the label column of your customer table says" in captions
    assert "out-of-time" not in captions
    open_page(app, "performance")
    assert_clean(app)
    assert app.caption[0].value.startswith("All numbers come from customers held out of training")
    # a table's scores have no date: Score new data offers none
    open_page(app, "score_new")
    assert_clean(app)
    assert not [t for t in app.toggle if t.label == "Score as of a chosen date"]
    # segments of the table: its customers by one column, the label's churn rate beside the risk
    open_page(app, "retention")
    assert_clean(app)
    assert "Segments of your customer table" in [s.value for s in app.subheader]
    by = next(s for s in app.selectbox if s.label == "Group customers by")
    assert by.value == by.options[0] and {"Contract", "tenure"} <= set(by.options)
    by.set_value("Contract").run()
    assert_clean(app)
    segments = app.dataframe[-1].value
    assert list(segments["segment"]) == ["Month-to-month", "Two year", "One year"]  # by size
    table = pl.read_csv(io.BytesIO(gzip.decompress(data.read_bytes())))
    monthly = table.filter(pl.col("Contract") == "Month-to-month")
    assert segments["customers"].iloc[0] == monthly.height
    churned = (monthly.get_column("Churn") == "Yes").mean()
    assert segments["churn_rate"].iloc[0] == pytest.approx(churned)
    assert len(app.get("plotly_chart")) == 1
    # the table's MonthlyCharges is its spend: the planner plans, and the user can change it
    open_page(app, "at_risk")
    assert_clean(app)
    spend = next(s for s in app.selectbox if s.label == "Spend column")
    assert spend.value == "MonthlyCharges"
    assert next(s for s in app.selectbox if s.label == "The amount covers").value == "month"
    assert "Campaign planner" in [s.value for s in app.subheader]
    assert any("MonthlyCharges, an amount for a month" in c.value for c in app.caption)
    assert any("(× 12)" in c.value for c in app.caption)
    listing = app.dataframe[-1].value
    assert "customer_value" in listing.columns and listing["customer_value"].gt(0).any()
    # the campaign file with a control group, measured later on the table's churn label
    assert any(d.label == "Download the campaign file (CSV)" for d in app.get("download_button"))
    spend.set_value("").run()
    assert_clean(app)
    assert "Campaign planner" not in [s.value for s in app.subheader]
    assert [i.value for i in app.info] == [
        "The campaign planner needs each customer's spend: choose the column of your table that holds it."
    ]  # said once, by the Customer value row
    open_page(app, "overview")
    assert_clean(app)
    assert "Yearly spend at risk" not in [m.label for m in app.metric]
    assert any("On held-out customers, the model ranks" in c.value for c in app.caption)
    open_page(app, "at_risk")
    next(s for s in app.selectbox if s.label == "Spend column").set_value("TotalCharges").run()
    next(s for s in app.selectbox if s.label == "The amount covers").set_value("year").run()
    assert_clean(app)
    assert any(
        "TotalCharges, an amount for a year" in c.value and "(× 1)" in c.value for c in app.caption
    )
    open_page(app, "overview")
    assert "Yearly spend at risk" in [m.label for m in app.metric]
