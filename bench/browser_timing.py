"""The app's upload → list path as a visitor sees it: a real server and Debian's Chromium.

``python bench/browser_timing.py DATA_DIR RESULT_JSON [--runs 3] [--format csv]``

Each run starts its own ``streamlit run app.py`` (so no upload is cached from the run
before), opens the Data page, waits for the background import of the training libraries
(a visitor reads the page first), uploads ``events.parquet`` and ``customers.parquet``,
presses *Use these files*, trains the quick model on the Model page and opens *At-risk
customers* until its table is drawn. Each step is timed from the click to the page being
drawn, so the numbers include the file transfer, the websocket and the browser's drawing
that ``bench/app_timing.py`` (AppTest, server side only) leaves out.
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

os.environ.setdefault(
    "OMP_WAIT_POLICY", "PASSIVE"
)  # the server inherits it, as in the other benches
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _stop,
    start_app,
    wait_for_app,
)
from tests.e2e.test_browser import go_to  # noqa: E402

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the script says so in main()
    PlaywrightTimeout = TimeoutError  # type: ignore[misc,assignment]

TABLE = "[data-testid='stMain'] [data-testid='stDataFrame']"


def timed(page, act) -> float:
    """Seconds from ``act()`` to the script's run having finished and the page drawn: the
    run is seen to start, then to stop (no fixed pauses, unlike the tests' wait_for_app)."""
    app = "[data-testid='stApp']"
    start = time.perf_counter()
    act()
    # a run shorter than one poll may be over before it is seen running
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(f"{app}[data-test-script-state='running']", timeout=3000)
    page.wait_for_selector(f"{app}[data-test-script-state='notRunning']", timeout=600_000)
    page.wait_for_selector("[data-testid='stStatusWidgetRunningIcon']", state="detached")
    return time.perf_counter() - start


def nav(page, label: str) -> None:
    link = page.locator("[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']")
    link.filter(has_text=label).first.click()


def one_run(browser, url: str, files: list[Path]) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    wait_for_app(page)
    go_to(page, "Data")
    page.wait_for_timeout(5000)  # the visitor reads the page; the libraries import meanwhile
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        [str(f) for f in files]
    )
    button = page.get_by_role("button", name="Use these files")
    button.wait_for(state="visible")
    steps: dict[str, float] = {}
    steps["upload + use files"] = timed(page, button.click)
    wait_for_app(page)
    go_to(page, "Model")
    train = page.get_by_role("button", name="Train the model")
    steps["train (quick model)"] = timed(page, train.click)
    page.get_by_text("Model trained").first.wait_for(state="visible")
    start = time.perf_counter()
    nav(page, "At-risk customers")
    heading = page.locator("[data-testid='stMain'] h1").filter(has_text="At-risk customers")
    heading.first.wait_for(state="visible", timeout=600_000)
    page.locator(TABLE).first.wait_for(state="visible", timeout=600_000)
    steps["open At-risk list (table drawn)"] = time.perf_counter() - start
    page.close()
    rounded = {name: round(seconds, 2) for name, seconds in steps.items()}
    rounded["upload_to_list"] = round(sum(steps.values()), 2)
    return rounded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="upload DATA/events.FORMAT and customers.FORMAT (CSV: what most shops export)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    files = [args.data / f"events.{args.format}", args.data / f"customers.{args.format}"]
    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for index in range(args.runs):
            port = _free_port()
            process = start_app(port, subprocess.DEVNULL)
            try:
                result = one_run(browser, f"http://127.0.0.1:{port}", files)
            finally:
                _stop(process)
            print(f"run {index + 1}: {result}", flush=True)
            runs.append(result)
        browser.close()
    document = {"data": str(args.data), "format": args.format, "runs": runs}
    args.result.write_text(json.dumps(document, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
