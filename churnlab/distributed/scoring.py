"""Scoring a log on a Dask cluster: today's features per bucket, predictions with
``xgboost.dask``, then churnlab's own list.

Each bucket's rows are encoded for the model on its worker (the model's own encoder and
linear prior) and predicted by ``xgboost.dask.predict`` with the bundle's booster, trees and
calibration, so the probabilities are ``ChurnModel.predict_proba``'s. The rows (one per
customer) are gathered here, where the list needs the whole ranking anyway; exact TreeSHAP
for the top of the list, reasons, bands, drift and the campaign plan are
``pipeline.score_feature_set``'s, so the list is the single-process list for the same data.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from churnlab.config import ScoringConfig
from churnlab.distributed.features import DaskShop, gather_scoring_set, scoring_rows
from churnlab.errors import ConfigError
from churnlab.i18n import Message
from churnlab.model import ChurnModel, _prior_margin, _sigmoid
from churnlab.pipeline import Progress, ScoredList, TrainedModel, score_feature_set

if TYPE_CHECKING:
    from distributed import Client, Future


def score(
    trained: TrainedModel,
    shop: DaskShop,
    *,
    scoring: ScoringConfig | None = None,
    lang: str = "en",
    progress: Progress | None = None,
) -> ScoredList:
    """``pipeline.score`` for a ``DaskShop``."""
    scoring = scoring or ScoringConfig()
    if trained.mode != "events":
        raise ConfigError("error.dask.events_only", hint="error.dask.events_only.hint")
    report = progress or (lambda fraction, message: None)
    report(0.05, Message("progress.scoring_features"))
    built, plan = scoring_rows(
        shop,
        trained.definition,
        scoring.as_of,
        feature_names=trained.feature_names,
        categorical=trained.categorical,
        bgnbd_params=trained.bgnbd_params,
    )
    feature_set, heights, order = gather_scoring_set(
        shop, built, plan, trained.feature_names, trained.categorical
    )
    probability = None
    if feature_set.frame.height:
        report(0.3, Message("progress.scoring"))
        probability = dask_probability(shop.client, trained.model, built, heights)[order]
    return score_feature_set(
        trained,
        feature_set,
        scoring=scoring,
        lang=lang,
        progress=progress,
        probability=probability,
    )


def _model_inputs(frame: pl.DataFrame, model: ChurnModel) -> tuple[np.ndarray, np.ndarray]:
    """On a worker: the model's input matrix and base margin (its linear prior, or 0)."""
    X = frame.select(model.feature_names_)
    margin = _prior_margin(model.prior_, X)
    return model._encoder.matrix(X), (np.zeros(len(X)) if margin is None else margin)


def dask_probability(
    client: Client, model: ChurnModel, built: list[Future], heights: list[int]
) -> np.ndarray:
    """``model.predict_proba`` of every bucket's rows, in bucket order, by ``xgboost.dask``."""
    import dask.array as da
    from dask import delayed
    from xgboost import dask as dxgb

    shared = client.scatter(model, broadcast=True)
    inputs = [
        client.submit(_model_inputs, f, shared) for f, n in zip(built, heights, strict=True) if n
    ]
    rows = [n for n in heights if n]
    width = len(model.feature_names_)
    data = da.concatenate(
        [
            da.from_delayed(delayed(operator.itemgetter(0))(f), shape=(n, width), dtype=np.float64)
            for f, n in zip(inputs, rows, strict=True)
        ]
    )
    base = da.concatenate(
        [
            da.from_delayed(delayed(operator.itemgetter(1))(f), shape=(n,), dtype=np.float64)
            for f, n in zip(inputs, rows, strict=True)
        ]
    )
    matrix = dxgb.DaskDMatrix(
        client,
        data,
        base_margin=base if model.prior_ is not None else None,
        missing=np.nan,
        feature_names=model.feature_names_,
        feature_types=model._encoder.feature_types(),
        enable_categorical=True,
    )
    margin = dxgb.predict(
        client,
        model.booster_,
        matrix,
        output_margin=True,
        iteration_range=(0, model.n_trees_),
    )
    margin = np.asarray(client.compute(margin).result(), dtype=np.float64)
    a, b = model.calibration_["a"], model.calibration_["b"]
    return _sigmoid(a * margin + b)
