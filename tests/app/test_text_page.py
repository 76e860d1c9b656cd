"""What customers wrote, on the Explanations page of one customer (and nowhere else)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.app.conftest import assert_clean, open_page

REVIEWS = Path(__file__).resolve().parents[1] / "corpus" / "text" / "reviews.csv"


def test_a_customers_texts_are_shown_as_plain_text_on_their_page(app) -> None:
    data = REVIEWS.read_bytes()
    log = pl.read_csv(data)
    negative = log.filter(pl.col("评价内容") == "物流太慢了，差评")
    customer = negative["用户ID"][0]

    open_page(app, "data")
    app.file_uploader[0].set_value(("reviews.csv", data, "text/csv")).run()
    next(b for b in app.button if b.label == "Use these files").click().run()
    assert_clean(app)
    open_page(app, "model")
    train = next(b for b in app.get("form_submit_button") if b.label == "Train the model")
    train.click().run()
    assert_clean(app)

    open_page(app, "explanations")
    app.text_input[0].set_value(customer).run()
    assert_clean(app)
    assert any("What this customer wrote" in m.value for m in app.markdown)
    shown = next(d.value for d in app.dataframe if "text" in d.value.columns)
    assert "物流太慢了，差评" in set(shown["text"])
    assert "negative" in set(shown["sentiment_class"])
    # the texts are table cells, never markdown (so never HTML)
    assert not any("物流太慢了" in m.value for m in app.markdown)
