"""Time ingest + clean of pathological pages: a 3 KB page with mangled dates, a 100k-tag page.

Each case runs in a fresh process (the date parser's locale tables are loaded once per
process, so a warm process would hide the cost a one-shot ``unspun clean`` pays), ``--runs``
times, and reports the median seconds of ``read_document`` + ``clean`` inside the process
(after importing trafilatura, whose import time is the same for every page).
``baseline`` runs the same code with the old settings put back in the child process only
(htmldate's extensive search, no tag limit for trafilatura)::

    .venv/bin/python benchmarks/slow_inputs.py --runs 5 --out benchmarks/work/slow.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import emit  # noqa: E402

SENTENCE = "The council met on Tuesday to discuss the new budget plan for the city."
ODD_DATES = ["le 3 mars à 20 h 15", "am 4 März um 10.33 Uhr", "el 5 de marzo, 11:20 h",
             "dne 6 března v 9.41", "7 marca o 12:05", "8 maart om 14.10 uur",
             "9 marzo alle 16,30", "10 mart saat 08:45", "11 marca, 13.50 ч", "12 mars kl 17.20"]

CHILD = """
import sys, time
mode, path = sys.argv[1], sys.argv[2]
import unspun.ingest.html as h
if mode == "baseline":
    h._DATE_PARAMS = {"original_date": True, "extensive_search": True}
    h.MAX_EXTRACT_TAGS = 10 ** 9
from unspun.clean import clean
from unspun.ingest import read_document
import trafilatura, selectolax.lexbor  # import cost is the same for every page: not timed
start = time.perf_counter()
doc = read_document(path)
clean(doc)
print(time.perf_counter() - start, doc.date, doc.meta.get("extractor"))
"""


def pages() -> dict[str, str]:
    """The test pages: a normal 3 KB page, the same size with mangled dates, 100k tags."""
    body = f"<p>{SENTENCE} {SENTENCE}</p>\n"
    head = "<html><head><title>Council budget</title>"
    parts = [f'<div class="date">Updated {d}</div>{body}' for d in ODD_DATES * 2]
    mangled = head + "</head><body><article><h1>Council budget</h1>"
    while len(mangled) < 2950:
        mangled += parts.pop(0)
    mangled += "</article></body></html>"
    normal = head + '<meta name="date" content="2019-03-04"></head><body><article>'
    while len(normal) < len(mangled) - 180:
        normal += body
    normal += "</article></body></html>"
    tags = ("<html><head><title>Many tags</title></head><body>"
            + "".join(f"<div><span>w{i}</span></div>" for i in range(33_400)) + "</body></html>")
    return {"normal_3kb": normal, "mangled_date_3kb": mangled, "tags_100k": tags}


def run(mode: str, path: Path, runs: int) -> dict[str, object]:
    """Median in-process seconds of ``runs`` fresh processes."""
    times, last = [], ""
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], check=True,
                             capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        last = " ".join(out[1:])
    return {"median_s": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times],
            "date_and_extractor": last}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="unspun-slow-") as tmp:
        for name, page in pages().items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(page, encoding="utf-8")
            entry: dict[str, object] = {"bytes": len(page.encode()), "tags": page.count("<")}
            for mode in ("current", "baseline"):  # interleaved per page, same machine state
                entry[mode] = run(mode, path, args.runs)
            current = entry["current"]["median_s"]  # type: ignore[index]
            base = entry["baseline"]["median_s"]  # type: ignore[index]
            entry["speedup"] = round(base / current, 1) if current else None
            results[name] = entry
            print(name, json.dumps(entry), file=sys.stderr)
    emit(results, args.out)


if __name__ == "__main__":
    main()
