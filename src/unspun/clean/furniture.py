"""Page-furniture rules: captions, gallery counters, embedded posts, bylines, teasers, dates.

Each rule is a cue and a shape, never a string copied from one page, and returns a short
``detail`` naming what matched, or ``None``. They are off in :func:`~unspun.clean.clean` by
default (``CleanConfig(furniture=True)`` turns them on; ``unspun scan`` does).
"""

from __future__ import annotations

import re

from unspun.clean.lines import Line, word_count

_I = re.IGNORECASE
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_TIME = r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?|\d{1,2}\s*[ap]\.?m\.?)"
_DATE = (rf"(?:{_DAY}\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})")
_DATE_LINE_RE = re.compile(
    rf"^\W*(?:(?:published|posted|updated|last\s+updated|modified|first\s+published)"
    rf"(?:\s+on)?\s*:?\s*)?(?:{_DATE}(?:\s*(?:at|,|-|\u2013|\|)?\s*{_TIME})?"
    rf"|{_TIME}\s*(?:,|-|\u2013|\|)?\s*{_DATE}"
    rf"|(?:published|posted|updated)\s+\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago)\W*$", _I)
_GALLERY_RE = re.compile(
    r"^\W*(?:image|photo|picture|slide|pic)\s*\d+\s*(?:of|/)\s*\d+\b", _I)
_CREDIT = (r"(?:photo|image|picture|photograph|video|credit|source|courtesy)s?"
           r"(?:\s+(?:by|credit|courtesy))?\s*[:/]")
_CAPTION_RE = re.compile(
    rf"^\W*(?:{_CREDIT}|caption\s*:|file\s+photo\b|\(?\s*(?:ap|afp|reuters|getty)\s+photo)", _I)
_CREDIT_TAIL_RE = re.compile(
    r"[(\[]\s*(?:(?:ap|afp|reuters|getty(?:\s+images)?|epa|file)\s*(?:photo)?\s*/[^)\]]{1,60}"
    r"|(?:photo|image|picture)s?\s*(?:by|:|/|credit\s*:?)\s*[^)\]]{1,60}"
    r"|[^)\]]{1,40}/(?:getty\s+images|reuters|afp|ap|epa|shutterstock))\s*[)\]]\s*$"
    r"|\b(?:reuters|getty\s+images|afp|shutterstock)\s*/\s*[A-Z][\w .'-]{1,40}$"
    r"|\u00a9\s*\d{4}.{0,60}$", _I)
_BYLINE_RE = re.compile(
    r"^\W*(?i:by|written\s+by|words\s+by|story\s+by)\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
    r"(?:\s*(?:,|and|&|\||-|\u2013|\u2014)\s*[A-Z][\w.'&-]*(?:\s+[\w.'&-]+){0,5})*\W*$")
_REPORTING_RE = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting|writing|editing|compiled|produced)\s+by\s+[A-Z]", _I)
_EMAIL_RE = re.compile(r"^\W*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:\||,|-)?\s*"
                       r"[\w.+-]+@[\w-]+\.[\w.]+\W*$")
_TEASER_RE = re.compile(
    r"^\W*(?:trending(?:\s+now)?|most\s+(?:read|popular|viewed|shared)|top\s+stories"
    r"|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like"
    r"|don'?t\s+miss|popular\s+(?:now|stories)|editor'?s\s+picks?|latest\s+(?:news|stories)"
    r"|promoted\s+stories|from\s+around\s+the\s+web|show\s+comments|\d+\s+comments?"
    r"|view\s+(?:gallery|comments|all\s+\d*\s*photos)|click\s+(?:here|to)\s+(?:to\s+)?"
    r"(?:see|view|watch|read|enlarge)|tap\s+to\s+(?:see|view|expand)|loading\.{0,3}"
    r"|next\s+(?:slide|image|photo)|(?:previous|prev)\s+(?:slide|image|photo))\b", _I)
# "— Name (@handle) July 16, 2018" closes an embedded tweet; Instagram's "A post shared by".
_POST_RE = re.compile(
    rf"^\s*[\u2014\u2013-]+\s*[^\n()]{{1,60}}\(@\w{{1,30}}\)\s*(?:{_DATE}|{_MONTH}\s+\d{{4}})"
    rf"\W*$|^\W*a\s+(?:post|photo|video)\s+shared\s+by\s+.{{1,80}}$"
    rf"|^\W*view\s+this\s+post\s+on\s+(?:instagram|facebook|twitter)\W*$", _I)
# The same closing block at the end of a line that also holds the post's text (how a text
# extractor renders a tweet embed: body and "— Name (@handle) date" in one paragraph).
_POST_TAIL_RE = re.compile(
    rf"\s[\u2014\u2013]+\s*[^\n()]{{1,60}}\(@\w{{1,30}}\)\s*(?:{_DATE}|{_MONTH}\s+\d{{4}})\W*$", _I)
_POST_BODY_RE = re.compile(r"pic\.twitter\.com/\w+|https?://t\.co/\w+|instagram\.com/p/", _I)
#: The longest tweet body (in words) taken back from an embedded post's closing line.
MAX_POST_WORDS = 70
_ANCHORED = (_DATE_LINE_RE, _GALLERY_RE, _POST_RE, _CAPTION_RE, _BYLINE_RE, _REPORTING_RE,
             _TEASER_RE)
# Matches where any of _ANCHORED matches (each keeps its own flags): one call, not seven.
# (_EMAIL_RE, the costliest to fail on prose, needs an "@": it is tried on such lines alone.)
_ANCHORED_RE = re.compile("|".join(f"(?i:{p.pattern})" if p.flags & _I else f"(?:{p.pattern})"
                                   for p in _ANCHORED))


def _may_end_in_credit(text: str) -> bool:
    """Whether ``text`` holds what every :data:`_CREDIT_TAIL_RE` match needs: a closing bracket
    at its end (before trailing whitespace), a "/" or a "\u00a9"."""
    return text.rstrip()[-1:] in (")", "]") or "/" in text or "\u00a9" in text


def furniture_line(text: str) -> str | None:
    """Why one line is page furniture, or None.

    Args:
        text: The stripped line.

    Returns:
        "date line", "gallery counter", "caption", "credit", "byline", "teaser" or
        "embedded post" (a line a tweet embed ends with), or None.
    """
    if len(text) > 400:
        return None
    # Counting words costs more than all the rules together, so it is taken last, once a rule
    # has matched; the searches run only on lines holding the character each needs ("/",
    # "(@", "@", a bracket, "\u00a9"), and one regex made of the anchored rules tells first
    # whether any of them can match (most lines are prose, which none matches).
    words = -1

    def at_most(limit: int) -> bool:
        nonlocal words
        if words < 0:
            words = word_count(text)
        return words <= limit

    anchored = _ANCHORED_RE.match(text) is not None
    if anchored and _DATE_LINE_RE.match(text) and at_most(12):
        return "date line"
    if anchored and _GALLERY_RE.match(text) and at_most(25):
        return "gallery counter"
    if (anchored and _POST_RE.match(text)) or (
            "/" in text and _POST_BODY_RE.search(text) and at_most(30)):
        return "embedded post"
    if "(@" in text and _POST_TAIL_RE.search(text) and at_most(MAX_POST_WORDS):
        return "embedded post"
    if (anchored and _CAPTION_RE.match(text) and at_most(40)) or (
            _may_end_in_credit(text) and _CREDIT_TAIL_RE.search(text) and at_most(40)):
        return "caption"
    if ((anchored and (_BYLINE_RE.match(text) or _REPORTING_RE.match(text)))
            or ("@" in text and _EMAIL_RE.match(text))) and at_most(12):
        return "byline"
    if anchored and _TEASER_RE.match(text) and at_most(12):
        return "teaser"
    return None


def embedded_post_bodies(lines: list[Line], closers: set[int]) -> dict[int, str]:
    """The lines of the posts whose closing lines are ``closers`` (line indexes).

    A tweet embed is the tweet's text followed by "— Name (@handle) date": the body is the
    lines of the closer's paragraph before it, or the paragraph just before when the closer
    stands alone, up to :data:`MAX_POST_WORDS` words.

    Returns:
        Line index -> detail for each body line.
    """
    out: dict[int, str] = {}
    for c in sorted(closers):
        closer = lines[c]
        if not _POST_RE.match(closer.text) or closer.text.lower().lstrip(" \u2014\u2013-") \
                .startswith("view this post"):
            continue
        before = [ln for ln in lines[:c] if ln.para == closer.para]
        if not before and c > 0:
            before = [ln for ln in lines[:c] if ln.para == lines[c - 1].para]
        if sum(word_count(ln.text) for ln in before) <= MAX_POST_WORDS:
            for ln in before:
                out.setdefault(ln.index, "embedded post text")
    return out
