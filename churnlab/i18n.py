"""The one message catalogue: every user-visible string, in English and 简体中文.

Areas keep their strings in ``churnlab/messages/<area>.py`` as two dicts ``EN``
and ``ZH`` with the same keys (a test checks it). ``t(key, lang, **values)``
formats a message; an unknown key falls back to English, then to the key.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache

import churnlab.messages as _messages_pkg

LANGUAGES: tuple[str, ...] = ("en", "zh")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "简体中文"}


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, merged from every area module."""
    merged: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for info in sorted(pkgutil.iter_modules(_messages_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"churnlab.messages.{info.name}")
        merged["en"].update(module.EN)
        merged["zh"].update(module.ZH)
    return merged


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The message for ``key`` in ``lang``, formatted with ``values``."""
    messages = catalogue()
    text = messages.get(lang, {}).get(key) or messages["en"].get(key) or key
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Message:
    """A message to show later in the reader's language: a catalogue key and its values.

    Engine results (the data-quality report, warnings) hold these instead of
    English sentences; ``text(lang)`` renders one, ``str()`` gives English.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        values = {k: _render(v, lang) for k, v in self.values.items()}
        return t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Phrases:
    """A value made of known English phrases joined by `` + `` (e.g. a detected date format).

    Each phrase is looked up as ``<prefix>.<phrase>`` and a trailing `` with time`` as
    ``<prefix>.with_time``; a phrase without a translation stays as it is.
    """

    prefix: str
    english: str

    def text(self, lang: str = "en") -> str:
        parts = []
        for phrase in self.english.split(" + "):
            timed = phrase.endswith(" with time")
            core = phrase.removesuffix(" with time")
            word = t(f"{self.prefix}.{core}", lang)
            word = core if word == f"{self.prefix}.{core}" else word
            parts.append(t(f"{self.prefix}.with_time", lang, phrase=word) if timed else word)
        return t(f"{self.prefix}.join", lang).join(parts)

    def __str__(self) -> str:
        return self.english


def _render(value: object, lang: str) -> object:
    """Values that are messages themselves are rendered in the same language."""
    return value.text(lang) if isinstance(value, Message | Phrases) else value
