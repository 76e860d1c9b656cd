"""Every engine error is raised with a catalogue key, translated, with the values it needs.

The app shows errors in the user's language, so an error raised with a plain
English sentence (or a key missing a value) would reach a Chinese user untranslated
or crash the formatting. This test reads the engine's source and checks each raise.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import churnlab.errors as errors_module
from churnlab.errors import ChurnlabError, DataError, InsufficientHistoryError
from churnlab.i18n import catalogue

ENGINE = Path(errors_module.__file__).parent
ERROR_CLASSES = {
    name
    for name, value in vars(errors_module).items()
    if isinstance(value, type) and issubclass(value, ChurnlabError)
}


def _fields(template: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


def _constant_keys(node: ast.expr | None) -> list[str] | None:
    """The string keys a key argument can take, or None when it is not a literal choice."""
    if node is None:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, other = _constant_keys(node.body), _constant_keys(node.orelse)
        return None if body is None or other is None else body + other
    return None


def _raises() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ERROR_CLASSES:
                    found.append((f"{path.relative_to(ENGINE.parent)}:{node.lineno}", node.exc))
    return found


RAISES = _raises()


def test_the_engine_raises_errors() -> None:
    assert len(RAISES) > 50


@pytest.mark.parametrize(("where", "call"), RAISES, ids=[where for where, _ in RAISES])
def test_every_raise_uses_translated_keys_with_their_values(where: str, call: ast.Call) -> None:
    messages = catalogue()
    assert call.args, f"{where}: raised without a message key"
    keys = _constant_keys(call.args[0])
    assert keys, (
        f"{where}: the message must be a catalogue key (a string literal), not {ast.unparse(call.args[0])}"
    )
    hint = next((kw.value for kw in call.keywords if kw.arg == "hint"), None)
    hint_keys = _constant_keys(hint)
    if hint is not None and not (isinstance(hint, ast.Constant) and hint.value is None):
        assert hint_keys, f"{where}: the hint must be a catalogue key, not {ast.unparse(hint)}"
    passes_everything = any(kw.arg is None for kw in call.keywords)  # **values
    given = {kw.arg for kw in call.keywords if kw.arg not in (None, "hint")}
    for key in [*keys, *(hint_keys or [])]:
        if key is None:
            continue
        for lang in ("en", "zh"):
            assert key in messages[lang], f"{where}: {key!r} is missing from the {lang} catalogue"
            if not passes_everything:
                missing = _fields(messages[lang][key]) - given
                assert not missing, f"{where}: {key!r} ({lang}) needs values {sorted(missing)}"


def test_an_error_renders_in_both_languages_and_english_for_the_cli() -> None:
    error = InsufficientHistoryError("error.hint.BundleError")
    english, english_hint = error.render("en")
    chinese, chinese_hint = error.render("zh")
    assert error.message == english and english != chinese
    assert english_hint == catalogue()["en"]["error.hint.InsufficientHistoryError"]
    assert chinese_hint == catalogue()["zh"]["error.hint.InsufficientHistoryError"]
    assert str(error) == f"{english} {english_hint}"


def test_an_explicit_hint_replaces_the_default_and_shares_the_values() -> None:
    error = DataError("error.hint.InputError", hint="error.hint.MappingError")
    assert error.hint == catalogue()["en"]["error.hint.MappingError"]
    assert DataError("error.hint.InputError").hint == ""
