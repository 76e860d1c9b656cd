"""Training from a log on a Dask cluster: features per bucket, then churnlab's own training.

The feature rows (one per customer and cut-off, about a tenth of the events) are gathered
here, a seeded sample of whole customers when there are more than
``features.MAX_GATHERED_ROWS``, and trained by ``pipeline.train_feature_set``: the same
out-of-time split, tuning, calibration, baselines and bundle as in one process. Every fit
already uses at most ``TrainingConfig.max_fit_rows`` rows, so the sample costs nothing the
single process does not already do on a large shop.
"""

from __future__ import annotations

from churnlab.config import Settings
from churnlab.distributed.features import (
    MAX_GATHERED_ROWS,
    SAMPLED,
    DaskShop,
    build_training_set,
)
from churnlab.i18n import Message
from churnlab.pipeline import (
    Progress,
    TrainedModel,
    _mapping_summary,
    check_customer_columns,
    warning_to_dict,
)
from churnlab.pipeline import train_feature_set as _train_feature_set


def train(
    shop: DaskShop,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    max_rows: int = MAX_GATHERED_ROWS,
) -> TrainedModel:
    """``pipeline.train`` for a ``DaskShop`` (event logs only)."""
    settings = settings or Settings()
    definition = settings.churn.validate()
    settings.training.validate()
    report = progress or (lambda fraction, message: None)
    report(0.02, Message("progress.features"))
    check_customer_columns(shop)  # type: ignore[arg-type]  # reads .tables only
    feature_set = build_training_set(shop, definition, max_rows=max_rows)
    trained = _train_feature_set(
        feature_set,
        "events",
        settings,
        source=shop.source,
        mapping=_mapping_summary(shop),  # type: ignore[arg-type]
        progress=progress,
    )
    plan = feature_set.plan
    sampled = [w for w in (plan.warnings if plan else []) if w.key == SAMPLED]
    if sampled:  # the bundle and the CLI say that the evaluation saw a sample
        trained.document["warnings"].extend(warning_to_dict(w) for w in sampled)
        if trained.result is not None:
            trained.result.warnings.extend(sampled)
    return trained
