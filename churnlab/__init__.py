"""churnlab: churn-risk scores, reasons and campaign lists from a shop's own exports.

The public API is listed in ``__all__`` (tests check it). This package never
imports Streamlit.
"""

from __future__ import annotations

import os

# XGBoost and scikit-learn share one OpenMP runtime; its default busy-waiting makes
# XGBoost up to 100x slower on a small, shared machine. Must be set before they load.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from churnlab.config import ChurnDefinition, ScoringConfig, Settings, TrainingConfig
from churnlab.errors import (
    BundleError,
    ChurnlabError,
    ConfigError,
    DataError,
    EmptyFileError,
    InputError,
    InsufficientHistoryError,
    MappingError,
    ModelError,
    UnsupportedFormatError,
)

__version__ = "0.1.0"

__all__ = [
    "BundleError",
    "ChurnDefinition",
    "ChurnlabError",
    "ConfigError",
    "DataError",
    "EmptyFileError",
    "InputError",
    "InsufficientHistoryError",
    "MappingError",
    "ModelError",
    "ScoringConfig",
    "Settings",
    "TrainingConfig",
    "UnsupportedFormatError",
    "__version__",
]
