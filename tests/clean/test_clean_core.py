"""clean() as a whole: titles, duplicates, inline errors, kept spans, config, site profiles."""

from __future__ import annotations

import pytest

from unspun.clean import CleanConfig, clean, learn_site_profile
from unspun.data import Document

BODY = ("The council voted on Tuesday to close the pier at the end of the summer.\n\n"
        "Engineers found serious corrosion in the supports, a spokeswoman said.\n")


def _doc(text: str, **kw: object) -> Document:
    return Document(id="d", text=text, **kw)  # type: ignore[arg-type]


def test_clean_text_is_untouched() -> None:
    result = clean(_doc(BODY))
    assert result.removed == []
    assert result.text == BODY.strip()
    assert result.title is None  # the first line is a sentence, not a headline


def test_empty_and_blank_text() -> None:
    for text in ("", "\n\n  \n"):
        result = clean(_doc(text))
        assert result.kept == [] and result.findings == [] and result.title is None


def test_title_skips_junk_and_bylines() -> None:
    text = "Advertisement\nBy Jane Roe\nPier to close after vote\n\n" + BODY + "\nPier to close after vote\n"
    result = clean(_doc(text))
    assert result.title is None  # the first non-junk line is a byline, so no title guessed
    text = "Advertisement\nPier to close after vote\nBy Jane Roe\n\n" + BODY + "\npier  TO close after vote\n"
    result = clean(_doc(text))
    assert result.title == "Pier to close after vote"
    kinds = [(f.kind, f.text) for f in result.removed]
    assert kinds == [("boilerplate", "Advertisement"),
                     ("repeated-headline", "pier  TO close after vote")]


def test_given_title_with_site_suffix() -> None:
    text = "Pier to close after vote\n\nPier to close after vote | Harbour Times\n\n" + BODY
    result = clean(_doc(text, title="Pier to close after vote | Harbour Times"))
    assert [f.text for f in result.removed] == ["Pier to close after vote | Harbour Times"]
    assert result.title == "Pier to close after vote | Harbour Times"


def test_duplicate_paragraphs_keep_first() -> None:
    para = "First line of a paragraph that repeats.\nSecond line of it, also repeated."
    text = f"{para}\n\nSomething else entirely was said here.\n\n{para}\n\nYes.\n\nYes.\n"
    result = clean(_doc(text))
    dups = [f for f in result.removed if f.kind == "duplicate-paragraph"]
    assert [f.span.start for f in dups] == [text.rindex("First line"), text.rindex("Second line")]
    assert result.text.count("Yes.") == 2  # too short to count as a duplicate


def test_inline_placeholder_splits_kept_span() -> None:
    text = "The strike would close {{ count }} schools for two days, the union said on Monday."
    result = clean(_doc(text))
    [finding] = result.removed
    assert finding.kind == "server-error" and finding.text == "{{ count }}"
    assert [s.of(text) for s in result.kept] == ["The strike would close",
                                                  "schools for two days, the union said on Monday."]


def test_ssi_error_glued_to_a_sentence() -> None:
    text = "Rosenstein announced the charges last week.[an error occurred while processing the directive]"
    result = clean(_doc(text))
    assert [f.text for f in result.removed] == ["[an error occurred while processing the directive]"]
    assert result.text == "Rosenstein announced the charges last week."


def test_crlf_text_offsets() -> None:
    text = "Headline here\r\n\r\nHeadline here\r\n\r\nRead more\r\n\r\n" + BODY.replace("\n", "\r\n")
    result = clean(_doc(text))
    assert [f.kind for f in result.removed] == ["repeated-headline", "link-line"]
    for f in result.findings:
        assert text[f.span.start:f.span.end] == f.text and "\r" not in f.text


def test_cosmetic_findings_and_switch() -> None:
    text = 'He said  "no" and she said \u201cyes\u201d , then left.\n'
    result = clean(_doc(text))
    details = {f.detail for f in result.findings}
    assert {"doubled space", "space before punctuation",
            "mixed quote styles (straight and curly)"} <= details
    assert all(not f.removed for f in result.findings)
    assert clean(_doc(text), config=CleanConfig(cosmetic=False)).findings == []


def test_config_min_duplicate_words() -> None:
    text = "Yes, we did.\n\nYes, we did.\n"
    assert clean(_doc(text)).removed == []
    assert len(clean(_doc(text), config=CleanConfig(min_duplicate_words=2)).removed) == 1


# ------------------------------------------------------------------------------ site profiles
def _site_pages(n: int, *, site: str = "farm.example") -> list[Document]:
    pages = []
    for i in range(n):
        text = (f"Story number {i} headline\n\nJoin the Farm Club today\n\n"
                f"Reporters covered event {i} in detail on day {i}, editors said.\n\n"
                "This site is run by volunteers who check every story before it goes out.\n")
        pages.append(Document(id=str(i), text=text, site=site))
    return pages


def test_learn_site_profile_and_clean() -> None:
    pages = _site_pages(5)
    profile = learn_site_profile(pages)
    lines = profile.lines["farm.example"]
    assert "join the farm club today" in lines
    assert profile.pages["farm.example"] == 5
    result = clean(pages[0], profile=profile)
    assert [(f.kind, f.text) for f in result.removed] == [
        ("site-boilerplate", "Join the Farm Club today"),
        ("site-boilerplate",
         "This site is run by volunteers who check every story before it goes out.")]
    # another site is not affected
    other = Document(id="x", text=pages[0].text, site="other.example")
    assert clean(other, profile=profile).removed == []
    assert clean(pages[0]).removed == []  # no profile, no site rule


def test_sentences_need_almost_every_page() -> None:
    pages = _site_pages(10)
    for p in pages[:2]:  # the sentence is now on 8 of 10 pages: below the 0.9 bar
        p.text = p.text.replace("This site is run by volunteers", "A team of volunteers runs this")
    lines = learn_site_profile(pages).lines["farm.example"]
    assert "join the farm club today" in lines
    assert not any(line.startswith("this site is run") for line in lines)


def test_duplicate_pages_count_once_and_thresholds() -> None:
    page = _site_pages(1)[0]
    copies = [Document(id=str(i), text=page.text, site="farm.example") for i in range(5)]
    assert learn_site_profile(copies).lines == {}  # one distinct page < min_pages
    assert learn_site_profile(_site_pages(2)).lines == {}
    nosite = [Document(id=str(i), text=d.text) for i, d in enumerate(_site_pages(4))]
    assert learn_site_profile(nosite).lines == {}
    profile = learn_site_profile(nosite, default_site="corpus")
    assert "join the farm club today" in profile.lines["corpus"]
    assert clean(nosite[0], profile=profile).removed
    with pytest.raises(ValueError):
        learn_site_profile([], min_share=0)


def test_site_from_url() -> None:
    pages = [Document(id=str(i), text=d.text, url=f"https://www.farm.example/{i}")
             for i, d in enumerate(_site_pages(3))]
    profile = learn_site_profile(pages)
    assert "farm.example" in profile.lines


def test_headline_list_under_bare_related_heading() -> None:
    text = ("Farmers block plant in protest\n\nFarmers blocked the plant on Monday, police said.\n\n"
            "Related stories\n\nFarm incomes fall for second year\nMinister to meet farm leaders\n\n"
            "A short subheading\n\nThe protest will continue until the cut is reversed, they said.\n")
    result = clean(_doc(text))
    removed = [f.text for f in result.removed]
    assert removed == ["Related stories", "Farm incomes fall for second year",
                       "Minister to meet farm leaders"]
    assert "A short subheading" in result.text  # the list ends at its paragraph


def test_bare_heading_before_a_sentence_removes_only_itself() -> None:
    text = "Related\nPolice said on Wednesday they had arrested two men in Dunmore.\n"
    assert [f.text for f in clean(_doc(text)).removed] == ["Related"]
