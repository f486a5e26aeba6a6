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


#: Calls in the asyncio soak (the first and last thousand are compared for memory).
#: CI-sized by default: at 256 in flight httpcore's pool spends O(concurrency) work per
#: request on every queued request, so each call costs ~10x its sequential CPU time.
#: ``nox -s reliability`` runs the full 10,000 (or ``--soak-calls N``).
SOAK_CALLS = _int_env("VERISOUL_SOAK_CALLS", 2_000)
#: Calls in the trio soak.
TRIO_SOAK_CALLS = _int_env("VERISOUL_TRIO_SOAK_CALLS", 1_000)
#: Calls in flight at once during the soak.
SOAK_CONCURRENCY = _int_env("VERISOUL_SOAK_CONCURRENCY", 256)
#: Cancelled calls per cancellation mechanism.
CANCEL_ITERATIONS = _int_env("VERISOUL_CANCEL_ITERATIONS", 200)
