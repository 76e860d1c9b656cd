"""churnlab.logistic against scikit-learn's LogisticRegression on the same objective."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from churnlab.logistic import LogisticRegression


def _data(n: int, d: int, seed: int, strength: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = (rng.random(n) < 1 / (1 + np.exp(-(strength * X @ w - 0.5)))).astype(int)
    return X, y


@pytest.mark.parametrize(("n", "d", "C"), [(2000, 3, 1.0), (500, 1, 0.1), (1500, 40, 1.0)])
def test_the_fit_is_scikit_learns_optimum(n: int, d: int, C: float) -> None:
    X, y = _data(n, d, seed=d)
    weight = np.where(y == 1, 1.7, 1.0)
    ours = LogisticRegression(C).fit(X, y, sample_weight=weight)
    # scikit-learn stops at tol=1e-4 by default; asked to converge, it reaches the same optimum
    theirs = SkLogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-7)


def test_separable_classes_stay_finite_under_the_penalty() -> None:
    X = np.array([[-3.0], [-2.0], [-1.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = LogisticRegression(C=1e6).fit(X, y)
    p = model.predict_proba(X)[:, 1]
    assert np.all(np.isfinite(model.coef_)) and model.coef_[0, 0] > 1
    assert p[:3].max() < 0.01 and p[3:].min() > 0.99


def test_same_data_same_coefficients() -> None:
    X, y = _data(3000, 5, seed=9)
    first = LogisticRegression().fit(X, y)
    again = LogisticRegression().fit(X, y)
    assert first.coef_.tobytes() == again.coef_.tobytes()
    assert first.intercept_.tobytes() == again.intercept_.tobytes()
