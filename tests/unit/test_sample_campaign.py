"""The sample shop's past campaign: reproducible, with a known effect the results find."""

from __future__ import annotations

import polars as pl
import pytest

from churnlab.cli import main
from churnlab.holdout import read_campaign
from churnlab.ingest.loading import load_files
from churnlab.results import measure
from churnlab.sample import SAMPLE_DIR
from churnlab.sample_campaign import (
    CAMPAIGN_DATE,
    CAMPAIGN_DIR,
    sample_campaign_paths,
    sample_truth,
    write_sample_campaign,
)

REGENERATE = (
    "regenerate: python -c 'from churnlab.sample_campaign import *; write_sample_campaign()'"
)


@pytest.fixture(scope="module")
def sample_results():
    campaign_path, export_path = sample_campaign_paths()
    campaign = read_campaign(campaign_path)
    return campaign, measure(campaign, load_files([export_path]).events)


def test_the_committed_campaign_is_what_the_generator_makes(tmp_path) -> None:
    paths = write_sample_campaign(tmp_path)
    for path in paths:
        committed = CAMPAIGN_DIR / path.name
        if path.suffix == ".parquet":
            assert pl.read_parquet(path).equals(pl.read_parquet(committed)), REGENERATE
        else:
            assert path.read_bytes() == committed.read_bytes(), REGENERATE


def test_the_sample_campaign_is_one_horizon_before_the_end_with_a_control_group(
    sample_results,
) -> None:
    campaign, _ = sample_results
    assert campaign.as_of == CAMPAIGN_DATE
    groups = campaign.frame["group"].value_counts()
    counts = dict(groups.iter_rows())
    assert counts["treatment"] >= 300 and counts["control"] >= 300
    assert counts["not_selected"] > 0


def test_results_on_the_sample_find_the_known_effect(sample_results) -> None:
    _, result = sample_results
    truth = sample_truth()
    u = result.summary["uplift"]
    assert u["low"] > 0, "the sample campaign shows a real effect"
    assert u["low"] <= truth["true_uplift_selected"] <= u["high"]
    assert result.summary["complete"] and result.summary["observed_days"] == 90
    assert result.verdict.key == "results.verdict.lowered"
    assert result.backtest is not None and result.backtest["roc_auc"] > 0.75


def test_the_later_export_only_changes_treated_customers() -> None:
    _, export_path = sample_campaign_paths()
    campaign = read_campaign(sample_campaign_paths()[0])
    after = pl.read_parquet(export_path)
    original = pl.read_parquet(SAMPLE_DIR / "events.parquet").filter(
        pl.col("timestamp") >= pl.lit(CAMPAIGN_DATE).cast(pl.Datetime("us"))
    )
    untouched = campaign.frame.filter(pl.col("group") != "treatment")["customer_id"].implode()
    mine = after.filter(pl.col("customer_id").is_in(untouched)).sort("timestamp", "customer_id")
    theirs = original.filter(pl.col("customer_id").is_in(untouched)).sort(
        "timestamp", "customer_id"
    )
    assert mine.equals(theirs.select(mine.columns))
    assert after.height != original.height


def test_cli_score_writes_a_campaign_file_with_groups(tmp_path, capsys) -> None:
    out = tmp_path / "campaign.csv"
    code = main(
        [
            "score",
            str(SAMPLE_DIR / "model"),
            str(SAMPLE_DIR / "events.parquet"),
            str(SAMPLE_DIR / "customers.parquet"),
            "--campaign-only",
            "--control-share",
            "0.1",
            "--budget",
            "5000",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "detectable difference" in capsys.readouterr().out
    campaign = read_campaign(out)
    assert {"customer_id", "group", "churn_probability", "risk_band"} <= set(campaign.frame.columns)
    assert set(campaign.frame["group"]) == {"treatment", "control", "not_selected"}
    selected = campaign.frame.filter(pl.col("group") != "not_selected").height
    control = campaign.frame.filter(pl.col("group") == "control").height
    assert abs(control - 0.1 * selected) <= 3  # rounded per band
    assert campaign.facts["model_fingerprint"] and campaign.facts["horizon_days"] == "90"

    bad = main(
        [
            "score",
            str(SAMPLE_DIR / "model"),
            str(SAMPLE_DIR / "events.parquet"),
            *("--control-share", "0.1", "--out", str(tmp_path / "c.xlsx")),
        ]
    )
    assert bad == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "CSV" in err[0]


def test_the_report_gains_the_campaign_results_section(sample_results, tmp_path) -> None:
    from churnlab.pipeline import load_model, score
    from churnlab.report import render_report_html
    from churnlab.sample import sample_paths

    trained = load_model(SAMPLE_DIR / "model")
    scored = score(trained, load_files(sample_paths()))
    _, results = sample_results
    without = render_report_html(trained, scored, None, lang="en")
    assert "Campaign results" not in without
    english = render_report_html(trained, scored, None, lang="en", results=results)
    assert "Campaign results (campaign of 2026-08-03)" in english
    assert "The campaign lowered churn by" in english
    chinese = render_report_html(trained, scored, None, lang="zh", results=results)
    assert "活动效果（2026-08-03 的活动）" in chinese and "降低了" in chinese

    out = tmp_path / "report.html"
    campaign_path, _ = sample_campaign_paths()
    argv = ["report", str(SAMPLE_DIR / "model"), *map(str, sample_paths())]
    assert main([*argv, "--campaign", str(campaign_path), "--out", str(out)]) == 0
    assert "Campaign results (campaign of 2026-08-03)" in out.read_text(encoding="utf-8")
