"""The model commands of the CLI: ``train`` and ``score``."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from churnlab.config import (
    CampaignConfig,
    ChurnDefinition,
    ScoringConfig,
    Settings,
    TrainingConfig,
)
from churnlab.errors import ChurnlabError, ConfigError
from churnlab.schema import LABEL
from churnlab.spend import PERIOD_DAYS, SpendSource


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2024-03-31") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} must be positive")
    return value


def add_model_commands(
    commands: Any, add_mapping_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    defaults = ChurnDefinition()
    train = commands.add_parser("train", help="train and validate a churn model")
    train.add_argument("files", nargs="+", type=Path, metavar="FILE")
    train.add_argument("--out", required=True, type=Path, help="model bundle folder to write")
    train.add_argument("--horizon", type=_positive_int, default=defaults.horizon_days)
    train.add_argument(
        "--activity",
        default="purchase",
        help="what counts as staying: purchase, any, or event types like purchase,review",
    )
    train.add_argument("--lookback", type=_positive_int, default=defaults.lookback_days)
    train.add_argument("--cutoff", type=_date, help="evaluation cut-off date (YYYY-MM-DD)")
    train.add_argument("--label", help="churn label column of a customer table")
    train.add_argument("--seed", type=int, default=TrainingConfig().seed)
    train.add_argument(
        "--tuning-seconds",
        type=float,
        default=TrainingConfig().tuning_seconds,
        help="time budget of the parameter search",
    )
    train.add_argument(
        "--max-trials",
        type=_positive_int,
        default=TrainingConfig().max_trials,
        help="parameter sets tried, at most",
    )
    train.add_argument(
        "--full-search",
        action="store_true",
        help="run the parameter search on a big shop too (by default a shop with more than "
        f"{TrainingConfig().search_up_to_rows:,} labelled rows trains on the default settings)",
    )
    add_mapping_options(train)
    _add_dask_option(train)
    train.set_defaults(run=run_train)

    score = commands.add_parser("score", help="score customers with a saved model")
    score.add_argument("model", type=Path, metavar="MODEL")
    score.add_argument("files", nargs="+", type=Path, metavar="FILE")
    score.add_argument("--out", required=True, type=Path, help="list to write (.csv or .xlsx)")
    score.add_argument("--as-of", type=_date, help="score as of this date (YYYY-MM-DD)")
    score.add_argument("--top", type=_positive_int, help="keep the N highest-risk customers")
    score.add_argument("--lang", choices=("en", "zh"), default="en", help="language of reasons")
    score.add_argument(
        "--max-explained",
        type=_positive_int,
        default=ScoringConfig().max_explained,
        help="exact reasons for the N highest-risk customers (default %(default)s)",
    )
    score.add_argument(
        "--format", choices=("csv", "xlsx"), help="output format (default: from --out)"
    )
    score.add_argument("--pseudonymize", metavar="SALT", help="replace ids with a keyed hash")
    _add_campaign_options(score)
    score.add_argument(
        "--campaign-only", action="store_true", help="write only the customers the campaign plans"
    )
    score.add_argument(
        "--control-share",
        type=_share,
        help="write the campaign file (every customer, group treatment/control/not_selected), "
        "holding back this share of the selected customers as a control group "
        f"(default {CampaignConfig().control_share:.0%}%)",
    )
    add_mapping_options(score)
    _add_dask_option(score)
    score.set_defaults(run=run_score)

    report = commands.add_parser("report", help="write the management report as one HTML file")
    report.add_argument("model", type=Path, metavar="MODEL")
    report.add_argument("files", nargs="+", type=Path, metavar="FILE")
    report.add_argument("--out", required=True, type=Path, help="HTML file to write")
    report.add_argument("--lang", choices=("en", "zh"), default="en")
    report.add_argument("--as-of", type=_date, help="score as of this date (YYYY-MM-DD)")
    report.add_argument(
        "--campaign",
        type=Path,
        metavar="CAMPAIGN_FILE",
        help="add the results of this campaign file, measured on FILE",
    )
    report.add_argument("--salt", help="the salt, if the campaign file holds pseudonyms")
    _add_campaign_options(report)
    add_mapping_options(report)
    _add_dask_option(report)
    report.set_defaults(run=run_report)


def _share(text: str) -> float:
    """A share given as 0.3, 30 or 30%."""
    raw = text.strip().rstrip("%")
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage like 30 or 0.3") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be between 0 and 100 %")
    return value


def _money(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} cannot be negative")
    return value


CAMPAIGN_OPTIONS = ("budget", "margin", "save_rate", "offer_cost", "contact_cost", "discount")


def _add_campaign_options(parser: argparse.ArgumentParser) -> None:
    d = CampaignConfig()
    group = parser.add_argument_group(
        "campaign (adds customer_value, expected_net_gain, recommended_action)"
    )
    group.add_argument("--budget", type=_money, help="cap on the expected campaign cost")
    group.add_argument("--margin", type=_share, help=f"gross margin (default {d.margin:.0%}%)")
    group.add_argument(
        "--save-rate", type=_share, help=f"share of churners kept (default {d.save_rate:.0%}%)"
    )
    group.add_argument(
        "--offer-cost", type=_money, help=f"offer cost per redeemer (default {d.offer_cost})"
    )
    group.add_argument(
        "--contact-cost", type=_money, help=f"cost per contact (default {d.contact_cost})"
    )
    group.add_argument("--discount", type=_share, help="discount on one average order")
    group.add_argument(
        "--value-days", type=_positive_int, help=f"value period (default {d.value_days})"
    )
    group.add_argument("--min-risk", type=_share, help="contact only customers above this risk")
    group.add_argument(
        "--spend-column",
        metavar="COLUMN",
        help="a customer table's column of each customer's spend per --spend-period "
        "(default: a column whose name says money and a period, such as MonthlyCharges)",
    )
    group.add_argument(
        "--spend-period",
        choices=tuple(PERIOD_DAYS),
        default="month",
        help="the period --spend-column covers (default %(default)s)",
    )


def _spend(args: argparse.Namespace, trained: Any) -> SpendSource | None:
    """The spend column named on the command line; None lets scoring guess it."""
    if not args.spend_column:
        return None
    if trained.mode != "table":
        raise ConfigError("error.cli.spend_column_events")
    return SpendSource(args.spend_column, args.spend_period)


def _campaign_config(args: argparse.Namespace) -> CampaignConfig:
    d = CampaignConfig()
    return CampaignConfig(
        margin=args.margin if args.margin is not None else d.margin,
        save_rate=args.save_rate if args.save_rate is not None else d.save_rate,
        offer_cost=args.offer_cost if args.offer_cost is not None else d.offer_cost,
        contact_cost=args.contact_cost if args.contact_cost is not None else d.contact_cost,
        discount_rate=args.discount if args.discount is not None else d.discount_rate,
        value_days=args.value_days or d.value_days,
        min_risk=args.min_risk if args.min_risk is not None else d.min_risk,
        budget=args.budget,
        control_share=(
            args.control_share
            if getattr(args, "control_share", None) is not None
            else d.control_share
        ),
    ).validate()


def _wants_campaign(args: argparse.Namespace) -> bool:
    return (
        args.campaign_only
        or getattr(args, "control_share", None) is not None
        or any(getattr(args, name) is not None for name in CAMPAIGN_OPTIONS)
    )


def _activity(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    if not parts:
        raise ConfigError("error.cli.activity")
    return parts


def _load(
    files: list[Path],
    args: argparse.Namespace,
    extra: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
):
    from churnlab.cli import warn
    from churnlab.ingest.loading import doubts, load_files, parse_overrides
    from churnlab.ingest.mapping import parse_event_codes

    overrides = parse_overrides(args.maps)
    overrides.update(extra or {})
    codes = parse_event_codes(args.event_codes) if getattr(args, "event_codes", None) else {}
    codes = {**(event_codes or {}), **codes}
    shop = load_files(files, sheet=args.sheet, overrides=overrides or None, event_codes=codes)
    if args.command == "train":
        from churnlab.pipeline import check_customer_columns

        check_customer_columns(shop)  # a refusal is the one line, not a warning and an error
    warn([str(m) for m in doubts(shop.tables)])
    return shop


def _add_dask_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or local:N "
        "(N workers here); the first FILE is then the event log, a folder or a quoted glob "
        "of Parquet parts, and any further FILEs are customer tables",
    )


@contextlib.contextmanager
def _shop(
    files: list[Path],
    args: argparse.Namespace,
    extra: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
) -> Iterator[tuple[Any, Any]]:
    """The loaded shop and what trains and scores it: ``churnlab.pipeline`` in this process,
    or ``churnlab.distributed`` on a Dask cluster (``--dask``), which has the same calls."""
    if not getattr(args, "dask", None):
        from churnlab import pipeline

        yield _load(files, args, extra, event_codes), pipeline
        return
    from churnlab import distributed
    from churnlab.cli import warn
    from churnlab.ingest.loading import doubts, parse_overrides
    from churnlab.ingest.mapping import parse_event_codes
    from churnlab.pipeline import check_customer_columns

    overrides = parse_overrides(args.maps)
    overrides.update(extra or {})
    codes = parse_event_codes(args.event_codes) if getattr(args, "event_codes", None) else {}
    codes = {**(event_codes or {}), **codes}
    distributed.resolve_parts(files[0])  # a glob that matches nothing: say so before connecting
    with distributed.connect(args.dask) as client:
        shop = distributed.load_shop(
            client,
            files[0],
            files[1:],
            overrides=overrides or None,
            event_codes=codes or None,
            sheet=args.sheet,
        )
        if args.command == "train":
            check_customer_columns(shop)
        warn([str(m) for m in doubts(shop.tables)])
        yield shop, distributed


def _check_output(out: Path, inputs: list[Path]) -> None:
    resolved = out.resolve()
    for path in inputs:
        if path.exists() and path.resolve() == resolved:
            raise ChurnlabError("error.cli.output_is_input", out=str(out))


def run_train(args: argparse.Namespace) -> int:
    from churnlab.pipeline import save_model

    _check_output(args.out, list(args.files))
    definition = ChurnDefinition(
        horizon_days=args.horizon,
        activity=_activity(args.activity),
        lookback_days=args.lookback,
        cutoff=args.cutoff,
    )
    settings = Settings(
        churn=definition,
        training=TrainingConfig(
            seed=args.seed,
            tuning_seconds=args.tuning_seconds,
            max_trials=args.max_trials,
            **({"search_up_to_rows": None} if args.full_search else {}),
        ),
    )
    with _shop(list(args.files), args, {LABEL: args.label} if args.label else None) as (
        shop,
        engine,
    ):
        trained = engine.train(shop, settings)
    save_model(trained, args.out)
    print(training_summary(trained))
    print(f"Model saved to {args.out}")
    return 0


def _big_shop_note(doc: dict[str, Any]) -> list[str]:
    """One line when a big shop was trained without the parameter search (``searches``)."""
    limit = (doc.get("training") or {}).get("search_up_to_rows")
    rows = sum(int(row["population"]) for row in doc.get("cutoff_stats") or [])
    if doc["mode"] != "events" or TrainingConfig(search_up_to_rows=limit).searches(rows):
        return []
    rate = doc.get("params", {}).get("learning_rate")
    return [
        f"A big shop ({rows:,} labelled rows): the default settings (learning rate {rate}) "
        "without the parameter search, which changes little at this size; --full-search runs it."
    ]


def training_summary(trained: Any) -> str:
    """Population, churn rate, cut-offs, and the model against the baselines, in plain text."""
    doc = trained.document
    lines: list[str] = []
    if doc["mode"] == "events":
        plan = doc["plan"]
        definition = doc["definition"]
        lines.append(
            f"Churn: no {'/'.join(definition['activity'])} in the {definition['horizon_days']} days "
            f"after a cut-off; population: customers active in the {definition['lookback_days']} "
            "days before it."
        )
        lines.append(
            f"Data: {plan['data_start'][:10]} to {plan['data_end'][:10]}; "
            f"{len(plan['cutoffs'])} cut-offs from {plan['cutoffs'][0]} to {plan['cutoffs'][-1]}; "
            f"evaluation cut-off {plan['eval_cutoff']} (out of time)."
        )
        lines.append("cut-off      customers  churned  rate")
        for row in doc["cutoff_stats"]:
            lines.append(
                f"{str(row['cutoff'])[:10]}  {row['population']:>9}  {row['churners']:>7}  "
                f"{row['churn_rate']:.1%}"
            )
    else:
        lines.append(f"Labelled customer table; churn rate {doc['base_rate']:.1%}.")
    lines.append("")
    lines.append("model            ROC AUC  PR AUC  log loss  Brier  lift@10%")
    for name, metrics in doc["metrics"].items():
        lines.append(
            f"{name:<15}  {metrics['roc_auc']:>7.3f}  {metrics['pr_auc']:>6.3f}  "
            f"{metrics['log_loss']:>8.4f}  {metrics['brier']:.4f}  {metrics['lift']['10']:>8.2f}"
        )
    lines.extend(_big_shop_note(doc))
    model_auc = doc["metrics"]["model"]["roc_auc"]
    others = {k: v["roc_auc"] for k, v in doc["metrics"].items() if k != "model"}
    best_name, best_auc = max(others.items(), key=lambda kv: kv[1]) if others else ("", 0.0)
    if others:
        verdict = "beats" if model_auc > best_auc else "does NOT beat"
        lines.append(
            f"The model {verdict} the best baseline ({best_name}) by {model_auc - best_auc:+.3f} AUC."
        )
    for warning in trained.warnings:  # Messages; str() is English
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def run_score(args: argparse.Namespace) -> int:
    import sys

    import polars as pl

    from churnlab.campaign import describe_assumptions, plan_campaign, with_action_names
    from churnlab.export import column_notes, pseudonymise_ids, write_list
    from churnlab.pipeline import bundle_event_codes, load_model

    _check_output(args.out, [args.model, *args.files])
    trained = load_model(args.model)
    scoring = ScoringConfig(
        as_of=args.as_of,
        top=None if _wants_campaign(args) else args.top,
        max_explained=args.max_explained,
        spend=_spend(args, trained),
    )
    codes = bundle_event_codes(trained)
    with _shop(list(args.files), args, event_codes=codes) as (shop, engine):
        scored = engine.score(trained, shop, scoring=scoring, lang=args.lang)
    frame = scored.frame
    about = {
        "as_of": scored.as_of.isoformat() if scored.as_of else "",
        "model_trained": str(trained.document.get("trained_at", "")),
        "churn_definition": str(trained.document.get("definition", "")),
    }
    if _wants_campaign(args):
        config = _campaign_config(args)
        plan = plan_campaign(frame, config, lookback_days=trained.definition.lookback_days)
        if args.control_share is not None:
            from churnlab.cli_results import write_campaign_file

            return write_campaign_file(args, trained, scored, plan)
        frame = plan.frame.sort("rank")
        if args.campaign_only:
            frame = frame.filter(pl.col("planned")).sort("campaign_rank")
        if args.top is not None:
            frame = frame.head(args.top)
        frame = with_action_names(frame, args.lang).drop("expected_cost", "planned")
        about["campaign"] = describe_assumptions(config)
        print(
            f"Campaign: contact {plan.planned_n} of {plan.frame.height} (best N {plan.best_n}"
            + (f", budget allows {plan.budget_n}" if plan.budget_n is not None else "")
            + f"); expected net gain {plan.summary['net_gain']:,.0f}, ROI {plan.summary['roi']:.0%}."
        )
    if args.pseudonymize:
        frame = pseudonymise_ids(frame, args.pseudonymize)
    notes = column_notes(frame.columns, args.lang)
    write_list(frame, args.out, fmt=args.format, column_notes=notes, about=about)
    for warning in scored.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    counts = dict(scored.frame.get_column("risk_band").value_counts().iter_rows())
    when = f"as of {scored.as_of.isoformat()}" if scored.as_of else "of the table"
    print(
        f"Scored {scored.frame.height} customers {when}: "
        f"{counts.get('High', 0)} high, {counts.get('Medium', 0)} medium, "
        f"{counts.get('Low', 0)} low risk. Wrote {frame.height} rows to {args.out}"
    )
    return 0


def run_report(args: argparse.Namespace) -> int:
    from churnlab.campaign import plan_campaign
    from churnlab.export import atomic_write
    from churnlab.pipeline import bundle_event_codes, load_model
    from churnlab.report import render_report_html

    campaign = [args.campaign] if args.campaign else []
    _check_output(args.out, [args.model, *args.files, *campaign])
    trained = load_model(args.model)
    scoring = ScoringConfig(as_of=args.as_of, spend=_spend(args, trained))
    with _shop(list(args.files), args, event_codes=bundle_event_codes(trained)) as (shop, engine):
        scored = engine.score(trained, shop, scoring=scoring, lang=args.lang)
        events = shop.events if campaign and not getattr(args, "dask", None) else None
    results = None
    if campaign:
        from churnlab.cli_results import measure_files

        results = measure_files(args.campaign, list(args.files), args, events)
    plan = None
    if "monetary" in scored.frame.columns:
        plan = plan_campaign(
            scored.frame, _campaign_config(args), lookback_days=trained.definition.lookback_days
        )
    document = render_report_html(trained, scored, plan, lang=args.lang, results=results)
    atomic_write(args.out, document.encode("utf-8"))
    print(f"Report written to {args.out}")
    return 0
