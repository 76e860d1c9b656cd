"""Browser tests of reading real exports: a relational export's join summary, a doubtful
customer column flagged at the top of the Data page, and a real customer table (IBM's telecom
churn export, tests/data/real_tables) from upload to the list (screenshots in
tests/e2e/artifacts/)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.e2e.conftest import CHROMIUM, ROOT, AppPage, wait_for_app

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent (apt-get install chromium); Playwright's own browsers are not used",
        allow_module_level=True,
    )

from tests.e2e.test_browser import assert_no_exception, go_to, screenshot, train_model, upload

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


TELCO = ROOT / "tests" / "data" / "real_tables" / "telco_churn.csv.gz"


def test_a_real_customer_table_from_upload_to_the_list(app: AppPage, tmp_path: Path) -> None:
    page = app.page
    table = tmp_path / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    table.write_bytes(gzip.decompress(TELCO.read_bytes()))
    go_to(page, "Data")
    upload(page, [table])
    assert_no_exception(page, "Data after the telecom table")
    main = page.locator("[data-testid='stMain']")
    kind = main.locator("[data-testid='stMetric']").filter(has_text="Kind")
    assert "Customer table" in kind.first.inner_text()

    go_to(page, "Model")
    train_model(page)
    assert_no_exception(page, "Model after training on the table")
    assert main.get_by_text("The model against simple peers, on held-out customers").is_visible()
    main.get_by_text("Details: parameters and snapshots").click()
    wait_for_app(page)
    blend = main.get_by_text("averages its trees with the logistic regression")
    assert blend.first.is_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("on held-out customers").is_visible()
    assert sidebar.get_by_text("as the label column of your customer table says").is_visible()
    screenshot(page, "table_model_trained")

    go_to(page, "At-risk customers")
    assert_no_exception(page, "At-risk with the telecom table")
    intro = main.locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert intro == "7,043 customers of your table scored, highest risk first.", intro
    page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first.wait_for()
    screenshot(page, "table_at_risk")
    app.console.assert_clean()
