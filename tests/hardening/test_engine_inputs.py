"""Bad and extreme exports through the engine: a clear ChurnlabError or a correct result."""

from __future__ import annotations

import math

import polars as pl
import pytest

from churnlab.errors import ChurnlabError, DataError, InputError, MappingError
from churnlab.export import csv_bytes
from churnlab.ingest.loading import load_files
from churnlab.pipeline import score, train
from tests.hardening.conftest import (
    CORPUS,
    FAST,
    assert_plain,
    one_heavy_customer,
)
from tests.hardening.corpus.make_corpus import CASES


def run_engine(name: str):
    """Load, train and score one corpus file; return (shop, trained, scored)."""
    shop = load_files([CORPUS / name])
    trained = train(shop, FAST)
    return shop, trained, score(trained, shop)


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    """Each corpus file's outcome: the ChurnlabError raised, or (shop, trained, scored)."""
    out: dict[str, object] = {}
    for name in CASES:
        try:
            out[name] = run_engine(name)
        except ChurnlabError as error:
            out[name] = error
    return out


def test_the_corpus_on_disk_matches_its_generator() -> None:
    from tests.hardening.corpus.make_corpus import build

    for name, data in build().items():
        assert (CORPUS / name).read_bytes() == data, f"regenerate the corpus: {name} changed"


@pytest.mark.parametrize("name", list(CASES))
def test_every_file_gives_a_clear_message_or_a_result(results, name: str) -> None:
    outcome = results[name]
    want = CASES[name]
    if isinstance(outcome, ChurnlabError):
        assert want in ("error", "either"), f"{name} was refused: {outcome}"
        assert_plain(str(outcome))
    else:
        assert want in ("ok", "either"), f"{name} should have been refused"
        _, _, scored = outcome
        probability = scored.frame.get_column("churn_probability")
        assert scored.frame.height > 0
        assert probability.is_finite().all()
        assert probability.min() >= 0 and probability.max() <= 1


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("empty.csv", InputError),
        ("random_bytes.csv", InputError),
        ("truncated.parquet", InputError),
        ("no_table.xlsx", InputError),
        ("no_customer_column.csv", MappingError),
        ("short_history.csv", DataError),
        ("too_few_customers.csv", DataError),
        ("all_churn.csv", DataError),
        ("no_churn.csv", DataError),
        ("label_one_class.csv", DataError),
    ],
)
def test_refusals_have_the_right_kind(results, name: str, kind: type) -> None:
    assert isinstance(results[name], kind), results[name]


def test_input_errors_name_the_file(results) -> None:
    for name in ("empty.csv", "header_only.csv", "random_bytes.csv", "truncated.parquet"):
        assert name in str(results[name])


def test_wrong_dates_far_in_the_future_are_named(results) -> None:
    error = results["dates_1970_2100.csv"]
    assert isinstance(error, DataError)
    assert "2100" in str(error) and "wrong dates" in str(error)
    shop = load_files([CORPUS / "dates_1970_2100.csv"])
    warnings = " ".join(str(w) for w in shop.tables[0].report.warnings)
    assert "future" in warnings and "1990" in warnings


def test_unreadable_dates_are_counted_before_the_refusal() -> None:
    shop = load_files([CORPUS / "unparseable_dates.csv"])
    report = shop.tables[0].report
    assert report.dropped.get("unreadable_time") == report.rows
    with pytest.raises(DataError) as caught:
        train(shop, FAST)
    assert_plain(str(caught.value))


def test_duplicate_rows_are_dropped_and_counted(results) -> None:
    shop, _, _ = results["duplicate_rows.csv"]
    clean, _, _ = results["huge_amounts.csv"]  # the same orders, once each
    assert shop.events.height == clean.events.height
    assert sum(shop.tables[0].report.dropped.values()) >= 300


def test_huge_amounts_stay_finite(results) -> None:
    shop, _, scored = results["huge_amounts.csv"]
    assert shop.events.get_column("amount").max() >= 1e12
    monetary = scored.frame.get_column("monetary")
    assert monetary.is_finite().all() and monetary.max() >= 1e12


def test_negative_amounts_become_refunds_and_text_amounts_do_not_crash(results) -> None:
    shop, _, _ = results["negative_and_text_amounts.csv"]
    events = shop.events
    assert (events.get_column("amount").drop_nulls() >= 0).all()
    assert events.filter(pl.col("event_type") == "refund").height > 0


def test_formula_ids_survive_and_are_neutralised_in_exports(results) -> None:
    _, _, scored = results["formula_and_html_ids.csv"]
    ids = scored.frame.get_column("customer_id")
    assert ids.str.starts_with("=HYPERLINK").any()
    assert ids.str.contains("<script>", literal=True).any()
    text = csv_bytes(scored.frame).decode("utf-8-sig")
    for line in text.splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@")), line


def test_html_column_names_are_kept_as_plain_names(results) -> None:
    shop, _, scored = results["html_column_names.csv"]
    assert "<script>alert(1)</script>" in shop.tables[0].raw.columns
    assert scored.frame.height > 0


def test_one_event_per_customer_is_refused_or_scored(results) -> None:
    outcome = results["one_event_per_customer.csv"]
    if isinstance(outcome, ChurnlabError):
        # every customer on one row: refused as "all churned" or as not a customer column
        assert "churned" in str(outcome) or "cannot be the customer" in str(outcome)
    else:
        assert outcome[2].frame.height > 0


@pytest.mark.slow
def test_one_customer_with_a_million_events(tmp_path) -> None:
    path = one_heavy_customer(tmp_path / "heavy.parquet")
    shop = load_files([path])
    assert shop.events.height > 1_000_000
    trained = train(shop, FAST)
    scored = score(trained, shop)
    heavy = scored.frame.filter(pl.col("customer_id") == "HEAVY")
    assert heavy.height == 1
    assert math.isfinite(heavy.item(0, "churn_probability"))
    assert heavy.item(0, "frequency") <= 366
