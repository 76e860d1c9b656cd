"""The app's timings on an uploaded shop, driven through the real pages with AppTest.

``python bench/app_timing.py DATA_DIR RESULT_JSON [--models quick tuned] [--tuning-seconds S]``

For each kind of model (default: the app's first, quick model; ``tuned`` searches for
``--tuning-seconds``, default ``config.APP_TUNING_SECONDS``) a fresh session:

1. opens on the sample shop (first run);
2. uploads ``events.parquet`` and ``customers.parquet`` on the Data page and presses
   *Use these files* (reading, mapping, cleaning);
3. presses *Train the model* on the Model page with that kind of model;
4. opens *At-risk customers* (today's features, scores, exact SHAP for the top of
   the list, reasons) — steps 2-4 are "upload → list";
5. visits every page twice: the second visit is a page switch with a trained model.

Widget interactions go through ``streamlit.testing.v1.AppTest`` exactly as the tests
do, so every timing includes the page code, caching and rendering to the element tree
(not the browser's drawing). Each run's errors, if any, are recorded.
"""

from __future__ import annotations

import argparse
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


def _live_routing() -> None:
    """Route pages as a live server does (same pin as tests/conftest.py)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]


def _errors(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]


def _timed(at, action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return round(time.perf_counter() - start, 2)


def one_session(data: Path, kind: str, tuning: float) -> dict:
    from streamlit.testing.v1 import AppTest

    files = [
        (name, (data / name).read_bytes(), "application/octet-stream")
        for name in ("events.parquet", "customers.parquet")
    ]
    out: dict = {"model": kind, "steps": {}, "pages": {}, "errors": {}}
    if kind == "tuned":
        out["tuning_seconds"] = tuning
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)

    def step(name: str, action) -> None:  # type: ignore[no-untyped-def]
        out["steps"][name] = _timed(at, action)
        if _errors(at):
            out["errors"][name] = _errors(at)
        print(f"  {name}: {out['steps'][name]} s", flush=True)

    def open_page(page: str) -> None:
        at.switch_page(f"pages/{page}.py")
        at.run()

    step("open on the sample", at.run)
    step("open Data page", lambda: open_page("data"))
    step("upload + use files", lambda: _upload(at, files))
    step("open Model page", lambda: open_page("model"))
    step("train", lambda: _train(at, kind, tuning))
    step("open At-risk list (score + explain)", lambda: open_page("at_risk"))
    out["customers_listed"] = int(at.dataframe[-1].value.shape[0]) if at.dataframe else 0
    out["sidebar"] = [str(m.value) for m in at.sidebar.markdown][:3]
    steps = out["steps"]
    out["upload_to_list"] = round(
        steps["upload + use files"] + steps["train"] + steps["open At-risk list (score + explain)"],
        2,
    )
    for visit in ("first visit", "second visit"):
        for page in PAGES:
            seconds = _timed(at, lambda page=page: open_page(page))
            out["pages"].setdefault(page, {})[visit] = seconds
            if _errors(at):
                out["errors"][f"{page} {visit}"] = _errors(at)
            print(f"  {page} {visit}: {seconds} s", flush=True)
    return out


def _upload(at, files) -> None:  # type: ignore[no-untyped-def]
    at.file_uploader[0].set_value(files).run()
    next(b for b in at.button if b.label == "Use these files").click().run()


def _train(at, kind: str, tuning: float) -> None:  # type: ignore[no-untyped-def]
    next(r for r in at.radio if r.label == "Model").set_value(kind)
    slider = next(s for s in at.slider if s.label.startswith("Tuning time"))
    slider.set_value(int(tuning))
    next(b for b in at.get("form_submit_button") if b.label == "Train the model").click().run()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--models", nargs="*", choices=("quick", "tuned"), default=["quick"])
    parser.add_argument("--tuning-seconds", type=float, default=None)
    args = parser.parse_args()

    from churnlab.config import APP_TUNING_SECONDS

    _live_routing()
    tuning = args.tuning_seconds or APP_TUNING_SECONDS
    runs = []
    for kind in args.models:
        print(f"{kind} model", flush=True)
        runs.append(one_session(args.data, kind, tuning))
    args.result.write_text(json.dumps({"data": str(args.data), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
