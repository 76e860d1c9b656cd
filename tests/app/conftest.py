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
    "campaign_results": "pages/campaign_results.py",
}


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
