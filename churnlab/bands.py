"""Risk bands: High / Medium / Low, relative to the shop's own churn rate.

A fixed cut such as "High above 50 %" means nothing when the base rate is 10 %
(almost nobody is High) or 80 % (almost everybody is). Bands therefore compare
a customer's odds of churning, p / (1 - p), with the base rate's odds:

* High   when the odds are at least ``odds_ratio`` times the base odds;
* Low    when they are at most the base odds divided by ``odds_ratio``;
* Medium in between.

With the default ratio 3: at a 10 % base rate High starts at 25 % and Low ends at
3.6 %; at an 80 % base rate High starts at 92.3 % and Low ends at 57.1 %.
"""

from __future__ import annotations

import math

import numpy as np

from churnlab.errors import ConfigError, DataError

HIGH = "High"
MEDIUM = "Medium"
LOW = "Low"
BAND_ORDER: tuple[str, ...] = (HIGH, MEDIUM, LOW)
BAND_COLOURS: dict[str, str] = {HIGH: "#d62728", MEDIUM: "#ff7f0e", LOW: "#2ca02c"}

# Probabilities within this distance of a threshold count as on it (floating-point noise).
_TOLERANCE = 1e-12


def _check(base_rate: float, odds_ratio: float) -> None:
    if not isinstance(base_rate, int | float | np.number) or not math.isfinite(base_rate):
        raise DataError("error.bands.unknown_base_rate")
    if base_rate <= 0 or base_rate >= 1:
        raise DataError(
            "error.bands.nobody_churned" if base_rate <= 0 else "error.bands.everybody_churned",
            hint="error.bands.base_rate.hint",
        )
    if not isinstance(odds_ratio, int | float | np.number) or not odds_ratio > 1:
        raise ConfigError(
            "error.bands.odds_ratio", hint="error.bands.odds_ratio.hint", value=str(odds_ratio)
        )
    if not math.isfinite(odds_ratio):
        raise ConfigError("error.bands.odds_ratio_finite", hint="error.bands.odds_ratio.hint")


def band_thresholds(base_rate: float, odds_ratio: float = 3.0) -> tuple[float, float]:
    """(low_upper, high_lower): Low is p <= low_upper, High is p >= high_lower."""
    _check(base_rate, odds_ratio)
    b = float(base_rate)
    r = float(odds_ratio)
    # odds o = b / (1 - b); the probability with odds k*o is k*b / (k*b + 1 - b).
    high_lower = r * b / (r * b + (1.0 - b))
    low_upper = b / (b + r * (1.0 - b))
    return low_upper, high_lower


def risk_bands(p: np.ndarray, base_rate: float, odds_ratio: float = 3.0) -> np.ndarray:
    """The band of each probability, as a string array ("High", "Medium", "Low").

    Probabilities of exactly 0 and 1 are fine (odds 0 and infinity): they are Low
    and High. NaN or values outside [0, 1] raise ``DataError``.
    """
    low_upper, high_lower = band_thresholds(base_rate, odds_ratio)
    probs = np.asarray(p, dtype=np.float64)
    if probs.size and not np.all((probs >= 0.0) & (probs <= 1.0)):
        raise DataError("error.bands.bad_probabilities", hint="error.bundle.bug.hint")
    bands = np.full(probs.shape, MEDIUM, dtype=object)
    bands[probs >= high_lower - _TOLERANCE] = HIGH
    bands[probs <= low_upper + _TOLERANCE] = LOW
    return bands.astype(str)
