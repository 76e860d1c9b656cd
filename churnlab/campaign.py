"""From risk to action: who to contact, within a budget, for the best expected profit.

For a customer with churn probability p, value V (their spend over the last
``lookback`` days scaled to ``value_days``), gross margin m, save rate s:

    expected gain   = p · s · V · m
    expected cost   = contact_cost + redeem · (offer_cost + discount_rate · AOV)
    redeem          = (1 − p) + p · s
    expected net    = gain − cost

The assumption about offers: everyone contacted costs the contact; the offer is
used (and costs its value) by the customers who would have stayed anyway
(1 − p, a pure cost) and by the churners it saves (p · s); churners it fails to
save do not use it. Customers are ranked by expected net gain, not by
probability alone. The best N contacts every customer with a positive expected
net gain; a budget caps the cumulative expected cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from churnlab.config import CampaignConfig
from churnlab.errors import DataError

PERSONAL_OUTREACH = "personal_outreach"
AUTOMATED_COUPON = "automated_coupon"
MONITOR = "monitor"
NO_ACTION = "no_action"
ACTIONS: tuple[str, ...] = (PERSONAL_OUTREACH, AUTOMATED_COUPON, MONITOR, NO_ACTION)

#: Customers in the top share of value count as high-value for the action rules.
HIGH_VALUE_SHARE = 0.2


@dataclass
class CampaignPlan:
    """The ranked list with economics, the profit curve and the summary."""

    frame: (
        pl.DataFrame
    )  # the input list + customer_value, expected_net_gain, planned, recommended_action
    curve: pl.DataFrame  # n_contacted, cumulative_net_gain, cumulative_cost
    best_n: int
    budget_n: int | None
    planned_n: int
    summary: dict[str, float]
    config: CampaignConfig


def customer_value(monetary: np.ndarray, lookback_days: int, value_days: int) -> np.ndarray:
    """Spend over ``value_days`` if the customer stays, from their own recent spend."""
    spend = np.nan_to_num(np.asarray(monetary, dtype=float), nan=0.0)
    return np.clip(spend, 0.0, None) * (value_days / float(lookback_days))


def expected_economics(
    p: np.ndarray, value: np.ndarray, aov: np.ndarray, config: CampaignConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(gain, cost, net) per customer under the documented assumptions."""
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    gain = p * config.save_rate * value * config.margin
    redeem = (1.0 - p) + p * config.save_rate
    per_redeemer = config.offer_cost + config.discount_rate * np.nan_to_num(aov, nan=0.0)
    cost = config.contact_cost + redeem * per_redeemer
    return gain, cost, gain - cost


def recommend_actions(
    band: np.ndarray, value: np.ndarray, planned: np.ndarray, high_value_cut: float
) -> np.ndarray:
    """Simple documented rules.

    - personal outreach: planned, High band and value above the 80th percentile;
    - automated coupon: planned otherwise;
    - monitor: not planned but High or Medium band;
    - no action: Low band and not planned.
    """
    band = np.asarray(band).astype(str)
    action = np.full(band.shape, NO_ACTION, dtype=object)
    action[(band != "Low") & ~planned] = MONITOR
    action[planned] = AUTOMATED_COUPON
    action[planned & (band == "High") & (value > high_value_cut)] = PERSONAL_OUTREACH
    return action.astype(str)


def plan_campaign(
    scored: pl.DataFrame,
    config: CampaignConfig | None = None,
    *,
    lookback_days: int = 365,
    aov: np.ndarray | None = None,
) -> CampaignPlan:
    """Rank a scored list by expected net gain and choose whom to contact.

    ``scored`` needs ``customer_id``, ``churn_probability``, ``risk_band`` and
    ``monetary`` (spend in the look-back window).
    """
    config = (config or CampaignConfig()).validate()
    for column in ("customer_id", "churn_probability", "risk_band"):
        if column not in scored.columns:
            raise DataError("error.campaign.missing_column", column=column)
    if "monetary" not in scored.columns:
        raise DataError("error.campaign.no_amounts", hint="error.campaign.no_amounts.hint")
    p = scored.get_column("churn_probability").to_numpy().astype(float)
    value = customer_value(
        scored.get_column("monetary").to_numpy(), lookback_days, config.value_days
    )
    if aov is None:
        aov = np.zeros_like(p)
    gain, cost, net = expected_economics(p, value, aov, config)
    return plan_from_economics(scored, p, value, p * config.save_rate, gain, cost, net, config)


def plan_from_economics(
    scored: pl.DataFrame,
    p: np.ndarray,
    value: np.ndarray,
    kept: np.ndarray,
    gain: np.ndarray,
    cost: np.ndarray,
    net: np.ndarray,
    config: CampaignConfig,
    extra: dict[str, np.ndarray] | None = None,
) -> CampaignPlan:
    """Rank by expected net gain, choose whom to contact (best N, budget) and sum it up.

    ``kept`` is each customer's expected chance of being kept by the offer: risk × save rate
    in the planner, the estimated effect when ranking by uplift (``extra`` columns follow
    ``customer_value`` in the list)."""
    eligible = p >= config.min_risk

    # Rank by expected net gain (ties: higher probability, then id) — deterministic.
    ids = scored.get_column("customer_id").cast(pl.String).to_numpy().astype(str)
    ranked_net = np.where(eligible, net, -np.inf)
    order = np.lexsort((ids, -p, -ranked_net))
    sorted_net = net[order]
    sorted_cost = cost[order]
    sorted_eligible = eligible[order]

    cumulative_net = np.cumsum(np.where(sorted_eligible, sorted_net, 0.0))
    cumulative_cost = np.cumsum(np.where(sorted_eligible, sorted_cost, 0.0))
    positive = int(np.sum((sorted_net > 0) & sorted_eligible))
    best_n = positive  # ranked by net, so the positive ones come first
    budget_n: int | None = None
    if config.budget is not None:
        budget_n = int(np.searchsorted(cumulative_cost, config.budget, side="right"))
        budget_n = min(budget_n, int(sorted_eligible.sum()))
    planned_n = best_n if budget_n is None else min(best_n, budget_n)

    planned_sorted = np.zeros(len(order), dtype=bool)
    planned_sorted[:planned_n] = True
    planned = np.zeros(len(order), dtype=bool)
    planned[order] = planned_sorted

    high_value_cut = float(np.quantile(value, 1 - HIGH_VALUE_SHARE)) if len(value) else 0.0
    actions = recommend_actions(
        scored.get_column("risk_band").to_numpy(), value, planned, high_value_cut
    )
    frame = scored.with_columns(
        pl.Series("customer_value", np.round(value, 2)),
        *[pl.Series(name, np.round(values, 4)) for name, values in (extra or {}).items()],
        pl.Series("expected_net_gain", np.round(net, 2)),
        pl.Series("expected_cost", np.round(cost, 2)),
        pl.Series("planned", planned),
        pl.Series("recommended_action", actions),
    )[order].with_columns(pl.Series("campaign_rank", np.arange(1, len(order) + 1)))

    contacted = planned
    summary = {
        "customers": float(len(p)),
        "contacted": float(contacted.sum()),
        "expected_churners_reached": float(p[contacted].sum()),
        "expected_customers_kept": float(kept[contacted].sum()),
        "revenue_kept": float((kept * value)[contacted].sum()),
        "margin_kept": float(gain[contacted].sum()),
        "cost": float(cost[contacted].sum()),
        "net_gain": float(net[contacted].sum()),
    }
    summary["roi"] = summary["net_gain"] / summary["cost"] if summary["cost"] > 0 else 0.0
    curve = pl.DataFrame(
        {
            "n_contacted": np.arange(0, len(order) + 1),
            "cumulative_net_gain": np.concatenate([[0.0], cumulative_net]),
            "cumulative_cost": np.concatenate([[0.0], cumulative_cost]),
        }
    )
    return CampaignPlan(frame, curve, best_n, budget_n, planned_n, summary, config)


def with_action_names(frame: pl.DataFrame, lang: str = "en") -> pl.DataFrame:
    """``recommended_action`` in the reader's language (the ids stay in the engine)."""
    from churnlab import i18n

    if "recommended_action" not in frame.columns:
        return frame
    names = {action: i18n.t(f"action.{action}", lang) for action in ACTIONS}
    return frame.with_columns(
        pl.col("recommended_action").replace_strict(names, default=pl.col("recommended_action"))
    )


def describe_assumptions(config: CampaignConfig, lang: str = "en") -> str:
    """The campaign's assumptions in one line, for the About sheet of an export."""
    from churnlab import i18n

    values = {
        "margin": config.margin,
        "save_rate": config.save_rate,
        "currency": config.currency,
        "offer_cost": config.offer_cost,
        "discount_rate": config.discount_rate,
        "contact_cost": config.contact_cost,
        "value_days": config.value_days,
        "budget": config.budget or 0.0,
        "min_risk": config.min_risk,
    }
    key = "campaign.assumptions" if config.budget is not None else "campaign.assumptions.no_budget"
    return i18n.t(key, lang, **values)
