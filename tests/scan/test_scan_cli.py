"""`unspun scan` end to end on a small generated syndication corpus: outputs, resume, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scan.helpers import write_docs
from unspun.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scan")
    made = run("bench", "make", "--mode", "corpus", "--stories", "6", "--seed", "3",
               "--out", str(root / "bench"))
    assert made.exit_code == 0, made.output
    return root / "bench"


@pytest.fixture(scope="module")
def scanned(corpus: Path) -> Path:
    out = corpus.parent / "out"
    result = run("scan", str(corpus / "corpus.jsonl"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "copy pairs" in result.stdout
    return out


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_outputs_and_quality(corpus: Path, scanned: Path) -> None:
    for name in ("documents", "pairs", "clusters", "lineage", "sites"):
        assert (scanned / f"{name}.jsonl").exists() and (scanned / f"{name}.parquet").exists()
    for name in ("graph.gexf", "graph.graphml", "report.html", "scan.json"):
        assert (scanned / name).stat().st_size > 0
    scored = run("eval", "scan", str(corpus), "--scan-dir", str(scanned), "--json")
    metrics = json.loads(scored.stdout)["metrics"]
    assert metrics["pairs.f1"] >= 0.95 and metrics["cluster.ari"] >= 0.9, metrics
    assert metrics["direction.accuracy"] >= 0.9, metrics


def test_parquet_matches_jsonl(scanned: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    for name in ("pairs", "lineage", "sites"):
        assert pq.read_table(scanned / f"{name}.parquet").to_pylist() == \
            _rows(scanned / f"{name}.jsonl")


def test_pairs_point_into_the_texts_and_lineage_is_a_forest(corpus: Path, scanned: Path) -> None:
    texts = {r["id"]: r["text"] for r in _rows(corpus / "corpus.jsonl")}
    for p in _rows(scanned / "pairs.jsonl"):
        for a0, a1, b0, b1 in p["passages"]:
            assert texts[p["a_id"]][a0:a1].strip() and texts[p["b_id"]][b0:b1].strip()
        assert p["relation"] in ("copy", "quote-sharing")
    links = {r["id"]: r for r in _rows(scanned / "lineage.jsonl")}
    for r in links.values():  # every parent chain ends at a root of the same cluster
        seen = set()
        while r["parent_id"] is not None:
            assert r["id"] not in seen
            seen.add(r["id"])
            r = links[r["parent_id"]]
        assert r["cluster"] == links[next(iter(seen or {r["id"]}))]["cluster"]


def test_no_furniture_keeps_captions_and_finds_false_pairs(corpus: Path, scanned: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "raw"
    result = run("scan", str(corpus / "corpus.jsonl"), "--out", str(out), "--no-furniture",
                 "--no-parquet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len(_rows(out / "documents.jsonl")) == len(_rows(scanned / "documents.jsonl"))
    kept = {r["detail"] for d in _rows(out / "documents.jsonl") for r in d["removed"]}
    assert "gallery counter" not in kept and "embedded post" not in kept
    cleaned = {r["detail"] for d in _rows(scanned / "documents.jsonl") for r in d["removed"]}
    assert {"gallery counter", "embedded post", "byline", "date line"} <= cleaned


def test_report_escapes_article_text(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script> The council voted to close the old bridge for repairs."
    text = (f"{evil} Engineers found cracks in two of its supports last month. Traffic will "
            "use the ring road until the work ends in spring, the mayor said on Monday.")
    corpus = write_docs(tmp_path / "c.jsonl", [
        {"id": f"x{i}", "site": f"s{i}.example", "date": f"2018-07-0{i + 1}", "text": text}
        for i in range(3)])
    out = tmp_path / "out"
    assert run("scan", str(corpus), "--out", str(out), "--jobs", "1").exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert len(_rows(out / "clusters.jsonl")) == 1


def test_resume_redoes_only_missing_batches_and_gives_the_same_tables(
        corpus: Path, scanned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    work = out / "work"
    (work / "candidates.npy").unlink()  # as if killed before the candidate stage ended
    for part in work.glob("pairs-*.pkl"):
        part.unlink()
    for name in ("pairs.jsonl", "lineage.jsonl"):
        (out / name).unlink()
    refused = run("scan", str(corpus / "corpus.jsonl"), "--out", str(out))
    assert refused.exit_code == 2 and "--resume" in refused.stderr
    resumed = run("scan", str(corpus / "corpus.jsonl"), "--out", str(out), "--resume",
                  "--jobs", "1")
    assert resumed.exit_code == 0, resumed.output
    for name in ("pairs", "lineage", "clusters"):
        assert _rows(out / f"{name}.jsonl") == _rows(scanned / f"{name}.jsonl")
    other = run("scan", str(corpus / "gold.json"), "--out", str(out), "--resume")
    assert other.exit_code == 2 and "other inputs" in other.stderr


def test_bad_documents_are_skipped_and_counted(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "One fine sentence about the weather today."}\n'
                      "not json\n", encoding="utf-8")
    result = run("scan", str(corpus), "--out", str(tmp_path / "out"), "--no-parquet")
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.stdout and "line=2" in result.stderr


def test_demo_scan_is_reused_on_a_second_run(tmp_path: Path) -> None:
    from unspun.scan.demo import run_demo_scan

    first = run_demo_scan(tmp_path)
    assert first.copies > 10 and first.clusters >= 4  # stitched pages join some stories
    html = (tmp_path / "scan" / "report.html").read_text(encoding="utf-8")
    assert html.index("<svg") < html.index("<h2>Sites</h2>")  # the site graph comes first
    again = run_demo_scan(tmp_path)
    assert (again.copies, again.clusters) == (first.copies, first.clusters)


def test_one_and_two_workers_give_identical_tables(corpus: Path, scanned: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Small pair batches and a tiny bag cache, so that both workers get several batches and
    # documents are evicted and rebuilt (and unpickled again) between them.
    import unspun.scan.run as run_module

    monkeypatch.setattr(run_module, "PAIR_BATCH", 7)
    monkeypatch.setattr(run_module, "CACHE_DOCS", 3)
    monkeypatch.setattr(run_module, "WORKER_DOCS", 3)
    # Two workers: a small corpus (the candidate tiers at once, the parent's documents read)
    # or one above LARGE_CORPUS (the tiers one after the other, pickled documents).
    candidates = set()
    for jobs, large in (("1", 0), ("2", 0), ("2", 10**9)):
        monkeypatch.setattr(run_module, "LARGE_CORPUS", large)
        out = tmp_path / f"jobs{jobs}-{large}"
        result = run("scan", str(corpus / "corpus.jsonl"), "--out", str(out), "--jobs", jobs,
                     "--no-parquet")
        assert result.exit_code == 0, result.output
        assert len(list((out / "work").glob("pairs-*.pkl"))) > 4
        for name in ("pairs", "clusters", "lineage", "sites", "documents"):
            assert _rows(out / f"{name}.jsonl") == _rows(scanned / f"{name}.jsonl"), \
                (jobs, large, name)
        candidates.add((out / "work" / "candidates.npy").read_bytes())
    assert len(candidates) == 1
