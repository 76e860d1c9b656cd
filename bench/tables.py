"""Labelled customer tables: the tuned model against the peers issue 14 names.

    python bench/tables.py [--rows 7043] [--seed 0]

Writes a seeded telecom-style customer table (the columns of the public Telco churn table:
contract, tenure, charges, services, with a non-linear churn mechanism: month-to-month
contracts churn early, fibre customers with high charges churn, long tenure protects),
trains ``python -m churnlab train`` on it and prints ROC AUC and log loss of the model, the
logistic regression and plain XGBoost at depth 3 and 6 (library defaults) on the same
stratified 20 % hold-out, and the cross-validated trials.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=7043)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "telco.csv"
        telco_table(args.rows, args.seed).write_csv(path)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "churnlab", "train", str(path), "--out", f"{tmp}/model"],
            check=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - start
        bundle = json.loads((Path(tmp) / "model" / "bundle.json").read_text())
    print(f"{args.rows:,} rows, train {seconds:.1f} s (whole process)")
    print("| model | ROC AUC | log loss |\n|---|---:|---:|")
    for name, m in bundle["metrics"].items():
        print(f"| {name} | {m['roc_auc']:.4f} | {m['log_loss']:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
