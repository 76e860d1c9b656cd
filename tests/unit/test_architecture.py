"""Guards on the shape of the code: engine free of the UI, public API, docs, lint."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

import churnlab
from churnlab import config, i18n
from tests.conftest import ROOT


def test_importing_the_engine_does_not_import_streamlit() -> None:
    code = (
        "import sys, churnlab, churnlab.cli, churnlab.pipeline, churnlab.charts;"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_scoring_imports_neither_scikit_learn_nor_the_optimiser_and_training_no_sklearn() -> None:
    """A scheduled ``score`` run should not pay imports it never uses (churnlab/_xgb.py):
    XGBoost comes without its scikit-learn wrappers, BG/NBD imports its optimiser when it
    fits. Training itself never imports scikit-learn (0.7 s and 150 MB): the baselines, the
    prior and the metrics are churnlab's own (``churnlab.logistic``, ``churnlab.evaluation``)."""
    code = (
        "import sys, churnlab.cli, churnlab.pipeline, churnlab.features;"
        "print(sorted(m for m in ('sklearn', 'scipy.optimize', 'pandas') if m in sys.modules));"
        "from churnlab._xgb import xgb; import numpy as np;"
        "b = xgb.train({'nthread': 1}, xgb.DMatrix(np.eye(4), label=[0, 1, 0, 1]), 2);"
        "from churnlab.baselines import RfmLogisticBaseline; from churnlab.bgnbd import fit;"
        "from churnlab.evaluation import evaluate;"
        "import polars as pl;"
        "X = pl.DataFrame({'recency_days': [1.0, 50, 2, 80], 'frequency': [5.0, 1, 4, 1],"
        " 'monetary': [50.0, 5, 40, 3]});"
        "p = RfmLogisticBaseline().fit(X, np.array([0, 1, 0, 1])).predict_proba(X);"
        "m = evaluate(np.array([0, 1, 0, 1]), p);"
        "print(sorted(m for m in ('sklearn', 'pandas') if m in sys.modules), len(b.get_dump()),"
        " m['roc_auc'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == ["[]", "[] 2 1.0"]


def test_no_engine_module_mentions_streamlit_imports() -> None:
    offenders = [
        path.name
        for path in (ROOT / "churnlab").rglob("*.py")
        if "import streamlit" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_public_api_names_resolve() -> None:
    for name in churnlab.__all__:
        assert getattr(churnlab, name) is not None, name
    assert sorted(churnlab.__all__) == churnlab.__all__


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in config.setting_names() if f"`{name}`" not in readme]
    assert missing == []


def test_message_catalogue_has_the_same_keys_in_every_language() -> None:
    messages = i18n.catalogue()
    assert set(messages["en"]) == set(messages["zh"])
    empty = [key for lang in i18n.LANGUAGES for key, text in messages[lang].items() if not text]
    assert empty == []


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed")
def test_ruff_is_clean() -> None:
    check = _ruff("check", ".")
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = _ruff("format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("command", ["sample", "inspect", "train", "score", "report"])
def test_every_command_prints_its_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """argparse formats help text with %: a stray "%" in a default crashed ``score --help``."""
    from churnlab.cli import main

    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert "usage:" in capsys.readouterr().out
