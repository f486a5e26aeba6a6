"""A process-wide, thread-safe table of shared budget objects, safe across ``fork()``."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Registry"]


class _ForkAware(Protocol):
    def after_fork(self) -> None: ...


_V = TypeVar("_V", bound=_ForkAware)

#: Every registry (they are module-level singletons, never freed).
_registries: list[Registry[Any]] = []


class Registry(Generic[_V]):
    """``get(key, make)`` returns the one value for ``key``, creating it once.

    After a fork the child gets fresh locks (another thread of the parent may have held
    one at the fork) and every value's ``after_fork()`` is called.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, _V] = {}
        self._lock = threading.Lock()
        _registries.append(self)

    def get(self, key: Hashable, make: Callable[[], _V]) -> _V:
        """The value for ``key``; ``make()`` builds it the first time."""
        with self._lock:
            value = self._values.get(key)
            if value is None:
                value = make()
                self._values[key] = value
            return value

    def clear(self) -> None:
        """Forget every value (tests)."""
        with self._lock:
            self._values.clear()

    def after_fork(self) -> None:
        """Fresh locks for the child process."""
        self._lock = threading.Lock()
        for value in self._values.values():
            value.after_fork()


def _after_fork_in_child() -> None:
    for registry in _registries:
        registry.after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
