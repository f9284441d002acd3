"""A scan stage run in a forked child that dies is one line for the user, not a traceback."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from unspun.errors import UnspunError
from unspun.scan.checkpoint import Checkpoints
from unspun.scan.config import ScanConfig
from unspun.scan.run import _in_child, _run, save_candidates


def _exit_3() -> None:
    os._exit(3)


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_failed_child_says_so_and_how_to_go_on() -> None:
    with pytest.raises(UnspunError, match=r"scan: candidates failed \(exit code 3\).*--resume"):
        _in_child(_exit_3, "scan: candidates")


def test_a_killed_child_says_killed() -> None:
    with pytest.raises(UnspunError, match=r"killed \(exit code -9\)"):
        _in_child(_killed, "scan: sentence candidates")


def _killed_on_second(number: int) -> int:
    if number == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_killed_worker_is_one_line_not_a_traceback() -> None:
    finished: list[int] = []
    with pytest.raises(UnspunError, match=r"^scan: aligning: a worker process died.*--resume$"):
        _run(_killed_on_second, [0, 1, 2, 3], 2, "scan: aligning", False, done=finished.append)
    assert 1 not in finished


def test_the_candidate_children_run_under_a_progress_bar(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import unspun.scan.run as run_module

    seen: list[tuple[str, int | None, bool | None, list[str]]] = []
    ran: list[str] = []

    def recording(items: Iterable[Any], *, description: str, total: int | None = None,
                  enabled: bool | None = None) -> Iterator[Any]:
        items = list(items)
        seen.append((description, total, enabled, [what for _, what in items]))
        yield from items

    monkeypatch.setattr(run_module, "progress", recording)
    monkeypatch.setattr(run_module, "_in_child", lambda fn, what: ran.append(what))
    ck = Checkpoints(tmp_path)
    ck.dir.mkdir(parents=True)
    save_candidates(ck, ScanConfig(), show=True)
    steps = ["scan: candidates", "scan: sentence candidates"]
    assert seen == [("scan: candidates", 2, True, steps)]
    assert ran == steps
