"""Client lifecycle under misuse: several event loops, garbage collection, fork, threads.

Hand-written (not generated): these tests drive event loops, threads and processes
themselves.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import warnings
from collections.abc import Callable

import pytest
import trio

import verisoul
from verisoul import AsyncVerisoul, Verisoul

from .._servers import LoopbackServer
from ..conftest import TEST_KEY
from .conftest import SESSION_ID
from .figures import record

FOREIGN_LOOP = "first used in another event loop.*Create the client inside the loop"


def test_asyncio_run_twice_is_a_clear_error(ok_server: LoopbackServer) -> None:
    async def call(client: AsyncVerisoul) -> str:
        return (await client.create_liveness_session()).session_id

    client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    assert asyncio.run(call(client)) == SESSION_ID
    with pytest.raises(verisoul.VerisoulError, match=FOREIGN_LOOP):
        asyncio.run(call(client))
    assert ok_server.request_count == 1  # the second loop sent nothing
    del client
    _collect_abandoned()


def test_trio_then_asyncio_is_a_clear_error(ok_server: LoopbackServer) -> None:
    async def call(client: AsyncVerisoul) -> str:
        return (await client.create_liveness_session()).session_id

    client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    assert trio.run(call, client) == SESSION_ID
    with pytest.raises(verisoul.VerisoulError, match=FOREIGN_LOOP):
        asyncio.run(call(client))
    with pytest.raises(verisoul.VerisoulError, match=FOREIGN_LOOP):
        trio.run(call, client)  # a new trio run is another loop too
    del client
    _collect_abandoned()


@pytest.mark.parametrize(
    "first", ["original", "copy", "copy of a copy"], ids=lambda name: f"{name} used first"
)
@pytest.mark.parametrize("second_loop", ["asyncio", "trio"])
def test_copies_share_the_event_loop_guard(
    ok_server: LoopbackServer, first: str, second_loop: str
) -> None:
    """A copy made before first use refuses a second loop like its original (issue 13)."""

    async def call(client: AsyncVerisoul) -> str:
        return (await client.create_liveness_session()).session_id

    original = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    copy = original.with_options(max_retries=0)
    copy_of_copy = copy.with_options(timeout=5.0)
    objects = {"original": original, "copy": copy, "copy of a copy": copy_of_copy}
    assert asyncio.run(call(objects[first])) == SESSION_ID
    run: Callable[[AsyncVerisoul], object] = (
        (lambda client: asyncio.run(call(client)))
        if second_loop == "asyncio"
        else (lambda client: trio.run(call, client))
    )
    for other in objects.values():  # every object, the one used first included
        with pytest.raises(verisoul.VerisoulError, match=FOREIGN_LOOP):
            run(other)
        record("lifecycle: foreign-loop uses refused", 1)
    assert ok_server.request_count == 1  # the other loops sent nothing
    del original, copy, copy_of_copy, objects
    _collect_abandoned()


def test_aclose_from_another_loop_is_a_clear_error(ok_server: LoopbackServer) -> None:
    """Not ``RuntimeError: Event loop is closed`` from deep inside asyncio."""
    client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    asyncio.run(client.create_liveness_session())
    with pytest.raises(verisoul.VerisoulError, match=FOREIGN_LOOP):
        asyncio.run(client.aclose())
    assert client.is_closed
    del client
    _collect_abandoned()


def test_client_closed_in_its_own_loop_then_reused_elsewhere(ok_server: LoopbackServer) -> None:
    client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)

    async def use_and_close() -> None:
        async with client:
            await client.create_liveness_session()

    asyncio.run(use_and_close())
    with pytest.raises(verisoul.VerisoulError, match="closed"):
        asyncio.run(client.create_liveness_session())


def _collect_abandoned() -> None:
    """Collect a client whose sockets belong to a dead loop (they cannot be closed).

    The client and asyncio's transports warn when collected unclosed; that is the
    expected fallout of the misuse under test, so it is collected here rather than
    during a later test.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.mark.parametrize("used", [False, True])
def test_unclosed_client_warns_and_schedules_nothing(
    ok_server: LoopbackServer, used: bool
) -> None:
    async def main() -> tuple[int, int]:
        client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
        if used:
            await client.create_liveness_session()
        tasks_before = len(asyncio.all_tasks())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del client
            gc.collect()
        for _ in range(3):
            await asyncio.sleep(0)  # anything scheduled by a finaliser would run now
        ours = [w for w in caught if "AsyncVerisoul was garbage-collected" in str(w.message)]
        assert all(issubclass(w.category, ResourceWarning) for w in caught)
        return len(ours), len(asyncio.all_tasks()) - tasks_before

    warned, new_tasks = asyncio.run(main())
    assert warned == 1
    assert new_tasks == 0


def test_closed_client_does_not_warn() -> None:
    client = Verisoul(api_key=TEST_KEY)
    client.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del client
        gc.collect()
    assert caught == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_child_opens_its_own_connection(ok_server: LoopbackServer) -> None:
    with Verisoul(api_key=TEST_KEY, base_url=ok_server.url) as client:
        client.create_liveness_session()
        assert ok_server.connections == 1
        status = _in_child(client.create_liveness_session)
        assert status == 0
        assert ok_server.connections == 2  # the child did not touch the parent's socket
        for _ in range(3):
            client.create_liveness_session()
        assert ok_server.connections == 2  # the parent still reuses its own
        assert ok_server.request_count == 5
    record("lifecycle: fork children")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_async_client_child_opens_its_own_connection(ok_server: LoopbackServer) -> None:
    client = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.create_liveness_session())
        status = _in_child(lambda: asyncio.run(client.create_liveness_session()))
        assert status == 0
        assert ok_server.connections == 2
        loop.run_until_complete(client.create_liveness_session())
        assert ok_server.connections == 2
        loop.run_until_complete(client.aclose())
    finally:
        loop.close()
    assert ok_server.request_count == 3
    record("lifecycle: fork children")


def _in_child(work: object) -> int:
    """Run ``work()`` in a forked child; return its exit code (0: no exception)."""
    assert callable(work)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            work()
            code = 0
        except BaseException:  # the child must never return into pytest
            code = 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_one_sync_client_shared_by_32_threads(ok_server: LoopbackServer) -> None:
    threads_n, calls_n = 32, 100
    errors: list[BaseException] = []
    done: list[int] = []
    with Verisoul(api_key=TEST_KEY, base_url=ok_server.url) as client:

        def work() -> None:
            for _ in range(calls_n):
                try:
                    assert client.create_liveness_session().session_id == SESSION_ID
                except Exception as exc:
                    errors.append(exc)
                else:
                    done.append(1)

        threads = [threading.Thread(target=work) for _ in range(threads_n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(done) == threads_n * calls_n
    retries = ok_server.request_count - threads_n * calls_n
    assert retries >= 0
    # Connections are pooled, not opened per call (3,200 calls). A loaded machine may
    # see a few extra (an idle connection the pool found stale), so bound it loosely.
    assert ok_server.connections <= 2 * threads_n + retries
    record("threads: calls", len(done))
    record("threads: failures", len(errors))
    record("threads: retries", retries)
