"""CPU of ``explain_alignment`` and ``check_quotes`` of two trees, in one process, alternated.

The trace steps are small (a few ms a suspect) and the machine is shared: whole traces hide
their change in noise. This traces the latency queries once in each tree, keeps what the two
steps were given (the aligned spans; the trace result and quote cache, pickled at the call),
then runs the base tree's explain modules (``text/diff.py``, ``explain/labels.py``,
``explain/edits.py``, ``explain/quote_check.py``, loaded beside this tree's under other names)
and this tree's over them, round by round in turns, with the collector off while timing (as a
trace runs) and the label memos emptied first. Prints the median CPU a suspect of each step,
the median ratio of the rounds and a hash of the outputs, which must be the same::

    PYTHONPATH=src .venv/bin/python benchmarks/explain_pair.py --base /work/base/src \\
        --index IX --queries q1m.jsonl --rounds 8
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import io
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def record(index: Path, queries: Path) -> tuple[list[Any], list[bytes]]:
    """Trace every query; return the inputs of each explain_alignment and check_quotes call."""
    import unspun.trace as trace
    from unspun.data import Document
    from unspun.index import Index

    ex: list[Any] = []
    cq: list[bytes] = []
    explain, check = trace.explain_alignment, trace.check_quotes

    def explain_kept(a: str, b: str, al: Any, **kw: Any) -> Any:
        ex.append((a, b, al.suspect, al.source, kw["config"]))
        return explain(a, b, al, **kw)

    def check_kept(result: Any, **kw: Any) -> Any:
        cq.append(pickle.dumps((result, kw["config"], kw["cache"])))
        return check(result, **kw)

    trace.explain_alignment, trace.check_quotes = explain_kept, check_kept  # type: ignore[assignment]
    ix = Index.open(index)
    for line in queries.read_text().splitlines():
        row = json.loads(line)
        trace.trace_document(Document(id=row["id"], text=row["text"]), index=ix)
    return ex, cq


def _load(base: Path, name: str, path: str, subs: list[tuple[str, str]]) -> ModuleType:
    """The base tree's module ``path``, as ``name``, its explain imports pointed at the base's."""
    source = (base / "unspun" / path).read_text()
    for old, new in subs:
        if old not in source:
            raise SystemExit(f"{path} no longer imports {old!r}: update explain_pair.py")
        source = source.replace(old, new)
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    exec(compile(source, str(base / "unspun" / path), "exec"), mod.__dict__)
    return mod


def _clear(labels: ModuleType) -> None:
    labels._Memo.config = None
    labels._Memo.names, labels._Memo.lines, labels._Memo.blocks = {}, {}, {}
    labels._expansion.cache_clear()
    labels._canonical_word.cache_clear()


def _run(edits: ModuleType, labels: ModuleType, quotes: ModuleType, ex: list[Any],
         cq: list[bytes], unpickle: Any) -> tuple[float, float, str]:
    from unspun.data import Alignment

    _clear(labels)
    gc.collect()
    gc.disable()
    digest = hashlib.sha256()
    start = time.process_time()
    outs = [edits.explain_alignment(a, b, Alignment(s, "x", t, 1.0), config=c)
            for a, b, s, t, c in ex]
    explain = time.process_time() - start
    for out in outs:
        digest.update(repr(out).encode())
    args = [unpickle(p) for p in cq]
    start = time.process_time()
    found = [quotes.check_quotes(r, config=c, cache=k) for r, c, k in args]
    check = time.process_time() - start
    for f in found:
        digest.update(repr(f).encode())
    gc.enable()
    return explain, check, digest.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="the baseline tree's src directory")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--record", type=Path, help=argparse.SUPPRESS)  # a worker's output
    args = ap.parse_args()
    if args.record is not None:
        args.record.write_bytes(pickle.dumps(record(args.index, args.queries)))
        return
    if args.base is None:
        ap.error("give --base")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "base.pkl"
        env = {**os.environ, "PYTHONPATH": str(args.base)}
        subprocess.run([sys.executable, __file__, "--index", str(args.index), "--queries",
                        str(args.queries), "--record", str(out)], env=env, check=True)
        ex_base, cq_base = pickle.loads(out.read_bytes())
    ex, cq = record(args.index, args.queries)
    texts: dict[str, str] = {}  # one object a text, as in a trace (its hash kept)
    ex = [(texts.setdefault(a, a), texts.setdefault(b, b), s, t, c) for a, b, s, t, c in ex]
    base_ex = [(texts.setdefault(a, a), texts.setdefault(b, b), s, t, c)
               for a, b, s, t, c in ex_base]

    import unspun.explain.edits as new_edits
    import unspun.explain.labels as new_labels
    import unspun.explain.quote_check as new_quotes

    diff = [("from unspun.text.diff import", "from unspun.text.diff_base import")]
    _load(args.base, "unspun.text.diff_base", "text/diff.py", [])
    b_labels = _load(args.base, "unspun.explain.labels_base", "explain/labels.py", [])
    b_edits = _load(args.base, "unspun.explain.edits_base", "explain/edits.py", [
        ("from unspun.explain.labels import", "from unspun.explain.labels_base import"), *diff])
    b_quotes = _load(args.base, "unspun.explain.quote_check_base", "explain/quote_check.py", diff)

    class BaseUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if module == "unspun.explain.quote_check":  # the base's QuoteCache
                return getattr(b_quotes, name)
            return super().find_class(module, name)

    runs: dict[str, list[tuple[float, float, str]]] = {"base": [], "new": []}
    for n in range(args.rounds):
        for tree in ("base", "new") if n % 2 == 0 else ("new", "base"):
            if tree == "base":
                runs[tree].append(_run(b_edits, b_labels, b_quotes, base_ex, cq_base,
                                       lambda p: BaseUnpickler(io.BytesIO(p)).load()))
            else:
                runs[tree].append(_run(new_edits, new_labels, new_quotes, ex, cq, pickle.loads))
    suspects = len(cq)
    print(f"{suspects} suspects, {len(ex)} aligned pairs, {args.rounds} rounds")
    for k, step in enumerate(("explain_alignment", "check_quotes")):
        base = [r[k] for r in runs["base"]]
        new = [r[k] for r in runs["new"]]
        ratio = statistics.median(b / a for a, b in zip(base, new, strict=True))
        print(f"{step:18s} base {1000 * statistics.median(base) / suspects:5.2f} ms a suspect, "
              f"new {1000 * statistics.median(new) / suspects:5.2f}, median ratio {ratio:.3f}")
    digests = {r[2] for r in runs["base"]} | {r[2] for r in runs["new"]}
    print("outputs", "the same" if len(digests) == 1 else "DIFFER", *sorted(digests))


if __name__ == "__main__":
    main()
