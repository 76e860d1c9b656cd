"""churnlab against the shared peer pipeline (``../shared/bench/peer_pipeline.py``), in one run.

    python bench/run.py --peer 1m,10m        # or: python bench/peer.py 1m,10m

Data: ``../shared/bench/make_events.py N`` (a year of behaviour, 2024), written once to
``--data-dir``/peer-<size>/. Both sides see only the events before the cut-off (2024-11-01,
``events.parquet``); the truth is whether a customer has any event in the 60 days from it
(``events_full.parquet``): churn = none. Both sides score as of the cut-off with horizon 60 and
any activity counting, and the ROC AUC of both lists is computed on the same customers (those
both lists hold) against that truth.

Each stage is its own process (wall, CPU and peak RSS from ``os.wait4``), run one after the
other and interleaved with the peer:

- ``train`` / ``score``: ``python -m churnlab train`` and ``score`` (the list with its reasons);
- ``peer``: the peer pipeline, which trains and scores (shap for every customer) in one process;
- ``read_csv`` / ``read_parquet``: churnlab ``load_files`` against pandas ``read_csv`` +
  ``to_datetime`` (``read_parquet``) of the same file (bench/peer_stages.py); the CSV holds every
  event of the year.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "bench"
SIZES = {"1m": 1_000_000, "10m": 10_000_000, "100k": 100_000}
CUTOFF, END = "2024-11-01", "2024-12-31"  # the cut-off and the end of its 60-day horizon
HORIZON = 60
STAGES = ("read_parquet", "read_csv", "train", "score", "peer")


def prepare(size: str, root: Path, timeout: float) -> tuple[Path, dict[str, Any]]:
    """Generate the events once; the cut file, the CSV and the truth."""
    import polars as pl
    from run import run_process

    data = root / f"peer-{size}"
    data.mkdir(parents=True, exist_ok=True)
    full = data / "events_full.parquet"
    facts: dict[str, Any] = {}
    if not full.exists():
        script = str(SHARED / "make_events.py")
        facts["generate"] = run_process(
            [sys.executable, script, str(SIZES[size]), str(full)], timeout
        )
    cut = pl.datetime(2024, 11, 1)
    if not (data / "truth.parquet").exists():
        events = pl.read_parquet(full)
        events.filter(pl.col("event_time") < cut).write_parquet(data / "events.parquet")
        events.write_csv(data / "events.csv", datetime_format="%Y-%m-%d %H:%M:%S")
        end = pl.datetime(2024, 12, 31)
        active = events.filter(pl.col("event_time").is_between(cut, end, closed="left"))
        truth = (
            events.filter(pl.col("event_time") < cut)
            .select(pl.col("user_id").unique())
            .with_columns(churned=~pl.col("user_id").is_in(active["user_id"].unique().implode()))
        )
        truth.with_columns(pl.col("user_id").cast(pl.String)).write_parquet(data / "truth.parquet")
        del events
    facts["events_full"] = pl.scan_parquet(full).select(pl.len()).collect().item()
    facts["events"] = pl.scan_parquet(data / "events.parquet").select(pl.len()).collect().item()
    facts["customers"] = pl.scan_parquet(data / "truth.parquet").select(pl.len()).collect().item()
    facts["csv_mb"] = round((data / "events.csv").stat().st_size / 2**20, 1)
    facts["parquet_mb"] = round((data / "events.parquet").stat().st_size / 2**20, 1)
    return data, facts


def commands(stage: str, data: Path, work: Path) -> dict[str, list[str]]:
    py = sys.executable
    events = str(data / "events.parquet")
    model = str(work / "model")
    if stage == "train":
        return {
            "churnlab": [
                py,
                "-m",
                "churnlab",
                "train",
                events,
                "--out",
                model,
                "--horizon",
                str(HORIZON),
                "--activity",
                "any",
            ]
        }
    if stage == "score":
        return {
            "churnlab": [
                py,
                "-m",
                "churnlab",
                "score",
                model,
                events,
                "--as-of",
                CUTOFF,
                "--out",
                str(work / "churnlab-list.csv"),
            ]
        }
    if stage == "peer":
        return {
            "peer": [
                py,
                str(SHARED / "peer_pipeline.py"),
                events,
                "--id",
                "user_id",
                "--ts",
                "event_time",
                "--amount",
                "amount",
                "--as-of",
                CUTOFF,
                "--horizon",
                str(HORIZON),
                "--out",
                str(work / "peer-list.csv"),
            ]
        }
    file = str(data / ("events.csv" if stage == "read_csv" else "events.parquet"))
    worker = str(HERE / "peer_stages.py")
    return {
        side: [py, worker, f"{side}_read", file, str(work / f"{side}-{stage}.json")]
        for side in ("churnlab", "pandas")
    }


def quality(data: Path, work: Path) -> dict[str, Any]:
    """ROC AUC of both lists against the same truth, on the customers both lists hold."""
    import polars as pl

    sys.path.insert(0, str(ROOT))
    from churnlab.model import auc

    truth = pl.read_parquet(data / "truth.parquet")
    lists = {}
    for side, name in (("churnlab", "churnlab-list.csv"), ("peer", "peer-list.csv")):
        path = work / name
        if path.exists():
            frame = pl.read_csv(path, columns=["customer_id", "churn_probability"])
            lists[side] = frame.with_columns(pl.col("customer_id").cast(pl.String))
    out: dict[str, Any] = {"customers_in_truth": truth.height}
    if len(lists) < 2:
        return out
    common = lists["churnlab"].join(lists["peer"], on="customer_id", suffix="_peer")
    common = common.join(truth, left_on="customer_id", right_on="user_id")
    y = common["churned"].cast(pl.Int8).to_numpy()
    out["customers_compared"] = common.height
    out["churn_rate"] = round(float(y.mean()), 4)
    out["auc"] = {
        "churnlab": round(auc(y, common["churn_probability"].to_numpy()), 4),
        "peer": round(auc(y, common["churn_probability_peer"].to_numpy()), 4),
    }
    out["listed"] = {side: frame.height for side, frame in lists.items()}
    return out


def run_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    from run import run_process

    data, facts = prepare(size, Path(args.data_dir), args.timeout)
    work = Path(args.data_dir) / f"peer-{size}-work"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"size": size, "data": facts, "stages": {}}
    for stage in args.stages:
        for side, command in commands(stage, data, work).items():
            print(f"[{size}] {side:<9} {stage:<13}", end=" ", flush=True)
            inner = Path(command[-1]) if command[-1].endswith(".json") else None
            outcome = run_process(command, args.timeout)
            if inner and inner.exists():
                outcome.update(json.loads(inner.read_text()))
            results["stages"].setdefault(stage, {})[side] = outcome
            state = "ok" if outcome["exit"] == 0 else f"FAILED ({outcome['exit']})"
            print(
                f"{outcome['seconds']:>8.1f} s {outcome['peak_mb']:>8.0f} MB  {state}", flush=True
            )
            if outcome["exit"]:
                print(outcome["stderr_tail"], file=sys.stderr)
    results["quality"] = quality(data, work)
    return results


def _work(outcome: dict[str, Any] | None) -> float | None:
    """Seconds of a reading worker's inner laps other than its imports."""
    if not outcome or "inner" not in outcome:
        return None
    return sum(v for k, v in outcome["inner"].items() if k != "import")


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def markdown(results: dict[str, Any]) -> str:
    d, st = results["data"], results["stages"]
    lines = [
        f"### {results['size']}: {d['events']:,} events before {CUTOFF} ({d['events_full']:,} in "
        f"the year), {d['customers']:,} customers (Parquet {d['parquet_mb']} MB, CSV of the year "
        f"{d['csv_mb']} MB)",
        "",
        "| what | churnlab s | peer / pandas s | time ratio | CPU s (c / p) | churnlab MB | "
        "peer / pandas MB | memory ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, ours: list[dict], theirs: list[dict]) -> None:
        if not ours or not theirs or not all(ours) or not all(theirs):
            return
        cs, ps = sum(x["seconds"] for x in ours), sum(x["seconds"] for x in theirs)
        cc, pc = sum(x["cpu_seconds"] for x in ours), sum(x["cpu_seconds"] for x in theirs)
        cm, pm = max(x["peak_mb"] for x in ours), max(x["peak_mb"] for x in theirs)
        lines.append(
            f"| {name} | {cs:,.1f} | {ps:,.1f} | **{_ratio(cs, ps)}** | {cc:,.0f} / {pc:,.0f} | "
            f"{cm:,.0f} | {pm:,.0f} | **{_ratio(cm, pm)}** |"
        )

    for stage in ("read_parquet", "read_csv"):
        if stage in st:
            row(stage, [st[stage].get("churnlab")], [st[stage].get("pandas")])
            ours, theirs = (_work(st[stage].get(side)) for side in ("churnlab", "pandas"))
            if ours and theirs:
                lines.append(
                    f"| {stage}, work only (inner laps without imports) | {ours:.1f} | "
                    f"{theirs:.1f} | **{_ratio(ours, theirs)}** | | | | |"
                )
    peer = st.get("peer", {}).get("peer")
    if "train" in st and "score" in st:
        row(
            "train + score vs peer",
            [st["train"].get("churnlab"), st["score"].get("churnlab")],
            [peer],
        )
    laps = []
    for stage, sides in st.items():
        for side, outcome in sides.items():
            inner = ", ".join(f"{k} {v:.1f}" for k, v in outcome.get("inner", {}).items())
            laps.append(
                f"| {stage} | {side} | {outcome['seconds']:.1f} s, {outcome['peak_mb']:,.0f} MB | {inner} |"
            )
    lines += ["", "| stage | side | process | inner laps |", "|---|---|---|---|", *laps]
    q = results.get("quality", {})
    if "auc" in q:
        lines += [
            "",
            f"ROC AUC against the truth at {CUTOFF} (no event in the next {HORIZON} days), on the "
            f"{q['customers_compared']:,} customers both lists hold (churn rate {q['churn_rate']:.1%}): "
            f"churnlab **{q['auc']['churnlab']:.4f}**, peer **{q['auc']['peer']:.4f}**.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from run import machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "sizes", nargs="?", default="1m,10m", help="comma list of: " + ", ".join(SIZES)
    )
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--data-dir", default="/tmp/churnlab-bench")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--table", metavar="JSON", help="only print the table of a results file")
    args = parser.parse_args(argv)
    if args.table:
        print(markdown(json.loads(Path(args.table).read_text())))
        return 0
    args.stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"{info['cpu']}, {info['nproc']} cores; load {info['load_avg']}", flush=True)
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size not in SIZES:
            parser.error(f"unknown size {size}; choose from {list(SIZES)}")
        results = run_size(size, args)
        results["machine"] = info
        (out / f"peer-{size}.json").write_text(json.dumps(results, indent=2, default=str))
        table = markdown(results)
        (out / f"peer-{size}.md").write_text(table)
        print(table, flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
