"""The campaign-file side of the CLI: ``score --control-share`` and ``results``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from churnlab.errors import ChurnlabError


def add_results_command(
    commands: Any, add_mapping_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    results = commands.add_parser(
        "results", help="measure a campaign: treatment against control, and last month's scores"
    )
    results.add_argument("campaign", type=Path, metavar="CAMPAIGN_FILE")
    results.add_argument("files", nargs="+", type=Path, metavar="EXPORT")
    results.add_argument("--json", action="store_true", help="print one JSON object")
    results.add_argument("--salt", help="the salt, if the campaign file holds pseudonyms")
    results.add_argument("--lang", choices=("en", "zh"), default="en", help="language of verdicts")
    add_mapping_options(results)
    results.set_defaults(run=run_results)


def write_campaign_file(args: argparse.Namespace, trained: Any, scored: Any, plan: Any) -> int:
    """Write the campaign file of ``score --control-share`` (every customer scored)."""
    from churnlab.holdout import (
        build_campaign,
        campaign_settings,
        pseudonymise_campaign,
        write_campaign,
    )

    suffix = Path(args.out).suffix.lower()
    if (args.format or suffix.lstrip(".") or "csv") != "csv":
        raise ChurnlabError("error.results.campaign_csv", out=str(args.out))
    campaign = build_campaign(
        plan.frame,
        config=plan.config,
        **campaign_settings(trained, scored),
        activity=trained.definition.activity,
        lookback_days=trained.definition.lookback_days,
        model_document=trained.document,
        features=scored.features,
    )
    if args.pseudonymize:
        campaign = pseudonymise_campaign(campaign, args.pseudonymize)
    write_campaign(campaign, args.out)
    facts = campaign.facts
    mde = facts["detectable_difference"]
    print(
        f"Campaign {facts['campaign_id']} as of {facts['as_of']}: contact {facts['treatment']} "
        f"(treatment), hold back {facts['control']} (control) of {facts['customers_scored']} scored; "
        + (
            f"detectable difference in churn {float(mde) * 100:.1f} points (80 % power)."
            if mde
            else "no control group: the effect cannot be measured."
        )
    )
    print(f"Wrote the campaign file to {args.out}")
    return 0


def measure_files(
    campaign_path: Path, files: list[Path], args: argparse.Namespace, events: Any = None
) -> Any:
    """Read the campaign file first (its errors are the clearest), then measure it on the files."""
    from churnlab.cli_model import _load
    from churnlab.holdout import read_campaign
    from churnlab.results import measure

    campaign = read_campaign(campaign_path)
    if campaign.measured_by_label:
        later = _load(files, args).customers
        return measure(campaign, None, salt=args.salt, table=later)
    if events is None:
        events = _load(files, args).events
    return measure(campaign, events, salt=args.salt)


def run_results(args: argparse.Namespace) -> int:
    from churnlab.results import results_text

    results = measure_files(args.campaign, list(args.files), args)
    if args.json:
        print(json.dumps(results.to_dict(args.lang), ensure_ascii=False, default=str))
    else:
        print(results_text(results, args.lang))
    return 0
