"""The sample shop's past campaign, with a known true effect.

The sample's events end on 2026-10-31. One horizon (90 days) earlier, on
2026-08-03, the shop scored its customers with the bundled sample model,
planned a campaign with the default economics and held back half of the
selected customers as a control group (a test campaign, so that the uplift
model has enough customers of both groups).

The sample events themselves are what happened *without* an offer, so the
control and not-selected customers keep their real outcomes. For the treated
customers the offer's effect is simulated on the weeks after the campaign:

- **helped** (coupon users, ``coupon_share`` ≥ 0.4): a would-be churner is kept
  with probability ``HELP`` — they get one purchase in the horizon;
- **pushed away** (not helped, ``service_contacts_365d`` ≥ 2: annoyed by one
  more message): a customer who would have stayed leaves with probability
  ``PUSH`` — their events after the campaign are removed;
- everyone else: no effect.

``after_campaign.parquet`` is the "later export": the sample's events from the
campaign date on, with that effect applied. ``truth.json`` holds the rules and
the true expected uplift of the selected customers, for tests and the README.
The sample's events, customers and model are not touched. One caveat: the
bundled model was refit on every labelled cut-off, including 2026-08-03, so
its backtest on the sample is slightly optimistic; on a real shop the model
of a campaign was trained before it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

from churnlab.sample import DEFAULT_END, SAMPLE_DIR, existing_files

CAMPAIGN_DIR: Path = SAMPLE_DIR / "campaign"
CAMPAIGN_FILE = "campaign.csv"
EXPORT_FILE = "after_campaign.parquet"
TRUTH_FILE = "truth.json"
HORIZON_DAYS = 90
CAMPAIGN_DATE: dt.date = DEFAULT_END + dt.timedelta(days=1 - HORIZON_DAYS)
CONTROL_SHARE = 0.5
HELP = 0.6
PUSH = 0.4
HELPED_COUPON_SHARE = 0.4
PUSHED_SERVICE_CONTACTS = 2.0
SEED = 0


def true_segments(frame: pl.DataFrame) -> np.ndarray:
    """ "helped" / "pushed" / "none" for each row of a campaign file (the simulation's rule)."""
    coupon = frame.get_column("coupon_share").fill_null(0.0).to_numpy()
    service = frame.get_column("service_contacts_365d").fill_null(0.0).to_numpy()
    helped = coupon >= HELPED_COUPON_SHARE
    pushed = ~helped & (service >= PUSHED_SERVICE_CONTACTS)
    return np.where(helped, "helped", np.where(pushed, "pushed", "none"))


def apply_effect(
    events: pl.DataFrame, campaign: pl.DataFrame, as_of: dt.date, seed: int = SEED
) -> tuple[pl.DataFrame, dict]:
    """The events from ``as_of`` on, with the offer's simulated effect on treated customers."""
    start = dt.datetime.combine(as_of, dt.time())
    end = start + dt.timedelta(days=HORIZON_DAYS)
    after = events.filter(pl.col("timestamp") >= start)
    buyers = set(
        after.filter((pl.col("timestamp") < end) & (pl.col("event_type") == "purchase"))
        .get_column("customer_id")
        .unique()
        .to_list()
    )
    ids = campaign.get_column("customer_id").to_numpy().astype(str)
    group = campaign.get_column("group").to_numpy().astype(str)
    segment = true_segments(campaign)
    churned = np.array([cid not in buyers for cid in ids])
    rng = np.random.default_rng(seed)
    draw = rng.random(len(ids))
    treated = group == "treatment"
    kept = treated & (segment == "helped") & churned & (draw < HELP)
    pushed = treated & (segment == "pushed") & ~churned & (draw < PUSH)

    aov = campaign.get_column("avg_order_value").fill_null(100.0).to_numpy()
    days = rng.integers(0, HORIZON_DAYS, len(ids))
    seconds = rng.integers(9 * 3600, 22 * 3600, len(ids))
    new = pl.DataFrame(
        {
            "customer_id": ids[kept],
            "timestamp": [
                start + dt.timedelta(days=int(d), seconds=int(s))
                for d, s in zip(days[kept], seconds[kept], strict=True)
            ],
            "event_type": ["purchase"] * int(kept.sum()),
            "amount": np.round(aov[kept], 2),
            "order_id": [f"OC{i:07d}" for i in range(int(kept.sum()))],
            "coupon": ["WINBACK20"] * int(kept.sum()),
        },
        schema_overrides={"timestamp": pl.Datetime("us")},
    )
    gone = pl.Series(ids[pushed]).implode()
    out = pl.concat(
        [after.filter(~pl.col("customer_id").is_in(gone)), new], how="diagonal_relaxed"
    ).sort("timestamp", "customer_id", maintain_order=True)

    selected = group != "not_selected"
    tau = np.where(segment == "helped", HELP * churned, 0.0) - np.where(
        segment == "pushed", PUSH * ~churned, 0.0
    )
    truth = {
        "campaign_date": as_of.isoformat(),
        "horizon_days": HORIZON_DAYS,
        "rules": {
            "helped": f"coupon_share >= {HELPED_COUPON_SHARE}: a would-be churner is kept "
            f"with probability {HELP}",
            "pushed": f"otherwise service_contacts_365d >= {PUSHED_SERVICE_CONTACTS:g}: a customer "
            f"who would have stayed leaves with probability {PUSH}",
            "none": "everyone else: no effect",
        },
        "selected": {
            name: int((selected & (segment == name)).sum()) for name in ("helped", "pushed", "none")
        },
        "true_uplift_selected": float(tau[selected].mean()),
        "treated_kept": int(kept.sum()),
        "treated_pushed_away": int(pushed.sum()),
    }
    return out, truth


def write_sample_campaign(out_dir: str | Path | None = None, shop=None, trained=None) -> list[Path]:
    """Score the sample as of the campaign date, split, simulate the effect, write the files.

    Uses the committed sample shop and model unless ``shop`` / ``trained`` are given; run it
    again after the sample model is regenerated (a test checks the files match).
    """
    from churnlab.campaign import plan_campaign
    from churnlab.config import CampaignConfig, ScoringConfig
    from churnlab.holdout import build_campaign, write_campaign
    from churnlab.ingest.loading import load_files
    from churnlab.pipeline import load_or_train_sample_model, score
    from churnlab.sample import sample_paths

    out = Path(out_dir) if out_dir is not None else CAMPAIGN_DIR
    out.mkdir(parents=True, exist_ok=True)
    shop = shop if shop is not None else load_files(sample_paths())
    trained = trained if trained is not None else load_or_train_sample_model(shop)
    scored = score(trained, shop, scoring=ScoringConfig(as_of=CAMPAIGN_DATE))
    config = CampaignConfig(control_share=CONTROL_SHARE)
    plan = plan_campaign(scored.frame, config, lookback_days=trained.definition.lookback_days)
    definition = trained.definition
    campaign = build_campaign(
        plan.frame,
        config=config,
        as_of=CAMPAIGN_DATE,
        horizon_days=definition.horizon_days,
        activity=definition.activity,
        lookback_days=definition.lookback_days,
        model_document=trained.document,
        features=scored.features,
        seed=SEED,
    )
    export, truth = apply_effect(shop.events, campaign.frame, CAMPAIGN_DATE)
    paths = [out / CAMPAIGN_FILE, out / EXPORT_FILE, out / TRUTH_FILE]
    write_campaign(campaign, paths[0])
    export.write_parquet(paths[1], compression="zstd", compression_level=10, statistics=True)
    paths[2].write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    return paths


def sample_campaign_paths() -> tuple[Path, Path]:
    """The committed sample campaign file and its later export, checked to exist."""
    campaign, export = existing_files(CAMPAIGN_DIR, (CAMPAIGN_FILE, EXPORT_FILE))
    return campaign, export


def sample_truth() -> dict:
    return json.loads((CAMPAIGN_DIR / TRUTH_FILE).read_text(encoding="utf-8"))
