"""Build the generated content-farm benchmark: references, suspects, gold and a manifest."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

from unspun.bench.builders import BUILDERS, EXPECTED_VERDICT, TYPES, Built, Pools
from unspun.bench.gold import Block, Suspect, layout, validate
from unspun.bench.junk import plan_junk
from unspun.bench.pool import Article, digest
from unspun.bench.split import Split, load_split
from unspun.data import Document

GENERATOR_VERSION = "2"
_FARM_SITES = ("dailynewsflash.example", "worldnewsnow.example", "breakingwire24.example",
               "topheadlines.example", "newsbuzzhub.example", "globalpostdaily.example")


def _paragraphs(built: Built, rng: Random, others: list[Document], junk_rate: float
                ) -> list[Block]:
    """Group sentences 2-3 per paragraph and wrap them in the suspect's junk."""
    plan = plan_junk(built.title, rng, others, rate=junk_rate)
    paras: list[Block] = []
    pieces = built.pieces
    i = 0
    while i < len(pieces):
        n = rng.randint(2, 3)
        paras.append(pieces[i : i + n])
        i += n
    for junk in plan.middle:
        paras.insert(rng.randint(1, max(1, len(paras) - 1)), junk)
    return [*plan.top, *paras, *plan.bottom]


def _meta(built: Built, n: int, rng: Random) -> dict[str, Any]:
    """URL, site and date of a suspect: a farm page dated a few days after its first source."""
    site = rng.choice(_FARM_SITES)
    day = date(2020, 1, 1)
    first = built.sources[0].doc.date if built.sources else None
    if first and re.match(r"\d{4}-\d{2}-\d{2}$", first):
        day = date.fromisoformat(first) + timedelta(days=rng.randint(0, 3))
    slug = re.sub(r"[^a-z0-9]+", "-", built.title.lower()).strip("-")[:60] or "story"
    return {"site": site, "date": day.isoformat(),
            "url": f"https://{site}/{day.year}/{day.month:02d}/{slug}-{n}.html"}


def _split_pool(docs: list[Document], rng: Random, holdout: float
                ) -> tuple[list[Article], list[Article]]:
    """Digest every article and hold out a share of them (never indexed) for originals."""
    articles = [a for a in (digest(d) for d in docs) if len(a.sentences) >= 4]
    order = list(range(len(articles)))
    rng.shuffle(order)
    cut = max(1, round(len(articles) * holdout))
    held = sorted(order[:cut])
    held_set = set(held)
    return ([articles[i] for i in range(len(articles)) if i not in held_set],
            [articles[i] for i in held])


def make_bench(out: Path, *, seed: int, source: Path | None = None, n_suspects: int = 204,
               spin_rate: float = 0.3, holdout: float = 0.1, junk_rate: float = 0.7,
               split: Split = "test") -> dict[str, Any]:
    """Generate the benchmark into ``out`` and check every gold span before returning.

    Args:
        out: Output directory (created; existing files are overwritten).
        seed: Seed of the only random source used, so a seed always gives the same files.
        source: A Wikinews-format JSONL to build from; the bundled sample when omitted.
        n_suspects: Total number of suspects, spread evenly over the manipulation types.
        spin_rate: Share of content words the ``spun`` type replaces.
        holdout: Share of articles kept out of the references (material for originals).
        junk_rate: Probability that a suspect is wrapped in page junk.
        split: Which half of the articles to build from (``unspun.bench.split``): ``test``
            (gate on it), ``tune`` (tune thresholds on it) or ``all``.

    Returns:
        The manifest (also written to ``out/manifest.json``).

    Raises:
        BadInput: When ``source`` cannot be read.
        ValueError: When a gold span does not slice its text (a generator bug).
    """
    rng = Random(seed)
    docs, pool = load_split(source, split)
    references, held_out = _split_pool(docs, rng, holdout)
    quoted = [a for a in references if any(s != "a spokesperson" for _, s in a.quotes)]
    pools = Pools(references, held_out, quoted, spin_rate=spin_rate)
    plan = [TYPES[i % len(TYPES)] for i in range(n_suspects)]
    rng.shuffle(plan)
    suspects: list[Suspect] = []
    for n, kind in enumerate(plan, 1):
        built = BUILDERS[kind](rng, pools)
        used = {a.doc.id for a in built.sources}
        others = [a.doc for a in references if a.doc.id not in used]
        text, sentences, junk, edits = layout(_paragraphs(built, rng, others, junk_rate))
        suspect = Suspect(f"suspect-{n:04d}", kind, EXPECTED_VERDICT[kind], built.title, text,
                          sentences, junk, edits, dict(built.extra))
        suspect.extra.update(_meta(built, n, rng))
        suspects.append(suspect)
    return _write(out, seed, source, references, held_out, suspects, spin_rate, pool)


def _write(out: Path, seed: int, source: Path | None, references: list[Article],
           held_out: list[Article], suspects: list[Suspect], spin_rate: float,
           pool: dict[str, Any]) -> dict[str, Any]:
    """Validate, then write the four benchmark files."""
    ref_texts = {a.doc.id: a.doc.text for a in references}
    for s in suspects:
        validate(s.text, s.gold(), ref_texts)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "reference.jsonl").open("w", encoding="utf-8") as fh:
        for a in references:
            d = a.doc
            fh.write(json.dumps({"id": d.id, "title": d.title, "date": d.date, "url": d.url,
                                 "site": d.site, "text": d.text, **d.meta}) + "\n")
    with (out / "suspects.jsonl").open("w", encoding="utf-8") as fs, \
            (out / "gold.jsonl").open("w", encoding="utf-8") as fg:
        for s in suspects:
            meta = {k: s.extra[k] for k in ("url", "site", "date")}
            fs.write(json.dumps({"id": s.id, "title": s.title, "text": s.text, **meta}) + "\n")
            fg.write(json.dumps(s.gold()) + "\n")
    counts: dict[str, int] = {}
    for s in suspects:
        counts[s.type] = counts.get(s.type, 0) + 1
    manifest = {
        "generator": "unspun.bench", "generator_version": GENERATOR_VERSION, "mode": "wire",
        "seed": seed, "source": str(source) if source else "bundled:wikinews.jsonl", **pool,
        "spin_rate": spin_rate, "references": len(references), "held_out": len(held_out),
        "suspects": len(suspects), "types": dict(sorted(counts.items())),
        "sentences": sum(len(s.sentences) for s in suspects),
        "junk_lines": sum(len(s.junk) for s in suspects),
        "edits": sum(len(s.edits) for s in suspects),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
