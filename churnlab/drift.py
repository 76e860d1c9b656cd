"""Drift: does this month's data look like the data the model was trained on?

At training time ``feature_profile`` stores a small, JSON-safe summary of every
feature (stored in the model bundle). At scoring time ``drift_report`` compares
the new customers with it using the population stability index (PSI):

    PSI = sum over bins of (actual - expected) * ln(actual / expected)

with shares clipped to ``PSI_EPSILON`` so that an empty bin does not give an
infinite value. Missing values are a bin of their own, so a column that
suddenly goes missing drifts too. Reading of the PSI (the usual credit-scoring
rule of thumb):

* below 0.10            stable   (no real change)
* 0.10 up to 0.25       moderate (worth a look)
* 0.25 and above        drifted  (the scores for this feature are less reliable)

Numeric features use decile bins of the training data (plus an edge just below
the training minimum, so values lower than anything seen in training show up);
categorical features use their 20 most common categories, "other" and missing.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from churnlab.catalogue import describe, humanise
from churnlab.errors import ConfigError, DataError

logger = logging.getLogger(__name__)

PROFILE_VERSION = 1
PSI_EPSILON = 1e-4
PSI_MODERATE = 0.10
PSI_DRIFTED = 0.25
TOP_CATEGORIES = 20
MAX_KNOWN_CATEGORIES = 1000
DECILES: tuple[float, ...] = tuple(q / 10 for q in range(1, 10))
STABLE, MODERATE, DRIFTED, ABSENT = "stable", "moderate", "drifted", "absent"
OTHER = "other"
MISSING = "missing"

# User-visible words (to move to churnlab/messages/drift.py with the i18n catalogue).
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "drift.drifted": "{label} looks different from the training data (PSI {psi:.2f}).",
        "drift.absent": "{label} is not in the new data, so the model sees it as missing.",
        "drift.missing": (
            "{label} is missing for {now:.0%} of customers now, "
            "against {before:.0%} in the training data."
        ),
        "drift.new_categories": (
            "{label} has values the model never saw: {values} ({share:.1%} of customers)."
        ),
        "drift.other": "other",
        "drift.missing_bin": "missing",
    },
    "zh": {
        "drift.drifted": "{label} 与训练数据相比明显不同（PSI {psi:.2f}）。",
        "drift.absent": "新数据中没有 {label}，模型会把它当作缺失值。",
        "drift.missing": "{label} 现在有 {now:.0%} 的客户缺失，训练数据中为 {before:.0%}。",
        "drift.new_categories": (
            "{label} 出现了模型从未见过的取值：{values}（占客户的 {share:.1%}）。"
        ),
        "drift.other": "其他",
        "drift.missing_bin": "缺失",
    },
}


def _msg(key: str, lang: str, **values: Any) -> str:
    text = MESSAGES.get(lang, MESSAGES["en"]).get(key) or MESSAGES["en"][key]
    return text.format(**values)


@dataclass
class DriftReport:
    """Per-feature drift, the drifted feature names (worst first) and plain-language warnings.

    Each entry of ``features`` holds: ``name``, ``label``, ``kind`` ("numeric" or
    "categorical"), ``psi`` (None when absent), ``status`` ("stable", "moderate",
    "drifted" or "absent"), ``missing_train``, ``missing_now``, ``missing_change``,
    ``bins`` (labels), ``expected`` and ``actual`` (shares per bin, missing last),
    ``mean_train`` / ``mean_now`` (numeric), ``new_categories`` / ``new_share``
    (categorical).
    """

    features: list[dict[str, Any]]
    drifted: list[str]
    warnings: list[str]
    rows: int = 0
    thresholds: dict[str, float] = field(
        default_factory=lambda: {"moderate": PSI_MODERATE, "drifted": PSI_DRIFTED}
    )

    @property
    def moderate(self) -> list[str]:
        return [f["name"] for f in self.features if f["status"] == MODERATE]


# --------------------------------------------------------------------------- helpers


def psi(expected: np.ndarray, actual: np.ndarray, eps: float = PSI_EPSILON) -> float:
    """Population stability index of two share vectors over the same bins."""
    e = np.clip(np.asarray(expected, dtype=np.float64), eps, None)
    a = np.clip(np.asarray(actual, dtype=np.float64), eps, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _status(value: float) -> str:
    if value >= PSI_DRIFTED:
        return DRIFTED
    if value >= PSI_MODERATE:
        return MODERATE
    return STABLE


def _sorted_numbers(frame: pl.DataFrame, names: list[str]) -> dict[str, np.ndarray]:
    """Each column's finite values, sorted (null, NaN, infinite and unparseable dropped).

    Sorted values make deciles an index look-up and bin counts one binary search
    per edge (a sort beats a per-value search into the edges). Polars sorts the columns
    side by side on every core (10M-event scoring: 0.2 s with numpy, one column at a time).
    """
    ordered = frame.select(
        [pl.col(name).cast(pl.Float64, strict=False).sort(nulls_last=True) for name in names]
    )
    result: dict[str, np.ndarray] = {}
    for name in names:
        values = np.asarray(ordered.get_column(name).to_numpy(), dtype=np.float64)
        result[name] = values[np.isfinite(values)]  # nulls, NaN and infinities drop out
    return result


def _strings(frame: pl.DataFrame, name: str) -> pl.Series:
    return frame.get_column(name).cast(pl.String, strict=False)


def _bin_shares(ordered: np.ndarray, edges: list[float], n: int) -> tuple[list[float], float]:
    """Share of all ``n`` rows in each right-closed bin (e_i-1, e_i], and the missing share."""
    at_or_below = np.searchsorted(ordered, np.asarray(edges, dtype=np.float64), side="right")
    counts = np.diff(np.concatenate(([0], at_or_below, [ordered.size])))
    return (counts / n).tolist(), float((n - ordered.size) / n)


def _numeric_profile(ordered: np.ndarray, n: int) -> dict[str, Any]:
    edges: list[float] = []
    mean: float | None = None
    if ordered.size:
        lowest = float(np.nextafter(ordered[0], -np.inf))
        positions = np.floor(np.asarray(DECILES) * (ordered.size - 1)).astype(np.int64)
        edges = sorted({lowest, *(float(q) for q in ordered[positions])})
        mean = float(ordered.mean())
    shares, missing = _bin_shares(ordered, edges, n)
    return {"kind": "numeric", "edges": edges, "shares": shares, "missing": missing, "mean": mean}


def _category_counts(series: pl.Series) -> pl.DataFrame:
    """Counts per non-missing category, most common first (ties by name, for determinism)."""
    name = series.name
    return (
        series.drop_nulls()
        .value_counts()
        .sort(["count", name], descending=[True, False])
        .rename({name: "value"})
    )


def _categorical_profile(series: pl.Series) -> dict[str, Any]:
    n = series.len()
    counts = _category_counts(series)
    top = counts.head(TOP_CATEGORIES)
    categories = {str(v): c / n for v, c in zip(top["value"], top["count"], strict=True)}
    non_missing = int(counts["count"].sum())
    known = counts["value"].sort().to_list() if counts.height <= MAX_KNOWN_CATEGORIES else None
    return {
        "kind": "categorical",
        "categories": categories,
        "other": (non_missing - int(top["count"].sum())) / n,
        "missing": (n - non_missing) / n,
        "known": known,
    }


def feature_profile(
    frame: pl.DataFrame, feature_names: list[str], categorical: list[str]
) -> dict[str, Any]:
    """A JSON-safe summary of each feature's distribution in the training data.

    Numeric: ``edges`` (an edge just below the minimum plus the deciles, duplicates
    dropped), ``shares`` of all rows per bin, ``missing`` share and ``mean``.
    Categorical: ``categories`` (share of the 20 most common), ``other``,
    ``missing`` and ``known`` (every category seen, when at most 1000).
    """
    if frame.height == 0:
        raise DataError("error.drift.no_rows")
    absent = [name for name in feature_names if name not in frame.columns]
    if absent:
        raise DataError("error.drift.absent_features", names=", ".join(absent))
    wanted = set(categorical)
    numbers = _sorted_numbers(frame, [name for name in feature_names if name not in wanted])
    features: dict[str, dict[str, Any]] = {}
    for name in feature_names:
        if name in wanted:
            features[name] = _categorical_profile(_strings(frame, name))
        else:
            features[name] = _numeric_profile(numbers[name], frame.height)
    return {"version": PROFILE_VERSION, "rows": frame.height, "features": features}


# --------------------------------------------------------------------------- the report


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _numeric_bins(edges: list[float]) -> list[str]:
    """Readable bin labels; the first edge sits just below the training minimum."""
    if not edges:
        return ["all values"]
    labels = [f"< {_fmt(float(np.nextafter(edges[0], np.inf)) + 0.0)}"]  # no "-0"
    if len(edges) > 1:
        labels.append(_fmt(edges[1]))  # the bin (just below the minimum, minimum]
    labels += [f"{_fmt(lo)} – {_fmt(hi)}" for lo, hi in itertools.pairwise(edges[1:])]
    labels.append(f"> {_fmt(edges[-1])}")
    return labels


def _label(name: str, labels: dict[str, str] | None, lang: str) -> str:
    if labels and name in labels:
        return labels[name]
    return describe(name).description.get(lang) or humanise(name)


def _compare_numeric(spec: dict[str, Any], ordered: np.ndarray, n: int) -> dict[str, Any]:
    shares, missing = _bin_shares(ordered, spec["edges"], n)
    return {
        "bins": _numeric_bins(spec["edges"]),
        "expected": [*spec["shares"], spec["missing"]],
        "actual": [*shares, missing],
        "missing_now": missing,
        "mean_train": spec.get("mean"),
        "mean_now": float(ordered.mean()) if ordered.size else None,
    }


def _compare_categorical(
    spec: dict[str, Any], frame: pl.DataFrame, name: str, lang: str
) -> dict[str, Any]:
    series = _strings(frame, name)
    n = series.len()
    counts = _category_counts(series)
    count_of = dict(zip(counts["value"].to_list(), counts["count"].to_list(), strict=True))
    top = list(spec["categories"])
    actual = [count_of.get(value, 0) / n for value in top]
    non_missing = sum(count_of.values())
    other = (non_missing - sum(count_of.get(value, 0) for value in top)) / n
    missing = (n - non_missing) / n
    known = spec.get("known")
    new: list[str] = []
    new_share = 0.0
    if known is not None:
        seen = set(known)
        new = [value for value in count_of if value not in seen]  # most common first
        new_share = sum(count_of[value] for value in new) / n
    return {
        "bins": [*top, _msg("drift.other", lang)],
        "expected": [*spec["categories"].values(), spec["other"], spec["missing"]],
        "actual": [*actual, other, missing],
        "missing_now": missing,
        "new_categories": new,
        "new_share": new_share,
    }


def drift_report(
    profile: dict[str, Any],
    frame: pl.DataFrame,
    threshold: float = 0.2,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "en",
) -> DriftReport:
    """Compare new data with the training profile, feature by feature.

    ``threshold`` is the change in the share of missing values (0.2 = 20 points)
    that counts as drift on its own, whatever the PSI. ``labels`` maps feature
    names to the words used in warnings (default: the feature catalogue).
    """
    if not 0 < threshold <= 1:
        raise ConfigError("error.drift.threshold", value=str(threshold))
    features_spec = profile.get("features") if isinstance(profile, dict) else None
    if not isinstance(features_spec, dict) or profile.get("version") != PROFILE_VERSION:
        raise DataError("error.drift.bad_profile", hint="error.charts.retrain.hint")
    if frame.height == 0:
        raise DataError("error.drift.no_customers")
    numbers = _sorted_numbers(
        frame,
        [
            name
            for name, spec in features_spec.items()
            if spec.get("kind") == "numeric" and name in frame.columns
        ],
    )
    features: list[dict[str, Any]] = []
    warnings: list[str] = []
    for name, spec in features_spec.items():
        label = _label(name, labels, lang)
        entry: dict[str, Any] = {
            "name": name,
            "label": label,
            "kind": spec["kind"],
            "missing_train": spec["missing"],
        }
        if name not in frame.columns:
            entry.update(psi=None, status=ABSENT, missing_now=1.0, missing_change=1.0)
            features.append(entry)
            warnings.append(_msg("drift.absent", lang, label=label))
            continue
        if spec["kind"] == "categorical":
            entry.update(_compare_categorical(spec, frame, name, lang))
        else:
            entry.update(_compare_numeric(spec, numbers[name], frame.height))
        entry["bins"] = [*entry["bins"], _msg("drift.missing_bin", lang)]
        value = psi(np.asarray(entry["expected"]), np.asarray(entry["actual"]))
        missing_change = entry["missing_now"] - spec["missing"]
        status = _status(value)
        if abs(missing_change) >= threshold:
            status = DRIFTED
        entry.update(psi=value, status=status, missing_change=missing_change)
        features.append(entry)
        if value >= PSI_DRIFTED:
            warnings.append(_msg("drift.drifted", lang, label=label, psi=value))
        if abs(missing_change) >= threshold:
            warnings.append(
                _msg(
                    "drift.missing",
                    lang,
                    label=label,
                    now=entry["missing_now"],
                    before=spec["missing"],
                )
            )
        if entry.get("new_categories"):
            shown = ", ".join(entry["new_categories"][:5])
            if len(entry["new_categories"]) > 5:
                shown += ", …"
            warnings.append(
                _msg(
                    "drift.new_categories",
                    lang,
                    label=label,
                    values=shown,
                    share=entry["new_share"],
                )
            )
    drifted = sorted(
        (f for f in features if f["status"] in (DRIFTED, ABSENT)),
        key=lambda f: -(math.inf if f["psi"] is None else f["psi"]),
    )
    logger.info("drift: %d of %d features drifted", len(drifted), len(features))
    return DriftReport(
        features=features,
        drifted=[f["name"] for f in drifted],
        warnings=warnings,
        rows=frame.height,
    )
