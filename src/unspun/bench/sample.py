"""The bundled Wikinews sample (CC BY 2.5): the demo corpus and the benchmark's reference pool."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from unspun.data import Document
from unspun.errors import BadInput

#: The licence statement that must travel with any text taken from the sample.
ATTRIBUTION = (
    "Text from Wikinews (https://en.wikinews.org), CC BY 2.5, via the GUM/AMALGUM corpora "
    "(Georgetown University); modified: rebuilt from tokenised text, captions and tables dropped."
)
WIKINEWS_SITE = "en.wikinews.org"


def _record_to_document(record: dict[str, object], where: str) -> Document:
    """Turn one Wikinews JSON record into a :class:`Document` carrying its licence."""
    text = record.get("text")
    doc_id = record.get("id")
    if not isinstance(text, str) or not isinstance(doc_id, str) or not text.strip():
        raise BadInput(where, "record needs a non-empty string 'id' and 'text'")

    def opt(key: str) -> str | None:
        value = record.get(key)
        return value if isinstance(value, str) else None

    return Document(
        id=doc_id,
        text=text,
        title=opt("title"),
        url=opt("url"),
        site=WIKINEWS_SITE,
        date=opt("date"),
        source=where,
        meta={
            "license": opt("license") or "CC BY 2.5",
            "attribution": opt("attribution") or "Wikinews contributors",
            "notice": ATTRIBUTION,
        },
    )


def read_records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Read a JSONL file strictly: every non-blank line must be a JSON object.

    Returns:
        ``(where, record)`` pairs, ``where`` being ``path#line=N``.

    Raises:
        BadInput: When the file is missing or undecodable, or a line is not a JSON object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(str(path), f"cannot read: {exc.__class__.__name__}") from exc
    return _records(lines, str(path))


def _records(lines: list[str], name: str) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}#line={n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(where, f"not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise BadInput(where, "not a JSON object")
        out.append((where, record))
    return out


def read_wikinews(path: Path) -> list[Document]:
    """Read a Wikinews JSONL file (the bundled sample's format) into documents.

    Args:
        path: A JSONL file with ``id``, ``title``, ``date``, ``url``, ``text`` per line.

    Returns:
        The documents in file order.

    Raises:
        BadInput: When the file is missing, undecodable or a line is not a valid record.
    """
    return _documents(read_records(path), str(path))


def _documents(records: list[tuple[str, dict[str, Any]]], name: str) -> list[Document]:
    docs = [_record_to_document(record, where) for where, record in records]
    if not docs:
        raise BadInput(name, "no records")
    return docs


def load_wikinews() -> list[Document]:
    """Load the 212 bundled Wikinews articles.

    Each document has ``site="en.wikinews.org"``, keeps its original ``url``, and carries
    ``meta["license"]``, ``meta["attribution"]`` and the full licence ``meta["notice"]``.

    Returns:
        The documents in file order.
    """
    res = resources.files("unspun").joinpath("resources", "wikinews", "wikinews.jsonl")
    text = res.read_text(encoding="utf-8")
    name = "unspun/resources/wikinews/wikinews.jsonl"
    return _documents(_records(text.splitlines(), name), name)
