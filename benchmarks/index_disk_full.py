"""Disk full for real: `unspun index add` into a small tmpfs, at many sizes (needs root).

For each tmpfs size the bundled Wikinews articles are added in small batches until the disk
fills. The command must print exactly one line and exit 2. Whether a reader can open the index
while the disk is still full is recorded; then the tmpfs is enlarged and the index must open,
pass ``index check``, and hold exactly the documents of the batches committed before the
failure (the same texts), and rerunning the command completes the index.

    sudo .venv/bin/python benchmarks/index_disk_full.py --out benchmarks/work/disk-full.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import emit  # noqa: E402

from unspun.bench.sample import load_wikinews  # noqa: E402
from unspun.errors import BadIndex  # noqa: E402
from unspun.index import Index  # noqa: E402
from unspun.index.check import check_index  # noqa: E402


def _mount(where: Path, kib: int, *, remount: bool = False) -> None:
    opts = f"size={kib}k" + (",remount" if remount else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], check=True)


def one_size(where: Path, corpus: Path, texts: dict[str, str], kib: int) -> dict[str, object]:
    """Fill a tmpfs of ``kib`` KiB with one ``index add``; what happened."""
    _mount(where, kib)
    try:
        path = where / "ix"
        cmd = [sys.executable, "-m", "unspun", "index", "add", str(corpus), "--index",
               str(path), "--batch-size", "10"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        lines = proc.stderr.strip().splitlines()
        errors = [ln for ln in lines if ln.startswith("unspun: error:")]
        out: dict[str, object] = {"kib": kib, "exit": proc.returncode,
                                  "message": errors[-1] if errors else None,
                                  "traceback": "Traceback" in proc.stderr}
        try:
            with Index.open(path) as index:
                out["read_while_full"] = f"ok, {len(index)} documents"
        except BadIndex as exc:
            out["read_while_full"] = exc.reason
        _mount(where, 64 * 1024, remount=True)  # free space, then look at what is left
        if (path / "index.json").exists():
            report = check_index(path)
            out["check_ok"] = report.ok
            out["problems"] = report.problems
            with Index.open(path) as index:
                docs = list(index.documents())
            out["documents"] = len(docs)
            out["texts_identical"] = all(d.text == texts[d.id] for d in docs)
        again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        out["rerun_exit"] = again.returncode
        out["rerun_complete"] = again.returncode == 0 and len(Index.open(path)) == len(texts)
        return out
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def read_only(where: Path, corpus: Path) -> dict[str, object]:
    """An index on a file system remounted read-only: writing fails in one line, reading works."""
    _mount(where, 64 * 1024)
    try:
        path = where / "ix"
        base = [sys.executable, "-m", "unspun"]
        subprocess.run([*base, "index", "add", str(corpus), "--index", str(path)], check=True,
                       capture_output=True)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        out: dict[str, object] = {}
        for name, args in {"add": ["index", "add", str(corpus)], "stats": ["index", "stats"],
                           "check": ["index", "check"], "rm": ["index", "rm", "x"]}.items():
            proc = subprocess.run([*base, *args, "--index", str(path)], capture_output=True,
                                  text=True, timeout=300)
            out[name] = {"exit": proc.returncode, "stderr": proc.stderr.strip()[-300:],
                         "traceback": "Traceback" in proc.stderr}
        return out
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="64,128,256,384,512,640,768,896,1024,1280,1536")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (it mounts tmpfs file systems)")
    docs = load_wikinews()
    texts = {d.id: d.text for d in docs}
    with tempfile.TemporaryDirectory(prefix="unspun-full-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text})
                                  + "\n" for d in docs))
        where = Path(tmp) / "mnt"
        where.mkdir()
        runs = [one_size(where, corpus, texts, int(k)) for k in args.sizes.split(",")]
        readonly = read_only(where, corpus)
    tally: Counter[str] = Counter()
    for r in runs:
        tally["runs"] += 1
        tally["exit 2, one line"] += r["exit"] == 2 and not r["traceback"]
        tally["tracebacks"] += bool(r["traceback"])
        tally["check ok after"] += bool(r.get("check_ok", True))
        tally["rerun complete"] += bool(r["rerun_complete"])
    result = {"tally": dict(tally), "runs": runs, "read_only_file_system": readonly}
    emit(result, args.out)


if __name__ == "__main__":
    main()
