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


class ChurnlabError(Exception):
    """Base class: a problem the user can understand and act on."""

    default_hint: str = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = self.default_hint if hint is None else hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message


class InputError(ChurnlabError):
    """The file could not be read as a table."""

    default_hint = "Export the data again as CSV, Excel, Parquet or JSON and upload that file."


class EmptyFileError(InputError):
    """The file holds no data rows."""

    default_hint = "Check that you exported the right report and that it has rows below the header."


class UnsupportedFormatError(InputError):
    """The file type is not one churnlab reads."""


class MappingError(ChurnlabError):
    """Columns could not be matched to the roles churnlab needs."""

    default_hint = "Choose the right column for each role (CLI: --map role=column)."


class DataError(ChurnlabError):
    """The data was read but cannot support the requested analysis."""


class InsufficientHistoryError(DataError):
    """The history is too short for the chosen churn horizon and look-back."""

    default_hint = "Use a shorter horizon, or export a longer period of history."


class ConfigError(ChurnlabError):
    """A setting is outside its allowed range."""


class ModelError(ChurnlabError):
    """The model cannot be trained or used as asked."""


class BundleError(ChurnlabError):
    """A saved model bundle cannot be loaded."""

    default_hint = "Train the model again with this version of churnlab and save a new bundle."
