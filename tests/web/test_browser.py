"""A real chromium pastes a booby-trapped content-farm look-alike and reads the report."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from unspun.web.app import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TRAP = ('<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">')
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "web.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tiny_index: Path) -> Iterator[str]:
    """uvicorn serving the app over a tiny real index, on a free localhost port."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(index_path=tiny_index), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)


@contextmanager
def _traced(server: str, article: str, *, height: int, title: str | None = None
            ) -> Iterator[Any]:
    """A chromium page that pasted ``article`` into the form and submitted it."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": height})
            page.goto(server)
            page.fill("#text", article)
            if title is not None:
                page.fill("#title", title)
            with page.expect_navigation():
                page.click("#submit")
            yield page
        finally:
            browser.close()


def test_paste_trace_and_nothing_runs(server: str, fixtures: ModuleType,
                                      tmp_path: Path) -> None:
    article = fixtures.SUSPECT.replace(
        "Officials said 40 people", f"{TRAP} Officials said 40 people")
    assert TRAP in article
    with _traced(server, article, height=900, title="Smith on Ivanov talks") as page:
        report = page.locator("#report")
        report.wait_for(timeout=30_000)
        text = report.inner_text()
        assert "Verdict" in text or "VERDICT" in text
        label = page.locator(".u-label").inner_text().lower()
        assert label in {"stitched aggregate", "spun copy", "partial reuse"}
        assert page.locator("mark.u-k.synonym").count() >= 2
        assert "Russian Federation" in page.locator("mark.u-k.synonym").all_inner_texts()
        sources = page.locator(".u-sources li").all_inner_texts()
        assert any("Smith invites Ivanov" in s for s in sources)
        assert any("Ivanov praises summit" in s for s in sources)
        # the trap is shown as text and nothing in it ran
        assert "<script>window.__pwned=1</script>" in text
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("#report script").count() == 0
        assert page.locator("#report img").count() == 0
        page.screenshot(path=str(tmp_path / "web.png"), full_page=True)
        assert (tmp_path / "web.png").stat().st_size > 10_000
        if os.environ.get("UNSPUN_UPDATE_SCREENSHOTS"):
            shutil.copy(tmp_path / "web.png", DOCS_SHOT)


def test_page_scrolls_to_the_result_and_quote_marks_are_not_highlighted(
        server: str, fixtures: ModuleType) -> None:
    # the same words as the source, with curly quotes instead of straight ones
    article = fixtures.SOURCE_B.replace('"The summit', "\u201cThe summit").replace(
        'success,"', "success,\u201d")
    with _traced(server, article, height=700) as page:
        page.locator("#report").wait_for(timeout=30_000)
        deadline = time.monotonic() + 5
        while page.evaluate("window.scrollY") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        top = page.evaluate("document.getElementById('report').getBoundingClientRect().top")
        assert abs(top) < 5  # the report starts at the top of the window
        marks = page.locator("mark.u-k.cosmetic")
        assert marks.count() >= 2  # the quote marks are marked ...
        backgrounds = {page.evaluate("m => getComputedStyle(m).backgroundColor",
                                     marks.nth(i).element_handle())
                       for i in range(marks.count())}
        assert backgrounds == {"rgba(0, 0, 0, 0)"}  # ... but not as yellow blocks
        assert page.locator("mark.u-k.synonym").count() == 0
