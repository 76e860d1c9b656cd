"""Browser test of the Campaign results page: the sample campaign in English and 中文, a bad file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CHROMIUM, AppPage, wait_for_app

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)", allow_module_level=True)

from tests.e2e.test_browser import (
    ERROR_ALERT,
    assert_no_exception,
    drawn_charts,
    go_to,
    screenshot,
    title,
)

pytestmark = pytest.mark.e2e
MAIN = "[data-testid='stMain']"


def main_text(page: Any) -> str:
    return page.locator(MAIN).first.inner_text()


def test_campaign_results_in_english_with_a_bad_upload(app: AppPage, tmp_path: Path) -> None:
    from churnlab.sample_campaign import sample_campaign_paths

    page = app.page
    go_to(page, "Campaign results")
    assert title(page) == "Campaign results"
    assert_no_exception(page, "Campaign results")
    text = main_text(page)
    assert "The campaign lowered churn by" in text
    assert "Realised ROC AUC" in text and "Qini" in text
    assert drawn_charts(page) >= 3
    screenshot(page, "campaign_results")

    campaign_path, export_path = sample_campaign_paths()
    edited = tmp_path / "campaign.csv"
    edited.write_text(
        campaign_path.read_text(encoding="utf-8-sig").replace(",control,", ",treatment,", 1),
        encoding="utf-8",
    )
    page.locator(MAIN).get_by_text("Upload a campaign file and a later export").first.click()
    inputs = page.locator("[data-testid='stFileUploader'] input[type=file]")
    inputs.nth(0).set_input_files(str(edited))
    wait_for_app(page)
    inputs.nth(1).set_input_files(str(export_path))
    wait_for_app(page)
    page.wait_for_selector(ERROR_ALERT, timeout=60_000)
    assert "edited" in page.locator(ERROR_ALERT).first.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    app.console.assert_clean()


def test_campaign_results_in_chinese(app: AppPage) -> None:
    page = app.page
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="简体中文").click()
    wait_for_app(page)
    go_to(page, "活动效果")
    assert title(page) == "活动效果"
    assert_no_exception(page, "活动效果")
    text = main_text(page)
    assert "活动使流失率降低了" in text and "实际 ROC AUC" in text
    assert drawn_charts(page) >= 3
    screenshot(page, "campaign_results_zh")
    app.console.assert_clean()
