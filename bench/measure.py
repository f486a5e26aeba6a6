"""Measurements inside one worker process, with the variants interleaved in small batches.

The machine may be shared, so load drifts within seconds. Every variant of a round lives
in the same process with its client open, and the work alternates between them in short
batches (rotating the order): a load spike then hits all variants alike, and the ratios hold
even when the absolute numbers wobble. Every loop is bounded: sequential batches have a fixed
number of calls, concurrent bursts stop at a deadline.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from .variants import Variant


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    return sorted_values[round(fraction * (len(sorted_values) - 1))]


def server_stats(base_url: str) -> dict[str, int]:
    """Connections accepted and requests served so far by the bench server."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request("GET", "/_stats")
        stats: dict[str, int] = json.loads(conn.getresponse().read())
        return stats
    finally:
        conn.close()


class Tally:
    """Completed and failed calls of one variant's concurrent bursts."""

    def __init__(self) -> None:
        self.ok = 0
        self.errors = 0
        self.first_error = ""
        self.seconds = 0.0
        self.cpu_s = 0.0
        self.connections = 0

    def failed(self, exc: Exception) -> None:
        self.errors += 1
        self.first_error = self.first_error or f"{type(exc).__name__}: {exc}"

    def summary(self) -> dict[str, Any]:
        return {
            "calls_per_s": self.ok / self.seconds,
            "cpu_us": self.cpu_s * 1e6 / max(self.ok, 1),
            "errors": self.errors,
            "first_error": self.first_error,
            "connections_opened": self.connections,
        }


class Subject:
    """One variant with its client open, driven from the worker's main thread.

    Async variants run on the worker's single event loop (their client is bound to it);
    sync variants call directly, or from the shared thread pool for concurrency.
    """

    def __init__(
        self,
        variant: Variant,
        base_url: str,
        loop: asyncio.AbstractEventLoop,
        pool: ThreadPoolExecutor,
    ) -> None:
        self.variant = variant
        self.loop = loop
        self.pool = pool
        self.client = loop.run_until_complete(self._open(base_url))
        self.samples_ns: list[int] = []
        self.cpu_s = 0.0

    async def _open(self, base_url: str) -> Any:
        return self.variant.open(base_url)

    def close(self) -> None:
        result = self.variant.close(self.client)
        if self.variant.is_async:
            self.loop.run_until_complete(result)

    async def _async_batch(self, calls: int) -> None:
        call, client, samples = self.variant.call, self.client, self.samples_ns
        for _ in range(calls):
            start = time.perf_counter_ns()
            await call(client)
            samples.append(time.perf_counter_ns() - start)

    def _sync_batch(self, calls: int) -> None:
        call, client, samples = self.variant.call, self.client, self.samples_ns
        for _ in range(calls):
            start = time.perf_counter_ns()
            call(client)
            samples.append(time.perf_counter_ns() - start)

    def sequential_batch(self, calls: int) -> None:
        """``calls`` back-to-back calls; latency samples and CPU time accumulate."""
        cpu_start = time.process_time()
        if self.variant.is_async:
            self.loop.run_until_complete(self._async_batch(calls))
        else:
            self._sync_batch(calls)
        self.cpu_s += time.process_time() - cpu_start

    def latency(self) -> dict[str, float]:
        """p50/p99 latency and CPU per call so far, in microseconds."""
        ordered = sorted(ns / 1000 for ns in self.samples_ns)
        return {
            "p50_us": percentile(ordered, 0.50),
            "p99_us": percentile(ordered, 0.99),
            "cpu_us": self.cpu_s * 1e6 / len(ordered),
        }

    async def _async_attempt(self, tally: Tally) -> None:
        try:
            await self.variant.call(self.client)
        except Exception as exc:
            tally.failed(exc)
        else:
            tally.ok += 1

    def _sync_attempt(self, tally: Tally) -> None:
        try:
            self.variant.call(self.client)
        except Exception as exc:
            tally.failed(exc)
        else:
            tally.ok += 1  # threads: the GIL keeps this increment intact on CPython 3.11

    async def _async_burst(self, workers: int, deadline: float, tally: Tally) -> None:
        async def worker() -> None:
            while time.perf_counter() < deadline:
                await self._async_attempt(tally)

        await asyncio.gather(*(worker() for _ in range(workers)))

    def _sync_burst(self, workers: int, deadline: float, tally: Tally) -> None:
        def worker(_: int) -> None:
            while time.perf_counter() < deadline:
                self._sync_attempt(tally)

        list(self.pool.map(worker, range(workers)))

    def burst(self, workers: int, seconds: float, tally: Tally, base_url: str) -> None:
        """``workers`` concurrent callers for ``seconds``; counts go to ``tally``."""
        before = server_stats(base_url)["connections"]
        cpu_start = time.process_time()
        start = time.perf_counter()
        deadline = start + seconds
        if self.variant.is_async:
            self.loop.run_until_complete(self._async_burst(workers, deadline, tally))
        else:
            self._sync_burst(workers, deadline, tally)
        tally.seconds += time.perf_counter() - start
        tally.cpu_s += time.process_time() - cpu_start
        # minus one: the connection of the second /_stats request itself
        tally.connections += server_stats(base_url)["connections"] - before - 1


def rotated(items: list[Subject], by: int) -> list[Subject]:
    """``items`` rotated left by ``by`` places (a different order each batch)."""
    by %= len(items)
    return items[by:] + items[:by]


def interleaved_round(variants: list[Variant], base_url: str, cfg: dict[str, Any]) -> Any:
    """Sequential latency/CPU, then calls/s per concurrency level, variants interleaved.

    Returns:
        ``{variant name: {"p50_us", "p99_us", "cpu_us", "c64": {...}, ...}}``.
    """
    loop = asyncio.new_event_loop()
    pool = ThreadPoolExecutor(max_workers=max(cfg["concurrency"]))
    subjects = [Subject(variant, base_url, loop, pool) for variant in variants]
    try:
        for subject in subjects:
            subject.sequential_batch(cfg["warmup"])
            subject.samples_ns.clear()
            subject.cpu_s = 0.0
        for index in range(cfg["batches"]):
            for subject in rotated(subjects, index):
                subject.sequential_batch(cfg["calls"] // cfg["batches"])
        results: dict[str, dict[str, Any]] = {s.variant.name: dict(s.latency()) for s in subjects}
        for workers in cfg["concurrency"]:
            tallies = {s.variant.name: Tally() for s in subjects}
            for subject in subjects:  # warm the pool at this level, not counted
                subject.burst(workers, cfg["burst_seconds"] / 2, Tally(), base_url)
            for index in range(cfg["bursts"]):
                for subject in rotated(subjects, index):
                    tally = tallies[subject.variant.name]
                    subject.burst(workers, cfg["burst_seconds"], tally, base_url)
            for name, tally in tallies.items():
                results[name][f"c{workers}"] = tally.summary()
        return results
    finally:
        for subject in subjects:
            subject.close()
        pool.shutdown()
        loop.close()


def peak_rss(variant: Variant, base_url: str, calls: int) -> dict[str, float]:
    """Peak RSS of this process after ``calls`` sequential calls (fresh process per variant)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loop = asyncio.new_event_loop()
    pool = ThreadPoolExecutor(max_workers=1)
    subject = Subject(variant, base_url, loop, pool)
    try:
        subject.sequential_batch(calls)
    finally:
        subject.close()
        pool.shutdown()
        loop.close()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"peak_rss_mb": after / 1024, "rss_before_calls_mb": before / 1024}
