"""The token-level edit script of one aligned pair: which tokens were kept, respelled, spun or changed."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from unspun._native import speedups
from unspun.config import ExplainConfig
from unspun.data import Alignment, Edit, EditOp, Span, _SpanSlots
from unspun.explain.labels import classify_block, classify_pair
from unspun.text.diff import opcodes
from unspun.text.tokens import STOPWORDS, Token, tokenize

_NORM = itemgetter(0)  # a Token's norm

# The compiled twin of _Builder._build (None: the pure-Python path).
_edit_list = None if speedups is None else speedups.edit_list
if speedups is not None:
    speedups.set_edit_types(Span, Edit)


def _gap(text: str, prev: Token | None, tok: Token) -> str:
    """Whether whitespace separates ``tok`` from the token before it: " " or ""."""
    if prev is None:
        return ""
    return " " if text[prev.end : tok.start] else ""


def _cosmetic_detail(a: str, b: str) -> str:
    if a.lower() == b.lower():
        return "case"
    return "quote-style" if any(c in a + b for c in "'\"\u2018\u2019\u201c\u201d") else "spelling"


class _Builder:
    """Collects edits for one pair, merging neighbours with the same label."""

    def __init__(self, sus_text: str, src_text: str, sus_toks: list[Token],
                 src_toks: list[Token], sus_span: Span, src_span: Span,
                 config: ExplainConfig) -> None:
        self.sus_text, self.src_text = sus_text, src_text
        self.config = config
        self.sus, self.src = sus_toks, src_toks
        self.sus_span, self.src_span = sus_span, src_span
        self.edits: list[Edit] = []
        self.groups: list[tuple[EditOp, str, int, int, int, int]] = []

    def add(self, op: EditOp, detail: str, i1: int, i2: int, j1: int, j2: int,
            merge: bool = False) -> None:
        """Record tokens ``sus[i1:i2]`` and ``src[j1:j2]`` as one edit (or extend the last one)."""
        if merge and self.groups and self.groups[-1][:2] == (op, detail):
            last = self.groups[-1]
            if last[3] == i1 and last[5] == j1:
                self.groups[-1] = (op, detail, last[2], i2, last[4], j2)
                return
        self.groups.append((op, detail, i1, i2, j1, j2))

    def build(self) -> list[Edit]:
        """The edits: each group's span covers its tokens (an empty one sits where they would).

        Compiled when it can be (``_speedups.edit_list``, the same edits:
        tests/explain/test_edit_list.py compares it with :meth:`_build`): two edits a pair on
        average, 200 a trace, each with two spans and two slices.
        """
        if _edit_list is not None:
            return _edit_list(self.groups, self.sus, self.src,  # type: ignore[no-any-return]
                              self.sus_text, self.src_text, self.sus_span.start,
                              self.src_span.start)
        return self._build()

    def _build(self) -> list[Edit]:
        """:meth:`build` in Python: the fallback, and the reference of the compiled twin."""
        out: list[Edit] = []
        append = out.append
        sus, src, sus_text, src_text = self.sus, self.src, self.sus_text, self.src_text
        for op, detail, i1, i2, j1, j2 in self.groups:
            if i2 > i1:
                s1, s2 = sus[i1][2], sus[i2 - 1][3]  # Token.start, Token.end
            else:
                s1 = s2 = sus[i1 - 1][3] if i1 > 0 else self.sus_span.start
            if j2 > j1:
                b1, b2 = src[j1][2], src[j2 - 1][3]
            else:
                b1 = b2 = src[j1 - 1][3] if j1 > 0 else self.src_span.start
            # Token offsets are valid by construction: the unchecked Span of span_at, made
            # here as span_at makes it (two edits a pair on average, 200 a trace).
            a = _SpanSlots()
            a.start, a.end = s1, s2
            a.__class__ = Span  # type: ignore[assignment]
            b = _SpanSlots()
            b.start, b.end = b1, b2
            b.__class__ = Span  # type: ignore[assignment]
            append(Edit(op, a, b, sus_text[s1:s2], src_text[b1:b2], detail))  # type: ignore[arg-type]
        return out


def _equal_run(b: _Builder, i1: int, j1: int, n: int) -> None:
    """Split an equal run into verbatim and cosmetic (case, quote style, spacing) pieces."""
    first, last = b.sus[i1], b.sus[i1 + n - 1]
    src_first, src_last = b.src[j1], b.src[j1 + n - 1]
    if b.sus_text[first.start : last.end] == b.src_text[src_first.start : src_last.end]:
        # The same characters, spaces included: every token is verbatim.
        b.add("verbatim", "", i1, i1 + n, j1, j1 + n, merge=True)
        return
    for k in range(n):
        ts, tb = b.sus[i1 + k], b.src[j1 + k]
        raw_s, raw_b = ts.start, tb.start
        s_raw = b.sus_text[raw_s : ts.end]
        b_raw = b.src_text[raw_b : tb.end]
        details = [_cosmetic_detail(s_raw, b_raw)] if s_raw != b_raw else []
        if k > 0 and _gap(b.sus_text, b.sus[i1 + k - 1], ts) != _gap(
            b.src_text, b.src[j1 + k - 1], tb
        ):
            details.append("spacing")
        detail = "+".join(details)
        op: EditOp = "cosmetic" if detail else "verbatim"
        b.add(op, detail, i1 + k, i1 + k + 1, j1 + k, j1 + k + 1, merge=True)


def _refine(b: _Builder, i1: int, i2: int, j1: int, j2: int) -> None:
    """Label a replace block; equal-length short blocks are labelled word by word."""
    n, m = i2 - i1, j2 - j1
    cfg = b.config
    if n == 1 == m:  # classify_block's first case, the most common block, without its lists
        op, detail = classify_pair(b.sus[i1], b.src[j1], b.sus_text, b.src_text, cfg)
        b.groups.append((op, detail, i1, i2, j1, j2))  # add, unmerged
        return
    if n == m and 1 < n <= cfg.max_synonym_tokens:
        whole, detail = classify_block(b.sus[i1:i2], b.src[j1:j2], b.sus_text, b.src_text, cfg)
        # A multi-word name is one unit: "United Kingdom" -> "Great Britain" is one swap.
        if whole != "paraphrase" and detail not in ("name", "expansion"):
            for k in range(n):
                op, detail = classify_block(
                    b.sus[i1 + k : i1 + k + 1], b.src[j1 + k : j1 + k + 1], b.sus_text, b.src_text,
                    cfg)
                b.add(op, detail, i1 + k, i1 + k + 1, j1 + k, j1 + k + 1)
            return
    op, detail = classify_block(b.sus[i1:i2], b.src[j1:j2], b.sus_text, b.src_text, cfg)
    b.add(op, detail, i1, i2, j1, j2)


def _content_set(text: str) -> set[str]:
    return {t.norm for t in tokenize(text) if t.kind != "punct" and t.norm not in STOPWORDS}


def _mark_moves(edits: list[Edit], moved_overlap: float) -> None:
    """Relabel an insertion and a deletion sharing most of their words as moved (paraphrase)."""
    inserted = [e for e in edits if e.op == "insert"]
    deleted = [e for e in edits if e.op == "delete"]
    for ins in inserted:
        key = _content_set(ins.suspect_text)
        for dele in deleted:
            other = _content_set(dele.source_text)
            if dele.op != "delete" or not key or not other:
                continue
            if len(key & other) >= moved_overlap * min(len(key), len(other)):
                ins.op = dele.op = "paraphrase"
                ins.detail = dele.detail = "moved"
                break


#: ``tokenize(text, start, end)``, or a cache in front of it.
Tokenizer = Callable[[str, int, int], list[Token]]


def edit_script(suspect_text: str, source_text: str, suspect: Span, source: Span, *,
                config: ExplainConfig | None = None,
                tokenizer: Tokenizer = tokenize) -> list[Edit]:
    """Label every token of ``suspect`` and ``source`` (spans into the two full texts).

    Args:
        suspect_text: The suspect's original text.
        source_text: The source's original text.
        suspect: The aligned suspect span.
        source: The aligned source span.
        config: Labelling thresholds (defaults when omitted).
        tokenizer: :func:`tokenize`, or a cache in front of it that returns the same lists
            (a corpus scan meets each sentence in many pairs); the lists are not changed.

    Returns:
        Edits in text order; their suspect sides (and their source sides) cover every token of
        the two spans exactly once. Deletions carry an empty suspect span, insertions an empty
        source span.
    """
    same = suspect.of(suspect_text)
    if same and same == source.of(source_text) and same.strip() == same \
            and "_" not in (same[0], same[-1]):
        # A verbatim copy: one edit over the whole span (no token lies outside it, since only
        # whitespace and "_" are never part of a token).
        return [Edit("verbatim", suspect, source, same, same, "")]
    sus_toks = tokenizer(suspect_text, suspect.start, suspect.end)
    src_toks = tokenizer(source_text, source.start, source.end)
    cfg = config or ExplainConfig()
    b = _Builder(suspect_text, source_text, sus_toks, src_toks, suspect, source, cfg)
    for tag, i1, i2, j1, j2 in opcodes(list(map(_NORM, sus_toks)), list(map(_NORM, src_toks))):
        if tag == "equal":
            # _equal_run's first test here: most runs are the same characters, one group.
            if suspect_text[sus_toks[i1][2] : sus_toks[i2 - 1][3]] == \
                    source_text[src_toks[j1][2] : src_toks[j2 - 1][3]]:
                b.add("verbatim", "", i1, i2, j1, j2, merge=True)
            else:
                _equal_run(b, i1, j1, i2 - i1)
        elif tag == "replace":
            _refine(b, i1, i2, j1, j2)
        else:
            op, detail = classify_block(sus_toks[i1:i2], src_toks[j1:j2], suspect_text,
                                        source_text, cfg)
            b.add(op, detail, i1, i2, j1, j2)
    edits = b.build()
    _mark_moves(edits, cfg.moved_overlap)
    return edits


def explain_alignment(suspect_text: str, source_text: str, alignment: Alignment, *,
                      config: ExplainConfig | None = None,
                      tokenizer: Tokenizer = tokenize) -> list[Edit]:
    """The token-level edit script of one aligned pair.

    ``alignment.suspect`` and ``alignment.source`` are spans into ``suspect_text`` and
    ``source_text``; every returned edit's spans point into those same full texts. Merged and
    split alignments (several sentences on one side) are handled the same way.

    Args:
        suspect_text: The suspect document's original text.
        source_text: The source document's original text.
        alignment: The aligned pair of spans.
        config: Labelling thresholds (defaults when omitted).
        tokenizer: See :func:`edit_script`.

    Returns:
        The labelled edits, in text order (see :func:`edit_script`).
    """
    return edit_script(suspect_text, source_text, alignment.suspect, alignment.source,
                       config=config, tokenizer=tokenizer)
