"""Small reference corpora for index, trace and CLI tests, taken from the bundled Wikinews sample."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from unspun.bench.sample import load_wikinews
from unspun.data import Document


@lru_cache(maxsize=1)
def _wikinews() -> tuple[Document, ...]:
    return tuple(load_wikinews())


def wikinews(n: int, *, skip: int = 0) -> list[Document]:
    """Fresh copies of ``n`` Wikinews articles (CC BY 2.5), starting after ``skip``."""
    return [replace(d, meta=dict(d.meta)) for d in _wikinews()[skip : skip + n]]


def by_id(doc_id: str) -> Document:
    """A fresh copy of one Wikinews article by id."""
    doc = next(d for d in _wikinews() if d.id == doc_id)
    return replace(doc, meta=dict(doc.meta))


def write_jsonl(path: Path, docs: list[Document]) -> Path:
    """Write ``docs`` as JSONL records with id, title, url, date and text."""
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({"id": d.id, "title": d.title, "url": d.url, "date": d.date,
                                 "text": d.text}) + "\n")
    return path
