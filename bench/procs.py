"""Child processes of the benchmark: the pinned server and the pinned measurement workers.

The server runs on core 0 and every client process on core 1 (where ``taskset`` exists and
the machine has two cores), so the client's numbers are not disturbed by the server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = 0
CLIENT_CORE = 1


def pinning_available() -> bool:
    """Whether server and client can be pinned to different cores."""
    return shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) >= 2


def pinned(core: int, argv: Sequence[str]) -> list[str]:
    """``argv`` prefixed with ``taskset -c core`` when pinning is available."""
    if pinning_available():
        return ["taskset", "-c", str(core), *argv]
    return list(argv)


def python_argv(*args: str) -> list[str]:
    """The current interpreter (same venv) run with ``args``."""
    return [sys.executable, *args]


@contextmanager
def running_server() -> Iterator[str]:
    """Start the loopback server on its own core; yield its base URL; stop it."""
    argv = pinned(SERVER_CORE, python_argv("-m", "bench.server"))
    proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"bench server failed to start (got {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_worker(job: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
    """Run one measurement job in a fresh pinned interpreter; return its JSON result."""
    argv = pinned(CLIENT_CORE, python_argv("-m", "bench.worker", json.dumps(job)))
    done = subprocess.run(
        argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench worker failed for {job}:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_python(code: str, *flags: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python [flags] -c code`` in a fresh pinned interpreter."""
    argv = pinned(CLIENT_CORE, python_argv(*flags, "-c", code))
    return subprocess.run(
        argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout, check=True
    )
