"""churnlab on a Dask LocalCluster against the single process, on synthetic logs.

    python bench/dask_scale.py --events 10000000 --work /tmp/dask-bench [--workers 2] [--skip-single]

Makes the log with ../shared/bench/make_events.py (about N events, N/50 customers), writes
it as Parquet parts, then runs the CLI as a user would, each command in its own process
tree, watched from outside every 0.25 s:

- single process: ``train EVENTS`` and ``score MODEL EVENTS``;
- Dask: the same with ``"PARTS/*.parquet" --dask local:W``.

For each run: wall time, peak RSS of the CLI process and of every worker process, and the
outcome (a run is killed when the whole tree passes ``--max-gb``, so a shared machine never
runs out of memory: that is "where it stops"). Then the two lists are compared (Spearman of
the probabilities, overlap of the top 1 %). Results: one JSON line per run on stdout and
``bench/results/dask-<N>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
MAKE_EVENTS = ROOT.parent / "shared" / "bench" / "make_events.py"
TUNING = ["--tuning-seconds", "300", "--max-trials", "4"]
"""Every trial finishes inside the budget, so both sides train the same model (README)."""


def make_parts(n: int, work: Path, parts: int) -> tuple[Path, Path]:
    source = work / f"events-{n}.parquet"
    folder = work / f"parts-{n}"
    if not source.exists():
        subprocess.run([sys.executable, str(MAKE_EVENTS), str(n), str(source)], check=True)
    if not folder.exists():
        folder.mkdir(parents=True)
        frame = pl.scan_parquet(source)
        rows = frame.select(pl.len()).collect().item()
        step = -(-rows // parts)
        for i in range(parts):
            frame.slice(i * step, step).sink_parquet(folder / f"part-{i:03d}.parquet")
    return source, folder


def watched(command: list[str], max_gb: float, timeout: float) -> dict:
    """Run a CLI command; peak RSS of it and of each child process (the Dask workers)."""
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peaks: dict[int, int] = {}
    names: dict[int, str] = {}
    tree_peak = 0
    killed = ""
    while proc.poll() is None:
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0
        for p in family:
            try:
                rss = p.memory_info().rss
                names.setdefault(p.pid, " ".join(p.cmdline()[1:4])[:60])
            except psutil.Error:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0), rss)
            total += rss
        tree_peak = max(tree_peak, total)
        if total > max_gb * 2**30:
            killed = f"killed: process tree above {max_gb} GB"
        elif time.perf_counter() - start > timeout:
            killed = f"killed: over {timeout:.0f} s"
        if killed:
            for p in reversed(family):
                with contextlib.suppress(psutil.Error):
                    p.kill()
            break
        time.sleep(0.25)
    out, err = proc.communicate()
    gb = 2**30
    children = sorted(
        (round(v / gb, 2) for pid, v in peaks.items() if pid != proc.pid and v > 200 * 2**20),
        reverse=True,
    )
    return {
        "command": " ".join(Path(c).name if c.startswith("/") else c for c in command[2:]),
        "seconds": round(time.perf_counter() - start, 1),
        "client_peak_gb": round(peaks.get(proc.pid, 0) / gb, 2),
        "worker_peaks_gb": children,
        "tree_peak_gb": round(tree_peak / gb, 2),
        "outcome": killed
        or ("ok" if proc.returncode == 0 else err.decode(errors="replace").strip()[-300:]),
        "stdout_tail": out.decode(errors="replace").strip().splitlines()[-1:],
    }


def compare(single: Path, spread: Path) -> dict:
    from scipy.stats import spearmanr

    a = pl.read_csv(single, comment_prefix="#", schema_overrides={"customer_id": pl.String})
    b = pl.read_csv(spread, comment_prefix="#", schema_overrides={"customer_id": pl.String})
    joined = a.join(b, on="customer_id", suffix="_dask")
    top = max(1, a.height // 100)
    same_top = set(a.sort("rank").head(top)["customer_id"]) & set(
        b.sort("rank").head(top)["customer_id"]
    )
    return {
        "customers": [a.height, b.height],
        "spearman": round(
            float(spearmanr(joined["churn_probability"], joined["churn_probability_dask"])[0]), 6
        ),
        "top_1pct_overlap": round(len(same_top) / top, 4),
        "identical_files": single.read_bytes() == spread.read_bytes(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parts", type=int, default=16)
    parser.add_argument("--max-gb", type=float, default=18.0)
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source, folder = make_parts(args.events, args.work, args.parts)
    cli = [sys.executable, "-m", "churnlab"]
    dask = ["--dask", f"local:{args.workers}"]
    glob = str(folder / "*.parquet")
    w = args.work
    runs = []
    if not args.skip_single:
        runs.append(("single train", [*cli, "train", str(source), "--out", str(w / "m1"), *TUNING]))
        runs.append(
            (
                "single score",
                [*cli, "score", str(w / "m1"), str(source), "--out", str(w / "s1.csv")],
            )
        )
    runs.append(("dask train", [*cli, "train", glob, "--out", str(w / "m2"), *TUNING, *dask]))
    runs.append(
        ("dask score", [*cli, "score", str(w / "m2"), glob, "--out", str(w / "s2.csv"), *dask])
    )
    results: dict = {"events_requested": args.events, "workers": args.workers, "runs": {}}
    results["events"] = pl.scan_parquet(source).select(pl.len()).collect().item()
    for name, command in runs:
        result = watched(command, args.max_gb, args.timeout)
        results["runs"][name] = result
        print(json.dumps({name: result}), flush=True)
    if (w / "m1").exists():  # the single process's model scored on the cluster: same list?
        command = [*cli, "score", str(w / "m1"), glob, "--out", str(w / "s3.csv"), *dask]
        results["runs"]["dask score, single model"] = watched(command, args.max_gb, args.timeout)
    pairs = {"models trained apart": "s2.csv", "same model": "s3.csv"}
    for label, other in pairs.items():
        if (w / "s1.csv").exists() and (w / other).exists():
            results[f"agreement, {label}"] = compare(w / "s1.csv", w / other)
    if (w / "m1").exists() and (w / "m2").exists():
        same = (w / "m1" / "model.ubj").read_bytes() == (w / "m2" / "model.ubj").read_bytes()
        results["same_booster"] = same
    print(json.dumps({k: v for k, v in results.items() if k != "runs"}), flush=True)
    out = ROOT / "bench" / "results" / f"dask-{args.events}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
