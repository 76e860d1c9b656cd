"""Bad and extreme exports through ``python -m churnlab``: exit 2 and one ``error:`` line.

Also the CLI's file manners: outputs written atomically, inputs never overwritten,
an output path that is an input refused, a tampered bundle refused in one line.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from churnlab.cli import main
from tests.hardening.conftest import CORPUS, assert_plain, corpus_cases
from tests.hardening.corpus.make_corpus import CASES

ROOT = Path(__file__).resolve().parents[2]
GOOD = "formula_and_html_ids.csv"


def churnlab(*args: object, process: bool = True) -> subprocess.CompletedProcess:
    """Run the CLI in a real process, or (``process=False``, faster) through ``main``."""
    argv = list(map(str, args))
    if process:
        return subprocess.run(
            [sys.executable, "-m", "churnlab", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def assert_one_error_line(result: subprocess.CompletedProcess) -> str:
    """Exit code 2 and exactly one stderr line, starting ``error: ``, in plain words."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert_plain(lines[0])
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: One file per kind of refusal, through a real process (the rest run in-process below).
SUBPROCESS_CASES = ["random_bytes.csv", "no_customer_column.csv", "all_churn.csv"]


@pytest.fixture(scope="module")
def train_runs(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """``train`` on one file per kind of refusal, two at a time."""
    out = tmp_path_factory.mktemp("cli_models")

    def run(name: str) -> tuple[subprocess.CompletedProcess, Path]:
        model = out / f"model_{name}"
        return churnlab("train", CORPUS / name, "--out", model, "--tuning-seconds", 3), model

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(SUBPROCESS_CASES, pool.map(run, SUBPROCESS_CASES), strict=True))


@pytest.fixture(scope="module")
def good_model(tmp_path_factory) -> Path:
    model = tmp_path_factory.mktemp("good") / "model"
    result = churnlab("train", CORPUS / GOOD, "--out", model, "--tuning-seconds", 3)
    assert result.returncode == 0, result.stderr
    return model


@pytest.mark.slow
@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_train_refuses_bad_files_in_one_line_and_writes_nothing(train_runs, name: str) -> None:
    result, model = train_runs[name]
    assert_one_error_line(result)
    assert not model.exists(), "a refused training must not leave a model folder"


@pytest.mark.parametrize("name", corpus_cases("error", "either"))
def test_main_refuses_every_bad_file_in_one_line(name: str, tmp_path) -> None:
    """The same contract in-process (fast): exit 2, one ``error:`` line, no model folder."""
    model = tmp_path / "model"
    result = churnlab("train", CORPUS / name, "--out", model, "--tuning-seconds", 2, process=False)
    if CASES[name] == "either" and result.returncode == 0:
        assert (model / "bundle.json").is_file()
        return
    assert_one_error_line(result)
    assert not model.exists()


@pytest.mark.parametrize(
    "name",
    [
        "empty.csv",
        "header_only.csv",
        "random_bytes.csv",
        "truncated.parquet",
        "no_table.xlsx",
        "no_customer_column.csv",
    ],
)
def test_inspect_refuses_unreadable_files_in_one_line(name: str) -> None:
    line = assert_one_error_line(churnlab("inspect", CORPUS / name, process=name == "empty.csv"))
    assert name in line or "customer" in line


def test_inspect_json_keeps_html_column_names_as_data() -> None:
    result = churnlab("inspect", CORPUS / "html_column_names.csv", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "<script>alert(1)</script>" in report["columns"]
    assert report["kind"] == "events"


def test_a_missing_file_is_one_line() -> None:
    assert_one_error_line(churnlab("inspect", CORPUS / "no_such_file.csv"))


def test_score_writes_a_neutralised_list_and_leaves_the_input_alone(good_model, tmp_path) -> None:
    source = tmp_path / GOOD
    shutil.copy(CORPUS / GOOD, source)
    before = digest(source)
    out = tmp_path / "list.csv"
    result = churnlab("score", good_model, source, "--out", out)
    assert result.returncode == 0, result.stderr
    assert digest(source) == before
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert not [line for line in text.splitlines() if line.startswith(("=", "+", "-", "@"))]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "temporary files left behind"


@pytest.mark.parametrize("target", ["input", "model"])
def test_score_refuses_to_write_over_an_input(good_model, tmp_path, target: str) -> None:
    source = tmp_path / GOOD
    shutil.copy(CORPUS / GOOD, source)
    before_input, before_model = digest(source), digest(good_model / "bundle.json")
    out = source if target == "input" else good_model
    assert_one_error_line(
        churnlab("score", good_model, source, "--out", out, process=target == "input")
    )
    assert digest(source) == before_input
    assert digest(good_model / "bundle.json") == before_model


def test_train_refuses_to_write_over_its_input(tmp_path) -> None:
    source = tmp_path / GOOD
    shutil.copy(CORPUS / GOOD, source)
    before = digest(source)
    assert_one_error_line(
        churnlab("train", source, "--out", source, "--tuning-seconds", 2, process=False)
    )
    assert digest(source) == before


def test_a_failed_score_keeps_the_previous_list(good_model, tmp_path) -> None:
    out = tmp_path / "list.csv"
    out.write_text("previous list\n")
    assert_one_error_line(
        churnlab("score", good_model, CORPUS / "empty.csv", "--out", out, process=False)
    )
    assert out.read_text() == "previous list\n"


@pytest.mark.parametrize("tamper", ["extra_file", "altered_model", "wrong_version", "features"])
def test_score_refuses_a_tampered_bundle_in_one_line(good_model, tmp_path, tamper: str) -> None:
    bundle = tmp_path / "model"
    shutil.copytree(good_model, bundle)
    if tamper == "extra_file":
        (bundle / "run_me.py").write_text("print('hi')\n")
    elif tamper == "altered_model":
        raw = bytearray((bundle / "model.ubj").read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        (bundle / "model.ubj").write_bytes(bytes(raw))
    else:  # a consistent manifest, so the deeper check is the one that refuses
        document = json.loads((bundle / "bundle.json").read_text())
        manifest = json.loads((bundle / "manifest.json").read_text())
        if tamper == "wrong_version":
            document["format_version"] = manifest["format_version"] = 999
        else:
            document["feature_names"] = document["feature_names"][:-1]
        raw = json.dumps(document).encode()
        (bundle / "bundle.json").write_bytes(raw)
        manifest["files"]["bundle.json"] = {
            "sha256": hashlib.sha256(raw).hexdigest(),
            "bytes": len(raw),
        }
        (bundle / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "list.csv"
    line = assert_one_error_line(
        churnlab("score", bundle, CORPUS / GOOD, "--out", out, process=tamper == "extra_file")
    )
    assert "model" in line.lower() or "bundle" in line.lower()
    assert not out.exists()
