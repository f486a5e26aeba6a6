"""The private internals our dependency workarounds rely on are still there.

Two workarounds reach into a dependency's private attributes (each through ``getattr`` so a
user's call never breaks on an upstream change). Without this test an upstream rename would
silently switch a fix off; with it, CI fails and points here. pyproject.toml bounds the
versions to those CI tests.

- ``verisoul._cancellation.forget_orphaned_connections``: encode/httpcore#1093 (a
  connection created for a cancelled request stays in the pool forever). Remove when
  httpcore drops such connections itself (test: tests/reliability/test_cancellation.py).
- ``verisoul._aiohttp_transport`` sets aiohttp's ``ClientSession._retry_connection`` to
  False: aiohttp (3.10+) resends idempotent requests once after a dropped connection,
  behind the SDK's retry policy. Remove if aiohttp offers a public switch.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpcore
import httpx


def test_httpcore_pool_internals_used_by_the_orphan_clean_up() -> None:
    clients: list[Any] = [httpx.Client(), httpx.AsyncClient()]
    for http in clients:
        pool = http._transport._pool
        assert isinstance(pool._connections, list)
        assert isinstance(pool._requests, list)
        assert hasattr(pool, "_optional_thread_lock")
    origin = httpcore.Origin(b"http", b"127.0.0.1", 1)
    for connection in (httpcore.HTTPConnection(origin), httpcore.AsyncHTTPConnection(origin)):
        assert connection._connection is None
        assert connection._connect_failed is False
    from httpcore._async.connection_pool import AsyncPoolRequest
    from httpcore._sync.connection_pool import PoolRequest

    request = httpcore.Request("GET", "http://127.0.0.1:1/")
    for pool_request in (AsyncPoolRequest(request), PoolRequest(request)):
        assert pool_request.connection is None


def test_aiohttp_session_still_has_the_resend_switch() -> None:
    async def check() -> None:  # aiohttp runs on asyncio only
        async with aiohttp.ClientSession() as session:
            assert isinstance(session._retry_connection, bool)

    asyncio.run(check())
