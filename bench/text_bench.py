"""Sentiment of 1M review texts: how long churnlab's text signals take.

Real exports repeat texts a lot (default reviews, "好评", "Great"), so the texts are drawn with
a heavy head from a pool of distinct ones built from phrase parts, two thirds Chinese, one
third English. Measured, in one process:

* loading the two bundled models (snownlp's sentiment model, VADER's lexicon);
* ``score_texts`` on the 1M texts with an empty cache (each distinct text scored once),
  then again with the cache warm;
* ``text_table`` (the per-text table the features read) and the text features at 12 cut-offs
  for 1M text events of 100k customers.

Run: python bench/text_bench.py [--rows 1000000] [--out bench/results/text-1m.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from churnlab import text_signals

ZH_OPEN = ["质量很好", "物流太慢了", "包装破损", "宝贝收到了", "衣服很漂亮", "东西一般", "客服态度很差",
           "颜色和图片一样", "尺码偏小", "性价比高", "发错货了", "收到就坏了", "非常满意"]  # fmt: skip
ZH_MID = ["", "，穿着舒服", "，要求退款", "，下次还来", "，不推荐", "，差评", "，很喜欢", "，等了很久",
          "，值得购买", "，非常失望"]  # fmt: skip
ZH_END = ["", "。", "！", "，谢谢", "，好评", "，再也不来了"]
EN_OPEN = ["Great product", "Arrived late", "The box was damaged", "Love the colour",
           "Terrible quality", "Works as described", "Wrong size sent", "Fast delivery",
           "Not worth the money", "Excellent service"]  # fmt: skip
EN_MID = ["", " and broken", ", would recommend", ", I want a refund", ", will buy again",
          ", very disappointed", ", thank you", ", nobody answers"]  # fmt: skip
EN_END = ["", ".", "!", " :)", " again."]


def texts(rows: int, seed: int = 0) -> pl.Series:
    """``rows`` texts with repetition: a pool of distinct texts (with numbered variants, as
    real reviews differ in details) drawn with Zipf-like weights."""
    rng = np.random.default_rng(seed)
    zh = [a + b + c for a in ZH_OPEN for b in ZH_MID for c in ZH_END]
    en = [a + b + c for a in EN_OPEN for b in EN_MID for c in EN_END]
    variants = [f"{t}{'' if i == 0 else f' ({i})'}" for i in range(40) for t in zh + en]
    pool = np.array(variants, dtype=object)
    weights = 1.0 / np.arange(1, pool.size + 1) ** 0.9
    rng.shuffle(pool)
    picked = rng.choice(pool.size, size=rows, p=weights / weights.sum())
    return pl.Series("text", pool[picked].tolist(), dtype=pl.String)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results/text-1m.json"))
    args = parser.parse_args()
    laps: dict[str, float] = {}

    def lap(name: str, start: float) -> None:
        laps[name] = round(time.perf_counter() - start, 3)
        print(f"{name}: {laps[name]:.2f} s", flush=True)

    start = time.perf_counter()
    series = texts(args.rows)
    lap("generate_texts_s", start)
    distinct = series.n_unique()

    start = time.perf_counter()
    text_signals._snownlp()
    text_signals._vader()
    lap("load_models_s", start)

    text_signals.clear_cache()
    start = time.perf_counter()
    scored = text_signals.score_texts(series)
    lap("score_cold_s", start)
    start = time.perf_counter()
    text_signals.score_texts(series)
    lap("score_warm_s", start)

    rng = np.random.default_rng(1)
    first = dt.datetime(2023, 1, 1)
    offsets = rng.integers(0, 540 * 86_400, args.rows)
    events = pl.DataFrame(
        {
            "customer_id": pl.Series(rng.integers(0, args.customers, args.rows)).cast(pl.String),
            "timestamp": pl.Series(np.datetime64(first, "us") + offsets * 1_000_000),
            "review_text": series,
        }
    ).with_columns(pl.lit(None, pl.String).alias("service_text"))
    text_signals.clear_cache()
    start = time.perf_counter()
    table = text_signals.text_table(events, events.columns)
    lap("text_table_cold_s", start)
    assert table is not None
    cutoffs = [dt.date(2024, 6, 1) - dt.timedelta(days=30 * i) for i in range(12)]
    day0 = dt.date(1970, 1, 1)
    start = time.perf_counter()
    frames = pl.collect_all(
        [text_signals.cutoff_features(table, (c - day0).days, events.columns) for c in cutoffs]
    )
    lap("features_12_cutoffs_s", start)

    zh = int((scored["language"] == "zh").sum())
    en = int((scored["language"] == "en").sum())
    result = {
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "polars": pl.__version__,
        },
        "rows": args.rows,
        "distinct_texts": distinct,
        "distinct_zh": zh,
        "distinct_en": en,
        "customers": args.customers,
        "feature_rows_12_cutoffs": sum(f.height for f in frames),
        "negative_share_of_rows": round(
            float(
                series.to_frame()
                .join(scored, on="text", how="left")
                .select((pl.col("sentiment_class") == -1).mean())
                .item()
            ),
            3,
        ),
        **laps,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
