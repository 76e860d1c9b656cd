"""AppTest fixtures: the app script, with timeouts generous enough for the first training."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
#: The first run trains the sample model (cached for the rest of the session).
TIMEOUT = 240

PAGES = {
    "overview": "pages/overview.py",
    "at_risk": "pages/at_risk.py",
    "retention": "pages/retention.py",
    "report": "pages/report.py",
    "data": "pages/data.py",
    "model": "pages/model.py",
    "performance": "pages/performance.py",
    "explanations": "pages/explanations.py",
    "score_new": "pages/score_new.py",
}


@pytest.fixture(autouse=True)
def _server_routing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run pages the way a live server does once app.py has run: through st.navigation.

    AppTest switches Streamlit's legacy ``pages/`` mode back on at the start of
    every run (a live server turns it off for good at app.py's first run, see
    ``pages._shared.route_through_app``); pin the live behaviour so widget
    events are not lost to the routing rerun.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


@pytest.fixture
def app() -> AppTest:
    at = new_app()
    at.run()
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(PAGES[name])
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception and no error box anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 0, [e.value for e in at.error]
