"""Baselines the model must beat, reported beside it on the same evaluation rows.

* ``RecencyBaseline``: "the longer since the last purchase, the likelier the churn",
  as a one-feature logistic regression on log1p(recency_days) so that it gives
  probabilities (log loss and Brier score need them).
* ``RfmLogisticBaseline``: logistic regression on standardised log1p recency,
  frequency and monetary value.
* ``BgNbdBaseline``: BG/NBD ("buy till you die", ``churnlab.bgnbd``) fitted at each
  cut-off; its expected purchases in the horizon, as a one-feature logistic regression.
* ``TableLogisticBaseline``: logistic regression for labelled customer tables
  (numbers standardised, categories one-hot with a cap on levels, missing imputed).

Every ``predict_proba`` returns one churn probability per row (a 1-D array), like
``ChurnModel.predict_proba``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from churnlab.errors import DataError, ModelError
from churnlab.logistic import LogisticRegression

RFM = ("recency_days", "frequency", "monetary")
MAX_LEVELS = 20
"""At most this many one-hot levels per categorical column (most frequent); the rest share one."""


def _labels(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y).astype(np.int64)
    if len(y) == 0 or y.min() == y.max():
        raise DataError("error.baselines.one_class", hint="error.baselines.one_class.hint")
    return y


def _need(X: pl.DataFrame, columns: tuple[str, ...], who: str) -> None:
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise DataError(
            "error.baselines.missing_rfm",
            hint="error.baselines.missing_rfm.hint",
            name=who,
            names=", ".join(missing),
        )


def _log1p_column(X: pl.DataFrame, col: str) -> np.ndarray:
    values = X.get_column(col).cast(pl.Float64).to_numpy().astype(np.float64)
    values = np.where(np.isfinite(values), values, np.nan)
    return np.log1p(np.clip(values, 0.0, None))


def _fill(values: np.ndarray, fill: float) -> np.ndarray:
    return np.where(np.isnan(values), fill, values)


def _fitted(obj: object, name: str) -> None:
    if not hasattr(obj, "model_"):
        raise ModelError("error.baselines.not_trained", name=name)


class RecencyBaseline:
    """Churn probability from days since the last activity alone."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def _x(self, X: pl.DataFrame) -> np.ndarray:
        _need(X, ("recency_days",), "recency")
        return _fill(_log1p_column(X, "recency_days"), self.fill_)[:, None]

    def fit(self, X: pl.DataFrame, y: np.ndarray) -> RecencyBaseline:
        y = _labels(y)
        _need(X, ("recency_days",), "recency")
        raw = _log1p_column(X, "recency_days")
        # Missing recency means no activity seen: treat it as the longest gap.
        self.fill_ = float(np.nanmax(raw)) if np.any(~np.isnan(raw)) else 0.0
        self.model_ = LogisticRegression(self.C).fit(self._x(X), y)
        return self

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        _fitted(self, "recency")
        return self.model_.predict_proba(self._x(X))[:, 1]


class RfmLogisticBaseline:
    """Logistic regression on standardised log1p recency, frequency and monetary value."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def _x(self, X: pl.DataFrame) -> np.ndarray:
        _need(X, RFM, "RFM")
        cols = [_fill(_log1p_column(X, c), f) for c, f in zip(RFM, self.fill_, strict=True)]
        return (np.column_stack(cols) - self.mean_) / self.scale_

    def fit(self, X: pl.DataFrame, y: np.ndarray) -> RfmLogisticBaseline:
        y = _labels(y)
        _need(X, RFM, "RFM")
        recency = _log1p_column(X, "recency_days")
        median = float(np.nanmedian(recency)) if np.any(~np.isnan(recency)) else 0.0
        # Missing recency: the median; missing frequency/monetary: nothing bought (0).
        self.fill_ = (median, 0.0, 0.0)
        cols = [_fill(_log1p_column(X, c), f) for c, f in zip(RFM, self.fill_, strict=True)]
        raw = np.column_stack(cols)
        self.mean_ = raw.mean(axis=0)
        std = raw.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)
        self.model_ = LogisticRegression(self.C).fit(self._x(X), y)
        return self

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        _fitted(self, "RFM")
        return self.model_.predict_proba(self._x(X))[:, 1]


BGNBD_FEATURE = "bgnbd_expected_purchases"


class BgNbdBaseline:
    """Churn probability from BG/NBD's expected purchases in the horizon alone.

    The ranking is the BG/NBD model's own (fewer expected purchases, more risk); a
    one-feature logistic regression on log expected purchases turns it into calibrated
    probabilities, as the recency rule does with recency.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    @staticmethod
    def available(X: pl.DataFrame) -> bool:
        """True when the features hold BG/NBD values (a fit was possible)."""
        return BGNBD_FEATURE in X.columns and X.get_column(BGNBD_FEATURE).is_not_null().any()

    def _x(self, X: pl.DataFrame) -> np.ndarray:
        _need(X, (BGNBD_FEATURE,), "BG/NBD")
        values = X.get_column(BGNBD_FEATURE).cast(pl.Float64).to_numpy().astype(np.float64)
        values = np.where(np.isfinite(values), values, np.nan)
        return _fill(np.log(np.clip(values, 1e-6, None)), self.fill_)[:, None]

    def fit(self, X: pl.DataFrame, y: np.ndarray) -> BgNbdBaseline:
        y = _labels(y)
        _need(X, (BGNBD_FEATURE,), "BG/NBD")
        values = X.get_column(BGNBD_FEATURE).cast(pl.Float64).to_numpy().astype(np.float64)
        finite = values[np.isfinite(values)]
        # Missing: no fit at that cut-off; the median customer stands in.
        self.fill_ = float(np.median(np.log(np.clip(finite, 1e-6, None)))) if finite.size else 0.0
        self.model_ = LogisticRegression(self.C).fit(self._x(X), y)
        return self

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        _fitted(self, "BG/NBD")
        return self.model_.predict_proba(self._x(X))[:, 1]


class TableLogisticBaseline:
    """Logistic regression for a labelled customer table.

    Numeric columns: median-imputed, standardised. String columns: one-hot on the
    ``max_levels`` most frequent values, with one shared column for the rest and
    one for missing. Other column types (dates) are ignored.
    """

    def __init__(self, max_levels: int = MAX_LEVELS, C: float = 1.0) -> None:
        self.max_levels = max_levels
        self.C = C

    def fit(
        self, X: pl.DataFrame, y: np.ndarray, categorical: list[str] | None = None
    ) -> TableLogisticBaseline:
        y = _labels(y)
        cats = [c for c in (categorical or []) if c in X.columns]
        cats += [
            c for c in X.columns if X.schema[c] in (pl.String, pl.Categorical) and c not in cats
        ]
        nums = [
            c
            for c in X.columns
            if c not in cats and (X.schema[c].is_numeric() or X.schema[c] == pl.Boolean)
        ]
        if not cats and not nums:
            raise DataError("error.baselines.no_attributes")
        self.numeric_ = nums
        self.categorical_ = cats
        if nums:
            raw = X.select([pl.col(c).cast(pl.Float64) for c in nums]).to_numpy()
            raw = np.where(np.isfinite(raw), raw, np.nan)
            med = np.nanmedian(np.where(np.isnan(raw).all(axis=0), 0.0, raw), axis=0)
            self.median_ = np.where(np.isnan(med), 0.0, med)
        else:
            self.median_ = np.zeros(0)
        self.levels_: dict[str, list[str]] = {}
        for c in cats:
            counts = (
                X.select(pl.col(c).cast(pl.String))
                .drop_nulls()
                .group_by(c)
                .len()
                .sort(["len", c], descending=[True, False])
                .head(self.max_levels)
            )
            self.levels_[c] = counts[c].to_list()
        self.mean_ = np.zeros(0)
        self.scale_ = np.ones(0)
        design = self._design(X)
        n_num = len(nums)
        self.mean_ = design[:, :n_num].mean(axis=0)
        std = design[:, :n_num].std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)
        x = self._x(X)
        self.model_ = LogisticRegression(self.C).fit(x, y)
        self.centre_ = x.mean(axis=0)
        return self

    def _design(self, X: pl.DataFrame) -> np.ndarray:
        missing = [c for c in (*self.numeric_, *self.categorical_) if c not in X.columns]
        if missing:
            raise DataError("error.baselines.missing_columns", names=", ".join(missing))
        blocks: list[np.ndarray] = []
        if self.numeric_:
            raw = X.select([pl.col(c).cast(pl.Float64) for c in self.numeric_]).to_numpy()
            raw = np.where(np.isfinite(raw), raw, np.nan)
            blocks.append(np.where(np.isnan(raw), self.median_, raw))
        for c in self.categorical_:
            values = X.get_column(c).cast(pl.String)
            levels = self.levels_[c]
            onehot = [values.eq(level).fill_null(False).to_numpy() for level in levels]
            is_null = values.is_null().to_numpy()
            known = values.is_in(levels).fill_null(False).to_numpy()
            onehot.append(~known & ~is_null)  # other
            onehot.append(is_null)  # missing
            blocks.append(np.column_stack(onehot).astype(np.float64))
        return np.column_stack(blocks) if blocks else np.zeros((len(X), 0))

    def _x(self, X: pl.DataFrame) -> np.ndarray:
        design = self._design(X)
        n_num = len(self.numeric_)
        design[:, :n_num] = (design[:, :n_num] - self.mean_) / self.scale_
        return design

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        _fitted(self, "logistic")
        return self.model_.predict_proba(self._x(X))[:, 1]

    @property
    def columns(self) -> list[str]:
        """The table's columns the regression uses, in ``contributions`` order."""
        return [*self.numeric_, *self.categorical_]

    def margin(self, X: pl.DataFrame) -> np.ndarray:
        """Log-odds, one per row (the model blends them with its trees)."""
        _fitted(self, "logistic")
        return self.model_.decision_function(self._x(X))

    def contributions(self, X: pl.DataFrame) -> tuple[np.ndarray, float]:
        """Each column's share of ``margin`` against the average training row, and the base:
        ``base + values.sum(axis=1) == margin(X)``; a category's one-hot columns add up."""
        _fitted(self, "logistic")
        coef = self.model_.coef_[0]
        parts = (self._x(X) - self.centre_) * coef
        widths = self._widths()
        ends = np.cumsum(widths)
        values = (
            np.column_stack(
                [
                    parts[:, end - width : end].sum(axis=1)
                    for width, end in zip(widths, ends, strict=True)
                ]
            )
            if widths
            else np.zeros((len(X), 0))
        )
        return values, float(self.model_.intercept_[0] + coef @ self.centre_)

    def _widths(self) -> list[int]:
        """Design columns per table column, as ``_design`` lays them out: one per number; a
        category's kept levels plus "other" and "missing"."""
        return [1] * len(self.numeric_) + [len(self.levels_[c]) + 2 for c in self.categorical_]

    def to_state(self) -> dict[str, Any]:
        """Plain JSON types, for model bundles."""
        _fitted(self, "logistic")
        return {
            "max_levels": self.max_levels,
            "C": self.C,
            "numeric": list(self.numeric_),
            "categorical": list(self.categorical_),
            "median": [float(v) for v in self.median_],
            "levels": {c: list(v) for c, v in self.levels_.items()},
            "mean": [float(v) for v in self.mean_],
            "scale": [float(v) for v in self.scale_],
            "coef": [float(v) for v in self.model_.coef_[0]],
            "intercept": float(self.model_.intercept_[0]),
            "centre": [float(v) for v in self.centre_],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TableLogisticBaseline:
        model = cls(int(state["max_levels"]), float(state["C"]))
        model.numeric_ = list(state["numeric"])
        model.categorical_ = list(state["categorical"])
        model.median_ = np.asarray(state["median"], dtype=np.float64)
        model.levels_ = {c: [str(v) for v in levels] for c, levels in state["levels"].items()}
        model.mean_ = np.asarray(state["mean"], dtype=np.float64)
        model.scale_ = np.asarray(state["scale"], dtype=np.float64)
        model.centre_ = np.asarray(state["centre"], dtype=np.float64)
        width = sum(model._widths())
        coef = np.asarray(state["coef"], dtype=np.float64)
        if coef.shape != (width,) or model.centre_.shape != (width,):
            raise ValueError("the logistic part's coefficients do not fit its columns")
        model.model_ = LogisticRegression(model.C)
        model.model_.coef_ = coef.reshape(1, width)
        model.model_.intercept_ = np.array([float(state["intercept"])])
        model.model_.classes_ = np.array([0, 1])
        return model
