"""What a customer of a customer table spends: the value the campaign planner needs.

An event log says what each customer spent (``monetary``, the look-back window's amounts).
A customer table has no events; its spend, when it has one, is a column such as IBM's
``MonthlyCharges``, an ``annual_spend`` or a ``月消费``. Such a column is recognised by
its name only when the name says both money and a period (a monthly *charge*, a yearly
*spend*): a ``TotalCharges`` covers an unknown span, an ``HourSpendOnApp`` is hours, and
neither is taken. The user can name the column and its period instead (the At-risk page,
``score --spend-column``). The spend is scaled to the model's look-back window, so it means
what ``monetary`` means for an event log and the planner, reports and lists need no change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from churnlab.errors import DataError

if TYPE_CHECKING:
    from churnlab.pipeline import ScoredList

#: The periods a spend column can cover, in days: a year is 365 days, as the default
#: look-back window is, so a yearly spend is the window's spend and a monthly one × 12.
PERIOD_DAYS: dict[str, float] = {
    "week": 7.0,
    "month": 365 / 12,
    "quarter": 365 / 4,
    "year": 365.0,
}

_MONEY_WORDS = frozenset(
    {
        "charge", "charges", "spend", "spending", "spent", "revenue", "amount", "bill",
        "billing", "bills", "fee", "fees", "payment", "payments", "sales", "arpu", "value",
        "subscription",
    }
)  # fmt: skip
_PERIOD_WORDS: dict[str, str] = {
    "week": "week", "weekly": "week", "weeks": "week", "wk": "week",
    "month": "month", "monthly": "month", "months": "month", "mo": "month", "mth": "month",
    "quarter": "quarter", "quarterly": "quarter", "qtr": "quarter",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "yr": "year",
    "years": "year",
}  # fmt: skip
#: Words that make a money-looking name something else: hours on an app, a count of
#: payments, a growth rate, a share.
_NOT_MONEY_WORDS = frozenset(
    {
        "hour", "hours", "count", "number", "num", "times", "percent", "pct", "hike",
        "growth", "rate", "ratio", "share", "score", "days", "change", "increase", "decrease",
        "since", "last",
    }
)  # fmt: skip
_PREFERRED = ("month", "year", "week", "quarter")
_ZH_MONEY = ("消费", "金额", "费用", "月费", "年费", "话费", "收入", "支出", "营收", "付费", "充值")
_ZH_PERIOD = (("月", "month"), ("年", "year"), ("周", "week"), ("季", "quarter"))
_ZH_NOT_MONEY = ("次数", "时长", "小时", "比例", "增长", "率", "天数", "笔数")


@dataclass(frozen=True)
class SpendSource:
    """A table column holding each customer's spend over one ``period``."""

    column: str
    period: str  # a key of PERIOD_DAYS

    @property
    def days(self) -> float:
        return PERIOD_DAYS[self.period]

    def to_dict(self) -> dict[str, str]:
        return {"column": self.column, "period": self.period}


def _words(name: str) -> list[str]:
    """``MonthlyCharges`` -> monthly, charges; ``avg_monthly_spend`` -> avg, monthly, spend."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return [w for w in re.split(r"[^A-Za-z]+", spaced.lower()) if w]


def period_of(name: str) -> str | None:
    """The period a column's name says it covers, when it names money and one period."""
    if any(ch >= "\u4e00" for ch in name):  # a Chinese header
        if any(w in name for w in _ZH_NOT_MONEY) or not any(w in name for w in _ZH_MONEY):
            return None
        found = {period for mark, period in _ZH_PERIOD if mark in name}
        return found.pop() if len(found) == 1 else None
    words = _words(name)
    if _NOT_MONEY_WORDS.intersection(words) or not _MONEY_WORDS.intersection(words):
        return None
    found = {_PERIOD_WORDS[w] for w in words if w in _PERIOD_WORDS}
    return found.pop() if len(found) == 1 else None


def spend_columns(features: pl.DataFrame, names: Sequence[str]) -> list[str]:
    """The columns a user may pick as spend: numeric, never negative, not all empty."""
    out = []
    for name in names:
        if name not in features.columns or not features.schema[name].is_numeric():
            continue
        lowest = features.get_column(name).min()
        if lowest is not None and float(lowest) >= 0:  # type: ignore[arg-type]
            out.append(name)
    return out


def guess_spend_source(features: pl.DataFrame, names: Sequence[str]) -> SpendSource | None:
    """The first usable column whose name says money and a period (monthly before yearly,
    weekly, quarterly: a monthly charge is the commonest and most current)."""
    found = [
        SpendSource(name, period)
        for name in spend_columns(features, names)
        if (period := period_of(name)) is not None
    ]
    return min(found, key=lambda s: _PREFERRED.index(s.period), default=None)


def spend_over(values: np.ndarray, source: SpendSource, lookback_days: int) -> np.ndarray:
    """Spend per ``source.period`` as spend over the look-back window (a missing one is 0)."""
    spend = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    return np.clip(spend, 0.0, None) * (lookback_days / source.days)


def with_spend(scored: ScoredList, source: SpendSource | None, lookback_days: int) -> ScoredList:
    """The list with ``monetary`` taken from ``source`` (None: without spend)."""
    frame = scored.frame.drop("monetary", strict=False)
    if source is not None:
        if source.period not in PERIOD_DAYS:
            raise DataError("error.spend.period", period=source.period)
        if source.column not in spend_columns(scored.features, [source.column]):
            raise DataError(
                "error.spend.column", hint="error.spend.column.hint", column=source.column
            )
        values = scored.features.get_column(source.column).to_numpy()
        monetary = spend_over(values, source, lookback_days)
        frame = frame.with_columns(pl.Series("monetary", np.round(monetary, 2)))
    return dataclasses.replace(scored, frame=frame, spend=source)
