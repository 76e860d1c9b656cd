"""Shared helpers of the hardening tests: the corpus, fast settings, and the jargon check."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl

from churnlab.config import Settings, TrainingConfig
from tests.hardening.corpus.make_corpus import CASES, HERE

CORPUS = HERE
#: Words that betray a crash rather than a message written for people.
JARGON = (
    "Traceback",
    "KeyError",
    "NoneType",
    "dtype",
    "ValueError",
    "TypeError",
    "IndexError",
    "AttributeError",
    "ComputeError",
    "Exception",
    'File "',
)
FAST = Settings(training=TrainingConfig(tuning_seconds=2, max_trials=2))


def corpus_cases(*kinds: str) -> list[str]:
    """Corpus file names whose expected outcome is one of ``kinds``."""
    return [name for name, want in CASES.items() if want in kinds]


def assert_plain(text: str) -> None:
    """A message for a marketer: non-empty and free of programmer jargon."""
    assert text.strip(), "empty message"
    leaked = [word for word in JARGON if word in text]
    assert not leaked, f"jargon {leaked} in: {text}"


def one_heavy_customer(path: Path, events: int = 1_000_000, others: int = 80) -> Path:
    """A Parquet log: one customer with ``events`` purchases plus ``others`` normal customers."""
    start = dt.datetime(2023, 1, 1)
    heavy = pl.DataFrame(
        {
            "customer_id": ["HEAVY"] * events,
            "timestamp": pl.datetime_range(
                start, start + dt.timedelta(days=540), interval="40s", eager=True
            ).head(events),
            "amount": pl.Series(range(events), dtype=pl.Float64) % 97 + 1,
        }
    )
    rng = random.Random(3)
    rows = []
    for c in range(others):
        span = 540 if c % 2 else rng.randint(30, 250)
        for _ in range(rng.randint(2, 10)):
            rows.append(
                (f"C{c:03d}", start + dt.timedelta(days=rng.randint(0, span)), rng.uniform(5, 90))
            )
    normal = pl.DataFrame(rows, schema=["customer_id", "timestamp", "amount"], orient="row")
    frame = pl.concat([heavy, normal.cast(heavy.schema)])
    frame.write_parquet(path)
    return path
