"""Benchmark: 8 processes on one API key against a rate-limited server, three ways.

    nox -s ratelimit_bench                     # writes bench/RATELIMIT.md
    python bench/ratelimit_fleet.py --help

Starts a throw-away ``redis-server`` (127.0.0.1, random free port, no persistence) and
``verisoul.testing.FakeVerisoul`` served on loopback with Verisoul's rate limit scaled
down (``--limit`` requests per ``--window`` seconds, sliding window; over it: 429 with
``Retry-After``).
Then, for each mode, ``--processes`` child processes (each an ``AsyncVerisoul`` with
``--workers`` concurrent tasks) call ``create_liveness_session`` as fast as they can
for ``--windows`` windows:

- ``none``: no ``rate_limit=`` (each process retries 429s on its own);
- ``in-process``: ``RateLimit(limit, period=window)`` kept per process;
- ``redis``: the same limit shared through Redis.

Reported per mode: answers 429 sent by the fake (its requests minus the sessions it
issued), successful calls per window (by the time each call returned) as a share of
the budget, calls that failed, and p50/p99 latency of successful calls (limiter waits
and retries included). Each call's deadline is the end of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from verisoul._ratelimit._window import guarded_period
from verisoul.testing import FakeVerisoul

API_KEY = "bench-fleet-key"
MODES = ("none", "in-process", "redis")


# -- redis-server -----------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away redis-server on a free loopback port; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found: apt-get install redis-server (nox does it as root)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as workdir:
        argv = [binary, "--bind", "127.0.0.1", "--port", str(port)]
        argv += ["--save", "", "--appendonly", "no", "--dir", workdir]
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        try:
            import redis

            probe = redis.Redis(port=port)
            for _ in range(200):  # up to 10 s
                with contextlib.suppress(redis.ConnectionError):
                    if probe.ping():
                        break
                time.sleep(0.05)
            probe.close()
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.kill()
            process.wait(10)


# -- one child process ------------------------------------------------------------------------


async def child_main(mode: str, url: str, redis_url: str, args: argparse.Namespace) -> None:
    import verisoul

    rate_limit = None
    if mode != "none":
        rate_limit = verisoul.RateLimit(
            args.limit,
            period=args.window,
            redis_url=redis_url if mode == "redis" else None,
        )
    latencies: list[float] = []
    finished: list[float] = []  # wall-clock end of each successful call
    failures: collections.Counter[str] = collections.Counter()

    async def worker(client: verisoul.AsyncVerisoul, end: float) -> None:
        while (left := end - time.monotonic()) > 0.1:  # bounded by the run's end
            began = time.monotonic()
            try:
                await client.create_liveness_session(deadline=left)
            except verisoul.LocalRateLimitError:
                # The next free slot is after the end of the run: this worker is done.
                failures["refused locally (slot after the end)"] += 1
                break
            except verisoul.RateLimitError:
                failures["429 after retries"] += 1
            except verisoul.APITimeoutError:
                failures["deadline hit (waiting out 429s)"] += 1
            except verisoul.APIError as exc:
                failures[type(exc).__name__] += 1
            else:
                latencies.append(time.monotonic() - began)
                finished.append(time.time())

    async with verisoul.AsyncVerisoul(
        api_key=API_KEY, base_url=url, rate_limit=rate_limit, max_retries=args.max_retries
    ) as client:
        # Imports done, client built: tell the parent, and learn the common start time.
        print("ready", flush=True)
        start_at = float(sys.stdin.readline())
        start = time.monotonic() + (start_at - time.time())
        end = start + args.windows * args.window
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        await asyncio.gather(*(worker(client, end) for _ in range(args.workers)))
    print(json.dumps({"latencies": latencies, "finished": finished, "failures": dict(failures)}))


# -- the parent -------------------------------------------------------------------------------


def run_mode(mode: str, redis_url: str, args: argparse.Namespace) -> dict[str, Any]:
    fake = FakeVerisoul(api_key=API_KEY, log_limit=0)
    fake.rate_limit(args.limit, per=args.window)
    load = os.getloadavg()[0]
    with fake.serve() as url:
        start_at, latencies, finished, failures = run_children(mode, url, redis_url, args)
        answers_429 = fake.request_count - len(fake.issued_sessions())
    per_window = [0] * args.windows
    for when in finished:
        index = math.floor((when - start_at) / args.window)
        if 0 <= index < args.windows:
            per_window[index] += 1
    shares = [count / args.limit for count in per_window]
    ordered = sorted(latencies)
    return {
        "mode": mode,
        "load": load,
        "answers_429": answers_429,
        "ok": len(latencies),
        "per_window": per_window,
        "mean_share": statistics.fmean(shares),
        "min_share": min(shares),
        "failures": dict(failures),
        "p50": ordered[len(ordered) // 2] if ordered else math.nan,
        "p99": ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
        if ordered
        else math.nan,
    }


def run_children(
    mode: str, url: str, redis_url: str, args: argparse.Namespace
) -> tuple[float, list[float], list[float], collections.Counter[str]]:
    """Run the child processes, started together once all are ready.

    Returns:
        The common start time, the latencies, end times and failure counts.
    """
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", mode, url, redis_url]
            + [f"--{name}={getattr(args, name)}" for name in CHILD_ARGS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(args.processes)
    ]
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":  # EOF if the child died
            sys.exit(f"a child process failed to start in mode {mode}")
    start_at = time.time() + 0.5
    for child in children:
        assert child.stdin is not None
        child.stdin.write(f"{start_at}\n")
        child.stdin.flush()
    latencies: list[float] = []
    finished: list[float] = []
    failures: collections.Counter[str] = collections.Counter()
    for child in children:
        out, _ = child.communicate(timeout=args.windows * args.window + 120)
        if child.returncode != 0:
            sys.exit(f"child process failed in mode {mode} (exit {child.returncode})")
        report = json.loads(out.strip().splitlines()[-1])
        latencies += report["latencies"]
        finished += report["finished"]
        failures.update(report["failures"])
    return start_at, latencies, finished, failures


def render(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# Rate budget across a fleet: benchmark",
        "",
        f"Generated by `nox -s ratelimit_bench` (`bench/ratelimit_fleet.py`) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs.",
        "",
        f"`FakeVerisoul` served on loopback allows **{args.limit} requests per "
        f"{args.window:g} s** (sliding window; over it: 429 with `Retry-After`). "
        f"**{args.processes} processes** x {args.workers} concurrent calls each, one API key, "
        f"call `create_liveness_session` as fast as they can for {args.windows} windows "
        f"(`max_retries={args.max_retries}`, each call's deadline = end of the run). "
        "Latency is per successful call, limiter waits and retries included. "
        "`load avg`: the machine's 1-minute load when the mode started (above the CPU count, "
        "scheduling delays make every number noisier).",
        "",
        "| mode | 429 answers (fake) | successful calls | per window | share of budget "
        "(mean / min) | failed calls | p50 | p99 | load avg |",
        "|---|---:|---:|---|---|---|---:|---:|---:|",
    ]
    for r in results:
        failures = ", ".join(f"{n} {kind}" for kind, n in sorted(r["failures"].items())) or "0"
        lines.append(
            f"| {r['mode']} | {r['answers_429']} | {r['ok']} | "
            f"{' / '.join(map(str, r['per_window']))} | "
            f"{r['mean_share']:.0%} / {r['min_share']:.0%} | {failures} | "
            f"{r['p50'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | {r['load']:.1f} |"
        )
    lines += [
        "",
        "`none`: no `rate_limit=`. `in-process`: `RateLimit("
        f"{args.limit}, period={args.window:g})` per process. `redis`: the same limit with "
        "`redis_url=` (one budget for the fleet). Target for `redis`: 0 answers 429 and "
        ">= 95 % of the budget used. The server caps successes at the budget in every mode; "
        "what the limiter buys is no 429 storm and no call failing on its deadline.",
        "",
        "The SDK spaces each window's slots a margin wider than the period (1 %, at least "
        "0.5 s) so the jitter between taking a slot and reaching the server never spills "
        "into the next window; over a long run that caps the share at "
        f"{args.window / guarded_period(args.window):.1%} for this {args.window:g} s window "
        f"and {60 / guarded_period(60):.0%} for Verisoul's 60 s one.",
        "",
    ]
    return "\n".join(lines)


CHILD_ARGS = ("limit", "window", "windows", "workers", "max_retries")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="concurrent calls per process")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--max_retries", type=int, default=2)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "REDIS_URL"))
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    if args.child:
        mode, url, redis_url = args.child
        asyncio.run(child_main(mode, url, redis_url, args))
        return
    results = []
    with redis_server() as redis_url:
        for mode in args.modes.split(","):
            result = run_mode(mode, redis_url, args)
            print(json.dumps(result), flush=True)
            results.append(result)
    report = render(results, args)
    print(report)
    if args.out:
        args.out.write_text(report)


if __name__ == "__main__":
    main()
