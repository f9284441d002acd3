"""Farm-mode edits of source sentences: light editing and consistent low-rate dictionary spin."""

from __future__ import annotations

import re
from random import Random

from unspun.bench import manipulate as mp
from unspun.bench.rewrite import Replacement, Src, overlaps
from unspun.bench.spin import candidates
from unspun.bench.spin_table import SPIN_TABLE

_EXPAND = {"US": "United States", "U.S.": "United States", "UK": "United Kingdom",
           "U.K.": "United Kingdom", "UN": "United Nations", "U.N.": "United Nations",
           "EU": "European Union"}
_LEAD_RE = re.compile(r"(?:On|In|At|Earlier|Meanwhile|Last|This|According to|After|Since)"
                      r"\b[^,\"]{0,40}, ")
_ABBR_RE = re.compile(r"(?<![\w.])(U\.S\.|U\.K\.|U\.N\.|US|UK|UN|EU)(?![\w])")

def light_edits(src: Src, rng: Random, names: list[str]) -> list[Replacement]:
    """One or two light edits a farm makes to a borrowed sentence.

    One or two of: expand an abbreviation ("US" -> "United States"), add a name in brackets
    after a person's name (its words reversed, as pages add a name's other form), trim the
    trailing clause, or drop a leading "On Thursday, " clause; then, when none applies or in
    30 % of cases, drop a comma outside quotes ("is, we think, in" -> "is we think, in").
    A sentence that offers none of these is left as it is.

    Args:
        src: The source sentence.
        rng: The random source.
        names: Person names of the source article (``farm_quotes.person_names``).

    Returns:
        Non-overlapping replacements (types ``paraphrase``, ``insert``, ``delete``).
    """
    text = src.text
    options: list[Replacement] = []
    for m in _ABBR_RE.finditer(text):
        end = m.end() - (1 if m.group().endswith(".") and m.end() == len(text) else 0)
        full = _EXPAND[m.group()] + ("." if end < m.end() else "")
        options.append(Replacement(m.start(), m.end(), full, "paraphrase",
                                   f"expanded: {m.group()} -> {_EXPAND[m.group()]}"))
    for name in names:
        at = text.find(name)
        if at > 0:
            first, last = name.split()
            end = at + len(name)
            options.append(Replacement(end, end, f" ({last} {first})", "insert",
                                       "bracketed-name"))
            break
    cut = mp.drop_clause(text)
    if cut:
        options.append(cut)
    lead = _LEAD_RE.match(text)
    if lead and len(text) - lead.end() > 40:
        first = text[lead.end()]
        options.append(Replacement(0, lead.end() + 1, first.upper(), "delete",
                                   "lead-clause-dropped"))
    commas = [Replacement(m.start(), m.start() + 1, "", "delete", "comma-dropped")
              for m in re.finditer(r",(?= )", text) if not _inside_quote(text, m.start())]
    rng.shuffle(options)
    picked = options[: rng.randint(1, 2)]
    if commas and (not picked or rng.random() < 0.3):
        picked.append(rng.choice(commas))
    chosen: list[Replacement] = []
    for rep in picked:
        if not overlaps(chosen, rep.start, max(rep.end, rep.start + 1)):
            chosen.append(rep)
    return chosen


def _inside_quote(text: str, at: int) -> bool:
    """True when ``at`` lies between an odd number of double quote marks."""
    return text.count('"', 0, at) % 2 == 1


def containment(suspect: str, source: str) -> float:
    """Share of the suspect sentence's word 3-grams (lowercased) found in the source's.

    The issue measured about 0.57 for one borrowed sentence on real farm pages; the gold
    records it per copied sentence so the benchmark's difficulty can be compared.
    """
    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    own = grams(suspect)
    return round(len(own & grams(source)) / len(own), 3) if own else 0.0


def word_count(texts: list[str]) -> int:
    """Whitespace-separated words in the texts (the denominator of a spin rate)."""
    return sum(len(t.split()) for t in texts)


def consistent_table(texts: list[str], rate: float, rng: Random) -> dict[str, str]:
    """Choose dictionary swaps for a whole copy, each key always swapped the same way.

    Keys are added in random order while the share of swapped words stays within ``rate``.

    Args:
        texts: The copied sentences.
        rate: The target share of words swapped (e.g. 0.01-0.05).
        rng: The random source.

    Returns:
        ``{key: replacement}`` for the chosen dictionary keys.
    """
    counts: dict[str, int] = {}
    for t in texts:
        for _, _, key in candidates(t):
            counts[key] = counts.get(key, 0) + 1
    budget = rate * word_count(texts)
    keys = sorted(counts)
    rng.shuffle(keys)
    table: dict[str, str] = {}
    used = 0
    for key in keys:
        if used + counts[key] <= budget:
            table[key] = rng.choice(SPIN_TABLE[key])
            used += counts[key]
    return table


def spin_with(text: str, table: dict[str, str],
              taken: list[Replacement] | None = None) -> list[Replacement]:
    """Every occurrence of a chosen key in ``text`` replaced by its one replacement.

    Args:
        text: A source sentence.
        table: From :func:`consistent_table`.
        taken: Replacements already chosen here; spin never overlaps them.

    Returns:
        Replacements of type ``synonym``.
    """
    chosen = list(taken or [])
    out: list[Replacement] = []
    for start, end, key in candidates(text):
        if key not in table or overlaps(chosen, start, end):
            continue
        old = text[start:end]
        new = table[key]
        new = new[0].upper() + new[1:] if old[:1].isupper() and new[:1].islower() else new
        rep = Replacement(start, end, new, "synonym", f"{old} -> {new}")
        chosen.append(rep)
        out.append(rep)
    return out
