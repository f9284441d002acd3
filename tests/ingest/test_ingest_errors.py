"""Bad input: every kind is refused with a clear reason, or skipped and listed in corpus mode."""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

import pytest

from ingest.builders import FIXTURES, bad_inputs, write_jsonl, write_warc
from unspun.errors import BadInput
from unspun.ingest import IngestErrors, iter_documents, read_document

KINDS = ["empty", "binary", "undecodable", "whitespace", "not-html", "no-text-html",
         "truncated-warc", "truncated-warc-gz", "truncated-gzip", "not-warc", "too-big",
         "missing", "dangling-link", "fifo"]


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return bad_inputs(tmp_path_factory.mktemp("bad"))


def test_every_kind_is_built(bad: dict[str, tuple[Path, str]]) -> None:
    assert sorted(bad) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_strict_mode_raises_with_path_and_reason(bad, kind: str) -> None:
    path, reason = bad[kind]
    with pytest.raises(BadInput) as info:
        list(iter_documents([path]))
    assert info.value.path == str(path)
    assert reason in info.value.reason
    assert str(info.value) == f"{path}: {info.value.reason}"
    assert "\n" not in str(info.value)


def test_huge_file_is_refused_before_any_read(bad, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = bad["too-big"]
    assert path.stat().st_size == 200 * 1024 * 1024

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(builtins, "open", no_open)
    with pytest.raises(BadInput, match=r"file is 200 MB, over the 50 MB limit"):
        read_document(path)


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("word " * 300, encoding="utf-8")
    with pytest.raises(BadInput, match="over the 1 KB limit"):
        read_document(path, max_bytes=1024)
    assert read_document(path, max_bytes=None).text.startswith("word")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret words\n", encoding="utf-8")
    real_open = builtins.open

    def locked_open(file, *args, **kwargs):  # what open() does on a chmod 000 file as non-root
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", locked_open)
    with pytest.raises(BadInput, match="permission denied"):
        read_document(path)


def test_a_directory_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="is a directory"):
        read_document(tmp_path)


def test_directory_run_skips_bad_files_and_reads_all_good_ones(tmp_path: Path, bad) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "article.html", root / "article.html")
    shutil.copy(FIXTURES / "cp1252.txt", root / "sub" / "cp1252.txt")
    write_warc(root / "sub" / "crawl.warc.gz", gz=True)
    write_jsonl(root / "rows.jsonl", [{"text": "good row"}, "{bad", {"text": "second row"}])
    (root / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (root / "readme.md").write_text("# not an input", encoding="utf-8")
    for kind in ("empty", "binary", "undecodable", "not-html", "truncated-warc", "too-big",
                 "dangling-link"):
        path, _ = bad[kind]
        target = root / "sub" / path.name
        if path.is_symlink():
            target.symlink_to(path.readlink())
        elif kind == "too-big":
            with open(target, "wb") as handle:
                handle.truncate(200 * 1024 * 1024)
        else:
            shutil.copy(path, target)
    errors = IngestErrors()
    docs = list(iter_documents([root], errors=errors))
    sources = [d.source for d in docs]
    cut = [s for s in sources if s.startswith(str(root / "sub" / "truncated.warc#"))]
    assert len(cut) == 1  # the records before the cut are still read
    assert len(docs) == 1 + 2 + 1 + 2 + len(cut)  # html, WARC pages, text, JSONL rows
    assert str(root / "article.html") in sources
    assert str(root / "rows.jsonl") + "#line=3" in sources
    assert errors.documents == len(docs)
    skipped = dict(errors.skipped)
    assert set(skipped) == {
        str(root / "readme.md"), str(root / "rows.jsonl") + "#line=2",
        *(str(root / "sub" / bad[k][0].name) for k in (
            "empty", "binary", "undecodable", "not-html", "truncated-warc", "too-big",
            "dangling-link"))}
    assert skipped[str(root / "readme.md")] == "unsupported file type (.md)"
    assert not any(".hidden" in where for where in skipped)


def test_several_paths_and_missing_ones(tmp_path: Path) -> None:
    errors = IngestErrors()
    docs = list(iter_documents([FIXTURES / "latin1.txt", tmp_path / "nope.txt",
                                FIXTURES / "cp1252.txt"], errors=errors))
    assert len(docs) == 2
    assert errors.skipped == [(str(tmp_path / "nope.txt"), "no such file")]


def test_dangling_link_without_extension_in_a_walk_says_so(tmp_path: Path) -> None:
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    errors = IngestErrors()
    assert list(iter_documents([tmp_path], errors=errors)) == []
    assert dict(errors.skipped) == {
        str(tmp_path / name): "dangling symbolic link (its target does not exist)"
        for name in ("gone", "gone.txt")}
