"""Clean one document: mark junk lines by rule, keep the rest as spans of the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from unspun.clean.cosmetic import cosmetic_findings
from unspun.clean.furniture import embedded_post_bodies, furniture_line
from unspun.clean.lines import Line, looks_like_sentence, normalize_line, split_lines, word_count
from unspun.clean.rules import (
    Cues,
    boilerplate_line,
    inline_errors,
    link_line,
    server_error_line,
)
from unspun.clean.site import SiteProfile
from unspun.config import CleanConfig
from unspun.data import CleanResult, Document, Finding, FindingKind, Span, span_at

_BYLINE_RE = re.compile(r"^\W*by\s", re.IGNORECASE)
_CLOSERS = "'\"\u2019\u201d)]"
# Widget readings that open many scraped pages and are never headlines: temperatures
# ("54°F"), "5-Day Forecast", clock times ("7:45 pm"), market moves ("+0.42%").
# Every alternative starts at a digit or a sign, so the pattern opens with that class (the
# regex engine then skips other characters at C speed; a ``\b`` before the first digit is a
# lookbehind for a non-word character before it):
#   \d\s*\u00b0 | \b\d+-day\s+forecast\b | \b\d{1,2}:\d{2}\s*[ap]\.?m\b | [+\u2212-]\d+(?:\.\d+)?\s*%
_WIDGET_RE = re.compile(r"[\d+\u2212-](?:(?<=\d)\s*\u00b0|(?<=\d)(?<!\w\d)\d*-day\s+forecast\b"
                        r"|(?<=\d)(?<!\w\d)\d?:\d{2}\s*[ap]\.?m\b|(?<=[+\u2212-])\d+(?:\.\d+)?\s*%)",
                        re.IGNORECASE)
_TITLE_SEP_RE = re.compile(r"\s+[|\u2013\u2014]\s+|\s+-\s+(?=[^-]*$)")


DEFAULT_CONFIG = CleanConfig()


@dataclass(slots=True)
class _Mark:
    kind: FindingKind
    detail: str


def _headline_form(norm: str) -> str:
    """A normalised line without one final full stop ("Trump invites Putin." is a headline)."""
    return norm[:-1].rstrip() if norm.endswith(".") and not norm.endswith("..") else norm


def _title_forms(title: str) -> set[str]:
    """A title's normalised form, plus the form without a trailing "| Site name"."""
    forms = {_headline_form(normalize_line(title))}
    parts = _TITLE_SEP_RE.split(title.strip())
    if len(parts) > 1 and word_count(parts[0]) >= 3:
        forms.add(_headline_form(normalize_line(parts[0])))
    return forms


def _widget(line: Line) -> bool:
    """A widget reading; the search runs only on lines holding a character it needs."""
    text = line.text
    return ("\u00b0" in text or ":" in text or "%" in text or "forecast" in line.norm) \
        and _WIDGET_RE.search(text) is not None


def _headline_like(line: Line, cfg: CleanConfig) -> bool:
    """A short line without terminal punctuation that is not a byline."""
    return (not line.text.rstrip(_CLOSERS).endswith((".", "!", ",", ";", ":", "\u2026"))
            and not _BYLINE_RE.match(line.text) and 2 <= word_count(line.text) <= cfg.max_title_words)


def _repeated_headline(first: Line, lines: list[Line], cfg: CleanConfig) -> bool:
    """A short first line ending in one full stop, a paragraph of its own that the page prints
    again at once as the next paragraph: a headline (as on the seed page, three times)."""
    if not first.text.endswith("."):
        return False
    after = lines[first.index + 1 : first.index + 3]
    return (len(after) == 2 and after[0].norm == first.norm and after[0].para != first.para
            and after[1].para != after[0].para
            and 2 <= word_count(first.text) <= cfg.max_title_words)


def _mark_headlines(lines: list[Line], marks: dict[int, _Mark], doc: Document,
                    cfg: CleanConfig) -> str | None:
    """Mark repeats of the title (or of a headline-like first line); return the title."""
    title = doc.title.strip() if doc.title and doc.title.strip() else None
    forms = _title_forms(title) if title else set()
    first = next((ln for ln in lines if ln.index not in marks and not _widget(ln)), None)
    if first is not None and (_headline_like(first, cfg) or _repeated_headline(first, lines, cfg)):
        forms.add(_headline_form(first.norm))
        if title is None:
            title = first.text
    kept_once = False
    longest = max(map(len, forms), default=-1)
    for ln in lines:
        # A form is no longer than its line's norm less one final "." and the spaces before
        # it, which no folded line has (words are joined by single spaces): a longer norm is
        # no form, and most lines are paragraphs far longer than a title.
        if ((len(ln.norm) > longest + 2 or _headline_form(ln.norm) not in forms)
                or (ln.index in marks and marks[ln.index].kind == "server-error")):
            continue
        if not kept_once:
            kept_once = True
            marks.pop(ln.index, None)  # the headline itself is kept once
        else:
            marks[ln.index] = _Mark("repeated-headline", "headline repeated")
    return title


def _weak_mark(line: Line, cfg: CleanConfig, site_lines: set[str], cues: Cues) -> _Mark | None:
    """Link, boilerplate and site-boilerplate rules for one line."""
    detail = link_line(line.text, max_words=cfg.max_link_words, low=line.norm,
                       max_chars=cfg.max_short_chars)
    if detail is not None:
        return _Mark("link-line", detail)
    detail = boilerplate_line(line.text, max_words=cfg.max_boilerplate_words, low=line.norm,
                              max_strong_words=cfg.max_strong_words,
                              max_chars=cfg.max_short_chars, cues=cues)
    if detail is not None:
        return _Mark("boilerplate", detail)
    if line.norm in site_lines:
        return _Mark("site-boilerplate", "recurs across pages of this site")
    return None


def _mark_link_lists(lines: list[Line], marks: dict[int, _Mark], cfg: CleanConfig) -> None:
    """Mark the headline list under a bare "Related stories" / "Read more" heading.

    The list is the run of short lines without terminal punctuation right after the heading
    (in its paragraph or the next one); it stops at the first line that is not one.
    """
    for ln in lines:
        mark = marks.get(ln.index)
        if mark is None or mark.kind != "link-line" or word_count(ln.text) > cfg.max_heading_words:
            continue
        para = ln.para
        for item in lines[ln.index + 1 : ln.index + 1 + cfg.max_link_list]:
            if item.index in marks:
                if marks[item.index].kind == "link-line":
                    break
                continue
            if item.para > para + 1 or (item.para == para + 1 and para != ln.para):
                break
            if not _headline_like(item, cfg) or word_count(item.text) > cfg.max_link_list_words:
                break
            marks[item.index] = _Mark("link-line", f"listed under {ln.text!r}")
            para = item.para


def _mark_duplicates(lines: list[Line], marks: dict[int, _Mark], cfg: CleanConfig) -> None:
    """Mark later copies of a paragraph (or of a line) already seen, after whitespace folding."""
    short = cfg.min_duplicate_words
    seen: dict[str, int] = {}
    paras: dict[int, list[Line]] = {}
    if lines and lines[-1].para + 1 < len(lines):  # else every paragraph is one line
        for ln in lines:
            paras.setdefault(ln.para, []).append(ln)
    for para, group in paras.items():
        kept = [ln for ln in group if ln.index not in marks]
        if len(kept) < 2:
            continue
        key = " ".join(ln.folded for ln in kept)
        if key.count(" ") + 1 < short:
            continue
        if key in seen:
            for ln in kept:
                marks[ln.index] = _Mark("duplicate-paragraph", f"copy of paragraph {seen[key] + 1}")
        else:
            seen[key] = para
    seen_lines: dict[str, int] = {}
    for ln in lines:
        key = ln.folded
        if ln.index in marks or key.count(" ") + 1 < short:
            continue
        if key in seen_lines:
            marks[ln.index] = _Mark("duplicate-paragraph", f"copy of line {seen_lines[key] + 1}")
        else:
            seen_lines[key] = ln.index


def clean(doc: Document, *, profile: SiteProfile | None = None,
          config: CleanConfig | None = None) -> CleanResult:
    """Remove the junk inside ``doc.text`` line by line, recording each removal and its reason.

    Args:
        doc: the document; its text is never rewritten.
        profile: per-site boilerplate from :func:`learn_site_profile` (enables
            ``site-boilerplate`` findings).
        config: rule knobs; :data:`DEFAULT_CONFIG` when omitted.

    Returns:
        A :class:`CleanResult` whose ``kept`` spans and removal ``findings`` slice the original
        text, plus ``cosmetic`` findings (``removed=False``) and the headline kept once.
    """
    return clean_lines(doc, profile=profile, config=config)[0]


def clean_lines(doc: Document, *, profile: SiteProfile | None = None,
                config: CleanConfig | None = None) -> tuple[CleanResult, list[Line]]:
    """:func:`clean`, also returning the text's non-blank lines (:func:`split_lines`).

    The index joins the lines' folded forms for its content hash rather than folding the
    whole text again.
    """
    cfg = config or DEFAULT_CONFIG
    text = doc.text
    lines = split_lines(text)
    cues = Cues.of("\n".join([ln.norm for ln in lines]))
    marks: dict[int, _Mark] = {}
    inline: dict[int, list[tuple[int, int, str]]] = {}
    for ln in lines:
        detail = server_error_line(ln.text, ln.norm, cues)
        if detail is None:
            hits = inline_errors(ln.text, ln.norm, cues)
            if hits:
                rest = _without(ln.text, hits)
                short = cfg.min_inline_rest_words
                if word_count(rest) < short and not looks_like_sentence(rest, min_words=short):
                    detail = hits[0][2]
                else:
                    inline[ln.index] = hits
        if detail is not None:
            marks[ln.index] = _Mark("server-error", detail)
    site = profile.site_of(doc) if profile else None
    site_lines = profile.lines.get(site, set()) if profile and site else set()
    for ln in lines:
        if ln.index in marks:
            continue
        mark = _weak_mark(ln, cfg, site_lines, cues)
        if mark is not None:
            marks[ln.index] = mark
    _mark_link_lists(lines, marks, cfg)
    if cfg.furniture:
        _mark_furniture(lines, marks)
    title = _mark_headlines(lines, marks, doc, cfg)
    _mark_duplicates(lines, marks, cfg)
    return _result(doc, lines, marks, inline, title, cfg), lines


def _mark_furniture(lines: list[Line], marks: dict[int, _Mark]) -> None:
    """Mark captions, embedded posts, bylines, teasers and date lines (``boilerplate``)."""
    posts: set[int] = set()
    for ln in lines:
        if ln.index in marks:
            continue
        detail = furniture_line(ln.text)
        if detail is not None:
            marks[ln.index] = _Mark("boilerplate", detail)
            if detail == "embedded post":
                posts.add(ln.index)
    for index, detail in embedded_post_bodies(lines, posts).items():
        marks.setdefault(index, _Mark("boilerplate", detail))


def _without(text: str, hits: list[tuple[int, int, str]]) -> str:
    """``text`` with the ``hits`` ranges cut out."""
    out, pos = [], 0
    for s, e, _ in hits:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:])
    return " ".join(out)


def _segments(text: str, ln: Line,
              hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str | None]]:
    """A line cut into kept pieces (detail ``None``, stripped) and inline removals, in order."""
    out: list[tuple[int, int, str | None]] = []
    pos = ln.start
    for s, e, detail in [*hits, (len(ln.text), len(ln.text), "")]:
        a, b = ln.start + s, ln.start + e
        piece = text[pos:a]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((pos + lead, pos + len(piece.rstrip()), None))
        if b > a:
            out.append((a, b, detail))
        pos = b
    return out


def _result(doc: Document, lines: list[Line], marks: dict[int, _Mark],
            inline: dict[int, list[tuple[int, int, str]]], title: str | None,
            cfg: CleanConfig) -> CleanResult:
    """Turn per-line marks into kept spans (one per run of kept lines) and findings."""
    text = doc.text
    kept: list[Span] = []
    findings: list[Finding] = []
    run: Span | None = None  # the kept run being grown
    run_para = -1
    for ln in lines:
        mark = marks.get(ln.index)
        if mark is not None:
            findings.append(Finding(mark.kind, Span(ln.start, ln.end), ln.text, detail=mark.detail))
            if run is not None:
                kept.append(run)
                run = None
            continue
        if ln.para != run_para and run is not None:
            kept.append(run)
            run = None
        run_para = ln.para
        hits = inline.get(ln.index)
        if hits is None:  # the whole (stripped) line is kept
            # Lines' offsets are valid spans: the unchecked constructor (one per line).
            run = span_at(run.start if run is not None else ln.start, ln.end)
            continue
        for a, b, detail in _segments(text, ln, hits):
            if detail is None:
                run = Span(run.start, b) if run is not None else Span(a, b)
                continue
            findings.append(Finding("server-error", Span(a, b), text[a:b], detail=detail))
            if run is not None:
                kept.append(run)  # an inline removal splits the kept run
                run = None
    if run is not None:
        kept.append(run)
    if cfg.cosmetic:
        findings.extend(cosmetic_findings(text, kept, limit=cfg.cosmetic_limit))
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.removed))
    return CleanResult(doc=doc, kept=kept, findings=findings, title=title)
