"""A request budget shared by clients, processes and machines (``rate_limit=``).

``RateLimit`` is the public value; the client's request loop asks :func:`limiter_for`
for a limiter once, then, before every attempt, reserves a slot and sleeps until it.
"""

from __future__ import annotations

from ._limiter import Limiter, allowed_wait, budget_exhausted_error, limiter_for
from ._spec import RateLimit
from ._window import Reservation

__all__ = [
    "Limiter",
    "RateLimit",
    "Reservation",
    "allowed_wait",
    "budget_exhausted_error",
    "limiter_for",
]
