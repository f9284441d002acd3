"""Deterministic synthetic news corpus scaled from the bundled Wikinews sample, for speed tests.

Article ``i`` is a pure function of ``(seed, i)``: it stitches sentence runs from 3-5 Wikinews
articles (about 500-600 words), swaps names consistently within the article, replaces every
number, and swaps about a third of the content words for other words of the sample's vocabulary
(frequency-weighted), so articles are distinct yet realistic in length and vocabulary.
Suspects for trace tests are built from indexed articles by :func:`suspect`.

    .venv/bin/python benchmarks/synth.py 10000 > /tmp/synth-10k.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from unspun.bench.sample import load_wikinews
from unspun.clean import clean
from unspun.data import Document
from unspun.text import split_sentences
from unspun.text.tokens import STOPWORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*\d|\d|\S")


@dataclass(frozen=True, slots=True)
class Pool:
    """What the generator draws from: each sample article's sentences and the vocabulary."""

    articles: list[list[str]]  # sentences per Wikinews article
    titles: list[str]
    content: list[str]  # lower-case content words, with repetition (frequency-weighted)
    names: list[str]  # capitalised words not opening a sentence, with repetition


def load_pool() -> Pool:
    """Clean and split the Wikinews sample once; collect its content words and names."""
    articles: list[list[str]] = []
    titles: list[str] = []
    content: list[str] = []
    names: list[str] = []
    for doc in load_wikinews():
        kept = clean(doc).kept
        sents = [s.text.replace("\n", " ") for s in split_sentences(doc.text, kept)]
        sents = [s for s in sents if len(s.split()) >= 5]
        if len(sents) < 5:
            continue
        articles.append(sents)
        titles.append(doc.title or sents[0])
        for sent in sents:
            for k, tok in enumerate(_TOKEN.findall(sent)):
                if not tok[0].isalpha() or tok.lower() in STOPWORDS or len(tok) < 3:
                    continue
                if tok[0].isupper():
                    if k > 0:
                        names.append(tok)
                elif len(tok) >= 4:
                    content.append(tok)
    return Pool(articles, titles, content, names)


def spin(sentence: str, rng: random.Random, pool: Pool, names: dict[str, str], *,
         rate: float, renew: bool = True) -> str:
    """Swap about ``rate`` of the content words; if ``renew``, also names and numbers.

    Names map through ``names`` (filled as new names are met, 60% swapped), so one article
    calls one person by one name; numbers are drawn afresh.
    """
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(sentence):
        tok = m.group()
        out.append(sentence[pos:m.start()])
        pos = m.end()
        if tok[0].isdigit():
            if renew:
                tok = str(rng.randrange(2, 2000)) if len(tok) < 5 else f"{rng.randrange(999):,}"
        elif tok[0].isalpha() and tok.lower() not in STOPWORDS and len(tok) >= 3:
            if tok[0].isupper() and m.start() > 0:
                if renew and tok not in names:
                    names[tok] = rng.choice(pool.names) if rng.random() < 0.6 else tok
                tok = names.get(tok, tok) if renew else tok
            elif tok[0].islower() and len(tok) >= 4 and rng.random() < rate:
                tok = rng.choice(pool.content)
        out.append(tok)
    out.append(sentence[pos:])
    return "".join(out)


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    paras: list[str] = []
    i = 0
    while i < len(sentences):
        n = rng.randint(2, 4)
        paras.append(" ".join(sentences[i:i + n]))
        i += n
    return "\n\n".join(paras)


def article(i: int, pool: Pool, *, seed: int = 1) -> Document:
    """The ``i``-th synthetic article (same ``i`` and ``seed``, same article)."""
    rng = random.Random(seed * 1_000_003 + i)
    target = rng.randint(500, 600)
    picks = rng.sample(range(len(pool.articles)), rng.randint(3, 5))
    names: dict[str, str] = {}
    out: list[str] = []
    count = 0
    while count < target:
        src = pool.articles[rng.choice(picks)]
        start = rng.randrange(len(src))
        for sent in src[start:start + rng.randint(2, 5)]:
            spun = spin(sent, rng, pool, names, rate=0.35)
            out.append(spun)
            count += len(spun.split())
            if count >= target:
                break
    title = spin(pool.titles[picks[0]], rng, pool, names, rate=0.35)
    return Document(id=f"syn-{seed}-{i}", text=_paragraphs(out, rng), title=title,
                    site=f"site{i % 50}.example", date=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}")


def corpus(n: int, pool: Pool, *, seed: int = 1, start: int = 0) -> Iterator[Document]:
    """Articles ``start`` .. ``start + n - 1``, generated on the fly."""
    for i in range(start, start + n):
        yield article(i, pool, seed=seed)


def suspect(k: int, n_indexed: int, pool: Pool, *, words: int = 800,
            rate: float = 0.3) -> tuple[Document, list[str]]:
    """Suspect ``k``: about ``words`` words stitched from 2-3 of the first ``n_indexed`` articles.

    Every sentence is taken from a source article and spun again (about ``rate`` of its
    content words swapped). Every tenth suspect is unrelated: a never-indexed article
    (generated with another seed), spun the same way, with no true source.

    Returns:
        The suspect and the ids of its true sources (empty for an unrelated suspect).
    """
    rng = random.Random(7_000_003 + k)
    if k % 10 == 9:
        ids = [rng.randrange(n_indexed, 10 * n_indexed) for _ in range(2)]
        docs = [article(i, pool, seed=99) for i in ids]
        truth: list[str] = []
    else:
        ids = rng.sample(range(n_indexed), rng.randint(2, 3))
        docs = [article(i, pool) for i in ids]
        truth = [d.id for d in docs]
    per_doc = [[s.text.replace("\n", " ") for s in split_sentences(d.text)] for d in docs]
    names: dict[str, str] = {}
    out: list[str] = []
    count = 0
    cursor = [0] * len(docs)
    while count < words and any(c < len(s) for c, s in zip(cursor, per_doc, strict=True)):
        j = rng.randrange(len(docs))
        for _ in range(rng.randint(2, 4)):
            if cursor[j] >= len(per_doc[j]):
                break
            spun = spin(per_doc[j][cursor[j]], rng, pool, names, rate=rate, renew=False)
            cursor[j] += 1
            out.append(spun)
            count += len(spun.split())
    doc = Document(id=f"suspect-{k}", text=_paragraphs(out, rng), title=None)
    return doc, truth


def main() -> None:
    """Write ``N`` articles as JSONL to stdout: ``synth.py N [SEED [START]]``.

    ``START`` skips the first articles: ``synth.py 1000000 1 1000000`` writes articles
    1,000,000 .. 1,999,999, the second half of ``synth.py 2000000`` (articles are a pure
    function of seed and number).
    """
    n = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    start = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    pool = load_pool()
    for doc in corpus(n, pool, seed=seed, start=start):
        sys.stdout.write(json.dumps({"id": doc.id, "title": doc.title, "text": doc.text,
                                     "site": doc.site, "date": doc.date}) + "\n")


if __name__ == "__main__":
    main()
