"""The one error hierarchy of churnlab.

Every error a user can cause is a ``ChurnlabError`` with a message a marketer
understands and, where useful, a hint saying how to fix it. The UI shows
``str(error)`` in ``st.error``; the CLI prints ``error: <message>`` and exits 2.

    ChurnlabError
    ├── InputError            the file cannot be read as a table
    │   ├── EmptyFileError
    │   └── UnsupportedFormatError
    ├── MappingError          columns cannot be matched to roles
    ├── DataError             the data cannot support what was asked
    │   └── InsufficientHistoryError
    ├── ConfigError           a setting is out of range
    ├── ModelError            the model is missing, unfit or cannot be built
    └── BundleError           a saved model bundle is broken, tampered or from another version
"""

from __future__ import annotations

from churnlab.i18n import catalogue, t


class ChurnlabError(Exception):
    """Base class: a problem the user can understand and act on.

    Raised with a catalogue key and its values, so the app can show the message in
    the user's language while the CLI and logs read English: ``message`` and
    ``hint`` are the English texts, ``render(lang)`` gives both in any language.
    ``hint`` is a catalogue key too, formatted with the same values; a class's
    ``default_hint`` applies when none is given.
    """

    default_hint: str = ""

    def __init__(self, key: str, /, *, hint: str | None = None, **values: object) -> None:
        self.key = key
        self.hint_key = self.default_hint if hint is None else hint
        self.values = values
        self.message, self.hint = self.render("en")
        super().__init__(self.message)

    def render(self, lang: str) -> tuple[str, str]:
        """(message, hint) in ``lang``; a text that is not a key is used as it is."""
        return _text(self.key, lang, self.values), _text(self.hint_key, lang, self.values)

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as key, hint and values, so an error raised on a Dask worker reaches
        the client whole (in any language), not as an English sentence."""
        return (_rebuild, (type(self), self.key, self.hint_key, self.values))


def _rebuild(
    cls: type[ChurnlabError], key: str, hint: str, values: dict[str, object]
) -> ChurnlabError:
    return cls(key, hint=hint, **values)


def _text(key: str, lang: str, values: dict[str, object]) -> str:
    if not key:
        return ""
    if key not in catalogue()["en"]:
        return key
    return t(key, lang, **values)


class InputError(ChurnlabError):
    """The file could not be read as a table."""

    default_hint = "error.hint.InputError"


class EmptyFileError(InputError):
    """The file holds no data rows."""

    default_hint = "error.hint.EmptyFileError"


class UnsupportedFormatError(InputError):
    """The file type is not one churnlab reads."""


class MappingError(ChurnlabError):
    """Columns could not be matched to the roles churnlab needs."""

    default_hint = "error.hint.MappingError"


class DataError(ChurnlabError):
    """The data was read but cannot support the requested analysis."""


class InsufficientHistoryError(DataError):
    """The history is too short for the chosen churn horizon and look-back."""

    default_hint = "error.hint.InsufficientHistoryError"


class ConfigError(ChurnlabError):
    """A setting is outside its allowed range."""


class ModelError(ChurnlabError):
    """The model cannot be trained or used as asked."""


class BundleError(ChurnlabError):
    """A saved model bundle cannot be loaded."""

    default_hint = "error.hint.BundleError"
