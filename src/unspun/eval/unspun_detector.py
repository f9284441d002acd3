"""The real unspun pipeline behind the evaluation harness's detector interface."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from unspun.align import Candidate, align_sentences
from unspun.align.loose import loose_align
from unspun.align.passages import passages
from unspun.align.vectors import bags
from unspun.config import LooseConfig, TraceConfig
from unspun.data import Alignment, Document, TraceResult
from unspun.index import Index, add_documents
from unspun.text import split_sentences
from unspun.trace import trace_document


@dataclass
class UnspunDetector:
    """Pair alignment with sentence alignment plus passage fitting; tracing with an index.

    ``fit`` builds a real on-disk index in a temporary directory, so evaluation exercises the
    same code path as ``unspun index add`` followed by ``unspun trace``.
    """

    config: TraceConfig = field(default_factory=TraceConfig)
    loose: LooseConfig = field(default_factory=LooseConfig)
    min_passage_chars: int = 150
    loose_passage_chars: int = 0
    max_sentence_chars: int = 250
    name: str = "unspun"
    _index: Index | None = field(default=None, repr=False)
    _tmp: Path | None = field(default=None, repr=False)

    def align_pair(self, suspect: Document, source: Document) -> list[Alignment]:
        """Passages of ``suspect`` reused from ``source``; texts are taken as they are.

        The strict sentence aligner runs first; when it finds nothing, the loose aligner
        looks for obfuscated reuse (shuffled, translated or heavily spun passages).
        """
        s_sents = split_sentences(suspect.text, max_chars=self.max_sentence_chars)
        r_sents = split_sentences(source.text, max_chars=self.max_sentence_chars)
        cand = Candidate(source, r_sents)
        traces = align_sentences(suspect.text, s_sents, [cand], self.config.align)
        found = passages(suspect.text, source.text, source.id, traces,
                         min_chars=self.min_passage_chars)
        if found:
            return found
        traces = loose_align(s_sents, bags(suspect.text, s_sents), source.id, r_sents,
                             cand.get_bags(), self.loose)
        return passages(suspect.text, source.text, source.id, traces,
                        min_chars=self.loose_passage_chars, fit=False)

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
        return {"config": self.config, "loose": self.loose, "min_passage_chars": self.min_passage_chars,
                "loose_passage_chars": self.loose_passage_chars,
                "max_sentence_chars": self.max_sentence_chars,
                "name": self.name, "_index": None, "_tmp": None}
