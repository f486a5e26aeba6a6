"""Fault injection and the optional rate limit: how the fake misbehaves on purpose.

A fault is armed for the next ``times`` requests, optionally only those to one route, and
consumed in the order armed. ``status`` faults answer before the request is processed; the
others let the route run and then spoil the answer (``drop`` can also skip processing).
"""

from __future__ import annotations

import collections
import math
import random
from collections.abc import Callable
from typing import Literal

import attrs

__all__ = ["Fault", "FaultPlan", "RateLimiter", "RouteFilter", "parse_route_filter"]

FaultKind = Literal["status", "delay", "drop", "malformed"]


@attrs.frozen
class Fault:
    """One kind of misbehaviour.

    Attributes:
        kind: ``"status"``, ``"delay"``, ``"drop"`` or ``"malformed"``.
        status: For ``status``: the HTTP status to answer.
        retry_after: For ``status``: the ``Retry-After`` header value, if any.
        body: For ``status`` and ``malformed``: the body bytes to send.
        seconds: For ``delay``: how long to wait before answering.
        process: For ``drop``: whether the request is applied before the connection drops
            (True imitates a response lost on the way back).
    """

    kind: FaultKind
    status: int = 200
    retry_after: str | None = None
    body: bytes = b""
    seconds: float = 0.0
    process: bool = False


@attrs.frozen
class RouteFilter:
    """Which requests a fault applies to.

    Attributes:
        method: Upper-case method, or None for any.
        path: A concrete path or a route template (``/account/{account_id}``), or None.
    """

    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str, template: str | None) -> bool:
        """Whether a request with this method, raw path and matched template is covered."""
        if self.method is not None and self.method != method:
            return False
        return self.path is None or self.path in (path, template)


def parse_route_filter(route: str | None) -> RouteFilter:
    """``None``, ``"/path"`` or ``"METHOD /path"`` -> :class:`RouteFilter`.

    Raises:
        ValueError: The route is not one of those forms.
    """
    if route is None:
        return RouteFilter()
    parts = route.split()
    if len(parts) == 1 and parts[0].startswith("/"):
        return RouteFilter(path=parts[0])
    if len(parts) == 2 and parts[1].startswith("/") and parts[0].isalpha():
        return RouteFilter(method=parts[0].upper(), path=parts[1])
    raise ValueError(f"route must look like '/path' or 'METHOD /path', not {route!r}")


@attrs.define
class _Armed:
    fault: Fault
    remaining: int
    where: RouteFilter


@attrs.frozen
class _RandomRule:
    fault: Fault
    rate: float
    where: RouteFilter


def _holds(handles: list[object], entry: object) -> bool:
    return any(handle is entry for handle in handles)


class FaultPlan:
    """Armed faults (consumed first-armed-first), then random ones.

    Not thread-safe: the app locks.
    """

    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._random: list[_RandomRule] = []
        self._rng = random.Random()

    def arm(self, fault: Fault, times: int, where: RouteFilter) -> object:
        """Apply ``fault`` to the next ``times`` matching requests; returns a handle.

        Raises:
            ValueError: ``times`` is below 1.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        armed = _Armed(fault, times, where)
        self._armed.append(armed)
        return armed

    def arm_random(
        self, fault: Fault, rate: float, where: RouteFilter, seed: int | None
    ) -> object:
        """Apply ``fault`` to each matching request with probability ``rate``; returns a handle.

        Raises:
            ValueError: ``rate`` is not within 0..1.
        """
        if not 0 <= rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if seed is not None:
            self._rng.seed(seed)
        rule = _RandomRule(fault, rate, where)
        self._random.append(rule)
        return rule

    def disarm(self, handles: list[object]) -> int:
        """Remove the faults behind ``handles`` (from :meth:`arm` / :meth:`arm_random`).

        Returns:
            How many armed answers were still unused.
        """
        unused = sum(armed.remaining for armed in self._armed if _holds(handles, armed))
        self._armed = [armed for armed in self._armed if not _holds(handles, armed)]
        self._random = [rule for rule in self._random if not _holds(handles, rule)]
        return unused

    def take(self, method: str, path: str, template: str | None) -> Fault | None:
        """The fault for this request: an armed one first (using one of its ``times``)."""
        for index, armed in enumerate(self._armed):
            if armed.where.matches(method, path, template):
                armed.remaining -= 1
                if armed.remaining == 0:
                    del self._armed[index]
                return armed.fault
        for rule in self._random:
            if rule.where.matches(method, path, template) and self._rng.random() < rule.rate:
                return rule.fault
        return None

    def pending(self) -> int:
        """How many faulty answers are still armed (random rules not counted)."""
        return sum(armed.remaining for armed in self._armed)

    def clear(self) -> None:
        """Disarm everything, random rules included."""
        self._armed.clear()
        self._random.clear()


class RateLimiter:
    """At most ``limit`` requests per sliding ``window`` seconds (Verisoul: 300 a minute).

    Not thread-safe: the app locks.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self._limit = limit
        self._window = window
        self._clock = clock
        self._accepted: collections.deque[float] = collections.deque()

    def admit(self) -> int | None:
        """Count one request; None when allowed, else the whole seconds to wait."""
        now = self._clock()
        while self._accepted and self._accepted[0] <= now - self._window:
            self._accepted.popleft()
        if len(self._accepted) >= self._limit:
            return max(1, math.ceil(self._accepted[0] + self._window - now))
        self._accepted.append(now)
        return None
