"""Sizes of the load tests: CI-sized by default, larger through env vars (or nox).

``nox -s reliability -- --soak-calls 100000`` sets these variables for a long run.
"""

from __future__ import annotations

import os

__all__ = ["CANCEL_ITERATIONS", "SOAK_CALLS", "SOAK_CONCURRENCY", "TRIO_SOAK_CALLS"]


def _int_env(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return value


# CI-sized defaults. With 256 pooled connections httpcore 1.0.9 does work proportional
# to the square of the pool size on every request: one client manages only ~30 calls/s
# at 256 in flight here (~75 at 64, ~300 at 16). ``nox -s reliability`` runs the full
# soak: 10,000 calls per backend at 256 in flight (``-- --soak-calls N`` for more).

#: Calls in the asyncio soak (memory is compared between the first and the last
#: thousand calls, or halves of a shorter run).
SOAK_CALLS = _int_env("VERISOUL_SOAK_CALLS", 2_000)
#: Calls in the trio soak.
TRIO_SOAK_CALLS = _int_env("VERISOUL_TRIO_SOAK_CALLS", 1_000)
#: Calls in flight at once during the soak.
SOAK_CONCURRENCY = _int_env("VERISOUL_SOAK_CONCURRENCY", 64)
#: Cancelled calls per cancellation mechanism.
CANCEL_ITERATIONS = _int_env("VERISOUL_CANCEL_ITERATIONS", 200)
