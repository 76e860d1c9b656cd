"""Beyond one process: the feature step on 20M-100M events from Parquet.

    python bench/scale.py --data-dir /tmp/churnlab-bench --steps 2,4,8

The 10M shop (``bench/run.py --sizes 10m`` makes it) is copied N times with
renamed customers into Parquet parts (N x ~11.9M events). For each N, three
ways of building the features for all 12 cut-offs run as separate processes,
each watched every 0.2 s and killed when its RSS passes ``--max-rss-gb``:

- ``eager``: churnlab's own ``build_training_set`` on everything at once;
- ``lazy``: a Polars lazy query (scan_parquet -> customer-day roll-up ->
  per-cut-off aggregates) run by the streaming engine and sunk to Parquet;
- ``partitioned``: churnlab's ``build_training_set`` per customer-hash bucket
  (what a Spark/Dask/Ray job would run per partition), one bucket at a time.

A size is skipped for a way once that way broke at a smaller size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUCKET_EVENTS = 12_000_000


def make_parts(source: Path, parts_dir: Path, n: int) -> list[Path]:
    """Copies 0..n-1 of the 10M shop; copy r renames every customer id to ``<id>-r``."""
    import polars as pl

    parts_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in range(n):
        events = parts_dir / f"events-{r:02d}.parquet"
        customers = parts_dir / f"customers-{r:02d}.parquet"
        suffix = pl.col("customer_id") + f"-{r}"
        if not events.exists():
            pl.scan_parquet(source / "events.parquet").with_columns(suffix).sink_parquet(events)
            pl.scan_parquet(source / "customers.parquet").with_columns(suffix).sink_parquet(
                customers
            )
        paths.append(events)
    return paths


def _lazy_features(parts: list[Path], plan: dict, out: Path) -> int:
    """RFM, window counts and tenure at every cut-off, never holding the raw events."""
    import polars as pl

    lf = pl.scan_parquet(parts)
    p = pl.col("event_type") == "purchase"
    types = ("view", "search", "cart", "favorite", "refund", "review", "service")
    daily = (
        lf.with_columns(pl.col("timestamp").dt.date().cast(pl.Int32).alias("day"))
        .group_by("customer_id", "day")
        .agg(
            p.sum().cast(pl.Int32).alias("np"),
            pl.when(p).then(pl.col("amount")).sum().alias("spend"),
            pl.len().cast(pl.Int32).alias("ne"),
            *[(pl.col("event_type") == t).sum().cast(pl.Int32).alias(f"n_{t}") for t in types],
        )
    )
    daily_path = out.with_suffix(".daily.parquet")
    daily.sink_parquet(daily_path)
    days = pl.scan_parquet(daily_path)
    first = days.group_by("customer_id").agg(pl.col("day").min().alias("first_day"))
    frames = []
    for text in plan["cutoffs"]:
        c = (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days
        window = days.filter((pl.col("day") >= c - 365) & (pl.col("day") < c))

        def within(n: int, expr: pl.Expr, c: int = c) -> pl.Expr:
            return pl.when(pl.col("day") >= c - n).then(expr).otherwise(0).sum()

        frame = (
            window.group_by("customer_id")
            .agg(
                (c - pl.when(pl.col("np") > 0).then(pl.col("day")).max()).alias("recency_days"),
                (pl.col("np") > 0).sum().alias("frequency"),
                pl.col("spend").sum().alias("monetary"),
                *[
                    within(n, pl.col(f"n_{t}")).alias(f"{t}_{n}d")
                    for n in (30, 90, 180)
                    for t in types
                ],
                *[within(n, pl.col("spend")).alias(f"spend_{n}d") for n in (30, 90, 180)],
            )
            .filter(pl.col("frequency") > 0)
            .join(first, on="customer_id", how="left")
            .with_columns(
                (c - pl.col("first_day")).alias("tenure_days"), pl.lit(text).alias("cutoff")
            )
            .drop("first_day")
        )
        frames.append(frame)
    pl.concat(frames).sink_parquet(out)
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    daily_path.unlink()
    return int(rows)


def _churnlab_features(parts: list[Path], plan: dict, out: Path, buckets: int) -> int:
    """churnlab's build_training_set on everything (buckets=1) or per customer-hash bucket."""
    import polars as pl

    from churnlab.config import ChurnDefinition
    from churnlab.features import build_training_set

    customers_parts = [p.with_name(p.name.replace("events-", "customers-")) for p in parts]
    definition = ChurnDefinition(cutoff=dt.date.fromisoformat(plan["eval_cutoff"]))
    rows = 0
    for k in range(buckets):
        mine = pl.col("customer_id").hash(seed=0) % buckets == k
        events = pl.scan_parquet(parts).filter(mine).collect(engine="streaming")
        customers = pl.scan_parquet(customers_parts).filter(mine).collect()
        feature_set = build_training_set(events, customers, definition)
        del events
        feature_set.frame.write_parquet(out.with_suffix(f".{k:03d}.parquet"))
        rows += feature_set.frame.height
        del feature_set
    return rows


def worker(way: str, parts_dir: Path, n: int, plan_path: Path, out: Path) -> None:
    parts = sorted(parts_dir.glob("events-*.parquet"))[:n]
    plan = json.loads(plan_path.read_text())
    start = time.perf_counter()
    if way == "lazy":
        rows = _lazy_features(parts, plan, out)
    elif way == "eager":
        rows = _churnlab_features(parts, plan, out, 1)
    else:
        buckets = max(1, round(n * plan["events"] / BUCKET_EVENTS))
        rows = _churnlab_features(parts, plan, out, buckets)
    print(json.dumps({"rows": rows, "inner_seconds": round(time.perf_counter() - start, 1)}))


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def watched(command: list[str], max_rss_gb: float, timeout: float) -> dict:
    """Run a process; kill it if its RSS passes the limit. Wall time, peak RSS, outcome."""
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", PYTHONPATH=str(ROOT))
    killed = ""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if _rss_kb(proc.pid) > max_rss_gb * 2**20:
                killed = f"killed: RSS above {max_rss_gb} GB"
            elif time.perf_counter() - start > timeout:
                killed = f"killed: over {timeout:.0f} s"
            if killed:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    result = {
        "seconds": round(time.perf_counter() - start, 1),
        "peak_gb": round(usage.ru_maxrss / 2**20, 2),
        "exit": os.waitstatus_to_exitcode(status),
        "outcome": killed or ("ok" if status == 0 else " ".join(stderr.strip().splitlines()[-1:])),
    }
    if stdout.strip():
        result.update(json.loads(stdout.strip().splitlines()[-1]))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="/tmp/churnlab-bench", type=Path)
    parser.add_argument("--steps", default="2,4,8", help="copies of the 10M shop per step")
    parser.add_argument("--ways", default="lazy,eager,partitioned")
    parser.add_argument("--max-rss-gb", type=float, default=16.0)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--worker", nargs=4, metavar=("WAY", "PARTS", "N", "OUT"))
    args = parser.parse_args()
    source = args.data_dir / "10m"
    if args.worker:
        way, parts_dir, n, out = args.worker
        worker(way, Path(parts_dir), int(n), source / "plan.json", Path(out))
        return 0
    steps = [int(s) for s in args.steps.split(",")]
    ways = args.ways.split(",")
    parts_dir = args.data_dir / "scale-parts"
    make_parts(source, parts_dir, max(steps))
    per_copy = json.loads((source / "plan.json").read_text())["events"]
    results: list[dict] = []
    broken: set[str] = set()
    work = args.data_dir / "scale-work"
    work.mkdir(exist_ok=True)
    for n in steps:
        for way in ways:
            if way in broken:
                continue
            out = work / f"{way}-{n}.parquet"
            command = [sys.executable, __file__, "--data-dir", str(args.data_dir)]
            command += ["--worker", way, str(parts_dir), str(n), str(out)]
            result = watched(command, args.max_rss_gb, args.timeout)
            result.update(way=way, copies=n, events=n * per_copy)
            print(json.dumps(result), flush=True)
            results.append(result)
            if result["outcome"] != "ok":
                broken.add(way)
            for leftover in work.glob(f"{way}-{n}*.parquet"):
                leftover.unlink()
    args.out.mkdir(exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
