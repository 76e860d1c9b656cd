"""Tests for churnlab.bundle: round trips, atomic saves, and every way a bundle is refused."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import xgboost as xgb

import churnlab
from churnlab import bundle as bundle_module
from churnlab.bundle import (
    BUNDLE_FILES,
    DOCUMENT_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    Bundle,
    bundle_to_zip_bytes,
    load_bundle,
    load_bundle_zip,
    save_bundle,
)
from churnlab.errors import BundleError

FEATURES = ["recency_days", "frequency", "monetary"]


class StandInModel:
    """The three members of ChurnModel that bundles use, around a real booster."""

    def __init__(self, booster: xgb.Booster, feature_names: list[str], threshold: float) -> None:
        self.booster_ = booster
        self.feature_names_ = feature_names
        self.threshold_ = threshold

    def get_state(self) -> dict[str, Any]:
        return {"feature_names": self.feature_names_, "threshold": self.threshold_}

    @classmethod
    def from_state(cls, state: dict[str, Any], booster: xgb.Booster) -> StandInModel:
        return cls(booster, list(state["feature_names"]), float(state["threshold"]))

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        matrix = xgb.DMatrix(X.select(self.feature_names_).to_numpy(), missing=np.nan)
        return self.booster_.predict(matrix)


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(42)
    n = 200
    return pl.DataFrame(
        {
            "recency_days": rng.exponential(60, n),
            "frequency": rng.poisson(3, n).astype(float),
            "monetary": rng.gamma(2, 50, n),
        }
    )


@pytest.fixture(scope="module")
def model(frame: pl.DataFrame) -> StandInModel:
    rng = np.random.default_rng(0)
    y = (frame["recency_days"].to_numpy() + rng.normal(0, 20, frame.height) > 60).astype(int)
    matrix = xgb.DMatrix(frame.to_numpy(), label=y)
    booster = xgb.train(
        {"max_depth": 2, "objective": "binary:logistic", "seed": 0, "nthread": 1},
        matrix,
        num_boost_round=5,
    )
    return StandInModel(booster, FEATURES, 0.42)


@pytest.fixture
def document() -> dict[str, Any]:
    return {
        "feature_names": FEATURES,
        "categorical": [],
        "churn": {"horizon_days": 90, "activity": ["purchase"], "lookback_days": 365},
        "metrics": {"roc_auc": 0.8, "lift": {"5": 3.1}, "n": 200},
        "mapping": {"Customer ID": "customer_id"},
        "note": "多语言 text survives",
    }


def _load(path: Path) -> Bundle:
    return load_bundle(path, model_class=StandInModel)


def _rewrite(path: Path, name: str, raw: bytes) -> None:
    """Replace a member and fix the manifest, as if another version had written it."""
    (path / name).write_bytes(raw)
    manifest = json.loads((path / MANIFEST_FILE).read_bytes())
    manifest["files"][name]["sha256"] = hashlib.sha256(raw).hexdigest()
    (path / MANIFEST_FILE).write_text(json.dumps(manifest))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, raw in members.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


# --------------------------------------------------------------------------- round trips


def test_round_trip_gives_identical_predictions_and_document(
    tmp_path: Path, model: StandInModel, frame: pl.DataFrame, document: dict[str, Any]
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    assert sorted(p.name for p in path.iterdir()) == sorted(BUNDLE_FILES)
    loaded = _load(path)
    assert loaded.document == document
    assert loaded.path == path
    assert loaded.churnlab_version == churnlab.__version__
    assert loaded.created.endswith("+00:00")
    assert loaded.model.threshold_ == 0.42
    np.testing.assert_array_equal(loaded.model.predict_proba(frame), model.predict_proba(frame))


def test_bundle_json_has_the_header(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    header = json.loads((path / DOCUMENT_FILE).read_text("utf-8"))
    assert header["format"] == "churnlab-bundle"
    assert header["format_version"] == 1
    assert header["churnlab_version"] == churnlab.__version__
    assert header["model_state"] == model.get_state()
    manifest = json.loads((path / MANIFEST_FILE).read_text())
    for name in (MODEL_FILE, DOCUMENT_FILE):
        raw = (path / name).read_bytes()
        assert manifest["files"][name]["sha256"] == hashlib.sha256(raw).hexdigest()


def test_numpy_values_in_the_document_are_stored_as_json(
    tmp_path: Path, model: StandInModel
) -> None:
    doc = {"base_rate": np.float64(0.25), "edges": np.array([1.0, 2.0]), "n": np.int64(3)}
    loaded = _load(save_bundle(tmp_path / "m", model, doc))
    assert loaded.document == {"base_rate": 0.25, "edges": [1.0, 2.0], "n": 3}


def test_zip_round_trip(model: StandInModel, frame: pl.DataFrame, document: dict[str, Any]) -> None:
    data = bundle_to_zip_bytes(model, document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted(BUNDLE_FILES)
    loaded = load_bundle_zip(data, model_class=StandInModel, probe=False)
    assert loaded.document == document
    assert loaded.path is None
    np.testing.assert_array_equal(loaded.model.predict_proba(frame), model.predict_proba(frame))


def test_load_bundle_accepts_a_zip_file_path(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    target = tmp_path / "model.zip"
    target.write_bytes(bundle_to_zip_bytes(model, document))
    loaded = _load(target)
    assert loaded.document == document
    assert loaded.path == target


# --------------------------------------------------------------------------- saving safely


def test_save_overwrites_an_existing_bundle(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    save_bundle(path, model, {**document, "note": "second"})
    assert _load(path).document["note"] == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no temporary folders left


def test_save_refuses_a_file_and_a_foreign_folder(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    with pytest.raises(BundleError, match="is a file"):
        save_bundle(a_file, model, document)
    assert a_file.read_text() == "keep me"
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(BundleError, match="other files"):
        save_bundle(foreign, model, document)
    assert [p.name for p in foreign.iterdir()] == ["cat.jpg"]


def test_failed_save_keeps_the_old_bundle_and_leaves_no_temporary_folder(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    before = {name: (path / name).read_bytes() for name in BUNDLE_FILES}
    with pytest.raises(BundleError, match="could not be saved"):
        save_bundle(path, model, {**document, "bad": object()})
    with pytest.raises(BundleError, match="reserved"):
        save_bundle(path, model, {**document, "format": "mine"})
    assert {name: (path / name).read_bytes() for name in BUNDLE_FILES} == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_failed_rename_restores_nothing_half_written(
    tmp_path: Path,
    model: StandInModel,
    document: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    before = (path / DOCUMENT_FILE).read_bytes()
    real_rename = Path.rename

    def failing_rename(self: Path, target: Path) -> Path:
        if ".saving-" in self.name:
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(BundleError, match="No space left"):
        save_bundle(path, model, {**document, "note": "new"})
    monkeypatch.undo()
    assert (path / DOCUMENT_FILE).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_untrained_model_is_refused(tmp_path: Path) -> None:
    class Untrained:
        booster_ = None

    with pytest.raises(BundleError, match="not been trained"):
        save_bundle(tmp_path / "m", Untrained(), {})


# --------------------------------------------------------------------------- tampering


@pytest.fixture
def saved(tmp_path: Path, model: StandInModel, document: dict[str, Any]) -> Path:
    return save_bundle(tmp_path / "model", model, document)


def test_changed_model_byte_is_refused_before_xgboost_reads_it(saved: Path) -> None:
    raw = bytearray((saved / MODEL_FILE).read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # XGBoost itself may crash on this; the hash must stop it
    (saved / MODEL_FILE).write_bytes(bytes(raw))
    with pytest.raises(BundleError, match="changed after it was saved"):
        _load(saved)


def test_changed_document_is_refused(saved: Path) -> None:
    text = (saved / DOCUMENT_FILE).read_text("utf-8").replace("0.8", "0.99")
    (saved / DOCUMENT_FILE).write_text(text, "utf-8")
    with pytest.raises(BundleError, match="changed after it was saved"):
        _load(saved)


@pytest.mark.parametrize("extra", ["notes.txt", "model.pkl"])
def test_extra_file_is_refused(saved: Path, extra: str) -> None:
    (saved / extra).write_bytes(pickle.dumps({"evil": True}))
    with pytest.raises(BundleError, match=f"did not write: {extra}"):
        _load(saved)


@pytest.mark.parametrize("name", BUNDLE_FILES)
def test_missing_file_is_refused(saved: Path, name: str) -> None:
    (saved / name).unlink()
    with pytest.raises(BundleError, match=f"{name} is missing"):
        _load(saved)


def test_pickle_in_place_of_the_model_is_refused(saved: Path) -> None:
    (saved / MODEL_FILE).write_bytes(pickle.dumps({"evil": True}))
    with pytest.raises(BundleError, match="changed after it was saved"):
        _load(saved)
    _rewrite(saved, MODEL_FILE, pickle.dumps({"evil": True}))  # even with a forged manifest
    with pytest.raises(BundleError, match="damaged"):
        _load(saved)


@pytest.mark.parametrize("version", [0, 2, "1", None])
def test_other_format_versions_are_refused(saved: Path, version: Any) -> None:
    header = json.loads((saved / DOCUMENT_FILE).read_bytes())
    header["format_version"] = version
    header["churnlab_version"] = "9.9.9"
    _rewrite(saved, DOCUMENT_FILE, json.dumps(header).encode())
    with pytest.raises(BundleError, match=r"saved by churnlab 9\.9\.9.*Train it again"):
        _load(saved)


def test_newer_manifest_version_is_refused_before_anything_else(saved: Path) -> None:
    manifest = json.loads((saved / MANIFEST_FILE).read_bytes())
    manifest["format_version"] = 2
    (saved / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match=f"this is churnlab {churnlab.__version__}"):
        _load(saved)


def test_wrong_format_is_refused(saved: Path) -> None:
    header = json.loads((saved / DOCUMENT_FILE).read_bytes())
    header["format"] = "someone-else"
    _rewrite(saved, DOCUMENT_FILE, json.dumps(header).encode())
    with pytest.raises(BundleError, match="not a churnlab model bundle"):
        _load(saved)


@pytest.mark.parametrize("name", [DOCUMENT_FILE, MANIFEST_FILE])
def test_non_json_is_refused(saved: Path, name: str) -> None:
    if name == DOCUMENT_FILE:
        _rewrite(saved, name, b"{not json")
    else:
        (saved / name).write_bytes(b"\x80\x04not json")
    with pytest.raises(BundleError, match="not valid JSON"):
        _load(saved)


def test_feature_list_not_matching_the_booster_is_refused(saved: Path) -> None:
    header = json.loads((saved / DOCUMENT_FILE).read_bytes())
    header["feature_names"] = [*FEATURES, "extra_feature"]
    _rewrite(saved, DOCUMENT_FILE, json.dumps(header).encode())
    with pytest.raises(BundleError, match="lists 4 features but its model uses 3"):
        _load(saved)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="No model bundle was found"):
        _load(tmp_path / "nowhere")


# --------------------------------------------------------------------------- zip uploads


def _members(model: StandInModel, document: dict[str, Any]) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_to_zip_bytes(model, document))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("evil", ["../evil", "../model.ubj", "sub/model.ubj", "/etc/passwd"])
def test_zip_with_paths_is_refused(
    model: StandInModel, document: dict[str, Any], evil: str
) -> None:
    members = _members(model, document)
    members[evil] = b"x"
    with pytest.raises(BundleError, match="unsafe file names"):
        load_bundle_zip(_zip(members), model_class=StandInModel)


def test_zip_with_an_extra_or_missing_member_is_refused(
    model: StandInModel, document: dict[str, Any]
) -> None:
    members = _members(model, document)
    with pytest.raises(BundleError, match=r"did not write: model\.pkl"):
        load_bundle_zip(_zip({**members, "model.pkl": b"x"}), model_class=StandInModel)
    del members[MANIFEST_FILE]
    with pytest.raises(BundleError, match=r"manifest\.json is missing"):
        load_bundle_zip(_zip(members), model_class=StandInModel)


def test_bundle_errors_read_in_chinese_with_the_file_name_kept(
    model: StandInModel, document: dict[str, Any]
) -> None:
    members = _members(model, document)
    with pytest.raises(BundleError) as caught:
        load_bundle_zip(_zip({**members, "model.pkl": b"x"}), model_class=StandInModel)
    message, hint = caught.value.render("zh")
    english, english_hint = caught.value.render("en")
    assert "model.pkl" in message and "模型包" in message and message != english
    assert english_hint == "Choose the folder or .zip file that churnlab saved for the model."
    assert hint and hint != english_hint
    with pytest.raises(BundleError) as caught:
        load_bundle_zip(b"not a zip", model_class=StandInModel)
    assert caught.value.render("zh")[0] == "上传的文件不是 .zip 格式的模型包。"


def test_zip_bomb_is_refused(model: StandInModel, document: dict[str, Any]) -> None:
    members = _members(model, document)
    members[MANIFEST_FILE] = b" " * (5 * 1024 * 1024)  # compresses ~1000:1, over the size cap
    with pytest.raises(BundleError, match="too large"):
        load_bundle_zip(_zip(members), model_class=StandInModel)


def test_zip_lying_about_its_size_is_refused(model: StandInModel, document: dict[str, Any]) -> None:
    data = bytearray(_zip(_members(model, document)))
    # Declare a huge uncompressed size in the central directory entry of manifest.json.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(MANIFEST_FILE)
    patched = 0
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        name = bytes(data[position + 46 : position + 46 + name_length]).decode()
        if name == info.filename:
            data[position + 24 : position + 28] = (2**31).to_bytes(4, "little")
            patched += 1
        position = data.find(b"PK\x01\x02", position + 4)
    assert patched == 1
    with pytest.raises(BundleError, match="too large"):
        load_bundle_zip(bytes(data), model_class=StandInModel)


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(BundleError, match=r"not a \.zip model bundle"):
        load_bundle_zip(b"PK\x03\x04 definitely not a zip", model_class=StandInModel)


def test_changed_zip_member_is_refused(model: StandInModel, document: dict[str, Any]) -> None:
    members = _members(model, document)
    members[DOCUMENT_FILE] = members[DOCUMENT_FILE].replace(b"0.8", b"0.9")
    with pytest.raises(BundleError, match="changed after it was saved"):
        load_bundle_zip(_zip(members), model_class=StandInModel)


# --------------------------------------------------------------------------- no code execution


def test_bundle_module_never_imports_pickle_or_runs_code() -> None:
    tree = ast.parse(Path(bundle_module.__file__).read_text("utf-8"))
    imported: set[str] = set()
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
    assert imported, "the source was not parsed"
    assert not imported & {"pickle", "joblib", "dill", "cloudpickle", "marshal", "shelve"}
    assert not called & {"eval", "exec", "compile", "__import__"}


# --------------------------------------------------------------------------- the real model


def test_round_trip_with_the_real_churn_model(tmp_path: Path, frame: pl.DataFrame) -> None:
    from churnlab.config import TrainingConfig
    from churnlab.model import ChurnModel

    rng = np.random.default_rng(7)
    X = frame.with_columns(
        pl.Series("tier", [("gold", "silver", None)[i] for i in rng.integers(0, 3, frame.height)])
    )
    y = (frame["recency_days"].to_numpy() > 60).astype(np.int8)
    model = ChurnModel(TrainingConfig(seed=0)).fit(
        X, y, categorical=["tier"], params={"max_depth": 2, "nthread": 1}, n_trees=5
    )
    document = {"feature_names": [*FEATURES, "tier"], "categorical": ["tier"]}
    loaded = load_bundle(save_bundle(tmp_path / "real", model, document))
    assert isinstance(loaded.model, ChurnModel)
    assert loaded.document == document
    np.testing.assert_allclose(
        loaded.model.predict_proba(X), model.predict_proba(X), rtol=0, atol=0
    )
    from_zip = load_bundle_zip(bundle_to_zip_bytes(model, document), probe=False)
    np.testing.assert_array_equal(from_zip.model.predict_proba(X), model.predict_proba(X))


def test_model_state_that_the_model_rejects_becomes_a_bundle_error(saved: Path) -> None:
    header = json.loads((saved / DOCUMENT_FILE).read_bytes())
    header["model_state"] = {"feature_names": FEATURES}  # no threshold
    _rewrite(saved, DOCUMENT_FILE, json.dumps(header).encode())
    with pytest.raises(BundleError, match="could not be used"):
        _load(saved)


# --------------------------------------------------------------------------- damaged models


@pytest.mark.slow
def test_the_real_probe_accepts_a_good_categorical_model(
    tmp_path: Path, frame: pl.DataFrame
) -> None:
    from churnlab.config import TrainingConfig
    from churnlab.model import ChurnModel

    X = frame.with_columns(pl.Series("tier", ["a", "b", None, "c"] * (frame.height // 4)))
    y = (frame["recency_days"].to_numpy() > 60).astype(np.int8)
    model = ChurnModel(TrainingConfig(seed=0)).fit(
        X, y, categorical=["tier"], params={"max_depth": 2, "nthread": 1}, n_trees=3
    )
    loaded = load_bundle_zip(bundle_to_zip_bytes(model, {}))  # probes in a child process
    np.testing.assert_array_equal(loaded.model.predict_proba(X), model.predict_proba(X))


def test_model_bytes_that_are_not_well_formed_ubjson_are_refused(saved: Path) -> None:
    raw = (saved / MODEL_FILE).read_bytes()
    for damaged in (raw[:-1], raw[: len(raw) // 2], raw + b"}", b"[" + raw[1:]):
        _rewrite(saved, MODEL_FILE, damaged)  # forged manifest: only the UBJSON walk stops it
        with pytest.raises(BundleError, match="damaged"):
            _load(saved)


def test_probe_refuses_a_model_that_crashes_xgboost(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
    monkeypatch.setattr(bundle_module, "_PROBE_CODE", crash)
    with pytest.raises(BundleError, match="XGBoost cannot use it"):
        load_bundle(saved, model_class=StandInModel, probe=True)
    assert _load(saved).document  # without the probe the (fine) model loads


def test_uploads_are_probed_by_default(
    model: StandInModel, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_module, "_PROBE_CODE", "raise SystemExit(3)")
    with pytest.raises(BundleError, match="XGBoost cannot use it"):
        load_bundle_zip(bundle_to_zip_bytes(model, document), model_class=StandInModel)


def test_save_refuses_a_bundle_folder_with_extra_files(
    tmp_path: Path, model: StandInModel, document: dict[str, Any]
) -> None:
    path = save_bundle(tmp_path / "model", model, document)
    (path / "my_notes.txt").write_text("keep")
    with pytest.raises(BundleError, match="other files"):
        save_bundle(path, model, document)
    assert (path / "my_notes.txt").read_text() == "keep"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _load(save_bundle(empty, model, document)).document == document
