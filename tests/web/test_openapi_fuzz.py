"""Every API operation, fuzzed from the OpenAPI description with schemathesis: never a 5xx.

A few dozen cases per operation here; ``benchmarks/api_fuzz.py`` runs the same at scale
against a live server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from unspun.data import Document
from unspun.index import Index, add_documents
from unspun.web.app import create_app

FIXTURES = Path(__file__).resolve().parents[1] / "report"


def _app() -> object:
    """The app over a one-document index (built once per test session, in a temp dir)."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="unspun-openapi-"))
    with Index.create(root / "index") as index:
        add_documents(index, [Document(id="src", title="Source", text=(
            "The council approved the new budget on Tuesday after a long debate. "
            "The mayor said the plan would fund three new schools by next year."))])
    # schemathesis' ASGI client calls the app as "testserver"
    return create_app(index_path=root / "index", allowed_hosts=["localhost", "testserver"])


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.filterwarnings("ignore")
def test_no_operation_answers_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
