"""The local engine: run the scan stages with checkpoints, over every core, then write outputs."""

from __future__ import annotations

import gc
import io
import itertools
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from unspun import __version__
from unspun.clean import learn_site_profile
from unspun.data import Document
from unspun.errors import BadInput, UnspunError
from unspun.ingest import IngestErrors, JsonlFields, iter_documents
from unspun.progress import progress
from unspun.scan.candidates import candidate_pairs, candidate_pairs_duckdb
from unspun.scan.checkpoint import CHECKPOINT_FORMAT, Checkpoints
from unspun.scan.compare import REWORDED
from unspun.scan.config import ScanConfig
from unspun.scan.records import Pair, Prepared
from unspun.scan.sentence_tier import add_sentence_tier, sentence_tier, union_pairs
from unspun.scan.stages import SourceCache, compare_batch, prepare_batch, relate

T = TypeVar("T")
Engine = Literal["local", "spark"]
#: Candidate pairs per checkpointed comparison batch (small enough to keep both workers busy
#: to the end; each worker keeps its source cache across batches).
PAIR_BATCH = 1000
#: Documents a comparison worker keeps as sources (7.5 KB each with their quotes and grams,
#: kept by word ids and without their document, which the worker's store holds). A source
#: recurs all over the candidate list (planted 100k: 65,000 sources in 388,000 pairs), so this
#: sets how often it is rebuilt: 0.42 builds a pair with 18,000 at 100k, 0.30 with 40,000
#: (0.28 at 10k, where none is dropped). Replaying a worker's first 130 batches of planted
#: 100k, 40,000 sources took 379 MB beside its store, 18,000 that kept their documents 398 MB
#: (2026-12-05, benchmarks in docs/performance.md).
CACHE_DOCS = 40_000
#: Prepared documents an aligning worker keeps unpickled (:class:`Unpickled`; about 13 KB each
#: at planted 100k). 20,000 rather than 10,000 (2026-12-05): planted 100k's aligning stage took
#: 157.5 s instead of 169-174 and the scan 0.95x the CPU, each worker peaking at 1.35 GB instead
#: of 1.26 (the scan's peak is the candidate stage's, 3.5 GB either way); identical tables.
WORKER_DOCS = 20_000
#: Corpora of more documents than this save memory at some cost in time. Their aligning
#: workers read the documents pickled (:class:`PickledDocs`), which saves the workers' copies
#: of the parent's pages (planted 100k: 1.56 GB a worker without, 1.26 GB with) but costs
#: the parent about 1.1 s for 10,000 documents, where the copies are small (60 MB of a
#: 788 MB peak at planted 10k). And their two candidate children run one after the other,
#: the sentence tier told the gram tiers' pairs (see :func:`save_candidates`).
LARGE_CORPUS = 30_000


@dataclass(slots=True)
class ScanRun:
    """What a scan read and where its outputs went."""

    out: Path
    documents: int
    skipped: list[tuple[str, str]]
    candidates: int
    pairs: int
    copies: int
    clusters: int
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ScanInputs:
    """The inputs and settings of one scan (its identity for ``--resume``)."""

    paths: list[str]
    out: Path
    config: ScanConfig = field(default_factory=ScanConfig)
    fields: JsonlFields | None = None
    max_bytes: int | None = 50 * 1024 * 1024
    jobs: int = 0  # 0: every core
    parquet: bool = True
    show_progress: bool | None = None

    def identity(self) -> dict[str, Any]:
        return {"paths": [str(p) for p in self.paths], "config": self.config.to_dict(),
                "fields": None if self.fields is None else asdict(self.fields),
                "pair_batch": PAIR_BATCH, "unspun": __version__}


def read_stage(inp: ScanInputs, ck: Checkpoints, *, start: int = 0,
               before: Callable[[], Iterable[Document]] | None = None,
               ) -> tuple[int, list[tuple[str, str]]]:
    """Read every document into numbered batches and learn the sites' recurring lines.

    Args:
        inp: The inputs to read.
        ck: Where the batches go.
        start: The first document number (``--add`` numbers after the stored documents).
        before: The documents already scanned, learnt from first (``--add``).
    """
    if ck.done("read"):
        meta: tuple[int, list[tuple[str, str]]] = ck.load("read.meta")
        return meta
    errors = IngestErrors()
    batch: list[tuple[int, Document]] = []
    number = 0

    def batches() -> Iterator[Document]:
        nonlocal batch, number
        docs = iter_documents(inp.paths, fields=inp.fields, errors=errors,
                              max_bytes=inp.max_bytes)
        for docno, doc in enumerate(progress(docs, description="scan: reading",
                                             enabled=inp.show_progress), start):
            batch.append((docno, doc))
            if len(batch) >= inp.config.batch:
                ck.save(f"docs-{number:05d}.pkl", batch)
                number, batch = number + 1, []
            yield doc

    profile = learn_site_profile(itertools.chain(before() if before else (), batches()))
    if batch:
        ck.save(f"docs-{number:05d}.pkl", batch)
        number += 1
    total = errors.documents
    ck.save("profile.pkl", profile)
    ck.save("read.meta", (total, list(errors.skipped)))
    ck.save("read.batches", number)
    ck.mark("read")
    return total, list(errors.skipped)


_WORK: dict[str, Any] = {}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a scan (see :func:`_collect_young`).

    The scan holds every prepared document and pair (millions of objects) and makes no
    reference cycles of its own; with the collector running, each full collection walks all
    of them again (loading 10,000 prepared documents took 1.5 CPU-s with it, 0.35 without).
    Objects alive before a pool of workers is forked are frozen (``gc.freeze``), so no
    collection in a worker touches them, which would also copy their pages.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _collect_young() -> None:
    """Collect what a batch made and left in cycles, without walking older objects: with the
    collector paused every new object stays young, so this walks only the batch's survivors."""
    if not gc.isenabled():
        gc.collect(1)


def _prepare_one(number: int) -> int:
    ck: Checkpoints = _WORK["ck"]
    docs = ck.load(f"docs-{number:05d}.pkl")
    ck.save(f"prep-{number:05d}.pkl", prepare_batch(docs, config=_WORK["config"],
                                                    profile=_WORK["profile"]))
    del docs
    _collect_young()
    return number


def _compare_one(number: int) -> int:
    ck: Checkpoints = _WORK["ck"]
    rows = _WORK["candidates"][number * PAIR_BATCH : (number + 1) * PAIR_BATCH]
    ck.save(f"pairs-{number:05d}.pkl", compare_batch(rows, _docs(),
                                                     config=_WORK["config"], cache=_cache()))
    _collect_young()
    return number


def _cache() -> SourceCache:
    """This process's source cache: forked workers start from an empty one and keep it
    across batches."""
    cache: SourceCache = _WORK.setdefault(f"cache-{os.getpid()}", SourceCache(CACHE_DOCS))
    return cache


class PickledDocs:
    """Prepared documents pickled one after another into one buffer, for forked workers.

    A forked worker that reads the parent's documents as Python objects writes to their
    pages (reference counts) and so copies them: the two aligning workers of planted 100k
    each grew to 1.56 GB RSS beside the parent's 1.3 GB of documents. Pickled, the documents
    are one object whose pages the workers only read; each worker unpickles the ones it
    meets (:class:`Unpickled`).
    """

    def __init__(self, docs: Iterable[Prepared]) -> None:
        buf = io.BytesIO()
        ends = []
        for d in docs:
            pickle.dump(d, buf, protocol=pickle.HIGHEST_PROTOCOL)
            ends.append(buf.tell())
        self._buf = buf
        self._ends = np.array(ends, np.int64)

    def __len__(self) -> int:
        return len(self._ends)

    def load(self, n: int) -> Prepared:
        """Document ``n`` (its place in the documents given, which is its docno)."""
        start = int(self._ends[n - 1]) if n else 0
        doc: Prepared = pickle.loads(self._buf.getbuffer()[start : int(self._ends[n])])
        return doc

    def all(self) -> list[Prepared]:
        return [self.load(n) for n in range(len(self))]


class Unpickled(dict[int, Prepared]):
    """A worker's documents by docno, unpickled from :class:`PickledDocs` as first met; the
    ``limit`` latest are kept (a worker meets each document in many pairs).

    The oldest is found in a queue of the docnos, not as the dict's first key: a dict's
    deleted entries stay at its front until it is resized, and finding its first key walks
    them (planted 100k: about 5 us a miss, 0.83 misses a pair, against 0.4 us).
    """

    def __init__(self, store: PickledDocs, limit: int) -> None:
        super().__init__()
        self.store, self.limit = store, limit
        self._order: deque[int] = deque()

    def __missing__(self, n: int) -> Prepared:
        doc = self[n] = self.store.load(n)
        self._order.append(n)
        if len(self._order) > self.limit:
            self.pop(self._order.popleft(), None)
        return doc


def _trim() -> None:
    """Give the C heap's free pages back to the system (glibc only; elsewhere nothing).

    Freed objects of C malloc's size (document texts, gram arrays: about half of the
    documents' memory) stay resident in its heap; a worker forked then maps them too.
    """
    import ctypes

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _docs() -> Sequence[Prepared] | dict[int, Prepared]:
    """The documents the comparison reads: this process's :class:`Unpickled` when the scan
    keeps them pickled (``_WORK["store"]``), else the list of them."""
    store: PickledDocs | None = _WORK.get("store")
    if store is None:
        docs: list[Prepared] = _WORK["docs"]
        return docs
    mine: Unpickled = _WORK.setdefault(f"docs-{os.getpid()}", Unpickled(store, WORKER_DOCS))
    return mine


def _run(fn: Callable[[int], int], todo: Sequence[int], jobs: int, what: str,
         enabled: bool | None, *, done: Callable[[int], None] | None = None) -> None:
    """Run ``fn`` over batch numbers on ``jobs`` forked workers (inline for one);
    ``done(n)`` runs in this process as each batch finishes, in order.

    Raises:
        UnspunError: a worker died (one line for the user, as for :func:`_in_child`).
    """
    if jobs <= 1 or len(todo) <= 1:
        for n in progress(todo, description=what, total=len(todo), enabled=enabled):
            fn(n)
            if done is not None:
                done(n)
        return
    gc.freeze()  # see paused_gc
    try:
        with ProcessPoolExecutor(max_workers=jobs,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for n in progress(pool.map(fn, todo), description=what, total=len(todo),
                              enabled=enabled):
                if done is not None:
                    done(n)
    except BrokenProcessPool:
        raise UnspunError(f"{what}: a worker process died (killed for want of memory, "
                          "likely); the finished batches are kept: run the scan again with "
                          "--resume") from None


def _fork(fn: Callable[[], None], what: str) -> multiprocessing.process.BaseProcess:
    """Start ``fn`` in a forked child process (see :func:`_in_child`)."""
    gc.freeze()
    child = multiprocessing.get_context("fork").Process(target=fn, name=what)
    child.start()
    return child


def _wait(child: multiprocessing.process.BaseProcess, what: str) -> None:
    """Wait for a child of :func:`_fork`.

    Raises:
        UnspunError: the child failed (see :func:`_in_child`).
    """
    child.join()
    if child.exitcode != 0:
        why = "killed" if child.exitcode and child.exitcode < 0 else "failed"
        raise UnspunError(f"{what} {why} (exit code {child.exitcode}); the finished stages "
                          "are kept: run the scan again with --resume")


def _in_child(fn: Callable[[], None], what: str) -> None:
    """Run ``fn`` in a forked child process and wait for it.

    The candidate stage loads DuckDB and pyarrow and leaves their memory behind (about
    100 MB); run in the scan's own process, that memory was then copied into the resident
    set of every comparison worker forked after it.

    Raises:
        UnspunError: the child failed (one line for the user: a child killed for want of
            memory is the likely case on a large corpus; the finished stages are kept).
    """
    _wait(_fork(fn, what), what)


def _in_children(steps: list[tuple[Callable[[], None], str]], *, at_once: bool,
                 show: bool | None) -> None:
    """Run each step in a forked child under one progress bar, one after the other or all
    at once (the others are stopped when one fails).

    Raises:
        UnspunError: a child failed (see :func:`_in_child`).
    """
    if not at_once:
        for fn, what in progress(steps, description="scan: candidates", total=len(steps),
                                 enabled=show):
            _in_child(fn, what)
        return
    children = [(_fork(fn, what), what) for fn, what in steps]
    try:
        for child, what in progress(children, description="scan: candidates",
                                    total=len(children), enabled=show):
            _wait(child, what)
    finally:
        for child, _ in children:
            if child.exitcode is None:
                child.terminate()
                child.join()


def find_candidates(docs: list[Prepared], config: ScanConfig, *,
                    sentences: bool = True, spill: Path | None = None) -> np.ndarray:
    """Candidate pairs by DuckDB's join when it is installed (faster where grams are shared
    by many documents; it may spill to a temporary directory in ``spill``), else by the
    numpy inverted index; both give the same pairs."""
    import importlib.util

    if importlib.util.find_spec("duckdb") and importlib.util.find_spec("pyarrow"):
        return candidate_pairs_duckdb(docs, config, sentences=sentences, spill=spill)
    return candidate_pairs(docs, config, n_docs=len(docs), sentences=sentences)


def _save_gram_candidates() -> None:
    ck: Checkpoints = _WORK["ck"]
    ck.save_array("gram-candidates.npy",
                  find_candidates(_WORK["docs"], _WORK["config"], sentences=False, spill=ck.dir))


def _n_docs(docs: list[Prepared]) -> int:
    return max((d.docno for d in docs), default=-1) + 1


def _save_candidates() -> None:
    ck: Checkpoints = _WORK["ck"]
    docs: list[Prepared] = _WORK["docs"]
    ck.save_array("candidates.npy", add_sentence_tier(
        docs, _WORK["config"], ck.load_array("gram-candidates.npy"), n_docs=_n_docs(docs)))


def _save_sentence_candidates() -> None:
    """The sentence tier's pairs, not told the gram tiers' (it runs beside them)."""
    ck: Checkpoints = _WORK["ck"]
    docs: list[Prepared] = _WORK["docs"]
    ck.save_array("sentence-candidates.npy",
                  sentence_tier(docs, _WORK["config"], n_docs=_n_docs(docs)))


def save_candidates(ck: Checkpoints, config: ScanConfig, *, jobs: int = 1,
                    show: bool | None = None) -> None:
    """Write ``candidates.npy`` for the documents in ``_WORK["docs"]`` (both local paths),
    with a progress bar of its steps when ``show`` (or stderr is a terminal).

    The gram tiers and the sentence tier run in two forked children. With ``jobs`` of 2 or
    more and at most ``LARGE_CORPUS`` documents they run at the same time (the sentence tier
    was 3.5 of the stage's 4.1 CPU-s on planted 10k), and the sentence tier's pairs are
    joined with the gram tiers' after both: the same pairs, since the tier judges each
    document pair on its own. On larger corpora they run one after the other, and the
    sentence tier leaves out the gram tiers' pairs early, which saves memory where many
    documents are copies: DuckDB keeps about 120 MB after its joins, and the two children's
    peaks reached 2.0 and 2.2 GB on planted 100k. Each child returns all it took when it
    exits.
    """
    if ck.has("candidates.npy"):
        return
    docs: list[Prepared] = _WORK["docs"]
    at_once = bool(config.min_sentences) and jobs > 1 and len(docs) <= LARGE_CORPUS
    steps: list[tuple[Callable[[], None], str]] = []
    if not ck.has("gram-candidates.npy"):
        steps.append((_save_gram_candidates, "scan: candidates"))
    if at_once:
        if not ck.has("sentence-candidates.npy"):
            steps.append((_save_sentence_candidates, "scan: sentence candidates"))
    elif config.min_sentences:
        steps.append((_save_candidates, "scan: sentence candidates"))
    _in_children(steps, at_once=at_once, show=show)
    if at_once:
        ck.save_array("candidates.npy", union_pairs(
            ck.load_array("gram-candidates.npy"), ck.load_array("sentence-candidates.npy"),
            n_docs=_n_docs(docs)))
    elif not config.min_sentences:
        ck.save_array("candidates.npy", ck.load_array("gram-candidates.npy"))


def _jobs(inp: ScanInputs) -> int:
    return inp.jobs or len(os.sched_getaffinity(0))


def scan_local(inp: ScanInputs, *, resume: bool = False) -> ScanRun:
    """Scan a corpus with the local engine and write every output into ``inp.out``.

    Args:
        inp: Inputs, output directory and settings.
        resume: Continue a run killed in ``inp.out``, redoing only unfinished batches.

    Returns:
        Counts of what was read, compared and found.

    Raises:
        BadInput: the output directory holds another scan, or an input cannot be read at all.
    """
    with paused_gc():
        return _scan_local(inp, resume=resume)


def _scan_local(inp: ScanInputs, *, resume: bool) -> ScanRun:
    ck = Checkpoints(inp.out)
    start_scan(inp, ck, resume=resume)
    total, skipped = read_stage(inp, ck)
    n_batches: int = ck.load("read.batches")
    _WORK.update(ck=ck, config=inp.config, profile=ck.load("profile.pkl"))
    todo = [n for n in range(n_batches) if not ck.has(f"prep-{n:05d}.pkl")]
    prepared: dict[int, list[Prepared]] = {}

    def take(n: int) -> None:  # read while the workers clean the next batches
        prepared[n] = ck.load(f"prep-{n:05d}.pkl")

    jobs = _jobs(inp)
    _run(_prepare_one, todo, jobs, "scan: cleaning", inp.show_progress, done=take)
    docs: list[Prepared] = [d for n in range(n_batches)
                            for d in prepared.pop(n, None) or ck.load(f"prep-{n:05d}.pkl")]
    _WORK.update(docs=docs)
    save_candidates(ck, inp.config, jobs=jobs, show=inp.show_progress)
    cands = ck.load_array("candidates.npy")
    n_pair_batches = (len(cands) + PAIR_BATCH - 1) // PAIR_BATCH
    _WORK.update(candidates=cands)
    todo = [n for n in range(n_pair_batches) if not ck.has(f"pairs-{n:05d}.pkl")]
    pair_files = [f"pairs-{n:05d}.pkl" for n in range(n_pair_batches)]
    store = None
    if jobs > 1 and len(todo) > 1 and len(docs) > LARGE_CORPUS:
        store = PickledDocs(docs)
        del docs
        _WORK.update(docs=None, store=store)
        _trim()
    # The pairs are read once the workers are gone: read as each batch finished, they
    # added their memory to the workers' at the scan's peak (795 MB against 759).
    _run(_compare_one, todo, jobs, "scan: aligning", inp.show_progress)
    if store is not None:
        _WORK.clear()
        docs = store.all()
        del store
    pairs: list[Pair] = [p for name in pair_files for p in ck.load(name)]
    _WORK.clear()
    ck.save_state(first_state(inp, total, skipped, [f"prep-{n:05d}.pkl" for n in range(n_batches)],
                              pair_files))
    return finish(inp, docs, pairs, total=total, skipped=skipped, candidates=len(cands),
                  engine="local")


def start_scan(inp: ScanInputs, ck: Checkpoints, *, resume: bool) -> None:
    """Start (or resume) a whole scan in ``inp.out`` (both engines).

    Raises:
        BadInput: ``inp.out`` holds another scan, or one extended with ``--add``.
    """
    state = ck.state()
    if state and state["generation"] > 0:
        raise BadInput(str(inp.out), "holds a scan extended with --add; add more documents "
                       "with --add, or choose another --out")
    ck.start(inp.identity(), resume=resume)


def first_state(inp: ScanInputs, total: int, skipped: list[tuple[str, str]], doc_files: list[str],
                pair_files: list[str]) -> dict[str, Any]:
    """The manifest of a finished whole scan (generation 0), for ``--add`` to build on."""
    return {"generation": 0, "format": CHECKPOINT_FORMAT, "identity": inp.identity(),
            "documents": total,
            "skipped": skipped, "profile": "profile.pkl", "docs": doc_files, "patches": [],
            "pairs": pair_files, "candidates": "candidates.npy", "add": None}


def finish(inp: ScanInputs, docs: list[Prepared], pairs: list[Pair], *, total: int,
           skipped: list[tuple[str, str]], candidates: int, engine: Engine,
           extra: dict[str, Any] | None = None) -> ScanRun:
    """Relate the pairs and write every output (shared by the engines and ``--add``)."""
    from unspun.scan.outputs import write_outputs

    results = relate(docs, pairs)
    copies = sum(p.relation == "copy" for p in results.pairs)
    stats: dict[str, Any] = {"engine": engine, "documents": total, "skipped": len(skipped),
             "candidates": candidates, "pairs": len(results.pairs),
             "copies": copies,
             "quote_sharing": sum(p.relation == "quote-sharing" for p in results.pairs),
             "reworded": sum(p.relation == REWORDED for p in results.pairs),
             "clusters": len(results.clusters), "config": inp.config.to_dict(),
             "unspun": __version__, **(extra or {})}
    stats["notes"] = write_outputs(inp.out, docs, results, stats, parquet=inp.parquet)
    return ScanRun(inp.out, total, skipped, candidates, len(results.pairs), copies,
                   len(results.clusters), stats)
