"""Exceptions raised by optscenes: each carries one sentence a lecturer can act on."""

from __future__ import annotations

__all__ = ["ObjectiveError", "OptimizerError", "OptscenesError", "SettingError"]


class OptscenesError(ValueError):
    """Base class of every error optscenes raises about user input."""


class ObjectiveError(OptscenesError):
    """The formula of an objective cannot be used (syntax, unknown name, too many variables)."""


class OptimizerError(OptscenesError):
    """The optimizer or its settings cannot be used (unknown name, bad keyword, bad value)."""


class SettingError(OptscenesError):
    """A setting is unknown (a misspelling, a name of another scene type) or has a value it cannot take."""
