"""The data-quality report speaks the reader's language, and stays English for the CLI and JSON.

A Chinese user who uploads a file with unreadable dates must read why in Chinese,
while ``inspect --json``, saved run records and the CLI keep their English text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import polars as pl
import pytest

from churnlab.errors import EmptyFileError, MappingError
from churnlab.i18n import Message
from churnlab.ingest.loading import load_table
from churnlab.ingest.quality import drop_words, render_report
from churnlab.messages import errors_data, quality
from churnlab.windows import check_labels

CJK = re.compile(r"[\u4e00-\u9fff]")

# Three rows of eight have a time nobody can read: more than 1 %, so a problem.
# One row has no customer id (dropped), and the file has a title line above the header.
FILE = (
    b"Order export 2024\n"
    b"customer_id,order_date,amount\n"
    b"c1,2024-01-05,10.0\n"
    b"c2,2024-01-06,12.5\n"
    b"c1,31/31/2024,3\n"
    b"c3,soon,4\n"
    b"c2,2024-02-01,7\n"
    b",2024-02-02,8\n"
    b"c3,2024-02-03,9\n"
    b"c4,not a date,1\n"
)


@pytest.fixture(scope="module")
def report():
    return load_table(FILE, name="orders.csv").report


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("area", [errors_data, quality], ids=["errors_data", "quality"])
def test_both_languages_have_the_same_keys_and_fields(area) -> None:
    assert set(area.EN) == set(area.ZH)
    for key, english in area.EN.items():
        assert _fields(english) == _fields(area.ZH[key]), key
        if not key.endswith(".join"):  # a separator is punctuation
            assert CJK.search(area.ZH[key]), f"{key} is not translated"


def test_the_report_holds_messages_with_english_text_unchanged(report) -> None:
    assert report.problems and all(isinstance(p, Message) for p in report.problems)
    problem = next(p for p in report.problems if p.key == "quality.issue.bad_times")
    assert str(problem) == problem.text("en")
    assert str(problem).startswith("Rows with a time that could not be read: 3 (examples: ")
    assert "'31/31/2024'" in str(problem) and "'soon'" in str(problem)
    notes = [str(n) for n in report.notes]
    assert "Skipped 1 title line above the header" in notes
    assert "Delimiter: comma" in notes
    assert any(str(w) == "Rows without a customer id, left out: 1." for w in report.warnings)


def test_the_report_reads_in_chinese_with_the_users_values(report) -> None:
    for item in [*report.problems, *report.warnings, *report.notes]:
        chinese = item.text("zh")
        assert CJK.search(chinese), chinese
        assert chinese != item.text("en")
    problem = next(p for p in report.problems if p.key == "quality.issue.bad_times")
    assert "'31/31/2024'" in problem.text("zh")  # the user's own values stay as written
    assert not CJK.search(problem.text("en"))


def test_to_dict_stays_json_with_english_strings(report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    for key in ("problems", "warnings", "notes"):
        assert data[key] == [str(item) for item in getattr(report, key)]
        assert all(isinstance(text, str) and not CJK.search(text) for text in data[key])
    text = render_report(data)
    assert "PROBLEMS:" in text and "could not be read" in text
    assert "1 with no customer id" in text


def test_drop_reasons_in_both_languages(report) -> None:
    assert report.dropped["missing_customer_id"] == 1
    assert drop_words("missing_customer_id") == "no customer id"
    assert CJK.search(drop_words("missing_customer_id", "zh"))
    assert drop_words("some_new_reason", "zh") == "some_new_reason"


def test_errors_from_reading_render_in_chinese_and_english() -> None:
    with pytest.raises(EmptyFileError, match=r"The file 'empty\.csv' is empty\.") as caught:
        load_table(b"", name="empty.csv")
    message, hint = caught.value.render("zh")
    assert "empty.csv" in message and CJK.search(message) and CJK.search(hint)
    with pytest.raises(MappingError) as caught:
        load_table(FILE, name="orders.csv", overrides={"kind": "shops"})
    assert "'shops'" in caught.value.message and "shops" in caught.value.render("zh")[0]


def test_cutoff_warnings_are_messages_in_both_languages() -> None:
    labels = pl.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(300)],
            "cutoff": [dt.date(2024, 6, 1)] * 300,
            "label": pl.Series([1] * 3 + [0] * 297, dtype=pl.Int8),
        }
    )
    warnings = check_labels(labels)
    keys = {w.key for w in warnings}
    assert {"windows.warning.small_shop", "windows.warning.few_outcomes"} <= keys
    few = next(w for w in warnings if w.key == "windows.warning.few_outcomes")
    assert "3 customers churned and 297 stayed" in str(few)
    assert "297" in few.text("zh") and CJK.search(few.text("zh"))


def test_every_detected_date_format_reads_in_chinese() -> None:
    import re

    import polars as pl

    from churnlab.i18n import Phrases
    from churnlab.ingest.parsing import _DATE_FORMATS, parse_datetimes

    described = [desc for _, _, desc in _DATE_FORMATS]
    samples = {
        "Unix seconds": pl.Series(["1700000000", "1700003600"]),
        "YYYYMMDD numbers": pl.Series(["20240105", "20240106"]),
        "time zone converted to UTC": pl.Series(["2024-01-05 10:00:00+08:00"]),
    }
    for expected, series in samples.items():
        assert expected in parse_datetimes(series).detected
        described.append(parse_datetimes(series).detected)
    for english in described:
        timed = Phrases("dateformat", f"{english} with time").text("zh")
        assert re.search(r"[\u4e00-\u9fff]", timed), english
        assert Phrases("dateformat", english).text("en") == english
