"""The syndication corpus (``unspun bench make --mode corpus``): wire stories carried by several
sites, farms that copy and spin them, chains of farms copying farms, stitched pages, independent
reports sharing quotes, and page furniture; gold clusters, parents and direction."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

from unspun.bench.corpus_page import FurniturePools, dress, make_pools
from unspun.bench.rewrite import quote_regions
from unspun.bench.sample import ATTRIBUTION, load_wikinews
from unspun.bench.spin import spin_replacements
from unspun.data import Document
from unspun.text import split_sentences

#: Version of the corpus gold format (2: a copy pair must share sentences outside quotes).
CORPUS_FORMAT = 2
#: A sentence with fewer words than this outside quote marks is quotation: two reports quoting
#: one statement share it whole, with the speaker's name ("Morin said"). Words outside the marks
#: ("Khan criticised Zardari for", "she called his death") are the writer's own, and a page that
#: repeats them repeats more than the quote. Chosen from the wording of issue 11 (shared quotes
#: are not copying) by reading the stitched pages of corpus seeds 11 and 13 (docs/quality.md).
QUOTE_FRAME_WORDS = 3
_BASE = date(2018, 7, 1)
_DATE_LINE = re.compile(r"^\w+day, \w+ \d{1,2}, \d{4}$")
_QUOTE = re.compile(r'"([^"\n]{25,200})"')
_CARRIERS = tuple(f"{n}.example" for n in ("dailyledger", "metroherald", "valleytimes",
                                           "coastpost", "citywire", "northstar"))
_FARMS = tuple(f"{n}.example" for n in ("newsbuzz24", "trendingworld", "viralpress",
                                        "topnewsnow", "globalfeeds"))


@dataclass(slots=True)
class Page:
    """One generated document and its gold."""

    id: str
    site: str
    day: date | None
    title: str
    paragraphs: list[list[str]]  # article sentences by paragraph
    origins: list[str | None]  # the origin of each article sentence (story:index), in order
    role: str
    story: str | None
    parents: list[str] = field(default_factory=list)


def _story(doc: Document) -> list[list[str]]:
    """An article's paragraphs as sentence texts, without the Wikinews date line."""
    paras = [p.strip() for p in doc.text.split("\n\n") if p.strip()]
    if paras and _DATE_LINE.match(paras[0]):
        paras = paras[1:]
    return [[s.text for s in split_sentences(p)] for p in paras if split_sentences(p)]


def _quotation(paragraphs: list[list[str]]) -> list[bool]:
    """Whether each sentence is quotation: fewer than ``QUOTE_FRAME_WORDS`` of its words lie
    outside the quote marks of its paragraph (a quote may run over several sentences), so it
    holds nothing but the quote and at most a speaker ("Morin said")."""
    out = []
    for para in paragraphs:
        text = " ".join(para)
        regions = quote_regions(text)
        end = -1
        for sentence in para:
            start = end + 1
            end = start + len(sentence)
            outside = list(sentence)
            for s, e in regions:
                for i in range(max(s, start), min(e, end)):
                    outside[i - start] = " "
            words = [w for w in "".join(outside).split() if any(c.isalnum() for c in w)]
            out.append(len(words) < QUOTE_FRAME_WORDS)
    return out


def _distinct(docs: list[Document]) -> list[Document]:
    """Leave out articles that share an 8-word run with one kept before (Wikinews has a few
    follow-up stories that reuse text), so the only reuse in the corpus is the planted one."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for doc in docs:
        words = doc.text.lower().split()
        grams = {tuple(words[i : i + 8]) for i in range(len(words) - 7)}
        if grams & seen:
            continue
        seen |= grams
        out.append(doc)
    return out


def _spin(sentences: list[list[str]], rate: float, rng: Random) -> list[list[str]]:
    out = []
    for para in sentences:
        new = []
        for s in para:
            reps = sorted(spin_replacements(s, rate, rng), key=lambda r: r.start)
            for r in reversed(reps):
                s = s[: r.start] + r.new + s[r.end :]
            new.append(s)
        out.append(new)
    return out


class _Builder:
    """Grows the corpus page by page with its gold."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.pages: list[Page] = []
        self.quotation: set[str] = set()  # origins that are quotation (see _quotation)

    def add(self, site: str, day: date | None, title: str, paragraphs: list[list[str]],
            origins: list[str | None], role: str, story: str | None,
            parents: list[str]) -> Page:
        page = Page(f"c{len(self.pages):04d}", site, day, title, paragraphs, origins, role,
                    story, parents)
        self.pages.append(page)
        return page

    def copy(self, parent: Page, site: str, day: date | None, *, spin: float, role: str,
             truncate: bool) -> Page:
        paras = _spin(parent.paragraphs, spin, self.rng) if spin else parent.paragraphs
        origins = list(parent.origins)
        if truncate and len(paras) > 3:
            cut = sum(len(p) for p in paras[-1:])
            paras, origins = paras[:-1], origins[: len(origins) - cut]
        return self.add(site, day, parent.title, paras, origins, role, parent.story,
                        [parent.id])


def _later(day: date | None, rng: Random, *, missing: float = 0.3) -> date | None:
    """A farm's date: the same day, a day or two later, or none."""
    if day is None or rng.random() < missing:
        return None
    return day + timedelta(days=rng.choice((0, 0, 1, 2)))


def _wire(b: _Builder, doc: Document, n: int) -> list[Page]:
    """A wire story, its carriers and its farm copies (chains of up to four)."""
    rng = b.rng
    paras = _story(doc)
    story = doc.id
    day = _BASE + timedelta(days=n)
    origins: list[str | None] = [f"{story}:{i}" for i in range(sum(len(p) for p in paras))]
    b.quotation.update(o for o, q in zip(origins, _quotation(paras), strict=True) if q and o)
    wire = b.add("newswire.example", day, doc.title or story, paras, origins, "wire", story, [])
    family = [wire]
    for site in rng.sample(_CARRIERS, rng.randint(2, 4)):
        family.append(b.copy(wire, site, day + timedelta(days=rng.randint(1, 3)), spin=0.0,
                             role="carrier", truncate=rng.random() < 0.3))
    for _ in range(rng.choice((1, 1, 2))):  # independent farm chains from the wire
        parent, farms = wire, rng.sample(_FARMS, len(_FARMS))
        for depth in range(rng.randint(1, 3)):
            page = b.copy(parent, farms[depth], _later(parent.day, rng), spin=0.12,
                          role=f"farm-{depth + 1}", truncate=rng.random() < 0.2)
            family.append(page)
            parent = page
    return family


def _stitched(b: _Builder, one: Page, two: Page) -> Page:
    """A page stitched from runs of two stories' wire texts."""
    rng = b.rng
    paras: list[list[str]] = []
    origins: list[str | None] = []
    for src in (one, two):
        flat = [s for p in src.paragraphs for s in p]
        k = rng.randint(3, 4)
        at = rng.randint(0, max(0, len(flat) - k))
        paras.append(flat[at : at + k])
        origins += src.origins[at : at + k]
    day = max(d for d in (one.day, two.day) if d) + timedelta(days=rng.randint(1, 3)) \
        if rng.random() < 0.7 else None
    return b.add("aggregatorhub.example", day, f"{one.title} and more", paras, origins,
                 "stitched", None, [one.id, two.id])


def _independent(b: _Builder, wire: Page, body: Document) -> Page | None:
    """A same-topic report of its own that quotes the wire story's quotes."""
    quotes = [m.group(1) for s in (x for p in wire.paragraphs for x in p)
              for m in _QUOTE.finditer(s)]
    if not quotes:
        return None
    paras = _story(body)[:4]
    said = [f'A spokesperson told reporters: "{q.rstrip(".,")}."' for q in quotes[:2]]
    paras.insert(1, said)
    origins: list[str | None] = [None] * sum(len(p) for p in paras)
    return b.add("independentvoice.example", wire.day, f"Report: {wire.title}", paras, origins,
                 "independent", None, [])


def make_corpus(out: Path, *, seed: int = 0, stories: int = 60) -> dict[str, Any]:
    """Generate the syndication corpus into ``out``: ``corpus.jsonl``, ``gold.json``.

    Args:
        out: Directory to write into (created).
        seed: Random seed; the same seed gives the same files.
        stories: Wire stories to build from the bundled Wikinews sample.

    Returns:
        The manifest (counts by role).
    """
    rng = Random(seed)
    docs = [d for d in load_wikinews() if len(_story(d)) >= 3]
    rng.shuffle(docs)
    docs = _distinct(docs)
    stories = min(stories, len(docs) // 3)
    wires, bodies, spare = docs[:stories], docs[stories : 2 * stories], docs[2 * stories :]
    spare_sentences = [s for d in spare[20:] for p in _story(d) for s in p if 8 <= len(s.split()) <= 30]
    pools = make_pools(spare_sentences[:80], rng, base=_BASE)
    b = _Builder(rng)
    families = [_wire(b, doc, n) for n, doc in enumerate(wires)]
    for _ in range(stories // 4):
        one, two = rng.sample(families, 2)
        _stitched(b, one[0], two[0])
    for fam, body in zip(families, bodies, strict=False):
        if rng.random() < 0.5:
            _independent(b, fam[0], body)
    for n, doc in enumerate(spare[:20]):  # unrelated originals with furniture
        paras = _story(doc)
        b.add(_CARRIERS[n % len(_CARRIERS)], _BASE + timedelta(days=n), doc.title or doc.id,
              paras, [None] * sum(len(p) for p in paras), "original", None, [])
    return _write(out, b, pools, seed)


def _write(out: Path, b: _Builder, pools: FurniturePools, seed: int) -> dict[str, Any]:
    from unspun.bench.corpus_gold import gold_of

    out.mkdir(parents=True, exist_ok=True)
    pages, rng = b.pages, b.rng
    order = list(pages)
    rng.shuffle(order)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for p in order:
            text = dress([" ".join(para) for para in p.paragraphs], site=p.site, day=p.day,
                         rng=rng, pools=pools)
            record = {"id": p.id, "title": p.title, "site": p.site,
                      "url": f"https://{p.site}/{p.id}",
                      "date": p.day.isoformat() if p.day else None, "text": f"{p.title}\n\n{text}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    gold = gold_of(pages, b.quotation)
    (out / "gold.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
    roles: dict[str, int] = {}
    for p in pages:
        roles[p.role] = roles.get(p.role, 0) + 1
    manifest = {"format": CORPUS_FORMAT, "mode": "corpus", "seed": seed, "documents": len(pages),
                "roles": dict(sorted(roles.items())), "copy_pairs": len(gold["copy_pairs"]),
                "clusters": len(gold["clusters"]), "license": ATTRIBUTION}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest
