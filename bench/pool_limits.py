"""Why the default transport does not scale: httpcore's pool pass, by pool limits.

``python -m bench.pool_limits [--linear] [--rounds N] [--seconds S]`` measures raw
``httpx.Client`` (threads) and ``httpx.AsyncClient`` (tasks) at 64 and 256 concurrent
callers for several ``httpx.Limits``, bursts interleaved, and prints CPU per call, calls/s and
new connections. ``--linear`` first replaces httpcore 1.0's ``_assign_requests_to_connections``
(which grows with idle connections x all connections, and with queued requests x
connections; encode/httpcore#1035) by a single linear pass, to show what a fixed pool would
give. That replacement is an experiment for this measurement, not something the SDK ships.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from .measure import server_stats
from .procs import running_server

LIMITS = {
    "100/20 (httpx default)": httpx.Limits(max_connections=100, max_keepalive_connections=20),
    "256/256 (the SDK's)": httpx.Limits(max_connections=256, max_keepalive_connections=256),
    "1000/100 (openai's)": httpx.Limits(max_connections=1000, max_keepalive_connections=100),
    "32/32": httpx.Limits(max_connections=32, max_keepalive_connections=32),
}
PATH = "/liveness/session"


def linear_assign(pool: Any) -> list[Any]:
    """One pass over connections and queued requests; each idle connection serves one request.

    Same decisions as httpcore 1.0.9 for HTTP/1.1: drop closed connections, close expired
    ones and idle ones beyond the keep-alive limit, then give each queued request an idle
    connection to its origin, a new connection while under the limit, or replace an idle
    connection to another origin. Connections handed to a request that has not started on
    them yet are left alone (encode/httpcore#1110).
    """
    closing = []
    reserved = {id(r.connection) for r in pool._requests if r.connection is not None}
    kept, idle = [], []
    for conn in pool._connections:
        if conn.is_closed():
            continue
        if id(conn) not in reserved and conn.has_expired():
            closing.append(conn)
            continue
        kept.append(conn)
        if id(conn) not in reserved and conn.is_idle():
            idle.append(conn)
    surplus = len(idle) - pool._max_keepalive_connections
    if surplus > 0:
        dropped = {id(conn) for conn in idle[:surplus]}
        closing += idle[:surplus]
        kept = [conn for conn in kept if id(conn) not in dropped]
        idle = idle[surplus:]
    pool._connections = kept
    available = [conn for conn in idle if conn.is_available()]
    for request in pool._requests:
        if not request.is_queued():
            continue
        origin = request.request.url.origin
        match = next((c for c in available if c.can_handle_request(origin)), None)
        if match is not None:
            available.remove(match)
        elif len(pool._connections) < pool._max_connections or available:
            if len(pool._connections) >= pool._max_connections:
                old = available.pop(0)
                pool._connections.remove(old)
                closing.append(old)
            match = pool.create_connection(origin)
            pool._connections.append(match)
        else:
            break  # the pool is full and nothing is idle: later requests wait too
        request.assign_to_connection(match)
    return closing


def use_linear_pool() -> None:
    """Patch httpcore's pools (this process only) with :func:`linear_assign`."""
    import httpcore

    httpcore.AsyncConnectionPool._assign_requests_to_connections = linear_assign  # type: ignore[method-assign,assignment]
    httpcore.ConnectionPool._assign_requests_to_connections = linear_assign  # type: ignore[method-assign,assignment]


def sync_burst(
    client: httpx.Client, pool: ThreadPoolExecutor, workers: int, seconds: float
) -> int:
    """Calls completed by ``workers`` threads in ``seconds``."""
    deadline = time.perf_counter() + seconds

    def worker(_: int) -> int:
        done = 0
        while time.perf_counter() < deadline:
            client.get(PATH).json()
            done += 1
        return done

    return sum(pool.map(worker, range(workers)))


async def async_burst(client: httpx.AsyncClient, workers: int, seconds: float) -> int:
    """Calls completed by ``workers`` tasks in ``seconds``."""
    deadline = time.perf_counter() + seconds

    async def worker() -> int:
        done = 0
        while time.perf_counter() < deadline:
            (await client.get(PATH)).json()
            done += 1
        return done

    return sum(await asyncio.gather(*(worker() for _ in range(workers))))


def measure(base_url: str, rounds: int, seconds: float) -> None:
    """Print CPU per call, calls/s and new connections per flavour, level and limits."""
    loop = asyncio.new_event_loop()
    threads = ThreadPoolExecutor(max_workers=256)
    clients: dict[str, Any] = {}
    for name, limits in LIMITS.items():
        clients[f"sync {name}"] = httpx.Client(base_url=base_url, limits=limits)
        clients[f"async {name}"] = httpx.AsyncClient(base_url=base_url, limits=limits)
    for workers in (64, 256):
        totals = {name: [0.0, 0.0, 0.0, 0.0] for name in clients}
        for index in range(rounds + 1):  # round 0 warms the pools up
            for name, client in clients.items():
                before = server_stats(base_url)["connections"]
                cpu, wall = time.process_time(), time.perf_counter()
                if isinstance(client, httpx.Client):
                    calls = sync_burst(client, threads, workers, seconds)
                else:
                    calls = loop.run_until_complete(async_burst(client, workers, seconds))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if index:
                    opened = server_stats(base_url)["connections"] - before - 1
                    for slot, value in enumerate((calls, cpu, wall, opened)):
                        totals[name][slot] += value
        for name, (total_calls, total_cpu, total_wall, total_opened) in totals.items():
            print(
                f"{workers:4d} concurrent  {name:30s} "
                f"CPU {total_cpu / total_calls * 1e6:7.0f} us/call  "
                f"{total_calls / total_wall:6.0f} calls/s  {total_opened:5.0f} new connections"
            )
    for client in clients.values():
        if isinstance(client, httpx.Client):
            client.close()
        else:
            loop.run_until_complete(client.aclose())
    threads.shutdown()
    loop.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pool_limits", description=__doc__)
    parser.add_argument("--linear", action="store_true", help="patch in a linear pool pass")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=0.4, help="per burst")
    args = parser.parse_args()
    if args.linear:
        use_linear_pool()
    with running_server() as base_url:
        measure(base_url, args.rounds, args.seconds)


if __name__ == "__main__":
    main()
