"""The app's timings on an uploaded shop: load + train + at-risk list, then page switches.

``python bench/app_timing.py DATA_DIR RESULT_JSON [--tuning-seconds S]``

Part 1 runs the engine calls the app makes (``load_table`` on the uploaded bytes,
``combine``, ``pipeline.train`` with the app's settings, ``pipeline.score``).
Part 2 drives the real app with ``streamlit.testing.v1.AppTest``: the files and the
trained model are put in the session as the Data and Model pages would, then every
page is opened twice (first visit fills the caches, the second is a plain switch).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = (
    "overview",
    "at_risk",
    "retention",
    "report",
    "data",
    "model",
    "performance",
    "explanations",
    "score_new",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--tuning-seconds", type=float, default=None)
    parser.add_argument("--skip-apptest", action="store_true")
    args = parser.parse_args()

    from churnlab.config import Settings, TrainingConfig
    from churnlab.loading import combine, load_table
    from churnlab.pipeline import score, train

    out: dict = {"engine": {}, "pages": {}}
    files = [args.data / "events.parquet", args.data / "customers.parquet"]
    blobs = [(path.name, path.read_bytes()) for path in files]
    start = time.perf_counter()
    shop = combine([load_table(data, name=name) for name, data in blobs])
    out["engine"]["load uploads"] = round(time.perf_counter() - start, 2)
    settings = Settings()
    if args.tuning_seconds is not None:
        settings = Settings(training=TrainingConfig(tuning_seconds=args.tuning_seconds))
    out["engine"]["tuning_seconds"] = settings.training.tuning_seconds
    start = time.perf_counter()
    trained = train(shop, settings)
    out["engine"]["train"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    scored = score(trained, shop)
    out["engine"]["score (at-risk list)"] = round(time.perf_counter() - start, 2)
    out["engine"]["auc"] = trained.metrics["model"]["roc_auc"]
    out["engine"]["scored"] = scored.frame.height
    print(json.dumps(out["engine"]), flush=True)

    if not args.skip_apptest:
        from streamlit.testing.v1 import AppTest

        sys.path.insert(0, str(ROOT / "pages"))
        from _shared import MODEL_KEY, UPLOADS, USER_MODEL, Upload

        uploads = [
            Upload(name=name, data=data, digest=hashlib.sha256(data).hexdigest())
            for name, data in blobs
        ]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.session_state[UPLOADS] = uploads
        at.session_state[USER_MODEL] = trained
        at.session_state[MODEL_KEY] = "bench-model"
        start = time.perf_counter()
        at.run()
        out["pages"]["first run (home)"] = round(time.perf_counter() - start, 2)
        for visit in ("first visit", "second visit"):
            for page in PAGES:
                start = time.perf_counter()
                at.switch_page(f"pages/{page}.py")
                at.run()
                seconds = round(time.perf_counter() - start, 2)
                errors = [e.value for e in at.exception] + [e.value for e in at.error]
                out["pages"].setdefault(page, {})[visit] = seconds
                if errors:
                    out["pages"][page]["errors"] = [str(e)[:200] for e in errors]
                print(page, visit, seconds, flush=True)
    args.result.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
