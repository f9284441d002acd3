"""The collector pause around traces: nesting, threads, and the collection at its end."""

from __future__ import annotations

import gc
import threading
import weakref

from unspun.gcpause import gc_paused


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_pauses_nest_and_the_last_resumes() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_in_a_pause_are_freed_when_it_ends() -> None:
    gc.collect()
    with gc_paused():
        node = _Node()
        kept = weakref.ref(node)
        del node
        made = [[] for _ in range(2000)]  # past the youngest generation's threshold
        assert len(made) == 2000
        assert kept() is not None
    assert kept() is None


def test_overlapping_pauses_in_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still open
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_trace_runs_paused(monkeypatch) -> None:
    import unspun.trace as trace

    seen = []
    monkeypatch.setattr(trace, "_finish", lambda *a, **k: seen.append(gc.isenabled()))
    monkeypatch.setattr(trace, "prepare_sources", lambda others, cfg: [])
    from unspun.data import Document

    trace.trace_against(Document(id="s", text="One sentence here. And another one there."), [])
    assert seen == [False]
    assert gc.isenabled()
