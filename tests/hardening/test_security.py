"""Nothing user-supplied is rendered as HTML; the server settings are the safe ones."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from churnlab.campaign import plan_campaign
from churnlab.config import CampaignConfig
from churnlab.ingest.loading import combine, load_table
from churnlab.pipeline import score, train
from churnlab.report import render_report_html
from pages._shared import UPLOADS, USER_MODEL, Upload, digest, escape
from tests.app.conftest import new_app, open_page
from tests.hardening.conftest import CORPUS, FAST

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"


def test_server_settings_are_safe() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["headless"] is True
    assert config["server"]["maxUploadSize"] >= 1024
    assert config["browser"]["gatherUsageStats"] is False


def test_no_page_allows_raw_html() -> None:
    sources = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    offenders = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(", line)
    ]
    assert offenders == []


def test_escape_neutralises_markdown_and_html() -> None:
    text = escape(f"**bold** [link](http://x) {SCRIPT}")
    assert "**" not in text.replace("\\*", "")
    assert "<script>" not in text and "\\<script\\>" in text
    assert "](" not in text.replace("\\]\\(", "")


@pytest.fixture(scope="module")
def hostile_report() -> str:
    """The HTML report of a shop whose ids, columns and file name carry HTML."""
    tables = [load_table(CORPUS / "formula_and_html_ids.csv", name=f"{SCRIPT}.csv")]
    shop = combine(tables, source=f"{SCRIPT} **bold**.csv")
    trained = train(shop, FAST)
    scored = score(trained, shop)
    plan = plan_campaign(scored.frame, CampaignConfig(), lookback_days=365)
    return render_report_html(trained, scored, plan, title=f"Report {SCRIPT}")


def test_the_html_report_escapes_user_text(hostile_report: str) -> None:
    assert SCRIPT not in hostile_report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_report
    assert "<script>alert" not in hostile_report


def test_the_app_never_renders_uploaded_html() -> None:
    at = new_app()
    at.run()
    name = "html_column_names.csv"
    data = (CORPUS / name).read_bytes()
    hostile = f"{SCRIPT}**bold**[link](http://x).csv"
    at.session_state[UPLOADS] = [Upload(hostile, data, digest(data))]
    at.session_state[USER_MODEL] = None
    seen = 0
    for page in ("data", "overview", "model"):
        open_page(at, page)
        assert not at.exception, [e.value for e in at.exception]
        for element in [*at.markdown, *at.caption, *at.warning, *at.info, *at.subheader]:
            value = str(element.value)
            if getattr(element, "allow_html", False) or getattr(element.proto, "allow_html", False):
                assert "<script" not in value, (page, value)
            if "script" in value:  # user text shown in Markdown is escaped
                seen += 1
                assert "\\<script\\>" in value or "<script" not in value, (page, value)
            assert "**bold**" not in value, (page, value)
            assert "[link](http://x)" not in value, (page, value)
    assert seen, "the hostile file name was shown somewhere (sidebar, heading)"
