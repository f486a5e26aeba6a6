"""The whole Face Match / ID Check flow on one machine, in headless Chromium.

``verisoul mock serve`` plays Verisoul (API and stand-in hosted page) and
``examples/fastapi_app.py`` runs under uvicorn against it through ``VERISOUL_BASE_URL``,
both as real processes, exactly as the FastAPI guide tells a developer to run them. The
browser opens the app's start page, goes through the stand-in page choosing an outcome,
lands back on the app and reads its verdict: a pass (enrolled), a liveness failure, a
repeat face (another account's face: declined), and an ID Check pass.

Chromium is Debian's (``executable_path``: Playwright downloads no browser).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
#: Chromium here has no network but the loopback: without these it keeps calling Google.
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
STARTUP_SECONDS = 20.0


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("chromium is not installed: run `nox -s browser` (it installs it)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[str]) -> str:
    """End a child we started; returns what it wrote on stderr (its pipes are closed)."""
    if process.poll() is None:
        process.terminate()
    try:
        _, errors = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate(timeout=10)
    return errors or ""


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    """``verisoul mock serve`` in a child process; its base URL from the banner."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERISOUL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "verisoul._cli", "mock", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # "Fake Verisoul API on http://... (accepts ...)"
        assert " on http://127.0.0.1:" in banner, banner
        yield banner.split(" on ", 1)[1].split()[0]
    finally:
        errors = _stop(process)
    assert "Traceback" not in errors, errors


@pytest.fixture(scope="module")
def app_url(fake_url: str) -> Iterator[str]:
    """``uvicorn fastapi_app:app --app-dir examples`` pointed at the fake."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERISOUL_")}
    env.update(VERISOUL_BASE_URL=fake_url, VERISOUL_API_KEY="test-key")
    command = [
        sys.executable, "-m", "uvicorn", "fastapi_app:app", "--app-dir", str(ROOT / "examples"),
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, "the example app exited"
            try:
                if httpx.get(f"{url}/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the example app did not start"
            time.sleep(0.1)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
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
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def go_through(
    page: Page,
    app_url: str,
    fake_url: str,
    account_id: str,
    *,
    product: str = "face-match",
    choose: dict[str, str] | None = None,
) -> tuple[str, Any]:
    """Start page -> stand-in hosted page (pick values) -> back on the app: (URL, verdict)."""
    page.goto(f"{app_url}/")
    page.fill("input[name=account_id]", account_id)
    page.click(f"#{product}")
    page.wait_for_url(f"{fake_url}/?session_id=*")
    assert "(local fake)" in str(page.text_content("h1"))
    for field, value in (choose or {}).items():
        page.select_option(f"#{field}", value)
    page.click("#finish")
    page.wait_for_url(f"{app_url}/{product}/done?*")
    return page.url, json.loads(page.text_content("body") or "null")


def test_a_pass_is_verified_and_enrolled(page: Page, app_url: str, fake_url: str) -> None:
    url, verdict = go_through(page, app_url, fake_url, "alice")
    assert "success=true" in url
    assert verdict["account_id"] == "alice"
    assert (verdict["decision"], verdict["enrolled"]) == ("Real", True)


def test_a_liveness_failure_needs_a_new_session(page: Page, app_url: str, fake_url: str) -> None:
    url, verdict = go_through(
        page, app_url, fake_url, "carol", choose={"outcome": "liveness_check_failed"}
    )
    assert "success=false" in url
    assert "error_message=liveness_check_failed" in url
    assert verdict == {"detail": "Face Match failed (liveness_check_failed): start again"}


def test_a_repeat_face_is_declined(page: Page, app_url: str, fake_url: str) -> None:
    _, first = go_through(page, app_url, fake_url, "dave")
    assert first["enrolled"] is True
    url, verdict = go_through(page, app_url, fake_url, "mallory", choose={"face": "account:dave"})
    assert "success=true" in url  # the hosted check passed: only verify tells the truth
    assert verdict == {"detail": "Face Match declined: Fake"}


def test_an_id_check_pass(page: Page, app_url: str, fake_url: str) -> None:
    url, verdict = go_through(page, app_url, fake_url, "erin", product="id-check")
    assert "success=true" in url
    assert (verdict["account_id"], verdict["decision"], verdict["enrolled"]) == (
        "erin",
        "Real",
        True,
    )
