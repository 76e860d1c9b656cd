"""The Data page on the shape corpus: roles found from structure show in the mapping form,
and a customer column guessed with low confidence is flagged with a warning box."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, assert_clean, new_app
from tests.conftest import CORPUS

SHAPES = CORPUS / "shapes"
EXPECTED = {
    s["name"]: s
    for s in json.loads((SHAPES / "expected.json").read_text(encoding="utf-8"))["shapes"]
}
MIME = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".tsv": "text/tab-separated-values",
    ".parquet": "application/octet-stream",
}


def data_page() -> AppTest:
    """The Data page straight away (no overview run first)."""
    at = new_app()
    at.switch_page(PAGES["data"])
    at.run()
    return at


def upload(at: AppTest, names: list[str], every_file: bool = False) -> AppTest:
    files = []
    for name in names:
        for file in EXPECTED[name]["files"] if every_file else EXPECTED[name]["files"][:1]:
            path = SHAPES / file
            files.append((path.name, path.read_bytes(), MIME[path.suffix]))
    at.file_uploader[0].set_value(files).run()
    next(b for b in at.button if b.label == "Use these files").click().run()
    return at


def chosen(at: AppTest, index: int, role: str) -> str:
    """The role editor's choice; its keys carry the data's content key, then index and role."""
    boxes = [
        b
        for b in at.selectbox
        if b.key and b.key.startswith("map_") and b.key.endswith(f"_{index}_{role}")
    ]
    assert len(boxes) == 1, [b.key for b in at.selectbox]
    return boxes[0].value


SINGLE_FILE_SHAPES = [name for name, s in EXPECTED.items() if len(s["files"]) == 1 and "roles" in s]


def test_structural_shapes_show_their_detected_roles() -> None:
    names = ["grocery", "click_sessions", "headerless"]
    at = upload(data_page(), names)
    assert_clean(at)
    kinds = [m.value for m in at.metric if m.label == "Kind"]
    assert kinds == ["Event log"] * len(names)
    for index, name in enumerate(names):
        for role, column in EXPECTED[name]["roles"].items():
            assert chosen(at, index, role) == column, (name, role)


@pytest.mark.parametrize("name", SINGLE_FILE_SHAPES)
def test_every_shape_uploads_with_its_roles(name: str) -> None:
    at = upload(data_page(), [name])
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 0, [e.value for e in at.error]
    kind = {"events": "Event log", "customers": "Customer table"}[EXPECTED[name]["kind"]]
    assert [m.value for m in at.metric if m.label == "Kind"] == [kind]
    for role, column in EXPECTED[name]["roles"].items():
        assert chosen(at, 0, role) == column, (name, role)


def test_low_confidence_customer_shows_a_warning() -> None:
    at = upload(data_page(), ["ambiguous"])
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 0, [e.value for e in at.error]
    customer = chosen(at, 0, "customer_id")
    assert customer in EXPECTED["ambiguous"]["customer_id_one_of"]
    warnings = [w.value for w in at.warning]
    assert any(customer in w for w in warnings), warnings


def test_confident_shapes_show_no_customer_warning() -> None:
    at = upload(data_page(), ["epoch_ms"])
    assert_clean(at)
    customer = chosen(at, 0, "customer_id")
    assert customer == "visitor"
    assert not [w.value for w in at.warning if customer in w.value]


def test_relational_export_is_joined_and_the_join_is_shown() -> None:
    at = upload(data_page(), ["marketplace_partial"], every_file=True)
    assert_clean(at)
    combined = EXPECTED["marketplace_partial"]["combined"]
    texts = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes
    assert f"{combined['customers']:,} customers" in texts, texts
    assert "customer_unique_id" in texts
    joins = next(d.value for d in at.dataframe if "Not matched" in d.value.columns)
    assert sorted(joins["Not matched"].tolist()) == sorted(
        j["unmatched"] for j in combined["joins"]
    )
    kinds = [m.value for m in at.metric if m.label == "Kind"]
    assert kinds == ["Event log", "Customer table"]
