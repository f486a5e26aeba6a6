"""Headless Chromium smoke test of the built documentation site.

The site is served on 127.0.0.1 and opened in Debian's ``chromium`` driven by Playwright
(``executable_path``: no browser download). It checks that the pages render and that the
search box, which runs in JavaScript, finds a method of the API reference.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

#: Chromium here has no network but the loopback: without these flags it keeps trying to
#: reach Google's hosts (and fails many connections at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("chromium is not installed: run `nox -s docs_browser` (it installs it)")
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output readable."""


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The built site (``VERISOUL_DOCS_SITE``) served on an OS-chosen loopback port."""
    site = Path(os.environ["VERISOUL_DOCS_SITE"])
    assert (site / "index.html").is_file(), f"no built site in {site}"
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that records JavaScript errors and requests leaving the loopback."""
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    outside: list[str] = []

    def note_outside(request: Request) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            outside.append(request.url)

    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("request", note_outside)
    try:
        yield opened
        assert errors == [], f"JavaScript errors: {errors}"
        assert outside == [], f"the site fetched resources from outside: {outside}"
    finally:
        context.close()


def test_home_page_renders(page: Page, site_url: str) -> None:
    """The home page has its title, heading, navigation and a highlighted code sample."""
    page.goto(site_url + "/")
    assert "verisoul-python" in page.title()
    assert page.locator("article h1").first.inner_text().startswith("verisoul-python")
    nav = page.locator("nav.md-nav--primary")
    for entry in ("Quickstart", "Configuration", "Errors", "Clients"):
        assert nav.get_by_text(entry, exact=True).count() >= 1, entry
    assert page.locator("article .highlight code").count() >= 1


def test_api_reference_renders(page: Page, site_url: str) -> None:
    """mkdocstrings rendered both clients, their methods and their parameters."""
    page.goto(site_url + "/reference/clients/")
    for anchor in (
        "verisoul.AsyncVerisoul",
        "verisoul.AsyncVerisoul.create_liveness_session",
        "verisoul.Verisoul",
        "verisoul.Verisoul.create_liveness_session",
    ):
        heading = page.locator(f'[id="{anchor}"]')
        assert heading.count() == 1, anchor
        assert heading.is_visible(), anchor
    method = page.locator('[id="verisoul.AsyncVerisoul.create_liveness_session"]')
    assert "create_liveness_session" in method.inner_text()
    assert page.get_by_text("referring_session_id").count() >= 1


def test_search_finds_create_liveness_session(page: Page, site_url: str) -> None:
    """Typing in the search box lists the API reference entry for the method."""
    page.goto(site_url + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("create_liveness_session")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible")
    targets = [urllib.parse.urlsplit(link.get_attribute("href") or "") for link in results.all()]
    wanted = "verisoul.AsyncVerisoul.create_liveness_session"
    hits = [t for t in targets if t.path == "/reference/clients/" and t.fragment == wanted]
    assert hits, [target.geturl() for target in targets]
    page.goto(hits[0].geturl())
    assert page.locator(f'[id="{wanted}"]').is_visible()
