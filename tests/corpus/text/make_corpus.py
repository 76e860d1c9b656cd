"""Regenerate the text-bearing shop export used by tests/unit/test_text_signals.py.

Run: python tests/corpus/text/make_corpus.py   (deterministic: seeded)

``reviews.csv``: a shop log with Chinese headers — purchases (购买), reviews (评价) with a
star rating and their text in Chinese or English, service contacts (客服) with a message.
Some customers have a bad experience: a negative review or a complaint, after which most
of them stop buying; the others buy on, with reviews that are mostly kind. So what
customers write carries a churn signal that purchases alone show only later.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
START = dt.datetime(2023, 1, 1, 9, 0)
DAYS = 540
CUSTOMERS = 240

POSITIVE = {
    "zh": ["质量很好，物流也快", "非常满意，下次还来", "包装精美，性价比高", "宝贝收到了，很喜欢",
           "衣服很漂亮，穿着舒服", "东西不错，值得购买", "好评，推荐购买"],
    "en": ["Great product, love it", "Fast delivery and excellent quality",
           "Very happy with my order, would recommend", "Works perfectly, thank you",
           "Nice fit and good price", "Excellent service, will buy again"],
}  # fmt: skip
NEGATIVE = {
    "zh": ["物流太慢了，差评", "包装破损，要求退款", "质量太差了，不推荐", "收到就坏了，非常失望",
           "客服态度很差，再也不来了", "发错货了，很生气"],
    "en": ["Arrived late and broken, I want a refund", "Terrible quality, fell apart after a day",
           "Worst service ever, nobody answers", "The item was damaged and the box was wet",
           "Very disappointed, not as described"],
}  # fmt: skip
SERVICE_OK = {
    "zh": ["请问什么时候发货", "可以开发票吗", "想改一下收货地址，谢谢"],
    "en": ["When will my order ship?", "Can I get an invoice please?",
           "Please change my delivery address, thanks"],
}  # fmt: skip
SERVICE_BAD = {
    "zh": ["等了两个星期还没收到，我要投诉", "东西破损了，要求退款", "发货太慢了，什么时候能到"],
    "en": ["My parcel is late again, still waiting", "The item arrived broken, I want my money back",
           "Wrong item sent, I want a refund"],
}  # fmt: skip


def make_rows(seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    header = ["用户ID", "时间", "行为类型", "金额", "评分", "评价内容", "客服记录"]
    rows: list[list[object]] = []
    for number in range(CUSTOMERS):
        customer = f"U{10000 + number}"
        lang = "zh" if rng.random() < 0.65 else "en"
        day = rng.uniform(0, 120)
        gap = rng.uniform(15, 40)
        bad_day = rng.uniform(150, DAYS + 200) if rng.random() < 0.45 else None
        stop_day = rng.uniform(200, DAYS * 3)  # ordinary churn, independent of the texts
        if bad_day is not None and rng.random() < 0.85:
            stop_day = min(stop_day, bad_day + rng.uniform(3, 20))
        complained = False
        while day < min(DAYS, stop_day):
            when = START + dt.timedelta(days=day, minutes=rng.randint(0, 600))
            rows.append([customer, when, "购买", round(rng.gammavariate(2.0, 40.0), 2), "", "", ""])
            bad = bad_day is not None and day >= bad_day and not complained
            if bad or rng.random() < 0.35:
                later = when + dt.timedelta(days=rng.uniform(1, 4))
                if bad:
                    complained = True
                    if rng.random() < 0.5:
                        text, stars = rng.choice(NEGATIVE[lang]), rng.choice([1, 2, 3])
                        rows.append([customer, later, "评价", "", stars, text, ""])
                    else:
                        rows.append(
                            [customer, later, "客服", "", "", "", rng.choice(SERVICE_BAD[lang])]
                        )
                elif rng.random() < 0.85:
                    text = rng.choice(POSITIVE[lang])
                    rows.append([customer, later, "评价", "", rng.choice([4, 5, 5]), text, ""])
                else:
                    rows.append([customer, later, "客服", "", "", "", rng.choice(SERVICE_OK[lang])])
            day += rng.expovariate(1.0 / gap)
    rows.sort(key=lambda r: (r[1], r[0]))
    for row in rows:
        row[1] = row[1].strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[union-attr]
    return [header, *rows]


def render(seed: int = 7) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(make_rows(seed))
    return buf.getvalue().encode("utf-8")


if __name__ == "__main__":
    (HERE / "reviews.csv").write_bytes(render())
