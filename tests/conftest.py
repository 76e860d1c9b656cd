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
