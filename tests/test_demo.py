"""The demo: bundled sample indexed, bundled content-farm page traced, reports written."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspun.cli import cli
from unspun.demo import example_document, run_demo


def test_demo_traces_the_bundled_page_to_its_wikinews_sources(tmp_path: Path) -> None:
    run = run_demo(tmp_path)
    result = run.result
    assert run.documents == 212
    # The page is stitched from four articles, spun, and wrapped in the seed page's junk.
    assert len(result.sources) >= 3
    assert result.verdict is not None and result.verdict.label == "stitched-aggregate"
    kinds = {f.kind for f in result.clean.removed}
    assert {"repeated-headline", "link-line", "server-error"} <= kinds
    # The "More news:" line names another indexed article: it must not become a source.
    more_news = next(f for f in result.clean.removed if f.text.startswith("More news:"))
    trapped_title = more_news.text.removeprefix("More news:").strip()
    assert all(s.title != trapped_title for s in result.sources)
    text = example_document().text
    for t in result.sentences:
        assert t.sentence.span.of(text) == t.sentence.text
        if t.alignment is not None:
            src = result.source_docs[t.alignment.source_id].text
            assert t.alignment.source.of(src).strip()
    spins = {(e.source_text, e.suspect_text) for t in result.sentences if t.alignment
             for e in t.alignment.edits if e.op == "synonym"}
    assert ("U.N.", "United Nations Organization") in spins
    assert any(q.kind == "altered-quote" for q in result.quote_findings)


def test_demo_command_writes_html_report_and_reuses_its_index(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--out", str(tmp_path)])
    assert first.exit_code == 0, first.output
    report = tmp_path / "report.html"
    assert report.exists()
    html = report.read_text()
    assert "Opposition calls for mass protests in Bahrain" in html
    assert "HTML report:" in first.output
    second = runner.invoke(cli, ["demo", "--out", str(tmp_path)])
    assert second.exit_code == 0
    assert "0 added now" in second.output


def test_demo_without_out_writes_to_a_temporary_directory_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cwd").mkdir()
    (tmp_path / "tmp").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    result = CliRunner().invoke(cli, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "cwd").iterdir()) == []  # nothing written where it ran
    (made,) = (tmp_path / "tmp").iterdir()
    assert made.name.startswith("unspun-demo-") and (made / "report.html").exists()
    assert f"demo files: {made.resolve()} (a new temporary directory" in result.stderr
    json.loads(result.stdout)
