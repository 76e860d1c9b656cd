"""Uplift targeting: who does the offer actually help?

A churn model says who is likely to leave; a campaign needs who the offer makes
*stay*. With a measured campaign (treatment and control with outcomes) a
two-model ("T-learner") estimate is fitted: one small XGBoost model of churn on
the treatment group, one on the control group, both on the features the
campaign file kept. A customer's effect is

    effect = P(churn | control, x) − P(churn | treatment, x)

(positive: the offer keeps them; negative: it pushes them away). The planner can
then rank by expected incremental gain

    gain  = effect · V · m
    cost  = contact_cost + ((1 − p) + effect) · offer_cost
    net   = gain − cost

— the planner's formula with p · s replaced by the estimated effect.

The Qini curve shows how well a ranking finds the customers the offer keeps, on
held-out customers: a seeded 3-fold cross-fit (folds balanced within treatment and
control), so every customer's effect comes from models that never saw them:
after contacting the first k, ``Q(k) = S_t(k) − S_c(k) · N_t(k) / N_c(k)``
customers kept (S = customers who stayed, N = customers, t/c = group). Its area
above the straight line of random targeting, as a share of the customers, is
the Qini coefficient; it is compared with ranking by churn risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from churnlab.config import CampaignConfig
from churnlab.errors import DataError
from churnlab.holdout import CONTROL, TREATMENT

#: At least this many treatment and this many control customers with outcomes.
MIN_PER_GROUP = 200
FOLDS = 3
QINI_POINTS = 101
PARAMS: dict[str, Any] = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "max_depth": 3,
    "eta": 0.05,
    "min_child_weight": 10,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "lambda": 5.0,
    "nthread": 1,
}
ROUNDS = 150


@dataclass
class UpliftModel:
    """Two fitted boosters and the features they read."""

    features: list[str]
    treatment_: Any = field(repr=False)
    control_: Any = field(repr=False)
    qini: dict[str, Any] = field(default_factory=dict)
    campaign_id: str = ""

    def effect(self, frame: pl.DataFrame) -> np.ndarray:
        """Estimated reduction of churn probability if contacted, per row."""
        from churnlab._xgb import xgb

        matrix = xgb.DMatrix(_matrix(frame, self.features), missing=np.nan)
        return self.control_.predict(matrix) - self.treatment_.predict(matrix)


#: Numeric columns of a campaign file (and its outcomes) that are bookkeeping, not inputs.
NOT_UPLIFT_INPUTS = frozenset(
    {"expected_net_gain", "expected_cost", "campaign_rank", "churned", "spend"}
)


def uplift_features(frame: pl.DataFrame) -> list[str]:
    """The campaign file's model inputs: risk, value and every other numeric column it
    carries (an event log's ``holdout.UPLIFT_FEATURES``, a customer table's own columns)."""
    return [
        name
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() and name not in NOT_UPLIFT_INPUTS
    ]


def _matrix(frame: pl.DataFrame, features: list[str]) -> np.ndarray:
    columns = [
        frame.get_column(name).cast(pl.Float64, strict=False).to_numpy()
        if name in frame.columns
        else np.full(frame.height, np.nan)
        for name in features
    ]
    return np.column_stack(columns).astype(np.float64) if columns else np.zeros((frame.height, 0))


def _fit(x: np.ndarray, y: np.ndarray, seed: int) -> Any:
    from churnlab._xgb import xgb

    params = dict(PARAMS, seed=seed)
    return xgb.train(params, xgb.DMatrix(x, label=y, missing=np.nan), num_boost_round=ROUNDS)


def _check(outcomes: pl.DataFrame) -> None:
    n_t = int((outcomes.get_column("group") == TREATMENT).sum())
    n_c = int((outcomes.get_column("group") == CONTROL).sum())
    if n_t < MIN_PER_GROUP or n_c < MIN_PER_GROUP:
        raise DataError(
            "error.uplift.too_few",
            hint="error.uplift.too_few.hint",
            minimum=MIN_PER_GROUP,
            treatment=n_t,
            control=n_c,
        )


def fold_ids(groups: np.ndarray, seed: int = 0) -> np.ndarray:
    """A seeded fold number (0..FOLDS-1) per customer, balanced within each group."""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(groups), dtype=np.int64)
    for group in (TREATMENT, CONTROL):
        members = rng.permutation(np.flatnonzero(groups == group))
        folds[members] = np.arange(len(members)) % FOLDS
    return folds


def fit_two_models(frame: pl.DataFrame, features: list[str], seed: int = 0) -> UpliftModel:
    groups = frame.get_column("group").to_numpy().astype(str)
    churned = frame.get_column("churned").to_numpy().astype(float)
    x = _matrix(frame, features)
    t = groups == TREATMENT
    c = groups == CONTROL
    return UpliftModel(features, _fit(x[t], churned[t], seed), _fit(x[c], churned[c], seed))


def qini_curve(
    score: np.ndarray, groups: np.ndarray, churned: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(share targeted, incremental customers kept) for a ranking by ``score`` (high first)."""
    order = np.lexsort((np.arange(len(score)), -np.asarray(score, dtype=float)))
    g = np.asarray(groups)[order]
    stayed = 1 - np.asarray(churned, dtype=float)[order]
    t = g == TREATMENT
    c = g == CONTROL
    n_t, n_c = np.cumsum(t), np.cumsum(c)
    s_t, s_c = np.cumsum(stayed * t), np.cumsum(stayed * c)
    ratio = np.divide(n_t, n_c, out=np.zeros(len(n_t), dtype=float), where=n_c > 0)
    q = np.concatenate([[0.0], s_t - s_c * ratio])
    share = np.arange(len(q)) / max(len(score), 1)
    return share, q


def qini_coefficient(share: np.ndarray, q: np.ndarray) -> float:
    """Area between the Qini curve and random targeting, per customer targeted."""
    random = share * q[-1]
    return float(np.trapezoid(q - random, share) / max(len(q) - 1, 1))


def _downsample(share: np.ndarray, q: np.ndarray) -> dict[str, list[float]]:
    idx = np.unique(np.round(np.linspace(0, len(q) - 1, QINI_POINTS)).astype(int))
    return {"share": [float(v) for v in share[idx]], "kept": [float(v) for v in q[idx]]}


def fit_uplift(outcomes: pl.DataFrame, seed: int = 0, campaign_id: str = "") -> UpliftModel:
    """Cross-fit on treatment and control for the held-out Qini, then refit on all.

    ``outcomes`` is ``CampaignResults.outcomes`` (the campaign file with ``churned``).
    """
    frame = outcomes.filter(pl.col("group").is_in([TREATMENT, CONTROL]))
    _check(frame)
    features = uplift_features(frame)
    groups = frame.get_column("group").to_numpy().astype(str)
    churned = frame.get_column("churned").to_numpy().astype(float)
    folds = fold_ids(groups, seed)
    effect = np.zeros(frame.height)
    for fold in range(FOLDS):
        test = folds == fold
        model = fit_two_models(frame.filter(pl.Series(~test)), features, seed)
        effect[test] = model.effect(frame.filter(pl.Series(test)))
    g, y = groups, churned
    curves = {}
    areas = {}
    for name, score in (
        ("uplift", effect),
        ("risk", frame.get_column("churn_probability").to_numpy().astype(float)),
    ):
        share, q = qini_curve(score, g, y)
        curves[name] = _downsample(share, q)
        areas[name] = qini_coefficient(share, q)
    share, q = qini_curve(np.zeros(len(g)), g, y)
    final = fit_two_models(frame, features, seed)
    final.campaign_id = campaign_id
    final.qini = {
        "held_out": frame.height,
        "treatment": int((groups == TREATMENT).sum()),
        "control": int((groups == CONTROL).sum()),
        "overall_kept": float(q[-1]),
        "area": {"uplift": areas["uplift"], "risk": areas["risk"], "random": 0.0},
        "curves": curves,
        "minimum_per_group": MIN_PER_GROUP,
    }
    return final


def plan_by_uplift(
    scored: pl.DataFrame,
    features: pl.DataFrame | None,
    model: UpliftModel,
    config: CampaignConfig | None = None,
    *,
    lookback_days: int = 365,
):
    """A ``CampaignPlan`` ranked by expected incremental gain instead of risk × save rate."""
    from churnlab.campaign import customer_value, plan_from_economics

    config = (config or CampaignConfig()).validate()
    if "monetary" not in scored.columns:
        raise DataError("error.campaign.no_amounts", hint="error.campaign.no_amounts.hint")
    p = np.clip(scored.get_column("churn_probability").to_numpy().astype(float), 0.0, 1.0)
    value = customer_value(
        scored.get_column("monetary").to_numpy(), lookback_days, config.value_days
    )
    inputs = scored.with_columns(pl.Series("customer_value", value))
    if features is not None:
        extra = [c for c in model.features if c not in inputs.columns and c in features.columns]
        if extra:
            inputs = inputs.join(
                features.select(pl.col("customer_id").cast(pl.String), *extra),
                on="customer_id",
                how="left",
            )
    effect = np.clip(model.effect(inputs), -(1 - p), p)  # within what is possible
    gain = effect * value * config.margin
    cost = config.contact_cost + np.clip((1 - p) + effect, 0, 1) * config.offer_cost
    net = gain - cost
    return plan_from_economics(
        scored, p, value, effect, gain, cost, net, config, extra={"estimated_effect": effect}
    )
