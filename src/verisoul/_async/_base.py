"""The I/O shell of AsyncVerisoul: one pooled httpx client and the retry loop.

Everything that decides (configuration, request shape, retry policy, error mapping,
parsing) lives in plain modules shared with the sync client; this file only sends,
sleeps and closes. ``_sync/_base.py`` is generated from it by ``scripts/unasync.py``.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
import weakref
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import attrs
import httpx

from .._cancellation import async_cancel_safe
from .._concurrency import (
    async_current_loop,
    async_run_blocking,
    async_sleep,
    foreign_loop_error,
)
from .._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    TimeoutTypes,
    resolve_config,
)
from .._endpoints import Endpoint, RequestParts
from .._exceptions import VerisoulError
from .._logging import configure_from_env as configure_logging_from_env
from .._logging import log_attempt, log_retry
from .._response import connection_error, deadline_error, parse_success, status_error
from .._retry import RetryClass, attempt_timeout, retry_delay_for_error, retry_delay_for_status
from .._transports import (
    Transport,
    async_http_pool,
    check_transport,  # unasync: drop
)
from .._urls import absolute_url
from .._validation import validate_headers

if TYPE_CHECKING:
    from .._ratelimit import Limiter, RateLimit

__all__ = ["AsyncBaseClient"]

_T = TypeVar("_T")
_Self = TypeVar("_Self", bound="AsyncBaseClient")

logger = logging.getLogger("verisoul")

_TRANSPORT_ERRORS = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError)


#: Clients whose pool must be dropped in a child process after ``os.fork()``.
_live_clients: weakref.WeakSet[AsyncBaseClient] = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    for client in list(_live_clients):
        client._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


class AsyncBaseClient:
    """Configuration, connection pool and the send/retry loop shared by every endpoint."""

    _config: ClientConfig
    _http: httpx.AsyncClient
    _owns_http: bool
    #: The connection layer; the blocking client always uses httpx's.
    _transport: Transport = "httpx"
    #: Headers sent with each request: None when the pool was built with them already.
    _request_headers: Mapping[str, str] | None
    _closed: bool
    _loop: object
    _limiter: Limiter | None

    def __init__(
        self,
        api_key: str | None = None,
        *,
        environment: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        transport: Transport | None = None,  # unasync: drop
        rate_limit: RateLimit | None = None,
    ) -> None:
        """Create a client; the connection pool is opened lazily by the first call.

        Args:
            api_key: Your secret Verisoul API key. Defaults to env ``VERISOUL_API_KEY``.
            environment: ``"sandbox"`` (default) or ``"production"``. Defaults to env
                ``VERISOUL_ENVIRONMENT``. With ``base_url``, only picks the hosted page.
            base_url: Override the API host (a proxy, or ``FakeVerisoul.serve()``). Defaults
                to env ``VERISOUL_BASE_URL`` when neither this nor ``environment`` is given.
            timeout: Per-attempt timeout, seconds or ``httpx.Timeout``. Default: 5 s to
                connect, 30 s for the rest. With an injected ``http_client`` and no explicit
                ``timeout``, that client's own timeout is used.
            max_retries: Extra attempts after a retryable failure (default 2).
            deadline: Total seconds for a whole call, retries and waits included
                (default None: bounded only by ``timeout`` and ``max_retries``).
            http_client: An ``httpx.AsyncClient`` to use as is (proxies, mTLS, event hooks).
                The SDK never closes a client it did not create.
            default_headers: Extra headers sent with every request.
            allow_insecure_http: Allow an ``http://`` base_url to a non-loopback host.
            transport: (AsyncVerisoul only) ``"httpx"`` (default) or ``"aiohttp"``
                (``pip install 'verisoul[aiohttp]'``): the same client code on aiohttp's
                faster connection layer. On the asyncio event loop only; trio uses httpx.
            rate_limit: A request budget to keep under, e.g. ``RateLimit(300)`` (300 per
                minute, shared by every client of this key in the process) or
                ``RateLimit(300, redis_url=...)`` (shared by the fleet). Calls wait for
                a free slot; ``LocalRateLimitError`` if none comes before the deadline.
                Default None: no pacing (Verisoul's 429s are retried as usual).

        Raises:
            VerisoulError: No API key, an unknown environment or an unsafe base_url.
            VerisoulError: (AsyncVerisoul only) ``transport="aiohttp"`` without its extra.
            TypeError, ValueError: An argument of the wrong type or range.
        """
        configure_logging_from_env()  # VERISOUL_LOG, once per process
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}"
            )
        if http_client is not None and timeout is DEFAULT_TIMEOUT:
            timeout = http_client.timeout
        self._config = resolve_config(
            api_key=api_key,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
        )
        self._transport = check_transport(transport, http_client)  # unasync: drop
        self._limiter = None
        if rate_limit is not None:
            from .._ratelimit import limiter_for

            self._limiter = limiter_for(self._config.api_key.reveal(), rate_limit)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http_client()
        # An injected client is the caller's: never change its defaults, send ours per request.
        self._request_headers = None if self._owns_http else self._config.headers
        self._closed = False
        self._loop = None
        _live_clients.add(self)

    def _new_http_client(self) -> httpx.AsyncClient:
        return async_http_pool(self._transport, self._config.headers)

    # -- public surface ---------------------------------------------------------------

    @property
    def base_url(self) -> httpx.URL:
        """The API root every request goes to."""
        return httpx.URL(self._config.base_url)

    @property
    def environment(self) -> str | None:
        """``"sandbox"`` or ``"production"``; None when a ``base_url`` was given."""
        return self._config.environment

    @property
    def timeout(self) -> httpx.Timeout:
        """The per-attempt timeout."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """Extra attempts after a retryable failure."""
        return self._config.max_retries

    @property
    def deadline(self) -> float | None:
        """Total seconds per call, or None."""
        return self._config.deadline

    @property
    def is_closed(self) -> bool:
        """True once :meth:`aclose` ran (or the injected http client was closed)."""
        return self._closed or self._http.is_closed

    def with_options(
        self: _Self,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _Self:
        """A client with other defaults that shares this one's connection pool.

        The copy never closes the pool; close the original when done.

        Args:
            timeout: New per-attempt timeout (None: keep this client's).
            max_retries: New number of extra attempts (None: keep this client's).
            deadline: New total seconds per call (None: keep this client's).
            default_headers: Headers added to (or replacing) this client's extra headers
                on every call of the copy; checked like the constructor's.

        Returns:
            A client of the same class, sharing the pool.

        Raises:
            TypeError, ValueError: An argument of the wrong type or range, or a header
                that cannot be sent or is reserved (``x-api-key``...).
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._config = self._config.with_overrides(timeout, max_retries, deadline)
        if default_headers is not None:
            headers = {**clone._config.headers}
            headers.update(validate_headers(default_headers, "default_headers"))
            clone._config = attrs.evolve(clone._config, headers=headers)
            clone._request_headers = headers  # the shared pool was built with the old ones
        clone._owns_http = False
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (only if the SDK created it). Idempotent.

        Raises:
            VerisoulError: (AsyncVerisoul only) Called from another event loop than the
                one that used the client: its connections belong to that loop and cannot
                be closed here (the client is marked closed all the same).
        """
        self._closed = True
        if self._owns_http:
            if self._loop is not None and async_current_loop() is not self._loop:
                raise self._foreign_loop_error()
            await self._http.aclose()

    async def __aenter__(self: _Self) -> _Self:
        self._ensure_usable()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"max_retries={self._config.max_retries}, closed={self.is_closed})"
        )

    def __del__(self) -> None:
        # Never schedule I/O from a finaliser (it may run on another loop or none):
        # only tell the developer, like files and sockets do.
        if getattr(self, "_owns_http", False) and not getattr(self, "_closed", True):
            warnings.warn(
                f"{type(self).__name__} was garbage-collected without being closed; "
                "use 'async with' or call aclose()",
                ResourceWarning,
                stacklevel=1,
            )

    # -- the I/O loop ---------------------------------------------------------------

    def _clock(self) -> float:
        """Monotonic seconds; tests replace it on the instance."""
        return time.monotonic()

    async def _sleep(self, seconds: float) -> None:
        """Wait between attempts; tests replace it on the instance."""
        await async_sleep(seconds)

    def _after_fork(self) -> None:
        # The parent's sockets (and TLS state) must not be shared: drop them unclosed.
        if self._owns_http and not self._closed:
            self._http = self._new_http_client()
        self._loop = None

    def _ensure_usable(self) -> None:
        if self._closed or self._http.is_closed:
            raise VerisoulError(f"This {type(self).__name__} is closed; create a new client.")
        loop = async_current_loop()
        if loop is not self._loop:
            if self._loop is not None:
                raise self._foreign_loop_error()
            self._loop = loop

    def _foreign_loop_error(self) -> VerisoulError:
        return foreign_loop_error(type(self).__name__)

    async def _call(
        self,
        endpoint: Endpoint[_T],
        parts: RequestParts,
        timeout: TimeoutTypes | None,
        max_retries: int | None,
        deadline: float | None,
        extra_headers: Mapping[str, str] | None,
    ) -> _T:
        """Send one declared operation: the only path from a public method to the wire."""
        return await self._request(
            endpoint.method,
            endpoint.render_path(parts.path_params),
            endpoint.parse,
            params=parts.params,
            json=parts.json,
            retry=endpoint.retry,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            extra_headers=extra_headers,
        )

    async def _request(
        self,
        method: str,
        path: str,
        parse: Callable[[object], _T],
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        retry: RetryClass = RetryClass.IDEMPOTENT,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> _T:
        config = self._config.with_overrides(timeout, max_retries, deadline)
        headers = self._request_headers
        if extra_headers:
            headers = {**(headers or {}), **validate_headers(extra_headers, "extra_headers")}
        self._ensure_usable()
        request = self._http.build_request(
            method,
            absolute_url(self._config.base_url, path),
            params=params,
            json=json,
            headers=headers,
        )
        clock = self._clock
        started = clock()
        deadline_at = None if config.deadline is None else started + config.deadline
        attempts = 0
        last_error: Exception | None = None
        while True:
            if self._limiter is not None:
                await self._wait_for_rate_slot(
                    self._limiter, request, deadline_at, attempts, last_error
                )
            attempt_started = clock()
            limits = attempt_timeout(config.timeout, deadline_at, attempt_started)
            if limits is None:
                raise deadline_error(request, config.deadline or 0.0, attempts, last_error)
            request.extensions["timeout"] = limits
            attempts += 1
            try:
                response = await async_cancel_safe(
                    lambda: self._send(request, deadline_at), self._http
                )
            except _TRANSPORT_ERRORS as exc:
                self._log(request, attempts, attempt_started, None, exc)
                delay = retry_delay_for_error(exc, retry, attempts - 1, config.max_retries)
                if delay is None:
                    raise connection_error(exc, request, retry, attempts) from exc
                last_error = connection_error(exc, request, retry, attempts)
            else:
                if logger.isEnabledFor(logging.INFO):
                    self._log(request, attempts, attempt_started, response, None)
                if response.is_success:
                    return parse_success(response, parse, attempts)
                delay = retry_delay_for_status(response, retry, attempts - 1, config.max_retries)
                if delay is None:
                    raise status_error(response, attempts)
                last_error = status_error(response, attempts)
            if deadline_at is not None and clock() + delay > deadline_at:
                raise deadline_error(request, config.deadline or 0.0, attempts, last_error)
            log_retry(request, delay, attempts, last_error)
            await self._sleep(delay)

    async def _send(self, request: httpx.Request, deadline_at: float | None) -> httpx.Response:
        """Send one attempt and read its body, giving up between chunks past the deadline.

        httpx's read timeout bounds each read, not the body: one that trickles in just
        fast enough would otherwise outlive the call's deadline.
        """
        if deadline_at is None:
            return await self._http.send(request)
        response = await self._http.send(request, stream=True)
        chunks: list[bytes] = []
        late = False
        try:
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                if self._clock() > deadline_at:
                    # Hang up instead of leaving the loop: the next read fails inside httpx
                    # and unwinds its nested stream generators (some backends warn about unfinished
                    # ones).
                    late = True
                    await response.aclose()
        except _TRANSPORT_ERRORS:
            if not late:
                raise
        finally:
            await response.aclose()
        if late:
            raise httpx.ReadTimeout(
                "the call's deadline passed while the body was arriving", request=request
            )
        headers = response.headers.copy()
        headers.pop("content-encoding", None)  # the chunks are decoded already
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=request,
            extensions=response.extensions,
        )

    async def _wait_for_rate_slot(
        self,
        limiter: Limiter,
        request: httpx.Request,
        deadline_at: float | None,
        attempts: int,
        last_error: Exception | None,
    ) -> None:
        """Take the next slot of the ``rate_limit=`` budget and sleep until it.

        Raises ``LocalRateLimitError`` at once when the slot comes too late for an
        attempt to fit before the deadline; before a retry, ``from`` the last attempt's
        error. With no time left for any attempt, takes no slot: the loop then raises
        the deadline's error, as it would without a budget.
        """
        from .._ratelimit import LOOP_SPARE, allowed_wait, attempt_fits, budget_exhausted_error

        if not attempt_fits(deadline_at, self._clock()):
            return
        max_wait = allowed_wait(limiter, deadline_at, self._clock())
        if limiter.blocking:
            reservation = await async_run_blocking(limiter.reserve, max_wait)
        else:
            reservation = limiter.reserve(max_wait)
        # Measured again after the reservation (a Redis round trip takes time): a slot
        # granted at the very edge of the wait allowed would leave no room for the attempt.
        max_wait = allowed_wait(limiter, deadline_at, self._clock())
        if not reservation.granted or (max_wait is not None and reservation.wait > max_wait):
            raise budget_exhausted_error(
                request, limiter, reservation, attempts, last_error
            ) from last_error
        if reservation.wait > 0:
            await self._sleep(reservation.wait)
            if not attempt_fits(deadline_at, self._clock(), LOOP_SPARE):
                raise budget_exhausted_error(
                    request, limiter, reservation, attempts, last_error
                ) from last_error

    def _log(
        self,
        request: httpx.Request,
        attempt: int,
        started: float,
        response: httpx.Response | None,
        error: Exception | None,
    ) -> None:
        log_attempt(request, attempt, self._clock() - started, response, error)
