"""XGBoost, imported without scikit-learn.

``xgboost.compat`` imports scikit-learn (and with it SciPy's statistics and pandas) only for
XGBoost's scikit-learn wrappers, which churnlab never uses: 1.4 s of every ``score`` run on a
2-core machine. For the length of that one import ``sklearn`` reads as not installed
(``sys.modules["sklearn"] = None`` makes ``import sklearn`` raise ImportError); afterwards
churnlab's own scikit-learn imports (baselines, metrics) work as usual. Every module imports
XGBoost from here so that the first import is this one.
"""

from __future__ import annotations

import sys


def _import_without_sklearn():  # type: ignore[no-untyped-def]
    if "xgboost" in sys.modules or "sklearn" in sys.modules:
        import xgboost

        return xgboost
    sys.modules["sklearn"] = None  # type: ignore[assignment]
    try:
        import xgboost
    finally:
        del sys.modules["sklearn"]
    return xgboost


xgb = _import_without_sklearn()
