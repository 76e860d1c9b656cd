"""Soak and concurrency check, run by hand (not part of pytest).

    python tests/hardening/soak.py [--files 30] [--sessions 8]

1. One AppTest session uploads 30 different small exports in turn and trains on
   each; then 30 fresh sessions do the same once each. RSS (VmRSS from
   /proc/self/status) is recorded after every step: it should level off, since
   caches are bounded and old uploads are dropped.
2. 8 sessions train on the sample shop at the same time (threads), timed.

Training goes through the same engine call the Model page makes, with a short
search (the page's button click is not reliably delivered by AppTest), and the
pages that show the result (At risk, Overview) are rendered after each.
Prints a Markdown block to paste into bench/HARDENING.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import platform
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from churnlab.config import Settings, TrainingConfig  # noqa: E402
from churnlab.ingest.loading import combine, load_table  # noqa: E402
from churnlab.pipeline import train  # noqa: E402
from pages._shared import MODEL_KEY, UPLOADS, USER_MODEL, Upload, digest  # noqa: E402
from tests.app.conftest import new_app, open_page  # noqa: E402

FAST = Settings(training=TrainingConfig(tuning_seconds=3, max_trials=3))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def export(seed: int, customers: int = 300) -> bytes:
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 1)
    rows = []
    for c in range(customers):
        loyal = rng.random() < 0.55
        for k in range(rng.randint(5, 14) if loyal else rng.randint(1, 4)):
            day = start + dt.timedelta(days=rng.randint(0, 540 if loyal else rng.randint(20, 270)))
            rows.append(
                (f"S{seed}-O{c}-{k}", f"S{seed}-C{c:04d}", day.isoformat(), rng.uniform(5, 250))
            )
    buffer = io.BytesIO()
    pl.DataFrame(
        rows, schema=["order_id", "customer", "order_date", "total"], orient="row"
    ).write_csv(buffer)
    return buffer.getvalue()


def upload_and_train(at, seed: int) -> None:
    data = export(seed)
    name = f"shop_{seed}.csv"
    at.session_state[UPLOADS] = [Upload(name, data, digest(data))]
    open_page(at, "data")
    shop = combine([load_table(data, name=name)], source=name)
    at.session_state[USER_MODEL] = train(shop, FAST)
    at.session_state[MODEL_KEY] = f"soak:{digest(data)}"
    open_page(at, "at_risk")
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])


def soak(files: int) -> tuple[list[float], list[float]]:
    one = new_app()
    one.run()
    within = []
    for seed in range(files):
        upload_and_train(one, seed)
        within.append(rss_mb())
        print(f"one session, file {seed + 1}: {within[-1]:.0f} MB", flush=True)
    del one
    across = []
    for seed in range(files, 2 * files):
        at = new_app()
        at.run()
        upload_and_train(at, seed)
        del at
        across.append(rss_mb())
        print(f"new session {seed - files + 1}: {across[-1]:.0f} MB", flush=True)
    return within, across


def concurrent(sessions: int) -> list[float]:
    """Sessions train on the sample shop at once; seconds each, from a common start."""
    from pages._shared import _sample_shop  # noqa: F401  (warm import)

    apps = [new_app() for _ in range(sessions)]
    for at in apps:
        at.run()
    shop = combine(
        [load_table(p) for p in sorted((ROOT / "sample_data").glob("*.parquet"))], source="sample"
    )
    times = [0.0] * sessions
    barrier = threading.Barrier(sessions)

    def work(i: int) -> None:
        barrier.wait()
        t0 = time.perf_counter()
        model = train(
            shop, Settings(training=TrainingConfig(tuning_seconds=10, max_trials=4, seed=i))
        )
        apps[i].session_state[USER_MODEL] = model
        apps[i].session_state[MODEL_KEY] = f"conc:{i}"
        times[i] = time.perf_counter() - t0

    threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    for at in apps:  # each session renders its own list afterwards
        open_page(at, "at_risk")
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
    return [*times, wall]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=8)
    args = parser.parse_args()
    t0 = time.perf_counter()
    within, across = soak(args.files)
    soak_s = time.perf_counter() - t0
    times = concurrent(args.sessions)
    wall = times.pop()
    print()
    print(
        f"## {dt.date.today()} on {platform.node()} ({platform.machine()}, "
        f"{__import__('os').cpu_count()} CPUs, Python {platform.python_version()})"
    )
    print(
        f"Soak: {args.files} files in one session, then {args.files} new sessions, "
        f"{soak_s:.0f} s in all."
    )
    print("RSS MB, one session, after each file: " + ", ".join(f"{v:.0f}" for v in within))
    print("RSS MB, new sessions, after each: " + ", ".join(f"{v:.0f}" for v in across))
    print(
        f"Concurrent: {args.sessions} sessions training on the sample at once: wall {wall:.0f} s; "
        "each " + ", ".join(f"{v:.0f}" for v in times) + " s"
    )


if __name__ == "__main__":
    main()
