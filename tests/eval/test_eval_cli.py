"""`unspun eval` end to end on a tiny PAN-like directory built in tmp_path (no ../shared)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspun.cli import cli
from unspun.eval.pan_xml import DETECTED, read_annotations

SENTENCES = [f"Sentence number {w} of the source tells a long and careful story about {w}."
             for w in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")]
SOURCE = "Preface of the book, unrelated to anything else.\n\n" + " ".join(SENTENCES) + "\n"
COPIED = " ".join(SENTENCES[1:4])
SUSPECT = "An original opening paragraph written by the suspect author.\n\n" + COPIED + (
    "\n\nAn original closing paragraph, also written by the suspect author.\n")
OTHER = "A wholly different book about gardening, with long sentences about tomato plants.\n"


def _feature(susp: int, length: int, src: int, src_len: int) -> str:
    return (f'<feature name="plagiarism" obfuscation="none" this_offset="{susp}" '
            f'this_length="{length}" source_reference="source-document00001.txt" '
            f'source_offset="{src}" source_length="{src_len}" />')


@pytest.fixture()
def pan_dir(tmp_path: Path) -> Path:
    root = tmp_path / "pan13"
    for sub in ("susp", "src", "02-no-obfuscation-relocated", "02-no-obfuscation", "pair-types"):
        (root / sub).mkdir(parents=True)
    (root / "susp" / "suspicious-document00001.txt").write_text(SUSPECT, encoding="utf-8")
    (root / "susp" / "suspicious-document00002.txt").write_text(OTHER, encoding="utf-8")
    (root / "src" / "source-document00001.txt").write_text(SOURCE, encoding="utf-8")
    start, src_start = SUSPECT.index(COPIED), SOURCE.index(COPIED)
    name = "suspicious-document00001-source-document00001.xml"
    for sub, shift in (("02-no-obfuscation-relocated", 0), ("02-no-obfuscation", 10)):
        (root / sub / name).write_text(
            '<document reference="suspicious-document00001.txt">\n'
            + _feature(start + shift, len(COPIED), src_start, len(COPIED)) + "\n</document>\n",
            encoding="utf-8")
    (root / "02-no-obfuscation-relocated" / "pairs").write_text("ignored\n", encoding="utf-8")
    pairs = {
        "no-obfuscation": "suspicious-document00001.txt source-document00001.txt\n"
                          "suspicious-document00009.txt source-document00001.txt\n",
        "random-obfuscation": "",
        "no-plagiarism": "suspicious-document00002.txt source-document00001.txt\n",
    }
    for pair_type, text in pairs.items():
        (root / "pair-types" / pair_type).write_text(text, encoding="utf-8")
    return root


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["eval", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_pan13_json_scores_a_perfect_baseline(pan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dets"
    code, stdout, _ = _run("pan13", str(pan_dir), "--json", "--jobs", "1", "--out", str(out),
                           "--detector", "baseline", "--floors", str(tmp_path / "none.json"))
    assert code == 0, stdout
    report = json.loads(stdout)
    m = report["metrics"]
    assert m["align.plagdet"] == pytest.approx(1.0)
    assert m["align.official.recall"] < 1.0  # the official offsets are 10 characters late
    assert m["pairs.recall.no-obfuscation"] == 1.0
    assert m["pairs.fpr.no-plagiarism"] == 0.0
    assert "pairs.recall.random-obfuscation" not in m
    assert report["counts"]["pairs.absent.no-obfuscation"] == 1
    assert report["counts"]["align.pairs"] == 1
    dets = read_annotations(out / "suspicious-document00001-source-document00001.xml",
                            name=DETECTED)
    assert len(dets) == 1 and dets[0].suspect.of(SUSPECT) == COPIED


def test_pan13_parallel_table_output(pan_dir: Path, tmp_path: Path) -> None:
    code, stdout, _ = _run("pan13", str(pan_dir), "--task", "align", "--jobs", "2",
                           "--detector", "baseline", "--floors", str(tmp_path / "none.json"))
    assert code == 0
    assert "align.plagdet" in stdout and "1.0000" in stdout
    assert "pairs." not in stdout.replace("align.pairs", "")


def test_pan13_below_floor_exits_1(pan_dir: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"pan13": {"baseline": {
        "align.plagdet": 0.5, "align.official.plagdet": 0.99,
        "pairs.fpr.no-plagiarism": {"max": 0.0}}}}), encoding="utf-8")
    code, stdout, stderr = _run("pan13", str(pan_dir), "--jobs", "1", "--floors", str(floors),
                                "--detector", "baseline")
    assert code == 1
    assert "align.official.plagdet" in stderr and "BELOW" in stdout
    # A partial run (--limit) reports but does not gate.
    code, _, stderr = _run("pan13", str(pan_dir), "--jobs", "1", "--limit", "1",
                           "--floors", str(floors), "--detector", "baseline")
    assert code == 0 and "floors not checked" in stderr


def test_pan13_defaults_to_unspun_and_fails_on_an_unmeasured_floor(
        pan_dir: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"pan13": {"unspun": {
        "align.plagdet": 0.5, "pairs.recall.random-obfuscation": 0.5}}}), encoding="utf-8")
    code, stdout, stderr = _run("pan13", str(pan_dir), "--jobs", "1", "--floors", str(floors),
                                "--json")
    report = json.loads(stdout)
    assert report["detector"] == "unspun"
    assert report["metrics"]["align.plagdet"] > 0.99
    # No random-obfuscation pair is present, so that floor cannot be met: it fails.
    assert code == 1 and report["below_floor"] == ["pairs.recall.random-obfuscation"]
    assert "not measured: pairs.recall.random-obfuscation" in stderr
    # --task align applies only the align.* floors.
    code, _, _ = _run("pan13", str(pan_dir), "--jobs", "1", "--floors", str(floors),
                      "--task", "align")
    assert code == 0


def test_pan13_directory_from_environment(pan_dir: Path, tmp_path: Path) -> None:
    code, stdout, _ = _run("pan13", "--task", "pairs", "--json", "--jobs", "1",
                           "--floors", str(tmp_path / "none.json"),
                           env={"UNSPUN_PAN13": str(pan_dir)})
    assert code == 0 and json.loads(stdout)["metrics"]["pairs.recall.no-obfuscation"] == 1.0


def test_pan13_missing_directory_is_one_line_error(tmp_path: Path) -> None:
    code, stdout, stderr = _run("pan13", str(tmp_path / "nowhere"))
    assert code == 2
    assert stderr.strip().count("\n") == 0
    assert stderr.startswith("unspun: error: ") and "nowhere" in stderr


def test_bench_uses_the_bench_evaluator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def evaluate(bench_dir: Path, detector: object) -> dict[str, float]:
        seen.append(getattr(detector, "name", ""))
        return {"attribution.f1.verbatim": 0.9, "attribution.f1.spun": 0.2}

    fake = types.ModuleType("unspun.eval.bench")
    fake.evaluate = evaluate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unspun.eval.bench", fake)
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"bench": {"baseline": {"attribution.f1.spun": 0.5}}}))
    code, stdout, stderr = _run("bench", str(tmp_path), "--json", "--floors", str(floors),
                                "--detector", "baseline")
    assert seen == ["baseline"]
    assert code == 1 and json.loads(stdout)["below_floor"] == ["attribution.f1.spun"]
    code, _, stderr = _run("bench", str(tmp_path / "missing"))
    assert code == 2 and "missing" in stderr


def test_bench_table_is_short_by_default_and_whole_with_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    metrics = {"suspects": 204.0, "attribution.f1.all": 0.99, "attribution.f1.spun": 0.98,
               "attribution.f1.original": float("nan"), "verdict.accuracy": 1.0,
               "seconds.trace": 1.23456}
    fake = types.ModuleType("unspun.eval.bench")
    fake.evaluate = lambda bench_dir, detector: dict(metrics)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unspun.eval.bench", fake)
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"bench": {"baseline": {"attribution.f1.all": 0.5}}}))
    args = ("bench", str(tmp_path), "--floors", str(floors))
    code, short, _ = _run(*args)
    assert code == 0
    assert "│ suspects" in short and " 204 │" in short and "204.0" not in short
    assert "attribution.f1.spun" not in short and "nan" not in short and "n/a" not in short
    assert "1.23 │" in short and "2 more metrics (per category): --all" in short
    code, full, _ = _run(*args, "--all")
    assert "attribution.f1.spun" in full and "nan" not in full
    assert "n/a" in full and "n/a: undefined (0/0): the category has no gold attributions" in full
    data = json.loads(_run(*args, "--json")[1])
    assert data["metrics"]["attribution.f1.original"] is None  # valid JSON, not NaN


def test_pan13_absent_pairs_are_explained(pan_dir: Path, tmp_path: Path) -> None:
    code, stdout, _ = _run("pan13", str(pan_dir), "--task", "pairs", "--jobs", "1",
                           "--floors", str(tmp_path / "none.json"))
    assert code == 0
    assert ("pairs.absent.no-obfuscation: 1  (pairs of this type listed in PAN-13's pair-types "
            "file whose suspicious or source text is missing") in stdout


def test_pan13_pairs_via_scan(pan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan"
    code, stdout, _ = _run("pan13", str(pan_dir), "--task", "pairs", "--via", "scan", "--json",
                           "--jobs", "1", "--out", str(out))
    assert code == 0, stdout
    report = json.loads(stdout)
    m = report["metrics"]
    assert m["pairs.recall.no-obfuscation"] == 1.0 and m["pairs_copy.recall.no-obfuscation"] == 1.0
    assert m["pairs.fpr.no-plagiarism"] == 0.0
    assert report["counts"]["scan.documents"] == 3  # two suspects and one source, scanned once
    assert report["detector"] == "scan"
    pairs = [json.loads(line) for line in (out / "pairs.jsonl").read_text().splitlines()]
    assert [(p["a_id"], p["b_id"], p["relation"]) for p in pairs] == [
        ("susp/suspicious-document00001.txt", "src/source-document00001.txt", "copy")]
    code, _, stderr = _run("pan13", str(pan_dir), "--via", "scan")
    assert code == 2 and "--task pairs" in stderr
