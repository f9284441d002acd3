"""Turn a freshly built index into the layout an older unspun wrote (formats 2 and 3)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import numpy as np

from unspun.index.records import unpack_text
from unspun.index.segments import Segment


def downgrade(path: Path, version: int) -> None:
    """Rewrite the index at ``path`` as format ``version`` (2: zlib texts, 3: zstd) stored it:
    ``.npy`` segment pairs, no checksum columns, an unsealed ``index.json`` without checksum."""
    conn = sqlite3.connect(path / "docs.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    for (name,) in list(conn.execute("SELECT name FROM segments")):
        seg = Segment(path / "seg" / f"{name}.seg", name)
        keys, docs = seg.key_range(0, None)
        del seg
        np.save(path / "seg" / f"{name}.keys.npy", keys)
        np.save(path / "seg" / f"{name}.docs.npy", docs)
        (path / "seg" / f"{name}.seg").unlink()
    if version == 2:
        for docno, blob in list(conn.execute("SELECT docno, text FROM docs")):
            conn.execute("UPDATE docs SET text=? WHERE docno=?",
                         (zlib.compress(unpack_text(blob).encode(), 1), docno))
    for table, columns in {"docs": ["sum"], "segments": ["size", "sum"],
                           "tombstones": ["sum"]}.items():
        for column in columns:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.close()
    meta = json.loads((path / "index.json").read_text())
    meta = {k: v for k, v in meta.items() if k not in ("checksum", "docs")}
    meta["fingerprint"] = strip_new_settings(meta["fingerprint"])
    (path / "index.json").write_text(json.dumps({**meta, "version": version}, indent=2))


def strip_new_settings(fingerprint: dict[str, object]) -> dict[str, object]:
    """The fingerprint settings as unspun wrote them before ``skeleton_min`` and ``opening_n``
    existed (build the index with ``FingerprintConfig.stored({})`` so its keys match)."""
    return {k: v for k, v in fingerprint.items() if k not in ("skeleton_min", "opening_n")}
