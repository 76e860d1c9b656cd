"""What customers write: the sentiment and complaints in review and service texts.

Texts are scored by models that ship inside their packages, so nothing downloads at run
time: Chinese with snownlp (a naive Bayes model trained on shopping reviews), English with
VADER (a sentiment lexicon). The language of a text is read from its characters (CJK share,
common English words); texts in other languages get no score (a quality note says how many).
Each distinct text is scored once per call and remembered across calls, so texts that
repeat (default reviews, "好评") cost nothing.

Per customer at a cut-off C, only texts written strictly before C count (the leakage tests
check it). The texts themselves never leave this module as features: only numbers do, and
``customer_texts`` is for the app's page of one customer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import polars as pl

from churnlab.schema import CUSTOMER_ID, REVIEW_TEXT, SERVICE_TEXT, TEXT_ROLES, TIMESTAMP

log = logging.getLogger(__name__)

ZH, EN = "zh", "en"
#: Sentiment from -1 (negative) to +1 (positive); a text at or below its language's
#: threshold is negative, at or above the positive one positive (VADER's usual ±0.05;
#: snownlp's probability below 0.3 / above 0.7).
NEGATIVE_AT = {EN: -0.05, ZH: -0.4}
POSITIVE_AT = {EN: 0.05, ZH: 0.4}
CACHE_SIZE = 1 << 17
"""Distinct texts remembered across calls (131,072): bounded, so many uploads cannot exhaust
memory (tens of MB at most for review-length texts); a shop with more distinct texts scores the
rest again on the next call."""

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_KANA_HANGUL = r"[\u3040-\u30ff\uac00-\ud7af]"
_LATIN = r"[A-Za-z]"
_OTHER_LETTERS = r"[\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0e7f]"
_ENGLISH_WORDS = (
    r"(?i)\b(the|and|is|was|it|not|very|my|to|of|for|with|this|but|no|too|so|love|good|great|"
    r"bad|poor|late|broken|refund|item|product|order|delivery|arrived|service|quality|ok|okay|"
    r"nice|excellent|terrible|awful|worst|best|never|again|thanks|thank|you|fast|slow|price|"
    r"happy|recommend|would|will|did|does|are|were|be|been|have|has|had|in|on|at|from|me|we|"
    r"they|all|just|still|what|when|why|how|please|waiting|damaged|wrong|missing|received|as|an|"
    r"i|that|there|your|can|could|get|got|like|well|really|much|more|only|also|than|after|"
    r"works|work|worked|described|money|worth|box|colour|color|size|fit|ship|shipped|sent|buy|"
    r"bought|use|used|day|days|week|weeks|arrive|parcel|package|cheap|useless|lovely)\b"
)
#: Words that say the customer complains (a late parcel, a broken item, money back ...).
COMPLAINT_WORDS_ZH = (
    "退款", "退货", "退钱", "差评", "慢", "破损", "坏了", "损坏", "投诉", "假货", "质量差",
    "不满意", "发错", "漏发", "少发", "没收到", "未收到", "延迟", "态度差", "态度不好", "骗",
    "垃圾", "失望", "再也不",
)  # fmt: skip
COMPLAINT_WORDS_EN = (
    "late", "delay", "delayed", "broken", "damaged", "refund", "refunded", "never arrived",
    "not arrived", "missing", "wrong item", "wrong size", "defective", "complaint", "complain",
    "complained", "worst", "terrible", "cancel", "cancelled", "fake", "scam", "rude",
    "disappointed", "still waiting", "money back",
)  # fmt: skip
_COMPLAINT = (
    "(?i)("
    + "|".join(COMPLAINT_WORDS_ZH)
    + r"|\b("
    + "|".join(w.replace(" ", r"\s+") for w in COMPLAINT_WORDS_EN)
    + r")\b)"
)

REVIEW, SERVICE = "review", "service"
_KIND_OF = {REVIEW_TEXT: REVIEW, SERVICE_TEXT: SERVICE}
_DAY = "_day"

REVIEW_FEATURES: tuple[str, ...] = (
    "negative_review_share_90d",
    "negative_review_share_365d",
    "last_review_sentiment",
    "days_since_negative_review",
)
COMPLAINT_FEATURES: tuple[str, ...] = (
    "complaint_texts_90d",
    "complaint_texts_365d",
    "days_since_complaint",
)


def text_columns(columns: Iterable[str]) -> list[str]:
    """The text roles present among ``columns`` (canonical event columns)."""
    present = set(columns)
    return [role for role in TEXT_ROLES if role in present]


def feature_names(columns: Iterable[str]) -> list[str]:
    """The text features a log with ``columns`` gets: none without text columns."""
    present = text_columns(columns)
    names: list[str] = []
    if REVIEW_TEXT in present:
        names += REVIEW_FEATURES
    if present:
        names += COMPLAINT_FEATURES
    return names


# --------------------------------------------------------------------------- language


def languages(texts: pl.Series) -> pl.Series:
    """The language of each text, vectorised: "zh", "en" or null (another language, or no letters) for each text, vectorised."""
    frame = pl.DataFrame({"t": texts.cast(pl.String)})
    t = pl.col("t")
    cjk = t.str.count_matches(_CJK)
    latin = t.str.count_matches(_LATIN)
    other = t.str.count_matches(_OTHER_LETTERS) + t.str.count_matches(_KANA_HANGUL)
    letters = cjk + latin + other
    out = frame.select(
        pl.when(letters == 0)
        .then(None)
        .when(t.str.contains(_KANA_HANGUL))
        .then(None)
        .when(cjk >= 0.3 * letters)
        .then(pl.lit(ZH))
        .when((other == 0) & t.str.contains(_ENGLISH_WORDS))
        .then(pl.lit(EN))
        .otherwise(None)
        .alias("language")
    )
    return out.to_series()


# --------------------------------------------------------------------------- sentiment


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _snownlp() -> Any:
    from snownlp import sentiment  # loads the bundled model once (a few seconds)

    return sentiment.classify


@lru_cache(maxsize=CACHE_SIZE)
def _score(text: str, language: str) -> float:
    if language == ZH:
        return round(2.0 * float(_snownlp()(text)) - 1.0, 6)
    return round(float(_vader().polarity_scores(text)["compound"]), 6)


def sentiment_class(score: pl.Expr, language: pl.Expr) -> pl.Expr:
    """-1 negative, 0 neutral, +1 positive (null when the text was not scored)."""
    neg = pl.when(language == ZH).then(NEGATIVE_AT[ZH]).otherwise(NEGATIVE_AT[EN])
    pos = pl.when(language == ZH).then(POSITIVE_AT[ZH]).otherwise(POSITIVE_AT[EN])
    return (
        pl.when(score.is_null())
        .then(None)
        .when(score <= neg)
        .then(-1)
        .when(score >= pos)
        .then(1)
        .otherwise(0)
        .cast(pl.Int8)
    )


def score_texts(texts: pl.Series) -> pl.DataFrame:
    """One row per distinct text: ``text``, ``language``, ``sentiment`` (-1..1, null when
    not scored), ``sentiment_class`` (-1/0/1) and ``complaint`` (complaint words found)."""
    distinct = (
        pl.DataFrame({"text": texts.cast(pl.String)})
        .drop_nulls()
        .unique(maintain_order=True)
        .sort("text")
    )
    distinct = distinct.with_columns(languages(distinct["text"]).alias("language"))
    values = [
        None if language is None else _score(text, language)
        for text, language in zip(
            distinct["text"].to_list(), distinct["language"].to_list(), strict=True
        )
    ]
    return distinct.with_columns(
        pl.Series("sentiment", values, dtype=pl.Float64),
        pl.col("text").str.contains(_COMPLAINT).alias("complaint"),
    ).with_columns(
        sentiment_class(pl.col("sentiment"), pl.col("language")).alias("sentiment_class")
    )


def clear_cache() -> None:
    """Forget every scored text (the benchmark measures a cold start)."""
    _score.cache_clear()


# --------------------------------------------------------------------------- features


def text_table(events: pl.LazyFrame | pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame | None:
    """One row per text written: customer, day, time, kind (review / service), sentiment,
    whether it is negative and whether it complains; None when the log has no text."""
    present = text_columns(columns)
    if not present:
        return None
    lf = events.lazy()
    parts = [
        lf.filter(pl.col(role).is_not_null()).select(
            pl.col(CUSTOMER_ID),
            pl.col(TIMESTAMP),
            pl.lit(_KIND_OF[role]).alias("kind"),
            pl.col(role).alias("text"),
        )
        for role in present
    ]
    rows = pl.concat(parts).collect()
    scored = score_texts(rows["text"])
    return (
        rows.join(scored, on="text", how="left")
        .select(
            pl.col(CUSTOMER_ID),
            pl.col(TIMESTAMP).dt.date().cast(pl.Int32).alias(_DAY),
            pl.col(TIMESTAMP),
            pl.col("kind"),
            pl.col("sentiment"),
            (pl.col("sentiment_class") == -1).fill_null(False).alias("negative"),
            pl.col("complaint"),
        )
        .sort(CUSTOMER_ID, TIMESTAMP, "kind", "sentiment", nulls_last=False)
    )


def cutoff_features(table: pl.DataFrame, c_day: int, columns: Iterable[str]) -> pl.LazyFrame:
    """The text features of every customer with a text in the 365 days before day ``c_day``
    (days since 1970-01-01), from texts strictly before it."""
    names = feature_names(columns)
    day = pl.col(_DAY)
    f64 = pl.Float64
    review = pl.col("kind") == REVIEW
    scored_review = review & pl.col("sentiment").is_not_null()
    negative_review = review & pl.col("negative")
    complaint = pl.col("complaint") | ((pl.col("kind") == SERVICE) & pl.col("negative"))

    def within(days: int) -> pl.Expr:
        return day >= c_day - days

    def since(mask: pl.Expr) -> pl.Expr:
        return (pl.lit(c_day, pl.Int32) - pl.when(mask).then(day).max()).cast(f64)

    def share(days: int) -> pl.Expr:
        n = (scored_review & within(days)).sum()
        k = (negative_review & within(days)).sum()
        return pl.when(n > 0).then(k.cast(f64) / n.cast(f64)).otherwise(None)

    aggs = {
        "negative_review_share_90d": share(90),
        "negative_review_share_365d": share(365),
        "last_review_sentiment": pl.col("sentiment").filter(scored_review).last().cast(f64),
        "days_since_negative_review": since(negative_review),
        "complaint_texts_90d": (complaint & within(90)).sum().cast(f64),
        "complaint_texts_365d": complaint.sum().cast(f64),
        "days_since_complaint": since(complaint),
    }
    return (
        table.lazy()
        .filter((day >= c_day - 365) & (day < c_day))
        .group_by(CUSTOMER_ID)
        .agg(aggs[name].alias(name) for name in names)
    )


def fill_absent(names: Iterable[str]) -> list[pl.Expr]:
    """Customers without texts: no complaints (0), the rest missing."""
    return [pl.col(n).fill_null(0.0) for n in names if n.startswith("complaint_texts_")]


# --------------------------------------------------------------------------- one customer


def customer_texts(
    events: pl.DataFrame, customer_id: str, before: dt.date | None = None, limit: int = 10
) -> pl.DataFrame:
    """The latest texts of one customer, newest first, for the app's customer page only:
    ``timestamp``, ``kind``, ``text``, ``sentiment_class`` (empty without text columns)."""
    empty = pl.DataFrame(
        schema={
            TIMESTAMP: pl.Datetime("us"),
            "kind": pl.String,
            "text": pl.String,
            "sentiment_class": pl.Int8,
        }
    )
    present = text_columns(events.columns)
    if not present:
        return empty
    mine = events.filter(pl.col(CUSTOMER_ID) == customer_id)
    if before is not None:
        mine = mine.filter(pl.col(TIMESTAMP) < dt.datetime.combine(before, dt.time()))
    rows = pl.concat(
        [
            mine.filter(pl.col(role).is_not_null()).select(
                pl.col(TIMESTAMP), pl.lit(_KIND_OF[role]).alias("kind"), pl.col(role).alias("text")
            )
            for role in present
        ]
    )
    rows = rows.sort(TIMESTAMP, "kind", descending=True).head(limit)
    if rows.height == 0:
        return empty
    scored = score_texts(rows["text"]).select("text", "sentiment_class")
    return rows.join(scored, on="text", how="left", maintain_order="left")
