"""Build the farm-mode benchmark: pages that look like real content-farm pages, with full gold."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from random import Random
from statistics import median
from typing import Any

from unspun.bench.farm_check import validate_farm
from unspun.bench.farm_edit import containment
from unspun.bench.farm_pages import BUILDERS, PLAN, FarmPage, Lifted
from unspun.bench.farm_refs import BYLINES, Corpus, RefDoc, build_corpus
from unspun.bench.gold import Block, layout
from unspun.bench.rewrite import Junk
from unspun.bench.split import Split, load_split
from unspun.errors import BadInput

FARM_VERSION = "1"
#: Fewest indexed stories a farm benchmark is built from (a mosaic draws up to 15).
MIN_STORIES = 20
_SITES = ("dailynewsflash.example", "worldnewsnow.example", "breakingwire24.example",
          "newsbuzzhub.example", "globalpostdaily.example")
_BOTTOM = ("Related news", "Read more", "[an error occurred while processing the directive]")
#: The single verdict label of the older scheme that each gold (provenance, spun) maps to.
OLD_LABEL = {"original": "original", "partial-reuse": "partial-reuse", "copy": "syndicated-copy",
             "stitched": "stitched-aggregate"}


def _furniture(page: FarmPage, corpus: Corpus, rng: Random) -> tuple[list[Junk], list[Junk],
                                                                      list[Junk]]:
    """Headline lines, date line and byline on top; caption, social post and "More news"
    in the middle; "Related news" and a server error at the bottom. Captions, date lines,
    social posts and "More news" titles are taken from references that are NOT sources."""
    shared = set(page.extra.get("shares_quote_with", []))
    others = [r for r in corpus.refs if r.group not in page.contributions
              and r.doc.id not in shared]

    def trap(kind: str) -> Junk | None:
        having = [(r, line) for r in others for k, line in r.furniture if k == kind]
        if not having:
            return None
        ref, line = rng.choice(having)
        return Junk(line, kind, ref.doc.id)

    top = [Junk(page.title, "headline") for _ in range(page.repeats)]
    middle: list[Junk] = []
    for kind, p in (("dateline", 0.5), ("caption", 0.5), ("social-post", 0.3)):
        junk = trap(kind) if rng.random() < p else None
        if junk and kind == "dateline":
            top.append(junk)
        elif junk:
            middle.append(junk)
    if rng.random() < 0.4:
        top.append(trap("byline") or Junk(rng.choice(BYLINES), "byline"))
    if others and rng.random() < 0.4:
        ref = rng.choice(others)
        middle.append(Junk(f"More news: {ref.doc.title}", "more-news", ref.doc.id))
    bottom = [Junk(line, "related" if i < 2 else "server-error")
              for i, line in enumerate(_BOTTOM) if rng.random() < 0.4]
    return top, middle, bottom


def _blocks(page: FarmPage, corpus: Corpus, rng: Random) -> list[Block]:
    """Paragraphs of one or two sentences, wrapped in furniture."""
    pieces = [i.piece if isinstance(i, Lifted) else i for i in page.items]
    paras: list[Block] = []
    i = 0
    while i < len(pieces):
        n = rng.choice((1, 1, 2))
        paras.append(pieces[i : i + n])
        i += n
    top, middle, bottom = _furniture(page, corpus, rng)
    for junk in middle:
        paras.insert(rng.randint(1, max(1, len(paras) - 1)), junk)
    return [*top, *paras, *bottom]


def _gold(n: int, page: FarmPage, corpus: Corpus, text: str, blocks: list[Block],
          sentences: list[dict[str, Any]], junk: list[dict[str, Any]],
          edits: list[dict[str, Any]]) -> dict[str, Any]:
    """The gold record of one page (offsets absolute into the suspect text)."""
    refs = corpus.by_id()
    ordered = [p for b in blocks if isinstance(b, list) for p in b]
    lifted = {id(i.piece): i for i in page.items if isinstance(i, Lifted)}
    quotes = []
    for piece, sent in zip(ordered, sentences, strict=True):
        if sent.get("sources") and id(piece) not in lifted:
            first = sent["sources"][0]
            sent["containment"] = containment(
                text[sent["span"][0] : sent["span"][1]],
                refs[first["source_id"]].doc.text[first["source_span"][0] : first["source_span"][1]])
        for src in list(sent.get("sources", [])):
            ref = refs[src["source_id"]]
            sent["sources"] += [{"source_id": d, "source_span": [s, e]}
                                for d, s, e in corpus.carriers(ref, *src["source_span"])
                                if d != ref.doc.id]
        if id(piece) in lifted:
            q = dict(lifted[id(piece)].gold)
            a, b = q.pop("rel")
            ref = refs[q["source_id"]]
            q = {"span": [sent["span"][0] + a, sent["span"][0] + b], **q,
                 "group": ref.group, "carriers": [
                     {"source_id": d, "source_span": [s, e]}
                     for d, s, e in corpus.carriers(ref, *q["source_span"])]}
            quotes.append(q)
            sent["quote"] = True
    headline = None
    if page.headline_from:
        ref = refs[page.headline_from]
        headline = {"text": page.title, "source_id": ref.doc.id, "group": ref.group,
                    "carriers": [r.doc.id for r in corpus.groups[ref.group]],
                    "full_stop": page.title != (ref.doc.title or ""), "repeats": page.repeats}
    headline_spans = [j["span"] for j in junk if j["kind"] == "headline"]
    groups = [{"group": g, "carriers": [r.doc.id for r in corpus.groups[g]], "used": c.used,
               "kind": c.kind, "sentences": c.sentences, "quotes": c.quotes,
               "headline": c.headline} for g, c in sorted(page.contributions.items())]
    label = OLD_LABEL[page.provenance]
    if page.provenance == "copy" and "spun" in page.manipulation:
        label = "spun-copy"
    return {"id": f"suspect-{n:04d}", "type": page.type, "title": page.title,
            "expected_verdict": label,
            "provenance": page.provenance, "manipulation": sorted(page.manipulation),
            "sources": sorted(c.used for c in page.contributions.values()),
            "source_groups": groups, "headline": headline, "headline_spans": headline_spans,
            "quotes": quotes, **page.extra, "sentences": sentences, "junk": junk, "edits": edits}


def _meta(page: FarmPage, n: int, corpus: Corpus, rng: Random) -> dict[str, str]:
    site = rng.choice(_SITES)
    day = date(2018, 7, 20)
    used = [corpus.by_id()[c.used].doc.date for c in page.contributions.values()]
    first = min((d for d in used if d and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)), default=None)
    if first:
        day = date.fromisoformat(first) + timedelta(days=rng.randint(0, 3))
    slug = re.sub(r"[^a-z0-9]+", "-", page.title.lower()).strip("-")[:60] or "story"
    return {"site": site, "date": day.isoformat(),
            "url": f"https://{site}/{day.year}/{day.month:02d}/{slug}-{n}.html"}


def make_farm(out: Path, *, seed: int, source: Path | None = None, n_suspects: int = 108,
              split: Split = "test") -> dict[str, Any]:
    """Generate the farm-mode benchmark into ``out`` and check every gold span first.

    Args:
        out: Output directory (created; existing files are overwritten).
        seed: Seed of the only random source, so a seed always gives the same files.
        source: A Wikinews-format JSONL to build from; the bundled sample when omitted.
        n_suspects: Number of pages, cycling through :data:`PLAN`.
        split: Which half of the articles to build from: ``test``, ``tune`` or ``all``.

    Returns:
        The manifest (also written to ``out/manifest.json``).

    Raises:
        BadInput: When ``source`` cannot be read or has too few usable articles.
        ValueError: When a gold span does not slice its text (a generator bug).
    """
    rng = Random(seed)
    docs, pool = load_split(source, split)
    corpus = build_corpus(docs, rng)
    if len(corpus.groups) < MIN_STORIES:
        raise BadInput(str(source or "bundled sample"),
                       f"farm mode needs {MIN_STORIES} stories of 6+ usable sentences in the "
                       f"{split} half; found {len(corpus.groups)}")
    plan = [PLAN[i % len(PLAN)] for i in range(n_suspects)]
    rng.shuffle(plan)
    rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for n, kind in enumerate(plan, 1):
        page = BUILDERS[kind](rng, corpus)
        blocks = _blocks(page, corpus, rng)
        text, sentences, junk, edits = layout(blocks)
        gold = _gold(n, page, corpus, text, blocks, sentences, junk, edits)
        meta = _meta(page, n, corpus, rng)
        gold.update(meta)
        rows.append(({"id": gold["id"], "title": page.title, "text": text, **meta}, gold))
    ref_texts = {r.doc.id: r.doc for r in corpus.refs}
    for suspect, gold in rows:
        validate_farm(suspect["text"], gold, ref_texts)
    return _write(out, seed, source, corpus, rows, pool)


def _write(out: Path, seed: int, source: Path | None, corpus: Corpus,
           rows: list[tuple[dict[str, Any], dict[str, Any]]], pool: dict[str, Any]
           ) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "reference.jsonl").open("w", encoding="utf-8") as fh:
        for r in corpus.refs:
            fh.write(json.dumps(_ref_row(r, corpus)) + "\n")
    with (out / "suspects.jsonl").open("w", encoding="utf-8") as fs, \
            (out / "gold.jsonl").open("w", encoding="utf-8") as fg:
        for suspect, gold in rows:
            fs.write(json.dumps(suspect) + "\n")
            fg.write(json.dumps(gold) + "\n")
    counts: dict[str, int] = {}
    for _, g in rows:
        counts[g["type"]] = counts.get(g["type"], 0) + 1
    kinds: dict[str, int] = {}
    for _, g in rows:
        for sg in g["source_groups"]:
            kinds[sg["kind"]] = kinds.get(sg["kind"], 0) + 1
    manifest = {
        "generator": "unspun.bench", "generator_version": FARM_VERSION, "mode": "farm",
        "seed": seed, "source": str(source) if source else "bundled:wikinews.jsonl", **pool,
        "references": len(corpus.refs), "stories": len(corpus.groups),
        "carried_stories": sum(len(g) > 1 for g in corpus.groups.values()),
        "synthetic_quotes": len(corpus.synthetic), "widely_quoted": len(corpus.widely_quoted),
        "held_out": len(corpus.held_out), "suspects": len(rows),
        "types": dict(sorted(counts.items())), "source_kinds": dict(sorted(kinds.items())),
        "quotes": sum(len(g["quotes"]) for _, g in rows),
        "altered_quotes": sum(q["altered"] for _, g in rows for q in g["quotes"]),
        "borrowed_containment_median": round(median([
            s["containment"] for _, g in rows if g["type"] in ("mosaic", "partial")
            for s in g["sentences"] if "containment" in s] or [0.0]), 3),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _ref_row(ref: RefDoc, corpus: Corpus) -> dict[str, Any]:
    d = ref.doc
    row = {"id": d.id, "title": d.title, "date": d.date, "url": d.url, "site": d.site,
           "text": d.text, **d.meta, "carries": ref.group,
           "furniture": [{"kind": k, "text": line} for k, line in ref.furniture]}
    if ref.group in corpus.synthetic:
        row["synthetic_quote"] = corpus.synthetic[ref.group]
    return row

