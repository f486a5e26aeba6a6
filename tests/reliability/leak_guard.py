"""Suite-wide secret check: no exception text, client repr or log record holds the key.

Every :class:`verisoul.VerisoulError` created anywhere in the suite is recorded (by
wrapping its ``__init__``), as is every client; after each test, the ``str`` and
``repr`` of each error, of the errors and httpx exceptions chained to it, of its
request and body, and the ``repr`` of each client still alive are checked for the test
key. ``tests/conftest.py`` wraps every test in :func:`checking_for_leaks`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import weakref
from collections.abc import Callable, Iterator

import pytest

import verisoul
from verisoul._async._base import AsyncBaseClient
from verisoul._exceptions import VerisoulError
from verisoul._sync._base import BaseClient

from ..conftest import TEST_KEY
from .figures import record

__all__ = ["check_recorded_errors", "checking_for_leaks", "texts_of"]

_errors: list[BaseException] = []
_clients: weakref.WeakSet[AsyncBaseClient | BaseClient] = weakref.WeakSet()


def _recording_clients(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def wrapper(self: AsyncBaseClient | BaseClient, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)
        _clients.add(self)

    return wrapper


def _recording_errors(self: VerisoulError, *args: object) -> None:
    Exception.__init__(self, *args)
    _errors.append(self)


def _install() -> None:
    """Record every error and client the suite creates (once per process)."""
    if VerisoulError.__init__ is _recording_errors:
        return
    VerisoulError.__init__ = _recording_errors  # type: ignore[method-assign,assignment]
    AsyncBaseClient.__init__ = _recording_clients(AsyncBaseClient.__init__)  # type: ignore[method-assign]
    BaseClient.__init__ = _recording_clients(BaseClient.__init__)  # type: ignore[method-assign]


def texts_of(error: BaseException) -> Iterator[str]:
    """Everything a user could print about ``error`` and the exceptions chained to it."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        if isinstance(current, verisoul.APIError) and current.request is not None:
            yield repr(current.request)
            yield str(current.request.url)
        body = getattr(current, "body", None)
        if body is not None:
            yield repr(body)
        current = current.__cause__ or current.__context__


def check_recorded_errors() -> int:
    """Check the errors recorded so far for the key, then forget them.

    Long tests (the soak) call it now and then so that the recorded errors, which keep
    their responses alive, do not look like a memory leak of the client.

    Returns:
        How many errors were checked.
    """
    errors = list(_errors)
    _errors.clear()
    leaks = [text[:200] for error in errors for text in texts_of(error) if TEST_KEY in text]
    assert leaks == [], "the API key leaked into: " + "; ".join(leaks)
    record("secrets: exceptions checked", len(errors))
    return len(errors)


@contextlib.contextmanager
def checking_for_leaks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Around one test: afterwards no error text, client repr or log record has the key."""
    _install()
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    _errors.clear()
    yield
    texts = [text for error in _errors for text in texts_of(error)]
    reprs = [repr(client) for client in list(_clients)]
    reprs += [repr(client._config.api_key) for client in list(_clients)]
    phases = caplog.get_records("setup") + caplog.get_records("call")
    logs = [r.getMessage() for r in phases]
    record("secrets: exceptions checked", len(_errors))
    record("secrets: texts checked (errors, reprs, log records)", len(texts + reprs + logs))
    _errors.clear()
    leaks = [text[:200] for text in texts + reprs + logs if TEST_KEY in text]
    assert leaks == [], "the API key leaked into: " + "; ".join(leaks)
