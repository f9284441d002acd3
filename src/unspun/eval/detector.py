"""The interface every evaluated detector implements, and the registry that builds one by name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from unspun.data import Alignment, Document, TraceResult
from unspun.errors import UnspunError

DETECTORS = ("baseline", "unspun")


@runtime_checkable
class Detector(Protocol):
    """Something that aligns a suspect to a source, and traces a suspect against an index.

    ``align_pair`` needs no index: it compares two documents directly (PAN text alignment).
    ``fit`` builds whatever index ``trace`` needs from the reference documents.
    """

    name: str

    def align_pair(self, suspect: Document, source: Document) -> list[Alignment]:
        """Return the passages of ``suspect`` reused from ``source`` (offsets on both sides)."""
        ...

    def fit(self, references: Iterable[Document]) -> None:
        """Index the reference documents for :meth:`trace`."""
        ...

    def trace(self, suspect: Document) -> TraceResult:
        """Trace every sentence of ``suspect`` to the fitted references."""
        ...


class UnknownDetector(UnspunError):
    """A detector name that is not registered, or whose module cannot be imported."""


def get_detector(name: str) -> Detector:
    """Build a fresh detector by name.

    Args:
        name: ``"baseline"`` (exact sentence matching) or ``"unspun"`` (the real pipeline).

    Returns:
        A new, unfitted detector.

    Raises:
        UnknownDetector: When the name is unknown or the detector's module fails to import.
    """
    if name == "baseline":
        from unspun.eval.baseline import BaselineDetector

        return BaselineDetector()
    if name == "unspun":
        try:
            from unspun.eval.unspun_detector import UnspunDetector  # type: ignore[import-not-found]
        except ImportError as exc:
            raise UnknownDetector(
                f"detector 'unspun' is not available: cannot import "
                f"unspun.eval.unspun_detector ({exc})"
            ) from exc
        detector: Detector = UnspunDetector()
        return detector
    raise UnknownDetector(f"unknown detector {name!r}; choose one of: {', '.join(DETECTORS)}")
