"""A control group at export, and the campaign file that remembers it.

A campaign only teaches something when some of the customers it would contact
are left alone: the difference in churn between the contacted (``treatment``)
and the held-back (``control``) customers is the effect of the offer. The
split is seeded and stratified by risk band, so both groups carry the same mix
of risks.

The campaign file lists every customer scored, with ``group`` =
``treatment`` / ``control`` / ``not_selected``, and the facts of the campaign
(date, horizon, activity definition, offer economics, model fingerprint). It
is a CSV in UTF-8 with a BOM that Excel opens as it is: a header block of
``fact,value`` rows, starting with the line ``churnlab campaign file,1``, then
one blank line, then the customer table. ``groups_digest`` in the header is a
hash of every (id, group) pair, so a file whose groups were edited is refused
when it comes back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from churnlab.config import CampaignConfig
from churnlab.errors import DataError
from churnlab.export import neutralise_text

TREATMENT = "treatment"
CONTROL = "control"
NOT_SELECTED = "not_selected"
GROUPS: tuple[str, ...] = (TREATMENT, CONTROL, NOT_SELECTED)
BANDS: tuple[str, ...] = ("High", "Medium", "Low")

#: How a campaign's outcome is read: activity after ``as_of`` in an event log, or the churn
#: label of a later export of a customer table.
OUTCOME_ACTIVITY = "activity"
OUTCOME_LABEL = "label"

MAGIC = "churnlab campaign file"
FORMAT_VERSION = "1"
REQUIRED_COLUMNS: tuple[str, ...] = ("customer_id", "group", "churn_probability", "risk_band")
REQUIRED_FACTS: tuple[str, ...] = (
    "campaign_id",
    "as_of",
    "horizon_days",
    "activity",
    "groups_digest",
)
#: Features copied into the campaign file when the scored list has them: the uplift model
#: learns from them later, when the outcome is known.
UPLIFT_FEATURES: tuple[str, ...] = (
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "avg_order_value",
    "orders_trend_90d",
    "gap_ratio",
    "coupon_share",
    "refunds_365d",
    "low_ratings",
    "service_contacts_365d",
    "rating_mean",
)
#: A customer table's numeric columns copied into its campaign file, at most.
MAX_TABLE_UPLIFT_COLUMNS = 12
#: Two-sided 5 % and 80 % power.
Z_ALPHA = 1.959963984540054
Z_POWER = 0.8416212335729143
SALT_CHECK_TEXT = "churnlab-salt-check"


@dataclass
class CampaignFile:
    """The customers of a campaign with their group, and the campaign's facts."""

    frame: pl.DataFrame
    facts: dict[str, str]

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.facts["as_of"])

    @property
    def horizon_days(self) -> int:
        return int(float(self.facts["horizon_days"]))

    @property
    def measured_by_label(self) -> bool:
        """A customer table's campaign: its outcome is the churn label of a later export of
        the table, not activity in an event log."""
        return self.facts.get("outcome", OUTCOME_ACTIVITY) == OUTCOME_LABEL

    @property
    def activity(self) -> tuple[str, ...]:
        return tuple(a for a in self.facts["activity"].split(",") if a)

    def number(self, name: str, default: float = 0.0) -> float:
        try:
            return float(self.facts.get(name, default))
        except ValueError:
            return default


def assign_groups(
    customer_ids: np.ndarray,
    bands: np.ndarray,
    selected: np.ndarray,
    control_share: float,
    seed: int = 0,
) -> np.ndarray:
    """``treatment`` / ``control`` / ``not_selected`` per customer.

    Within each risk band the selected customers are put in id order, shuffled with
    the seed, and the first ``round(share × n)`` become the control group: the same
    list and seed always give the same groups, whatever the row order.
    """
    ids = np.asarray(customer_ids).astype(str)
    bands = np.asarray(bands).astype(str)
    selected = np.asarray(selected, dtype=bool)
    groups = np.full(len(ids), NOT_SELECTED, dtype=object)
    groups[selected] = TREATMENT
    rng = np.random.default_rng(seed)
    for band in sorted(set(bands[selected].tolist())):
        members = np.flatnonzero(selected & (bands == band))
        members = members[np.argsort(ids[members], kind="stable")]
        n_control = math.floor(control_share * len(members) + 0.5)
        if n_control:
            groups[rng.permutation(members)[:n_control]] = CONTROL
    return groups.astype(str)


def detectable_difference(n_treatment: int, n_control: int, churn_rate: float) -> float | None:
    """Smallest difference in churn rate (absolute) this split detects at 80 % power, 5 % two-sided."""
    if n_treatment <= 0 or n_control <= 0:
        return None
    rate = min(max(churn_rate, 1e-6), 1 - 1e-6)
    return (Z_ALPHA + Z_POWER) * math.sqrt(rate * (1 - rate) * (1 / n_treatment + 1 / n_control))


def groups_digest(ids: list[str], groups: list[str]) -> str:
    """A short hash of every (id, group) pair, independent of row order."""
    digest = hashlib.sha256()
    for pair in sorted(zip(ids, groups, strict=True)):
        digest.update(f"{pair[0]}\t{pair[1]}\n".encode())
    return digest.hexdigest()[:24]


def salt_check(salt: str) -> str:
    """A fingerprint of the pseudonymisation salt, so results can tell a wrong salt."""
    return hmac.new(salt.encode(), SALT_CHECK_TEXT.encode(), hashlib.sha256).hexdigest()[:12]


def model_fingerprint(document: dict[str, Any]) -> str:
    """A short id of a trained model: when, on what features, how good."""
    parts = (
        str(document.get("trained_at", "")),
        ",".join(document.get("feature_names", [])),
        f"{float(document.get('base_rate', 0.0)):.6f}",
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def build_campaign(
    plan_frame: pl.DataFrame,
    *,
    config: CampaignConfig,
    as_of: dt.date,
    horizon_days: int,
    activity: tuple[str, ...],
    lookback_days: int,
    model_document: dict[str, Any],
    features: pl.DataFrame | None = None,
    seed: int = 0,
    outcome: str = OUTCOME_ACTIVITY,
    uplift_columns: tuple[str, ...] = UPLIFT_FEATURES,
) -> CampaignFile:
    """The campaign file of a plan: every customer scored with a group, and the facts.

    ``plan_frame`` is ``CampaignPlan.frame`` (with ``planned``); ``features`` the scored
    feature rows (any order, keyed by ``customer_id``), for the uplift model later.
    ``outcome`` is ``OUTCOME_LABEL`` for a customer table (``as_of`` is then the day the
    file is made, and ``horizon_days`` 0: the later table's label says who churned).
    ``uplift_columns``: the features copied in for the uplift model (``campaign_settings``).
    """
    if "planned" not in plan_frame.columns:
        raise DataError("error.results.no_plan")
    ids = plan_frame.get_column("customer_id").cast(pl.String).to_numpy().astype(str)
    groups = assign_groups(
        ids,
        plan_frame.get_column("risk_band").to_numpy(),
        plan_frame.get_column("planned").to_numpy(),
        config.control_share,
        seed,
    )
    columns = ["customer_id", "churn_probability", "risk_band"]
    columns += [c for c in ("customer_value", "expected_net_gain") if c in plan_frame.columns]
    frame = plan_frame.select(columns).with_columns(
        pl.col("customer_id").cast(pl.String), pl.Series("group", groups)
    )
    extra = [c for c in uplift_columns if c not in frame.columns]
    if features is not None:
        extra = [c for c in extra if c in features.columns]
        if extra:
            frame = frame.join(
                features.select(pl.col("customer_id").cast(pl.String), *extra),
                on="customer_id",
                how="left",
            )
    frame = frame.select(
        "customer_id", "group", *[c for c in frame.columns if c not in ("customer_id", "group")]
    ).with_columns(  # a readable file: probabilities to 6 decimals, the rest to 4
        pl.col(name).round(6 if name == "churn_probability" else 4)
        for name, dtype in frame.schema.items()
        if dtype == pl.Float64
    )
    treated = groups == TREATMENT
    control = groups == CONTROL
    selected_rate = float(
        plan_frame.get_column("churn_probability").to_numpy()[treated | control].mean()
        if (treated | control).any()
        else 0.0
    )
    mde = detectable_difference(int(treated.sum()), int(control.sum()), selected_rate)
    fingerprint = model_fingerprint(model_document)
    auc = model_document.get("metrics", {}).get("model", {}).get("roc_auc")
    facts = {
        "campaign_id": "",
        "as_of": as_of.isoformat(),
        "horizon_days": str(int(horizon_days)),
        "activity": ",".join(activity),
        "lookback_days": str(int(lookback_days)),
        "control_share": f"{config.control_share:g}",
        "seed": str(int(seed)),
        "customers_scored": str(len(ids)),
        "treatment": str(int(treated.sum())),
        "control": str(int(control.sum())),
        "expected_churn_rate_selected": f"{selected_rate:.6f}",
        "detectable_difference": "" if mde is None else f"{mde:.6f}",
        "margin": f"{config.margin:g}",
        "save_rate_assumed": f"{config.save_rate:g}",
        "offer_cost": f"{config.offer_cost:g}",
        "discount_rate": f"{config.discount_rate:g}",
        "contact_cost": f"{config.contact_cost:g}",
        "value_days": str(config.value_days),
        "currency": config.currency,
        "model_fingerprint": fingerprint,
        "model_trained_at": str(model_document.get("trained_at", "")),
        "model_base_rate": f"{float(model_document.get('base_rate', 0.0)):.6f}",
        "model_auc_out_of_time": "" if auc is None else f"{float(auc):.6f}",
        "pseudonymised": "no",
        "salt_check": "",
        "groups_digest": groups_digest(ids.tolist(), groups.tolist()),
    }
    if outcome != OUTCOME_ACTIVITY:  # event-log campaign files stay as they were
        facts["outcome"] = outcome
    facts["campaign_id"] = hashlib.sha256(
        f"{fingerprint}|{facts['as_of']}|{facts['groups_digest']}".encode()
    ).hexdigest()[:12]
    return CampaignFile(frame, facts)


def campaign_settings(trained: Any, scored: Any, today: dt.date | None = None) -> dict[str, Any]:
    """``build_campaign``'s as_of, horizon, outcome and uplift columns for a model's list.

    An event log's campaign starts at the scoring date and is measured over the horizon. A
    customer table has no date: its campaign is dated the day the file is made and measured
    by the churn label of a later export of the table; its numeric columns (at most
    ``MAX_TABLE_UPLIFT_COLUMNS``) go into the file for the uplift model.
    """
    if scored.as_of is not None:
        return {"as_of": scored.as_of, "horizon_days": trained.definition.horizon_days}
    categorical = set(trained.categorical)
    numeric = [n for n in trained.feature_names if n not in categorical]
    return {
        "as_of": today or dt.date.today(),
        "horizon_days": 0,
        "outcome": OUTCOME_LABEL,
        "uplift_columns": tuple(numeric[:MAX_TABLE_UPLIFT_COLUMNS]),
    }


def pseudonymise_campaign(campaign: CampaignFile, salt: str) -> CampaignFile:
    """The same campaign with ids replaced by their keyed hash (see ``export.pseudonymise_ids``)."""
    from churnlab.export import pseudonymise_ids

    frame = pseudonymise_ids(campaign.frame, salt)
    facts = dict(campaign.facts)
    facts["pseudonymised"] = "yes"
    facts["salt_check"] = salt_check(salt)
    facts["groups_digest"] = groups_digest(
        frame.get_column("customer_id").to_list(), frame.get_column("group").to_list()
    )
    return CampaignFile(frame, facts)


def campaign_csv_bytes(campaign: CampaignFile) -> bytes:
    """The campaign file: header block, a blank line, the customer table (UTF-8 with a BOM)."""
    head = io.StringIO()
    writer = csv.writer(head, lineterminator="\n")
    writer.writerow([MAGIC, FORMAT_VERSION])
    for key, value in campaign.facts.items():
        writer.writerow([key, value])
    writer.writerow([])
    table = io.BytesIO()
    neutralise_text(campaign.frame).write_csv(table)
    return b"\xef\xbb\xbf" + head.getvalue().encode("utf-8") + table.getvalue()


def write_campaign(campaign: CampaignFile, path: str | Path) -> Path:
    from churnlab.export import atomic_write

    return atomic_write(Path(path), campaign_csv_bytes(campaign))


def read_campaign(source: bytes | str | Path) -> CampaignFile:
    """Read a campaign file back and check it is whole: facts, columns, groups, digest."""
    data = Path(source).read_bytes() if isinstance(source, str | Path) else bytes(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            "error.results.not_campaign", hint="error.results.not_campaign.hint"
        ) from None
    lines = text.splitlines()
    first = next(csv.reader(lines[:1]), []) if lines else []
    if not first or first[0].strip() != MAGIC:
        raise DataError("error.results.not_campaign", hint="error.results.not_campaign.hint")
    facts: dict[str, str] = {}
    body_start = None
    for number, row in enumerate(csv.reader(lines[1:]), start=1):
        if not row or not any(cell.strip() for cell in row):
            body_start = number + 1
            break
        facts[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
    missing_facts = [k for k in REQUIRED_FACTS if not facts.get(k)]
    if body_start is None or missing_facts:
        raise DataError(
            "error.results.missing_facts",
            hint="error.results.not_campaign.hint",
            names=", ".join(missing_facts) or "customer table",
        )
    try:
        dt.date.fromisoformat(facts["as_of"])
        int(float(facts["horizon_days"]))
    except ValueError:
        raise DataError(
            "error.results.missing_facts",
            hint="error.results.not_campaign.hint",
            names="as_of, horizon_days",
        ) from None
    body = "\n".join(lines[body_start:])
    try:
        frame = pl.read_csv(
            io.StringIO(body),
            schema_overrides={"customer_id": pl.String, "group": pl.String, "risk_band": pl.String},
            infer_schema_length=10_000,
        )
    except (pl.exceptions.PolarsError, ValueError):
        raise DataError(
            "error.results.unreadable_table", hint="error.results.not_campaign.hint"
        ) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            "error.results.missing_columns",
            hint="error.results.missing_columns.hint",
            names=", ".join(missing),
        )
    frame = frame.with_columns(
        pl.col("customer_id").str.strip_chars().str.strip_prefix("'"),
        pl.col("group").str.strip_chars().str.to_lowercase(),
        pl.col("churn_probability").cast(pl.Float64, strict=False),
    )
    unknown = sorted(set(frame.get_column("group").drop_nulls().to_list()) - set(GROUPS))
    if unknown or frame.get_column("group").null_count():
        raise DataError(
            "error.results.bad_groups",
            hint="error.results.edited.hint",
            values=", ".join(unknown[:3]) or "(empty)",
        )
    if frame.get_column("churn_probability").null_count():
        raise DataError("error.results.bad_probability", hint="error.results.edited.hint")
    digest = groups_digest(
        frame.get_column("customer_id").to_list(), frame.get_column("group").to_list()
    )
    if digest != facts["groups_digest"]:
        raise DataError("error.results.edited", hint="error.results.edited.hint")
    return CampaignFile(frame, facts)
