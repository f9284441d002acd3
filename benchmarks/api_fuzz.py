"""schemathesis against a live `unspun serve` on 127.0.0.1, from its OpenAPI description.

Starts the server over a small Wikinews index (as ``load.py`` does), runs ``schemathesis
run`` with the ``not_a_server_error`` check and ``--max-examples`` cases per operation, and
prints schemathesis' summary. Needs ``pip install schemathesis`` (in the ``dev`` extra)::

    .venv/bin/python benchmarks/api_fuzz.py --max-examples 2000
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import HOST, serving  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=500)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10.0, help="serve --timeout")
    args = parser.parse_args()
    runner = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    with tempfile.TemporaryDirectory(prefix="unspun-apifuzz-") as tmp, \
            serving(Path(tmp), docs=args.docs, timeout=args.timeout, workers=2) as (port, _):
        proc = subprocess.run(
            [runner, "run", f"http://{HOST}:{port}/openapi.json", "--checks",
             "not_a_server_error", "--max-examples", str(args.max_examples),
             "--request-timeout", str(args.timeout + 5), "--no-color"],
            capture_output=True, text=True, cwd=tmp)  # its cache stays out of the repo
    print(proc.stdout[-6000:])
    print(proc.stderr[-2000:], file=sys.stderr)
    raise SystemExit(proc.returncode)


if __name__ == "__main__":
    main()
