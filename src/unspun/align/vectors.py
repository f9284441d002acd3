"""Sentence vectors for alignment: weighted word sets, quote masks and a similarity kernel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import numpy as np

from unspun._native import speedups, wordkeys
from unspun.config import AlignConfig
from unspun.data import Sentence
from unspun.text.quotes import closed_quotes
from unspun.text.sentences import STORED_TYPES
from unspun.text.tokens import STOPWORDS, lex, word_forms

_kernel_fill = None if speedups is None else speedups.kernel_fill
_union_sums = None if speedups is None else getattr(speedups, "union_sums", None)

_STOP, _WORD, _NAME = 0, 1, 2  # word classes, weighed by AlignConfig.*_weight
_SUFFIXES = ("ing", "ed", "es", "s")


def stem(norm: str) -> str:
    """A light suffix stripper: enough to match "talks"/"talk" and "accused"/"accuses"."""
    if norm.endswith("'s"):
        norm = norm[:-2]
    if len(norm) > 4:
        for suf in _SUFFIXES:
            if norm.endswith(suf) and len(norm) - len(suf) >= 3:
                return norm[: -len(suf)]
    return norm


@dataclass(slots=True)
class SentenceBag:
    """The weighted, stemmed word set of one sentence, split by inside/outside quotes."""

    weights: dict[str, float]
    outside: dict[str, float]  # the part outside direct quotation marks
    words: int
    total: float = 0.0
    outside_total: float = 0.0

    def __post_init__(self) -> None:
        self.total = sum(self.weights.values())
        self.outside_total = (self.total if self.outside is self.weights
                              else sum(self.outside.values()))


@lru_cache(maxsize=400_000)
def _classify(raw: str, first: bool) -> tuple[str, int]:
    """The stemmed key and word class of a surface form (cached: forms repeat)."""
    lx = lex(raw)
    if lx.stop:
        return stem(lx.norm), _STOP
    if lx.kind != "word" or (lx.capital and not first):
        return stem(lx.norm), _NAME
    return stem(lx.norm), _WORD


#: The compiled twins of :func:`_bag` and :func:`document_source_side`'s loop (see
#: :mod:`unspun._native`): they key ASCII forms themselves and hand any other to
#: :func:`_classify`, for the same bags.
_sentence_bag = None if wordkeys is None else wordkeys.sentence_bag
_source_rows = None if wordkeys is None else wordkeys.source_rows
_source_hits_c = None if wordkeys is None else wordkeys.source_hits
if wordkeys is not None:
    wordkeys.set_lexicon(STOPWORDS, _classify, sum)


def _compiled(weigh: tuple[float, float, float]) -> bool:
    """Whether the compiled twins can weigh with ``weigh`` (they take floats only)."""
    return _sentence_bag is not None and all(type(w) is float for w in weigh)


def class_weights(config: AlignConfig) -> tuple[float, float, float]:
    """The weights of the three word classes, in class order."""
    return config.stop_weight, config.word_weight, config.name_weight


def bags(text: str, sentences: Sequence[Sentence], config: AlignConfig, *,
         quoted: list[tuple[int, int]] | None = None) -> list[SentenceBag]:
    """Build the bag of every sentence; quotations are found over all of them at once, so a
    quote running on into the next paragraph is one (see :mod:`unspun.text.quotes`).

    ``quoted``: ``closed_quotes(text, [s.span for s in sentences])`` when the caller has it
    already (a corpus scan needs a suspect's quotes too; finding them costs half as much as
    the bags).

    Only closed quotes count: a quote cut short by a copier, or a stray mark, must not turn
    the rest of its paragraph into "quotation" (which weakens every sentence there as
    evidence: on the planted scan corpus, whose shuffled words leave unpaired marks in half
    of the articles, it lost 2 % of the copy pairs).
    """
    weigh = class_weights(config)
    if quoted is None:
        quoted = closed_quotes(text, [s.span for s in sentences])
    out: list[SentenceBag] = []
    compiled = _sentence_bag if _compiled(weigh) else None
    first = 0  # quoted regions ending before the current sentence are behind us
    for sent in sentences:
        s, e = sent.span.start, sent.span.end
        while first < len(quoted) and quoted[first][1] <= s:
            first += 1
        last = first
        while last < len(quoted) and quoted[last][0] < e:
            last += 1
        if compiled is not None:
            out.append(SentenceBag(*compiled(text, s, e, weigh, quoted[first:last])))
        else:
            out.append(_bag(text, sent, quoted[first:last], weigh))
    return out


# _classify(raw, False) of each form seen, with its class's weight, per set of class weights.
_WEIGHED: dict[tuple[float, float, float], dict[str, tuple[str, float]]] = {}
_WEIGHED_MAX = 400_000


def _weighed(forms: list[str], weigh: tuple[float, float, float]) -> list[tuple[str, float]]:
    """The stemmed key and class weight of each form (the first form opens its sentence).

    Looked up in a plain dict in front of :func:`_classify` for the forms that do not open
    a sentence: this runs for every word of every candidate sentence, the largest part of a
    trace.
    """
    cache = _WEIGHED.get(weigh)
    if cache is None or len(cache) > _WEIGHED_MAX:
        cache = _WEIGHED[weigh] = {}
    try:
        out = list(map(cache.__getitem__, forms))
    except KeyError:  # a form not seen before
        for raw in forms:
            if raw not in cache:
                key, cls = _classify(raw, False)
                cache[raw] = (key, weigh[cls])
        out = list(map(cache.__getitem__, forms))
    key, cls = _classify(forms[0], True)
    out[0] = (key, weigh[cls])
    return out


def _weights(text: str, start: int, end: int, weigh: tuple[float, float, float]
             ) -> tuple[dict[str, float], list[str], list[tuple[str, float]]]:
    """The weights of one sentence's keys (each its largest class weight, first seen first),
    its forms, and each form's key and weight."""
    weights: dict[str, float] = {}
    get = weights.get
    forms = word_forms(text, start, end)
    keyed = _weighed(forms, weigh) if forms else []
    for key, w in keyed:
        if w > get(key, 0.0):
            weights[key] = w
    return weights, forms, keyed


def _bag(text: str, sent: Sentence, regions: list[tuple[int, int]],
         weigh: tuple[float, float, float]) -> SentenceBag:
    s, e = sent.span.start, sent.span.end
    weights, forms, keyed = _weights(text, s, e, weigh)
    if not regions:
        return SentenceBag(weights, weights, len(forms))
    outside: dict[str, float] = {}
    pos = s
    find = text.find
    for raw, (key, w) in zip(forms, keyed, strict=True):
        # Only characters no form can start with lie between forms: the next occurrence of
        # the form is where it was matched.
        at = find(raw, pos, e)
        pos = at + len(raw) if at >= 0 else pos
        for a, b in regions:
            if a <= at < b:
                break
        else:
            if w > outside.get(key, 0.0):
                outside[key] = w
    return SentenceBag(weights, outside, len(forms))


@dataclass(slots=True)
class Kernel:
    """Suspect weights ``a`` and source presence ``b`` over the suspect's vocabulary.

    ``contain[i, j]`` is the share of suspect sentence i's weight whose words source sentence j
    has; ``dice[i, j]`` weighs both sides. ``*_out`` ignore the suspect's quoted words.
    """

    a: np.ndarray
    a_out: np.ndarray
    b: np.ndarray
    b_tot: np.ndarray
    contain: np.ndarray
    dice: np.ndarray
    contain_out: np.ndarray
    covered: np.ndarray  # share of the source sentence's weight found in the suspect sentence
    # The suspect's column, the row and the weight of each source entry b was filled from
    # (column -1: none), when kept (a trace's candidates: see :func:`documents_kernel`).
    entries: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _union(self, rows: list[int]) -> np.ndarray:
        """Whether any of ``rows`` has each word (two rows, the common case, without a
        fancy-indexed copy and a reduction)."""
        if len(rows) == 2:
            return (self.b[rows[0]] > 0) | (self.b[rows[1]] > 0)
        return (self.b[rows] > 0).max(axis=0)

    def union_containment(self, i: int, rows: list[int]) -> float:
        """Containment of suspect sentence i in the union of several source sentences."""
        sums = _union_sums(self.a, self.b, i, rows) if _union_sums is not None else None
        if sums is not None:  # the same sums, exact (see kernel_fill), without numpy's calls
            matched, total = sums
            return matched / total if total > 0 else 0.0
        total = float(self.a[i].sum())
        if total <= 0:
            return 0.0
        return float(self.a[i] @ self._union(rows)) / total

    def union_dice(self, i: int, rows: list[int]) -> float:
        """Dice of suspect sentence i with several source sentences read as one."""
        present = self._union(rows)
        total = float(self.a[i].sum()) + float(self.b_tot[rows].sum())
        return 2 * float(self.a[i] @ present) / total if total > 0 else 0.0


@dataclass(slots=True)
class SuspectSide:
    """The suspect half of a kernel: its vocabulary and weight rows (reusable across sources)."""

    vocab: list[str]  # column order: first seen first
    columns: dict[str, int]  # the column of each word
    a: np.ndarray
    a_out: np.ndarray
    a_seen: np.ndarray  # 1 where the suspect sentence has the word
    a_tot: np.ndarray  # column of row sums
    out_tot: np.ndarray
    # The suspect's word ids (see :func:`word_ids`) sorted, and the column of each; built on
    # first use against a source that has ids.
    ids_sorted: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(slots=True)
class SourceSide:
    """The source half of a kernel: every (sentence, word, weight) of its bags, flat."""

    keys: list[str]
    rows: np.ndarray
    weights: np.ndarray
    totals: np.ndarray  # per sentence
    # ``keys`` as word ids (see :func:`with_ids`); None until asked for.
    ids: np.ndarray | None = None


#: The id of every word given one (a process-wide vocabulary; see :func:`with_ids`).
_WORD_IDS: dict[str, int] = {}


def word_ids(keys: list[str]) -> np.ndarray:
    """The id of each key, new keys numbered next."""
    ids = _WORD_IDS
    try:  # the words of a corpus repeat: most lists hold no new one
        return np.fromiter(map(ids.__getitem__, keys), dtype=np.int64, count=len(keys))
    except KeyError:
        for k in keys:
            ids.setdefault(k, len(ids))
        return np.fromiter(map(ids.__getitem__, keys), dtype=np.int64, count=len(keys))


def with_ids(side: SourceSide) -> SourceSide:
    """Give a source half kept for many suspects its words as ids: :func:`kernel` then places
    them in a suspect's columns by one array look-up instead of a dict look-up per word (a
    corpus scan meets each source in many pairs). Ids are never forgotten, so a long-lived
    process that meets an open vocabulary should not use them."""
    if side.ids is None:
        side.ids = word_ids(side.keys)
    return side


def compact(side: SourceSide) -> SourceSide:
    """Keep a source half by its word ids alone (see :func:`with_ids`), in the narrowest
    integers that hold them: a corpus scan keeps thousands of sources per worker, and their
    key lists were half of that memory; :func:`kernel` needs only the ids. Returns ``side``."""
    with_ids(side)
    assert side.ids is not None
    side.keys = []
    side.ids = side.ids.astype(np.int32)
    side.rows = side.rows.astype(np.int16 if len(side.totals) <= np.iinfo(np.int16).max
                                 else np.int32)
    return side


def _sorted_ids(side: SuspectSide) -> tuple[np.ndarray, np.ndarray]:
    """The suspect's word ids sorted, and the column of each (built once, then kept)."""
    if side.ids_sorted is None:
        vocab_ids = word_ids(side.vocab)
        order = np.argsort(vocab_ids)
        side.ids_sorted = (vocab_ids[order], order)
    return side.ids_sorted


class _ColumnTable:
    """The column of every word id for one suspect (-1: not its word), for the compiled
    kernel: one array look-up per source entry instead of a binary search. A corpus scan
    compares each suspect with its sources in a run, so the table is refilled once a run;
    it grows with the process's vocabulary (4 bytes an id)."""

    table = np.full(0, -1, dtype=np.int32)
    owner: SuspectSide | None = None


def _column_table(side: SuspectSide) -> np.ndarray:
    """The table of ``side``'s columns (see :class:`_ColumnTable`)."""
    t = _ColumnTable
    if t.owner is not side:
        if t.owner is not None and len(t.table):  # forget the last suspect's words
            t.table[_sorted_ids(t.owner)[0]] = -1
        known, cols = _sorted_ids(side)
        if len(known) and known[-1] >= len(t.table):
            t.table = np.full(max(2 * len(t.table), int(known[-1]) + 1, 1024), -1,
                              dtype=np.int32)
        t.table[known] = cols
        t.owner = side
    return t.table


def _columns_of(side: SuspectSide, ids: np.ndarray) -> np.ndarray:
    """The suspect's column of each word id in ``ids`` (-1: not its word).

    A binary search in the suspect's few hundred sorted ids: its cost does not grow with the
    vocabulary the process has met, which on a large real corpus runs to millions of words.
    """
    known, cols = _sorted_ids(side)
    if not len(known):
        return np.full(len(ids), -1, dtype=np.int64)
    pos = np.searchsorted(known, ids)
    return np.where(known.take(pos, mode="clip") == ids, cols.take(pos, mode="clip"), -1)


def suspect_side(suspect: list[SentenceBag]) -> SuspectSide:
    """Build the suspect half of :func:`kernel` once for a suspect compared with many sources.

    The weight rows are filled by one fancy assignment each (a bag's keys are distinct, so
    no cell is written twice): a scan builds this for every suspect, and a write per word
    was most of its cost.
    """
    keys = [key for bag in suspect for key in bag.weights]
    vocab = {key: i for i, key in enumerate(dict.fromkeys(keys))}  # first seen first
    width = max(1, len(vocab))
    a = np.zeros((len(suspect), width), dtype=np.float32)
    _fill(a, vocab, [bag.weights for bag in suspect], keys)
    if all(bag.outside is bag.weights for bag in suspect):
        a_out = a.copy()
    else:
        a_out = np.zeros_like(a)
        _fill(a_out, vocab, [bag.outside for bag in suspect])
    return SuspectSide(list(vocab), vocab, a, a_out, (a > 0).astype(np.float32),
                       a.sum(axis=1)[:, None], a_out.sum(axis=1)[:, None])


def _fill(a: np.ndarray, vocab: dict[str, int], rows: list[dict[str, float]],
          keys: list[str] | None = None) -> None:
    """``a[i, vocab[key]] = w`` for every ``key: w`` of ``rows[i]``."""
    if keys is None:
        keys = [key for row in rows for key in row]
    n = len(keys)
    cols = np.fromiter(map(vocab.__getitem__, keys), dtype=np.intp, count=n)
    at = np.repeat(np.arange(len(rows)), [len(row) for row in rows])
    a[at, cols] = np.fromiter((w for row in rows for w in row.values()), dtype=np.float32,
                              count=n)


def source_side(source: list[SentenceBag]) -> SourceSide:
    """Build the source half of :func:`kernel` once for a source compared with many suspects."""
    keys = [key for bag in source for key in bag.weights]
    n = len(keys)
    return SourceSide(
        keys, np.repeat(np.arange(len(source)), [len(bag.weights) for bag in source]),
        np.fromiter((w for bag in source for w in bag.weights.values()), dtype=np.float32,
                    count=n),
        np.array([bag.total for bag in source], dtype=np.float32))


def document_source_side(text: str, sentences: Sequence[Sentence],
                         config: AlignConfig) -> SourceSide:
    """``source_side(bags(text, sentences, config))`` without building the bags.

    A source half holds only each sentence's weights, not the part outside quotes, so the
    quotations are not looked for: a trace builds this for every candidate document.
    """
    weigh = class_weights(config)
    if _source_rows is not None and _compiled(weigh):  # the same arrays, built in C
        found, rows, cells, sums = _source_rows(text, sentences, weigh)
        return SourceSide(found, np.frombuffer(rows, dtype=np.int64),
                          np.frombuffer(cells, dtype=np.float32),
                          np.frombuffer(sums, dtype=np.float32))
    keys: list[str] = []
    weights: list[float] = []
    sizes: list[int] = []
    totals: list[float] = []
    for sent in sentences:
        bag = _weights(text, sent.span.start, sent.span.end, weigh)[0]
        keys += bag
        weights += bag.values()
        sizes.append(len(bag))
        totals.append(sum(bag.values()))
    return SourceSide(keys, np.repeat(np.arange(len(sentences)), sizes),
                      np.array(weights, dtype=np.float32), np.array(totals, dtype=np.float32))


def join_sources(sides: list[SourceSide]) -> SourceSide:
    """The source half of several sources one after the other (their sentences stacked)."""
    if len(sides) == 1:
        return sides[0]
    offsets = np.cumsum([0] + [len(s.totals) for s in sides[:-1]])
    # A side kept by ids alone (see :func:`compact`) joins by ids.
    ids = (np.concatenate([word_ids(s.keys) if s.ids is None else s.ids for s in sides])
           if any(s.ids is not None for s in sides) else None)
    return SourceSide([k for s in sides for k in s.keys],
                      np.concatenate([s.rows + o for s, o in zip(sides, offsets, strict=True)]),
                      np.concatenate([s.weights for s in sides]),
                      np.concatenate([s.totals for s in sides]), ids)


def source_hits(texts: list[str], sentences: list[Sequence[Sentence]], side: SuspectSide,
                config: AlignConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The source halves of several documents stacked (as :func:`join_sources` of their
    :func:`document_source_side`), with each key given as ``side``'s column and the entries of
    keys that are not the suspect's left out: ``(columns, rows, weights, totals)``.

    A trace builds every candidate's source half for one suspect only: the kernel needs only
    the entries the suspect has, so the keys (most of the cost: a string each) are not kept.
    """
    weigh = class_weights(config)
    if _source_hits_c is not None and _compiled(weigh):  # the same arrays, built in C
        # an index's documents as their stored spans: no Sentence is made for them
        given = [s.spans if type(s) in STORED_TYPES else s  # type: ignore[attr-defined]
                 for s in sentences]
        cols, rows, cells, sums = _source_hits_c(texts, given, weigh, side.columns,
                                                 side.a.shape[1])
        return (np.frombuffer(cols, dtype=np.int32), np.frombuffer(rows, dtype=np.int32),
                np.frombuffer(cells, dtype=np.float32), np.frombuffer(sums, dtype=np.float32))
    found: list[int] = []
    at: list[int] = []
    weights: list[float] = []
    totals: list[float] = []
    get = side.columns.get
    for text, sents in zip(texts, sentences, strict=True):
        for sent in sents:
            bag = _weights(text, sent.span.start, sent.span.end, weigh)[0]
            for key, w in bag.items():
                col = get(key, -1)
                if col >= 0:
                    found.append(col)
                    at.append(len(totals))
                    weights.append(w)
            totals.append(sum(bag.values()))
    return (np.array(found, dtype=np.int32), np.array(at, dtype=np.int32),
            np.array(weights, dtype=np.float32), np.array(totals, dtype=np.float32))


def documents_kernel(side: SuspectSide, texts: list[str], sentences: list[Sequence[Sentence]],
                     config: AlignConfig) -> Kernel:
    """``kernel(side, join_sources([document_source_side(t, s, config) ...]))`` of documents
    used for this suspect only (see :func:`source_hits`): the same kernel."""
    cols, rows, weights, totals = source_hits(texts, sentences, side, config)
    k = _kernel(side, cols, rows, weights, totals, by_id=False)
    k.entries = (cols, rows, weights)
    return k


def kernel(suspect: list[SentenceBag] | SuspectSide,
           source: list[SentenceBag] | SourceSide) -> Kernel:
    """Build the similarity kernel between suspect and source sentences.

    Either side may be given as built by :func:`suspect_side` / :func:`source_side`, when the
    caller keeps it (a corpus scan compares each document with many others).
    """
    side = suspect if isinstance(suspect, SuspectSide) else suspect_side(suspect)
    src = source if isinstance(source, SourceSide) else source_side(source)
    if src.ids is not None:
        return _kernel(side, src.ids, src.rows, src.weights, src.totals, by_id=True)
    entries = np.fromiter(map(side.columns.get, src.keys, repeat(-1)), dtype=np.int64,
                          count=len(src.keys))
    return _kernel(side, entries, src.rows, src.weights, src.totals, by_id=False)


def _kernel(side: SuspectSide, entries: np.ndarray, src_rows: np.ndarray,
            src_weights: np.ndarray, b_tot: np.ndarray, *, by_id: bool) -> Kernel:
    """The kernel of ``side`` with source entries (row, weight, and the suspect's column, -1
    for none; or, ``by_id``, a word id: placed by the compiled kernel's table, or by a binary
    search) and row totals."""
    a, a_out = side.a, side.a_out
    b = np.zeros((len(b_tot), a.shape[1]), dtype=np.float32)
    if _kernel_fill is not None and len(a) and len(b):
        # The compiled twin of the rest, exact when the weights are (see kernel_fill): one
        # call instead of some forty small numpy ones, which were most of a pair's kernel.
        contain, dice, contain_out, covered = np.empty((4, len(a), len(b)), dtype=np.float32)
        table = _column_table(side) if by_id else None
        if _kernel_fill(a, a_out, side.a_tot, side.out_tot, entries, src_rows, src_weights,
                        b_tot, table, b, contain, dice, contain_out, covered):
            return Kernel(a, a_out, b, b_tot, contain, dice, contain_out, covered)
        b[:] = 0
    present = np.zeros_like(b)
    found = _columns_of(side, entries) if by_id else entries
    hit = np.flatnonzero(found >= 0)
    rows, cols = src_rows[hit], found[hit]
    b[rows, cols] = src_weights[hit]
    present[rows, cols] = src_weights[hit] > 0
    matched = a @ present.T
    matched_src = side.a_seen @ b.T
    matched_out = a_out @ present.T
    a_tot, out_tot = side.a_tot, side.out_tot
    with np.errstate(divide="ignore", invalid="ignore"):
        contain = np.where(a_tot > 0, matched / a_tot, 0.0)
        dice = np.where(a_tot + b_tot[None, :] > 0, 2 * matched / (a_tot + b_tot[None, :]), 0.0)
        contain_out = np.where(out_tot > 0, matched_out / out_tot, 0.0)
        covered = np.where(b_tot[None, :] > 0, matched_src / b_tot[None, :], 0.0)
    # float32 already (float32 operands, a Python float fill): ``copy=False`` keeps them.
    return Kernel(a, a_out, b, b_tot, contain.astype(np.float32, copy=False),
                  dice.astype(np.float32, copy=False), contain_out.astype(np.float32, copy=False),
                  covered.astype(np.float32, copy=False))
