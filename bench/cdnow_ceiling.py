"""How far can any model rank CDNOW's churners at 1997-10-01? An upper bound, not a protocol.

Issue 14 asks for an out-of-time ROC AUC of 0.785 on CDNOW (features before 1997-10-01, churn =
no purchase in the next 90 days). This script fits models *inside* the evaluation snapshot itself,
by stratified 5-fold cross-validation (repeated with two seeds): no time shift at all, trained on
the very population and period they are scored on, which out-of-time training can only approach.
It tries several feature sets — recency, frequency and spend; those plus tenure, CDs, first and
last order value and repeat gaps; those plus the whole history as monthly purchase counts and
spend and fortnightly purchase-day counts (every CDNOW customer started in the first quarter of
1997, so these vectors line up) — with XGBoost and with a spline logistic regression, and a
learning curve (the share of the snapshot a fold trains on).

    python bench/cdnow_ceiling.py [../shared/data/cdnow/CDNOW_master.txt]

Needs scikit-learn (a development dependency). Takes about half a minute on two cores.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import polars as pl
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "cdnow" / "CDNOW_master.txt"
CUTOFF = dt.date(1997, 10, 1)
HORIZON = dt.timedelta(days=90)
TREES = {
    "n_estimators": 300,
    "learning_rate": 0.03,
    "max_depth": 3,
    "min_child_weight": 20,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
}


def read(path: Path) -> pl.DataFrame:
    rows = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
    return pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "date": [dt.datetime.strptime(r[1], "%Y%m%d").date() for r in rows],
            "cds": [int(r[2]) for r in rows],
            "usd": [float(r[3]) for r in rows],
        }
    )


def snapshot(events: pl.DataFrame) -> pl.DataFrame:
    """One row per customer at the cut-off: summaries, history vectors and the label."""
    past = events.filter(pl.col("date") < CUTOFF)
    days = past.group_by("id", "date").agg(pl.col("cds").sum(), pl.col("usd").sum()).sort("date")
    since = (pl.col("date") - pl.date(1997, 1, 1)).dt.total_days()
    monthly = (
        past.with_columns(pl.col("date").dt.month().alias("month"))
        .group_by("id", "month")
        .agg(pl.len().alias("n"), pl.col("usd").sum().alias("usd"))
        .pivot(on="month", index="id", values=["n", "usd"])
        .fill_null(0)
    )
    fortnights = (
        days.with_columns((since // 14).alias("fortnight"))
        .group_by("id", "fortnight")
        .agg(pl.len().alias("n"))
        .pivot(on="fortnight", index="id", values="n")
        .fill_null(0)
    )
    fortnights = fortnights.rename({c: f"fortnight_{c}" for c in fortnights.columns if c != "id"})
    gaps = pl.col("date").diff().dt.total_days()
    summary = days.group_by("id").agg(
        (pl.lit(CUTOFF) - pl.col("date").max()).dt.total_days().alias("recency"),
        (pl.lit(CUTOFF) - pl.col("date").min()).dt.total_days().alias("tenure"),
        pl.len().alias("frequency"),
        pl.col("usd").sum().alias("spend"),
        pl.col("cds").sum().alias("cds"),
        pl.col("usd").last().alias("last_value"),
        pl.col("usd").first().alias("first_value"),
        gaps.mean().alias("mean_gap"),
        gaps.max().alias("max_gap"),
    )
    returned = (
        events.filter((pl.col("date") >= CUTOFF) & (pl.col("date") < CUTOFF + HORIZON))
        .select("id")
        .unique()
        .with_columns(pl.lit(0, pl.Int8).alias("churned"))
    )
    return (
        summary.join(monthly, on="id")
        .join(fortnights, on="id")
        .join(returned, on="id", how="left")
        .with_columns(pl.col("churned").fill_null(1))
        .sort("id")
    )


def cross_validated_auc(model_of, X: np.ndarray, y: np.ndarray, share: float = 1.0) -> float:
    """Mean ROC AUC over 5 stratified folds × 2 seeds; ``share`` of each training fold used."""
    rng = np.random.default_rng(0)
    scores = []
    for seed in (0, 1):
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
            if share < 1.0:
                train = rng.choice(train, int(len(train) * share), replace=False)
            model = model_of().fit(X[train], y[train])
            scores.append(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))
    return float(np.mean(scores))


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    frame = snapshot(read(path))
    y = frame.get_column("churned").to_numpy()
    print(f"{frame.height} customers at {CUTOFF}, churn {y.mean():.3f}")
    rfm = ["recency", "frequency", "spend"]
    rich = [*rfm, "tenure", "cds", "last_value", "first_value", "mean_gap", "max_gap"]
    history = [c for c in frame.columns if c.startswith(("n_", "usd_", "fortnight_"))]

    def trees() -> xgb.XGBClassifier:
        return xgb.XGBClassifier(**TREES, n_jobs=2, verbosity=0, random_state=0)

    def splines():
        return make_pipeline(
            SplineTransformer(n_knots=6, degree=3), LogisticRegression(C=0.3, max_iter=3000)
        )

    def matrix(columns: list[str], logged: bool = False) -> np.ndarray:
        values = frame.select(columns).to_numpy().astype(float)
        return np.log1p(np.nan_to_num(values, nan=0.0).clip(0)) if logged else values

    print("in-snapshot 5-fold ROC AUC (the evaluation period itself, no time shift):")
    for name, columns in (
        ("XGBoost, recency/frequency/spend", rfm),
        ("XGBoost, + tenure, CDs, order values, gaps", rich),
        ("XGBoost, + the monthly and fortnightly history", rich + history),
        ("XGBoost, recency/frequency/spend + the history", rfm + history),
    ):
        print(f"  {name:<50} {cross_validated_auc(trees, matrix(columns), y):.4f}")
    for name, columns in (
        ("spline logistic, recency/frequency/spend", rfm),
        ("spline logistic, + rich", rich),
    ):
        print(f"  {name:<50} {cross_validated_auc(splines, matrix(columns, True), y):.4f}")
    print("learning curve (XGBoost, rich features; share of each training fold):")
    for share in (0.25, 0.5, 1.0):
        print(f"  {share:>4.0%} {cross_validated_auc(trees, matrix(rich), y, share):.4f}")


if __name__ == "__main__":
    main()
