"""The control group at export and the campaign file that comes back."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from churnlab.config import CampaignConfig
from churnlab.errors import ConfigError, DataError
from churnlab.holdout import (
    assign_groups,
    build_campaign,
    campaign_csv_bytes,
    detectable_difference,
    pseudonymise_campaign,
    read_campaign,
)

AS_OF = dt.date(2026, 3, 1)
DOCUMENT = {
    "trained_at": "2026-02-01T00:00:00+00:00",
    "feature_names": ["recency_days"],
    "base_rate": 0.3,
    "metrics": {"model": {"roc_auc": 0.8}},
}


def plan_frame(n: int = 400, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    return pl.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "churn_probability": p,
            "risk_band": np.where(p > 0.6, "High", np.where(p > 0.2, "Medium", "Low")),
            "customer_value": rng.gamma(2.0, 100.0, n),
            "expected_net_gain": rng.normal(0, 10, n),
            "planned": p > 0.3,
        }
    )


def campaign(share: float = 0.2, n: int = 400):
    return build_campaign(
        plan_frame(n),
        config=CampaignConfig(control_share=share),
        as_of=AS_OF,
        horizon_days=60,
        activity=("purchase",),
        lookback_days=365,
        model_document=DOCUMENT,
    )


def test_groups_are_seeded_stratified_and_only_among_the_selected() -> None:
    frame = plan_frame()
    ids, bands, selected = (
        frame["customer_id"].to_numpy(),
        frame["risk_band"].to_numpy(),
        frame["planned"].to_numpy(),
    )
    groups = assign_groups(ids, bands, selected, 0.25, seed=3)
    assert set(groups[~selected]) == {"not_selected"}
    for band in ("High", "Medium"):
        members = selected & (bands == band)
        assert (groups[members] == "control").sum() == int(0.25 * members.sum() + 0.5)
    # the same seed gives the same split whatever the row order
    order = np.random.default_rng(0).permutation(len(ids))
    again = assign_groups(ids[order], bands[order], selected[order], 0.25, seed=3)
    assert (again == groups[order]).all()
    other = assign_groups(ids, bands, selected, 0.25, seed=4)
    assert (other != groups).any()


def test_detectable_difference_matches_the_textbook_formula() -> None:
    # 1000 vs 1000 at 50 %: (1.96 + 0.84) * sqrt(0.25 * 0.002) = 0.0626
    assert detectable_difference(1000, 1000, 0.5) == pytest.approx(0.0626, abs=5e-4)
    assert detectable_difference(1000, 0, 0.5) is None
    assert detectable_difference(1000, 100, 0.5) > detectable_difference(1000, 1000, 0.5)


def test_control_share_is_a_validated_setting() -> None:
    assert CampaignConfig().control_share == 0.10
    with pytest.raises(ConfigError):
        CampaignConfig(control_share=0.95).validate()


def test_the_campaign_file_round_trips_with_its_facts() -> None:
    built = campaign()
    data = campaign_csv_bytes(built)
    assert data.startswith(b"\xef\xbb\xbfchurnlab campaign file,1\n")
    back = read_campaign(data)
    assert back.facts == built.facts
    assert back.as_of == AS_OF and back.horizon_days == 60 and back.activity == ("purchase",)
    assert back.frame["customer_id"].to_list() == built.frame["customer_id"].to_list()
    assert set(back.frame["group"]) == {"treatment", "control", "not_selected"}
    assert back.frame.height == 400  # every customer scored
    assert float(back.facts["detectable_difference"]) > 0


def test_pseudonymised_campaign_keeps_a_salt_check_and_reads_back() -> None:
    built = pseudonymise_campaign(campaign(), "secret")
    back = read_campaign(campaign_csv_bytes(built))
    assert back.facts["pseudonymised"] == "yes" and back.facts["salt_check"]
    assert not back.frame["customer_id"].str.starts_with("C").any()


def _edit(data: bytes, old: str, new: str, count: int = 1) -> bytes:
    return data.decode("utf-8-sig").replace(old, new, count).encode("utf-8")


def test_edited_groups_missing_columns_and_foreign_files_are_refused() -> None:
    data = campaign_csv_bytes(campaign())
    flipped = _edit(data, ",control,", ",treatment,")
    with pytest.raises(DataError, match="edited"):
        read_campaign(flipped)
    with pytest.raises(DataError, match="groups churnlab does not know"):
        read_campaign(_edit(data, ",control,", ",vip,"))
    without_band = _edit(data, "risk_band", "band")
    with pytest.raises(DataError, match="lacks the columns risk_band"):
        read_campaign(without_band)
    with pytest.raises(DataError, match="not a churnlab campaign file"):
        read_campaign(b"customer_id,group\nC1,treatment\n")
    with pytest.raises(DataError, match="campaign facts"):
        read_campaign(_edit(data, "groups_digest,", "digest,"))
