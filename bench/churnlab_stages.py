"""churnlab's side of the benchmark: one stage per process, through the public engine API.

``python bench/churnlab_stages.py STAGE DATA_DIR WORK_DIR RESULT_JSON``

Stages: read_csv, read_parquet, features_1, features_all, train, score, report.
``train``, ``score`` and ``report`` do what ``python -m churnlab train/score/report``
do (load the files, run the pipeline, write the bundle / list / HTML), with laps
recorded from the pipeline's progress callback.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Clock, load_plan, worker_args

PARQUET = ("events.parquet", "customers.parquet")
CSV = ("events.csv", "customers.csv")


def _progress_laps(clock: Clock, marks: dict[str, str]):
    """A progress callback that closes a lap when a message starting with a mark arrives."""

    timeline = clock.info.setdefault("progress", [])

    def progress(fraction: float, step: object) -> None:
        message = str(step)  # progress steps are catalogue messages; English here
        timeline.append((round(time.perf_counter() - clock.start, 1), message))
        for prefix, name in marks.items():
            if message.startswith(prefix) and name not in clock.laps:
                clock.lap(name)

    return progress


def main() -> None:
    stage, data, work, result = worker_args()
    clock = Clock()
    import polars as pl

    from churnlab.config import ChurnDefinition, Settings
    from churnlab.ingest.loading import load_files

    clock.lap("import")
    files = [data / name for name in (CSV if stage == "read_csv" else PARQUET)]
    shop = load_files(files)
    clock.lap("read")
    clock.info["events"] = shop.events.height
    clock.info["customers"] = shop.customers.height if shop.customers is not None else 0

    if stage in ("features_1", "features_all"):
        from churnlab.features import build_features, build_training_set

        definition = ChurnDefinition()
        if stage == "features_all":
            feature_set = build_training_set(shop.events, shop.customers, definition)
            clock.info["cutoffs"] = len(feature_set.plan.cutoffs)
            clock.info["rows"] = feature_set.frame.height
            clock.info["features"] = len(feature_set.feature_names)
        else:
            plan = load_plan(data)
            cutoff = dt.date.fromisoformat(plan["eval_cutoff"])
            frame = build_features(shop.events, shop.customers, [cutoff], definition)
            clock.info["cutoffs"] = 1
            clock.info["rows"] = frame.height
        clock.lap("features")

    elif stage == "train":
        from churnlab.pipeline import save_model, train

        clock.lap("import pipeline")
        marks = {"Preparing": "features", "Profiling": "fit (tuning, evaluation, refit)"}
        trained = train(shop, Settings(), progress=_progress_laps(clock, marks))
        clock.lap("profile")
        save_model(trained, work / "churnlab_model")
        clock.lap("save bundle")
        doc = trained.document
        clock.info["auc"] = doc["metrics"]["model"]["roc_auc"]
        clock.info["auc_baselines"] = {
            k: v["roc_auc"] for k, v in doc["metrics"].items() if k != "model"
        }
        clock.info["rows"] = trained.training_set.frame.height if trained.training_set else None
        clock.info["features"] = len(doc["feature_names"])
        clock.info["n_trees"] = doc["n_trees"]
        clock.info["cutoffs"] = len(doc["plan"]["cutoffs"]) if doc["plan"] else None

    elif stage in ("score", "report"):
        from churnlab.export import write_list
        from churnlab.pipeline import load_model, score

        if stage == "report":
            from churnlab.campaign import plan_campaign
            from churnlab.export import atomic_write
            from churnlab.report import render_report_html
        clock.lap("import pipeline")
        trained = load_model(work / "churnlab_model")
        clock.lap("load bundle")
        marks = {"Scoring": "features", "Explaining": "predict", "Checking": "shap"}
        scored = score(trained, shop, progress=_progress_laps(clock, marks))
        clock.lap("drift")
        clock.info["scored"] = scored.frame.height
        if stage == "score":
            write_list(scored.frame, work / "churnlab_list.csv")
            clock.lap("write list")
            mask = scored.explained_mask()
            clock.info["explained"] = int(mask.sum())
            if not mask.all():  # a customer far down the list, looked up in the app
                from churnlab.pipeline import explain_customer

                started = time.perf_counter()
                explain_customer(trained, scored, int(np.flatnonzero(~mask)[-1]))
                clock.info["explain_one_on_demand_s"] = round(time.perf_counter() - started, 4)
        else:
            plan = plan_campaign(scored.frame, lookback_days=trained.definition.lookback_days)
            clock.lap("campaign")
            document = render_report_html(trained, scored, plan)
            atomic_write(work / "churnlab_report.html", document.encode("utf-8"))
            clock.lap("render report")
    elif stage not in ("read_csv", "read_parquet"):
        raise SystemExit(f"unknown stage {stage}")
    del pl
    clock.info["finished"] = time.strftime("%H:%M:%S")
    clock.write(result)


if __name__ == "__main__":
    main()
