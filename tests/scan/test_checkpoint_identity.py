"""A killed scan resumes only under the same checkpoint layout: pair batches of another size
would cover other ranges of candidates, so such a run is refused, not mixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspun.errors import BadInput
from unspun.scan import ScanInputs, run
from unspun.scan.checkpoint import Checkpoints

from .helpers import body, write_docs


def test_resume_refuses_a_run_with_another_pair_batch(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_docs(tmp_path / "c.jsonl", [{"id": "a", "text": body(0)},
                                               {"id": "b", "text": body(0)}])
    inp = ScanInputs([str(corpus)], tmp_path / "out", jobs=1, parquet=False,
                     show_progress=False)
    Checkpoints(inp.out).start(inp.identity(), resume=False)  # a run killed after it started
    assert inp.identity()["pair_batch"] == run.PAIR_BATCH
    monkeypatch.setattr(run, "PAIR_BATCH", run.PAIR_BATCH * 4)
    with pytest.raises(BadInput, match="cannot resume"):
        run.scan_local(inp, resume=True)
    monkeypatch.undo()
    assert run.scan_local(inp, resume=True).documents == 2
