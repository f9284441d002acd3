"""A scan stage run in a forked child that dies is one line for the user, not a traceback."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from unspun.errors import UnspunError
from unspun.scan.checkpoint import Checkpoints
from unspun.scan.config import ScanConfig
from unspun.scan.run import _in_child, _in_children, _run, save_candidates


def _exit_3() -> None:
    os._exit(3)


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep() -> None:
    time.sleep(60)


def test_a_failed_child_says_so_and_how_to_go_on() -> None:
    with pytest.raises(UnspunError, match=r"scan: candidates failed \(exit code 3\).*--resume"):
        _in_child(_exit_3, "scan: candidates")


def test_a_killed_child_says_killed() -> None:
    with pytest.raises(UnspunError, match=r"killed \(exit code -9\)"):
        _in_child(_killed, "scan: sentence candidates")


def test_children_at_once_stop_the_others_when_one_fails() -> None:
    started = time.monotonic()
    with pytest.raises(UnspunError, match=r"scan: candidates failed \(exit code 3\)"):
        _in_children([(_exit_3, "scan: candidates"), (_sleep, "scan: sentence candidates")],
                     at_once=True, show=False)
    assert time.monotonic() - started < 30  # the sleeping child was stopped, not waited for
    assert not multiprocessing.active_children()


def _killed_on_second(number: int) -> int:
    if number == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_killed_worker_is_one_line_not_a_traceback() -> None:
    finished: list[int] = []
    with pytest.raises(UnspunError, match=r"^scan: aligning: a worker process died.*--resume$"):
        _run(_killed_on_second, [0, 1, 2, 3], 2, "scan: aligning", False, done=finished.append)
    assert 1 not in finished


def _nothing() -> None:
    pass


@pytest.mark.parametrize("at_once", [False, True])
def test_the_candidate_children_run_under_a_progress_bar(
        monkeypatch: pytest.MonkeyPatch, at_once: bool) -> None:
    import unspun.scan.run as run_module

    seen: list[tuple[str, int | None, bool | None, int]] = []

    def recording(items: Iterable[Any], *, description: str, total: int | None = None,
                  enabled: bool | None = None) -> Iterator[Any]:
        items = list(items)
        seen.append((description, total, enabled, len(items)))
        yield from items

    monkeypatch.setattr(run_module, "progress", recording)
    _in_children([(_nothing, "scan: candidates"), (_nothing, "scan: sentence candidates")],
                 at_once=at_once, show=True)
    assert seen == [("scan: candidates", 2, True, 2)]


@pytest.mark.parametrize(("jobs", "docs", "at_once"),
                         [(1, 5, False), (2, 5, True), (2, 50_001, False)])
def test_the_tiers_run_at_once_on_two_cores_and_a_small_corpus(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, docs: int,
        at_once: bool) -> None:
    import unspun.scan.run as run_module

    ran: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(run_module, "LARGE_CORPUS", 50_000)
    monkeypatch.setattr(run_module, "_in_children",
                        lambda steps, *, at_once, show: ran.append(
                            ([what for _, what in steps], at_once)))
    monkeypatch.setitem(run_module._WORK, "docs", [None] * docs)
    monkeypatch.setattr(run_module, "_n_docs", len)
    monkeypatch.setattr(Checkpoints, "load_array",
                        lambda self, name: np.array([[0, 1]] if "gram" in name else [[1, 2]]))
    ck = Checkpoints(tmp_path)
    ck.dir.mkdir(parents=True)
    save_candidates(ck, ScanConfig(), jobs=jobs, show=True)
    assert ran == [(["scan: candidates", "scan: sentence candidates"], at_once)]
    if at_once:  # the two tiers' pairs are joined here, after both children
        assert np.load(ck.dir / "candidates.npy").tolist() == [[0, 1], [1, 2]]
