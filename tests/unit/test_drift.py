"""Tests for churnlab.drift: training profiles, PSI and the drift report."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import polars as pl
import pytest

from churnlab.drift import (
    PSI_DRIFTED,
    PSI_EPSILON,
    PSI_MODERATE,
    DriftReport,
    drift_report,
    feature_profile,
    psi,
)
from churnlab.errors import ConfigError, DataError

NUMERIC = ["recency_days", "monetary", "frequency"]
CATEGORICAL = ["tier"]
FEATURES = [*NUMERIC, *CATEGORICAL]


def _shop(n: int, seed: int, *, shift: float = 0.0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    tiers = np.array(["bronze", "silver", "gold"])[rng.choice(3, n, p=[0.6, 0.3, 0.1])]
    monetary = rng.gamma(2.0, 50.0, n)
    monetary[rng.random(n) < 0.1] = np.nan  # some missing spend
    return pl.DataFrame(
        {
            "recency_days": rng.exponential(40.0, n) + shift,
            "monetary": monetary,
            "frequency": rng.poisson(2.0, n).astype(np.float64),
            "tier": tiers,
        }
    ).with_columns(pl.col("monetary").fill_nan(None))


@pytest.fixture(scope="module")
def train() -> pl.DataFrame:
    return _shop(4000, 1)


@pytest.fixture(scope="module")
def profile(train: pl.DataFrame) -> dict:
    return feature_profile(train, FEATURES, CATEGORICAL)


def _entry(report: DriftReport, name: str) -> dict:
    return next(f for f in report.features if f["name"] == name)


# --------------------------------------------------------------------------- profiles


def test_profile_is_json_safe_and_shares_add_up(profile: dict) -> None:
    loaded = json.loads(json.dumps(profile, allow_nan=False))
    assert loaded == profile
    for name, spec in profile["features"].items():
        total = spec["missing"] + (
            sum(spec["shares"])
            if spec["kind"] == "numeric"
            else sum(spec["categories"].values()) + spec["other"]
        )
        assert total == pytest.approx(1.0), name
    assert profile["features"]["monetary"]["missing"] == pytest.approx(0.1, abs=0.02)
    assert profile["features"]["tier"]["kind"] == "categorical"


def test_numeric_profile_uses_deciles(train: pl.DataFrame, profile: dict) -> None:
    spec = profile["features"]["recency_days"]
    frequency = drift_report(profile, train).features[2]
    assert frequency["bins"][:3] == ["< 0", "0", "0 – 1"]  # counts: below 0, exactly 0, 1
    values = np.sort(train["recency_days"].to_numpy())
    assert len(spec["edges"]) == 10  # just below the minimum + 9 deciles
    assert spec["edges"][0] < values[0]
    assert spec["edges"][5] == pytest.approx(np.quantile(values, 0.5), rel=1e-3)
    assert spec["shares"][0] == 0.0  # nothing below the training minimum
    assert spec["shares"][1:] == pytest.approx([0.1] * 10, abs=0.002)
    assert spec["mean"] == pytest.approx(float(values.mean()))


def test_constant_and_all_missing_columns() -> None:
    frame = pl.DataFrame(
        {"constant": [5.0] * 50, "empty": pl.Series([None] * 50, dtype=pl.Float64)}
    )
    profile = feature_profile(frame, ["constant", "empty"], [])
    json.dumps(profile, allow_nan=False)
    constant = profile["features"]["constant"]
    assert constant["edges"][-1] == 5.0 and constant["edges"][0] < 5.0
    assert constant["shares"] == [0.0, 1.0, 0.0]
    empty = profile["features"]["empty"]
    assert (empty["edges"], empty["missing"], empty["mean"]) == ([], 1.0, None)
    same = drift_report(profile, frame)
    assert same.drifted == [] and same.warnings == []
    moved = drift_report(profile, frame.with_columns(pl.lit(9.0).alias("constant")))
    assert moved.drifted == ["constant"]
    lower = drift_report(profile, frame.with_columns(pl.lit(1.0).alias("constant")))
    assert lower.drifted == ["constant"]  # values below the training minimum are seen too


def test_categories_keep_the_top_twenty_and_other() -> None:
    values = [f"c{i:02d}" for i in range(30) for _ in range(30 - i)]  # c00 most common
    frame = pl.DataFrame({"city": [*values, None]})
    spec = feature_profile(frame, ["city"], ["city"])["features"]["city"]
    n = len(values) + 1
    assert list(spec["categories"]) == [f"c{i:02d}" for i in range(20)]
    assert spec["other"] == pytest.approx(sum(30 - i for i in range(20, 30)) / n)
    assert spec["missing"] == pytest.approx(1 / n)
    assert len(spec["known"]) == 30


def test_profile_refuses_empty_or_incomplete_data(train: pl.DataFrame) -> None:
    with pytest.raises(DataError):
        feature_profile(train.head(0), FEATURES, CATEGORICAL)
    with pytest.raises(DataError, match="not_there"):
        feature_profile(train, [*FEATURES, "not_there"], CATEGORICAL)


# --------------------------------------------------------------------------- PSI


def test_psi_matches_a_hand_computed_case() -> None:
    expected = 0.25 * math.log(0.5 / 0.25) + 0.25 * math.log(0.75 / 0.5)
    assert psi(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(expected)
    assert psi(np.array([0.3, 0.7]), np.array([0.3, 0.7])) == 0.0


def test_report_psi_matches_a_hand_computed_case() -> None:
    train = pl.DataFrame({"x": [float(v) for v in range(1, 11)]})  # one value per decile bin
    profile = feature_profile(train, ["x"], [])
    assert profile["features"]["x"]["shares"] == [0.0] + [0.1] * 10
    new = pl.DataFrame({"x": [1.0] * 5 + [2.0, 3.0, 4.0, 5.0, 6.0]})
    entry = drift_report(profile, new).features[0]
    # bins: below 1 | 1 | 2 | ... | 9 | above 9 | missing
    assert entry["actual"] == pytest.approx([0.0, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0, 0])
    eps = PSI_EPSILON
    hand = (0.5 - 0.1) * math.log(0.5 / 0.1) + 4 * (eps - 0.1) * math.log(eps / 0.1)
    assert entry["psi"] == pytest.approx(hand)
    assert entry["status"] == "drifted"


# --------------------------------------------------------------------------- the report


def test_identical_data_is_stable(train: pl.DataFrame, profile: dict) -> None:
    report = drift_report(profile, train)
    assert [f["status"] for f in report.features] == ["stable"] * len(FEATURES)
    assert max(f["psi"] for f in report.features) == pytest.approx(0.0, abs=1e-12)
    assert report.drifted == [] and report.warnings == []
    assert report.rows == train.height


def test_a_fresh_sample_of_the_same_shop_is_stable(profile: dict) -> None:
    report = drift_report(profile, _shop(3000, 99))
    assert all(f["psi"] < PSI_MODERATE for f in report.features), report.features
    assert report.drifted == []


def test_a_shifted_feature_drifts_and_is_named_in_plain_words(profile: dict) -> None:
    new = _shop(3000, 7, shift=40.0)
    report = drift_report(profile, new, labels={"recency_days": "Days since the last order"})
    entry = _entry(report, "recency_days")
    assert entry["status"] == "drifted" and entry["psi"] >= PSI_DRIFTED
    assert entry["mean_now"] > entry["mean_train"] + 30
    assert report.drifted == ["recency_days"]
    words = "Days since the last order looks different from the training data"
    assert report.warnings == [f"{words} (PSI {entry['psi']:.2f})."]
    assert len(entry["bins"]) == len(entry["expected"]) == len(entry["actual"])


def test_moderate_drift_band(profile: dict, train: pl.DataFrame) -> None:
    new = train.with_columns(pl.col("recency_days") * 1.5)
    entry = _entry(drift_report(profile, new), "recency_days")
    assert PSI_MODERATE <= entry["psi"] < PSI_DRIFTED
    assert entry["status"] == "moderate"


def test_new_categories_are_reported(profile: dict, train: pl.DataFrame) -> None:
    tiers = train["tier"].to_list()
    tiers[:200] = ["platinum"] * 150 + ["vip"] * 50
    report = drift_report(profile, train.with_columns(pl.Series("tier", tiers)))
    entry = _entry(report, "tier")
    assert entry["new_categories"] == ["platinum", "vip"]
    assert entry["new_share"] == pytest.approx(200 / train.height)
    assert any("platinum, vip" in w and "never saw" in w for w in report.warnings)


def test_a_column_going_missing_counts_as_drift(profile: dict, train: pl.DataFrame) -> None:
    new = train.with_columns(
        pl.when(pl.int_range(pl.len()) % 2 == 0)
        .then(None)
        .otherwise(pl.col("frequency"))
        .alias("frequency")
    )
    report = drift_report(profile, new, threshold=0.2)
    entry = _entry(report, "frequency")
    assert entry["missing_change"] == pytest.approx(0.5)
    assert "frequency" in report.drifted
    assert any("missing for 50% of customers now" in w for w in report.warnings)


def test_an_absent_column_is_reported(profile: dict, train: pl.DataFrame) -> None:
    report = drift_report(profile, train.drop("monetary"))
    entry = _entry(report, "monetary")
    assert entry["status"] == "absent" and entry["psi"] is None
    assert report.drifted == ["monetary"]
    assert any("not in the new data" in w for w in report.warnings)


def test_warnings_in_chinese(profile: dict) -> None:
    report = drift_report(profile, _shop(2000, 3, shift=40.0), lang="zh")
    assert report.warnings and "PSI" in report.warnings[0] and "训练数据" in report.warnings[0]


def test_report_from_a_json_round_tripped_profile_is_the_same(
    profile: dict, train: pl.DataFrame
) -> None:
    new = _shop(1000, 5, shift=10.0)
    direct = drift_report(profile, new)
    stored = drift_report(json.loads(json.dumps(profile)), new)
    assert [f["psi"] for f in stored.features] == [f["psi"] for f in direct.features]


def test_report_refuses_bad_profile_and_empty_data(profile: dict, train: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="profile"):
        drift_report({"features": []}, train)
    with pytest.raises(DataError, match="profile"):
        drift_report({**profile, "version": 99}, train)
    with pytest.raises(DataError, match="no customers"):
        drift_report(profile, train.head(0))
    with pytest.raises(ConfigError, match="threshold"):
        drift_report(profile, train, threshold=0)


@pytest.mark.slow
def test_large_frame_is_fast() -> None:
    rng = np.random.default_rng(0)
    n = 200_000
    columns = {f"n{i}": rng.normal(size=n) for i in range(90)}
    columns.update({f"c{i}": rng.choice(["a", "b", "c", "d"], n) for i in range(10)})
    frame = pl.DataFrame(columns)
    categorical = [f"c{i}" for i in range(10)]
    start = time.perf_counter()
    profile = feature_profile(frame, list(columns), categorical)
    report = drift_report(profile, frame)
    assert report.drifted == []
    assert time.perf_counter() - start < 20  # ~2 s on a busy 2-core machine
