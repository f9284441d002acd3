"""The tables written a batch of rows at a time are the files written in one go, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from unspun.cli import cli
from unspun.scan import outputs
from unspun.scan.tables import read_jsonl, write_table, write_table_batches


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("streamed")
    runner = CliRunner()
    made = runner.invoke(cli, ["bench", "make", "--mode", "corpus", "--stories", "5", "--seed",
                               "4", "--out", str(root / "bench")])
    assert made.exit_code == 0, made.output
    out = root / "out"
    done = runner.invoke(cli, ["scan", str(root / "bench" / "corpus.jsonl"), "--out", str(out),
                               "--jobs", "1"])
    assert done.exit_code == 0, done.output
    return out


@pytest.mark.parametrize("name", ["pairs", "documents"])
@pytest.mark.parametrize("size", [1, 7, 100_000])
def test_batches_give_the_same_bytes(scanned: Path, tmp_path: Path, name: str,
                                     size: int) -> None:
    pytest.importorskip("pyarrow")
    rows = read_jsonl(scanned / f"{name}.jsonl")
    assert len(rows) > 7
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    whole.mkdir()
    parts.mkdir()
    write_table(whole, name, rows, parquet=True)
    write_table_batches(parts, name, (rows[i : i + size] for i in range(0, len(rows), size)),
                        parquet=True)
    for ext in ("jsonl", "parquet"):
        assert (parts / f"{name}.{ext}").read_bytes() == (whole / f"{name}.{ext}").read_bytes()
    assert not list(parts.glob("*.tmp"))


def test_no_rows_give_the_same_empty_tables(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_table(tmp_path / "a", "pairs", [], parquet=True)
    write_table_batches(tmp_path / "b", "pairs", iter(()), parquet=True)
    for ext in ("jsonl", "parquet"):
        assert (tmp_path / "a" / f"pairs.{ext}").read_bytes() == \
            (tmp_path / "b" / f"pairs.{ext}").read_bytes()


def test_scan_outputs_do_not_depend_on_the_row_batch(scanned: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    monkeypatch.setattr(outputs, "ROWS", 3)
    resumed = CliRunner().invoke(cli, ["scan", str(scanned.parent / "bench" / "corpus.jsonl"),
                                       "--out", str(out), "--resume", "--jobs", "1"])
    assert resumed.exit_code == 0, resumed.output
    for name in ("pairs", "documents", "clusters", "lineage", "sites"):
        for ext in ("jsonl", "parquet"):
            assert (out / f"{name}.{ext}").read_bytes() == \
                (scanned / f"{name}.{ext}").read_bytes(), (name, ext)


def test_pickled_documents_come_back_alike_and_few_are_kept(scanned: Path) -> None:
    import pickle

    from unspun.scan.incremental import same_prepared
    from unspun.scan.run import PickledDocs, Unpickled

    docs = [d for p in sorted((scanned / "work").glob("prep-*.pkl"))
            for d in pickle.loads(p.read_bytes())]
    store = PickledDocs(docs)
    back = store.all()
    assert len(back) == len(docs) > 3
    assert all(x.docno == y.docno and x.doc == y.doc and same_prepared(x, y)
               for x, y in zip(back, docs, strict=True))
    mine = Unpickled(store, 2)
    assert mine[3].docno == 3 and mine[0].docno == 0 and mine[3].docno == 3
    assert mine[1].docno == 1 and len(mine) == 2 and 3 not in mine


def test_a_resumed_scan_on_two_workers_gives_the_same_tables(
        scanned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import unspun.scan.run as run_module

    out = tmp_path / "out"
    shutil.copytree(scanned, out)
    monkeypatch.setattr(run_module, "PAIR_BATCH", 7)
    monkeypatch.setattr(run_module, "CACHE_DOCS", 4)
    monkeypatch.setattr(run_module, "WORKER_DOCS", 4)
    monkeypatch.setattr(run_module, "LARGE_CORPUS", 0)  # the workers read pickled documents
    for part in (out / "work").glob("pairs-*.pkl"):
        part.unlink()
    (out / "work" / "run.json").write_text(  # the identity names the pair batch size
        (out / "work" / "run.json").read_text().replace('"pair_batch": 1000',
                                                          '"pair_batch": 7'))
    resumed = CliRunner().invoke(cli, ["scan", str(scanned.parent / "bench" / "corpus.jsonl"),
                                       "--out", str(out), "--resume", "--jobs", "2"])
    assert resumed.exit_code == 0, resumed.output
    assert len(list((out / "work").glob("pairs-*.pkl"))) > 4
    for name in ("pairs", "documents", "clusters", "lineage", "sites"):
        for ext in ("jsonl", "parquet"):
            assert (out / f"{name}.{ext}").read_bytes() == \
                (scanned / f"{name}.{ext}").read_bytes(), (name, ext)


def test_the_row_encoder_writes_what_json_dumps_writes() -> None:
    import json

    from unspun.scan.tables import _row_encoder

    row = {"a": 1, "s": "caf\u00e9 \"q\" \\ \n\t\u2028", "f": [0.1, 1.0, 1e-7, 12345678.9],
           "n": None, "nan": float("nan"), "b": [True, False], "d": {"x": [[1, 2], []], "y": -3}, "big": 2**70}
    assert _row_encoder()(row) == json.dumps(row, ensure_ascii=False)
    with pytest.raises(TypeError):
        _row_encoder()({"x": {1, 2}})


@pytest.mark.parametrize("make", ["raises", "writes-other-text"])
def test_the_row_encoder_falls_back_when_the_private_c_encoder_changes(monkeypatch, make) -> None:
    """``_json.make_encoder`` is CPython's private API: a new signature, or an encoder that
    writes other text, must not change the tables, only their speed."""
    import _json
    import json

    from unspun.scan.tables import _ENCODER, _row_encoder

    def changed(*args):
        if make == "raises":
            raise TypeError("make_encoder() takes other arguments")
        return lambda row, level: ["{}"]

    monkeypatch.setattr(_json, "make_encoder", changed)
    encode = _row_encoder()
    assert encode == _ENCODER.encode
    row = {"a": [1, 2.5], "s": "caf\u00e9"}
    assert encode(row) == json.dumps(row, ensure_ascii=False)


def test_unpickled_keeps_the_latest_documents_first_met(scanned: Path) -> None:
    """Evicted in the order first met (a hit does not renew), over many evictions: the queue
    of docnos stays in step with the dict."""
    import pickle

    from unspun.scan.run import PickledDocs, Unpickled

    docs = [d for p in sorted((scanned / "work").glob("prep-*.pkl"))
            for d in pickle.loads(p.read_bytes())]
    n = len(docs)
    assert n >= 5
    mine = Unpickled(PickledDocs(docs), 3)
    met: list[int] = []
    for step in range(200):
        k = (step * 7) % n
        assert mine[k].docno == k
        if k not in met:
            met.append(k)
        met = met[-3:]
        assert sorted(mine) == sorted(met) and len(mine._order) == len(mine) <= 3
