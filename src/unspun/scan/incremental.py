"""`unspun scan NEW... --out DIR --add`: add documents to a finished scan without redoing it.

The result is the scan of the old and new documents together, computed from what is stored:

1. The new documents are read and numbered after the stored ones; the site profile is learnt
   again from all of them (in the same order as one whole scan would read them).
2. The new documents are cleaned. A stored document is cleaned again only when the recurring
   lines of its site changed; it counts as *changed* when its sentences or grams differ.
3. Candidate pairs are found over the whole gram index (the document frequencies of grams grow
   with the corpus, so an old pair can lose its candidacy; the index pass is cheap).
4. Only candidates with a new or changed document, or not among the stored candidates, are
   aligned. Every other candidate keeps its stored result: alignment is a pure function of the
   two prepared documents and the settings.
5. Clusters, lineage, sites, the graph and the report are recomputed from all pairs.

Each step is checkpointed in ``work/add-NN/``; a finished add is recorded in one atomic write
of ``work/state.json``, so a killed add resumes with ``--add --resume`` and leaves the stored
scan whole until then.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np

from unspun import __version__
from unspun.clean import SiteProfile
from unspun.data import Document
from unspun.errors import BadInput
from unspun.scan import run as local
from unspun.scan.checkpoint import CHECKPOINT_FORMAT, Checkpoints
from unspun.scan.prepare import prepare_document
from unspun.scan.records import Pair, Prepared


def same_prepared(x: Prepared, y: Prepared) -> bool:
    """Whether two preparations of one document compare alike (sentences, grams, site)."""
    return (x.site == y.site and x.sentences == y.sentences and x.units == y.units
            and x.removed == y.removed and np.array_equal(x.keys, y.keys)
            and np.array_equal(x.owners, y.owners))


def load_docs(ck: Checkpoints, state: dict[str, Any]) -> list[Prepared]:
    """The prepared documents of the finished scan ``state``, by docno."""
    docs: list[Prepared] = sorted((d for name in state["docs"] for d in ck.load(name)),
                                  key=lambda d: d.docno)
    for name in state["patches"]:
        for d in ck.load(name).values():
            docs[d.docno] = d
    return docs


def load_pairs(ck: Checkpoints, state: dict[str, Any]) -> list[Pair]:
    """The pairs of the finished scan ``state``."""
    return [p for name in state["pairs"] for p in ck.load(name)]


def _changed_sites(old: SiteProfile, new: SiteProfile) -> set[str]:
    return {s for s in old.lines.keys() | new.lines.keys() if old.lines.get(s) != new.lines.get(s)}


def _keys(pairs: np.ndarray, n: int) -> np.ndarray:
    return pairs[:, 0] * n + pairs[:, 1]


def scan_add(inp: local.ScanInputs, *, resume: bool = False) -> local.ScanRun:
    """Add the documents of ``inp.paths`` to the finished scan in ``inp.out``.

    Args:
        inp: The new inputs; ``inp.out`` holds the scan to extend (its settings must match).
        resume: Continue an add that was killed (or rewrite the outputs of a finished one).

    Returns:
        Counts for the whole corpus; ``stats`` says how many pairs were aligned and reused.

    Raises:
        BadInput: ``inp.out`` holds no finished scan, one with other settings, or an
            unfinished add of other inputs.
    """
    with local.paused_gc():
        return _scan_add(inp, resume=resume)


def _scan_add(inp: local.ScanInputs, *, resume: bool) -> local.ScanRun:
    base = Checkpoints(inp.out)
    state = base.state()
    if state is None:
        raise BadInput(str(inp.out), "holds no finished scan to add to (run unspun scan "
                       "first, or finish it with --resume)")
    if state.get("format") != CHECKPOINT_FORMAT:
        raise BadInput(str(inp.out), f"holds a scan of checkpoint format {state.get('format', 2)}"
                       f" (this unspun reads {CHECKPOINT_FORMAT}); scan it again")
    ident = state["identity"]
    settings = {"config": inp.config.to_dict(),
                "fields": inp.identity()["fields"]}
    if {k: ident[k] for k in settings} != json.loads(json.dumps(settings)):
        raise BadInput(str(inp.out), "holds a scan made with other settings (--field, "
                       "--no-furniture); add with the same ones")
    gen = state["generation"]
    add_ident = {"paths": [str(p) for p in inp.paths], "base": gen, "unspun": __version__}
    if resume and state["add"] == json.loads(json.dumps({**add_ident, "base": gen - 1})):
        # Finished already: only the outputs are written again.
        cands = base.load_array(state["candidates"])
        return local.finish(inp, load_docs(base, state), load_pairs(base, state),
                            total=state["documents"], skipped=state["skipped"],
                            candidates=len(cands), engine="local", extra=state["stats"])
    part = f"add-{gen + 1:02d}"
    ck = Checkpoints(inp.out, part)
    ck.start(add_ident, resume=resume)
    old_docs = load_docs(base, state)
    n_old = len(old_docs)

    def stored() -> Iterator[Document]:
        return (d.doc for d in old_docs)

    total, skipped = local.read_stage(inp, ck, start=n_old, before=stored)
    n_batches: int = ck.load("read.batches")
    profile: SiteProfile = ck.load("profile.pkl")
    local._WORK.update(ck=ck, config=inp.config, profile=profile)
    todo = [n for n in range(n_batches) if not ck.has(f"prep-{n:05d}.pkl")]
    local._run(local._prepare_one, todo, local._jobs(inp), "scan: cleaning", inp.show_progress)
    if not ck.has("patch.pkl"):
        sites = _changed_sites(base.load(state["profile"]), profile)
        patch = {}
        for d in old_docs:
            if profile.site_of(d.doc) in sites:
                again = prepare_document(d.doc, d.docno, config=inp.config, profile=profile)
                if not same_prepared(again, d):
                    patch[d.docno] = again
        ck.save("patch.pkl", patch)
    patch = ck.load("patch.pkl")
    docs = [patch.get(d.docno, d) for d in old_docs]
    docs += [d for n in range(n_batches) for d in ck.load(f"prep-{n:05d}.pkl")]
    local._WORK.update(docs=docs)
    local.save_candidates(ck, inp.config, jobs=local._jobs(inp), show=inp.show_progress)
    cands = ck.load_array("candidates.npy")
    n = len(docs)
    fresh = np.zeros(n, bool)
    fresh[n_old:] = True
    fresh[list(patch)] = True
    stale = fresh[cands[:, 0]] | fresh[cands[:, 1]]
    stale |= ~np.isin(_keys(cands, n), _keys(base.load_array(state["candidates"]), n))
    aligned = cands[stale]
    n_pair_batches = (len(aligned) + local.PAIR_BATCH - 1) // local.PAIR_BATCH
    local._WORK.update(docs=docs, candidates=aligned)
    todo = [b for b in range(n_pair_batches) if not ck.has(f"pairs-{b:05d}.pkl")]
    local._run(local._compare_one, todo, local._jobs(inp), "scan: aligning", inp.show_progress)
    local._WORK.clear()
    reused = set(_keys(cands[~stale], n).tolist())
    if not ck.has("kept.pkl"):  # loaded only now: the forked workers need no stored pairs
        ck.save("kept.pkl", [p for p in load_pairs(base, state) if p.a * n + p.b in reused])
    pair_files = ["kept.pkl"] + [f"pairs-{b:05d}.pkl" for b in range(n_pair_batches)]
    pairs: list[Pair] = [p for name in pair_files for p in ck.load(name)]
    stats = {"generation": gen + 1, "added": total, "recleaned_changed": len(patch),
             "aligned": len(aligned), "reused": len(reused)}
    base.save_state({
        "generation": gen + 1, "format": CHECKPOINT_FORMAT, "add": add_ident, "stats": stats,
        "identity": {**ident, "paths": ident["paths"] + add_ident["paths"]},
        "documents": state["documents"] + total, "skipped": state["skipped"] + skipped,
        "profile": f"{part}/profile.pkl",
        "docs": state["docs"] + [f"{part}/prep-{b:05d}.pkl" for b in range(n_batches)],
        "patches": state["patches"] + [f"{part}/patch.pkl"],
        "pairs": [f"{part}/{name}" for name in pair_files],
        "candidates": f"{part}/candidates.npy"})
    return local.finish(inp, docs, pairs, total=state["documents"] + total,
                        skipped=state["skipped"] + skipped, candidates=len(cands),
                        engine="local", extra=stats)
