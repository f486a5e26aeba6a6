"""The I/O shell of AsyncVerisoul: one pooled httpx client and the retry loop.

Everything that decides (configuration, request shape, retry policy, error mapping,
parsing) lives in plain modules shared with the sync client; this file only sends,
sleeps and closes. ``_sync/_base.py`` is generated from it by ``scripts/unasync.py``.
"""

from __future__ import annotations

import functools
import logging
import os
import time
import warnings
import weakref
from collections.abc import AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import attrs
import httpx

from .._attempt_time import async_bound_pool
from .._body import (
    DEFAULT_MAX_RESPONSE_BYTES,
    TOO_LARGE,
    BodyBuffer,
    BodyTooLarge,
    decodes_raw,
)
from .._cancellation import async_cancel_safe, forget_all_connections
from .._concurrency import (
    async_current_loop,
    async_run_blocking,
    async_sleep,
    async_time_limit,
    foreign_loop_error,
)
from .._config import (
    DEFAULT_MAX_RETRIES,
    TIMEOUT_NOT_GIVEN,
    ClientConfig,
    TimeoutTypes,
    resolve_config,
)
from .._endpoints import Endpoint, RequestParts
from .._exceptions import APIError, APITimeoutError, VerisoulError
from .._logging import configure_from_env as configure_logging_from_env
from .._logging import log_attempt, log_retry
from .._proxies import env_proxy
from .._response import connection_error, deadline_error, parse_success, status_error
from .._retry import (
    MIN_ATTEMPT_TIME,
    RetryClass,
    attempt_budget,
    attempt_timeout,
    retry_delay_for_error,
    retry_delay_for_status,
)
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


#: Every connection pool a client (or its copies) sends through: in a child process after
#: ``os.fork()`` each must stop using the parent's sockets.
_live_pools: weakref.WeakSet[AsyncSharedPool] = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    for pool in list(_live_pools):
        pool.after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


async def _one_chunk(content: bytes) -> AsyncIterator[bytes]:
    yield content


class AsyncSharedPool:
    """The ``httpx`` client that a Verisoul client and all its ``with_options`` copies share.

    It is the one place that knows which loop the connections belong to, whether they
    are closed, and how to get fresh ones in a forked child; being shared, a copy
    can never hold stale state of its own. Every instance is registered for fork at
    creation.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        build: Callable[[], httpx.AsyncClient] | None,
        owner: str,
    ) -> None:
        self.http = http
        #: Rebuilds an owned pool (None: an injected client, the caller's).
        self.build = build
        self.owner = owner
        self.closed = False
        #: The loop the connections belong to (None until first use).
        self.loop: object = None
        _live_pools.add(self)

    @property
    def owned(self) -> bool:
        return self.build is not None

    @property
    def is_closed(self) -> bool:
        return self.closed or self.http.is_closed

    def after_fork(self) -> None:
        """In the child: never touch the parent's sockets (they are dropped, not closed)."""
        if self.build is not None:
            if not self.closed:
                self.http = self.build()
        else:
            forget_all_connections(self.http)
        self.loop = None

    def foreign_loop_error(self) -> VerisoulError:
        return foreign_loop_error(self.owner)

    def bind_loop(self) -> None:
        """Remember the running loop on first use; refuse any other one afterwards."""
        loop = async_current_loop()
        if loop is not self.loop:
            if self.loop is not None:
                raise self.foreign_loop_error()
            self.loop = loop

    async def aclose(self) -> None:
        self.closed = True
        if self.build is not None:
            if self.loop is not None and async_current_loop() is not self.loop:
                raise self.foreign_loop_error()
            await self.http.aclose()

    def __del__(self) -> None:
        # Never schedule I/O from a finaliser (it may run on another loop or none):
        # only tell the developer, like files and sockets do. The pool goes when the
        # client and every copy of it are gone.
        if getattr(self, "build", None) is not None and not getattr(self, "closed", True):
            warnings.warn(
                f"{self.owner} was garbage-collected without being closed; "
                "use 'async with' or call aclose()",
                ResourceWarning,
                stacklevel=1,
            )


class AsyncBaseClient:
    """Configuration, connection pool and the send/retry loop shared by every endpoint."""

    _config: ClientConfig
    _pool: AsyncSharedPool
    #: True for the client that created the pool, False for its ``with_options`` copies.
    _is_original: bool
    #: The connection layer; the blocking client always uses httpx's.
    _transport: Transport = "httpx"
    #: Headers sent with each request: None when the pool was built with them already.
    _request_headers: Mapping[str, str] | None
    _closed: bool
    _limiter: Limiter | None

    def __init__(
        self,
        api_key: str | None = None,
        *,
        environment: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes = TIMEOUT_NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        transport: Transport | None = None,  # unasync: drop
        rate_limit: RateLimit | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        """Create a client; the connection pool is opened lazily by the first call.

        Args:
            api_key: Your secret Verisoul API key. Defaults to env ``VERISOUL_API_KEY``.
            environment: ``"sandbox"`` (default) or ``"production"``. Defaults to env
                ``VERISOUL_ENVIRONMENT``. With ``base_url``, only picks the hosted page.
            base_url: Override the API host (a proxy, or ``FakeVerisoul.serve()``). Defaults
                to env ``VERISOUL_BASE_URL`` when neither this nor ``environment`` is given.
            timeout: Per-attempt timeout, seconds or ``httpx.Timeout``. Default: 5 s to
                connect, 30 s for the rest. Each attempt as a whole also ends within the
                largest of these values, however slowly the server sends. With an injected
                ``http_client`` and no ``timeout`` argument, that client's own timeout is
                used.
            max_retries: Extra attempts after a retryable failure (default 2).
            deadline: Total seconds for a whole call, retries and waits included
                (default None: bounded only by ``timeout`` and ``max_retries``).
            http_client: An ``httpx.AsyncClient`` to use as is (proxies, mTLS, event hooks).
                The SDK never closes a client it did not create, and never follows
                redirects, whatever the client's ``follow_redirects``.
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
            max_response_bytes: The largest response body accepted, decoded (default
                8 MiB). A larger one is not read: the attempt ends, its connection is
                dropped, and the error's message names the limit.

        Raises:
            VerisoulError: No API key, an unknown environment or an unsafe base_url; an
                environment proxy variable (``HTTPS_PROXY``...) that cannot be used.
            VerisoulError: (AsyncVerisoul only) ``transport="aiohttp"`` without its extra.
            TypeError, ValueError: An argument of the wrong type or range.
        """
        configure_logging_from_env()  # VERISOUL_LOG, once per process
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}"
            )
        if timeout is TIMEOUT_NOT_GIVEN and http_client is not None:
            timeout = http_client.timeout
        config = resolve_config(
            api_key=api_key,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
            max_response_bytes=max_response_bytes,
        )
        self._transport = check_transport(transport, http_client)  # unasync: drop
        chosen = self._transport
        limiter = None
        if rate_limit is not None:
            from .._ratelimit import limiter_for

            limiter = limiter_for(config.api_key.reveal(), rate_limit)
        if http_client is None:
            proxy = env_proxy(config.base_url, socks_supported=chosen != "aiohttp")
            headers = config.headers

            def build() -> httpx.AsyncClient:
                http = async_http_pool(chosen, headers, proxy=proxy)
                async_bound_pool(http)
                return http

            pool = AsyncSharedPool(build(), build=build, owner=type(self).__name__)
        else:
            async_bound_pool(http_client)  # inert outside the SDK's own attempts
            pool = AsyncSharedPool(http_client, build=None, owner=type(self).__name__)
        self._setup(config, pool, chosen, limiter, original=True)

    def _setup(
        self,
        config: ClientConfig,
        pool: AsyncSharedPool,
        transport: Transport,
        limiter: Limiter | None,
        *,
        original: bool,
    ) -> None:
        """Set every attribute a client has: the one path for clients and their copies."""
        self._config = config
        self._pool = pool
        self._is_original = original
        self._transport = transport
        self._limiter = limiter
        # An injected client is the caller's: never change its defaults, send ours per request.
        self._request_headers = None if pool.owned else config.headers
        self._closed = False

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client calls go through (replaced in a forked child)."""
        return self._pool.http

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
    def max_response_bytes(self) -> int:
        """The largest response body accepted, decoded."""
        return self._config.max_response_bytes

    @property
    def is_closed(self) -> bool:
        """True once :meth:`aclose` ran on this client or on its original.

        Also True when an injected http client was closed.
        """
        return self._closed or self._pool.is_closed

    def with_options(
        self: _Self,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _Self:
        """A client with other defaults that shares this one's connection pool.

        The copy shares everything that holds connections (the pool, the loop it
        belongs to, what happens to it after ``os.fork()``). Closing the copy ends the copy only:
        it then refuses calls, and the pool stays open for the original and its other
        copies. Closing the original closes the pool, and so every copy.

        Args:
            timeout: New per-attempt timeout (None: keep this client's).
            max_retries: New number of extra attempts (None: keep this client's).
            deadline: New total seconds per call (None: keep this client's).
            max_response_bytes: New body size limit (None: keep this client's).
            default_headers: Headers added to (or replacing) this client's extra headers
                on every call of the copy; checked like the constructor's.

        Returns:
            A client of the same class, sharing the pool.

        Raises:
            TypeError, ValueError: An argument of the wrong type or range, or a header
                that cannot be sent or is reserved (``x-api-key``...).
        """
        config = self._config.with_overrides(
            timeout, max_retries, deadline, max_response_bytes=max_response_bytes
        )
        if default_headers is not None:
            headers = {**config.headers, **validate_headers(default_headers, "default_headers")}
            config = attrs.evolve(config, headers=headers)
        clone = type(self).__new__(type(self))
        clone._setup(config, self._pool, self._transport, self._limiter, original=False)
        if default_headers is not None:
            clone._request_headers = config.headers  # the shared pool has the old ones
        return clone

    async def aclose(self) -> None:
        """Close this client. Idempotent.

        On the client you created, this closes the connection pool (unless it is an
        injected ``http_client``, which stays the caller's): every ``with_options`` copy
        is closed with it. On a copy, only the copy is closed.

        Raises:
            VerisoulError: (AsyncVerisoul only) Called from another event loop than the
                one that used the client: its connections belong to that loop and cannot
                be closed here (the client is marked closed all the same).
        """
        self._closed = True
        if self._is_original:
            await self._pool.aclose()

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

    # -- the I/O loop ---------------------------------------------------------------

    def _clock(self) -> float:
        """Monotonic seconds; tests replace it on the instance."""
        return time.monotonic()

    async def _sleep(self, seconds: float) -> None:
        """Wait between attempts; tests replace it on the instance."""
        await async_sleep(seconds)

    def _ensure_usable(self) -> None:
        if self.is_closed:
            raise VerisoulError(f"This {type(self).__name__} is closed; create a new client.")
        self._pool.bind_loop()

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
            endpoint.parser_for(parts),
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
        if extra_headers is not None:  # an empty or wrong-typed value is still checked
            headers = {**(headers or {}), **validate_headers(extra_headers, "extra_headers")}
        self._ensure_usable()
        http = self._http
        request = http.build_request(
            method,
            absolute_url(self._config.base_url, path),
            params=params,
            json=json,
            headers=headers,
        )
        clock = self._clock
        started = clock()
        deadline_at = None if config.deadline is None else started + config.deadline
        budget = attempt_budget(config.timeout)
        attempts = 0
        last_error: APIError | None = None
        while True:
            if self._limiter is not None:
                await self._wait_for_rate_slot(
                    self._limiter, request, deadline_at, attempts, last_error
                )
            attempt_started = clock()
            limits = attempt_timeout(config.timeout, deadline_at, attempt_started)
            if limits is None:
                error = deadline_error(request, config.deadline or 0.0, attempts, last_error)
                raise error from last_error
            request.extensions["timeout"] = limits
            attempt_end = deadline_at
            if budget is not None:
                own_end = attempt_started + budget
                attempt_end = own_end if attempt_end is None else min(attempt_end, own_end)
            attempts += 1
            try:
                response = await async_cancel_safe(
                    functools.partial(
                        self._send, http, request, attempt_end, config.max_response_bytes
                    ),
                    http,
                )
            except _TRANSPORT_ERRORS as exc:
                self._log(request, attempts, attempt_started, None, exc)
                delay = retry_delay_for_error(exc, retry, attempts - 1, config.max_retries)
                if delay is None:
                    raise connection_error(exc, request, retry, attempts) from exc
                last_error = connection_error(exc, request, retry, attempts)
                last_error.__cause__ = exc
            else:
                if logger.isEnabledFor(logging.INFO):
                    self._log(request, attempts, attempt_started, response, None)
                if response.is_success:
                    return parse_success(response, parse, attempts)
                delay = retry_delay_for_status(response, retry, attempts - 1, config.max_retries)
                if delay is None:
                    raise status_error(response, attempts)
                last_error = status_error(response, attempts)
            if deadline_at is not None and clock() + delay + MIN_ATTEMPT_TIME > deadline_at:
                # No room for the wait and another attempt: the last failure is the answer
                # (a 429 stays a RateLimitError with its retry_after). Only a timeout
                # becomes the deadline's APITimeoutError, chaining it.
                if isinstance(last_error, APITimeoutError):
                    error = deadline_error(request, config.deadline or 0.0, attempts, last_error)
                    raise error from last_error
                raise last_error from last_error.__cause__
            log_retry(request, delay, attempts, last_error)
            await self._sleep(delay)

    async def _send(
        self,
        http: httpx.AsyncClient,
        request: httpx.Request,
        attempt_end: float | None,
        max_bytes: int,
    ) -> httpx.Response:
        """Send one attempt and read its body, within the attempt's time and size limits.

        httpx's timeouts bound each read, not the attempt: a body (or headers) trickling
        in just fast enough would otherwise keep it alive for as long as the server wants.
        The time left is checked between body chunks; a cancellable attempt is cancelled
        at ``attempt_end`` wherever it waits, and in the blocking client each socket
        operation gets only the time left (``_attempt_time``). Redirects are never
        followed, whatever the client's settings: the key must not go to another origin.
        """
        left = None if attempt_end is None else max(0.0, attempt_end - self._clock())
        result: httpx.Response | None = None
        with async_time_limit(left):
            response = await http.send(request, stream=True, follow_redirects=False)
            try:
                result = await self._read_body(response, attempt_end, max_bytes)
            finally:
                await response.aclose()
        if result is None:  # the time limit cancelled the attempt
            raise httpx.ReadTimeout("the attempt's time ran out", request=request)
        return result

    async def _read_body(
        self, response: httpx.Response, attempt_end: float | None, max_bytes: int
    ) -> httpx.Response:
        try:
            # In memory already (a MockTransport's response, an event hook that read it).
            chunks: AsyncIterator[bytes] = _one_chunk(response.content)
            raw = False
        except httpx.ResponseNotRead:
            raw = decodes_raw(response.headers)
            chunks = response.aiter_raw() if raw else response.aiter_bytes()
        buffer = BodyBuffer(response.headers, max_bytes, raw=raw)
        stop: str | None = None
        try:
            async for chunk in chunks:
                if stop is not None:
                    continue
                try:
                    buffer.feed(chunk)
                except BodyTooLarge:
                    stop = "too large"
                if stop is None and attempt_end is not None and self._clock() > attempt_end:
                    stop = "late"
                if stop is not None:
                    # Hang up instead of leaving the loop: the next read fails inside httpx
                    # and unwinds its nested stream generators (some backends warn about
                    # unfinished ones). The connection is not reused.
                    await response.aclose()
        except _TRANSPORT_ERRORS:
            if stop is None:
                raise
        request = response.request
        if stop == "late":
            raise httpx.ReadTimeout("the attempt's time ran out", request=request)
        headers = response.headers.copy()
        headers.pop("content-encoding", None)  # the body is decoded already
        extensions = dict(response.extensions)
        body = b""
        if stop == "too large":
            extensions[TOO_LARGE] = max_bytes
        else:
            body = buffer.body()
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=body,
            request=request,
            extensions=extensions,
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
