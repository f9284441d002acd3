"""Plain text, stdin and encodings: every page decodes to the right characters."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ingest.builders import FIXTURES
from unspun.errors import BadInput
from unspun.ingest import read_document


def test_text_file_keeps_its_source_and_a_stable_id(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Headline\r\n\r\nFirst paragraph.\r\nSecond line.\r\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Headline\n\nFirst paragraph.\nSecond line.\n"
    assert doc.source == str(path)
    assert doc.meta == {"format": "text", "encoding": "utf-8"}
    assert doc.id == read_document(path).id and len(doc.id) == 16
    other = tmp_path / "other.txt"
    other.write_text("Headline\n", encoding="utf-8")
    assert read_document(other).id != doc.id


@pytest.mark.parametrize(("name", "encoding", "must_hold"), [
    ("cp1252.txt", "cp1252", "The minister\u2019s \u201cbold\u201d plan \u2014 a r\u00e9sum\u00e9"),
    ("cp1252.txt", "cp1252", "Z\u00fcrich \u2014 costs \u20ac5 million"),
    ("latin1.txt", "cp1252",
     "Le pr\u00e9sident fran\u00e7ais a rencontr\u00e9 le ministre \u00e0 Gen\u00e8ve"),
    ("shift_jis.txt", "cp932", "\u6771\u4eac\u90fd\u306e\u77e5\u4e8b\u306f\u6728\u66dc\u65e5"),
])
def test_legacy_encodings_decode_correctly(name: str, encoding: str, must_hold: str) -> None:
    doc = read_document(FIXTURES / name)
    assert must_hold in doc.text
    assert doc.meta["encoding"] == encoding


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_win_and_are_dropped(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("Caf\u00e9 society returns.\n".encode(encoding))
    doc = read_document(path)
    assert doc.text == "Caf\u00e9 society returns.\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"Just a plain article.\n\nWith two paragraphs.\n")
    doc = read_document("-")
    assert doc.source == "<stdin>"
    assert doc.meta["format"] == "text"
    assert doc.text.startswith("Just a plain article.")


def test_stdin_html_is_sniffed_and_extracted(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (FIXTURES / "article.html").read_bytes())
    doc = read_document("-")
    assert doc.meta["format"] == "html"
    assert doc.title == "Trump invites Putin to Washington"
    assert "<p>" not in doc.text and "Dan Coats" in doc.text


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"x" * 2000)
    with pytest.raises(BadInput, match="over the") as info:
        read_document("-", max_bytes=1000)
    assert info.value.path == "<stdin>"


def test_unknown_ending_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "download"
    page.write_bytes((FIXTURES / "article.html").read_bytes())
    assert read_document(page).meta["format"] == "html"
    note = tmp_path / "README"
    note.write_text("Nothing but words here.\n", encoding="utf-8")
    assert read_document(note).meta["format"] == "text"


def test_containers_are_refused_by_read_document(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "a"}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="iter_documents"):
        read_document(path)
