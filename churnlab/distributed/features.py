"""The feature step on a Dask cluster, per customer-hash bucket, with churnlab's own functions.

Every feature is an aggregate over one customer's events, so the log is split by a hash of
the customer id and each bucket is built by ``churnlab.features`` on a worker. What crosses
customers is computed once on the client from small per-bucket summaries and sent to every
bucket (docs/SCALING.md): the plan (``windows.plan_cutoffs`` on one row per event day), the
vocabulary (event types and channels counted over the whole log) and the BG/NBD parameters
(fitted per cut-off on every customer's summary, as ``bgnbd.cutoff_features`` does). The
customer table, one row per customer, goes to every worker whole, so attribute columns are
chosen as in one process. The result is the single-process feature set, row for row.

Events arrive as Parquet parts (a folder or a glob); each part is read on a worker by
``ingest.loading.load_files``, so roles, cleaning and ids are exactly those of the CLI.
"""

from __future__ import annotations

import datetime as dt
import glob
import logging
import math
import operator
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from churnlab import bgnbd
from churnlab.bgnbd import BgNbdParams
from churnlab.config import ChurnDefinition
from churnlab.errors import ConfigError, DataError
from churnlab.features import (
    MAX_CHANNELS,
    MAX_EVENT_TYPES,
    FeatureSet,
    Vocabulary,
    _active_days,
    build_features_with_names,
    in_model_columns,
)
from churnlab.i18n import Message
from churnlab.ingest.loading import LoadedTable, load_files
from churnlab.schema import CHANNEL, CUSTOMER_ID, EVENT_TYPE, TIMESTAMP
from churnlab.windows import CutoffPlan, build_labels, check_labels, plan_cutoffs, to_datetime

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

BUCKET_EVENTS = 4_000_000
"""Events per customer-hash bucket, about: ~1 GB of a worker's memory while its features
are built (the single process peaks near 300 bytes an event)."""
MAX_GATHERED_ROWS = 3_000_000
"""Training feature rows brought to the client at most: beyond it, a seeded sample of whole
customers (every fit uses at most ``max_fit_rows`` of them anyway)."""
SAMPLED = "dask.warning.sampled"
"""The warning key saying the training rows are a sample of the customers."""
_HASH_SEED = 0
_SAMPLE_SEED = 1
_EPOCH = dt.date(1970, 1, 1)
_PLACEHOLDER = BgNbdParams(1.0, 1.0, 1.0, 1.0)
"""Stands in for the real BG/NBD parameters so no bucket fits its own; overwritten."""


@dataclass
class DaskShop:
    """A shop whose event log lives on the cluster, split by customer hash.

    ``tables`` and ``source`` describe what was read (as ``ShopData`` does), so the bundle
    records the same mapping. ``customers`` is here and on every worker.
    """

    client: Client
    buckets: list[Future]
    sizes: list[int]
    customers: pl.DataFrame | None
    tables: list[LoadedTable]
    source: str
    parts: list[str]
    _customers_future: Any = field(default=None, repr=False)

    @property
    def n_events(self) -> int:
        return sum(self.sizes)

    @property
    def events(self) -> None:
        """Never in this process (``pipeline`` helpers read ``.tables``, not this)."""
        return None

    def customers_on_workers(self) -> Any:
        """The customer table scattered to every worker once (or None)."""
        if self.customers is None:
            return None
        if self._customers_future is None:
            self._customers_future = self.client.scatter(self.customers, broadcast=True)
        return self._customers_future

    def live(self) -> list[Future]:
        """The buckets that hold events (an empty bucket builds nothing)."""
        return [b for b, n in zip(self.buckets, self.sizes, strict=True) if n]


# -- reading ---------------------------------------------------------------------------


def resolve_parts(pattern: str | Path) -> list[str]:
    """The Parquet parts of ``pattern``: a folder (every ``*.parquet`` below it), a glob, or
    one file; sorted, so every run reads them in the same order."""
    text = str(pattern)
    path = Path(text)
    if path.is_dir():
        parts = sorted(str(p) for p in path.rglob("*.parquet") if p.is_file())
    elif any(c in text for c in "*?["):
        parts = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file())
    elif path.is_file():
        parts = [text]
    else:
        parts = []
    if not parts:
        raise DataError("error.dask.no_parts", hint="error.dask.no_parts.hint", pattern=text)
    return [os.path.abspath(p) for p in parts]  # whatever a worker's working directory


def _read_part(
    path: str,
    n_buckets: int,
    overrides: dict[str, str] | None,
    event_codes: dict[str, str] | None,
) -> tuple[list[pl.DataFrame], LoadedTable]:
    """On a worker: one part through the CLI's loader, split into ``n_buckets`` by customer."""
    if overrides:
        names = set(pl.read_parquet_schema(path))
        overrides = {r: c for r, c in overrides.items() if r == "kind" or not c or c in names}
    shop = load_files([path], overrides=overrides or None, event_codes=event_codes or None)
    if shop.events is None:
        raise DataError(
            "error.dask.part_not_events", hint="error.dask.part_not_events.hint", path=path
        )
    bucket = (pl.col(CUSTOMER_ID).hash(seed=_HASH_SEED) % n_buckets).alias("_bucket")
    split = shop.events.with_columns(bucket).partition_by(
        "_bucket", as_dict=True, include_key=False
    )
    empty = shop.events.clear()
    return [split.get((j,), empty) for j in range(n_buckets)], shop.tables[0]


def _bucket(*pieces: pl.DataFrame) -> pl.DataFrame:
    """On a worker: a bucket's pieces from every part, in part order."""
    frames = [p for p in pieces if p.height]
    if not frames:
        return pieces[0]
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")


def _height(frame: pl.DataFrame) -> int:
    return frame.height


def _n_buckets(client: Client, parts: list[str]) -> int:
    rows = sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in parts)
    n_workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    return max(n_workers, math.ceil(rows / BUCKET_EVENTS))


def load_shop(
    client: Client,
    events: str | Path,
    customer_files: Sequence[str | Path] = (),
    *,
    overrides: dict[str, str] | None = None,
    event_codes: dict[str, str] | None = None,
    sheet: str | None = None,
    n_buckets: int | None = None,
) -> DaskShop:
    """Read the event parts on the workers and split them by customer hash; read the
    customer tables here. The parts must all be event logs mapped the same way."""
    parts = resolve_parts(events)
    customers = None
    customer_tables: list[LoadedTable] = []
    if customer_files:
        table_shop = load_files(
            list(customer_files), sheet=sheet, overrides=overrides, event_codes=event_codes
        )
        if table_shop.events is not None:
            raise ConfigError(
                "error.dask.events_outside_parts",
                hint="error.dask.events_outside_parts.hint",
                file=str(customer_files[0]),
            )
        customers, customer_tables = table_shop.customers, table_shop.tables
    k = n_buckets or _n_buckets(client, parts)
    read = client.map(_read_part, parts, n_buckets=k, overrides=overrides, event_codes=event_codes)
    tables: list[LoadedTable] = client.gather(
        [client.submit(operator.itemgetter(1), f) for f in read]
    )
    _check_same_mapping(parts, tables)
    pieces = [client.submit(operator.itemgetter(0), f) for f in read]
    buckets = [
        client.submit(_bucket, *[client.submit(operator.itemgetter(j), p) for p in pieces])
        for j in range(k)
    ]
    sizes = client.gather(client.map(_height, buckets))
    del read, pieces  # the parts' copies are released once the buckets hold the events
    n = len(parts)
    source = parts[0] if n == 1 else f"{n} Parquet parts: {parts[0]}, ..."
    log.info("dask: %d parts, %d events in %d buckets", n, sum(sizes), k)
    return DaskShop(
        client=client,
        buckets=buckets,
        sizes=list(sizes),
        customers=customers,
        tables=[tables[0], *customer_tables],
        source=source,
        parts=parts,
    )


def _check_same_mapping(parts: list[str], tables: list[LoadedTable]) -> None:
    """One log in parts: every part must give the same roles (a stray export would not)."""
    first = tables[0].mapping
    for path, table in zip(parts, tables, strict=True):
        if table.mapping.roles != first.roles:
            raise DataError(
                "error.dask.parts_differ",
                hint="error.dask.parts_differ.hint",
                first=parts[0],
                other=path,
            )


# -- what crosses customers, computed once -----------------------------------------------


def _event_days(events: pl.DataFrame) -> pl.DataFrame:
    """On a worker: the first event of every day with events, and the last event."""
    first = events.group_by(pl.col(TIMESTAMP).dt.date().alias("_d")).agg(pl.col(TIMESTAMP).min())
    return pl.concat([first.select(TIMESTAMP), events.select(pl.col(TIMESTAMP).max())])


def plan(shop: DaskShop, definition: ChurnDefinition) -> CutoffPlan:
    """``windows.plan_cutoffs`` on one row per event day (plus the last event): the same
    span and the same "anyone active near the cut-offs" check as on the whole log."""
    days = shop.client.gather(shop.client.map(_event_days, shop.live()))
    frame = pl.concat(days) if days else pl.DataFrame(schema={TIMESTAMP: pl.Datetime("us")})
    return plan_cutoffs(frame.drop_nulls().sort(TIMESTAMP), definition)


def _value_counts(events: pl.DataFrame, before: dt.date | None) -> dict[str, pl.DataFrame]:
    """On a worker: rows per event type and per channel (``features.vocabulary``'s counts)."""
    if before is not None:
        events = events.filter(pl.col(TIMESTAMP) < to_datetime(before))
    return {
        column: events.select(pl.col(column)).drop_nulls().group_by(column).len()
        for column in (EVENT_TYPE, CHANNEL)
        if column in events.columns
    }


def vocabulary(shop: DaskShop, before: dt.date | None) -> Vocabulary:
    """``features.vocabulary`` of the whole log: the most frequent event types and
    channels (ties by name), from every bucket's counts."""
    counts = shop.client.gather(shop.client.map(_value_counts, shop.live(), before=before))
    columns = shop.client.gather(shop.client.submit(lambda f: f.columns, shop.live()[0]))
    top: dict[str, tuple[str, ...]] = {}
    for column, limit in ((EVENT_TYPE, MAX_EVENT_TYPES), (CHANNEL, MAX_CHANNELS)):
        frames = [c[column] for c in counts if column in c]
        if not frames:
            top[column] = ()
            continue
        total = (
            pl.concat(frames)
            .group_by(column)
            .agg(pl.col("len").sum())
            .sort(["len", column], descending=[True, False])
            .head(limit)
        )
        top[column] = tuple(sorted(total.get_column(column).to_list()))
    return Vocabulary(frozenset(columns), top[EVENT_TYPE], top[CHANNEL])


def _day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _bgnbd_summaries(
    events: pl.DataFrame, cutoffs: list[dt.date], definition: ChurnDefinition
) -> list[pl.DataFrame]:
    """On a worker: first and last qualifying day and their number, per customer, before
    each cut-off (the input of ``bgnbd.cutoff_features``'s fit)."""
    active = _active_days(events, definition, max(cutoffs)).lazy()
    return [
        active.filter(pl.col("_day") < _day(c))
        .group_by(CUSTOMER_ID)
        .agg(
            pl.col("_day").min().alias("_first"),
            pl.col("_day").max().alias("_last"),
            pl.len().alias("_n"),
        )
        .collect()
        for c in cutoffs
    ]


def bgnbd_params(
    shop: DaskShop, cutoffs: list[dt.date], definition: ChurnDefinition
) -> dict[dt.date, BgNbdParams | None]:
    """BG/NBD fitted at each cut-off on every customer, sorted by id, as in one process."""
    per_bucket = shop.client.gather(
        shop.client.map(_bgnbd_summaries, shop.live(), cutoffs=cutoffs, definition=definition)
    )
    fitted: dict[dt.date, BgNbdParams | None] = {}
    previous: BgNbdParams | None = None
    for i, cutoff in enumerate(cutoffs):
        summary = pl.concat([b[i] for b in per_bucket]).sort(CUSTOMER_ID)
        s = bgnbd.summary_from_days(
            summary.get_column("_first").to_numpy(),
            summary.get_column("_last").to_numpy(),
            summary.get_column("_n").to_numpy(),
            _day(cutoff),
        )
        fitted[cutoff] = bgnbd.fit(s.x, s.t_x, s.T, seed=0, start=previous)
        previous = fitted[cutoff] or previous
    return fitted


# -- features per bucket ------------------------------------------------------------------


def _features(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    cutoffs: list[dt.date],
    definition: ChurnDefinition,
    vocab: Vocabulary,
    params: dict[dt.date, BgNbdParams | None],
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """``features.build_features_with_names`` with the shop-wide vocabulary and BG/NBD
    parameters (each cut-off's own, which that function cannot take: its BG/NBD columns
    are built with a placeholder and replaced here)."""
    frame, names, categorical = build_features_with_names(
        events, customers, cutoffs, definition, vocab, _PLACEHOLDER
    )
    active = _active_days(events, definition, max(cutoffs))
    schema = {CUSTOMER_ID: pl.String, **{n: pl.Float64 for n in bgnbd.FEATURES}}
    rows = [pl.DataFrame(schema=schema).with_columns(pl.lit(None, pl.Date).alias("cutoff"))]
    for cutoff in cutoffs:
        if params.get(cutoff) is None:
            continue  # no fit possible: the columns stay missing, as in one process
        values, _ = bgnbd.cutoff_features(
            active, _day(cutoff), definition.horizon_days, params[cutoff]
        )
        rows.append(
            values.select(list(schema))
            .cast(schema)
            .with_columns(pl.lit(cutoff, pl.Date).alias("cutoff"))
        )
    order = frame.columns
    frame = (
        frame.drop(bgnbd.FEATURES)
        .join(pl.concat(rows), on=[CUSTOMER_ID, "cutoff"], how="left", maintain_order="left")
        .select(order)
    )
    return frame, names, categorical


def _training_rows(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    cutoffs: list[dt.date],
    definition: ChurnDefinition,
    vocab: Vocabulary,
    params: dict[dt.date, BgNbdParams | None],
) -> tuple[pl.DataFrame, pl.DataFrame, list[str], list[str]]:
    """On a worker: one bucket's labelled feature rows (``build_training_set``'s join)."""
    labels = build_labels(events, cutoffs, definition)
    frame, names, categorical = _features(events, customers, cutoffs, definition, vocab, params)
    rows = frame.join(
        labels, on=[CUSTOMER_ID, "cutoff"], how="inner", maintain_order="left"
    ).select(CUSTOMER_ID, "cutoff", "label", *names)
    return rows, labels.select("cutoff", "label"), names, categorical


def _sample_customers(frame: pl.DataFrame, share: float) -> pl.DataFrame:
    """Whole customers, chosen by a seeded hash of the id (the same ones in every run)."""
    if share >= 1:
        return frame
    cut = int(share * 1_000_000)
    return frame.filter(pl.col(CUSTOMER_ID).hash(seed=_SAMPLE_SEED) % 1_000_000 < cut)


def build_training_set(
    shop: DaskShop, definition: ChurnDefinition, *, max_rows: int = MAX_GATHERED_ROWS
) -> FeatureSet:
    """``features.build_training_set`` of the whole log, built bucket by bucket.

    The feature rows come to the client (a seeded sample of whole customers when there
    are more than ``max_rows``, with a warning) for ``training.train_on_feature_set``.
    """
    definition = definition.validate()
    client = shop.client
    the_plan = plan(shop, definition)
    vocab = vocabulary(shop, the_plan.as_of)
    params = bgnbd_params(shop, the_plan.cutoffs, definition)
    built = client.map(
        _training_rows,
        shop.live(),
        customers=shop.customers_on_workers(),
        cutoffs=the_plan.cutoffs,
        definition=definition,
        vocab=vocab,
        params=params,
    )
    labels = client.gather([client.submit(operator.itemgetter(1), f) for f in built])
    the_plan.warnings.extend(check_labels(pl.concat(labels)))
    names, categorical = client.gather(client.submit(operator.itemgetter(2, 3), built[0]))
    rows = client.map(operator.itemgetter(0), built)
    total = sum(client.gather(client.map(_height, rows)))
    share = min(1.0, max_rows / total) if total else 1.0
    if share < 1:
        the_plan.warnings.append(Message(SAMPLED, {"rows": total, "kept": f"{share:.0%}"}))
        rows = client.map(_sample_customers, rows, share=share)
    frame = pl.concat(client.gather(rows), how="vertical_relaxed").sort("cutoff", CUSTOMER_ID)
    return FeatureSet(
        frame=frame, feature_names=names, categorical=categorical, plan=the_plan, bgnbd=params
    )


def _scoring_rows(
    events: pl.DataFrame,
    customers: pl.DataFrame | None,
    as_of: dt.date,
    definition: ChurnDefinition,
    vocab: Vocabulary,
    params: dict[dt.date, BgNbdParams | None],
    wanted: list[str],
    wanted_cats: list[str],
) -> pl.DataFrame:
    """On a worker: one bucket's customers as of ``as_of``, in the model's columns
    (``build_scoring_set``'s rule: an absent count is 0, anything else absent is missing)."""
    past = events.filter(pl.col(TIMESTAMP) < to_datetime(as_of))
    if past.height == 0:
        return pl.DataFrame()
    frame, _, _ = _features(past, customers, [as_of], definition, vocab, params)
    return in_model_columns(frame, wanted, wanted_cats)


def scoring_rows(
    shop: DaskShop,
    definition: ChurnDefinition,
    as_of: dt.date | None,
    *,
    feature_names: Sequence[str],
    categorical: Sequence[str],
    bgnbd_params: BgNbdParams | None,
) -> tuple[list[Future], CutoffPlan | None]:
    """Today's feature rows, one future per bucket (left on the workers), and the plan
    with the scoring date (``features.build_scoring_set``'s choice of date)."""
    try:
        the_plan: CutoffPlan | None = plan(shop, definition)
    except DataError:
        the_plan = None
    if as_of is None:
        if the_plan is not None:
            as_of = the_plan.as_of
        elif shop.n_events:
            last = shop.client.gather(shop.client.map(_event_days, shop.live()))
            as_of = pl.concat(last).get_column(TIMESTAMP).max().date() + dt.timedelta(days=1)
        else:
            raise DataError("error.features.no_events_to_score")
    vocab = vocabulary(shop, as_of)
    params = (
        {as_of: bgnbd_params}
        if bgnbd_params is not None
        else bgnbd_params_or_none(shop, as_of, definition)
    )
    built = shop.client.map(
        _scoring_rows,
        shop.live(),
        customers=shop.customers_on_workers(),
        as_of=as_of,
        definition=definition,
        vocab=vocab,
        params=params,
        wanted=list(feature_names),
        wanted_cats=list(categorical),
    )
    if the_plan is not None:
        the_plan.as_of = as_of
    return built, the_plan


def gather_scoring_set(
    shop: DaskShop,
    built: list[Future],
    the_plan: CutoffPlan | None,
    feature_names: Sequence[str],
    categorical: Sequence[str],
) -> tuple[FeatureSet, list[int], np.ndarray]:
    """The scoring rows here, sorted by customer as in one process; also each bucket's
    row count and, for each sorted row, its place in bucket order (so values computed
    per bucket, such as ``xgboost.dask`` predictions, line up with the frame)."""
    frames = shop.client.gather(built)
    heights = [f.height for f in frames]
    kept = [f for f in frames if f.height]
    if kept:
        stacked = pl.concat(kept, how="vertical_relaxed").with_row_index("_row")
        frame = stacked.sort(CUSTOMER_ID)
        order = frame.get_column("_row").to_numpy()
        frame = frame.drop("_row")
    else:
        frame = pl.DataFrame(schema={CUSTOMER_ID: pl.String, "cutoff": pl.Date})
        order = np.zeros(0, dtype=np.int64)
    feature_set = FeatureSet(
        frame=frame,
        feature_names=list(feature_names),
        categorical=list(categorical),
        plan=the_plan,
    )
    return feature_set, heights, order


def build_scoring_set(
    shop: DaskShop,
    definition: ChurnDefinition,
    as_of: dt.date | None,
    *,
    feature_names: Sequence[str],
    categorical: Sequence[str],
    bgnbd_params: BgNbdParams | None,
) -> FeatureSet:
    """``features.build_scoring_set`` of the whole log (one row per customer, gathered)."""
    built, the_plan = scoring_rows(
        shop,
        definition,
        as_of,
        feature_names=feature_names,
        categorical=categorical,
        bgnbd_params=bgnbd_params,
    )
    return gather_scoring_set(shop, built, the_plan, feature_names, categorical)[0]


def bgnbd_params_or_none(
    shop: DaskShop, as_of: dt.date, definition: ChurnDefinition
) -> dict[dt.date, BgNbdParams | None]:
    """A model without BG/NBD parameters: fit them as of the scoring date, as one process
    does, on every customer (nothing before ``as_of`` means nothing to fit)."""
    if not any(shop.client.gather(shop.client.map(_has_before, shop.live(), before=as_of))):
        return {as_of: None}
    return bgnbd_params(shop, [as_of], definition)


def _has_before(events: pl.DataFrame, before: dt.date) -> bool:
    return events.filter(pl.col(TIMESTAMP) < to_datetime(before)).height > 0
