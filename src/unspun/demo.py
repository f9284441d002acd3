"""The demo: index the bundled Wikinews sample, trace a bundled content-farm page, report."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from unspun.bench.sample import ATTRIBUTION, load_wikinews
from unspun.data import Document, TraceResult
from unspun.index import AddStats, Index, add_documents
from unspun.trace import trace_document

EXAMPLE = "content_farm_example.txt"


@dataclass(slots=True)
class DemoRun:
    """What the demo built and found."""

    index_path: Path
    added: AddStats
    documents: int
    result: TraceResult


def example_document() -> Document:
    """The bundled content-farm page: stitched and spun from Wikinews articles, with junk."""
    text = resources.files("unspun.resources.demo").joinpath(EXAMPLE).read_text("utf-8")
    return Document(id="demo-content-farm", text=text, source=f"<bundled>/{EXAMPLE}",
                    site="newsbuzzhub.example", meta={"notice": ATTRIBUTION})


def run_demo(out: Path) -> DemoRun:
    """Build (or reuse) the demo index under ``out`` and trace the bundled example.

    Args:
        out: Directory for the index; created when missing.

    Returns:
        The index location, what was added, and the trace result.
    """
    index_path = out / "index"
    with Index.create(index_path) as index:
        added = add_documents(index, load_wikinews())
        result = trace_document(example_document(), index=index)
        documents = len(index)
    return DemoRun(index_path, added, documents, result)
