"""Run the examples for real: their servers on 127.0.0.1, Verisoul played by a FakeVerisoul.

The web examples (``examples/fastapi_app.py`` under uvicorn, ``examples/aiohttp_app.py`` under
aiohttp's ``AppRunner``/``TCPSite``) run in a background thread with their own event loop, so
the tests drive them over real sockets with a real HTTP client, from sync code or from either
anyio backend. The fake is served on loopback and the examples find it through
``VERISOUL_BASE_URL``, like a user pointing the app at a test double.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import attrs
import httpx
import pytest
import uvicorn
from aiohttp import web

import verisoul
from verisoul.testing import FakeVerisoul

from .._servers import Action, Handler, LoopbackServer, Received, wait_until
from ..conftest import TEST_KEY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WEB_EXAMPLES = ("fastapi_app", "aiohttp_app")
#: Every wait on a server is bounded by this many seconds.
STARTUP_TIMEOUT = 5.0


def load_example(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import ``examples/<name>.py`` afresh (the examples are files, not a package).

    It is registered in ``sys.modules`` for the test (pydantic resolves the annotations of the
    FastAPI example's models there).
    """
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def uvicorn_server(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 (a free port), lifespan included."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started or not thread.is_alive(), STARTUP_TIMEOUT)
        if not server.started:
            raise RuntimeError("uvicorn did not start (see the log)")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)
        sock.close()
    assert not thread.is_alive(), "uvicorn did not stop"


@attrs.define
class _AiohttpThread:
    """An aiohttp app on its own asyncio loop, in a thread, until ``stop``."""

    app: web.Application
    port: int = 0
    error: BaseException | None = None
    started: threading.Event = attrs.field(factory=threading.Event)
    loop: asyncio.AbstractEventLoop | None = None
    stopping: asyncio.Event | None = None

    async def serve(self) -> None:
        runner = web.AppRunner(self.app, access_log=None)
        try:
            await runner.setup()  # runs the app's cleanup_ctx up to its yield
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = runner.addresses[0][1]
            self.loop, self.stopping = asyncio.get_running_loop(), asyncio.Event()
            self.started.set()
            await self.stopping.wait()
        finally:
            await runner.cleanup()

    def run(self) -> None:
        try:
            asyncio.run(self.serve())
        except BaseException as error:  # reported by aiohttp_server
            self.error = error
            self.started.set()

    def stop(self) -> None:
        if self.loop is not None and self.stopping is not None:
            self.loop.call_soon_threadsafe(self.stopping.set)


@contextlib.contextmanager
def aiohttp_server(app: web.Application) -> Iterator[str]:
    """Serve an aiohttp app with ``AppRunner``/``TCPSite`` on 127.0.0.1 (a free port)."""
    runner = _AiohttpThread(app)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        runner.started.wait(STARTUP_TIMEOUT)
        if runner.error is not None or not runner.port:
            raise RuntimeError("the aiohttp app did not start") from runner.error
        yield f"http://127.0.0.1:{runner.port}"
    finally:
        runner.stop()
        thread.join(STARTUP_TIMEOUT)
    assert not thread.is_alive(), "the aiohttp app did not stop"
    assert runner.error is None, runner.error


@attrs.define
class ClientSpy:
    """Records every ``AsyncVerisoul`` an example creates, and can add constructor arguments.

    Attributes:
        created: The clients, in creation order.
        overrides: Keyword arguments forced on every new client (``timeout=0.5``...).
    """

    created: list[verisoul.AsyncVerisoul] = attrs.field(factory=list)
    overrides: dict[str, Any] = attrs.field(factory=dict)


@pytest.fixture
def sdk_clients(monkeypatch: pytest.MonkeyPatch) -> ClientSpy:
    """``verisoul.AsyncVerisoul``, as the examples look it up, records what it builds."""
    spy = ClientSpy()

    class RecordingVerisoul(verisoul.AsyncVerisoul):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, **spy.overrides})
            spy.created.append(self)

    monkeypatch.setattr(verisoul, "AsyncVerisoul", RecordingVerisoul)
    return spy


@pytest.fixture
def fake() -> FakeVerisoul:
    return FakeVerisoul(api_key=TEST_KEY)


@pytest.fixture
def fake_url(fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fake on loopback; the examples' environment points at it."""
    with fake.serve() as url:
        monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
        monkeypatch.setenv("VERISOUL_BASE_URL", url)
        yield url


ServeExample = Callable[[], AbstractContextManager[str]]


@pytest.fixture(params=WEB_EXAMPLES)
def serve_example(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, sdk_clients: ClientSpy
) -> ServeExample:
    """Starts the web example (each test runs with both) in the current environment."""
    name: str = request.param

    def start() -> AbstractContextManager[str]:
        module = load_example(name, monkeypatch)
        if name == "fastapi_app":
            return uvicorn_server(module.app)
        return aiohttp_server(module.create_app())

    return start


# -- the user's browser and Verisoul's hosted page ------------------------------------------


def session_of(hosted_url: str) -> str:
    """The ``session_id`` a hosted page URL carries."""
    (session_id,) = parse_qs(urlsplit(hosted_url).query)["session_id"]
    return session_id


def back_from_hosted_page(hosted_url: str, *, error_message: str | None = None) -> str:
    """Where the hosted page sends the browser when the user is done (or failed)."""
    query = parse_qs(urlsplit(hosted_url).query)
    (redirect_url,) = query["redirect_url"]
    params = {"session_id": query["session_id"][0], "success": "true"}
    if error_message is not None:
        params.update(success="false", error_message=error_message)
    return f"{redirect_url}?{urlencode(params)}"


# -- the fake behind a server that counts connections --------------------------------------


#: The suite's loopback server counts the connections it accepts.
CountingServer = LoopbackServer


def forward_to(fake: FakeVerisoul) -> Handler:
    """A handler for :class:`CountingServer` that answers like ``fake``."""
    transport = fake.transport()
    hop_by_hop = {"content-length", "transfer-encoding", "connection"}

    def handle(received: Received) -> Action:
        headers = {k: v for k, v in received.headers.items() if k not in hop_by_hop}
        request = httpx.Request(
            received.method,
            f"http://fake.invalid{received.target}",
            headers=headers,
            content=received.body,
        )
        response = transport.handle_request(request)
        body = response.read()
        kept = tuple((k, v) for k, v in response.headers.items() if k not in hop_by_hop)
        # Idle connections stay open for the whole test, as Verisoul's would.
        return Action(status=response.status_code, body=body, headers=kept, idle_close=60)

    return handle
