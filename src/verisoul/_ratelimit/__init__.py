"""A request budget shared by clients, processes and machines (``rate_limit=``).

``RateLimit`` is the public value; the client's request loop asks :func:`limiter_for`
for a limiter once, then, before every attempt, reserves a slot and sleeps until it.
"""

from __future__ import annotations

from ._limiter import (
    LOOP_SPARE,
    Limiter,
    allowed_wait,
    attempt_fits,
    budget_exhausted_error,
    limiter_for,
)
from ._spec import RateLimit
from ._window import Reservation

__all__ = [
    "LOOP_SPARE",
    "Limiter",
    "RateLimit",
    "Reservation",
    "allowed_wait",
    "attempt_fits",
    "budget_exhausted_error",
    "limiter_for",
]
