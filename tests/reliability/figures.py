"""Figures the reliability suite measures, printed at the end of the pytest run.

Tests add to :data:`FIGURES`; ``tests/conftest.py`` prints it from
``pytest_terminal_summary`` so CI logs show what was actually exercised.
"""

from __future__ import annotations

import collections
import threading

import pytest

__all__ = ["FIGURES", "MEASURES", "measure", "record", "write_summary"]

#: Counter name -> amount, summed over the whole run.
FIGURES: collections.Counter[str] = collections.Counter()
#: Measurements that are not sums (memory growth...), last value wins.
MEASURES: dict[str, str] = {}
_lock = threading.Lock()


def record(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the figure ``name`` (thread-safe)."""
    with _lock:
        FIGURES[name] += amount


def measure(name: str, value: str) -> None:
    """Keep a one-off measurement such as ``"memory growth": "12 KiB"``."""
    with _lock:
        MEASURES[name] = value


def write_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures, if the reliability tests ran."""
    if not FIGURES and not MEASURES:
        return
    terminalreporter.section("reliability figures")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {FIGURES[name]}")
    for name in sorted(MEASURES):
        terminalreporter.write_line(f"{name}: {MEASURES[name]}")
