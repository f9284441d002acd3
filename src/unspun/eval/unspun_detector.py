"""The real unspun pipeline behind the evaluation harness's detector interface."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from unspun.config import TraceConfig
from unspun.data import Alignment, Document, TraceResult
from unspun.errors import BadInput
from unspun.index import Index, add_documents
from unspun.trace import align_pair, trace_document


@dataclass
class UnspunDetector:
    """Exactly what the product runs: ``unspun align`` for pairs, ``index add`` + ``trace``.

    ``align_pair`` is :func:`unspun.trace.align_pair`; ``fit`` builds a real on-disk index in a
    temporary directory and ``trace`` is :func:`unspun.trace.trace_document`, so evaluation
    exercises the same code, with the same settings, as the command line.
    """

    config: TraceConfig = field(default_factory=TraceConfig)
    name: str = "unspun"
    _index: Index | None = field(default=None, repr=False)
    _tmp: Path | None = field(default=None, repr=False)

    def align_pair(self, suspect: Document, source: Document) -> list[Alignment]:
        """Passages of ``suspect`` reused from ``source`` (none for an empty suspect)."""
        try:
            return align_pair(suspect, source, config=self.config)
        except BadInput:
            return []

    def fit(self, references: Iterable[Document]) -> None:
        """Index ``references`` into a fresh temporary index."""
        self.close()
        self._tmp = Path(tempfile.mkdtemp(prefix="unspun-eval-"))
        self._index = Index.create(self._tmp / "index")
        add_documents(self._index, references)

    def trace(self, suspect: Document) -> TraceResult:
        """Trace ``suspect`` against the fitted index."""
        if self._index is None:
            raise RuntimeError("call fit() before trace()")
        return trace_document(suspect, index=self._index, config=self.config)

    def close(self) -> None:
        """Release the temporary index."""
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __getstate__(self) -> dict[str, object]:
        return {"config": self.config, "name": self.name, "_index": None, "_tmp": None}
