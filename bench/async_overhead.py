"""Where ``AsyncVerisoul``'s sequential latency goes, against raw ``httpx.AsyncClient``.

``python -m bench.async_overhead [--batches N] [--calls N]`` (run it under ``taskset -c 1``)
interleaves, in one process and one event loop, sequential batches of: raw httpx (httpx's
pool), raw httpx on the SDK's sharded pool, ``AsyncVerisoul``, and ``AsyncVerisoul`` with its
cancellation guard (``_cancellation.async_cancel_safe``: a child task per attempt on asyncio)
replaced by a plain ``await``, an experiment that shows what the guard costs. Prints p50 and
CPU per call and their paired ratios to raw httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .procs import running_server
from .variants import API_KEY, SESSION_PATH


async def _plain(work: Callable[[], Awaitable[Any]], http: object) -> Any:
    return await work()


class Unguarded:
    """An AsyncVerisoul whose attempts run without the cancellation guard."""

    def __init__(self, base_url: str) -> None:
        from verisoul import AsyncVerisoul

        self.client = AsyncVerisoul(api_key=API_KEY, base_url=base_url)

    async def create_liveness_session(self) -> Any:
        base: Any = importlib.import_module("verisoul._async._base")
        guard = base.async_cancel_safe
        base.async_cancel_safe = _plain
        try:
            return await self.client.create_liveness_session()
        finally:
            base.async_cancel_safe = guard

    async def aclose(self) -> None:
        await self.client.aclose()


async def measure(base_url: str, batches: int, calls: int) -> None:
    from verisoul import AsyncVerisoul
    from verisoul._config import DEFAULT_LIMITS
    from verisoul._pool import AsyncShardedTransport

    headers = {"x-api-key": API_KEY}
    raw = httpx.AsyncClient(base_url=base_url, headers=headers)
    sharded = httpx.AsyncClient(
        base_url=base_url, headers=headers, transport=AsyncShardedTransport(DEFAULT_LIMITS)
    )

    async def raw_call(client: httpx.AsyncClient) -> Any:
        response = await client.get(SESSION_PATH)
        response.raise_for_status()
        return response.json()

    sdk = AsyncVerisoul(api_key=API_KEY, base_url=base_url)
    unguarded = Unguarded(base_url)
    subjects: dict[str, Callable[[], Awaitable[Any]]] = {
        "raw httpx.AsyncClient": lambda: raw_call(raw),
        "raw httpx on the sharded pool": lambda: raw_call(sharded),
        "AsyncVerisoul": sdk.create_liveness_session,
        "AsyncVerisoul without the cancellation guard": unguarded.create_liveness_session,
    }
    samples: dict[str, list[list[float]]] = {name: [] for name in subjects}
    cpu: dict[str, list[float]] = {name: [] for name in subjects}
    names = list(subjects)
    for index in range(batches + 1):  # batch 0 warms up
        for name in names[index % len(names) :] + names[: index % len(names)]:
            batch: list[float] = []
            cpu_start = time.process_time()
            for _ in range(calls):
                start = time.perf_counter()
                await subjects[name]()
                batch.append(time.perf_counter() - start)
            if index:
                cpu[name].append((time.process_time() - cpu_start) / calls)
                samples[name].append(batch)
    base = names[0]
    for name in names:
        p50s = [statistics.median(batch) for batch in samples[name]]
        p50_ratio = statistics.median(
            statistics.median(a) / statistics.median(b)
            for a, b in zip(samples[name], samples[base], strict=True)
        )
        cpu_ratio = statistics.median(a / b for a, b in zip(cpu[name], cpu[base], strict=True))
        print(
            f"{name:46s} p50 {statistics.median(p50s) * 1e6:6.0f} us ({p50_ratio:.2f}x)  "
            f"CPU {statistics.median(cpu[name]) * 1e6:6.0f} us ({cpu_ratio:.2f}x)"
        )
    await raw.aclose()
    await sharded.aclose()
    await sdk.aclose()
    await unguarded.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.async_overhead", description=__doc__)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with running_server() as base_url:
        asyncio.run(measure(base_url, args.batches, args.calls))


if __name__ == "__main__":
    main()
