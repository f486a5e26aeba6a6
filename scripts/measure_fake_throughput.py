#!/usr/bin/env python3
"""Measure one AsyncVerisoul's calls/s against FakeVerisoul.serve() and record it.

    python scripts/measure_fake_throughput.py [--calls 3000] [--out FILE]

The fake runs in a child process without faults (``tests/reliability/soak_server.py``),
the client on asyncio in this one, ``--calls`` calls at each of 16, 64 and 256 in flight
(after 200 warm-up calls). The record feeds the calls/s figures of
``tests/reliability/README.md`` through ``scripts/figures.py``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.soak_server import run_soak_server  # noqa: E402
from verisoul import AsyncVerisoul  # noqa: E402

KEY = "sk_measure_throughput"
LEVELS = (16, 64, 256)


async def burst(client: AsyncVerisoul, calls: int, concurrency: int) -> float:
    """Calls per second for ``calls`` calls at ``concurrency`` in flight."""
    remaining = [calls]

    async def worker() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            await client.create_liveness_session()

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        for _ in range(min(concurrency, calls)):
            group.start_soon(worker)
    return calls / (time.perf_counter() - started)


async def measure(url: str, calls: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for level in LEVELS:
        async with AsyncVerisoul(api_key=KEY, base_url=url, timeout=httpx.Timeout(30.0)) as c:
            await burst(c, 200, level)
            results[str(level)] = round(await burst(c, calls, level))
    return results


def main(argv: list[str] | None = None) -> None:
    """Measure and write the record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "tests/reliability/recorded/fake-throughput.json"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with run_soak_server(KEY, seed=1, unavailable=0.0, drop=0.0) as server:
        rps = anyio.run(measure, server.url, args.calls)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    record = {
        "source": (
            f"python scripts/measure_fake_throughput.py --calls {args.calls}, {now}, "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, asyncio, httpx "
            f"transport, load average {load_before:.1f} before and "
            f"{os.getloadavg()[0]:.1f} after"
        ),
        "calls_per_level": args.calls,
        "calls_per_second": rps,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(rps))


if __name__ == "__main__":
    main()
