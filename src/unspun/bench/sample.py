"""The bundled Wikinews sample (CC BY 2.5): the demo corpus and the benchmark's reference pool."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

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


def read_wikinews(path: Path) -> list[Document]:
    """Read a Wikinews JSONL file (the bundled sample's format) into documents.

    Args:
        path: A JSONL file with ``id``, ``title``, ``date``, ``url``, ``text`` per line.

    Returns:
        The documents in file order.

    Raises:
        BadInput: When the file is missing, undecodable or a line is not a valid record.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(str(path), f"cannot read: {exc.__class__.__name__}") from exc
    return _parse(lines, str(path))


def _parse(lines: list[str], name: str) -> list[Document]:
    """Parse JSONL lines, naming the line of the first bad record."""
    docs: list[Document] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{name}#line={n}", f"not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise BadInput(f"{name}#line={n}", "not a JSON object")
        docs.append(_record_to_document(record, f"{name}#line={n}"))
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
    return _parse(text.splitlines(), "unspun/resources/wikinews/wikinews.jsonl")
