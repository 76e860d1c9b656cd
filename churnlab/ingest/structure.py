"""What the values of id-like columns say about their role, whatever the columns are called.

A customer id recurs across many days, and order or session ids nest inside it; an order
(or basket) id lives on one day and its lines share a timestamp; a session lives minutes;
a product is shared across people and nests inside a category. ``profile_ids`` measures
these facts on a seeded sample of rows, so reading a 10M-row export stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

#: Structure is measured on at most this many rows (a seeded random sample).
PROFILE_ROWS = 300_000
#: A column "nests" inside another when at least this share of its repeated values has one
#: value of the other.
NESTED = 0.95


@dataclass
class IdProfile:
    """Facts about the values of one id-like column."""

    column: str
    distinct: int
    rows: int  # non-null rows in the sample
    unique: bool  # every value once (a row, line or event number)
    sequential: bool  # exactly 1..n, a row number
    repeated: int = 0  # values with two or more rows
    multi_day: float | None = None  # share of repeated values seen on two or more days
    median_days: float | None = None  # median distinct days per repeated value
    one_time: float | None = None  # share of repeated values whose rows share one timestamp
    life_hours: float | None = None  # median hours from first to last row of a repeated value
    burst: float | None = None  # median (median gap / mean gap) of a value's distinct times
    per_day: float | None = None  # median distinct values seen on one day
    coverage: float | None = None  # median share of the data's days on which a value is seen
    one_clock: float | None = None  # share of repeated values always at one time of day
    contiguity: float | None = None  # median share of the days between first and last seen
    nests_in: dict[str, float] = field(default_factory=dict)  # other column -> share
    # the same share for every other column, also one with as many values (a 1:1 attribute)
    determines: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_value(self) -> float:
        return self.rows / max(self.distinct, 1)

    @property
    def order_like(self) -> bool:
        """Lives on one day, inside one value of another id: an order, basket or receipt."""
        return (
            self.repeated >= 5
            and (self.multi_day or 0.0) <= 0.05
            and (self.one_time or 0.0) >= 0.5
            and bool(self.parents())
        )

    @property
    def session_like(self) -> bool:
        """Lasts minutes to hours with several distinct times, inside one value of another id."""
        return (
            self.repeated >= 5
            and not self.order_like
            and (self.life_hours if self.life_hours is not None else 99.0) < 6.0
            and (self.multi_day or 0.0) <= 0.2
            and bool(self.parents())
        )

    @property
    def period_like(self) -> bool:
        """One value a day, each lasting days: a week or month number, not an id of anyone."""
        return (
            self.per_day is not None
            and self.per_day <= 1.5
            and self.distinct >= 3
            and self.repeated >= 3
            and (self.contiguity or 0.0) >= 0.9
        )

    @property
    def clock_like(self) -> bool:
        """Every row of a value at the same time of day, on many days: a time of day."""
        return (self.one_clock or 0.0) >= 0.9 and (self.multi_day or 0.0) >= 0.5

    @property
    def recurs(self) -> bool:
        """Values that come back on other days: a person, product, store or category."""
        return self.repeated >= 3 and (self.multi_day or 0.0) >= 0.3

    def parents(self) -> list[str]:
        return [c for c, share in self.nests_in.items() if share >= NESTED]


def _sample(frame: pl.DataFrame, seed: int = 0) -> pl.DataFrame:
    if frame.height <= PROFILE_ROWS:
        return frame
    return frame.sample(PROFILE_ROWS, seed=seed)


def _key(series: pl.Series) -> pl.Series:
    """Values as trimmed text, so 17850 and "17850" meet."""
    if series.dtype == pl.String:
        return series.str.strip_chars().replace({"": None})
    return series.cast(pl.String, strict=False)


def profile_ids(
    frame: pl.DataFrame, columns: list[str], times: pl.Series | None
) -> dict[str, IdProfile]:
    """Measure every candidate id column (and how they nest) on one sample of rows."""
    if not columns:
        return {}
    # sample the rows first: keying every value of a 10M-row log as text would cost seconds
    picked = frame.select(columns)
    if times is not None:
        picked = picked.with_columns(times.cast(pl.Datetime("us")).alias("__t"))
    picked = _sample(picked)
    sample = picked.with_columns([_key(picked[c]).alias(c) for c in columns])
    profiles: dict[str, IdProfile] = {}
    for column in columns:
        values = sample[column].drop_nulls()
        rows = values.len()
        distinct = values.n_unique()
        sequential = False
        if distinct == rows and rows > 1:
            ints = values.cast(pl.Int64, strict=False)
            if ints.null_count() == 0:
                lo, hi = ints.min(), ints.max()
                sequential = lo in (0, 1) and hi - lo + 1 == rows  # type: ignore[operator]
        profiles[column] = IdProfile(
            column=column,
            distinct=distinct,
            rows=rows,
            unique=distinct == rows,
            sequential=sequential,
        )
    _measure_time(sample, profiles, times is not None)
    _measure_nesting(sample, profiles)
    return profiles


def _measure_time(sample: pl.DataFrame, profiles: dict[str, IdProfile], has_time: bool) -> None:
    if has_time:
        # day and clock (minute of the day) as integers once, not as text per column
        t = pl.col("__t")
        sample = sample.with_columns(
            __day=t.dt.date(),
            __clock=t.dt.hour().cast(pl.Int16) * 60 + t.dt.minute().cast(pl.Int16),
        )
    for column, profile in profiles.items():
        extra = [pl.col("__t"), pl.col("__day"), pl.col("__clock")] if has_time else []
        keyed = sample.select(pl.col(column).alias("k"), *extra)
        keyed = keyed.filter(pl.col("k").is_not_null())
        counts = keyed.group_by("k").len()
        repeated = counts.filter(pl.col("len") >= 2)
        profile.repeated = repeated.height
        if not has_time or repeated.height == 0:
            continue
        rows = keyed.join(repeated.select("k"), on="k", how="semi").filter(
            pl.col("__t").is_not_null()
        )
        day = pl.col("__day")
        per = rows.group_by("k").agg(
            clocks=pl.col("__clock").n_unique(),
            days=day.n_unique(),
            spanned=(day.max() - day.min()).dt.total_days() + 1,
            times=pl.col("__t").n_unique(),
            life=(pl.col("__t").max() - pl.col("__t").min()).dt.total_seconds() / 3600.0,
        )
        if per.height == 0:
            continue
        profile.multi_day = float((per["days"] >= 2).mean())  # type: ignore[arg-type]
        profile.median_days = float(per["days"].median())  # type: ignore[arg-type]
        profile.one_time = float((per["times"] == 1).mean())  # type: ignore[arg-type]
        profile.one_clock = float((per["clocks"] == 1).mean())  # type: ignore[arg-type]
        profile.contiguity = float((per["days"] / per["spanned"]).median())  # type: ignore[arg-type]
        profile.life_hours = float(per["life"].median())  # type: ignore[arg-type]
        profile.burst = _burstiness(rows)
        daily = keyed.drop_nulls("__t").group_by("__day").agg(pl.col("k").n_unique())
        profile.per_day = float(daily["k"].median())  # type: ignore[arg-type]
        profile.coverage = float(per["days"].median()) / max(daily.height, 1)  # type: ignore[arg-type]


def _burstiness(rows: pl.DataFrame) -> float | None:
    """Median over values of (median gap / mean gap) between their distinct times.

    A person acts in bursts (sessions, then days of nothing): the typical gap is far below
    the average one. Events of a product come from many people and arrive more evenly
    (about 0.7 for a Poisson stream). Values are sorted by their 64-bit hash, three times
    faster than by text; a gap is only taken between two times of the same value.
    """
    ordered = rows.select(pl.col("k").hash(0), "__t").unique().sort("k", "__t")
    same = pl.col("k") == pl.col("k").shift()
    gaps = (
        ordered.with_columns(gap=pl.when(same).then(pl.col("__t").diff().dt.total_seconds()))
        .drop_nulls("gap")
        .group_by("k")
        .agg(n=pl.len(), median=pl.col("gap").median(), mean=pl.col("gap").mean())
        .filter((pl.col("n") >= 4) & (pl.col("mean") > 0))
    )
    if gaps.height < 3:
        return None
    return float((gaps["median"] / gaps["mean"]).median())  # type: ignore[arg-type]


def _measure_nesting(sample: pl.DataFrame, profiles: dict[str, IdProfile]) -> None:
    """For each pair (A, B): the share of A's repeated values that have a single B value."""
    columns = [c for c, p in profiles.items() if p.repeated and not p.unique]
    for child in columns:
        repeated = (
            sample.select(pl.col(child).alias("k"))
            .drop_nulls()
            .group_by("k")
            .len()
            .filter(pl.col("len") >= 2)
        )
        rows = sample.join(repeated.select(pl.col("k").alias(child)), on=child, how="semi")
        others = [c for c in profiles if c != child and profiles[c].distinct > 1]
        if not others or rows.height == 0:
            continue
        per = rows.group_by(child).agg([pl.col(o).drop_nulls().n_unique().alias(o) for o in others])
        for other in others:
            filled = per.filter(pl.col(other) > 0)
            if filled.height == 0:
                continue
            share = float((filled[other] == 1).mean())  # type: ignore[arg-type]
            profiles[child].determines[other] = share
            # nesting inside a column with as many values is no nesting (a 1:1 rename)
            if profiles[other].distinct < profiles[child].distinct:
                profiles[child].nests_in[other] = share
