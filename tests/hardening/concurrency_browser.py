"""8 real browser sessions train on the sample shop at once, run by hand (not part of pytest).

    python tests/hardening/concurrency_browser.py [--sessions 8] [--no-append]

Starts one ``streamlit run app.py`` (same command as tests/e2e/conftest.py), one headless
Debian Chromium and N browser contexts (each a separate Streamlit session) driven together
with Playwright's async API. Each session opens the Model page, presses "Train the model",
waits for "Model trained" or an error alert (15 min), then opens the At-risk page and checks a
list is drawn. Per session: start, end, seconds, success, console errors and tracebacks. The
server's peak RSS (VmHWM) is read from /proc. Prints a Markdown table and appends it to
bench/HARDENING.md under "## 8 browser sessions training at once".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    HEALTH_TIMEOUT_S,
    RUN_TIMEOUT_MS,
    ConsoleLog,
    _free_port,
    _healthy,
    _stop,
    server_command,
)

TRAIN_TIMEOUT_MS = 15 * 60 * 1000
ERROR_ALERT = "[data-testid='stMain'] [data-testid='stAlertContentError']"
HARDENING = ROOT / "bench" / "HARDENING.md"
SECTION = "## 8 browser sessions training at once"


@dataclass
class Result:
    """What one browser session saw."""

    index: int
    start: float = 0.0
    end: float = 0.0
    train_s: float = 0.0
    success: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.end - self.start


def proc_kb(pid: int, key: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/<pid>/status in kB (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def wait_for_app(page: Any, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Async copy of tests/e2e/conftest.py's wait_for_app: script done, page drawn."""
    await page.wait_for_timeout(400)
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout_ms,
    )
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout_ms,
    )
    await page.wait_for_selector(
        "[data-testid='stStatusWidgetRunningIcon']", state="detached", timeout=timeout_ms
    )
    await page.wait_for_selector(
        "[data-testid='stMain'] [data-testid='stHeading']", state="visible", timeout=timeout_ms
    )
    await page.wait_for_timeout(300)


async def go_to(page: Any, label: str, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    link = page.locator("[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']").filter(
        has_text=label
    )
    await link.first.click()
    await wait_for_app(page, timeout_ms)


async def problems(page: Any, where: str) -> list[str]:
    """Tracebacks and error alerts currently on the page."""
    found = []
    for selector, kind in (("[data-testid='stException']", "traceback"), (ERROR_ALERT, "alert")):
        boxes = page.locator(selector)
        for i in range(await boxes.count()):
            text = (await boxes.nth(i).inner_text()).strip().replace("\n", " ")
            found.append(f"{where}: {kind}: {text[:300]}")
    return found


async def session(browser: Any, url: str, index: int, t0: float) -> Result:
    result = Result(index)
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(60_000)
    console = ConsoleLog(url)
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    result.start = time.monotonic() - t0
    try:
        await page.goto(url, wait_until="domcontentloaded")
        await wait_for_app(page, TRAIN_TIMEOUT_MS)
        await go_to(page, "Model")
        train_start = time.monotonic()
        await page.get_by_role("button", name="Train the model").click()
        done = page.get_by_text("Model trained").or_(page.locator(ERROR_ALERT))
        await done.first.wait_for(state="visible", timeout=TRAIN_TIMEOUT_MS)
        await wait_for_app(page, TRAIN_TIMEOUT_MS)
        result.train_s = time.monotonic() - train_start
        trained = await page.get_by_text("Model trained").first.is_visible()
        result.errors += await problems(page, "Model")
        if not trained:
            result.errors.append("Model: 'Model trained' not shown")
        await go_to(page, "At-risk customers")
        result.errors += await problems(page, "At-risk")
        table = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first
        await table.wait_for(state="visible", timeout=120_000)
        listed = await table.is_visible()
        if not listed:
            result.errors.append("At-risk: no list shown")
        result.success = trained and listed
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:300]}")
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"concurrency_{index}.png"), full_page=True)
        except Exception:
            pass
    finally:
        result.end = time.monotonic() - t0
        result.errors += console.errors
        result.success = result.success and not result.errors
        await context.close()
    return result


async def watch_rss(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    """Sample the server's VmRSS every second (backs up VmHWM)."""
    while not stop.is_set():
        peak[0] = max(peak[0], proc_kb(pid, "VmRSS"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


async def drive(url: str, sessions: int, server_pid: int) -> tuple[list[Result], float, int]:
    from playwright.async_api import async_playwright

    peak = [0]
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_rss(server_pid, peak, stop))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            t0 = time.monotonic()
            results = await asyncio.gather(
                *(session(browser, url, i + 1, t0) for i in range(sessions))
            )
            wall = time.monotonic() - t0
        finally:
            await browser.close()
    stop.set()
    await watcher
    return list(results), wall, peak[0]


def start_server(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = server_command(port)
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise SystemExit("streamlit did not start:\n" + log_path.read_text(errors="replace"))
        time.sleep(0.5)
    return process, url


def report(
    results: list[Result], wall: float, hwm_kb: int, rss_kb: int, load: str, started: str
) -> str:
    ok = sum(r.success for r in results)
    lines = [
        "",
        SECTION,
        "",
        f"{started} UTC, `nproc` = {os.cpu_count()}, load average at start: {load} "
        "(machine shared with other jobs). One `streamlit run app.py`, one headless Chromium, "
        f"{len(results)} browser contexts (separate Streamlit sessions) driven at once with "
        "Playwright's async API (`tests/hardening/concurrency_browser.py`). Each opens the app, "
        "goes to Model, presses **Train the model** on the bundled sample shop (default "
        'settings), waits for "Model trained", then opens At-risk customers and waits for the '
        "list.",
        "",
        "| session | start (s) | end (s) | total (s) | train (s) | success | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        errors = "; ".join(e.replace("|", "/") for e in r.errors) or "none"
        lines.append(
            f"| {r.index} | {r.start:.1f} | {r.end:.1f} | {r.seconds:.0f} | {r.train_s:.0f} | "
            f"{'yes' if r.success else 'NO'} | {errors} |"
        )
    lines += [
        "",
        f"Wall time {wall:.0f} s; {ok}/{len(results)} sessions succeeded. Server peak RSS "
        f"(VmHWM of the streamlit process): {hwm_kb / 1024:.0f} MB "
        f"(highest 1-s VmRSS sample {rss_kb / 1024:.0f} MB).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing")
    ARTIFACTS.mkdir(exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    process, url = start_server(ARTIFACTS / "streamlit_concurrency.log")
    try:
        results, wall, rss_kb = asyncio.run(drive(url, args.sessions, process.pid))
        hwm_kb = proc_kb(process.pid, "VmHWM")
    finally:
        _stop(process)
    text = report(results, wall, hwm_kb, rss_kb, load, started)
    print(text)
    if not args.no_append:
        with HARDENING.open("a", encoding="utf-8") as handle:
            handle.write(text)
    return 0 if all(r.success for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
