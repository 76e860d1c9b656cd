"""The reference pipeline: churn prediction the way the classic tutorials do it.

pandas feature engineering per cut-off (groupby/agg of recency, frequency,
monetary, event counts in 30/90/180-day windows, tenure, one-hot customer
attributes), ``xgboost.XGBClassifier`` with fixed, sensible parameters, and
``shap.TreeExplainer`` for the reasons. Same files, same churn definition
(purchase activity, 90-day horizon, 365-day look-back) and the same cut-offs
(taken from ``churnlab.windows.plan_cutoffs`` by run.py and stored in plan.json).

``python bench/reference.py STAGE DATA_DIR WORK_DIR RESULT_JSON``

Stages: read_csv, read_parquet, features_1, features_all, train, score.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pandas as pd
from common import HORIZON_DAYS, LOOKBACK_DAYS, Clock, load_plan, worker_args

ATTRIBUTES = ("gender", "age_band", "city_tier", "acquisition_channel", "membership_level")
EVENT_TYPES = ("view", "search", "cart", "favorite", "purchase", "refund", "review", "service")
WINDOWS = (30, 90, 180)
XGB_PARAMS = {
    "n_estimators": 400,
    "learning_rate": 0.05,
    "max_depth": 6,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 5,
    "tree_method": "hist",
    "n_jobs": 2,
    "random_state": 0,
    "eval_metric": "auc",
}


def read(data: Path, fmt: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if fmt == "csv":
        ids = {"customer_id": str, "order_id": str, "product_id": str}
        events = pd.read_csv(data / "events.csv", dtype=ids, parse_dates=["timestamp"])
        customers = pd.read_csv(
            data / "customers.csv", dtype={"customer_id": str}, parse_dates=["signup_date"]
        )
    else:
        events = pd.read_parquet(data / "events.parquet")
        customers = pd.read_parquet(data / "customers.parquet")
        customers["signup_date"] = pd.to_datetime(customers["signup_date"])
    return events, customers


def features_at(
    events: pd.DataFrame, customers: pd.DataFrame, cutoff: pd.Timestamp
) -> pd.DataFrame:
    """One row per customer with a purchase in the look-back window before ``cutoff``."""
    history = events[events["timestamp"] < cutoff]
    lookback = history[history["timestamp"] >= cutoff - pd.Timedelta(days=LOOKBACK_DAYS)]
    purchases = lookback[lookback["event_type"] == "purchase"].assign(
        day=lambda d: d["timestamp"].dt.normalize(), coupon_used=lambda d: d["coupon"].notna()
    )

    rfm = purchases.groupby("customer_id").agg(
        last_purchase=("timestamp", "max"),
        frequency=("day", "nunique"),
        monetary=("amount", "sum"),
        orders=("order_id", "nunique"),
        avg_order=("amount", "mean"),
    )
    rfm["recency_days"] = (cutoff - rfm["last_purchase"]).dt.days
    rfm = rfm.drop(columns="last_purchase")

    parts = [rfm]
    for days in WINDOWS:
        window = lookback[lookback["timestamp"] >= cutoff - pd.Timedelta(days=days)]
        counts = window.groupby(["customer_id", "event_type"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=list(EVENT_TYPES), fill_value=0)
        counts.columns = [f"{t}_{days}d" for t in counts.columns]
        spend = window[window["event_type"] == "purchase"].groupby("customer_id")["amount"].sum()
        counts[f"spend_{days}d"] = spend
        parts.append(counts)

    last_any = lookback.groupby("customer_id")["timestamp"].max()
    first_any = history.groupby("customer_id")["timestamp"].min()
    extra = pd.DataFrame(
        {
            "days_since_last_event": (cutoff - last_any).dt.days,
            "tenure_days": (cutoff - first_any).dt.days,
            "avg_rating": lookback.groupby("customer_id")["rating"].mean(),
            "coupon_share": purchases.groupby("customer_id")["coupon_used"].mean(),
        }
    )
    parts.append(extra)

    frame = rfm[[]].join(parts, how="left")
    frame = frame.fillna({c: 0 for c in frame.columns if c.endswith("d") and "_" in c})
    attrs = customers.set_index("customer_id")
    frame["days_since_signup"] = (cutoff - attrs["signup_date"]).dt.days.reindex(frame.index)
    dummies = pd.get_dummies(attrs[list(ATTRIBUTES)], dtype=float)
    frame = frame.join(dummies, how="left")
    frame["cutoff"] = cutoff
    return frame


def labels_at(events: pd.DataFrame, cutoff: pd.Timestamp, index: pd.Index) -> pd.Series:
    """1 when the customer has no purchase in the horizon after ``cutoff``."""
    end = cutoff + pd.Timedelta(days=HORIZON_DAYS)
    future = events[
        (events["timestamp"] >= cutoff)
        & (events["timestamp"] < end)
        & (events["event_type"] == "purchase")
    ]
    stayed = index.isin(future["customer_id"].unique())
    return pd.Series((~stayed).astype(int), index=index, name="label")


def training_table(events, customers, cutoffs) -> pd.DataFrame:
    frames = []
    for cutoff in cutoffs:
        frame = features_at(events, customers, cutoff)
        frame["label"] = labels_at(events, cutoff, frame.index)
        frames.append(frame)
    return pd.concat(frames)


def _stamps(days: list[str]) -> list[pd.Timestamp]:
    return [pd.Timestamp(d) for d in days]


def main() -> None:
    stage, data, work, result = worker_args()
    clock = Clock()
    import shap
    from sklearn.metrics import roc_auc_score
    from xgboost import XGBClassifier

    clock.lap("import")
    events, customers = read(data, "csv" if stage == "read_csv" else "parquet")
    clock.lap("read")
    clock.info["events"] = len(events)
    plan = load_plan(data)
    cutoffs = _stamps(plan["cutoffs"])

    if stage in ("features_1", "features_all"):
        chosen = cutoffs if stage == "features_all" else _stamps([plan["eval_cutoff"]])
        table = training_table(events, customers, chosen)
        clock.lap("features")
        clock.info["rows"] = len(table)
        clock.info["cutoffs"] = len(chosen)

    elif stage == "train":
        table = training_table(events, customers, cutoffs)
        clock.lap("features")
        columns = [c for c in table.columns if c not in ("cutoff", "label")]
        train_on = table["cutoff"].isin(_stamps(plan["validation_cutoffs"]))
        test = table["cutoff"] == pd.Timestamp(plan["eval_cutoff"])
        model = XGBClassifier(**XGB_PARAMS)
        model.fit(table.loc[train_on, columns], table.loc[train_on, "label"])
        p = model.predict_proba(table.loc[test, columns])[:, 1]
        clock.info["auc"] = float(roc_auc_score(table.loc[test, "label"], p))
        clock.lap("fit out-of-time + evaluate")
        final = XGBClassifier(**XGB_PARAMS)
        final.fit(table[columns], table["label"])
        clock.lap("final refit")
        final.save_model(work / "reference_model.json")
        (work / "reference_columns.json").write_text(json.dumps(columns))
        clock.lap("save model")
        clock.info["rows"] = len(table)
        clock.info["features"] = len(columns)

    elif stage == "score":
        columns = json.loads((work / "reference_columns.json").read_text())
        model = XGBClassifier()
        model.load_model(work / "reference_model.json")
        clock.lap("load model")
        frame = features_at(events, customers, pd.Timestamp(plan["as_of"]))
        X = frame.reindex(columns=columns, fill_value=0.0)
        clock.lap("features")
        p = model.predict_proba(X)[:, 1]
        clock.lap("predict")
        values = shap.TreeExplainer(model).shap_values(X)
        top = np.argsort(-values, axis=1)[:, :3]
        names = np.array(columns)
        reasons = pd.DataFrame(
            names[top], index=X.index, columns=["reason_1", "reason_2", "reason_3"]
        )
        clock.lap("shap")
        out = pd.DataFrame({"churn_probability": p}, index=X.index).join(reasons)
        out = out.sort_values("churn_probability", ascending=False)
        out.to_csv(work / "reference_list.csv")
        clock.lap("write list")
        clock.info["scored"] = len(out)
    elif stage != "read_parquet" and stage != "read_csv":
        raise SystemExit(f"unknown stage {stage}")
    clock.info["finished"] = time.strftime("%H:%M:%S")
    clock.write(result)


if __name__ == "__main__":
    main()
