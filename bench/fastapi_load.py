"""The FastAPI scenario of issue 16: what a user of the README's app feels.

Three processes, all on loopback: ``FakeVerisoul().serve()`` (the API), the README's
FastAPI app (``examples/fastapi_app.py``: one ``AsyncVerisoul`` in the lifespan) under
uvicorn, and a load driver with ``clients`` concurrent keep-alive connections that each
``POST /face-match/start`` in turn. Every connection first makes one warm-up request (not
counted), then together they send ``requests`` more; the table reports requests/s over
that phase and the latency percentiles. The app runs pinned to core 1, the fake and the
driver to core 0.

``python -m bench.fastapi_load`` runs it alone; :func:`measure` is what ``bench.run`` calls.
Internal entry points: ``python -m bench.fastapi_load fake`` and ``... app TRANSPORT URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from .procs import CLIENT_CORE, PROJECT_ROOT, SERVER_CORE, pinned, python_argv

API_KEY = "bench-fastapi-key"
TRANSPORTS = ("httpx", "aiohttp")
START_TIMEOUT = 60.0


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    return sorted_values[round(fraction * (len(sorted_values) - 1))]


# -- the two server processes ----------------------------------------------------------


def run_fake() -> None:
    """Serve a FakeVerisoul on loopback; print its URL; serve until stdin closes."""
    from verisoul.testing import FakeVerisoul

    with FakeVerisoul(api_key=API_KEY).serve() as url:
        print(f"URL {url}", flush=True)
        sys.stdin.read()


def run_app(transport: str, fake_url: str) -> None:
    """The README's FastAPI app under uvicorn on loopback; print its URL; serve until killed."""
    import socket

    import uvicorn

    import verisoul

    os.environ["VERISOUL_API_KEY"] = API_KEY
    os.environ["VERISOUL_BASE_URL"] = fake_url
    if transport == "aiohttp":
        plain = verisoul.AsyncVerisoul

        class AiohttpVerisoul(plain):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, transport="aiohttp", **kwargs)

        verisoul.AsyncVerisoul = AiohttpVerisoul  # type: ignore[misc]
    path = PROJECT_ROOT / "examples" / "fastapi_app.py"
    spec = importlib.util.spec_from_file_location("fastapi_app", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fastapi_app"] = module  # pydantic resolves the models' annotations there
    spec.loader.exec_module(module)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(module.app, log_config=None, access_log=False, lifespan="on")
    server = uvicorn.Server(config)

    def announce() -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        print(f"URL http://127.0.0.1:{sock.getsockname()[1]}", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])


@contextmanager
def process(core: int, *args: str) -> Iterator[str]:
    """Run ``python -m bench.fastapi_load ARGS`` pinned to ``core``; yield the URL it prints."""
    argv = pinned(core, python_argv("-m", "bench.fastapi_load", *args))
    proc = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("URL "):
            raise RuntimeError(f"bench.fastapi_load {args} failed to start (got {line!r})")
        yield line.split()[1]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


# -- the load driver -------------------------------------------------------------------


async def _drive(url: str, clients: int, requests: int) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    warm = asyncio.Event()  # every connection made its warm-up request
    go = asyncio.Event()
    ready = 0
    latencies: list[float] = []
    errors: list[str] = []
    share = [requests // clients + (1 if n < requests % clients else 0) for n in range(clients)]

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        body = json.dumps({"account_id": f"acct-{n}"}).encode()
        head = (
            f"POST /face-match/start HTTP/1.1\r\nhost: {host}:{port}\r\n"
            f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
        ).encode()
        started = time.perf_counter()
        writer.write(head + body)
        response_head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in response_head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if not response_head.startswith(b"HTTP/1.1 200"):
            errors.append(response_head.split(b"\r\n", 1)[0].decode())

    async def client(index: int) -> None:
        nonlocal ready
        reader, writer = await asyncio.open_connection(host, port)
        try:
            await one(reader, writer, index)  # warm-up, not counted
            ready += 1
            if ready == clients:
                warm.set()
            await go.wait()
            for n in range(share[index]):
                await one(reader, writer, index * 1000 + n)
        finally:
            writer.close()

    tasks = [asyncio.create_task(client(index)) for index in range(clients)]
    await asyncio.wait_for(warm.wait(), START_TIMEOUT)
    latencies.clear()
    errors.clear()
    started = time.perf_counter()
    go.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 600)
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": seconds,
        "requests_per_s": len(ordered) / seconds,
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000,
        "max_ms": ordered[-1] * 1000,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def drive(url: str, clients: int, requests: int) -> dict[str, Any]:
    """Run the driver in a pinned process of its own (core 0, beside the fake)."""
    code = (
        "import asyncio, json, sys; from bench.fastapi_load import _drive; "
        f"print(json.dumps(asyncio.run(_drive({url!r}, {clients}, {requests}))))"
    )
    argv = pinned(SERVER_CORE, python_argv("-c", code))
    done = subprocess.run(
        argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"fastapi load driver failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def available() -> str | None:
    """Why the scenario cannot run here, or None."""
    for module in ("fastapi", "uvicorn", "httpx_aiohttp"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed"
    return None


def measure(repeats: int, clients: int, requests: int) -> dict[str, Any]:
    """``repeats`` rounds, each with the app on every transport in turn (rotated).

    Returns:
        ``{"runs": [{transport: result}...], "clients", "requests"}``.
    """
    runs: list[dict[str, Any]] = []
    with process(SERVER_CORE, "fake") as fake_url:
        for index in range(repeats):
            order = TRANSPORTS[index % 2 :] + TRANSPORTS[: index % 2]
            run: dict[str, Any] = {}
            for transport in order:
                with process(CLIENT_CORE, "app", transport, fake_url) as app_url:
                    run[transport] = drive(app_url, clients, requests)
                line = run[transport]
                print(
                    f"  fastapi {transport}: {line['requests_per_s']:.0f} req/s, "
                    f"p99 {line['p99_ms']:.0f} ms, errors {line['errors']}",
                    file=sys.stderr,
                )
            runs.append(run)
    return {"runs": runs, "clients": clients, "requests": requests}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fastapi_load", description=__doc__)
    parser.add_argument("role", nargs="?", choices=("fake", "app"), help="internal")
    parser.add_argument("args", nargs="*", help="internal")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=1000)
    options = parser.parse_args()
    if options.role == "fake":
        run_fake()
    elif options.role == "app":
        run_app(*options.args)
    else:
        print(json.dumps(measure(options.repeats, options.clients, options.requests), indent=2))


if __name__ == "__main__":
    main()
