"""Browser tests of reading real exports: a relational export's join summary and a doubtful
customer column flagged at the top of the Data page (screenshots in tests/e2e/artifacts/)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CORPUS
from tests.e2e.conftest import CHROMIUM, AppPage

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent (apt-get install chromium); Playwright's own browsers are not used",
        allow_module_level=True,
    )

from tests.e2e.test_browser import assert_no_exception, go_to, screenshot, upload

pytestmark = pytest.mark.e2e

SHAPES = CORPUS / "shapes"
EXPECTED = {
    s["name"]: s
    for s in json.loads((SHAPES / "expected.json").read_text(encoding="utf-8"))["shapes"]
}
WARNING = "[data-testid='stMain'] [data-testid='stAlertContentWarning']"


def test_relational_export_shows_how_the_files_were_joined(app: AppPage) -> None:
    page = app.page
    go_to(page, "Data")
    shape = EXPECTED["marketplace_partial"]
    upload(page, [SHAPES / f for f in shape["files"]])
    assert_no_exception(page, "Data after a relational upload")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("How the files were joined").count() == 1
    combined = shape["combined"]
    summary = main.get_by_text("customers after the join")
    assert f"{combined['customers']:,} customers" in summary.first.inner_text()
    assert "customer_unique_id" in summary.first.inner_text()
    screenshot(page, "data_joined")
    app.console.assert_clean()


def test_doubtful_customer_column_is_a_warning_at_the_top(app: AppPage) -> None:
    page = app.page
    go_to(page, "Data")
    upload(page, [SHAPES / EXPECTED["ambiguous"]["files"][0]])
    assert_no_exception(page, "Data after an ambiguous upload")
    warnings = page.locator(WARNING)
    assert warnings.count() >= 1
    first = warnings.first.inner_text()
    assert "please confirm the Customer id column" in first, first
    # the warning sits above the first file's section: nobody has to open an expander
    warning_y = warnings.first.bounding_box()["y"]
    heading_y = page.locator("[data-testid='stMain'] h3").first.bounding_box()["y"]
    assert warning_y < heading_y
    screenshot(page, "data_doubtful_customer")
    app.console.assert_clean()
