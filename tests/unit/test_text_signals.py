"""What customers write: sentiment, complaints, text columns and the text features."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
import pytest

from churnlab import schema, text_signals
from churnlab.catalogue import CATALOGUE
from churnlab.config import ChurnDefinition, Settings, TrainingConfig
from churnlab.features import build_features_with_names
from churnlab.ingest.mapping import detect_mapping
from churnlab.ingest.reading import RawTable
from churnlab.ingest.roles import looks_like_text
from churnlab.reasons import reasons_for_rows

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REVIEWS = CORPUS / "text" / "reviews.csv"

# A small labelled set, written for this test (not taken from the models' training data).
LABELLED = {
    "zh": {
        1: ["质量很好，物流也快", "非常满意，下次还来", "包装精美，性价比高", "宝贝收到了，很喜欢",
            "衣服很漂亮，穿着舒服", "东西不错，值得购买", "颜色和图片一样，好看", "尺码合适，很舒服"],
        -1: ["物流太慢了，差评", "包装破损，要求退款", "质量太差了，不推荐", "收到就坏了，非常失望",
             "假货，垃圾", "客服态度很差，再也不来了", "发错货了，很生气", "等了两个星期还没收到"],
    },
    "en": {
        1: ["Great product, love it", "Fast delivery and excellent quality",
            "Very happy with my order, would recommend", "Works perfectly, thank you",
            "Nice fit and good price", "Best purchase this year", "Lovely colour, arrived on time",
            "Excellent service, will buy again"],
        -1: ["Arrived late and broken, I want a refund", "Terrible quality, fell apart after a day",
             "Worst service ever, nobody answers", "The item was damaged and the box was wet",
             "Very disappointed, not as described", "Awful, cheap and useless",
             "Wrong size sent and no reply from support", "Horrible smell, I hate it"],
    },
}  # fmt: skip


def raw_frame(data: dict[str, list[str]]) -> RawTable:
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    return RawTable(frame=frame, source="test.csv", format="csv", rows=frame.height)


# --------------------------------------------------------------------------- sentiment


@pytest.mark.parametrize("language", ["zh", "en"])
def test_sentiment_points_the_right_way_on_a_labelled_set(language: str) -> None:
    positive, negative = LABELLED[language][1], LABELLED[language][-1]
    scored = text_signals.score_texts(pl.Series([*positive, *negative]))
    assert set(scored["language"].to_list()) == {language}
    by_text = dict(zip(scored["text"], scored["sentiment"], strict=True))
    classes = dict(zip(scored["text"], scored["sentiment_class"], strict=True))
    pos = [by_text[t] for t in positive]
    neg = [by_text[t] for t in negative]
    assert sum(pos) / len(pos) > 0.4 > -0.4 > sum(neg) / len(neg)
    assert sum(classes[t] == -1 for t in negative) >= len(negative) - 1
    assert not any(classes[t] == -1 for t in positive)
    assert min(pos) > max(neg) - 0.8  # the scales overlap little


def test_other_languages_and_non_text_get_no_score() -> None:
    texts = ["Très bon produit, je recommande", "とても良い商品です", "12345", "...", "Sehr gut"]
    scored = text_signals.score_texts(pl.Series(texts))
    assert scored["sentiment"].null_count() == len(texts)
    assert scored["sentiment_class"].null_count() == len(texts)


def test_languages_are_read_from_the_characters() -> None:
    found = text_signals.languages(
        pl.Series(["物流太慢了", "Arrived late", "好评 good", "merci beaucoup", "", None])
    )
    assert found.to_list() == ["zh", "en", "zh", None, None, None]


def test_complaint_words_in_both_languages_and_whole_english_words() -> None:
    texts = ["物流太慢了", "包装破损", "Arrived late", "I want a REFUND", "chocolate cake, yummy",
             "Great, thanks", "很好"]  # fmt: skip
    scored = text_signals.score_texts(pl.Series(texts))
    flags = dict(zip(scored["text"], scored["complaint"], strict=True))
    assert [flags[t] for t in texts] == [True, True, True, True, False, False, False]


def test_each_distinct_text_is_scored_once() -> None:
    text_signals.clear_cache()
    texts = pl.Series(["质量很好", "Arrived late and broken", "好评"] * 2000)
    scored = text_signals.score_texts(texts)
    assert scored.height == 3
    info = text_signals._score.cache_info()
    assert info.misses == 3 and info.hits == 0
    text_signals.score_texts(texts)
    assert text_signals._score.cache_info().hits == 3  # a second call costs nothing


# --------------------------------------------------------------------------- columns


def _texts(n: int, seed: int = 0) -> list[str]:
    import random

    rng = random.Random(seed)
    words = ["great", "late", "broken", "love", "the", "box", "colour", "size", "again", "fast"]
    zh = ["质量", "物流", "很好", "太慢", "喜欢", "破损", "退款", "包装", "颜色", "满意"]
    out = []
    for i in range(n):
        if i % 2:
            out.append("".join(rng.choice(zh) for _ in range(rng.randint(2, 6))))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))))
    return out


@pytest.mark.parametrize(
    "name, role",
    [
        ("评价内容", schema.REVIEW_TEXT),
        ("评论", schema.REVIEW_TEXT),
        ("review_text", schema.REVIEW_TEXT),
        ("Comment", schema.REVIEW_TEXT),
        ("message", schema.SERVICE_TEXT),
        ("客服记录", schema.SERVICE_TEXT),
        ("review_comment_message", schema.REVIEW_TEXT),
        ("买家留言", schema.SERVICE_TEXT),
    ],
)
def test_text_columns_are_found_by_name(name: str, role: str) -> None:
    n = 60
    raw = raw_frame(
        {
            "customer_id": [f"c{i % 12}" for i in range(n)],
            "timestamp": [f"2024-01-{1 + i % 28:02d} 10:00" for i in range(n)],
            "amount": [str(10 + i) for i in range(n)],
            name: _texts(n),
        }
    )
    mapping = detect_mapping(raw)
    assert mapping.roles.get(role) == name
    assert mapping.roles["customer_id"] == "customer_id"


def test_free_text_is_found_by_values_and_service_rows_make_it_messages() -> None:
    n = 80
    base = {
        "customer_id": [f"c{i % 12}" for i in range(n)],
        "timestamp": [f"2024-02-{1 + i % 28:02d} 10:00" for i in range(n)],
    }
    raw = raw_frame({**base, "x7": _texts(n)})
    mapping = detect_mapping(raw)
    assert mapping.roles.get(schema.REVIEW_TEXT) == "x7"
    assert any(m.key == "quality.note.text_from_values" for m in mapping.notes)
    raw = raw_frame({**base, "event_type": ["service"] * n, "x7": _texts(n)})
    assert detect_mapping(raw).roles.get(schema.SERVICE_TEXT) == "x7"


ID_LIKE = {
    "order numbers": [f"TB{2024000000 + i * 7919}" for i in range(200)],
    "skus": [f"SKU-{i:05d}-{'ABC'[i % 3]}" for i in range(200)],
    "e-mails": [f"user{i}@example.com" for i in range(200)],
    "urls": [f"https://shop.example.com/item/{i}?ref=abc" for i in range(200)],
    "hashes": [f"{i * 2654435761 % 2**64:016x}{i:08x}" for i in range(200)],
    "uuids": [f"{i:08x}-1f2e-4a3b-9c8d-{i * 7:012x}" for i in range(200)],
    "dates": [f"2024-03-{1 + i % 28:02d} 12:{i % 60:02d}:00" for i in range(200)],
    "numbers": [f"{i * 3.5:.2f}" for i in range(200)],
    "categories": ["Home & Garden", "Baby Care", "Sports and Outdoors", "女装 连衣裙"] * 50,
    "chinese codes": [f"订单{i:06d}" for i in range(200)],
}


@pytest.mark.parametrize("kind", list(ID_LIKE))
def test_ids_and_codes_are_never_text(kind: str) -> None:
    series = pl.Series(kind, ID_LIKE[kind])
    assert not looks_like_text(series, named=False)
    if kind != "categories":  # a few labels named "comment" might be short notes
        assert not looks_like_text(series, named=True)


@pytest.mark.parametrize("name", ["comment", "message", "评论", "x1"])
def test_a_column_of_codes_is_not_mapped_to_text_even_when_named_so(name: str) -> None:
    n = 200
    raw = raw_frame(
        {
            "customer_id": [f"c{i % 25}" for i in range(n)],
            "timestamp": [f"2024-01-{1 + i % 28:02d} 10:{i % 60:02d}" for i in range(n)],
            name: ID_LIKE["order numbers"],
        }
    )
    mapping = detect_mapping(raw)
    assert not set(mapping.roles) & set(schema.TEXT_ROLES)


def test_free_text_in_a_customer_table_is_not_kept_as_an_attribute() -> None:
    n = 60
    raw = raw_frame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "tier": ["gold", "silver", "bronze"] * (n // 3),
            "feedback": _texts(n),
        }
    )
    mapping = detect_mapping(raw)
    assert mapping.kind == "customers"
    assert mapping.attributes == ["tier"]


def test_no_file_of_the_mapping_and_shape_corpora_gets_a_text_role() -> None:
    from churnlab.ingest.reading import read_table

    files = [
        p
        for folder in ("mapping", "shapes")
        for p in sorted((CORPUS / folder).rglob("*"))
        if p.suffix in (".csv", ".tsv", ".parquet") and p.stat().st_size
    ]
    assert len(files) >= 10
    for path in files:
        try:
            mapping = detect_mapping(read_table(path))
        except Exception:  # files made to fail (no customer) are tested elsewhere
            continue
        assert not set(mapping.roles) & set(schema.TEXT_ROLES), path.name


# --------------------------------------------------------------------------- features

C = dt.date(2024, 3, 1)


def _log(texts: list[tuple[str, str, str, str | None, str | None]]) -> pl.DataFrame:
    """(customer, timestamp, event type, review text, service text) rows + purchases."""
    buys = [(c, f"2024-0{m}-10 12:00", "purchase", None, None) for c in "ab" for m in (1, 2)]
    rows = buys + texts
    return pl.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": [dt.datetime.fromisoformat(r[1]) for r in rows],
            "event_type": [r[2] for r in rows],
            "amount": [20.0 if r[2] == "purchase" else None for r in rows],
            "review_text": [r[3] for r in rows],
            "service_text": [r[4] for r in rows],
        },
        schema_overrides={"timestamp": pl.Datetime("us")},
    )


def test_text_features_at_a_cutoff() -> None:
    events = _log(
        [
            ("a", "2024-01-05 09:00", "review", "Great product, love it", None),
            ("a", "2024-02-18 09:00", "review", "物流太慢了，差评", None),  # 12 days before C
            ("a", "2024-02-25 09:00", "service", None, "When will my order ship?"),
            ("b", "2024-02-20 09:00", "service", None, "The item arrived broken, refund please"),
            ("b", "2024-02-28 09:00", "review", "Excellent service, will buy again", None),
        ]
    )
    frame, names, _ = build_features_with_names(events, None, [C], ChurnDefinition())
    assert set(text_signals.feature_names(events.columns)) <= set(names)
    rows = {r["customer_id"]: r for r in frame.to_dicts()}
    a, b = rows["a"], rows["b"]
    assert a["days_since_negative_review"] == 12.0
    assert a["negative_review_share_90d"] == pytest.approx(0.5)
    assert a["last_review_sentiment"] < -0.4
    assert a["complaint_texts_365d"] == 1.0 and a["days_since_complaint"] == 12.0
    assert b["days_since_negative_review"] is None
    assert b["negative_review_share_365d"] == 0.0
    assert b["last_review_sentiment"] > 0.4
    assert b["days_since_complaint"] == 10.0 and b["complaint_texts_90d"] == 1.0


def test_only_service_text_gives_only_complaint_features() -> None:
    events = _log([("a", "2024-02-20 09:00", "service", None, "Wrong item sent, refund")])
    _, names, _ = build_features_with_names(
        events.drop("review_text"), None, [C], ChurnDefinition()
    )
    assert "days_since_complaint" in names and "last_review_sentiment" not in names


def test_no_text_column_means_no_text_feature() -> None:
    events = _log([]).drop("review_text", "service_text")
    _, names, _ = build_features_with_names(events, None, [C], ChurnDefinition())
    everything = set(text_signals.REVIEW_FEATURES) | set(text_signals.COMPLAINT_FEATURES)
    assert not everything & set(names)


def test_every_text_feature_is_described_in_both_languages() -> None:
    for name in (*text_signals.REVIEW_FEATURES, *text_signals.COMPLAINT_FEATURES):
        info = CATALOGUE[name]
        assert info.description["en"] and info.description["zh"]


def test_reasons_say_in_words_what_was_written() -> None:
    features = pl.DataFrame(
        {
            "days_since_negative_review": [12.0, None],
            "negative_review_share_90d": [0.5, None],
            "days_since_complaint": [None, 5.0],
            "complaint_texts_90d": [0.0, 3.0],
        }
    )
    names = features.columns
    contributions = [[1.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.8, 0.2]]
    en = reasons_for_rows(features, contributions, names, k=1)
    assert en[0] == ["Wrote a negative review 12 days ago (50 % of reviews in the last 90 days)"]
    assert en[1] == [
        "Complained 5 days ago (refund, late, broken ...), 3 times in the last 90 days"
    ]
    zh = reasons_for_rows(features, contributions, names, k=1, lang="zh")
    assert "负面评价" in zh[0][0] and "投诉" in zh[1][0]


def test_customer_texts_for_the_app_page() -> None:
    events = _log(
        [
            ("a", "2024-02-18 09:00", "review", "物流太慢了，差评", None),
            ("a", "2024-02-25 09:00", "service", None, "When will my order ship?"),
            ("a", "2024-03-05 09:00", "review", "Later text", None),
        ]
    )
    shown = text_signals.customer_texts(events, "a", before=C)
    assert shown["text"].to_list() == ["When will my order ship?", "物流太慢了，差评"]
    assert shown["sentiment_class"].to_list()[1] == -1
    assert text_signals.customer_texts(events, "b").height == 0


# --------------------------------------------------------------------------- end to end


def test_the_corpus_file_is_as_its_generator_writes_it() -> None:
    spec = importlib.util.spec_from_file_location("make_text", CORPUS / "text" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == REVIEWS.read_bytes()


@pytest.fixture(scope="module")
def trained_on_reviews():
    from churnlab.ingest.loading import load_files
    from churnlab.pipeline import score, train

    shop = load_files([REVIEWS])
    settings = Settings(training=TrainingConfig(tuning_seconds=60, max_trials=2, max_trees=60))
    trained = train(shop, settings)
    return shop, trained, score(trained, shop)


def test_training_on_reviews_uses_what_customers_wrote(trained_on_reviews) -> None:
    shop, _trained, scored = trained_on_reviews
    mapping = shop.tables[0].mapping
    assert mapping.roles[schema.REVIEW_TEXT] == "评价内容"
    assert mapping.roles[schema.SERVICE_TEXT] == "客服记录"
    for name in (*text_signals.REVIEW_FEATURES, *text_signals.COMPLAINT_FEATURES):
        assert name in scored.feature_names
    reasons = [r for c in ("reason_1", "reason_2", "reason_3") for r in scored.frame[c]]
    assert any(r and r.startswith("Wrote a negative review") for r in reasons)


def test_texts_never_reach_lists_or_reports(trained_on_reviews) -> None:
    from churnlab.campaign import plan_campaign
    from churnlab.export import csv_bytes
    from churnlab.report import render_report_html

    shop, trained, scored = trained_on_reviews
    written = (
        pl.concat([shop.events["review_text"], shop.events["service_text"]]).drop_nulls().unique()
    )
    assert written.len() > 10
    listed = csv_bytes(scored.frame).decode("utf-8-sig")
    listed += csv_bytes(scored.features).decode("utf-8-sig")
    report = render_report_html(trained, scored, plan_campaign(scored.frame))
    for text in written.to_list():
        assert text not in listed and text not in report
    assert not {"review_text", "service_text"} & set(scored.frame.columns)
