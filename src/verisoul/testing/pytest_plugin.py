"""pytest fixtures for code that uses Verisoul, registered through a ``pytest11`` entry point.

Installing ``verisoul`` makes them available in every pytest run, with no set-up code:

- ``verisoul_fake``: a fresh :class:`~verisoul.testing.FakeVerisoul` per test.
- ``verisoul_client``: a :class:`verisoul.Verisoul` wired to it in-process (closed after).
- ``verisoul_async_client``: an :class:`verisoul.AsyncVerisoul` wired to it in-process.
  It is a plain fixture, so it works under anyio, pytest-asyncio or trio alike; it binds
  to the event loop of the test that first uses it. In-process it holds no socket, so
  nothing needs closing (``async with`` it if you like).
- ``verisoul_base_url``: the same fake served over HTTP on 127.0.0.1 for the test (for a
  client of your own, another process or a browser), e.g. ``http://127.0.0.1:54321``.

Loading the plugin imports :mod:`verisoul.testing` (and so httpx) when pytest starts; no
fixture runs unless a test asks for it. Disable the plugin with ``pytest -p no:verisoul``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ._fake import FakeVerisoul

if TYPE_CHECKING:
    from verisoul import AsyncVerisoul, Verisoul

__all__ = [
    "verisoul_async_client",
    "verisoul_base_url",
    "verisoul_client",
    "verisoul_fake",
]


@pytest.fixture
def verisoul_fake() -> FakeVerisoul:
    """A fresh in-memory Verisoul for this test."""
    return FakeVerisoul()


@pytest.fixture
def verisoul_client(verisoul_fake: FakeVerisoul) -> Iterator[Verisoul]:
    """A blocking client wired to ``verisoul_fake`` in-process."""
    with verisoul_fake.client() as client:
        yield client


@pytest.fixture
def verisoul_async_client(verisoul_fake: FakeVerisoul) -> AsyncVerisoul:
    """An async client wired to ``verisoul_fake`` in-process (asyncio or trio)."""
    return verisoul_fake.async_client()


@pytest.fixture
def verisoul_base_url(verisoul_fake: FakeVerisoul) -> Iterator[str]:
    """``verisoul_fake`` served over HTTP on 127.0.0.1 for this test: its base URL."""
    with verisoul_fake.serve() as base_url:
        yield base_url
