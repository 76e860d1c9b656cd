"""Shared fixtures: paths and the optional real data in ../shared/data."""

from __future__ import annotations

import os

os.environ.setdefault(
    "OMP_WAIT_POLICY", "PASSIVE"
)  # before xgboost/sklearn load; see churnlab/__init__.py

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
CDNOW = SHARED_DATA / "cdnow" / "CDNOW_master.txt"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def cdnow_path() -> Path:
    if not CDNOW.exists():
        pytest.skip(f"real CDNOW data not found at {CDNOW} (../shared is absent)")
    return CDNOW


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
