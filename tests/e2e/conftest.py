"""Browser-test fixtures: a real ``streamlit run app.py`` and Debian's Chromium driven by Playwright.

The server runs on a free loopback port for the whole session; each test gets a fresh browser
context (a new Streamlit session) whose console errors and page errors are recorded, so a test
can end with ``console.assert_clean()``. Playwright is imported lazily: the test module skips
itself when Playwright or /usr/bin/chromium is missing, and this file must still import then.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
]
HEALTH_TIMEOUT_S = 90.0
#: The first page load trains the sample model: ~60 s on an idle 2-core machine, but it was
#: measured at ~4 minutes while other jobs shared the cores.
RUN_TIMEOUT_MS = 480_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server and everything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def server_command(port: int) -> list[str]:
    """``streamlit run app.py`` on a loopback port, headless, never rerunning on file changes."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Other people may edit the sources while the tests run: never rerun on file changes.
        "--server.fileWatcherType",
        "none",
    ]


def start_app(port: int, log: Any) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on ``port``, its output to ``log``, once it answers its health
    check; RuntimeError (the server stopped) if it exits or is silent for HEALTH_TIMEOUT_S."""
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        server_command(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not _healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before answering")
        if time.monotonic() > deadline:
            _stop(process)
            raise RuntimeError(
                f"streamlit did not answer {url}/_stcore/health within {HEALTH_TIMEOUT_S:.0f} s"
            )
        time.sleep(0.5)
    return process


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port; its log goes to artifacts/streamlit.log."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / "streamlit.log"
    with log_path.open("wb") as log:
        try:
            process = start_app(port, log)
        except RuntimeError as error:
            pytest.fail(f"{error}:\n" + log_path.read_text(errors="replace"))
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(process)
    if process.returncode not in (0, -signal.SIGTERM):
        print(f"streamlit server log ({log_path}):\n" + log_path.read_text(errors="replace"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's; Playwright's own cannot be downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class ConsoleLog:
    """Console errors and uncaught page errors seen by one page."""

    base_url: str
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        location = message.location or {}
        url = str(location.get("url", ""))
        text = message.text
        # The sandbox has no internet: a resource outside our own server (e.g. a CDN font or an
        # external favicon) failing to load is the sandbox's closed network, not an app bug.
        if text.startswith("Failed to load resource") and url and "127.0.0.1" not in url:
            return
        # On a page's own URL (e.g. /at_risk after a reload) Streamlit's frontend first probes
        # <path>/_stcore/health and <path>/_stcore/host-config to find the server's base path,
        # gets a 404, and falls back to /_stcore/...: framework behaviour, not an app error.
        if text.startswith(
            "Failed to load resource: the server responded with a status of 404"
        ) and (
            url.endswith(("/_stcore/health", "/_stcore/host-config"))
            and not url.endswith(f"{self.base_url}/_stcore/health")
            and not url.endswith(f"{self.base_url}/_stcore/host-config")
        ):
            return
        self.errors.append(f"console: {text} ({url}:{location.get('lineNumber', '?')})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")

    def assert_clean(self) -> None:
        assert self.errors == [], "the browser console reported errors:\n" + "\n".join(self.errors)


@dataclass
class AppPage:
    """A Playwright page on the app plus the console log it recorded."""

    page: Any
    console: ConsoleLog
    url: str


@pytest.fixture
def app(browser: Any, app_url: str) -> Iterator[AppPage]:
    """A fresh browser context (= a new Streamlit session) opened on the app's first page."""
    yield from _open_app(browser, app_url)


@pytest.fixture
def other_app(browser: Any, app_url: str) -> Iterator[AppPage]:
    """A second, independent session on the same server (another person's browser)."""
    yield from _open_app(browser, app_url)


def _open_app(browser: Any, app_url: str) -> Iterator[AppPage]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console = ConsoleLog(app_url)
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        wait_for_app(page)
        yield AppPage(page, console, app_url)
    finally:
        context.close()


def wait_for_app(page: Any, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit is connected, has finished running the script and drew the page.

    A short pause first: right after a click the script may not have started yet, and the
    state attribute would still say ``notRunning`` from the previous run.
    """
    page.wait_for_timeout(400)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-testid='stStatusWidgetRunningIcon']", state="detached", timeout=timeout_ms
    )
    page.wait_for_selector(
        "[data-testid='stMain'] [data-testid='stHeading']", state="visible", timeout=timeout_ms
    )
    page.wait_for_timeout(300)
