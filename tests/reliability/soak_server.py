"""A fast loopback HTTP/1.1 server with random faults, run in its own process.

Load tests cannot share a process with their server: under 256 concurrent calls the
server's threads and the client's event loop fight over the GIL and throughput falls to
a few dozen calls per second (with connect timeouts). This asyncio server runs as
``python -m tests.reliability.soak_server`` and answers every request with a valid
liveness session, except a seeded random share answered 503 or dropped without an
answer. ``GET /__stats`` (not counted) returns what it did, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx

__all__ = ["ServerStats", "run_soak_server", "stats"]

OK_BODY = b'{"request_id": "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"}'  # noqa: E501
UNAVAILABLE_BODY = b'{"statusCode": 503, "message": "Service Unavailable"}'
ROOT = Path(__file__).resolve().parents[2]


@attrs.frozen
class ServerStats:
    """What the server did.

    Attributes:
        requests: Requests received (faulty ones included, ``/__stats`` excluded).
        unavailable: Requests answered 503.
        dropped: Requests whose connection was closed without an answer.
        connections: Connections accepted.
    """

    requests: int
    unavailable: int
    dropped: int
    connections: int

    @property
    def injected(self) -> int:
        """Faults injected: each one costs a well-behaved client exactly one retry."""
        return self.unavailable + self.dropped


def _response(status: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
    return (head + "\r\n\r\n").encode() + body


class _FaultyServer:
    def __init__(self, seed: int, unavailable: float, drop: float) -> None:
        self._rng = random.Random(seed)
        self._unavailable = unavailable
        self._drop = unavailable + drop
        self.stats = {"requests": 0, "unavailable": 0, "dropped": 0, "connections": 0}

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats["connections"] += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                target = head.split(b" ", 2)[1]
                if target == b"/__stats":
                    writer.write(_response("200 OK", json.dumps(self.stats).encode()))
                    await writer.drain()
                    continue
                self.stats["requests"] += 1
                roll = self._rng.random()
                if roll < self._unavailable:
                    self.stats["unavailable"] += 1
                    writer.write(_response("503 Service Unavailable", UNAVAILABLE_BODY))
                elif roll < self._drop:
                    self.stats["dropped"] += 1
                    return
                else:
                    writer.write(_response("200 OK", OK_BODY))
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return
        finally:
            writer.close()


async def _serve(seed: int, unavailable: float, drop: float) -> None:
    app = _FaultyServer(seed, unavailable, drop)
    server = await asyncio.start_server(app.handle, "127.0.0.1", 0, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    loop = asyncio.get_running_loop()
    # The parent closes our stdin to stop us (works even if it dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


@contextlib.contextmanager
def run_soak_server(
    *, seed: int = 0, unavailable: float = 0.0, drop: float = 0.0
) -> Iterator[tuple[str, httpx.Client]]:
    """Start the server in a child process; yield its URL and a client for ``stats``."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.soak_server",
            f"--seed={seed}",
            f"--unavailable={unavailable}",
            f"--drop={drop}",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        line = process.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise RuntimeError(f"soak server did not start: {line!r}")
        url = f"http://127.0.0.1:{int(line.split()[1])}"
        with httpx.Client(base_url=url) as control:
            yield url, control
    finally:
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()


def stats(control: httpx.Client) -> ServerStats:
    """What the server has done so far."""
    return ServerStats(**control.get("/__stats").json())


def main() -> None:
    """Entry point of the child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unavailable", type=float, default=0.0, help="share answered 503")
    parser.add_argument("--drop", type=float, default=0.0, help="share dropped unanswered")
    args = parser.parse_args()
    asyncio.run(_serve(args.seed, args.unavailable, args.drop))


if __name__ == "__main__":
    main()
