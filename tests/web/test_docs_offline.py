"""/docs and /redoc work offline: every script, style and image they load is served locally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspun.web.app import create_app

_REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_reference_no_external_host(tiny_index: Path, page: str) -> None:
    client = TestClient(create_app(index_path=tiny_index))
    res = client.get(page)
    assert res.status_code == 200
    refs = [a or b for a, b in _REF.findall(res.text)]
    assert refs, "the page loads its assets from somewhere"
    external = [r for r in refs if re.match(r"(?:https?:)?//", r)]
    assert external == []
    for ref in refs:  # each asset is served by the app itself
        assert client.get(ref).status_code == 200, ref
    assert "cdn.jsdelivr.net" not in res.text and "fonts.googleapis" not in res.text
