"""Which connection layer a client's ``httpx`` pool runs on: the transport switch.

``transport="httpx"`` (the default) is httpx's own transport (httpcore), split into
single-connection shards (``_pool``) so that httpcore's pool bookkeeping does not grow
with the number of connections. ``"aiohttp"`` keeps the same ``httpx.AsyncClient`` code but
sends through aiohttp (``pip install 'verisoul[aiohttp]'``), asyncio only. The two pool
builders are hand-written twins, ``async_http_pool`` / ``http_pool``, like those in
``_concurrency``: the generated sync client calls the second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import httpx

from ._config import DEFAULT_LIMITS
from ._exceptions import VerisoulError
from ._pool import AsyncShardedTransport, ShardedTransport

__all__ = ["TRANSPORTS", "Transport", "async_http_pool", "check_transport", "http_pool"]

Transport = Literal["httpx", "aiohttp"]
TRANSPORTS: Final = ("httpx", "aiohttp")

_MISSING_EXTRA = (
    "transport='aiohttp' needs the optional extra: pip install 'verisoul[aiohttp]' "
    "(it installs httpx-aiohttp and aiohttp)."
)
_ASYNC_ONLY = (
    "transport='aiohttp' is for AsyncVerisoul on asyncio; Verisoul (sync) uses httpx's own "
    "transport (transport='httpx' or leave it out)."
)


def check_transport(transport: str | None, http_client: object) -> Transport:
    """Validate the ``transport`` constructor argument; None means ``"httpx"``.

    Raises:
        TypeError: Not a string.
        ValueError: An unknown name, or a transport together with ``http_client``
            (an injected client keeps its own transport).
    """
    if transport is None:
        return "httpx"
    if not isinstance(transport, str):
        raise TypeError(f"transport must be a str, not {type(transport).__name__}")
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
    if http_client is not None:
        raise ValueError(
            "Pass either transport= or http_client=, not both: an injected http_client keeps "
            "its own transport."
        )
    return "aiohttp" if transport == "aiohttp" else "httpx"


def async_http_pool(
    transport: Transport, headers: Mapping[str, str], proxy: httpx.Proxy | None = None
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` an ``AsyncVerisoul`` owns, on the chosen transport.

    ``headers`` (the API key...) become the pool's defaults: merging them into every request
    instead costs more CPU than the rest of building it. On httpx's transport the pool is
    sharded (:class:`~verisoul._pool.AsyncShardedTransport`), unless the SDK chose a proxy
    (``_proxies.env_proxy``; the pool never reads proxy variables itself): a proxied pool
    is httpx's single one.

    Raises:
        VerisoulError: ``"aiohttp"`` without the ``aiohttp`` extra installed.
    """
    if transport == "aiohttp":
        try:
            from ._aiohttp_transport import VerisoulAiohttpTransport
        except ImportError as exc:
            raise VerisoulError(_MISSING_EXTRA) from exc
        aiohttp = VerisoulAiohttpTransport(limits=DEFAULT_LIMITS, proxy=proxy)
        return httpx.AsyncClient(transport=aiohttp, headers=headers, follow_redirects=False)
    if proxy is not None:
        pool = httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS, proxy=proxy)
        return httpx.AsyncClient(transport=pool, headers=headers, follow_redirects=False)
    sharded = AsyncShardedTransport(DEFAULT_LIMITS)
    return httpx.AsyncClient(transport=sharded, headers=headers, follow_redirects=False)


def http_pool(
    transport: Transport, headers: Mapping[str, str], proxy: httpx.Proxy | None = None
) -> httpx.Client:
    """The ``httpx.Client`` a ``Verisoul`` owns, with ``headers`` as its defaults.

    The blocking client only has httpx's own transport.

    Raises:
        VerisoulError: ``"aiohttp"``, which has no blocking flavour.
    """
    if transport == "aiohttp":
        raise VerisoulError(_ASYNC_ONLY)
    if proxy is not None:
        pool = httpx.HTTPTransport(limits=DEFAULT_LIMITS, proxy=proxy)
        return httpx.Client(transport=pool, headers=headers, follow_redirects=False)
    sharded = ShardedTransport(DEFAULT_LIMITS)
    return httpx.Client(transport=sharded, headers=headers, follow_redirects=False)
