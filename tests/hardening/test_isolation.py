"""Two sessions side by side: neither sees the other's customers, and neither loses its data."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from churnlab.ingest.loading import combine, load_table
from churnlab.pipeline import train
from pages._shared import MODEL_KEY, UPLOADS, USER_MODEL, Upload, digest
from tests.app.conftest import new_app, open_page
from tests.hardening.conftest import CORPUS, FAST

FILE_A = "huge_amounts.csv"  # ids C0000...
FILE_B = "formula_and_html_ids.csv"  # ids like =HYPERLINK(...)0, <script>...1


def ids_of(name: str) -> set[str]:
    table = load_table(CORPUS / name)
    return set(table.frame.get_column("customer_id").to_list())


def use_file(at: AppTest, name: str) -> None:
    """Upload on the Data page (or, if AppTest drops the click, as the page would)."""
    data = (CORPUS / name).read_bytes()
    open_page(at, "data")
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    next(b for b in at.button if b.label == "Use these files").click().run()
    if not at.session_state[UPLOADS]:
        at.session_state[UPLOADS] = [Upload(name, data, digest(data))]
        at.session_state[USER_MODEL] = None
    assert [u.name for u in at.session_state[UPLOADS]] == [name]


def train_in(at: AppTest, name: str) -> None:
    """Train on the session's data: the Model page's button, else the same engine call."""
    open_page(at, "model")
    assert any(b.label == "Train the model" for b in at.get("form_submit_button"))
    # The page trains with the default 60 s search; the engine call below is the same glue
    # with a short search, which keeps this test fast.
    upload = at.session_state[UPLOADS][0]
    shop = combine([load_table(upload.data, name=upload.name)], source=upload.name)
    at.session_state[USER_MODEL] = train(shop, FAST)
    at.session_state[MODEL_KEY] = f"test:{upload.digest}"


def at_risk_ids(at: AppTest) -> set[str]:
    open_page(at, "at_risk")
    assert not at.exception, [e.value for e in at.exception]
    listing = next(
        (d.value for d in reversed(at.dataframe) if "customer_id" in d.value.columns), None
    )
    assert listing is not None, "no at-risk list"
    return set(pl.from_pandas(listing).get_column("customer_id").cast(pl.String).to_list())


@pytest.mark.slow
def test_two_sessions_never_see_each_others_customers() -> None:
    a, b = new_app(), new_app()
    a.run()
    b.run()
    use_file(a, FILE_A)
    use_file(b, FILE_B)
    train_in(a, FILE_A)
    ids_a, ids_b = ids_of(FILE_A), ids_of(FILE_B)
    assert not ids_a & ids_b
    shown_a = at_risk_ids(a)
    assert shown_a and shown_a <= ids_a

    train_in(b, FILE_B)
    shown_b = at_risk_ids(b)
    assert shown_b and shown_b <= ids_b
    # The first session keeps its own data and list after the second one trained.
    assert [u.name for u in a.session_state[UPLOADS]] == [FILE_A]
    assert at_risk_ids(a) == shown_a
