"""The two kinds of error: bad input the user can fix (exit 2) and missing optional extras."""

from __future__ import annotations


class UnspunError(Exception):
    """Base class for every error unspun reports to the user as one line with exit code 2."""

    exit_code = 2


class BadInput(UnspunError):
    """An input file (or stdin, or an index) that cannot be used, with the reason why.

    ``str(err)`` is the one-line message the CLI prints: ``PATH: REASON``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class BadIndex(BadInput):
    """An index directory that is missing, unreadable or written by an incompatible version."""


class MissingExtra(UnspunError):
    """An optional dependency is not installed; the message says which extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this needs the '{module}' package: pip install 'unspun[{extra}]'"
        )
        self.module = module
        self.extra = extra


def require(module: str, extra: str) -> object:
    """Import ``module`` or raise :class:`MissingExtra` naming the extra that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(module, extra) from exc
