"""Fuzz ingest, clean, trace, the JSON/HTML/terminal writers and the HTTP API; count crashes.

Two engines:

* ``hypothesis`` (default): property-based generation at scale. Every case must end in a
  result or an :class:`unspun.errors.UnspunError` (bad input, one line); anything else is a
  crash, and a case over ``--hang`` seconds (default 5) is a hang. Prints one JSON summary::

      .venv/bin/python benchmarks/fuzz.py --cases 100000 --out benchmarks/work/fuzz.json

* ``atheris`` (coverage-guided, ``pip install atheris``): one target per run, libFuzzer
  arguments after ``--``::

      .venv/bin/python benchmarks/fuzz.py --atheris text -- -runs=20000 -max_len=20000

Inputs stay under 100 KB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from unspun.bench.sample import load_wikinews  # noqa: E402
from unspun.data import Document  # noqa: E402
from unspun.errors import UnspunError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import emit  # noqa: E402

MAX_INPUT = 100_000
REFS = load_wikinews()[:6]
WORDS = sorted({w for d in REFS[:3] for w in d.text.split()})[:400]
HOSTILE = ["\ud800", "\udfff", "\x00", "\x1b]52;c;eA==\x07", "\x1b[8m", "\u202e", "\ufeff",
           "\r\n", "\x85", "“", "\"", "<script>", "&amp;", "[" * 50, "\u200b", "..."]
STATS: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}


def _text() -> st.SearchStrategy[str]:
    """Article-like text salted with hostile characters, or any text at all."""
    word = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(max_size=8))
    sentence = st.lists(word, min_size=1, max_size=25).map(" ".join)
    article = st.lists(sentence, max_size=30).map(lambda s: "\n".join(s) if len(s) % 3 else
                                                   ". ".join(s))
    return st.one_of(article, st.text(max_size=2000))


def _mutated() -> st.SearchStrategy[str]:
    """A reference article with sentences dropped, words swapped and hostile bits added."""
    @st.composite
    def build(draw: st.DrawFn) -> str:
        ref = draw(st.sampled_from(REFS)).text
        words = ref.split(" ")
        for _ in range(draw(st.integers(0, 20))):
            i = draw(st.integers(0, len(words) - 1))
            words[i] = draw(st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE)))
        cut = draw(st.integers(0, len(words)))
        return " ".join(words[cut:] + words[:cut])
    return build()


def _json_value() -> st.SearchStrategy[Any]:
    leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)
    return st.recursive(leaf, lambda x: st.lists(x, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "title", "url", "site", "date", "x"]), x, max_size=5),
        max_leaves=15)


def _line() -> st.SearchStrategy[bytes]:
    record = st.fixed_dictionaries({"text": _text()}, optional={
        "id": st.text(max_size=20), "title": st.text(max_size=40), "url": st.text(max_size=40),
        "date": st.text(max_size=20)})
    return st.one_of(
        record.map(lambda r: json.dumps(r).encode()),
        _json_value().map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=300),
        st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * (n % 3)),
    )


def _page() -> st.SearchStrategy[bytes]:
    tag = st.sampled_from(["p", "div", "span", "h1", "li", "script", "time", "table", "td",
                           "article", "meta", "title", "a", "br"])
    date = st.sampled_from(["2019-03-04", "le 3 mars à 20 h 15", "99.99.9999", "31 Feb 2019",
                            "2O19-1З-4O", "am 4 März um 10.33 Uhr", "Tuesday"])

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        parts = ["<html><head><title>", draw(_text())[:80], "</title>"]
        if draw(st.booleans()):
            parts.append(f'<meta name="date" content="{draw(date)}">')
        parts.append("</head><body>")
        for _ in range(draw(st.integers(0, 40))):
            t = draw(tag)
            parts.append(f"<{t} class=\"{draw(st.sampled_from(['date', 'x', 'byline']))}\">"
                         f"{draw(st.one_of(_text(), date))}"
                         + ("" if draw(st.integers(0, 5)) == 0 else f"</{t}>"))
        parts.append("</body></html>")
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
        return "".join(parts).encode(encoding, "surrogatepass" if encoding.startswith("utf")
                                     else "replace")
    return st.one_of(build(), st.binary(max_size=2000))


def _case(kind: str, fn: Any, *args: Any) -> Any:
    """Run one case: count it, time it, let UnspunError through as a clean refusal.

    A hang is a case over the limit in CPU seconds: on a shared machine the wall clock of a
    pure-CPU case is inflated by other processes (cases over the limit in wall seconds are
    counted apart).
    """
    if sum(len(a) for a in args if isinstance(a, bytes | str)) > MAX_INPUT:
        return None
    start, cpu = time.perf_counter(), time.process_time()
    try:
        return fn(*args)
    except UnspunError:
        STATS[f"{kind}:refused"] += 1
        return None
    finally:
        spent, used = time.perf_counter() - start, time.process_time() - cpu
        STATS[kind] += 1
        SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), spent)
        SLOWEST[f"{kind}:cpu"] = max(SLOWEST.get(f"{kind}:cpu", 0.0), used)
        if spent > HANG_SECONDS:
            STATS[f"{kind}:wall"] += 1
        if used > HANG_SECONDS:
            STATS[f"{kind}:hang"] += 1
            print(f"hang: {kind} took {used:.1f} CPU s on {args!r:.300}", file=sys.stderr)


def _write_out(doc: Document) -> None:
    """Every field of a document must encode (the step that crashed on lone surrogates)."""
    for value in (doc.id, doc.text, doc.title, doc.url, doc.site, doc.date, doc.source):
        if value is not None:
            value.encode("utf-8")
    json.dumps(doc.meta, ensure_ascii=False).encode("utf-8")


def ingest_jsonl(lines: list[bytes], work: Path) -> None:
    from unspun.ingest import IngestErrors, iter_documents

    path = work / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    errors = IngestErrors()
    for doc in iter_documents([path], errors=errors):
        _write_out(doc)


def ingest_file(data: bytes, name: str, work: Path) -> None:
    from unspun.clean import clean
    from unspun.ingest import read_document

    path = work / name
    path.write_bytes(data)
    doc = read_document(path)
    _write_out(doc)
    clean(doc)


def trace_and_write(text: str) -> None:
    from unspun.ingest.base import repair_document
    from unspun.report.html import render_html
    from unspun.report.jsonout import trace_to_dict
    from unspun.report.terminal import SafeConsole, render_trace
    from unspun.trace import trace_against
    from unspun.web.inputs import pasted_document

    doc = pasted_document(text, title=text[:40])
    repair_document(doc)
    result = trace_against(doc, REFS)
    json.dumps(trace_to_dict(result), ensure_ascii=False).encode("utf-8")
    render_html(result).encode("utf-8")
    out = io.StringIO()
    render_trace(result, SafeConsole(file=out, force_terminal=True, width=100))
    shown = out.getvalue()
    assert "\x1b]" not in shown and "\x1b[8m" not in shown, "terminal escape leaked"


def api(client: Any, path: str, body: bytes, kind: str) -> None:
    res = client.post(path, content=body, headers={"content-type": kind})
    assert res.status_code < 500, (res.status_code, res.text[:200])
    if res.headers["content-type"].startswith("application/json"):
        res.json()
    else:
        assert res.text.startswith("<!DOCTYPE html>"), res.text[:200]


def run_hypothesis(total: int, work: Path, targets: list[str]) -> None:
    from fastapi.testclient import TestClient

    from unspun.index import Index, add_documents
    from unspun.web.app import create_app

    index_path = work / "index"
    with Index.create(index_path) as index:
        add_documents(index, REFS)
    client = TestClient(create_app(index_path=index_path), base_url="http://localhost")
    weights = {"jsonl": 0.8, "file": 0.05, "trace": 0.05, "api": 0.1}
    share = {k: v / sum(weights[t] for t in targets) for k, v in weights.items()}

    def cfg(name: str) -> settings:
        return settings(max_examples=max(1, int(total * share[name])), deadline=None,
                        database=None, suppress_health_check=list(HealthCheck))

    @cfg("jsonl")
    @given(st.lists(_line(), max_size=6))
    def jsonl(lines: list[bytes]) -> None:
        _case("ingest-jsonl", ingest_jsonl, lines, work)

    @cfg("file")
    @given(st.one_of(_page().map(lambda d: (d, "page.html")),
                     _text().map(lambda t: (t.encode("utf-8", "surrogatepass"), "a.txt")),
                     st.binary(max_size=3000).map(lambda d: (d, "blob"))))
    def files(case: tuple[bytes, str]) -> None:
        _case("ingest-clean", ingest_file, case[0], case[1], work)

    @cfg("trace")
    @given(st.one_of(_mutated(), _text()))
    def traces(text: str) -> None:
        _case("trace-writers", trace_and_write, text)

    @cfg("api")
    @given(st.sampled_from(["/api/clean", "/api/trace", "/api/trace?format=html", "/"]),
           st.one_of(_line(), _page(), _mutated().map(lambda t: json.dumps({"text": t}).encode())),
           st.sampled_from(["application/json", "multipart/form-data", "text/plain",
                            "application/x-www-form-urlencoded"]))
    def http(path: str, body: bytes, kind: str) -> None:
        _case("http-api", api, client, path, body, kind)

    for name, test in (("jsonl", jsonl), ("file", files), ("trace", traces), ("api", http)):
        if name not in targets:
            continue
        start = time.perf_counter()
        test()
        print(f"{name}: done in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def run_atheris(target: str, argv: list[str]) -> None:
    import atheris

    from unspun.clean import clean
    from unspun.ingest.base import JsonlFields, record_document, repair_document
    from unspun.ingest.html import html_document
    from unspun.ingest.jsonload import loads
    from unspun.ingest.text import text_document
    from unspun.trace import trace_against

    if target == "html":
        import trafilatura  # noqa: F401 - loaded before instrumenting, like the rest
    atheris.instrument_all()  # coverage feedback from every loaded Python function

    def one(data: bytes) -> None:
        try:
            if target == "jsonl":
                record = loads(data, where="x")
                if isinstance(record, dict):
                    _write_out(record_document(record, fields=JsonlFields(), source="x",
                                               fmt="jsonl"))
            elif target == "html":
                doc = html_document(data, source="x")
                repair_document(doc)
                _write_out(doc)
                clean(doc)
            else:
                doc = text_document(data, source="x", sniff=True)
                repair_document(doc)
                trace_against(doc, REFS)
        except UnspunError:
            pass

    atheris.Setup([sys.argv[0], *argv], one)
    atheris.Fuzz()


HANG_SECONDS = 5.0


def main() -> None:
    global HANG_SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2000, help="hypothesis cases in all")
    parser.add_argument("--hang", type=float, default=5.0, help="seconds that make a hang")
    parser.add_argument("--atheris", choices=["jsonl", "html", "text"], default=None)
    parser.add_argument("--targets", default="jsonl,file,trace,api",
                        help="comma-separated targets (several processes can share a run)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("rest", nargs="*", help="libFuzzer arguments (after --)")
    args = parser.parse_args()
    HANG_SECONDS = args.hang
    if args.atheris:
        run_atheris(args.atheris, args.rest)
        return
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="unspun-fuzz-") as tmp:
        run_hypothesis(args.cases, Path(tmp), args.targets.split(","))
    kinds = ("ingest-jsonl", "ingest-clean", "trace-writers", "http-api")
    summary = {
        "cases": sum(STATS[k] for k in kinds),
        "by_target": {k: STATS[k] for k in kinds},
        "refused_as_bad_input": {k: STATS[f"{k}:refused"] for k in kinds},
        "hangs_over_cpu_s": {"limit": HANG_SECONDS, **{k: STATS[f"{k}:hang"] for k in kinds}},
        "over_limit_wall_s": {k: STATS[f"{k}:wall"] for k in kinds},
        "slowest_case_s": {k: round(v, 3) for k, v in SLOWEST.items()},
        "crashes": 0,  # hypothesis stops the run with the failing example on any crash
        "seconds": round(time.perf_counter() - start),
    }
    emit(summary, args.out)


if __name__ == "__main__":
    main()
