"""The seed content-farm page and a look-alike fixture: which lines go, and that the rest stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, need_shared
from unspun.clean import clean
from unspun.data import CleanResult, Document

LOOKALIKE = Path(__file__).resolve().parents[1] / "fixtures" / "clean" / "lookalike.txt"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _check_farm_page(text: str) -> CleanResult:
    """The rules both pages share: headline once, junk lines gone, all else byte for byte."""
    result = clean(Document(id="page", text=text))
    paras = _paragraphs(text)
    headline = paras[0]
    assert result.title == headline
    removed = {(f.kind, f.text) for f in result.removed}
    assert [f.kind for f in result.removed].count("repeated-headline") == 2
    assert ("repeated-headline", headline) in removed
    more = next(p for p in paras if p.startswith("More news:"))
    assert ("link-line", more) in removed
    assert ("link-line", "Related news") in removed
    assert ("server-error", "[an error occurred while processing the directive]") in removed
    assert len(result.removed) == 5
    for f in result.findings:
        assert f.span.of(text) == f.text
    kept = [s.of(text) for s in result.kept]
    junk = {f.text for f in result.removed}
    expected = [headline] + [p for p in paras[1:] if p not in junk]
    assert kept == expected  # every other paragraph, byte for byte
    cosmetic = [f for f in result.findings if f.kind == "cosmetic"]
    assert all(not f.removed for f in cosmetic)
    assert any(f.text.startswith(", '") or f.text == ", '" for f in cosmetic)
    return result


def test_seed_page() -> None:
    text = need_shared(SEED).read_text(encoding="utf-8")
    result = _check_farm_page(text)
    assert any(f.detail == "space before hyphen" and f.text == " -" for f in result.findings)
    assert "Police said" not in text  # sanity: the seed is what we think it is
    assert "U.S. -Russia ties" in result.text


def test_lookalike_page() -> None:
    text = LOOKALIKE.read_text(encoding="utf-8")
    result = _check_farm_page(text)
    assert "Some residents said the two decisions were related" in result.text


@pytest.mark.parametrize("given", ["Harbour council votes to close old ferry pier - residents split",
                                   "HARBOUR COUNCIL VOTES TO CLOSE OLD FERRY PIER - RESIDENTS SPLIT"])
def test_given_title_is_kept_once(given: str) -> None:
    text = LOOKALIKE.read_text(encoding="utf-8")
    result = clean(Document(id="p", text=text, title=given))
    assert result.title == given
    assert [f.kind for f in result.removed].count("repeated-headline") == 2
    assert result.kept[0].start == 0  # the first copy stays
