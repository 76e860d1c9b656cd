"""Global and per-feature views of the SHAP values that ``ChurnModel.contributions`` computes.

Per-customer values are exact TreeSHAP from XGBoost (in the calibrated log-odds
space, so base value + sum = the customer's logit). Global importance is the
mean absolute value over the scored customers (or a seeded sample of at most
``IMPORTANCE_SAMPLE`` of them for very large lists).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from churnlab.catalogue import describe
from churnlab.errors import DataError

IMPORTANCE_SAMPLE = 50_000


def global_importance(
    shap_values: np.ndarray, feature_names: list[str], seed: int = 0
) -> pl.DataFrame:
    """Features ranked by mean |SHAP|, with each one's share of the total."""
    values = np.asarray(shap_values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(feature_names):
        raise DataError("error.explain.shape")
    values = values[np.isfinite(values).all(axis=1)]  # rows not explained hold NaN
    if values.shape[0] > IMPORTANCE_SAMPLE:
        rows = np.random.default_rng(seed).choice(values.shape[0], IMPORTANCE_SAMPLE, replace=False)
        values = values[np.sort(rows)]
    mean_abs = np.abs(values).mean(axis=0) if values.shape[0] else np.zeros(len(feature_names))
    total = float(mean_abs.sum()) or 1.0
    mean_signed = values.mean(axis=0) if values.shape[0] else np.zeros(len(feature_names))
    frame = pl.DataFrame(
        {
            "feature": feature_names,
            "mean_abs_shap": mean_abs,
            "mean_shap": mean_signed,
            "share": mean_abs / total,
        }
    )
    return frame.sort(["mean_abs_shap", "feature"], descending=[True, False])


def dependence_data(
    features: pl.DataFrame, shap_values: np.ndarray, feature_names: list[str], name: str
) -> pl.DataFrame:
    """One feature's values beside its SHAP values, for a dependence plot."""
    if name not in feature_names:
        raise DataError("error.explain.unknown_feature", name=name)
    index = feature_names.index(name)
    frame = pl.DataFrame(
        {"value": features.get_column(name), "shap": np.asarray(shap_values)[:, index]}
    )
    return frame.filter(pl.col("shap").is_not_nan())  # rows not explained hold NaN


def top_driver_descriptions(importance: pl.DataFrame, lang: str = "en", top: int = 3) -> list[str]:
    """The strongest signals in plain words, for headlines and reports."""
    names = importance.head(top).get_column("feature").to_list()
    return [describe(name).text(lang) for name in names]


def compare_groups(
    scored: pl.DataFrame, features: pl.DataFrame, selected: np.ndarray, numeric: list[str]
) -> pl.DataFrame:
    """Customers inside a selection against everyone else: size, risk and feature means.

    ``scored`` and ``features`` are row-aligned (as in a scored list); missing feature
    values are left out of the means rather than counted as zero.
    """
    mask = pl.Series("selected", np.asarray(selected, dtype=bool))
    frame = pl.concat(
        [scored.select("churn_probability", "risk_band"), features.select(numeric)],
        how="horizontal",
    ).with_columns(mask)
    return (
        frame.group_by("selected")
        .agg(
            pl.len().alias("customers"),
            pl.col("churn_probability").mean().alias("mean_risk"),
            (pl.col("risk_band") == "High").mean().alias("high_share"),
            *[pl.col(name).cast(pl.Float64).mean() for name in numeric],
        )
        .sort("selected", descending=True)
    )
