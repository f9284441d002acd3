"""`unspun index check`: verify every checksum and cross-reference of an index, read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspun.errors import BadIndex
from unspun.index.keyfilter import filter_path, read_filter
from unspun.index.legacy import LegacySegment
from unspun.index.records import (
    DOC_COLUMNS,
    read_meta,
    row_sum,
    tombstone_sum,
    unchecked_below,
    well_formed,
)
from unspun.index.segments import Segment, file_checksum


@dataclass(slots=True)
class CheckReport:
    """What a check found: ``problems`` (damage, one line each) and ``notes`` (unverifiable)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int = 0
    postings: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def damage(self, path: Path | str, reason: str) -> None:
        """Record damage to ``path``: one line per file (the first reason found)."""
        if not any(p.startswith(f"{path}: ") for p in self.problems):
            self.problems.append(f"{path}: {reason}")


def check_index(path: str | Path) -> CheckReport:
    """Verify an index completely without changing it.

    Checks the checksum of ``index.json``, the seal (size and checksum) of ``docs.sqlite``,
    SQLite's own integrity check, the checksum of every document row and tombstone, every
    segment file's size and checksum and every block's checksum, that keys are sorted, and
    that postings and documents refer to each other.

    Args:
        path: The index directory.

    Returns:
        The report; each problem is one line naming the damaged file.
    """
    root = Path(path)
    report = CheckReport()
    if not root.is_dir():
        report.damage(root, "no index here")
        return report
    try:
        meta = read_meta(root)
    except BadIndex as exc:
        report.damage(exc.path, exc.reason)
        return report
    db = root / "docs.sqlite"
    seal = meta.get("docs")
    if not db.is_file():
        report.damage(db, "missing")
        return report
    if isinstance(seal, dict):
        if db.stat().st_size != seal.get("size"):
            report.damage(db, f"is {db.stat().st_size} bytes, index.json says "
                                   f"{seal.get('size')}")
        elif f"{file_checksum(db):016x}" != seal.get("xxh3"):
            report.damage(db, "does not match its checksum in index.json")
    elif meta["version"] >= 4:
        report.notes.append(f"{db}: not sealed (a writer is running or was killed); its "
                            "rows are checked, its whole-file checksum cannot be")
    else:
        report.notes.append(f"{root}: format {meta['version']} has no checksums; rows and "
                            "segments written before the upgrade are not verifiable")
    try:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            old = "size" not in {r[1] for r in conn.execute("PRAGMA table_info(segments)")}
            docs = _check_database(conn, db, report, old=old, below=unchecked_below(meta))
            segments = list(conn.execute("SELECT name, NULL, NULL FROM segments" if old
                                         else "SELECT name, size, sum FROM segments"))
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        report.damage(db, f"unreadable index database ({exc})")
        return report
    _check_segments(root / "seg", segments, docs, report)
    return report


def _check_database(conn: sqlite3.Connection, db: Path, report: CheckReport, *,
                    old: bool, below: int) -> tuple[set[int], set[int]]:
    """SQLite's integrity check and every row checksum; the live and removed docnos."""
    for (line,) in conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            report.damage(db, line)
    docnos: set[int] = set()
    unchecked = 0
    columns = DOC_COLUMNS.replace(", sum", ", NULL") if old else DOC_COLUMNS
    for row in conn.execute(f"SELECT {columns} FROM docs"):
        docnos.add(row[0])
        if not well_formed(row):
            report.damage(db, f"document {row[0]} is unreadable")
        elif row[-1] is None and row[0] < below:
            unchecked += 1
        elif row[-1] is None:
            report.damage(db, f"document {row[0]} has no checksum")
        elif row[-1] != row_sum(row):
            report.damage(db, f"document {row[0]} fails its checksum")
    report.documents = len(docnos)
    if unchecked:
        report.notes.append(f"{db}: {unchecked} documents from before format 4 carry no "
                            "checksum")
    dead: set[int] = set()
    for docno, total in conn.execute(f"SELECT docno, {'NULL' if old else 'sum'} FROM tombstones"):
        if not isinstance(docno, int) or (total != tombstone_sum(docno) if total is not None
                                          else below < 1 << 63):
            report.damage(db, f"tombstone {docno!r} fails its checksum")
            continue
        dead.add(docno)
    return docnos, dead


def _check_segments(seg_dir: Path, rows: list[tuple[str, int | None, int | None]],
                    docs: tuple[set[int], set[int]], report: CheckReport) -> None:
    """Every segment file completely, and that postings and documents match."""
    live, dead = docs
    wild = {d for d in live | dead if not 0 <= d < 1 << 32}
    if wild:
        report.damage(seg_dir.parent / "docs.sqlite", f"document number {min(wild)} is invalid")
        live, dead = live - wild, dead - wild
    top = max(live | dead | {0})
    seen = np.zeros(top + 1, dtype=bool)
    known = np.zeros(top + 1, dtype=bool)
    known[list(live | dead)] = True
    names = set()
    problems_before = len(report.problems)
    for name, size, total in rows:
        names.add(name)
        try:
            if size is None and not (seg_dir / f"{name}.seg").exists():
                seg: Segment | LegacySegment = LegacySegment(seg_dir, name)
            else:
                seg = Segment(seg_dir / f"{name}.seg", name, size=size)
                if total is not None and file_checksum(seg.path) >> 1 != total:
                    report.damage(seg.path, "does not match its checksum in docs.sqlite")
                    continue
                _check_filter(seg, report)
                ordered = np.all(seg.firsts[1:] >= seg.lasts[:-1])
                if not ordered or np.any(seg.lasts < seg.firsts):
                    report.damage(seg.path, "keys out of order")
            report.postings += seg.postings
            for docnos in seg.all_docs():
                if len(docnos) and (int(docnos.max()) > top or not known[docnos].all()):
                    report.damage(seg.path, "postings refer to documents that "
                                           "are not in docs.sqlite")
                    break
                seen[docnos] = True
        except BadIndex as exc:
            report.damage(exc.path, exc.reason)
        except OSError as exc:
            report.damage(seg_dir / name, f"unreadable ({exc.strerror})")
    orphan_docs = [d for d in live if not seen[d]]
    if orphan_docs and len(report.problems) == problems_before:  # else a consequence
        report.damage(seg_dir, f"{len(orphan_docs)} documents have no postings "
                               f"(first: {min(orphan_docs)})")
    for file in sorted(seg_dir.iterdir()) if seg_dir.is_dir() else []:
        if file.name.split(".")[0] not in names:
            report.notes.append(f"{file}: not part of the index (the next writer removes it)")


def _check_filter(seg: Segment, report: CheckReport) -> None:
    """The segment's key filter, if it has one: its checksums, that it is this segment's,
    and that it holds every key of the segment (readers ignore a damaged filter; a
    compaction writes it again once it is deleted)."""
    path = filter_path(seg.path)
    if not path.exists():
        return
    try:
        keys = read_filter(seg.path, len(seg.sums), seg.footer_sum)
    except ValueError as exc:
        report.damage(path, f"{exc} (delete it and run 'unspun index compact')")
        return
    for start in range(0, len(seg.sums), 256):
        end = min(start + 256, len(seg.sums))
        found, _ = seg._gather(np.arange(start, end), seg._window_from(start, end))
        lens = np.minimum(1024, seg.postings - np.arange(start, end) * 1024)
        if not keys.maybe_present(np.repeat(np.arange(start, end), lens), found).all():
            report.damage(path, "misses keys of its segment (delete it and run "
                                "'unspun index compact')")
            return
        seg.release()
