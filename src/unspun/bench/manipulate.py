"""Non-spin manipulations of one source sentence: factual, quote, paraphrase and truncation."""

from __future__ import annotations

import re
from random import Random

from unspun.bench.rewrite import Replacement, overlaps, quote_regions
from unspun.bench.spin import candidates
from unspun.bench.spin_table import SPIN_TABLE

_NUM_RE = re.compile(r"(?<![\w.,])\d{1,4}(?:,\d{3})*(?![\w.,]\d)")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE_RE = re.compile(r"\b(?:" + "|".join(_MONTHS + _DAYS) + r")\b")
_NEG_RE = re.compile(r"\b(did|was|is|were|has|had|will|would|could|does|are)\b(?! not)")
_NUM_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_NUMWORD_RE = re.compile(r"\b(" + "|".join(_NUM_WORDS[2:]) + r")\b")
_DIGIT_RE = re.compile(r"(?<![\w.,$])([2-9]|10)(?![\w.,%]|\s*(?:percent|per cent|%))")
_CONTRACT = {"did not": "didn't", "do not": "don't", "does not": "doesn't", "is not": "isn't",
             "was not": "wasn't", "are not": "aren't", "will not": "won't", "could not": "couldn't",
             "would not": "wouldn't", "has not": "hasn't", "have not": "haven't", "it is": "it's",
             "cannot": "can't", "we are": "we're", "they are": "they're"}
_CONTRACT.update({v: k for k, v in list(_CONTRACT.items())})
_CONTRACT_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _CONTRACT) + r")\b")
_ADVERBS_RE = re.compile(r" (also|reportedly|recently|currently|still|already|just|now|"
                         r"previously|later|finally|officially|publicly|widely)\b")
_COORD_RE = re.compile(r"\b([A-Z][a-z]+) and ([A-Z][a-z]+)\b")
_SAID_AFTER_RE = re.compile(r'^(.{20,}?), ((?:[A-Z][\w.\'-]+ ?){1,4}) (said|says)\.$')
_QUOTE_SAID_RE = re.compile(r'^"(.{20,}?),"\s+((?:[A-Z][\w.\'-]+ ?){1,4}) (said|says)\.$')
_ACCORDING_RE = re.compile(r"^(.{20,}?), according to ([^,]{3,60})\.$")


def factual(text: str, rng: Random, names: list[str]) -> Replacement | None:
    """One factual change: a number, a date word, a name or an inserted negation.

    Args:
        text: The source sentence.
        rng: The random source.
        names: Other names from the same article, to swap one for another.

    Returns:
        The replacement, or None when the sentence offers nothing to change.
    """
    options: list[Replacement] = []
    for m in _NUM_RE.finditer(text):
        value = int(m.group().replace(",", ""))
        new = value + rng.choice([-3, -2, -1, 1, 2, 5, 10]) if value > 3 else value + 2
        if 1900 <= value <= 2030:
            new = value + rng.choice([-2, -1, 1])
        options.append(Replacement(m.start(), m.end(), str(new), "factual", "number"))
    for m in _DATE_RE.finditer(text):
        pool = _MONTHS if m.group() in _MONTHS else _DAYS
        new_word = rng.choice([w for w in pool if w != m.group()])
        options.append(Replacement(m.start(), m.end(), new_word, "factual", "date"))
    for name in names:
        at = text.find(name)
        others = [n for n in names if n != name and n not in text and " " in n]
        if at > 0 and others:
            options.append(Replacement(at, at + len(name), rng.choice(others), "factual", "name"))
    for m in _NEG_RE.finditer(text):
        options.append(Replacement(m.end(1), m.end(1), " not", "factual", "negation"))
    return rng.choice(options) if options else None


def tamper_quote(text: str, rng: Random) -> Replacement | None:
    """Change one word inside a direct quote (a table synonym, else an inserted word)."""
    regions = [(s, e) for s, e in quote_regions(text) if e - s > 12]
    if not regions:
        return None
    s, e = rng.choice(regions)
    inside = [c for c in candidates(text) if s < c[0] and c[1] < e]
    if inside:
        start, end, key = rng.choice(inside)
        return Replacement(start, end, rng.choice(SPIN_TABLE[key]), "quote", "altered-quote")
    spaces = [m.start() for m in re.finditer(" ", text[s:e])]
    if not spaces:
        return None
    at = s + rng.choice(spaces)
    return Replacement(at, at, " " + rng.choice(["never", "really", "absolutely", "not"]),
                       "quote", "altered-quote")


def change_speaker(text: str, names: list[str], rng: Random) -> Replacement | None:
    """Swap the speaker named next to said/told for another name from the article."""
    m = re.search(r"(?:said|told|says) ((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)|"
                  r"((?:[A-Z][a-z]+ ){1,2}[A-Z][a-z]+) (?:said|told|says)", text)
    if not m or '"' not in text:
        return None
    group = 1 if m.group(1) else 2
    others = [n for n in names if n != m.group(group) and n not in text and " " in n]
    if not others:
        return None
    return Replacement(m.start(group), m.end(group), rng.choice(others), "quote",
                       "changed-attribution")


def paraphrase(text: str, rng: Random) -> list[Replacement]:
    """Light paraphrase: clause reordering, or small local rewrites (contractions, numbers,
    dropped adverbs, swapped coordinated names)."""
    for pattern, build in ((_QUOTE_SAID_RE, lambda m: f'{m[2]} {m[3]}, "{m[1]}."'),
                           (_SAID_AFTER_RE, lambda m: f"{m[2]} {m[3]} {_lower(m[1])}."),
                           (_ACCORDING_RE, lambda m: f"According to {m[2]}, {_lower(m[1])}.")):
        m = pattern.match(text)
        if m and rng.random() < 0.8:
            return [Replacement(0, len(text), build(m), "paraphrase", "clause-reorder")]
    reps: list[Replacement] = []
    found = [(m.start(), m.end(), _match_case(m.group(), _CONTRACT[m.group().lower()]),
              "contraction") for m in _CONTRACT_RE.finditer(text) if m.group().lower() in _CONTRACT]
    found += [(m.start(), m.end(), str(_NUM_WORDS.index(m.group())), "number-format")
              for m in _NUMWORD_RE.finditer(text)]
    found += [(m.start(), m.end(), _NUM_WORDS[int(m.group(1))], "number-format")
              for m in _DIGIT_RE.finditer(text)]
    found += [(m.start(), m.end(), "", "adverb-dropped") for m in _ADVERBS_RE.finditer(text)]
    found += [(m.start(), m.end(), f"{m[2]} and {m[1]}", "coordination-swap")
              for m in _COORD_RE.finditer(text) if m.start() > 0]
    rng.shuffle(found)
    for start, end, new, detail in found[: rng.randint(1, 3)]:
        if not overlaps(reps, start, end):
            reps.append(Replacement(start, end, new, "delete" if not new else "paraphrase",
                                    detail))
    return reps


def drop_clause(text: str) -> Replacement | None:
    """Delete the trailing clause after the last comma outside quotes (keeps the full stop)."""
    if '"' in text or not text.endswith("."):
        return None
    cut = text.rfind(", ")
    if cut < 30 or len(text) - cut < 12:
        return None
    return Replacement(cut, len(text) - 1, "", "delete", "clause-dropped")


def _lower(clause: str) -> str:
    """Lowercase a clause's first letter unless it starts a name or acronym."""
    first = clause.split(" ", 1)[0]
    if first in {"The", "A", "An", "This", "These", "It", "There"}:
        return clause[0].lower() + clause[1:]
    return clause


def _match_case(original: str, new: str) -> str:
    """Give ``new`` the capital first letter of ``original``, if it has one."""
    return new[0].upper() + new[1:] if original[:1].isupper() else new
