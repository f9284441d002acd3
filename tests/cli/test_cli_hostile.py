"""No traceback on hostile input or a hostile environment, and nothing unsafe on the terminal."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_index_cli import assert_one_line_error

from unspun.cli import cli
from unspun.data import Document
from unspun.report.terminal import SafeConsole, render_trace
from unspun.trace import trace_against

STORY = ("The council approved the new budget on Tuesday after a long debate. "
         "The mayor said the plan would fund three new schools by next year. "
         "Opponents argued that the tax increase was too steep for families.")
ESCAPES = "\x1b]52;c;cHduZWQ=\x07\x1b]0;owned\x07\x1b[8m"


def _unspun(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unspun", *args], capture_output=True,
                          text=True, timeout=120, **kw)  # type: ignore[call-overload]


def _one_line(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspun: error: "), proc.stderr
    assert all(n in lines[0] for n in needles), lines[0]


def test_closed_stdin_is_one_line() -> None:
    proc = subprocess.run(f"{sys.executable} -m unspun clean - <&-", shell=True,
                          capture_output=True, text=True, timeout=120)
    _one_line(proc, "<stdin>", "closed")


def test_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "unspun", "clean", "--json", str(article)],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == ("unspun: error: <stdout>: cannot write "
                                   "(No space left on device)")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_max_mb_is_one_line(tmp_path: Path, value: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    res = CliRunner().invoke(cli, ["clean", "--max-mb", value, str(article)])
    if value == "-inf":  # below the range: click's own usage error, still exit 2
        assert res.exit_code == 2 and "Traceback" not in res.output
        return
    assert_one_line_error(res, "--max-mb", "not a finite number")


def _escaped_pair(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "source.txt"
    source.write_text(STORY, encoding="utf-8")
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(STORY.replace("Tuesday", f"Tuesday {ESCAPES}"), encoding="utf-8")
    return source, suspect


def test_trace_and_clean_output_carry_no_terminal_escapes(tmp_path: Path) -> None:
    source, suspect = _escaped_pair(tmp_path)
    runner = CliRunner()
    for args in (["trace", str(suspect), "--against", str(source)],
                 ["trace", "--json", str(suspect), "--against", str(source)],
                 ["clean", str(suspect)], ["clean", "--json", str(suspect)],
                 ["ingest", str(suspect)]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, (args, res.output)
        assert "\x1b" not in res.output and "\x07" not in res.output, args
        if args[0] != "trace" and ("--json" in args or args[0] == "ingest"):
            assert ESCAPES in json.loads(res.stdout)["text"]  # the data keeps the exact text


def test_colour_terminal_gets_styles_but_not_the_article_escapes() -> None:
    text = STORY.replace("Tuesday", f"Tuesday {ESCAPES}")
    result = trace_against(Document(id="s", text=text, title=f"Title {ESCAPES}"),
                           [Document(id="o", text=STORY, title="Original")])
    out = io.StringIO()
    render_trace(result, SafeConsole(file=out, force_terminal=True, color_system="truecolor",
                                     width=100))
    shown = out.getvalue()
    assert "\x1b[1m" in shown  # rich's own styling is still there
    assert "\x1b]" not in shown and "\x1b[8m" not in shown and "\x07" not in shown
    assert "\u241b]52;c;cHduZWQ=" in shown  # the escape is shown, made harmless


def test_index_add_keeps_the_good_records_of_a_batch_with_bad_ones(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"good-{i}", "text": f"Story {i}. " + STORY}) for i in range(3)]
    lines.insert(1, '{"id": "sur", "text": "Lone \\ud800 surrogate. ' + STORY + '"}')
    lines.insert(3, "[" * 100_000)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = tmp_path / "ix"
    res = CliRunner().invoke(cli, ["index", "add", str(corpus), "--index", str(index),
                                   "--batch-size", "10"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    assert f"{corpus}#line=4" in res.stderr and "nested" in res.stderr
    assert f"repaired {corpus}#line=2" in res.stderr
    stats = CliRunner().invoke(cli, ["index", "stats", "--index", str(index), "--json"])
    assert json.loads(stats.stdout)["documents"] == 4
