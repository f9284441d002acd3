"""A Punkt-style sentence model learnt from text: abbreviations and how capitalised words behave.

Two statistics decide whether a period after a word ends a sentence (after Kiss and Strunk,
"Unsupervised Multilingual Sentence Boundary Detection", 2006):

* **abbreviation likelihood** of the word: how often it carries a final period (``Mr.`` always,
  ``said.`` rarely), its length, and internal periods (``U.S.``, ``a.m.``);
* **orthographic context** of the next word: how often that word, capitalised, starts a
  sentence and how often it is capitalised in mid-sentence (``General`` in "U.N. General
  Assembly", ``Security`` in "Security Council"), or only seen in lower case.

:func:`train` counts these over a corpus; the model shipped with unspun is learnt from the
bundled Wikinews sample (``python -m unspun.text.punkt`` rebuilds ``sentence_model.json``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

MODEL_FILE = "sentence_model.json"

#: Titles, which always precede a name, so never end a sentence before a capitalised word.
TITLES = frozenset(
    "mr mrs ms dr prof sen rep gov gen lt col maj capt sgt cmdr adm pres supt rev fr".split())
#: Abbreviations known before any training (titles, months, US states, corporate suffixes):
#: a prior, as Punkt implementations ship with their models; the corpus adds more.
SEED_ABBREVIATIONS = TITLES | frozenset(
    """st jr sr vs v etc inc ltd co corp dept univ assn bros no nos vol fig approx est ft mt
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo""".split()
)

# Learnt abbreviations: short types seen with a final period at least this share of the time.
_MIN_PERIOD_SHARE = 0.8
_MIN_PERIOD_COUNT = 2
_MAX_ABBREV_LETTERS = 3

_TOKEN_RE = re.compile(
    r"(?P<word>[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*(?:\.[^\W\d_]+)*)(?P<dot>\.)?"
    r"|(?P<num>\d+(?:[.,:]\d+)*)(?P<numdot>\.)?"
    r"|(?P<end>[!?]+)"
    r"|(?P<para>\n\s*\n)")


@dataclass(frozen=True, slots=True)
class SentenceModel:
    """What the splitter knows: abbreviations, and capitalised words' sentence positions.

    ``words`` maps a capitalised word to ``(starts, inside, lower)``: how often it opened a
    sentence, how often it stood capitalised inside one, and whether it was seen in lower case.
    """

    abbreviations: frozenset[str]
    words: dict[str, tuple[int, int, bool]]
    #: Sentence starts per capitalised word inside a sentence, over the whole corpus.
    start_rate: float = 0.5

    def starts_sentence(self, word: str) -> bool:
        """Whether a capitalised ``word`` after an abbreviation more likely opens a sentence.

        With even prior odds, compare how likely ``word`` is as a sentence start
        (``starts / all starts``) with how likely it is capitalised inside a sentence
        (``inside / all inside``). A word never seen capitalised opens a sentence when it is a
        known lower-case word ("Traffic"); an unknown word is taken for a name that continues
        the sentence ("U.S. Cyber Command").
        """
        starts, inside, lower = self.words.get(word, (0, 0, False))
        if starts + inside == 0:
            return lower or self.words.get(word.lower(), (0, 0, False))[2]
        return starts > inside * self.start_rate

    def seen_lower(self, word: str) -> bool:
        """Whether ``word`` was seen in lower case (a common word, not only a name)."""
        return self.words.get(word, (0, 0, False))[2] or (
            self.words.get(word.lower(), (0, 0, False))[2])

    def to_json(self) -> str:
        """The model as compact, stable JSON."""
        return json.dumps({"abbreviations": sorted(self.abbreviations),
                           "start_rate": round(self.start_rate, 6),
                           "words": {w: [a, b, int(c)] for w, (a, b, c) in
                                     sorted(self.words.items())}},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> SentenceModel:
        """Read a model written by :meth:`to_json`."""
        data = json.loads(text)
        return cls(frozenset(data["abbreviations"]),
                   {w: (int(v[0]), int(v[1]), bool(v[2])) for w, v in data["words"].items()},
                   float(data["start_rate"]))


def is_abbreviation(word: str, abbreviations: frozenset[str]) -> bool:
    """A known abbreviation, a dotted one (``U.S``, ``a.m``), or a single capital (an initial)."""
    return ("." in word or (len(word) == 1 and word.isupper())
            or word.lower() in abbreviations)


def train(texts: Iterable[str]) -> SentenceModel:
    """Learn a :class:`SentenceModel` from plain texts (paragraphs separated by blank lines).

    Args:
        texts: Documents of running prose.

    Returns:
        The seed abbreviations plus those learnt, and the capitalised words' statistics.
    """
    corpus = list(texts)
    with_dot: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in corpus:
        for m in _TOKEN_RE.finditer(text):
            word = m.group("word")
            if word and "." not in word:
                low = word.lower()
                total[low] += 1
                if m.group("dot"):
                    with_dot[low] += 1
    learnt = {w for w, n in with_dot.items()
              if n >= _MIN_PERIOD_COUNT and n / total[w] >= _MIN_PERIOD_SHARE
              and len(w) <= _MAX_ABBREV_LETTERS}
    abbreviations = SEED_ABBREVIATIONS | learnt
    starts: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    lower: set[str] = set()
    for text in corpus:
        at_start = True
        for m in _TOKEN_RE.finditer(text):
            word = m.group("word")
            if word:
                if word[0].isupper():
                    (starts if at_start else inside)[word] += 1
                elif word[0].islower():
                    lower.add(word)
                at_start = bool(m.group("dot")) and not is_abbreviation(word, abbreviations)
            else:
                at_start = bool(m.group("end") or m.group("para") or m.group("numdot"))
    words = {w: (starts[w], inside[w], w.lower() in lower) for w in starts.keys() | inside.keys()}
    for w in lower:  # lower-case only words: a capitalised one opens a sentence
        words.setdefault(w, (0, 0, True))
    rate = round(sum(starts.values()) / max(1, sum(inside.values())), 6)
    return SentenceModel(frozenset(abbreviations), words, rate)


def train_bundled() -> SentenceModel:
    """Train on the bundled Wikinews sample (212 articles, CC BY 2.5)."""
    from unspun.bench.sample import load_wikinews

    return train(doc.text for doc in load_wikinews())


@lru_cache(maxsize=1)
def load_model() -> SentenceModel:
    """The shipped model (learnt from the bundled Wikinews sample), loaded once."""
    text = resources.files("unspun.text").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return SentenceModel.from_json(text)


def main() -> None:
    """Rebuild the shipped model file from the bundled sample."""
    path = Path(__file__).with_name(MODEL_FILE)
    path.write_text(train_bundled().to_json() + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
