"""The dev server under a burst: `verisoul mock serve` as many clients would hit it.

Issue 14 asks the local fake to hold 100 concurrent keep-alive clients without connect
stalls. This serves ``FakeVerisoul().serve()`` in a child process (as `verisoul mock serve`
runs) and sends a burst of ``--requests`` requests from ``--clients`` concurrent raw httpx
keep-alive clients on loopback, then prints p50 / p99 / max latency and how many requests
took over 1 s (a dropped SYN is retried after 1 s, so a connect stall shows there).

    python -m bench.dev_server [--clients 100] [--requests 1000] [--record FILE]

Measured, never asserted: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

KEY = "bench-key"
SERVE = (
    "import sys\n"
    "from verisoul.testing import FakeVerisoul\n"
    f"with FakeVerisoul(api_key={KEY!r}).serve() as url:\n"
    "    print(url, flush=True)\n"
    "    sys.stdin.read()\n"
)


async def burst(url: str, clients: int, requests: int) -> list[float]:
    """Latency of each request, seconds: ``clients`` keep-alive clients share the burst."""
    latencies: list[float] = []
    per_client = max(1, requests // clients)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    tls = ssl.create_default_context()  # built once: each client would spend ~30 ms on it
    # Every client exists before the burst starts, so building them is not timed.
    pool = [
        httpx.AsyncClient(base_url=url, limits=limits, timeout=30, verify=tls)
        for _ in range(clients)
    ]

    async def one_client(http: httpx.AsyncClient) -> None:
        for _ in range(per_client):
            started = time.perf_counter()
            response = await http.get("/liveness/session", headers={"x-api-key": KEY})
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(one_client(http) for http in pool))
    finally:
        for http in pool:
            await http.aclose()
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--record", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        started = time.perf_counter()
        latencies = asyncio.run(burst(url, args.clients, args.requests))
        wall = time.perf_counter() - started
    finally:
        server.communicate(input="", timeout=30)
    ordered = sorted(latencies)
    figures = {
        "clients": args.clients,
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "over_1s": sum(1 for latency in ordered if latency > 1.0),
        "requests_per_s": round(len(ordered) / wall, 1),
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(figures, indent=2))
    if args.record is not None:
        args.record.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
