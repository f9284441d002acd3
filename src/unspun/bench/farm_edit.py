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
_ABBR_RE = re.compile(r"(?<![\w.])(U\.S\.|U\.K\.|U\.N\.|US|UK|UN|EU)(?![\w])")

def light_edits(src: Src, rng: Random, names: list[str]) -> list[Replacement]:
    """One or two light edits a farm makes to a borrowed sentence.

    Expands an abbreviation ("US" -> "United States"), adds a name in brackets after a
    person's name (its words reversed, as pages add a name's other form), or trims the
    trailing clause. Sentences that offer none of these are left as they are.

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
    rng.shuffle(options)
    chosen: list[Replacement] = []
    for rep in options[: rng.randint(1, 2)]:
        if not overlaps(chosen, rep.start, max(rep.end, rep.start + 1)):
            chosen.append(rep)
    return chosen


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
