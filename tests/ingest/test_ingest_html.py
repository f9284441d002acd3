"""HTML pages: the article text without page furniture, with title, date, URL and site."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.builders import FIXTURES
from unspun.errors import BadInput
from unspun.ingest import html as html_module
from unspun.ingest import read_document
from unspun.ingest.html import html_document, looks_like_html


@pytest.fixture(scope="module")
def article():
    return read_document(FIXTURES / "article.html")


def test_main_content_is_kept_and_furniture_dropped(article) -> None:
    for must in ("President Donald Trump has invited Russian President Vladimir Putin",
                 "according to people familiar with the planning.",
                 "More news: Hamas accepts cease-fire"):  # junk inside the article stays
        assert must in article.text
    for must_not in ("Privacy policy", "Ten tips for a better garden", "do-not-extract",
                     "Subscribe now", "All rights reserved"):
        assert must_not not in article.text


def test_paragraphs_are_separated_by_blank_lines(article) -> None:
    blocks = article.text.split("\n\n")
    assert len(blocks) == 6  # the headline and five paragraphs
    assert all("\n" not in block for block in blocks)
    assert blocks[1].startswith("President Donald Trump")


def test_metadata(article) -> None:
    assert article.title == "Trump invites Putin to Washington"
    assert article.date == "2018-07-20"
    assert article.url == "https://www.dailywirefarm.example/world/trump-invites-putin"
    assert article.site == "dailywirefarm.example"
    assert article.meta["sitename"] == "The Daily Wire Farm"
    assert article.meta["extractor"] == "trafilatura"


def test_declared_shift_jis_page() -> None:
    doc = read_document(FIXTURES / "shift_jis.html")
    assert doc.meta["encoding"] == "shift_jis"
    assert "\u8a18\u8005\u4f1a\u898b\u3067\u65b0\u3057\u3044\u653f\u7b56" in doc.text


def test_wrong_meta_charset_falls_back_to_detection() -> None:
    page = ("<html><head><meta charset='utf-8'><title>x</title></head><body><article>"
            "<p>The caf\u00e9\u2019s owner said the \u201cnew\u201d rules were na\u00efve and "
            "would cost every shop in the district a great deal of money this year.</p>"
            "</article></body></html>").encode("cp1252")
    doc = html_document(page, source="wrong.html")
    assert "caf\u00e9\u2019s owner" in doc.text
    assert doc.meta["encoding"] == "cp1252"


def test_selectolax_fallback_when_trafilatura_finds_nothing(monkeypatch) -> None:
    monkeypatch.setattr(html_module, "_trafilatura", lambda page, url: {})
    doc = read_document(FIXTURES / "article.html")
    assert doc.meta["extractor"] == "selectolax"
    assert "Dan Coats said Thursday" in doc.text
    assert "Privacy policy" not in doc.text  # the footer is stripped
    assert "\n\n" in doc.text


@pytest.mark.parametrize(("name", "reason"), [
    ("notes.html", "not HTML: no tags found"),
    ("scripts-only.html", "malformed HTML: no text could be extracted"),
])
def test_pages_without_text(name: str, reason: str) -> None:
    with pytest.raises(BadInput) as info:
        read_document(FIXTURES / name)
    assert info.value.reason == reason
    assert info.value.path.endswith(name)


def test_broken_markup_still_yields_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Unclosed paragraph about the harbour strike that "
                    "began on Monday and closed the port for three days<div><p>Second <b>bold "
                    "claim</p></table></body>", encoding="utf-8")
    doc = read_document(path)
    assert "harbour strike" in doc.text


@pytest.mark.parametrize(("text", "expected"), [
    ("<!DOCTYPE html><html><body>x</body></html>", True),
    ("  <html lang='en'>", True),
    ("<div><p>one</p><p>two</p></div>", True),
    ("Prices rose 3% <year on year> in May.", False),
    ("Plain words only.", False),
])
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_list_items_are_lines_without_bullets() -> None:
    filler = "Milk prices paid to dairy farmers fell again this spring, co-ops said. " * 4
    page = (f"<html><body><article><p>{filler}</p><h3>Related stories</h3><ul>"
            "<li>Farm incomes fall for second year</li><li>Minister to meet - farm leaders</li>"
            f"</ul><p>{filler}</p></article></body></html>")
    doc = html_document(page, source="list.html")
    assert "\n\nFarm incomes fall for second year\nMinister to meet - farm leaders\n\n" in doc.text
    assert "- Farm" not in doc.text
