"""Would compact postings pay? Sizes and lookup times of two codecs on a real index's blocks.

For every block (1,024 postings sorted by key, then docno) of every segment of ``--index``:

* ``raw`` (index format 4): 4-byte key and 4-byte docno per posting (8 B). Since index
  format 5 (bit-packed, built from this study) the segments read here, and the ``raw``
  lookups timed with ``Segment.lookup``, are format 5's; the ``raw`` size stays 8 B.
* ``packed``: fixed-width bit-packing per block, keeping random access for the in-block
  binary search: each key as its offset from the block's first key (which the key directory
  already holds), each docno as its offset from the block's smallest docno, both in the fewest
  bits the block needs; plus a 10-byte block header (smallest docno, two widths, byte offset).
* ``delta``: like ``packed``, but keys as gaps from the previous key (the block's widest gap
  sets the width); reading one key then needs the prefix sum of its block, so a lookup
  decodes every block it touches.

Lookup times: the query keys of ``--queries`` suspects (``trace_latency.py queries``), every
gram as a trace asks for them, looked up in every segment: ``raw`` with the index's own
``Segment.lookup`` (checksums and all); ``packed`` and ``delta`` with numpy prototypes
of the same search over the packed bytes (held in memory, not memory-mapped, and without
checksums: a lower bound on their cost). The prototypes are checked to return the same postings.
``--key-share 0.125`` studies only the keys below 1/8 of the key space (and the query keys
there), for an index too large to decode whole in memory; sizes are scaled back up.

    .venv/bin/python benchmarks/postings_codec.py --index IX --queries q.jsonl --out r.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

BLOCK = 1024
_HEADER = 10  # smallest docno (4), key width (1), docno width (1), byte offset (4)


def _bits(x: np.ndarray) -> np.ndarray:
    """Bits needed to write each value of ``x`` (0 for 0)."""
    out = np.zeros(len(x), dtype=np.int64)
    nz = x > 0
    out[nz] = np.floor(np.log2(x[nz].astype(np.float64))).astype(np.int64) + 1
    return out


class Packed:
    """One segment's blocks bit-packed (``delta``: keys as gaps), in memory."""

    def __init__(self, keys: np.ndarray, docs: np.ndarray, *, delta: bool) -> None:
        n = len(keys)
        self.n = n
        self.delta = delta
        nb = -(-n // BLOCK)
        starts = np.arange(nb) * BLOCK
        self.lens = np.minimum(BLOCK, n - starts)
        k64 = keys.astype(np.int64)
        self.firsts = k64[starts]
        self.dmin = np.minimum.reduceat(docs.astype(np.int64), starts)
        block_of = np.repeat(np.arange(nb), self.lens)
        if delta:
            kval = np.diff(k64, prepend=0)
            kval[starts] = 0
        else:
            kval = k64 - self.firsts[block_of]
        dval = docs.astype(np.int64) - self.dmin[block_of]
        self.kb = _bits(np.maximum.reduceat(kval, starts))
        self.db = _bits(np.maximum.reduceat(dval, starts))
        nbytes = (self.lens * (self.kb + self.db) + 7) // 8
        self.off = np.concatenate(([0], np.cumsum(nbytes)[:-1]))
        self.payload = int(nbytes.sum())
        # Write the bits: the keys of a block, then its docnos, LSB first.
        rank = np.arange(n) - starts[block_of]
        kpos = self.off[block_of] * 8 + rank * self.kb[block_of]
        dpos = self.off[block_of] * 8 + self.lens[block_of] * self.kb[block_of] \
            + rank * self.db[block_of]
        words = np.zeros(self.payload // 8 + 3, dtype=np.uint64)
        for pos, val, width in ((kpos, kval, self.kb[block_of]), (dpos, dval, self.db[block_of])):
            w, sh = pos >> 6, (pos & 63).astype(np.uint64)
            v = val.astype(np.uint64)
            np.bitwise_or.at(words, w, v << sh)
            spill = sh + width.astype(np.uint64) > 64
            np.bitwise_or.at(words, w[spill] + 1, v[spill] >> (np.uint64(64) - sh[spill]))
        self.data = words.view(np.uint8)
        self._u64 = np.lib.stride_tricks.as_strided(
            self.data.view(np.uint64)[:1], shape=(len(self.data) - 7,), strides=(1,))

    def size(self) -> int:
        """Bytes on disk: payload and block headers (the key directory is not counted)."""
        return self.payload + _HEADER * len(self.lens)

    def _read(self, bitpos: np.ndarray, width: np.ndarray) -> np.ndarray:
        word = self._u64[bitpos >> 3] >> (bitpos & 7).astype(np.uint64)
        return (word & ((np.uint64(1) << width.astype(np.uint64)) - np.uint64(1))).astype(np.int64)

    def key_at(self, block: np.ndarray, rank: np.ndarray) -> np.ndarray:
        return self.firsts[block] + self._read(self.off[block] * 8 + rank * self.kb[block],
                                               self.kb[block])

    def doc_at(self, block: np.ndarray, rank: np.ndarray) -> np.ndarray:
        pos = self.off[block] * 8 + self.lens[block] * self.kb[block] + rank * self.db[block]
        return self.dmin[block] + self._read(pos, self.db[block])

    def decode_keys(self, blocks: np.ndarray) -> np.ndarray:
        """Every key of ``blocks`` as a (len(blocks), BLOCK) array (delta: the prefix sums)."""
        rank = np.arange(BLOCK)
        b = np.repeat(blocks, BLOCK)
        r = np.tile(rank, len(blocks))
        r = np.minimum(r, self.lens[b] - 1)
        vals = self._read(self.off[b] * 8 + r * self.kb[b], self.kb[b]).reshape(len(blocks), BLOCK)
        vals[r.reshape(len(blocks), BLOCK) != rank] = 0  # past a short block's end
        if self.delta:
            np.cumsum(vals, axis=1, out=vals)
        return vals + self.firsts[blocks][:, None]


def lookup(p: Packed, lasts: np.ndarray, firsts: np.ndarray, queries: np.ndarray,
           max_df: int) -> tuple[np.ndarray, np.ndarray]:
    """``(query_index, docno)`` as ``Segment.lookup`` gives (keys within two blocks only)."""
    first = np.searchsorted(lasts, queries, side="left")
    last = np.searchsorted(firsts, queries, side="right") - 1
    span = last - first + 1
    near = np.flatnonzero((span > 0) & (span <= 2))
    q = queries[near].astype(np.int64)
    if p.delta:  # decode every touched block, then search the decoded keys
        blocks = np.unique(np.concatenate([first[near], last[near]]))
        keys = p.decode_keys(blocks)
        row_f = np.searchsorted(blocks, first[near])
        row_l = np.searchsorted(blocks, last[near])
        flat = keys + (np.arange(len(blocks)) << 34)[:, None]  # rows sorted apart
        left = np.searchsorted(flat.ravel(), q + (row_f << 34), side="left") - row_f * BLOCK
        right = np.searchsorted(flat.ravel(), q + (row_l << 34), side="right") - row_l * BLOCK
        left = np.minimum(left, p.lens[first[near]])
        lo_pos = first[near] * BLOCK + left
        hi_pos = last[near] * BLOCK + np.minimum(right, p.lens[last[near]])
    else:
        def search(blocks: np.ndarray, right: bool) -> np.ndarray:
            lo = np.zeros(len(blocks), dtype=np.int64)
            hi = p.lens[blocks].astype(np.int64)
            for _ in range(BLOCK.bit_length()):
                active = lo < hi
                if not active.any():
                    break
                mid = np.minimum((lo + hi) >> 1, p.lens[blocks] - 1)
                key = p.key_at(blocks, mid)
                go = active & ((key <= q) if right else (key < q))
                lo = np.where(go, mid + 1, lo)
                hi = np.where(active & ~go, mid, hi)
            return blocks * BLOCK + lo
        lo_pos = search(first[near], False)
        hi_pos = search(last[near], True)
    counts = hi_pos - lo_pos
    ok = (counts > 0) & (counts <= max_df)
    counts = counts[ok]
    pos = np.repeat(lo_pos[ok], counts) + (
        np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts))
    return np.repeat(near[ok], counts), p.doc_at(pos // BLOCK, pos % BLOCK)


def stream_sizes(segment: Any) -> dict[str, int]:
    """Bytes of each codec for a whole segment, read 4,096 blocks at a time (no lookups)."""
    out = {"postings": 0, "raw": 0, "packed": 0, "delta": 0}
    blocks = len(segment.sums)
    for start in range(0, blocks, 4096):
        keys, docs = segment._gather(np.arange(start, min(start + 4096, blocks)))
        segment.release()
        n = len(keys)
        starts = np.arange(0, n, BLOCK)
        lens = np.diff(np.append(starts, n))
        k64, d64 = keys.astype(np.int64), docs.astype(np.int64)
        db = _bits(np.maximum.reduceat(d64, starts) - np.minimum.reduceat(d64, starts))
        kb = _bits(k64[starts + lens - 1] - k64[starts])
        gaps = np.diff(k64, prepend=0)
        gaps[starts] = 0
        gb = _bits(np.maximum.reduceat(gaps, starts))
        out["postings"] += n
        out["raw"] += 8 * n
        out["packed"] += int(((lens * (kb + db) + 7) // 8).sum()) + _HEADER * len(starts)
        out["delta"] += int(((lens * (gb + db) + 7) // 8).sum()) + _HEADER * len(starts)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("-q", type=int, default=60, help="suspects to time")
    ap.add_argument("--key-share", type=float, default=1.0,
                    help="only keys below this share of the key space (a large index's slice)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sizes-only", action="store_true",
                    help="stream every block and report sizes only (any index size)")
    args = ap.parse_args()
    top = int(args.key_share * 2**32)
    from unspun.config import TraceConfig
    from unspun.data import Document
    from unspun.fingerprint import sentence_grams
    from unspun.index import Index
    from unspun.index.segments import Segment
    from unspun.trace import _suspect

    index = Index.open(args.index)
    segs = [s for s in index._segments if isinstance(s, Segment)]
    docs_n = len(index)
    if args.sizes_only:
        total = {"postings": 0, "raw": 0, "packed": 0, "delta": 0}
        for seg in segs:
            for k, v in stream_sizes(seg).items():
                total[k] += v
        sized = {"index": str(args.index), "documents": docs_n, "segments": len(segs),
                 "postings": total["postings"],
                 **{name: {"bytes_per_posting": round(total[name] / total["postings"], 3),
                           "bytes_per_article": round(total[name] / docs_n, 1)}
                    for name in ("raw", "packed", "delta")}}
        args.out.write_text(json.dumps(sized, indent=2))
        print(json.dumps(sized, indent=2))
        return
    cfg = TraceConfig()
    max_df = cfg.retrieval.max_df
    queries = []
    for line in args.queries.read_text().splitlines()[: args.q]:
        doc = Document(id="q", text=json.loads(line)["text"])
        _, sentences = _suspect(doc, None, cfg)
        keys = np.unique(sentence_grams(doc.text, sentences, index.config,
                                        sample_only=False).keys)
        queries.append(keys[keys < top])
    result: dict[str, Any] = {"index": str(args.index), "documents": docs_n,
                              "segments": len(segs), "key_share": args.key_share, "postings": 0}
    times: dict[str, list[float]] = {"raw": [], "packed": [], "delta": []}
    sizes = {"raw": 0, "packed": 0, "delta": 0}
    codecs: list[tuple[Segment, Packed, Packed]] = []
    for s in segs:
        keys, docs = s.key_range(0, top if top < 2**32 else None)
        n = len(keys)
        s.release()
        sizes["raw"] += 8 * n
        result["postings"] += n
        packed, delta = Packed(keys, docs, delta=False), Packed(keys, docs, delta=True)
        sizes["packed"] += packed.size()
        sizes["delta"] += delta.size()
        codecs.append((s, packed, delta))
        print(f"segment {s.name}: {n} postings", file=sys.stderr, flush=True)
    for q in queries:  # the same postings from every codec
        for s, packed, delta in codecs:
            want = s.lookup(q, max_df)
            for p in (packed, delta):
                got = lookup(p, s.lasts, s.firsts, q, max_df)
                assert np.array_equal(np.sort(want[0] << 32 | want[1]),
                                      np.sort(got[0] << 32 | got[1])), "codec mismatch"
    for _ in range(3):
        for q in queries:
            for name in times:
                c = time.process_time()
                for s, packed, delta in codecs:
                    if name == "raw":
                        s.lookup(q, max_df)
                    else:
                        lookup(packed if name == "packed" else delta, s.lasts, s.firsts, q,
                               max_df)
                times[name].append(time.process_time() - c)
    result["query_keys_mean"] = round(float(np.mean([len(q) for q in queries])), 1)
    for name in times:
        arr = np.asarray(times[name]) * 1000
        result[name] = {"bytes_per_posting": round(sizes[name] / result["postings"], 3),
                        "bytes_per_article": round(sizes[name] / docs_n / args.key_share, 1),
                        "lookup_cpu_ms_p50": round(float(np.percentile(arr, 50)), 2),
                        "lookup_cpu_ms_p99": round(float(np.percentile(arr, 99)), 2)}
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
