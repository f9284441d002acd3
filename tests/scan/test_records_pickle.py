"""Checkpoint records survive pickling whole (they are pickled as flat fields), and a scan
leaves the garbage collector as it found it."""

from __future__ import annotations

import gc
import pickle

import numpy as np

from unspun.data import Document
from unspun.scan.compare import compare_pair
from unspun.scan.config import ScanConfig
from unspun.scan.prepare import prepare_document
from unspun.scan.records import Pair, Passage, Prepared
from unspun.scan.run import paused_gc

TEXT = ("Storm damage closed the coastal road on Monday.\n\n"
        "Engineers said the \"worst of the repairs\" would take two weeks. "
        "The council will meet on Friday to discuss the cost.")


def _prepared() -> Prepared:
    doc = Document("d1", TEXT, title="Storm", url="https://example.org/x", site="example.org",
                   date="2024-01-02", source="in.jsonl#line=1", meta={"k": [1, 2]})
    return prepare_document(doc, 7, config=ScanConfig())


def test_prepared_round_trips() -> None:
    d = _prepared()
    assert len(d.sentences) >= 2
    back = pickle.loads(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.doc == d.doc and back.doc.meta == {"k": [1, 2]}
    assert back.sentences == d.sentences
    assert [s.span for s in back.sentences] == [s.span for s in d.sentences]
    assert (back.docno, back.site, back.removed, back.units) == (d.docno, d.site, d.removed,
                                                                 d.units)
    assert np.array_equal(back.keys, d.keys) and back.keys.dtype == d.keys.dtype
    assert np.array_equal(back.owners, d.owners) and back.owners.dtype == d.owners.dtype
    assert len(d.words) > 5 and np.array_equal(back.words, d.words)


def test_pairs_round_trip() -> None:
    cfg = ScanConfig(furniture=False)
    a = prepare_document(Document("a", TEXT), 0, config=cfg)
    b = prepare_document(Document("b", TEXT.replace("Monday", "Tuesday")), 1, config=cfg)
    pair = compare_pair(a, b, config=cfg)
    assert pair is not None and pair.passages
    back = pickle.loads(pickle.dumps([pair], protocol=pickle.HIGHEST_PROTOCOL))[0]
    assert back == pair and isinstance(back.passages[0], Passage)
    made = Pair(1, 2, "copy", [Passage(0, 5, 1, 6, 0.5, True)], 0.1, 0.2, 2, 1,
                {"synonym": 1}, [(0, 1, "x", "y")], 1)
    assert pickle.loads(pickle.dumps(made)) == made


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        gc.freeze()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
