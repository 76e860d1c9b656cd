"""Benchmark churnlab against a classic pandas + XGBoost + SHAP pipeline, in one run.

    python bench/run.py --quick            # ~120k events, a couple of minutes
    python bench/run.py --sizes 1m,10m     # ~1.2M and ~11.9M events

Every stage of each side runs as its own process (interleaved: churnlab, then the
reference, stage by stage), so the ratios hold on a noisy shared machine. The
process's wall time and peak RSS come from outside (``os.wait4``); the inner laps
come from the worker's JSON. Results go to bench/results/<size>.json and .md.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Size name -> customers for ``python -m churnlab sample`` (~59 events per customer).
SIZES = {"quick": 2_000, "1m": 20_000, "10m": 200_000}
STAGES = ("read_csv", "read_parquet", "features_1", "features_all", "train", "score", "report")
SIDES = {"churnlab": HERE / "churnlab_stages.py", "reference": HERE / "reference.py"}
REFERENCE_STAGES = ("read_csv", "read_parquet", "features_1", "features_all", "train", "score")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_process(command: list[str], timeout: float) -> dict[str, Any]:
    """Run one process; its wall seconds, peak RSS (MB, from wait4) and exit code."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(wall, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "exit": proc.returncode,
        "timed_out": wall >= timeout,
        "stdout_tail": stdout[-500:],
        "stderr_tail": stderr[-1500:],
    }


def prepare(size: str, data_root: Path, timeout: float) -> tuple[Path, dict[str, Any]]:
    """Generate the shop with the churnlab CLI (once per size), its CSV copy and plan.json."""
    data = data_root / size
    facts: dict[str, Any] = {}
    if not (data / "events.parquet").exists():
        print(f"[{size}] generating {SIZES[size]:,} customers ...", flush=True)
        command = [sys.executable, "-m", "churnlab", "sample", "--out", str(data)]
        facts["generate"] = run_process([*command, "--customers", str(SIZES[size])], timeout)
    if not (data / "plan.json").exists() or not (data / "events.csv").exists():
        facts["prepare"] = run_process(
            [sys.executable, str(HERE / "prepare.py"), str(data)], timeout
        )
        if facts["prepare"]["exit"]:
            raise SystemExit(f"preparing {data} failed:\n{facts['prepare']['stderr_tail']}")
    plan = json.loads((data / "plan.json").read_text())
    facts["events"] = plan["events"]
    facts["customers"] = plan["customers"]
    facts["csv_mb"] = round((data / "events.csv").stat().st_size / 2**20, 1)
    facts["parquet_mb"] = round((data / "events.parquet").stat().st_size / 2**20, 1)
    facts["cutoffs"] = len(plan["cutoffs"])
    return data, facts


def run_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    data, facts = prepare(size, Path(args.data_dir), args.timeout)
    work = Path(args.data_dir) / f"{size}-work"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"size": size, "data": facts, "stages": {}}
    for stage in args.stages:
        for side, script in SIDES.items():
            if side not in args.sides or (side == "reference" and stage not in REFERENCE_STAGES):
                continue
            out = work / f"{side}-{stage}.json"
            out.unlink(missing_ok=True)
            print(f"[{size}] {side:<9} {stage:<13}", end=" ", flush=True)
            command = [sys.executable, str(script), stage, str(data), str(work), str(out)]
            outcome = run_process(command, args.timeout)
            if out.exists():
                outcome.update(json.loads(out.read_text()))
            results["stages"].setdefault(stage, {})[side] = outcome
            state = "ok" if outcome["exit"] == 0 else f"FAILED ({outcome['exit']})"
            print(
                f"{outcome['seconds']:>8.1f} s {outcome['peak_mb']:>8.0f} MB  {state}", flush=True
            )
            if outcome["exit"]:
                print(outcome["stderr_tail"], file=sys.stderr)
    return results


def machine() -> dict[str, Any]:
    def text(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in text(["cat", "/proc/cpuinfo"]).splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "nproc": text(["nproc"]).strip(),
        "free_g": text(["free", "-g"]).strip(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_avg": os.getloadavg(),
    }


def _cell(outcome: dict[str, Any] | None, key: str, digits: int = 1) -> str:
    if not outcome or outcome.get(key) is None:
        return "—"
    value = outcome[key]
    return f"{value:,.{digits}f}" if isinstance(value, float | int) else str(value)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def markdown(results: dict[str, Any]) -> str:
    d = results["data"]
    lines = [
        f"### {results['size']}: {d['events']:,} events, {d['customers']:,} customers, "
        f"{d['cutoffs']} cut-offs (CSV {d['csv_mb']} MB, Parquet {d['parquet_mb']} MB)",
        "",
        "Whole processes (wall seconds from outside, peak RSS from wait4); ratio = churnlab / reference.",
        "",
        "| stage | churnlab s | reference s | time ratio | CPU s (c / r) | churnlab peak MB | reference peak MB | memory ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    stages = results["stages"]
    for stage, sides in stages.items():
        c, r = sides.get("churnlab"), sides.get("reference")
        lines.append(
            f"| {stage} | {_cell(c, 'seconds')} | {_cell(r, 'seconds')} | "
            f"{_ratio(c and c['seconds'], r and r['seconds'])} | "
            f"{_cell(c, 'cpu_seconds', 0)} / {_cell(r, 'cpu_seconds', 0)} | {_cell(c, 'peak_mb', 0)} | "
            f"{_cell(r, 'peak_mb', 0)} | {_ratio(c and c['peak_mb'], r and r['peak_mb'])} |"
        )
    if "train" in stages and "score" in stages:
        c = [stages[s].get("churnlab") for s in ("train", "score")]
        r = [stages[s].get("reference") for s in ("train", "score")]
        if all(c) and all(r):
            cs, rs = sum(x["seconds"] for x in c), sum(x["seconds"] for x in r)
            cm, rm = max(x["peak_mb"] for x in c), max(x["peak_mb"] for x in r)
            cc, rc = sum(x["cpu_seconds"] for x in c), sum(x["cpu_seconds"] for x in r)
            lines.append(
                f"| **train + score** | **{cs:,.1f}** | **{rs:,.1f}** | **{cs / rs:.2f}** | "
                f"{cc:,.0f} / {rc:,.0f} | **{cm:,.0f}** | **{rm:,.0f}** | **{cm / rm:.2f}** |"
            )
    lines += ["", "Inner laps (seconds inside the process):", ""]
    lines += ["| stage | side | laps |", "|---|---|---|"]
    for stage, sides in stages.items():
        for side, outcome in sides.items():
            laps = ", ".join(f"{k} {v:.1f}" for k, v in outcome.get("inner", {}).items())
            lines.append(f"| {stage} | {side} | {laps} |")
    auc = {s: stages.get("train", {}).get(s, {}).get("info", {}).get("auc") for s in SIDES}
    if any(auc.values()):
        base = stages["train"].get("churnlab", {}).get("info", {}).get("auc_baselines", {})
        lines += [
            "",
            "Out-of-time ROC AUC on the evaluation cut-off: "
            + ", ".join(f"{k} {v:.4f}" for k, v in auc.items() if v)
            + "".join(f", {k} (churnlab baseline) {v:.4f}" for k, v in base.items()),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1m,10m", help="comma list of: " + ", ".join(SIZES))
    parser.add_argument("--quick", action="store_true", help="only the ~120k-event shop")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma list of stages")
    parser.add_argument("--sides", default="churnlab,reference")
    parser.add_argument("--data-dir", default="/tmp/churnlab-bench", help="generated shops")
    parser.add_argument("--out", default=str(HERE / "results"), help="results folder")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    parser.add_argument("--table", metavar="JSON", help="only print the table of a results file")
    parser.add_argument(
        "--peer",
        metavar="SIZES",
        help="instead: churnlab against ../shared/bench/peer_pipeline.py (bench/peer.py), e.g. 1m,10m",
    )
    args = parser.parse_args(argv)
    if args.peer:
        import peer

        forwarded = [args.peer, "--data-dir", args.data_dir, "--out", args.out]
        return peer.main([*forwarded, "--timeout", str(args.timeout)])
    if args.table:
        print(markdown(json.loads(Path(args.table).read_text())))
        return 0
    sizes = ["quick"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {list(SIZES)}")
    args.stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    args.sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"{info['cpu']}, {info['nproc']} cores; load {info['load_avg']}", flush=True)
    for size in sizes:
        results = run_size(size, args)
        results["machine"] = info
        (out / f"{size}.json").write_text(json.dumps(results, indent=2, default=str))
        table = markdown(results)
        (out / f"{size}.md").write_text(table)
        print(table, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
