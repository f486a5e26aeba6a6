"""``FakeVerisoul.serve()`` with random faults, run in a child process for load tests.

Load tests cannot share a process with their server: under 256 concurrent calls the
server's threads and the client's event loop fight over the GIL, and throughput fell
to a few dozen calls per second here, with connect timeouts. So the soak starts
``python -m tests.reliability.soak_server``, which serves a :class:`FakeVerisoul`
armed with ``fail_randomly(503, ...)`` and ``drop_randomly(...)``, prints its URL,
and prints what it saw once its stdin closes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs

__all__ = ["ServerStats", "SoakServer", "run_soak_server"]

ROOT = Path(__file__).resolve().parents[2]
KEY_VARIABLE = "VERISOUL_SOAK_FAKE_KEY"


@attrs.frozen
class ServerStats:
    """What the fake saw.

    Attributes:
        requests: Requests received (faulted ones included).
        faults: Requests answered 503 or dropped without an answer.
    """

    requests: int
    faults: int


@attrs.define
class SoakServer:
    """A running child server.

    Attributes:
        url: Its base URL.
        stats: What it saw, filled in when the ``with`` block ends.
    """

    url: str
    stats: ServerStats | None = None


@contextlib.contextmanager
def run_soak_server(
    api_key: str, *, seed: int, unavailable: float, drop: float
) -> Iterator[SoakServer]:
    """Serve a fake accepting ``api_key`` from a child process for the ``with`` block."""
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
        env={**os.environ, KEY_VARIABLE: api_key},  # not on the command line
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        line = process.stdout.readline().decode()
        if not line.startswith("URL "):
            raise RuntimeError(f"the soak server did not start: {line!r}")
        server = SoakServer(url=line.split()[1])
        yield server
        process.stdin.close()
        line = process.stdout.readline().decode()
        if not line.startswith("STATS "):
            raise RuntimeError(f"the soak server did not report: {line!r}")
        server.stats = ServerStats(**json.loads(line[len("STATS ") :]))
    finally:
        if not process.stdin.closed:
            process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()


def main() -> None:
    """The child process: serve until stdin closes, then report."""
    from verisoul.testing import FakeVerisoul

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unavailable", type=float, default=0.0, help="share answered 503")
    parser.add_argument("--drop", type=float, default=0.0, help="share dropped unanswered")
    args = parser.parse_args()
    fake = FakeVerisoul(os.environ[KEY_VARIABLE], log_limit=1)
    fake.fail_randomly(503, args.unavailable, seed=args.seed)
    fake.drop_randomly(args.drop)
    with fake.serve() as url:
        print(f"URL {url}", flush=True)
        sys.stdin.read()
    stats = {"requests": fake.request_count, "faults": fake.fault_count}
    print(f"STATS {json.dumps(stats)}", flush=True)


if __name__ == "__main__":
    main()
