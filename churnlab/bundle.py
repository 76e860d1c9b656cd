"""The portable model bundle: a trained model plus everything needed to score later.

A bundle is a directory (or, for the app's download and upload, a .zip with the
same three members):

* ``model.ubj``     the booster in XGBoost's own UBJSON format;
* ``bundle.json``   ``format``, ``format_version``, ``churnlab_version``, ``created``
  (ISO UTC), ``model_state`` (``ChurnModel.get_state()``) and the caller's document
  (mapping, churn definition, features, calibration, metrics, drift profile...);
* ``manifest.json`` the SHA-256 and size of the other two files.

Loading never unpickles or runs code: only JSON and UBJSON are read, and the
files are checked against the manifest *before* XGBoost parses the booster
(XGBoost can crash on a corrupted model file, so a changed file must never
reach it). A manifest is a checksum, not a signature: load bundles you or your
team saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import churnlab
from churnlab._xgb import xgb
from churnlab.errors import BundleError, ModelError

logger = logging.getLogger(__name__)

FORMAT = "churnlab-bundle"
FORMAT_VERSION = 1
MODEL_FILE = "model.ubj"
DOCUMENT_FILE = "bundle.json"
MANIFEST_FILE = "manifest.json"
BUNDLE_FILES: tuple[str, ...] = (MODEL_FILE, DOCUMENT_FILE, MANIFEST_FILE)
# Keys written by churnlab itself; a caller's document cannot use them.
HEADER_KEYS: tuple[str, ...] = (
    "format",
    "format_version",
    "churnlab_version",
    "created",
    "model_state",
)
# Size limits: far above any real bundle, low enough that an upload cannot exhaust memory.
MAX_FILE_BYTES: dict[str, int] = {
    MODEL_FILE: 512 * 1024 * 1024,
    DOCUMENT_FILE: 128 * 1024 * 1024,
    MANIFEST_FILE: 64 * 1024,
}
MAX_ZIP_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass
class Bundle:
    """A loaded bundle: the model, the caller's document and where it came from."""

    model: Any
    document: dict[str, Any]
    path: Path | None
    churnlab_version: str = ""
    created: str = ""


# --------------------------------------------------------------------------- saving


def _json_default(value: Any) -> Any:
    """Turn numpy scalars/arrays, dates and paths into JSON values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be stored in a bundle")


def _dumps(value: Any) -> bytes:
    # No indent: only then does json use its C encoder (a 10M shop's 5 MB document: 0.5 -> 0.25 s).
    return json.dumps(value, default=_json_default, ensure_ascii=False).encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bundle_files(model: Any, document: dict[str, Any]) -> dict[str, bytes]:
    """The three bundle members as bytes, shared by the directory and the zip writers."""
    if not isinstance(document, dict):
        raise BundleError("error.bundle.document_not_dict", hint="error.bundle.bug.hint")
    clash = sorted(set(document) & set(HEADER_KEYS))
    if clash:
        raise BundleError(
            "error.bundle.reserved_names", hint="error.bundle.bug.hint", names=", ".join(clash)
        )
    booster = getattr(model, "booster_", None)
    if not isinstance(booster, xgb.Booster):
        raise BundleError("error.bundle.not_trained", hint="error.bundle.not_trained.hint")
    try:
        model_raw = bytes(booster.save_raw("ubj"))
        state = model.get_state()
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "churnlab_version": churnlab.__version__,
            "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "model_state": state,
        }
        document_raw = _dumps({**header, **document})
    except (TypeError, ValueError) as error:
        raise BundleError(
            "error.bundle.save_failed", hint="error.bundle.bug.hint", error=str(error)
        ) from error
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "files": {
            name: {"sha256": _sha256(raw), "bytes": len(raw)}
            for name, raw in ((MODEL_FILE, model_raw), (DOCUMENT_FILE, document_raw))
        },
    }
    return {MODEL_FILE: model_raw, DOCUMENT_FILE: document_raw, MANIFEST_FILE: _dumps(manifest)}


def _is_bundle_dir(path: Path) -> bool:
    """True for an empty folder or one holding only a churnlab bundle's files."""
    names = {entry.name for entry in path.iterdir()}
    if not names:
        return True
    if not names <= set(BUNDLE_FILES):
        return False
    manifest = path / MANIFEST_FILE
    if not manifest.is_file() or manifest.stat().st_size > MAX_FILE_BYTES[MANIFEST_FILE]:
        return False
    try:
        return json.loads(manifest.read_bytes()).get("format") == FORMAT
    except (ValueError, AttributeError):
        return False


def save_bundle(path: str | Path, model: Any, document: dict[str, Any]) -> Path:
    """Write the bundle folder atomically and return its path.

    The files go to a temporary folder next to ``path`` that is renamed into
    place, so a crash never leaves half a bundle. An existing folder is replaced
    only when it is empty or is a churnlab bundle; a file is never overwritten.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise BundleError(
            "error.bundle.target_is_file",
            hint="error.bundle.target_is_file.hint",
            target=str(target),
        )
    if target.is_dir() and not _is_bundle_dir(target):
        raise BundleError(
            "error.bundle.target_not_empty",
            hint="error.bundle.target_not_empty.hint",
            target=str(target),
        )
    files = _bundle_files(model, document)
    parent = target.parent
    tmp: Path | None = None
    old: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.saving-", dir=parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; a saved model folder is an ordinary one
        for name, raw in files.items():
            with open(tmp / name, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            old.rmdir()
            target.rename(old)
        tmp.rename(target)
    except OSError as error:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not target.exists():
            old.rename(target)
        raise BundleError(
            "error.bundle.write_failed",
            hint="error.bundle.write_failed.hint",
            target=str(target),
            error=str(error.strerror or error),
        ) from error
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    logger.info("saved model bundle to %s", target)
    return target


def bundle_to_zip_bytes(model: Any, document: dict[str, Any]) -> bytes:
    """The bundle as one .zip file (for the app's download button)."""
    files = _bundle_files(model, document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in BUNDLE_FILES:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


# --------------------------------------------------------------------------- loading


def _parse_json(raw: bytes, name: str) -> dict[str, Any]:
    def constant(value: str) -> float:
        # NaN/Infinity are allowed (metrics of a one-class snapshot can be NaN).
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]

    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BundleError("error.bundle.bad_json", name=name) from error
    if not isinstance(value, dict):
        raise BundleError("error.bundle.not_a_model", name=name)
    return value


def _check_version(header: dict[str, Any]) -> None:
    if header.get("format") != FORMAT:
        raise BundleError("error.bundle.wrong_format", hint="error.bundle.not_a_bundle.hint")
    version = header.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        saved_by = header.get("churnlab_version")
        raise BundleError(
            "error.bundle.other_version" if saved_by else "error.bundle.other_version_unknown",
            hint="error.bundle.train_again.hint",
            saved_by=str(saved_by or ""),
            version=str(version),
            current=churnlab.__version__,
            current_format=FORMAT_VERSION,
        )


def _check_members(names: set[str]) -> None:
    missing = [name for name in BUNDLE_FILES if name not in names]
    extra = sorted(names - set(BUNDLE_FILES))
    if missing:
        raise BundleError(
            "error.bundle.incomplete",
            hint="error.bundle.not_a_bundle.hint",
            names=", ".join(missing),
        )
    if extra:
        raise BundleError(
            "error.bundle.extra_files",
            hint="error.bundle.not_a_bundle.hint",
            names=", ".join(extra),
        )


def _check_manifest(files: dict[str, bytes]) -> None:
    manifest = _parse_json(files[MANIFEST_FILE], MANIFEST_FILE)
    _check_version(manifest)
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != {MODEL_FILE, DOCUMENT_FILE}:
        raise BundleError("error.bundle.bad_manifest", hint="error.bundle.train_again.hint")
    for name in (MODEL_FILE, DOCUMENT_FILE):
        entry = listed[name]
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if expected != _sha256(files[name]):
            raise BundleError("error.bundle.changed", hint="error.bundle.changed.hint", name=name)


_UBJ_SIZES: dict[int, int] = {
    ord(c): n for c, n in (("i", 1), ("U", 1), ("I", 2), ("l", 4), ("L", 8), ("d", 4), ("D", 8))
}
_UBJ_EMPTY = frozenset(b"ZNTF")
_UBJ_MAX_DEPTH = 64


class _Malformed(Exception):
    """Internal: the UBJSON bytes are not well formed."""


def _ubj_length(raw: bytes, pos: int) -> tuple[int, int]:
    """An integer length/count (marker + big-endian value) at ``pos``; returns (value, end)."""
    if pos >= len(raw) or raw[pos] not in b"iUIlL":
        raise _Malformed
    size = _UBJ_SIZES[raw[pos]]
    end = pos + 1 + size
    if end > len(raw):
        raise _Malformed
    value = int.from_bytes(raw[pos + 1 : end], "big", signed=raw[pos] != ord("U"))
    if value < 0 or value > len(raw):  # no length or count can exceed the file
        raise _Malformed
    return value, end


def _ubj_value(raw: bytes, pos: int, marker: int, depth: int) -> int:
    """Skip one value whose type marker is ``marker`` (already read); return the end."""
    if marker in _UBJ_SIZES:
        end = pos + _UBJ_SIZES[marker]
    elif marker in _UBJ_EMPTY:
        end = pos
    elif marker == ord("C"):
        end = pos + 1
    elif marker in b"SH":
        length, pos = _ubj_length(raw, pos)
        end = pos + length
    elif marker in b"[{":
        end = _ubj_container(raw, pos, marker == ord("{"), depth + 1)
    else:
        raise _Malformed
    if end > len(raw):
        raise _Malformed
    return end


def _ubj_container(raw: bytes, pos: int, is_object: bool, depth: int) -> int:
    """Skip an array or object body starting after its opening marker; return the end."""
    if depth > _UBJ_MAX_DEPTH:
        raise _Malformed
    element_type: int | None = None
    count: int | None = None
    if pos < len(raw) and raw[pos] == ord("$"):
        if pos + 1 >= len(raw):
            raise _Malformed
        element_type, pos = raw[pos + 1], pos + 2
        if pos >= len(raw) or raw[pos] != ord("#"):
            raise _Malformed
    if pos < len(raw) and raw[pos] == ord("#"):
        count, pos = _ubj_length(raw, pos + 1)
    if element_type is not None and element_type in _UBJ_SIZES and not is_object:
        end = pos + count * _UBJ_SIZES[element_type]  # a typed numeric array: one jump
        if end > len(raw):
            raise _Malformed
        return end
    index = 0
    while True:
        if count is None:
            if pos >= len(raw):
                raise _Malformed
            if raw[pos] == ord("}" if is_object else "]"):
                return pos + 1
        elif index == count:
            return pos
        if is_object:
            length, pos = _ubj_length(raw, pos)
            pos += length
            if pos > len(raw):
                raise _Malformed
        if element_type is None:
            if pos >= len(raw):
                raise _Malformed
            marker, pos = raw[pos], pos + 1
        else:
            marker = element_type
        pos = _ubj_value(raw, pos, marker, depth)
        index += 1


def _check_ubjson(raw: bytes) -> None:
    """Refuse bytes that are not one well-formed UBJSON object.

    XGBoost's parser trusts lengths and counts in the file and can crash the whole
    app on a malformed model; this pure-Python walk reads no values, only checks
    that every length stays inside the file.
    """
    try:
        if not raw or raw[0] != ord("{") or _ubj_container(raw, 1, True, 1) != len(raw):
            raise _Malformed
    except (_Malformed, IndexError, RecursionError) as error:
        raise BundleError(
            "error.bundle.model_damaged", hint="error.bundle.train_again.hint"
        ) from error


# Run in a child process: load the booster and predict once. XGBoost trusts the tree
# arrays in a model file, and a crafted file can crash the process that reads it.
_PROBE_CODE = """
import sys
import numpy as np
import xgboost as xgb
booster = xgb.Booster()
booster.load_model(bytearray(sys.stdin.buffer.read()))
n = booster.num_features()
rows = np.zeros((3, n))
rows[1] = np.nan
rows[2] = 1e6
matrix = xgb.DMatrix(rows, missing=np.nan, feature_names=booster.feature_names,
                     feature_types=booster.feature_types, enable_categorical=True)
booster.predict(matrix)
"""
PROBE_TIMEOUT_SECONDS = 120


def _probe_booster(raw: bytes) -> None:
    """Refuse a model that crashes or fails XGBoost in a separate process."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _PROBE_CODE],
            input=raw,
            capture_output=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BundleError(
            "error.bundle.probe_timeout", hint="error.bundle.train_again.hint"
        ) from error
    if result.returncode != 0:
        logger.warning("model probe failed (exit %s): %s", result.returncode, result.stderr[-500:])
        raise BundleError("error.bundle.probe_failed", hint="error.bundle.train_again.hint")


def _load_booster(raw: bytes, probe: bool) -> xgb.Booster:
    _check_ubjson(raw)
    if probe:
        _probe_booster(raw)
    booster = xgb.Booster()
    try:
        booster.load_model(bytearray(raw))
    except xgb.core.XGBoostError as error:
        raise BundleError(
            "error.bundle.xgboost_failed", hint="error.bundle.train_again.hint"
        ) from error
    return booster


def _check_features(names: Any, booster: xgb.Booster) -> None:
    """A feature list (document or model state) must match what the booster was trained on."""
    if names is None:
        return
    n_booster = booster.num_features()
    if not isinstance(names, list) or len(names) != n_booster:
        readable = isinstance(names, list)
        raise BundleError(
            "error.bundle.feature_count" if readable else "error.bundle.feature_count_unreadable",
            hint="error.bundle.train_again.hint",
            count=len(names) if readable else 0,
            n_model=int(n_booster),
        )
    if booster.feature_names is not None and list(booster.feature_names) != names:
        raise BundleError("error.bundle.feature_mismatch", hint="error.bundle.train_again.hint")


def _default_model_class() -> Any:
    from churnlab.model import ChurnModel  # imported late: model.py imports heavier modules

    return ChurnModel


def _load_files(
    files: dict[str, bytes], path: Path | None, model_class: Any | None, probe: bool
) -> Bundle:
    """Check and load the three members (already limited in size)."""
    _check_manifest(files)
    header = _parse_json(files[DOCUMENT_FILE], DOCUMENT_FILE)
    _check_version(header)
    state = header.get("model_state")
    if not isinstance(state, dict):
        raise BundleError("error.bundle.no_state", hint="error.bundle.train_again.hint")
    document = {key: value for key, value in header.items() if key not in HEADER_KEYS}
    booster = _load_booster(files[MODEL_FILE], probe)
    _check_features(document.get("feature_names"), booster)
    _check_features(state.get("feature_names"), booster)
    cls = model_class if model_class is not None else _default_model_class()
    try:
        model = cls.from_state(state, booster)
    except BundleError:
        raise
    except (ModelError, KeyError, TypeError, ValueError) as error:
        raise BundleError(
            "error.bundle.bad_state", hint="error.bundle.train_again.hint", error=str(error)
        ) from error
    return Bundle(
        model=model,
        document=document,
        path=path,
        churnlab_version=str(header.get("churnlab_version", "")),
        created=str(header.get("created", "")),
    )


def load_bundle(path: str | Path, *, model_class: Any | None = None, probe: bool = False) -> Bundle:
    """Load and verify a bundle folder (or a .zip file of one).

    ``model_class`` (default ``churnlab.model.ChurnModel``) must offer
    ``from_state(state, booster)``; tests pass a stand-in. ``probe=True`` first
    loads the booster in a child process (about a second), so that a crafted
    model file cannot crash this one: use it for bundles from other people.
    """
    source = Path(path)
    if source.is_file() and zipfile.is_zipfile(source):
        if source.stat().st_size > MAX_ZIP_BYTES:
            raise BundleError("error.bundle.file_too_large")
        bundle = load_bundle_zip(source.read_bytes(), model_class=model_class, probe=probe)
        bundle.path = source
        return bundle
    if not source.is_dir():
        raise BundleError(
            "error.bundle.not_found", hint="error.bundle.not_a_bundle.hint", path=str(source)
        )
    entries = {entry.name: entry for entry in source.iterdir()}
    _check_members(set(entries))
    files: dict[str, bytes] = {}
    for name in BUNDLE_FILES:
        entry = entries[name]
        if entry.is_symlink() or not entry.is_file():
            raise BundleError(
                "error.bundle.not_plain_file", hint="error.bundle.not_a_bundle.hint", name=name
            )
        if entry.stat().st_size > MAX_FILE_BYTES[name]:
            raise BundleError(
                "error.bundle.member_too_large", hint="error.bundle.not_a_bundle.hint", name=name
            )
        files[name] = entry.read_bytes()
    return _load_files(files, source, model_class, probe)


def _read_zip_members(data: bytes) -> dict[str, bytes]:
    """The three members of an uploaded zip, refusing paths, extras and zip bombs."""
    if len(data) > MAX_ZIP_BYTES:
        raise BundleError("error.bundle.upload_too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise BundleError(
            "error.bundle.not_a_zip", hint="error.bundle.not_a_bundle.hint"
        ) from error
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        unsafe = [
            name
            for name in names
            if "/" in name or "\\" in name or ".." in name or ":" in name or name.startswith(".")
        ]
        if unsafe or len(names) != len(set(names)):
            raise BundleError(
                "error.bundle.unsafe_zip",
                hint="error.bundle.not_a_bundle.hint",
                names=", ".join(sorted(set(unsafe)) or names),
            )
        _check_members(set(names))
        files: dict[str, bytes] = {}
        for info in infos:
            limit = MAX_FILE_BYTES[info.filename]
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limit or (
                info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO
            ):
                raise BundleError(
                    "error.bundle.zip_member_too_large",
                    hint="error.bundle.not_a_bundle.hint",
                    name=info.filename,
                )
            try:
                with archive.open(info) as member:
                    raw = member.read(limit + 1)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
                raise BundleError(
                    "error.bundle.zip_member_unreadable",
                    hint="error.bundle.not_a_bundle.hint",
                    name=info.filename,
                ) from error
            if len(raw) > limit:
                raise BundleError(
                    "error.bundle.zip_member_too_large",
                    hint="error.bundle.not_a_bundle.hint",
                    name=info.filename,
                )
            files[info.filename] = raw
    return files


def load_bundle_zip(data: bytes, *, model_class: Any | None = None, probe: bool = True) -> Bundle:
    """Load and verify a bundle uploaded as one .zip file.

    ``probe`` (on by default: uploads come from anywhere) checks the booster in a
    child process first; see ``load_bundle``.
    """
    return _load_files(_read_zip_members(data), None, model_class, probe)
