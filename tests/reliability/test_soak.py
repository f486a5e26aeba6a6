"""Soak: thousands of calls at high concurrency through injected faults.

``VERISOUL_SOAK_CALLS`` calls at ``VERISOUL_SOAK_CONCURRENCY`` in flight against
``FakeVerisoul.serve()`` (in its own process, see ``soak_server``) answering 1 % of
requests with a 503 and dropping 0.5 % of connections without answering. Every call
must succeed, every retry must be accounted for (the fake saw calls + injected faults;
the DEBUG log shows one retry per failed attempt, each with its cause), and traced
memory must stay flat between the first and the last thousand calls.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import logging
import time
import tracemalloc
from collections.abc import Iterator

import anyio
import httpx
import pytest

from verisoul import AsyncVerisoul

from ..conftest import TEST_KEY
from .figures import measure, record
from .leak_guard import check_recorded_errors
from .settings import SOAK_CALLS, SOAK_CONCURRENCY, TRIO_SOAK_CALLS
from .soak_server import run_soak_server

#: Memory is compared between the first and the last batch of this many calls.
MEMORY_BATCH = 1000
#: Traced memory may grow this much between the first and the last batch.
MAX_GROWTH = 256 * 1024
#: Three faults in a row on one call (p = 0.015**3) would surface with max_retries=2
#: about once in 30 runs of 10,000 calls; one more retry makes it ~1 in 2,000 runs.
MAX_RETRIES = 3
#: Opening 256 connections at once on a busy 2-core machine can take more than the
#: default 5 s to connect; the soak is about injected faults, not connect latency. The
#: largest value is also each attempt's total budget (connect and answer together): a
#: slow connect followed by a slow answer from the loaded fake must fit in it, or an
#: attempt the fake never read would count as a failure it did not inject.
TIMEOUT = httpx.Timeout(60.0)
#: Attempt outcomes (from the DEBUG log) that never reached the server.
NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})


class AttemptLog(logging.Handler):
    """Counts the client's one-per-attempt DEBUG records, by outcome.

    It replaces the suite-wide log capture during the soak (whose stored records would
    show up as memory growth), so it also checks each message for the key.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.attempts = 0
        self.retries = 0
        self.failed: collections.Counter[str] = collections.Counter()
        self.leaks = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.leaks += TEST_KEY in message
        if "(attempt " not in record.msg or not isinstance(record.args, tuple):
            return
        _, _, outcome, attempt, _ = record.args
        self.attempts += 1
        self.retries += isinstance(attempt, int) and attempt > 1
        if outcome != 200:
            self.failed[str(outcome)] += 1


@contextlib.contextmanager
def attempt_log() -> Iterator[AttemptLog]:
    """Route the client's and httpx's log records to an :class:`AttemptLog` only.

    Entered inside the test body: pytest attaches its capture handlers to loggers that
    do not propagate when a test phase starts, so this must happen after that.
    """
    handler = AttemptLog()
    loggers = [logging.getLogger(name) for name in ("verisoul", "httpx", "httpcore")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.propagate = True
            logger.removeHandler(handler)


def traced_now() -> tuple[int, tracemalloc.Snapshot]:
    gc.collect()
    return tracemalloc.get_traced_memory()[0], tracemalloc.take_snapshot()


def top_growth(first: tracemalloc.Snapshot, last: tracemalloc.Snapshot) -> str:
    """Where traced memory grew most (for the failure message)."""
    stats = last.compare_to(first, "lineno")[:8]
    return "\n".join(str(stat) for stat in stats)


async def run_batch(client: AsyncVerisoul, calls: int, failures: list[BaseException]) -> None:
    """``calls`` calls, ``SOAK_CONCURRENCY`` at a time; failures are collected."""
    remaining = [calls]

    async def worker() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            try:
                session = await client.create_liveness_session()
                assert session.session_id
            except Exception as exc:
                failures.append(exc)

    async with anyio.create_task_group() as group:
        for _ in range(min(SOAK_CONCURRENCY, calls)):
            group.start_soon(worker)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_soak_under_faults(backend: str) -> None:
    calls = SOAK_CALLS if backend == "asyncio" else TRIO_SOAK_CALLS
    batch_size = min(MEMORY_BATCH, calls // 2)
    batches = calls // batch_size
    failures: list[BaseException] = []

    Measures = tuple[tuple[int, tracemalloc.Snapshot], tuple[int, tracemalloc.Snapshot], float]

    async def main(url: str) -> Measures:
        async with AsyncVerisoul(
            api_key=TEST_KEY, base_url=url, max_retries=MAX_RETRIES, timeout=TIMEOUT
        ) as client:
            started = time.monotonic()
            await run_batch(client, batch_size, failures)
            check_recorded_errors()  # the suite-wide secret check keeps them alive
            first = traced_now()
            for _ in range(batches - 1):
                await run_batch(client, batch_size, failures)
                check_recorded_errors()
            last = traced_now()
            return first, last, time.monotonic() - started

    with (
        attempt_log() as log,
        run_soak_server(TEST_KEY, seed=20261126, unavailable=0.01, drop=0.005) as server,
    ):
        tracemalloc.start()
        try:
            (first, first_snapshot), (last, last_snapshot), elapsed = anyio.run(
                main, server.url, backend=backend
            )
        finally:
            tracemalloc.stop()
    assert server.stats is not None
    seen = server.stats

    total = batches * batch_size
    growth = last - first
    failed = sum(log.failed.values())
    not_sent = sum(n for outcome, n in log.failed.items() if outcome in NOT_SENT)
    label = f"soak ({backend}, {SOAK_CONCURRENCY} concurrent)"
    record(f"{label}: calls", total)
    record(f"{label}: user-visible failures", len(failures))
    record(f"{label}: faults injected by FakeVerisoul (503 or dropped)", seen.faults)
    record(f"{label}: retries seen in the DEBUG log", log.retries)
    measure(f"{label}: failed attempts by cause", str(dict(sorted(log.failed.items()))))
    measure(
        f"{label}: traced memory growth, first -> last {batch_size} calls",
        f"{growth / 1024:+.0f} KiB (after the first: {first / 1024:.0f} KiB)",
    )
    measure(f"{label}: calls per second (tracemalloc on)", f"{total / elapsed:.0f}")

    assert failures == []
    assert log.leaks == 0
    # Every request the fake saw was a call's success or an injected fault ...
    assert seen.requests == total + seen.faults
    # ... every attempt in the log reached the fake unless it failed to connect ...
    assert log.attempts == seen.requests + not_sent
    # ... every failed attempt that reached it was an injected fault ...
    assert failed - not_sent == seen.faults
    # ... and each failed attempt was followed by exactly one retry.
    assert log.retries == failed
    assert seen.faults > 0
    assert growth < MAX_GROWTH, top_growth(first_snapshot, last_snapshot)
