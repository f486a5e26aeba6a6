"""Fork safety for every object that sends (issue 13 item 1).

After ``os.fork()`` the child must never use a socket the parent still uses: the two
processes would read each other's responses. Each object that sends (a client, a
``with_options`` copy, a copy of a copy, a client on an injected ``http_client``) is used by
the parent, then by parent and child at the same time; every response must echo the id
its own request sent, and the child must have opened its own connection.

Hand-written (not generated): the tests fork and drive event loops themselves. The async
parent forks from inside its running loop (asyncio or trio); the child runs its calls in
a new thread with a new loop of the same kind.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import anyio.to_thread
import httpx
import pytest

from verisoul import AsyncVerisoul, Verisoul

from .._servers import Action, Received, json_action, serve
from ..conftest import TEST_KEY
from .conftest import REQUEST_ID, SESSION_ID
from .figures import record

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

CALLS = 200
#: The parent's failed calls, for the assertion messages.
ERRORS: list[Exception] = []
OBJECTS = ["client", "with_options copy", "copy of a copy", "injected http_client"]


def echo(request: Received) -> Action:
    """Answer with the request's ``referring_session_id`` as the session id."""
    query = parse_qs(urlsplit(request.target).query)
    session_id = query.get("referring_session_id", [SESSION_ID])[0]
    return json_action({"request_id": REQUEST_ID, "session_id": session_id})


def _target(root: Any, kind: str) -> Any:
    if kind == "with_options copy":
        return root.with_options(max_retries=0)
    if kind == "copy of a copy":
        return root.with_options(max_retries=0).with_options(timeout=10.0)
    return root


def _tally(outcomes: list[str]) -> dict[str, int]:
    return {name: outcomes.count(name) for name in ("ok", "crossed", "error")}


def _sync_calls(client: Verisoul, n: int) -> dict[str, int]:
    outcomes = []
    for _ in range(n):
        sent = str(uuid.uuid4())
        try:
            got = client.create_liveness_session(referring_session_id=sent).session_id
        except Exception as exc:
            ERRORS.append(exc)
            outcomes.append("error")
        else:
            outcomes.append("ok" if got == sent else "crossed")
    return _tally(outcomes)


def _sync_child(client: Verisoul, ready: Callable[[], None]) -> dict[str, int]:
    first = _sync_calls(client, 1)
    ready()
    return _merge(first, _sync_calls(client, CALLS - 1))


async def _async_child(client: AsyncVerisoul, ready: Callable[[], None]) -> dict[str, int]:
    first = await _async_calls(client, 1)
    ready()
    return _merge(first, await _async_calls(client, CALLS - 1))


def _merge(first: dict[str, int], rest: dict[str, int]) -> dict[str, int]:
    return {name: first[name] + rest[name] for name in first}


async def _async_calls(client: AsyncVerisoul, n: int) -> dict[str, int]:
    outcomes = []
    for _ in range(n):
        sent = str(uuid.uuid4())
        try:
            got = (await client.create_liveness_session(referring_session_id=sent)).session_id
        except Exception as exc:
            ERRORS.append(exc)
            outcomes.append("error")
        else:
            outcomes.append("ok" if got == sent else "crossed")
    return _tally(outcomes)


class Child:
    """A forked child running ``work(ready)``: one call alone, ``ready()``, then more.

    The parent waits for the first call (:meth:`first_call_done`) before it sends
    again, so the connection count then says whether the child opened its own.
    """

    def __init__(self, work: Callable[[Callable[[], None]], dict[str, int]]) -> None:
        read_end, write_end = os.pipe()
        ready_read, ready_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                os.close(read_end)
                os.close(ready_read)
                try:

                    def ready() -> None:
                        os.write(ready_write, b"1")

                    result: dict[str, Any] = work(ready)
                except BaseException as exc:
                    result = {"exception": repr(exc)}
                os.write(write_end, json.dumps(result).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        os.close(ready_write)
        self.pid, self._read, self._ready = pid, read_end, ready_read

    def first_call_done(self) -> None:
        os.read(self._ready, 1)  # b"" if the child died: the counts then tell
        os.close(self._ready)

    def result(self) -> dict[str, Any]:
        chunks = []
        while chunk := os.read(self._read, 65536):
            chunks.append(chunk)
        os.close(self._read)
        os.waitpid(self.pid, 0)
        result: dict[str, Any] = json.loads(b"".join(chunks) or b'{"exception": "no result"}')
        return result


def _check(parent: dict[str, int], child: dict[str, Any], connections: int) -> None:
    record("fork: responses checked", parent["ok"] + child.get("ok", 0))
    record("fork: crossed responses", parent["crossed"] + child.get("crossed", 0))
    assert "exception" not in child, child
    # After the child's first call: one connection each, the child never touched the
    # parent's socket.
    assert connections == 2
    assert parent == {"ok": CALLS, "crossed": 0, "error": 0}, ERRORS[:1]
    assert child == {"ok": CALLS, "crossed": 0, "error": 0}
    record("lifecycle: fork children")


@pytest.mark.parametrize("kind", OBJECTS)
def test_fork_sync(kind: str) -> None:
    with serve(echo) as server:
        http = httpx.Client() if kind == "injected http_client" else None
        with Verisoul(api_key=TEST_KEY, base_url=server.url, http_client=http) as root:
            target = _target(root, kind)
            assert _sync_calls(target, 1)["ok"] == 1  # the parent's connection is open
            child_process = Child(lambda ready: _sync_child(target, ready))
            child_process.first_call_done()
            connections = server.connections
            parent = _sync_calls(target, CALLS)
            child = child_process.result()
        if http is not None:
            http.close()
    _check(parent, child, connections)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("kind", OBJECTS)
def test_fork_async(kind: str, backend: str) -> None:
    def in_new_loop(target: AsyncVerisoul, ready: Callable[[], None]) -> dict[str, int]:
        result: dict[str, int] = {}

        def run() -> None:
            result.update(anyio.run(_async_child, target, ready, backend=backend))

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return result

    async def main(url: str) -> tuple[dict[str, int], dict[str, Any], int]:
        http = httpx.AsyncClient() if kind == "injected http_client" else None
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=url, http_client=http) as root:
            target = _target(root, kind)
            assert (await _async_calls(target, 1))["ok"] == 1
            child_process = Child(lambda ready: in_new_loop(target, ready))
            await anyio.to_thread.run_sync(child_process.first_call_done)
            connections = server.connections
            parent = await _async_calls(target, CALLS)
            child = await anyio.to_thread.run_sync(child_process.result)
        if http is not None:
            await http.aclose()
        return parent, child, connections

    with serve(echo) as server:
        parent, child, connections = anyio.run(main, server.url, backend=backend)
    _check(parent, child, connections)


def test_a_copy_made_in_the_child_gets_the_child_pool() -> None:
    """A copy made after the fork shares the child's fresh pool, not the parent's."""
    with serve(echo) as server, Verisoul(api_key=TEST_KEY, base_url=server.url) as root:
        assert _sync_calls(root, 1)["ok"] == 1
        child_process = Child(lambda ready: _sync_child(root.with_options(max_retries=1), ready))
        child_process.first_call_done()
        connections = server.connections
        parent = _sync_calls(root, CALLS)
        child = child_process.result()
    _check(parent, child, connections)
