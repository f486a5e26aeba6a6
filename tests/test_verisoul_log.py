"""``VERISOUL_LOG`` in a fresh process: nothing at import, set up by the first client.

The in-process behaviour (levels, the warning, no second handler) is tested on both clients
in ``tests/_async/test_conveniences.py``; this checks what a user running
``VERISOUL_LOG=debug python app.py`` sees on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import TEST_KEY

SCRIPT = """
import logging, sys
import httpx
import verisoul

assert "verisoul._logging" not in sys.modules
assert logging.getLogger("verisoul").level == logging.NOTSET

def answer(request):
    return httpx.Response(200, json={"request_id": "r-1", "session_id": "s-1"})

KEY = sys.argv[1]
if sys.argv[2] == "sync":
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with verisoul.Verisoul(api_key=KEY, http_client=http) as client:
        client.create_liveness_session()
else:
    import asyncio

    async def main():
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with verisoul.AsyncVerisoul(api_key=KEY, http_client=http) as client:
            await client.create_liveness_session()

    asyncio.run(main())
print(logging.getLevelName(logging.getLogger("verisoul").level))
"""


def run(value: str, client: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERISOUL_")}
    env["VERISOUL_LOG"] = value
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, TEST_KEY, client],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize("client", ["sync", "async"])
def test_debug_prints_attempts_and_redacted_headers_on_stderr(client: str) -> None:
    done = run("debug", client)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DEBUG"
    assert "INFO verisoul: GET /liveness/session -> 200 (attempt 1, " in done.stderr
    assert "x-api-key: <redacted>" in done.stderr
    assert TEST_KEY not in done.stderr + done.stdout
    assert "s-1" not in done.stderr  # no body


@pytest.mark.parametrize("client", ["sync", "async"])
def test_info_prints_attempts_without_headers(client: str) -> None:
    done = run("info", client)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "INFO"
    assert "GET /liveness/session -> 200 (attempt 1, " in done.stderr
    assert "headers" not in done.stderr


def test_an_unknown_value_warns_and_runs() -> None:
    done = run("loud", "sync")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "NOTSET"
    assert "UserWarning: VERISOUL_LOG='loud' is not one of ['debug', 'info']" in done.stderr
