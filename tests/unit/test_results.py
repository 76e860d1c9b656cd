"""Measuring a campaign: treatment against control, intervals, the backtest, errors, the CLI."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from churnlab.cli import main
from churnlab.config import CampaignConfig
from churnlab.errors import DataError
from churnlab.holdout import (
    build_campaign,
    campaign_csv_bytes,
    pseudonymise_campaign,
    read_campaign,
)
from churnlab.results import difference_interval, measure, wilson

AS_OF = dt.date(2026, 3, 1)
HORIZON = 60
DOCUMENT = {
    "trained_at": "2026-02-01T00:00:00+00:00",
    "feature_names": ["recency_days"],
    "base_rate": 0.4,
    "metrics": {"model": {"roc_auc": 0.95}},
}


def planned_campaign(n: int, seed: int, share: float, ids: str = "C{:05d}", **timing):
    """A plan of n customers (risk drawn from a beta, the top 70 % planned) made into a
    campaign file; ``timing`` is ``build_campaign``'s as_of / horizon_days / outcome."""
    rng = np.random.default_rng(seed)
    p0 = np.clip(rng.beta(2, 3, n), 0.05, 0.95)
    frame = pl.DataFrame(
        {
            "customer_id": [ids.format(i) for i in range(n)],
            "churn_probability": p0,
            "risk_band": np.where(p0 > 0.5, "High", np.where(p0 > 0.2, "Medium", "Low")),
            "customer_value": np.full(n, 500.0),
            "planned": p0 > np.quantile(p0, 0.3),
        }
    )
    campaign = build_campaign(
        frame,
        config=CampaignConfig(control_share=share),
        **({"as_of": AS_OF, "horizon_days": HORIZON} | timing),
        activity=("purchase",),
        lookback_days=365,
        model_document=DOCUMENT,
        seed=seed,
    )
    return campaign, p0, rng


def simulate(n: int, effect: float, seed: int, share: float = 0.5, days: int = HORIZON):
    """A campaign over n customers; treated customers churn ``effect`` less (absolute).

    Returns the campaign file, the later events, and each customer's true churn chance
    without the offer.
    """
    campaign, p0, rng = planned_campaign(n, seed, share)
    groups = campaign.frame["group"].to_numpy()
    p = np.where(groups == "treatment", np.clip(p0 - effect, 0, 1), p0)
    stays = rng.random(n) >= p
    day = rng.integers(0, days, n)
    ids = campaign.frame["customer_id"].to_numpy()
    start = dt.datetime.combine(AS_OF, dt.time())
    events = pl.DataFrame(
        {
            "customer_id": np.concatenate([ids[stays], ids]),
            "timestamp": [start + dt.timedelta(days=int(d), hours=3) for d in day[stays]]
            + [start - dt.timedelta(days=5)] * n,  # everyone was active before the campaign
            "event_type": ["purchase"] * int(stays.sum()) + ["purchase"] * n,
            "amount": np.full(int(stays.sum()) + n, 100.0),
        }
    )
    return campaign, events, p0


def test_wilson_and_newcombe_match_published_values() -> None:
    # Newcombe (1998), table II, example (a): 56/70 - 48/80 -> 0.2 (0.0524, 0.3339)
    d, low, high = difference_interval(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=1e-3) and high == pytest.approx(0.3339, abs=1e-3)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)


def test_the_interval_covers_the_true_uplift_in_at_least_90_percent_of_campaigns() -> None:
    covered = 0
    runs = 200
    for seed in range(runs):
        effect = 0.08
        campaign, events, p0 = simulate(300, effect, seed)
        result = measure(campaign, events)
        groups = campaign.frame["group"].to_numpy()
        selected = groups != "not_selected"
        true_uplift = float(np.mean(p0[selected] - np.clip(p0[selected] - effect, 0, 1)))
        u = result.summary["uplift"]
        covered += u["low"] <= true_uplift <= u["high"]
    assert covered / runs >= 0.90


def test_a_strong_effect_gives_a_positive_verdict_and_no_effect_an_honest_one() -> None:
    campaign, events, _ = simulate(4000, 0.15, seed=7)
    strong = measure(campaign, events)
    assert strong.summary["uplift"]["low"] > 0
    assert strong.verdict.key == "results.verdict.lowered"
    assert "lowered churn by" in strong.verdict.text("en")
    assert "降低" in strong.verdict.text("zh")
    assert strong.summary["customers_kept"]["estimate"] > 0
    save = strong.summary["save_rate"]
    assert 0 < save["low"] < save["estimate"] < save["high"]

    campaign, events, _ = simulate(300, 0.0, seed=8, share=0.1)
    none = measure(campaign, events)
    if none.summary["uplift"]["low"] <= 0 <= none.summary["uplift"]["high"]:
        assert none.verdict.key == "results.verdict.unclear"
        assert "could detect a difference of" in none.verdict.text("en")


def test_counts_per_group_and_band_add_up() -> None:
    campaign, events, _ = simulate(500, 0.1, seed=2)
    result = measure(campaign, events)
    t, c = result.summary["treatment"], result.summary["control"]
    groups = campaign.frame["group"]
    assert t["customers"] == int((groups == "treatment").sum())
    assert c["customers"] == int((groups == "control").sum())
    assert sum(b["treatment"]["customers"] for b in result.bands) == t["customers"]
    assert t["churn_rate"] == pytest.approx(t["churned"] / t["customers"])


def test_backtest_auc_is_independent_and_never_uses_treated_customers() -> None:
    campaign, events, _ = simulate(800, 0.3, seed=4)
    result = measure(campaign, events)
    out = result.outcomes
    untouched = out.filter(pl.col("group") != "treatment")
    expected = roc_auc_score(untouched["churned"].to_numpy(), untouched["churn_probability"])
    assert result.backtest["roc_auc"] == pytest.approx(expected, abs=1e-9)
    assert result.backtest["customers"] == untouched.height
    # changing the treated customers' outcomes does not move the backtest
    treated = campaign.frame.filter(pl.col("group") == "treatment")["customer_id"]
    fewer = events.filter(
        ~pl.col("customer_id").is_in(treated.implode())
        | (pl.col("timestamp") < dt.datetime.combine(AS_OF, dt.time()))
    )
    again = measure(campaign, fewer)
    assert again.backtest["roc_auc"] == pytest.approx(result.backtest["roc_auc"], abs=1e-12)
    assert again.summary["treatment"]["churn_rate"] == 1.0


def test_a_model_far_worse_than_reported_is_flagged_stale() -> None:
    campaign, events, _ = simulate(600, 0.0, seed=5)
    # DOCUMENT reports 0.95 out of time; the simulated scores are only mildly informative
    result = measure(campaign, events)
    assert result.backtest["stale"]
    assert any(note.key == "results.stale" for note in result.notes)


def test_a_horizon_not_yet_over_says_how_much_is_observed() -> None:
    campaign, events, _ = simulate(400, 0.1, seed=3)
    cut = dt.datetime.combine(AS_OF, dt.time()) + dt.timedelta(days=20)
    partial = measure(campaign, events.filter(pl.col("timestamp") < cut))
    assert partial.summary["observed_days"] == 20 and not partial.summary["complete"]
    assert partial.verdict.key.endswith(".partial")
    assert any(note.key == "results.partial" for note in partial.notes)


def test_exports_that_cannot_measure_the_campaign_give_clear_errors() -> None:
    campaign, events, _ = simulate(200, 0.1, seed=1)
    other = events.with_columns(pl.lit("X999").alias("customer_id"))
    with pytest.raises(DataError, match="None of the campaign's customers"):
        measure(campaign, other)
    early = events.filter(pl.col("timestamp") < dt.datetime.combine(AS_OF, dt.time()))
    with pytest.raises(DataError, match="before the campaign date"):
        measure(campaign, early)
    no_control, events, _ = simulate(200, 0.1, seed=1, share=0.0)
    with pytest.raises(DataError, match="no control group"):
        measure(no_control, events)


def test_a_pseudonymised_campaign_needs_its_salt() -> None:
    campaign, events, _ = simulate(300, 0.1, seed=6)
    hidden = read_campaign(campaign_csv_bytes(pseudonymise_campaign(campaign, "s3cret")))
    with pytest.raises(DataError, match="pseudonyms"):
        measure(hidden, events)
    with pytest.raises(DataError, match="not the one"):
        measure(hidden, events, salt="wrong")
    plain = measure(campaign, events).summary["uplift"]
    assert measure(hidden, events, salt="s3cret").summary["uplift"] == plain


def test_cli_results_json_contract_and_errors(tmp_path, capsys) -> None:
    campaign, events, _ = simulate(600, 0.15, seed=9)
    campaign_path = tmp_path / "campaign.csv"
    campaign_path.write_bytes(campaign_csv_bytes(campaign))
    export = tmp_path / "later.csv"
    events.write_csv(export)
    assert main(["results", str(campaign_path), str(export), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for group in ("treatment", "control"):
        assert {"customers", "churned", "churn_rate"} <= set(out[group])
    assert out["uplift"]["estimate"] == pytest.approx(
        out["control"]["churn_rate"] - out["treatment"]["churn_rate"]
    )
    assert out["uplift"]["low"] < out["uplift"]["estimate"] < out["uplift"]["high"]
    assert out["observed_days"] == HORIZON
    assert out["backtest"]["customers"] > 0 and 0 < out["backtest"]["roc_auc"] < 1

    assert main(["results", str(campaign_path), str(export)]) == 0
    assert "uplift (control − treatment)" in capsys.readouterr().out

    edited = tmp_path / "edited.csv"
    edited.write_text(
        campaign_path.read_text(encoding="utf-8-sig").replace(",control,", ",treatment,", 1),
        encoding="utf-8",
    )
    assert main(["results", str(edited), str(export)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "edited" in err[0]


def test_cli_results_refuses_another_shop_and_missing_columns_in_one_line(tmp_path, capsys) -> None:
    campaign, events, _ = simulate(300, 0.1, seed=10)
    campaign_path = tmp_path / "campaign.csv"
    campaign_path.write_bytes(campaign_csv_bytes(campaign))
    other = tmp_path / "other_shop.csv"
    events.with_columns(pl.lit("Z1").alias("customer_id")).write_csv(other)
    no_band = tmp_path / "no_band.csv"
    no_band.write_text(
        campaign_path.read_text(encoding="utf-8-sig").replace("risk_band", "band", 1),
        encoding="utf-8",
    )
    export = tmp_path / "later.csv"
    events.write_csv(export)
    for argv, words in (
        ([str(campaign_path), str(other)], "another shop"),
        ([str(no_band), str(export)], "lacks the columns risk_band"),
        ([str(export), str(export)], "not a churnlab campaign file"),
    ):
        assert main(["results", *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and words in err[0], err


def table_campaign(n: int, effect: float, seed: int, share: float = 0.5):
    """A customer table's campaign (outcome: the label of a later table) and that later
    table, in IBM's shape (``customerID``, ``Churn`` Yes/No), as a marketer would export it."""
    from churnlab.holdout import OUTCOME_LABEL

    campaign, p0, rng = planned_campaign(
        n, seed, share, "{:04d}-TBL", horizon_days=0, outcome=OUTCOME_LABEL
    )
    groups = campaign.frame["group"].to_numpy()
    churned = rng.random(n) < np.where(groups == "treatment", np.clip(p0 - effect, 0, 1), p0)
    later = pl.DataFrame(
        {
            "customerID": campaign.frame["customer_id"],
            "tenure": rng.integers(1, 72, n),
            "Churn": np.where(churned, "Yes", "No"),
        }
    )
    return campaign, later


def _labelled(later: pl.DataFrame) -> pl.DataFrame:
    return later.rename({"customerID": "customer_id", "Churn": "label"}).with_columns(
        (pl.col("label") == "Yes").cast(pl.Int8)
    )


def test_a_table_campaign_is_measured_on_the_later_tables_label() -> None:
    campaign, later = table_campaign(3000, 0.2, seed=4)
    back = read_campaign(campaign_csv_bytes(campaign))
    assert back.measured_by_label and back.facts["horizon_days"] == "0"
    table = _labelled(later)
    results = measure(back, None, table=table)
    s = results.summary
    assert s["complete"] and results.verdict.key == "results.verdict.lowered"
    truth = back.frame.join(table, on="customer_id")
    for group in ("treatment", "control"):
        part = truth.filter(pl.col("group") == group)
        assert s[group]["customers"] == part.height
        assert s[group]["churned"] == int(part["label"].sum())
    assert results.backtest is not None and results.backtest["roc_auc"] > 0.6
    assert "results.missing_customers" not in [n.key for n in results.notes]
    # a later table without some customers: they are left out, and a note says how many
    fewer = measure(back, None, table=table.slice(100))
    assert fewer.outcomes.height == 2900
    missing = [n for n in fewer.notes if n.key == "results.missing_customers"]
    assert "100 of the campaign's 3000 customers" in missing[0].text("en")
    # without a label, or with an event log only: said plainly
    with pytest.raises(DataError, match="later export of the table with its churn label"):
        measure(back, None, table=table.drop("label"))
    with pytest.raises(DataError, match="later export of the table with its churn label"):
        measure(back, pl.DataFrame({"customer_id": ["x"], "timestamp": [dt.datetime(2026, 4, 1)]}))


def test_an_event_log_campaign_file_is_as_before() -> None:
    campaign, _, _ = simulate(200, 0.1, seed=2)
    assert "outcome" not in campaign.facts and not campaign.measured_by_label


def test_cli_results_reads_a_later_customer_table(tmp_path, capsys) -> None:
    campaign, later = table_campaign(2000, 0.2, seed=5)
    campaign_path = tmp_path / "campaign.csv"
    campaign_path.write_bytes(campaign_csv_bytes(campaign))
    export = tmp_path / "telco-next-month.csv"
    later.write_csv(export)
    assert main(["results", str(campaign_path), str(export), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    selected = int(campaign.facts["treatment"]) + int(campaign.facts["control"])
    assert out["treatment"]["customers"] + out["control"]["customers"] == selected
    churn = dict(later.select("customerID", "Churn").iter_rows())
    frame = campaign.frame.filter(pl.col("group") == "control")
    control_churned = sum(churn[c] == "Yes" for c in frame["customer_id"])
    assert out["control"]["churned"] == control_churned
    assert out["uplift"]["low"] > 0  # the offer worked, and the later table shows it
    assert main(["results", str(campaign_path), str(export)]) == 0
    assert "churn labels in the later table" in capsys.readouterr().out
    from churnlab.results_report import results_section_html

    html = results_section_html(measure(read_campaign(campaign_path), None, table=_labelled(later)))
    assert "Customers in the later table" in html and "Days observed" not in html
    events = tmp_path / "events.csv"
    pl.DataFrame({"customer_id": ["0001-TBL"], "date": ["2026-04-01"], "amount": [10.0]}).write_csv(
        events
    )
    assert main(["results", str(campaign_path), str(events)]) == 2
    assert "later export of the table" in capsys.readouterr().err
