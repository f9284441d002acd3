"""The one size formatter and the one site-host helper, shared by ingest, clean and the web."""

from __future__ import annotations

import pytest

from unspun.clean.site import site_key
from unspun.data import Document
from unspun.ingest.base import human_size, site_of


@pytest.mark.parametrize(("n", "shown"), [
    (812, "812 bytes"), (1024, "1 KB"), (1536, "1.5 KB"), (5 * 1024 * 1024, "5 MB"),
    (int(1.25 * 1024 * 1024), "1.2 MB"), (50 * 1024 * 1024, "50 MB")])
def test_human_size(n: int, shown: str) -> None:
    assert human_size(n) == shown


def test_site_key_uses_the_ingest_host_helper() -> None:
    assert site_key(Document(id="a", text="x", url="https://www.Example.com/a")) == "example.com"
    assert site_of("https://www.Example.com/a") == "example.com"
    assert site_key(Document(id="b", text="x", url="http://[::1")) is None  # no ValueError
    assert site_key(Document(id="c", text="x", site="Farm.example"), default="d") == "farm.example"
    assert site_key(Document(id="d", text="x"), default="fallback") == "fallback"
