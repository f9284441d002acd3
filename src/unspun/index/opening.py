"""Opening and closing an index directory: read-only connections, the writer lock, the seal."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from unspun.errors import BadIndex
from unspun.index.records import NEW_COLUMNS, SCHEMA, VERSION, read_meta, tombstone_sum, write_meta
from unspun.index.segments import file_checksum


def disk_full(path: Path) -> str:
    """" (the disk is full)" when the file system of ``path`` has under 1 MiB free, else ""."""
    try:
        free = shutil.disk_usage(path.parent if path.is_file() else path).free
    except OSError:
        return ""
    return " (the disk is full)" if free < 1 << 20 else ""


def write_failure(root: Path, exc: BaseException, what: str) -> BadIndex:
    """The one-line error for a failed write (disk full, permissions, I/O)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    full = "" if "full" in reason or isinstance(exc, OSError) and exc.errno == errno.ENOSPC \
        else disk_full(root)
    return BadIndex(str(root), f"cannot write ({reason}){full}; {what}")


def connect(db: Path, *, writable: bool) -> sqlite3.Connection:
    """Open ``docs.sqlite``: read-only for readers (nothing is created or changed)."""
    try:
        if writable:
            conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        else:
            conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True,
                                   isolation_level=None, check_same_thread=False)
        tables = {n for n, in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.OperationalError as exc:
        if writable:
            raise write_failure(db.parent, exc, "nothing was changed") from None
        raise BadIndex(str(db), f"unreadable index database ({exc}){disk_full(db)}") from None
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise BadIndex(str(db), f"unreadable index database ({exc})") from None
    missing = {"docs", "segments", "tombstones"} - tables
    if missing:
        conn.close()
        raise BadIndex(str(db), f"unreadable index database (no {min(missing)} table)")
    return conn


def take_lock(root: Path) -> int:
    """Hold the writer lock of ``root``; its file descriptor."""
    try:
        fd = os.open(root / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise write_failure(root, exc, "nothing was changed") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BadIndex(str(root), "another process is writing to this index") from None
    return fd


def check_seal(root: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """The cheap check of ``docs.sqlite`` on open: its size is the one sealed (if sealed)."""
    size, expected = 0, None
    for _ in range(2):
        sealed = meta.get("docs")
        if not isinstance(sealed, dict):
            return meta
        size, expected = (root / "docs.sqlite").stat().st_size, sealed.get("size")
        if size == expected:
            return meta
        meta = read_meta(root)  # a writer may have just unsealed it
    raise BadIndex(str(root / "docs.sqlite"), f"is {size} bytes, index.json says {expected} "
                   "(truncated or changed; run 'unspun index check')")


def upgrade(conn: sqlite3.Connection, root: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Create the tables of a new index; move a format-2/3 index to the current format: add the checksum
    columns, give its tombstones checksums, and record from which document number on every
    row has a checksum (``checksums_from``; older rows stay unverified). The new meta."""
    conn.executescript(SCHEMA)
    if meta["version"] >= VERSION:
        return meta
    for table, columns in NEW_COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    with conn:
        conn.executemany("UPDATE tombstones SET sum=? WHERE docno=?",
                         [(tombstone_sum(d), d) for d, in conn.execute(
                             "SELECT docno FROM tombstones WHERE sum IS NULL")])
    (top,) = conn.execute("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE "
                          "name='docs'), 0), coalesce(max(docno), 0)) FROM docs").fetchone()
    meta = {**meta, "version": VERSION, "docs": None, "checksums_from": top + 1}
    write_meta(root, meta)
    return meta


def seal(conn: sqlite3.Connection, root: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Close a writer's connection and record the size and checksum of ``docs.sqlite`` in
    ``index.json``; the new meta. On any failure the index simply stays unsealed."""
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            return meta
        conn.execute("PRAGMA busy_timeout=50")
        # No side files for readers; fails (harmlessly) while readers are attached.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        db = root / "docs.sqlite"
        sealed = {**meta, "docs": {"size": db.stat().st_size,
                                   "xxh3": f"{file_checksum(db):016x}"}}
        write_meta(root, sealed)
        return sealed
    except (OSError, sqlite3.Error):
        return meta
