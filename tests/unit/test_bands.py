"""Tests for churnlab.bands: odds-based thresholds, monotonic bands, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from churnlab.bands import BAND_COLOURS, BAND_ORDER, band_thresholds, risk_bands
from churnlab.errors import ConfigError, DataError


@pytest.mark.parametrize(
    ("base_rate", "low_upper", "high_lower"),
    [(0.10, 1 / 28, 0.25), (0.80, 4 / 7, 12 / 13)],  # 3.6 %, 25 %; 57.1 %, 92.3 %
)
def test_thresholds_match_the_documented_numbers(
    base_rate: float, low_upper: float, high_lower: float
) -> None:
    low, high = band_thresholds(base_rate, 3.0)
    assert low == pytest.approx(low_upper, abs=1e-12)
    assert high == pytest.approx(high_lower, abs=1e-12)


def test_thresholds_rounded_as_the_docs_say() -> None:
    assert [round(x * 100, 1) for x in band_thresholds(0.10)] == [3.6, 25.0]
    assert [round(x * 100, 1) for x in band_thresholds(0.80)] == [57.1, 92.3]


def test_thresholds_are_odds_ratios_of_the_base_rate() -> None:
    base = 0.3
    low, high = band_thresholds(base, 4.0)

    def odds(q: float) -> float:
        return q / (1 - q)

    assert odds(high) / odds(base) == pytest.approx(4.0)
    assert odds(base) / odds(low) == pytest.approx(4.0)


def test_bands_at_a_ten_percent_base_rate() -> None:
    p = np.array([0.0, 0.03, 1 / 28, 0.04, 0.10, 0.2499, 0.25, 0.6, 1.0])
    assert risk_bands(p, 0.10).tolist() == [
        "Low",
        "Low",
        "Low",
        "Medium",
        "Medium",
        "Medium",
        "High",
        "High",
        "High",
    ]


def test_bands_at_an_eighty_percent_base_rate() -> None:
    p = np.array([0.2, 0.57, 0.58, 0.8, 0.92, 0.924, 1.0])
    assert risk_bands(p, 0.80).tolist() == [
        "Low",
        "Low",
        "Medium",
        "Medium",
        "Medium",
        "High",
        "High",
    ]


@settings(max_examples=60, deadline=None)
@given(
    base_rate=st.floats(0.001, 0.999),
    ratio=st.floats(1.01, 20),
    p=st.lists(st.floats(0, 1), min_size=1, max_size=30),
)
def test_bands_are_monotonic_in_probability(base_rate: float, ratio: float, p: list[float]) -> None:
    probs = np.sort(np.array(p))
    rank = {band: i for i, band in enumerate(BAND_ORDER)}
    ranks = [rank[b] for b in risk_bands(probs, base_rate, ratio)]
    assert ranks == sorted(ranks, reverse=True)  # higher p never gets a lower band
    low, high = band_thresholds(base_rate, ratio)
    assert 0 < low < base_rate < high < 1


def test_output_keeps_shape_and_is_strings() -> None:
    bands = risk_bands(np.array([[0.01, 0.5], [0.2, 0.99]]), 0.2)
    assert bands.shape == (2, 2)
    assert bands.dtype.kind == "U"
    assert risk_bands(np.array([]), 0.2).shape == (0,)


@pytest.mark.parametrize("base_rate", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_impossible_base_rates_raise_data_error(base_rate: float) -> None:
    with pytest.raises(DataError):
        risk_bands(np.array([0.5]), base_rate)
    with pytest.raises(DataError):
        band_thresholds(base_rate)


@pytest.mark.parametrize("ratio", [1.0, 0.5, -3.0, float("nan"), float("inf")])
def test_bad_odds_ratio_raises_config_error(ratio: float) -> None:
    with pytest.raises(ConfigError):
        band_thresholds(0.2, ratio)


@pytest.mark.parametrize("bad", [np.nan, -0.01, 1.01])
def test_probabilities_outside_zero_one_raise(bad: float) -> None:
    with pytest.raises(DataError, match="cannot be banded"):
        risk_bands(np.array([0.5, bad]), 0.2)


def test_every_band_has_one_colour() -> None:
    assert set(BAND_COLOURS) == set(BAND_ORDER)
    assert len(set(BAND_COLOURS.values())) == len(BAND_ORDER)
    assert all(c.startswith("#") and len(c) == 7 for c in BAND_COLOURS.values())
