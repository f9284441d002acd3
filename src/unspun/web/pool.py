"""Worker processes for the service: a request that runs out of time has its worker killed.

Each job (one trace, clean or stats request) runs in one of a few worker processes. When the
job passes its time limit the worker is killed and a fresh one started in the background, so
a pathological input cannot keep the CPU, the index or the memory it took. Workers are also
replaced after a number of jobs or when they grow too big, and each reloads the index before
a job so commits made while the server runs are seen.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from unspun.web.jobs import Job, Outcome

log = logging.getLogger("unspun.web")
_READY = "ready"
_START_LIMIT = 120.0  # seconds a new worker may take to import its modules


class Busy(Exception):
    """Every worker is busy and too many requests already wait (the request gets a 503)."""


class TimedOut(Exception):
    """The job ran past its time limit; its worker was killed (the request gets a 504)."""


@dataclass(slots=True, eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    jobs: int = 0


def _worker_main(conn: Connection, index_path: Path | None) -> None:
    """A worker's loop: receive a Job, answer ``(outcome, value)``; stop on None or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import unspun.report.html  # noqa: F401 - import the heavy modules before the first job
    import unspun.trace  # noqa: F401
    from unspun.errors import UnspunError
    from unspun.index import Index
    from unspun.web.jobs import outcome

    index: Index | None = None
    conn.send(_READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.action != "clean" and index_path is not None:
            try:
                if index is None:
                    index = Index.open(index_path)
                else:
                    index.reload()  # see commits made since the last job
            except UnspunError as exc:
                index = None
                conn.send(("unavailable", str(exc)))
                continue
        conn.send(outcome(job, index))


def _rss_mb(pid: int | None) -> float:
    """Resident memory of process ``pid`` in MB (0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


class WorkerPool:
    """A fixed number of worker processes that run :class:`Job`\\ s under a time limit.

    Args:
        index_path: The index each worker opens (None: only clean jobs can succeed).
        size: Number of worker processes (jobs run at the same time).
        max_waiting: Requests allowed to wait for a free worker; more get :class:`Busy`.
        max_jobs: Jobs a worker runs before it is replaced.
        max_rss_mb: A worker bigger than this after a job is replaced.
    """

    def __init__(self, *, index_path: Path | None, size: int = 2, max_waiting: int = 32,
                 max_jobs: int = 500, max_rss_mb: float = 1536.0) -> None:
        self.index_path = index_path
        self.size = size
        self.max_waiting = max_waiting
        self.max_jobs = max_jobs
        self.max_rss_mb = max_rss_mb
        self.recycled = 0  # workers replaced so far (timeouts, job count, memory)
        # A fork server: workers are forked from a clean, single-threaded process that has
        # already imported the tracing code (no copy of the server's threads, and a
        # replacement worker starts in milliseconds instead of re-importing everything).
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["unspun.web.pool", "unspun.web.jobs", "unspun.trace",
                                          "unspun.report.html", "unspun.report.jsonout"])
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="unspun-job")
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspun-spawn")
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._waiting = 0
        self._all: set[_Worker] = set()

    def start(self) -> None:
        """Start the workers in the background (called by the app on startup, or lazily)."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._replace()

    def _spawn(self) -> _Worker | None:
        """Start one worker process and wait until it has imported its modules."""
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(theirs, self.index_path),
                                    name="unspun-worker", daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        try:
            if ours.poll(_START_LIMIT) and ours.recv() == _READY:
                self._all.add(worker)
                return worker
        except (EOFError, OSError):
            pass
        log.error("unspun: a worker process failed to start")
        self._stop(worker)
        return None

    def _replace(self) -> None:
        """Start a worker in the background and hand it to the queue when it is ready."""
        loop = asyncio.get_running_loop()
        idle = self._idle
        assert idle is not None
        future = loop.run_in_executor(self._spawner, self._spawn)

        def started(done: asyncio.Future[_Worker | None]) -> None:
            if done.cancelled():
                return
            if done.exception() is not None:
                log.error("unspun: cannot start a worker process: %r", done.exception())
                idle.put_nowait(None)
                return
            idle.put_nowait(done.result())

        future.add_done_callback(started)

    def _stop(self, worker: _Worker) -> None:
        """Kill ``worker``'s process (it holds nothing that needs a clean shutdown: the index
        is opened read-only) and reap it."""
        self._all.discard(worker)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    async def run(self, job: Job, *, timeout: float) -> tuple[Outcome, Any]:
        """Run ``job`` in a worker within ``timeout`` seconds (waiting for a worker included).

        Returns:
            The job's ``(outcome, value)`` pair (see :func:`unspun.web.jobs.outcome`).

        Raises:
            Busy: no worker came free in time, or too many requests already wait.
            TimedOut: the job ran out of time; its worker was killed and is being replaced.
        """
        self.start()
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline)
        try:
            answer = await loop.run_in_executor(self._threads, _exchange, worker, job,
                                                max(0.0, deadline - loop.time()))
        except (EOFError, OSError):
            self._retire(worker)
            log.error("unspun: a worker process stopped during a request")
            return "error", "internal error (the worker process stopped)"
        except BaseException:  # cancelled (the client went away): the worker is mid-job
            self._retire(worker)
            raise
        if answer is None:
            self._retire(worker)
            raise TimedOut(f"the request took longer than {timeout:g} s")
        worker.jobs += 1
        if worker.jobs >= self.max_jobs or _rss_mb(worker.process.pid) > self.max_rss_mb:
            self._retire(worker)
        else:
            self._idle.put_nowait(worker)
        return answer  # type: ignore[no-any-return]

    async def _acquire(self, deadline: float) -> _Worker:
        """An idle worker: at once if one is free, else after waiting until ``deadline``."""
        assert self._idle is not None
        while True:
            try:
                worker = self._idle.get_nowait()
            except asyncio.QueueEmpty:
                if self._waiting >= self.max_waiting:
                    raise Busy("the server is busy: too many requests are waiting") from None
                remaining = deadline - asyncio.get_running_loop().time()
                self._waiting += 1
                try:
                    worker = await asyncio.wait_for(self._idle.get(), max(0.0, remaining))
                except TimeoutError:
                    raise Busy("the server is busy: no worker came free in time") from None
                finally:
                    self._waiting -= 1
            if worker is not None and worker.process.is_alive():
                return worker
            if worker is not None:
                self._stop(worker)
            self._replace()  # a failed start or a dead worker: try a new one
            await asyncio.sleep(0.05)

    def _retire(self, worker: _Worker) -> None:
        """Take ``worker`` out of service and start its replacement."""
        self.recycled += 1
        self._stop(worker)
        self._replace()

    def close(self) -> None:
        """Stop every worker and the helper threads."""
        for worker in list(self._all):
            self._stop(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._spawner.shutdown(wait=False, cancel_futures=True)

    def idle(self) -> int:
        """Workers (or start failures) waiting in the queue for a job."""
        return 0 if self._idle is None else self._idle.qsize()

    def pids(self) -> list[int]:
        """Process ids of the live workers (for memory measurements and tests)."""
        return [w.process.pid for w in self._all if w.process.pid is not None]


def _exchange(worker: _Worker, job: Job, timeout: float) -> tuple[Outcome, Any] | None:
    """Send ``job`` and wait up to ``timeout`` for the answer (None when it did not come).

    Raises:
        EOFError, OSError: the worker died.
    """
    worker.conn.send(job)
    if not worker.conn.poll(timeout):
        return None
    return worker.conn.recv()  # type: ignore[no-any-return]
