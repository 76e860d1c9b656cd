"""What a campaign did: treatment against control, measured on a later export.

A customer of the campaign file churned when they have no qualifying activity
(the campaign's own activity definition) in ``[as_of, as_of + horizon)``. The
uplift is the control group's churn rate minus the treatment group's, with a
Newcombe hybrid-score 95 % interval (Wilson intervals of each rate combined);
the relative uplift uses the Katz log interval of the risk ratio. When the
export ends before the horizon, "churned" means "no activity so far": the
rates are upper bounds and the page says how much of the horizon is observed.

Money: customers kept = uplift × treatment customers; their value is the
campaign file's ``customer_value`` (spend over ``value_days``) × margin, like the
planner; the offer's cost is the contact for every treated customer plus the
offer for every treated customer who stayed (they use it). The spend of the
observed weeks, treatment against control, is reported beside it as measured.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from churnlab.config import CampaignConfig
from churnlab.errors import DataError
from churnlab.holdout import (
    BANDS,
    CONTROL,
    NOT_SELECTED,
    OUTCOME_LABEL,
    TREATMENT,
    Z_ALPHA,
    CampaignFile,
    detectable_difference,
    salt_check,
)
from churnlab.i18n import Message
from churnlab.schema import LABEL

#: Untreated customers needed (with both outcomes) before the backtest is computed.
MIN_BACKTEST = 30


def wilson(successes: int, n: int, z: float = Z_ALPHA) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def difference_interval(
    x1: int, n1: int, x2: int, n2: int, z: float = Z_ALPHA
) -> tuple[float, float, float]:
    """p1 − p2 with Newcombe's hybrid score interval (method 10): (estimate, low, high)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def relative_interval(
    x_t: int, n_t: int, x_c: int, n_c: int
) -> tuple[float | None, float | None, float | None]:
    """Relative reduction of churn, 1 − p_t / p_c, with the Katz log interval of the ratio."""
    if x_t == 0 or x_c == 0:
        return None, None, None
    ratio = (x_t / n_t) / (x_c / n_c)
    se = math.sqrt(1 / x_t - 1 / n_t + 1 / x_c - 1 / n_c)
    return (
        1 - ratio,
        1 - ratio * math.exp(Z_ALPHA * se),
        1 - ratio * math.exp(-Z_ALPHA * se),
    )


@dataclass
class CampaignResults:
    """Everything the results page, the CLI and the report show."""

    facts: dict[str, str]
    outcomes: pl.DataFrame  # customer_id, group, risk_band, churn_probability, churned, spend
    summary: dict[str, Any]
    bands: list[dict[str, Any]]
    backtest: dict[str, Any] | None
    verdict: Message
    notes: list[Message] = field(default_factory=list)

    @property
    def measured_by_label(self) -> bool:
        """A customer table's campaign, measured on a later table's churn label."""
        return self.facts.get("outcome") == OUTCOME_LABEL

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON contract of ``results --json`` (plain numbers, lists and strings)."""
        out = dict(self.summary)
        out["campaign_id"] = self.facts.get("campaign_id", "")
        out["as_of"] = self.facts.get("as_of", "")
        out["bands"] = self.bands
        out["backtest"] = self.backtest or {"customers": 0, "roc_auc": None}
        out["verdict"] = self.verdict.text(lang)
        out["notes"] = [note.text(lang) for note in self.notes]
        return out


def _mask_activity(events: pl.DataFrame, activity: tuple[str, ...]) -> pl.DataFrame:
    if "any" in activity or "event_type" not in events.columns:
        return events
    return events.filter(pl.col("event_type").is_in(list(activity)))


def _pseudonymise(events: pl.DataFrame, campaign: CampaignFile, salt: str | None) -> pl.DataFrame:
    if campaign.facts.get("pseudonymised", "no") != "yes":
        return events
    if not salt:
        raise DataError("error.results.needs_salt", hint="error.results.needs_salt.hint")
    if campaign.facts.get("salt_check") and salt_check(salt) != campaign.facts["salt_check"]:
        raise DataError("error.results.wrong_salt", hint="error.results.needs_salt.hint")
    from churnlab.export import pseudonymise_ids

    return pseudonymise_ids(events, salt)


def label_outcomes(
    campaign: CampaignFile, table: pl.DataFrame | None, salt: str | None = None
) -> tuple[pl.DataFrame, int]:
    """A customer table's campaign: each customer's churn label in a later export of the
    table. Customers the later table lacks are left out (a note says how many): a table
    may drop the customers who left, or be a part of the base, so their outcome is unknown."""
    if table is None or LABEL not in table.columns:
        raise DataError("error.results.no_label", hint="error.results.no_label.hint")
    later = _pseudonymise(
        table.select(pl.col("customer_id").cast(pl.String), pl.col(LABEL)), campaign, salt
    ).filter(pl.col(LABEL).is_not_null())
    later = later.unique("customer_id", keep="last", maintain_order=True)
    frame = campaign.frame.join(
        later.select("customer_id", pl.col(LABEL).cast(pl.Int8).alias("churned")),
        on="customer_id",
        how="inner",
    )
    if frame.height == 0:
        raise DataError("error.results.other_shop", hint="error.results.other_shop.hint")
    return frame.with_columns(pl.lit(0.0).alias("spend")), campaign.horizon_days


def outcomes(
    campaign: CampaignFile, events: pl.DataFrame | None, salt: str | None = None
) -> tuple[pl.DataFrame, int]:
    """Each campaign customer's outcome so far, and the number of days of the horizon observed."""
    if events is None or events.height == 0:
        raise DataError("error.results.no_events", hint="error.results.no_events.hint")
    events = _pseudonymise(
        events.select(
            "customer_id",
            "timestamp",
            *([c for c in ("event_type", "amount") if c in events.columns]),
        ),
        campaign,
        salt,
    )
    start = dt.datetime.combine(campaign.as_of, dt.time())
    end = start + dt.timedelta(days=campaign.horizon_days)
    last = events.get_column("timestamp").max()
    if last is None or last < start:
        raise DataError(
            "error.results.export_too_early",
            hint="error.results.export_too_early.hint",
            last=str(last)[:10],
            as_of=campaign.as_of.isoformat(),
        )
    last_day = dt.datetime.combine(last.date(), dt.time()) + dt.timedelta(days=1)
    observed_days = min(campaign.horizon_days, (last_day - start).days)
    ids = campaign.frame.get_column("customer_id")
    known = events.filter(pl.col("customer_id").is_in(ids.implode()))
    if known.height == 0:
        raise DataError("error.results.other_shop", hint="error.results.other_shop.hint")
    window = known.filter((pl.col("timestamp") >= start) & (pl.col("timestamp") < end))
    active = _mask_activity(window, campaign.activity).group_by("customer_id").len("activity")
    spend_rows = window
    if "event_type" in window.columns:
        spend_rows = window.filter(pl.col("event_type") == "purchase")
    if "amount" in spend_rows.columns:
        spend = spend_rows.group_by("customer_id").agg(pl.col("amount").fill_null(0).sum())
    else:
        spend = pl.DataFrame(
            {"customer_id": [], "amount": []},
            schema={"customer_id": pl.String, "amount": pl.Float64},
        )
    frame = (
        campaign.frame.join(active, on="customer_id", how="left")
        .join(spend, on="customer_id", how="left")
        .with_columns(
            (pl.col("activity").is_null()).cast(pl.Int8).alias("churned"),
            pl.col("amount").fill_null(0.0).alias("spend"),
        )
        .drop("activity", "amount")
    )
    return frame, observed_days


def _group_stats(frame: pl.DataFrame, group: str) -> dict[str, Any]:
    part = frame.filter(pl.col("group") == group)
    n = part.height
    churned = int(part.get_column("churned").sum()) if n else 0
    rate = churned / n if n else None
    low, high = wilson(churned, n) if n else (None, None)
    return {
        "customers": n,
        "churned": churned,
        "churn_rate": rate,
        "churn_rate_low": low,
        "churn_rate_high": high,
        "predicted_churn_rate": float(part.get_column("churn_probability").mean()) if n else None,
        "spend_per_customer": float(part.get_column("spend").mean()) if n else None,
    }


def _uplift(t: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    if not t["customers"] or not c["customers"]:
        return {"estimate": None, "low": None, "high": None}
    estimate, low, high = difference_interval(
        c["churned"], c["customers"], t["churned"], t["customers"]
    )
    rel, rel_low, rel_high = relative_interval(
        t["churned"], t["customers"], c["churned"], c["customers"]
    )
    return {
        "estimate": estimate,
        "low": low,
        "high": high,
        "relative": rel,
        "relative_low": rel_low,
        "relative_high": rel_high,
    }


def _spend_difference(frame: pl.DataFrame) -> tuple[float, float, float]:
    """Treatment minus control spend per customer in the observed weeks, normal 95 % interval."""
    t = frame.filter(pl.col("group") == TREATMENT).get_column("spend").to_numpy()
    c = frame.filter(pl.col("group") == CONTROL).get_column("spend").to_numpy()
    if len(t) < 2 or len(c) < 2:
        return 0.0, 0.0, 0.0
    d = float(t.mean() - c.mean())
    se = math.sqrt(t.var(ddof=1) / len(t) + c.var(ddof=1) / len(c))
    return d, d - Z_ALPHA * se, d + Z_ALPHA * se


def backtest(frame: pl.DataFrame, facts: dict[str, str], config: CampaignConfig) -> dict | None:
    """Last campaign's predictions against what happened, on customers the offer did not touch."""
    from churnlab.evaluation import evaluate

    untouched = frame.filter(pl.col("group").is_in([CONTROL, NOT_SELECTED]))
    y = untouched.get_column("churned").to_numpy().astype(int)
    if len(y) < MIN_BACKTEST or y.min() == y.max():
        return None
    p = untouched.get_column("churn_probability").to_numpy().astype(float)
    metrics = evaluate(y, p)
    bands = []
    for band in BANDS:
        part = untouched.filter(pl.col("risk_band") == band)
        if part.height:
            bands.append(
                {
                    "band": band,
                    "customers": part.height,
                    "predicted": float(part.get_column("churn_probability").mean()),
                    "observed": float(part.get_column("churned").mean()),
                }
            )
    try:
        reported = float(facts.get("model_auc_out_of_time") or "nan")
    except ValueError:
        reported = float("nan")
    stale = bool(reported == reported and metrics["roc_auc"] < reported - config.stale_auc_drop)
    return {
        "customers": len(y),
        "churned": int(y.sum()),
        "roc_auc": metrics["roc_auc"],
        "lift_10": metrics["lift"]["10"],
        "capture_10": metrics["capture"]["10"],
        "predicted_churn_rate": float(p.mean()),
        "observed_churn_rate": float(y.mean()),
        "reported_roc_auc": reported if reported == reported else None,
        "stale": stale,
        "bands": bands,
        "gains": metrics["curves"]["gains"],
    }


def measure(
    campaign: CampaignFile,
    events: pl.DataFrame | None,
    *,
    salt: str | None = None,
    config: CampaignConfig | None = None,
    table: pl.DataFrame | None = None,
) -> CampaignResults:
    """Treatment against control, overall and per risk band, and the backtest. A customer
    table's campaign is measured on ``table``, a later export of it with the churn label."""
    config = (config or CampaignConfig()).validate()
    if campaign.measured_by_label:
        frame, observed_days = label_outcomes(campaign, table, salt)
    else:
        frame, observed_days = outcomes(campaign, events, salt)
    t = _group_stats(frame, TREATMENT)
    c = _group_stats(frame, CONTROL)
    if not t["customers"] or not c["customers"]:
        raise DataError("error.results.no_control", hint="error.results.no_control.hint")
    uplift = _uplift(t, c)
    n_t = t["customers"]
    kept = {k: uplift[k] * n_t for k in ("estimate", "low", "high")}
    treated = frame.filter(pl.col("group") == TREATMENT)
    margin = campaign.number("margin", config.margin)
    value_t = (
        float(treated.get_column("customer_value").mean())
        if "customer_value" in treated.columns
        else 0.0
    )
    stayed_t = n_t - t["churned"]
    orders_value = 0.0  # the discount applies to one average order: spend per active customer
    if stayed_t:
        orders_value = float(treated.get_column("spend").sum()) / stayed_t
    offer = campaign.number("offer_cost") + campaign.number("discount_rate") * orders_value
    cost = n_t * campaign.number("contact_cost") + stayed_t * offer
    gain = {k: kept[k] * value_t * margin for k in kept}
    net = {k: gain[k] - cost for k in gain}
    spend_d, spend_low, spend_high = _spend_difference(frame)
    rate_c = c["churn_rate"] or 0.0
    save = {k: (uplift[k] / rate_c if rate_c > 0 else None) for k in ("estimate", "low", "high")}
    mde = detectable_difference(n_t, c["customers"], rate_c)
    complete = observed_days >= campaign.horizon_days
    summary: dict[str, Any] = {
        "treatment": t,
        "control": c,
        "uplift": uplift,
        "customers_kept": kept,
        "observed_days": int(observed_days),
        "horizon_days": campaign.horizon_days,
        "complete": complete,
        "detectable_difference": mde,
        "save_rate": save,
        "save_rate_assumed": campaign.number("save_rate_assumed", config.save_rate),
        "value_per_treated": value_t,
        "incremental_margin": gain,
        "offer_costs": cost,
        "net": net,
        "roi": {k: (net[k] / cost if cost > 0 else None) for k in net},
        "spend_difference": {"estimate": spend_d, "low": spend_low, "high": spend_high},
        "incremental_spend_observed": {
            "estimate": spend_d * n_t,
            "low": spend_low * n_t,
            "high": spend_high * n_t,
        },
        "currency": campaign.facts.get("currency", config.currency),
    }
    bands = []
    for band in BANDS:
        part = frame.filter(pl.col("risk_band") == band)
        bt, bc = _group_stats(part, TREATMENT), _group_stats(part, CONTROL)
        if bt["customers"] or bc["customers"]:
            bands.append({"band": band, "treatment": bt, "control": bc, "uplift": _uplift(bt, bc)})
    notes: list[Message] = []
    missing = campaign.frame.height - frame.height
    if missing:
        notes.append(
            Message("results.missing_customers", {"missing": missing, "all": campaign.frame.height})
        )
    if not complete:
        notes.append(
            Message(
                "results.partial",
                {"observed": int(observed_days), "horizon": campaign.horizon_days},
            )
        )
    test = backtest(frame, campaign.facts, config)
    if test is not None and test["stale"] and complete:
        notes.append(
            Message(
                "results.stale",
                {
                    "realised": round(test["roc_auc"], 3),
                    "reported": round(test["reported_roc_auc"], 3),
                },
            )
        )
    return CampaignResults(
        facts=campaign.facts,
        outcomes=frame,
        summary=summary,
        bands=bands,
        backtest=test,
        verdict=verdict(summary),
        notes=notes,
    )


def verdict(summary: dict[str, Any]) -> Message:
    """The result in plain words: an effect with its interval, or honestly none yet."""
    u = summary["uplift"]
    kept = summary["customers_kept"]["estimate"]
    values = {
        "points": f"{abs(u['estimate']) * 100:.1f}",
        "low": f"{u['low'] * 100:.1f}",
        "high": f"{u['high'] * 100:.1f}",
        "kept": f"{kept:,.0f}",
        "net": _money(summary["net"]["estimate"], summary["currency"]),
        "mde": f"{(summary['detectable_difference'] or 0) * 100:.1f}",
        "observed": summary["observed_days"],
        "horizon": summary["horizon_days"],
    }
    suffix = "" if summary["complete"] else ".partial"
    if u["low"] > 0:
        return Message("results.verdict.lowered" + suffix, values)
    if u["high"] < 0:
        values["low"], values["high"] = f"{-u['high'] * 100:.1f}", f"{-u['low'] * 100:.1f}"
        return Message("results.verdict.raised" + suffix, values)
    return Message("results.verdict.unclear" + suffix, values)


def _money(value: float, currency: str) -> str:
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value >= 10_000:
        return f"{sign}{currency}{value / 1000:,.0f}k"
    return f"{sign}{currency}{value:,.0f}"


def results_text(results: CampaignResults, lang: str = "en") -> str:
    """The results as plain text for the CLI."""
    from churnlab.i18n import t as tr

    s = results.summary
    lines = [
        tr(
            "results.cli.header_table" if results.measured_by_label else "results.cli.header",
            lang,
            campaign=results.facts.get("campaign_id", ""),
            as_of=results.facts.get("as_of", ""),
            observed=s["observed_days"],
            horizon=s["horizon_days"],
            customers=results.outcomes.height,
        ),
        "group        customers  churned  churn rate",
    ]
    for name in (TREATMENT, CONTROL):
        g = s[name]
        lines.append(
            f"{name:<11}  {g['customers']:>9}  {g['churned']:>7}  {g['churn_rate']:>10.1%}"
        )
    u = s["uplift"]
    lines.append(
        f"uplift (control − treatment): {u['estimate'] * 100:+.1f} points "
        f"(95 % {u['low'] * 100:+.1f} to {u['high'] * 100:+.1f})"
    )
    for band in results.bands:
        bu = band["uplift"]
        if bu["estimate"] is not None:
            lines.append(
                f"  {band['band']:<6} treatment {band['treatment']['customers']:>5} "
                f"control {band['control']['customers']:>5}  uplift {bu['estimate'] * 100:+.1f} "
                f"({bu['low'] * 100:+.1f} to {bu['high'] * 100:+.1f})"
            )
    k = s["customers_kept"]
    lines.append(f"customers kept: {k['estimate']:,.0f} ({k['low']:,.0f} to {k['high']:,.0f})")
    cur = s["currency"]
    lines.append(
        f"net after offer costs ({cur}{s['offer_costs']:,.0f}): "
        f"{_money(s['net']['estimate'], cur)} ({_money(s['net']['low'], cur)} to "
        f"{_money(s['net']['high'], cur)})"
    )
    lines.append(results.verdict.text(lang))
    b = results.backtest
    if b is None:
        lines.append(tr("results.backtest.none", lang))
    else:
        lines.append(
            f"backtest on {b['customers']} untouched customers: ROC AUC {b['roc_auc']:.3f}"
            + (f" (training reported {b['reported_roc_auc']:.3f})" if b["reported_roc_auc"] else "")
            + f", lift@10% {b['lift_10']:.2f}, capture@10% {b['capture_10']:.0%}"
        )
        for band in b["bands"]:
            lines.append(
                f"  {band['band']:<6} predicted {band['predicted']:.1%}  observed {band['observed']:.1%}"
                f"  ({band['customers']} customers)"
            )
    for note in results.notes:
        lines.append(f"note: {note.text(lang)}")
    return "\n".join(lines)


def planner_save_rate(results: CampaignResults) -> dict[str, Any] | None:
    """The measured save rate for the planner (share of would-be churners kept), or None.

    None when the estimate is not above zero: a planner cannot plan with a negative save rate.
    """
    save = results.summary["save_rate"]
    if save["estimate"] is None or save["estimate"] <= 0:
        return None
    clip = lambda v: min(max(float(v), 0.0), 1.0)  # noqa: E731
    return {
        "rate": clip(save["estimate"]),
        "low": clip(save["low"]),
        "high": clip(save["high"]),
        "campaign_id": results.facts.get("campaign_id", ""),
        "as_of": results.facts.get("as_of", ""),
    }
