"""The command line end to end on a small generated shop: sample, inspect, train, score, report."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import fastexcel
import polars as pl
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

FAST = ["--tuning-seconds", "600", "--max-trials", "3", "--seed", "7"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "churnlab", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    out = tmp_path_factory.mktemp("shop")
    result = run("sample", "--out", str(out), "--customers", "400", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def model(shop, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "bundle"
    result = run(
        "train",
        str(shop / "events.parquet"),
        str(shop / "customers.parquet"),
        "--out",
        str(out),
        *FAST,
    )
    assert result.returncode == 0, result.stderr
    assert "recency" in result.stdout and "rfm_logistic" in result.stdout
    assert "evaluation cut-off" in result.stdout
    return out


def test_inspect_json_has_the_contract_keys(shop) -> None:
    result = run("inspect", str(shop / "events.parquet"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"kind", "rows", "columns", "roles", "problems"} <= set(data)
    assert data["kind"] == "events"
    assert data["roles"]["customer_id"] == "customer_id"
    assert data["rows"] == pl.read_parquet(shop / "events.parquet").height


def test_bundle_holds_exactly_the_three_files(model) -> None:
    assert sorted(p.name for p in model.iterdir()) == ["bundle.json", "manifest.json", "model.ubj"]
    document = json.loads((model / "bundle.json").read_text(encoding="utf-8"))
    assert document["format_version"] == 1
    assert document["feature_names"] and document["metrics"]["model"]["roc_auc"] > 0.5
    assert document["training"]["search_up_to_rows"] == 200_000  # big shops skip the search


def test_score_writes_the_ranked_list(shop, model, tmp_path) -> None:
    out = tmp_path / "list.csv"
    result = run("score", str(model), str(shop / "events.parquet"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(io.BytesIO(data[3:]))
    assert frame.columns[:7] == [
        "customer_id",
        "churn_probability",
        "risk_band",
        "rank",
        "reason_1",
        "reason_2",
        "reason_3",
    ]
    probability = frame.get_column("churn_probability").to_list()
    assert probability == sorted(probability, reverse=True)
    assert frame.get_column("rank").to_list() == list(range(1, frame.height + 1))
    assert set(frame.get_column("risk_band").unique()) <= {"High", "Medium", "Low"}


def test_same_data_and_seed_give_a_byte_identical_score_file(shop, model, tmp_path) -> None:
    again = tmp_path / "again"
    result = run(
        "train",
        str(shop / "events.parquet"),
        str(shop / "customers.parquet"),
        "--out",
        str(again),
        *FAST,
    )
    assert result.returncode == 0, result.stderr
    outputs = []
    for bundle in (model, again):
        out = tmp_path / f"{bundle.name}.csv"
        assert (
            run("score", str(bundle), str(shop / "events.parquet"), "--out", str(out)).returncode
            == 0
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_campaign_options_add_columns_and_select_the_plan(shop, model, tmp_path) -> None:
    out = tmp_path / "plan.xlsx"
    result = run(
        "score", str(model), str(shop / "events.parquet"), "--out", str(out),
        "--budget", "500", "--margin", "30", "--save-rate", "0.2", "--offer-cost", "10",
        "--campaign-only", "--pseudonymize", "secret",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reader = fastexcel.read_excel(out.read_bytes())
    assert reader.sheet_names == ["Customers", "About"]
    sheet = reader.load_sheet(0).to_polars()
    for column in ("customer_value", "expected_net_gain", "recommended_action"):
        assert column in sheet.columns
    assert sheet.height > 0
    assert sheet.get_column("expected_net_gain").min() > 0
    ids = pl.read_parquet(shop / "events.parquet").get_column("customer_id").unique().to_list()
    assert not set(sheet.get_column("customer_id").to_list()) & set(ids)


def test_report_is_one_self_contained_html_file(shop, model, tmp_path) -> None:
    out = tmp_path / "report.html"
    result = run(
        "report", str(model), str(shop / "events.parquet"), "--out", str(out), "--lang", "zh"
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert html.count("Plotly.newPlot") >= 4
    assert "客户流失报告" in html


def labelled_table(path, rows: int = 600) -> None:
    """A Telco-like table whose churn follows tenure, contract and charges (seeded)."""
    import numpy as np

    rng = np.random.default_rng(11)
    tenure = rng.integers(1, 72, rows)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], rows)
    charges = rng.uniform(20, 120, rows).round(2)
    logit = 1.0 - 0.05 * tenure + (contract == "Month-to-month") * 1.2 + 0.01 * charges
    churn = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "Yes", "No")
    pl.DataFrame(
        {
            "customerID": [f"{i:04d}-ABCD" for i in range(rows)],
            "tenure": tenure,
            "Contract": contract,
            "MonthlyCharges": charges,
            "Churn": churn,
        }
    ).write_csv(path)


def test_labelled_customer_table_trains_and_scores(tmp_path) -> None:
    table = tmp_path / "telco.csv"
    labelled_table(table)
    bundle = tmp_path / "telco"
    result = run("train", str(table), "--out", str(bundle), *FAST, "--full-search")
    assert result.returncode == 0, result.stderr
    assert "Labelled customer table" in result.stdout
    document = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
    assert document["training"]["search_up_to_rows"] is None  # --full-search
    out = tmp_path / "telco-scores.csv"
    assert run("score", str(bundle), str(table), "--out", str(out)).returncode == 0
    scored = pl.read_csv(io.BytesIO(out.read_bytes()[3:]))
    assert scored.height == pl.read_csv(table).height
    assert scored.get_column("customer_id").n_unique() == scored.height
    # MonthlyCharges is taken as each customer's spend: a year of it is the list's monetary
    charges = dict(pl.read_csv(table).select("customerID", "MonthlyCharges").iter_rows())
    for customer, spend in scored.select("customer_id", "monetary").head(20).iter_rows():
        assert spend == pytest.approx(12 * charges[customer], abs=0.01)
    # a campaign on the table, with the spend read as yearly instead
    planned = tmp_path / "telco-campaign.csv"
    result = run(
        "score", str(bundle), str(table), "--out", str(planned), "--budget", "500",
        "--spend-column", "MonthlyCharges", "--spend-period", "year",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Campaign: contact ")
    plan = pl.read_csv(io.BytesIO(planned.read_bytes()[3:]))
    first = plan.row(0, named=True)
    assert first["customer_value"] == pytest.approx(charges[first["customer_id"]], abs=0.01)
    assert "recommended_action" in plan.columns
    # a campaign file for the table, measured later on the table's labels
    campaign = tmp_path / "telco-campaign-file.csv"
    result = run(
        "score", str(bundle), str(table), "--out", str(campaign), "--control-share", "0.3",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(treatment), hold back" in result.stdout
    written = campaign.read_text(encoding="utf-8-sig")
    assert "\noutcome,label\n" in written
    header = written.split("\n\n", 1)[1].splitlines()[0].split(",")
    assert {"tenure", "MonthlyCharges"} <= set(header)  # the uplift model learns from them
    from churnlab.holdout import read_campaign
    from churnlab.uplift import uplift_features

    features = uplift_features(read_campaign(campaign).frame)
    assert features[:2] == ["churn_probability", "customer_value"]
    assert {"tenure", "MonthlyCharges"} <= set(features) and "expected_net_gain" not in features
    result = run("results", str(campaign), str(table), "--json")
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["control"]["customers"] > 0 and measured["complete"] is True
    # a column that is no spend is refused in one line
    result = run(
        "score", str(bundle), str(table), "--out", str(planned), "--spend-column", "Contract"
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "“Contract” cannot be the customers' spend" in result.stderr


def test_user_errors_are_one_line_and_exit_2(tmp_path) -> None:
    result = run("train", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    result = run("score", "--top", "x")
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_spend_column_is_refused_for_an_event_log_model(shop, model, tmp_path) -> None:
    out = tmp_path / "list.csv"
    result = run(
        "score", str(model), str(shop / "events.parquet"), "--out", str(out),
        "--spend-column", "amount",
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "--spend-column is for a model of a customer table" in result.stderr
    assert not out.exists()
