"""Labelled customer tables: the tuned model against the peers issue 14 names.

    python bench/tables.py [--rows 7043] [--seed 0]
    python bench/tables.py --file tests/data/real_tables/telco_churn.csv.gz --splits 6

Without ``--file``, writes a seeded telecom-style customer table (the columns of the public
Telco churn table: contract, tenure, charges, services, with a non-linear churn mechanism:
month-to-month contracts churn early, fibre customers with high charges churn, long tenure
protects). Trains ``python -m churnlab train`` on the table (a ``.gz`` file is unpacked first)
with hold-out seeds 0 .. splits-1 and prints ROC AUC and log loss of the model, the logistic
regression and plain XGBoost at depth 3 and 6 (library defaults) on the same stratified 20 %
hold-out, with the model's margin over the best peer.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent


def telco_table(rows: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], rows, p=[0.55, 0.21, 0.24])
    tenure = (
        np.where(contract == "Month-to-month", rng.gamma(1.2, 14, rows), rng.gamma(3.0, 14, rows))
        .clip(0, 72)
        .round()
    )
    internet = rng.choice(["DSL", "Fiber optic", "No"], rows, p=[0.34, 0.44, 0.22])
    monthly = (
        20
        + np.where(internet == "Fiber optic", 55, np.where(internet == "DSL", 30, 0))
        + rng.normal(0, 8, rows)
    ).clip(18, 120)
    support = np.where(internet == "No", "No internet service", rng.choice(["Yes", "No"], rows))
    payment = rng.choice(["Electronic check", "Mailed check", "Bank transfer", "Credit card"], rows)
    senior = (rng.random(rows) < 0.16).astype(int)
    logit = (
        -1.2
        + 1.6 * (contract == "Month-to-month")
        - 1.2 * (contract == "Two year")
        - 0.045 * tenure
        + 0.9 * ((internet == "Fiber optic") & (monthly > 85))
        + 0.6 * (support == "No") * (contract == "Month-to-month")
        + 0.5 * (payment == "Electronic check")
        + 0.3 * senior
        + 0.8 * (tenure < 6) * (contract == "Month-to-month")
    )
    churn = rng.random(rows) < 1 / (1 + np.exp(-logit))
    return pl.DataFrame(
        {
            "customerID": [f"{i:04d}-{rng.integers(10000, 99999)}" for i in range(rows)],
            "SeniorCitizen": senior,
            "tenure": tenure.astype(int),
            "Contract": contract,
            "InternetService": internet,
            "TechSupport": support,
            "PaymentMethod": payment,
            "MonthlyCharges": monthly.round(2),
            "TotalCharges": (monthly * np.maximum(tenure, 1)).round(2),
            "Churn": np.where(churn, "Yes", "No"),
        }
    )


def _train(path: Path, seed: int, out: Path) -> tuple[dict, float]:
    start = time.perf_counter()
    subprocess.run(
        # a time budget the search never reaches: it ends by its own rules (deterministic)
        [
            sys.executable,
            *("-m", "churnlab", "train", str(path), "--out", str(out), "--seed", str(seed)),
            *("--tuning-seconds", "3600"),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    bundle = json.loads((out / "bundle.json").read_text())
    return bundle["metrics"], time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=7043)
    parser.add_argument("--seed", type=int, default=0, help="of the synthetic table")
    parser.add_argument("--file", type=Path, help="a labelled customer table to use instead")
    parser.add_argument("--splits", type=int, default=1, help="hold-out seeds 0 .. splits-1")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "telco.csv"
        if args.file is None:
            telco_table(args.rows, args.seed).write_csv(path)
        elif args.file.suffix == ".gz":
            path = Path(tmp) / args.file.stem
            path.write_bytes(gzip.decompress(args.file.read_bytes()))
        else:
            path = args.file
        print(f"{path.name}: hold-out seed | model | best peer | margin (ROC AUC; log loss)")
        margins = []
        for seed in range(args.splits):
            metrics, seconds = _train(path, seed, Path(tmp) / f"model{seed}")
            peers = {k: v for k, v in metrics.items() if k != "model"}
            best = max(peers, key=lambda k: peers[k]["roc_auc"])
            model = metrics["model"]
            margins.append(model["roc_auc"] - peers[best]["roc_auc"])
            lowest = min(v["log_loss"] for v in peers.values())
            print(
                f"| {seed} | {model['roc_auc']:.4f}; {model['log_loss']:.4f} | {best} "
                f"{peers[best]['roc_auc']:.4f}; lowest log loss {lowest:.4f} | "
                f"{margins[-1]:+.4f} | {seconds:.0f} s |"
            )
        if args.splits > 1:
            print(
                f"margin over the best peer: mean {np.mean(margins):+.4f}, min {min(margins):+.4f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
