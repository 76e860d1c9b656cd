"""Glue from shop data to a trained model and a scored, explained list.

The CLI and the pages call these functions and nothing deeper, so both offer
exactly the same behaviour.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from churnlab.bands import risk_bands
from churnlab.bgnbd import BgNbdParams
from churnlab.catalogue import describe
from churnlab.config import ChurnDefinition, ScoringConfig, Settings, TrainingConfig
from churnlab.drift import DriftReport, drift_report, feature_profile
from churnlab.errors import DataError, ModelError
from churnlab.features import (
    FeatureSet,
    build_scoring_set,
    build_table_set,
    build_training_set,
)
from churnlab.i18n import Message
from churnlab.ingest.loading import ShopData
from churnlab.model import ChurnModel
from churnlab.reasons import reasons_for_rows
from churnlab.schema import CUSTOMER_ID, LABEL
from churnlab.spend import SpendSource, guess_spend_source, with_spend
from churnlab.training import TrainResult, train_on_feature_set

log = logging.getLogger(__name__)

#: progress(fraction, step): fraction 0..1 done; step is a ``Message`` (``progress.*`` key)
#: for the app to show in the user's language (``str(step)`` is English).
Progress = Callable[[float, Message], None]

#: Columns of the scored list that describe a customer's value, when the features have them.
VALUE_COLUMNS: tuple[str, ...] = ("monetary", "recency_days", "frequency")


@dataclass
class TrainedModel:
    """A fitted model and the document a bundle stores beside it."""

    model: ChurnModel
    document: dict[str, Any]
    result: TrainResult | None = None
    training_set: FeatureSet | None = None

    @property
    def mode(self) -> str:
        return str(self.document["mode"])

    @property
    def definition(self) -> ChurnDefinition:
        return definition_from_dict(self.document["definition"])

    @property
    def feature_names(self) -> list[str]:
        return list(self.document["feature_names"])

    @property
    def categorical(self) -> list[str]:
        return list(self.document["categorical"])

    @property
    def base_rate(self) -> float:
        return float(self.document["base_rate"])

    @property
    def metrics(self) -> dict[str, dict[str, Any]]:
        return self.document["metrics"]

    @property
    def bgnbd_params(self) -> BgNbdParams | None:
        """The BG/NBD parameters of the newest training cut-off (None: none stored)."""
        stored = self.document.get("bgnbd")
        return BgNbdParams.from_dict(stored) if isinstance(stored, dict) else None

    @property
    def warnings(self) -> list[Message]:
        """The training warnings, to show in the reader's language (``str()`` is English)."""
        return [warning_from_dict(item) for item in self.document.get("warnings", [])]


@dataclass
class ScoredList:
    """Today's customers ranked by churn risk, with everything needed to explain them."""

    frame: pl.DataFrame
    features: pl.DataFrame
    shap_values: np.ndarray
    base_value: float
    feature_names: list[str]
    as_of: dt.date | None
    drift: DriftReport | None
    warnings: list[str] = field(default_factory=list)
    explained: np.ndarray | None = None
    """Which rows hold exact SHAP values (None: all). Rows not explained hold NaN and
    empty reasons; ``explain_customer`` computes them on demand."""
    spend: SpendSource | None = None
    """A customer table's column that ``monetary`` was taken from (``churnlab.spend``)."""

    def explained_mask(self) -> np.ndarray:
        """Boolean mask of the rows with SHAP values (for importance and beeswarm charts)."""
        if self.explained is None:
            return np.ones(len(self.shap_values), dtype=bool)
        return self.explained

    def reasons_stop_at(self) -> int | None:
        """Rank after which the list's reasons stop (None: every row has them)."""
        if self.explained is None:
            return None
        return int(self.explained.argmin())  # the first row without SHAP values


def warning_to_dict(message: Message) -> dict[str, Any]:
    """A warning as JSON for the bundle: its key and values, so it can be read in any language."""
    return {"key": message.key, "values": dict(message.values)}


def warning_from_dict(item: Any) -> Message:
    """The inverse of ``warning_to_dict``; an English sentence from an older bundle is kept as is."""
    if isinstance(item, dict) and isinstance(item.get("key"), str):
        values = item.get("values")
        return Message(item["key"], dict(values) if isinstance(values, dict) else {})
    return Message(str(item))


def definition_to_dict(definition: ChurnDefinition) -> dict[str, Any]:
    data = dataclasses.asdict(definition)
    data["activity"] = list(definition.activity)
    data["cutoff"] = definition.cutoff.isoformat() if definition.cutoff else None
    return data


def definition_from_dict(data: dict[str, Any]) -> ChurnDefinition:
    values = dict(data)
    values["activity"] = tuple(values["activity"])
    values["cutoff"] = dt.date.fromisoformat(values["cutoff"]) if values.get("cutoff") else None
    known = {f.name for f in dataclasses.fields(ChurnDefinition)}
    return ChurnDefinition(**{k: v for k, v in values.items() if k in known})


def _mapping_summary(shop: ShopData) -> list[dict[str, Any]]:
    out = []
    for table in shop.tables:
        item: dict[str, Any] = {
            "source": table.raw.source,
            "kind": table.mapping.kind,
            "roles": dict(table.mapping.roles),
            "attributes": list(table.mapping.attributes),
        }
        if table.mapping.event_codes:
            item["event_codes"] = dict(table.mapping.event_codes)
        out.append(item)
    return out


def bundle_event_codes(trained: TrainedModel) -> dict[str, str]:
    """The names of coded event types the model was trained with, so scoring reads the new
    export the same way."""
    codes: dict[str, str] = {}
    for item in trained.document.get("mapping") or []:
        codes.update(item.get("event_codes") or {})
    return codes


def check_customer_columns(shop: ShopData) -> None:
    """Refuse to train on a customer column that cannot be a customer (every value on one
    day, or a new value on every row), naming the likeliest right column."""
    from churnlab.ingest.roles import impossible_customer

    for table in shop.tables:
        mapping = table.mapping
        if mapping.kind != "events" or not impossible_customer(mapping):
            continue
        column = mapping.roles["customer_id"]
        evidence = mapping.confidence["customer_id"].evidence
        if mapping.likely_customer:
            raise DataError(
                "error.mapping.not_a_customer",
                hint="error.mapping.not_a_customer.hint",
                column=column,
                evidence=evidence,
                likely=mapping.likely_customer,
            )
        raise DataError(
            "error.mapping.not_a_customer",
            hint="error.mapping.not_a_customer.hint_none",
            column=column,
            evidence=evidence,
        )


def import_training_libraries() -> None:
    """Import what training needs and scoring does not (SciPy's optimiser for BG/NBD). The
    app runs this in the background while a visitor reads the first page, so their first
    training does not wait for it."""
    import scipy.optimize  # noqa: F401


def _has_label(shop: ShopData) -> bool:
    return shop.customers is not None and LABEL in shop.customers.columns


def train(
    shop: ShopData,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
) -> TrainedModel:
    """Build features, train and validate out of time (or cross-validated for labelled tables)."""
    settings = settings or Settings()
    definition = settings.churn.validate()
    settings.training.validate()
    report = progress or (lambda fraction, message: None)

    report(0.02, Message("progress.features"))
    check_customer_columns(shop)
    if shop.events is not None:
        feature_set = build_training_set(
            shop.events,
            shop.customers,
            definition,
            max_fit_rows=settings.training.max_fit_rows,
            seed=settings.training.seed,
        )
        mode = "events"
    elif _has_label(shop):
        feature_set = build_table_set(shop.customers, label=LABEL)
        mode = "table"
    else:
        raise DataError(
            "error.pipeline.nothing_to_learn", hint="error.pipeline.nothing_to_learn.hint"
        )
    return train_feature_set(
        feature_set,
        mode,
        settings,
        source=shop.source,
        mapping=_mapping_summary(shop),
        progress=progress,
    )


def train_feature_set(
    feature_set: FeatureSet,
    mode: str,
    settings: Settings | None = None,
    *,
    source: str,
    mapping: list[dict[str, Any]],
    progress: Progress | None = None,
) -> TrainedModel:
    """Train on features built elsewhere (``train``, or per partition on a Dask cluster)."""
    settings = settings or Settings()
    definition = settings.churn.validate()
    training = settings.training.validate()
    report = progress or (lambda fraction, message: None)

    def training_progress(fraction: float, message: Message) -> None:
        report(0.1 + 0.85 * fraction, message)

    result = train_on_feature_set(feature_set, training, progress=training_progress)
    report(0.96, Message("progress.profiling"))
    profile = feature_profile(
        _latest_snapshot(feature_set),
        [n for n in feature_set.feature_names if not is_calendar_feature(n)],
        feature_set.categorical,
    )
    counts = getattr(feature_set, "label_counts", None)  # every labelled row, sampled or not
    labels = (feature_set.frame if counts is None else counts).get_column(LABEL).to_numpy()
    plan = feature_set.plan
    document: dict[str, Any] = {
        "mode": mode,
        "trained_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "source": source,
        "mapping": mapping,
        "definition": definition_to_dict(definition),
        "training": dataclasses.asdict(training),
        "feature_names": list(feature_set.feature_names),
        "categorical": list(feature_set.categorical),
        "catalogue": {
            name: {"unit": describe(name).unit, "description": describe(name).description}
            for name in feature_set.feature_names
        },
        "base_rate": float(labels.mean()),
        "metrics": result.metrics,
        "params": result.params,
        "n_trees": result.n_trees,
        "cutoff_stats": result.cutoff_stats,
        "plan": _plan_to_dict(plan),
        "profile": profile,
        "warnings": [warning_to_dict(warning) for warning in result.warnings],
        "eval_predictions": _eval_predictions_to_dict(result.eval_predictions),
        "bgnbd": _last_bgnbd(feature_set),
    }
    report(1.0, Message("progress.done"))
    return TrainedModel(result.model, document, result, feature_set)


def _last_bgnbd(feature_set: FeatureSet) -> dict[str, float] | None:
    """BG/NBD parameters fitted at the newest cut-off: scoring reuses them (features.py)."""
    if feature_set.plan is None or not feature_set.bgnbd:
        return None
    params = feature_set.bgnbd.get(max(feature_set.bgnbd))
    return None if params is None else params.to_dict()


def is_calendar_feature(name: str) -> bool:
    """Features that grow with the calendar (tenure, days since signup): not drift checked.

    A shop's customers age every month, so these always differ from training; a
    warning about them would be true and useless.
    """
    return name == "tenure_days" or name.endswith("date_days")


def _latest_snapshot(feature_set: FeatureSet) -> pl.DataFrame:
    """The training rows closest in time to scoring: drift is judged against them.

    Stacked cut-offs span a year; features such as tenure grow with the calendar,
    so comparing today's customers with all of them would always cry wolf.
    """
    if feature_set.plan is None:
        return feature_set.frame
    return feature_set.frame.filter(pl.col("cutoff") == feature_set.plan.eval_cutoff)


def _plan_to_dict(plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "cutoffs": [c.isoformat() for c in plan.cutoffs],
        "eval_cutoff": plan.eval_cutoff.isoformat(),
        "validation_cutoffs": [c.isoformat() for c in plan.validation_cutoffs],
        "data_start": plan.data_start.isoformat(),
        "data_end": plan.data_end.isoformat(),
        "as_of": plan.as_of.isoformat(),
    }


_MAX_STORED_PREDICTIONS = 50_000


def _eval_predictions_to_dict(frame: pl.DataFrame) -> dict[str, list[Any]]:
    """Keep the evaluation snapshot (bounded) so a loaded bundle can redraw its charts."""
    if frame.height > _MAX_STORED_PREDICTIONS:
        frame = frame.sample(_MAX_STORED_PREDICTIONS, seed=0).sort(CUSTOMER_ID)
    return {name: frame.get_column(name).to_list() for name in frame.columns}


def eval_predictions(trained: TrainedModel) -> pl.DataFrame:
    """The evaluation snapshot: customer_id, label and one probability column per model."""
    if trained.result is not None:
        return trained.result.eval_predictions
    return pl.DataFrame(trained.document["eval_predictions"])


def evaluation_rfm(trained: TrainedModel, shop: ShopData) -> pl.DataFrame | None:
    """Recency, frequency, spend and the actual outcome of each customer at the evaluation cut-off.

    Lets segment tables show a past churn rate beside today's risk, also for a
    model loaded from a bundle (which keeps the outcomes, not the features).
    """
    plan = trained.document.get("plan")
    if trained.mode != "events" or not plan or shop.events is None:
        return None
    from churnlab.features import build_features

    cutoff = dt.date.fromisoformat(plan["eval_cutoff"])
    frame = build_features(shop.events, shop.customers, [cutoff], trained.definition)
    outcomes = eval_predictions(trained).select(CUSTOMER_ID, LABEL)
    return frame.select(CUSTOMER_ID, "recency_days", "frequency", "monetary").join(
        outcomes, on=CUSTOMER_ID, how="inner"
    )


def _scoring_set(trained: TrainedModel, shop: ShopData, as_of: dt.date | None) -> FeatureSet:
    if trained.mode == "events":
        if shop.events is None:
            raise DataError("error.pipeline.no_events", hint="error.pipeline.no_events.hint")
        return build_scoring_set(
            shop.events,
            shop.customers,
            trained.definition,
            as_of=as_of,
            feature_names=trained.feature_names,
            categorical=trained.categorical,
            bgnbd_params=trained.bgnbd_params,
        )
    if shop.customers is None:
        raise DataError("error.pipeline.no_customers", hint="error.pipeline.no_customers.hint")
    customers = shop.customers
    if LABEL not in customers.columns:
        customers = customers.with_columns(pl.lit(None, dtype=pl.Int8).alias(LABEL))
    return build_table_set(customers, label=LABEL, require_label=False)


def _align_features(frame: pl.DataFrame, trained: TrainedModel) -> pl.DataFrame:
    """The model's feature columns in its order; absent ones are missing values."""
    missing = [name for name in trained.feature_names if name not in frame.columns]
    if len(missing) > len(trained.feature_names) // 2:
        raise DataError(
            "error.pipeline.missing_features",
            hint="error.pipeline.missing_features.hint",
            missing=len(missing),
            total=len(trained.feature_names),
            names=", ".join(missing[:3]),
        )
    columns = []
    for name in trained.feature_names:
        dtype = pl.String if name in trained.categorical else pl.Float64
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)


def score(
    trained: TrainedModel,
    shop: ShopData,
    *,
    scoring: ScoringConfig | None = None,
    lang: str = "en",
    progress: Progress | None = None,
) -> ScoredList:
    """Score today's customers (as of the end of the data unless a date is given)."""
    scoring = scoring or ScoringConfig()
    report = progress or (lambda fraction, message: None)
    report(0.05, Message("progress.scoring_features"))
    feature_set = _scoring_set(trained, shop, scoring.as_of)
    return score_feature_set(trained, feature_set, scoring=scoring, lang=lang, progress=progress)


def score_feature_set(
    trained: TrainedModel,
    feature_set: FeatureSet,
    *,
    scoring: ScoringConfig | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    probability: np.ndarray | None = None,
) -> ScoredList:
    """Rank, explain and band customers whose features were built elsewhere (``score``, or
    per partition on a Dask cluster). ``probability``, one per row of the frame, when the
    model's predictions were computed elsewhere too (``xgboost.dask``)."""
    scoring = scoring or ScoringConfig()
    report = progress or (lambda fraction, message: None)
    if feature_set.frame.height == 0:
        raise DataError("error.pipeline.nobody_active", hint="error.pipeline.nobody_active.hint")
    X = _align_features(feature_set.frame, trained)
    report(0.4, Message("progress.scoring"))
    if probability is None:
        probability = trained.model.predict_proba(X)
    report(0.6, Message("progress.explaining"))
    ids = feature_set.frame.get_column(CUSTOMER_ID)
    order = _ranking(probability, ids)
    rows = explained_rows(order, scoring.max_explained, scoring.explain_sample)
    contributions, base_value = _explain(trained.model, X, rows)
    texts = reasons_for_rows(
        X[rows], contributions[rows], trained.feature_names, k=scoring.reasons, lang=lang
    )
    explained = np.zeros(len(probability), dtype=bool)
    explained[rows] = True
    bands = risk_bands(probability, trained.base_rate, scoring.band_odds_ratio)

    columns: dict[str, Any] = {
        CUSTOMER_ID: ids,
        "churn_probability": np.round(probability, 6),
        "risk_band": bands,
    }
    for k in range(scoring.reasons):
        # every row blank, then the explained rows' reasons written in
        blank = pl.repeat("", len(probability), dtype=pl.String, eager=True)
        written = [row[k] if k < len(row) else "" for row in texts]
        columns[f"reason_{k + 1}"] = blank.scatter(rows, pl.Series(written, dtype=pl.String))
    frame = pl.DataFrame(columns)
    for name in VALUE_COLUMNS:
        if name in feature_set.frame.columns:
            frame = frame.with_columns(feature_set.frame.get_column(name).alias(name))
    frame = frame[order].with_row_index("rank", offset=1)
    frame = frame.select(
        CUSTOMER_ID,
        "churn_probability",
        "risk_band",
        "rank",
        *[
            c
            for c in frame.columns
            if c not in (CUSTOMER_ID, "churn_probability", "risk_band", "rank")
        ],
    )
    features = feature_set.frame[order]
    shap_sorted = contributions[order]
    explained_sorted = explained[order]
    if scoring.top is not None:
        frame = frame.head(scoring.top)
        features = features.head(scoring.top)
        shap_sorted = shap_sorted[: scoring.top]
        explained_sorted = explained_sorted[: scoring.top]

    report(0.9, Message("progress.drift"))
    drift = (
        drift_report(trained.document["profile"], X, lang=lang)
        if trained.document.get("profile")
        else None
    )
    warnings = list(drift.warnings) if drift else []
    as_of = _scoring_date(feature_set)
    report(1.0, Message("progress.done"))
    scored = ScoredList(
        frame=frame,
        features=features,
        shap_values=shap_sorted,
        base_value=float(base_value),
        feature_names=trained.feature_names,
        as_of=as_of,
        drift=drift,
        warnings=warnings,
        explained=None if explained_sorted.all() else explained_sorted,
    )
    if trained.mode == "table" and "monetary" not in frame.columns:
        spend = scoring.spend or guess_spend_source(features, trained.feature_names)
        if spend is not None:
            return with_spend(scored, spend, trained.definition.lookback_days)
    return scored


def _ranking(probability: np.ndarray, ids: pl.Series) -> np.ndarray:
    """Row indices from the highest probability down; equal ones by customer id, so the
    same data always gives the same list."""
    keys = pl.DataFrame({"p": probability, "id": ids.cast(pl.String)})
    ranked = keys.select(pl.arg_sort_by("p", "id", descending=[True, False]))
    return ranked.to_series().to_numpy()


def explained_rows(ranking: np.ndarray, max_explained: int, sample: int) -> np.ndarray:
    """Sorted row indices to explain: the first ``max_explained`` of ``ranking`` (row indices,
    highest risk first) and a seeded sample of the rest.

    Exact SHAP costs about 2 ms a customer; a list of 200,000 would take minutes while
    a team acts on its top. The random sample keeps the overall charts honest.
    """
    n = len(ranking)
    if n <= max_explained + sample:
        return np.arange(n)
    top, rest = ranking[:max_explained], ranking[max_explained:]
    picked = np.random.default_rng(0).choice(len(rest), size=sample, replace=False)
    return np.sort(np.concatenate([top, rest[picked]]))


def _explain(model: ChurnModel, X: pl.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, float]:
    """Exact TreeSHAP for ``rows``; NaN for every other row."""
    if len(rows) == len(X):
        return model.contributions(X)
    values = np.full((len(X), len(model.feature_names_)), np.nan)
    exact, base_value = model.contributions(X[rows])
    values[rows] = exact
    return values, base_value


def customer_reasons(
    scored: ScoredList, position: int, contributions: np.ndarray, lang: str = "en"
) -> list[str]:
    """One customer's reasons: those in the list, or written now from ``contributions``
    (``explain_customer``) for a customer far down a long list."""
    row = scored.frame.row(position, named=True)
    stored = [row[c] for c in scored.frame.columns if c.startswith("reason_") and row[c]]
    if stored or scored.explained is None:
        return stored
    X = scored.features[position : position + 1].select(scored.feature_names)
    return reasons_for_rows(X, contributions[None, :], scored.feature_names, lang=lang)[0]


def ranks_without_reasons(
    scored: ScoredList, rows: pl.DataFrame, limit: int | None = None
) -> list[int]:
    """Ranks among the first ``limit`` of ``rows`` (rows of ``scored.frame``, filtered or
    re-sorted, with their ``rank``) whose reasons the list left empty."""
    if scored.explained is None or "rank" not in rows.columns or rows.height == 0:
        return []
    head = rows.head(limit) if limit is not None else rows
    positions = head.get_column("rank").cast(pl.Int64).to_numpy() - 1
    return [int(p) + 1 for p in np.unique(positions[~scored.explained[positions]])]


def reasons_for_ranks(
    trained: TrainedModel, scored: ScoredList, ranks: list[int], lang: str = "en"
) -> pl.DataFrame:
    """``rank`` and the reason columns of these list rows, explained now (exact SHAP).

    A long list explains only its top at once (``max_explained``); the app shows and
    exports other rows too, and explains each when it is shown or exported.
    """
    k = sum(1 for c in scored.frame.columns if c.startswith("reason_"))
    positions = np.asarray(ranks, dtype=np.int64) - 1
    texts: list[list[str]] = []
    if len(positions) and k:
        X = _align_features(scored.features[positions], trained)
        values, _ = trained.model.contributions(X)
        texts = reasons_for_rows(X, values, trained.feature_names, k=k, lang=lang)
    columns = {
        f"reason_{j + 1}": pl.Series(
            [row[j] if j < len(row) else "" for row in texts], dtype=pl.String
        )
        for j in range(k)
    }
    return pl.DataFrame({"rank": pl.Series(ranks, dtype=pl.Int64), **columns})


def with_reasons(rows: pl.DataFrame, reasons: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with the reasons of ``reasons_for_ranks`` written in, order kept."""
    if reasons.height == 0 or "rank" not in rows.columns:
        return rows
    columns = [c for c in reasons.columns if c in rows.columns]
    cast = reasons.select(columns).with_columns(pl.col("rank").cast(rows.schema["rank"]))
    return rows.update(cast, on="rank")


def with_missing_reasons(
    trained: TrainedModel,
    scored: ScoredList,
    rows: pl.DataFrame,
    *,
    limit: int | None = None,
    lang: str = "en",
) -> pl.DataFrame:
    """``rows`` with the reasons of its first ``limit`` rows written where the list has none."""
    ranks = ranks_without_reasons(scored, rows, limit)
    if not ranks:
        return rows
    return with_reasons(rows, reasons_for_ranks(trained, scored, ranks, lang))


def explain_customer(trained: TrainedModel, scored: ScoredList, position: int) -> np.ndarray:
    """Exact SHAP values of one row of ``scored`` (its stored ones, or computed now)."""
    stored = scored.shap_values[position]
    if np.isfinite(stored).all():
        return stored
    X = _align_features(scored.features[position : position + 1], trained)
    values, _ = trained.model.contributions(X)
    return values[0]


def _scoring_date(feature_set: FeatureSet) -> dt.date | None:
    if "cutoff" not in feature_set.frame.columns or feature_set.frame.height == 0:
        return None
    value = feature_set.frame.get_column("cutoff")[0]
    return value if isinstance(value, dt.date) else None


def save_model(trained: TrainedModel, path: str | Path) -> Path:
    from churnlab.bundle import save_bundle

    return save_bundle(path, trained.model, trained.document)


def load_model(path: str | Path) -> TrainedModel:
    from churnlab.bundle import load_bundle

    bundle = load_bundle(path)
    return _from_bundle(bundle)


def model_to_zip(trained: TrainedModel) -> bytes:
    from churnlab.bundle import bundle_to_zip_bytes

    return bundle_to_zip_bytes(trained.model, trained.document)


def model_from_zip(data: bytes) -> TrainedModel:
    from churnlab.bundle import load_bundle_zip

    return _from_bundle(load_bundle_zip(data))


def _from_bundle(bundle: Any) -> TrainedModel:
    document = bundle.document
    required = ("mode", "definition", "feature_names", "categorical", "base_rate", "metrics")
    missing = [key for key in required if key not in document]
    if missing:
        from churnlab.errors import BundleError

        raise BundleError("error.pipeline.bundle_lacks", names=", ".join(missing))
    if not isinstance(bundle.model, ChurnModel):
        raise ModelError("error.pipeline.not_churnlab_model")
    return TrainedModel(bundle.model, document)


#: The sample shop trains with a short search, so a fresh machine waits seconds, not minutes.
SAMPLE_TRAINING = TrainingConfig(tuning_seconds=20.0, max_trials=6)


def load_or_train_sample_model(shop: ShopData, progress: Progress | None = None) -> TrainedModel:
    """The sample shop's model: the committed bundle when it matches the sample files, else trained."""
    from churnlab.errors import ChurnlabError
    from churnlab.sample import SAMPLE_MODEL_DIR, sample_fingerprint

    fingerprint = sample_fingerprint()
    if SAMPLE_MODEL_DIR.exists():
        try:
            trained = load_model(SAMPLE_MODEL_DIR)
        except ChurnlabError:
            log.warning("the committed sample model cannot be used; training a new one")
        else:
            if trained.document.get("sample_fingerprint") == fingerprint:
                return trained
            log.warning("the committed sample model belongs to other sample files; training")
    trained = train(shop, Settings(training=SAMPLE_TRAINING), progress=progress)
    trained.document["sample_fingerprint"] = fingerprint
    return trained


def write_sample_model(
    shop: ShopData, out: str | Path | None = None, paths: list[Path] | None = None
) -> Path:
    """Train the sample model and save it beside the sample files (run after regenerating them)."""
    from churnlab.sample import SAMPLE_MODEL_DIR, sample_fingerprint

    trained = train(shop, Settings(training=SAMPLE_TRAINING))
    trained.document["sample_fingerprint"] = sample_fingerprint(paths)
    return save_model(trained, out or SAMPLE_MODEL_DIR)
