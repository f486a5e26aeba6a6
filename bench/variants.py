"""The clients under test, each doing the same request: ``GET /liveness/session``.

Raw httpx variants are the baselines: they send the same request with the same header and
decode the JSON body, which is the least any SDK must do. Imports happen inside ``open`` so a
worker process only loads what its variant needs (peak RSS and import cost stay honest).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

API_KEY = "bench-key-not-a-secret"
SESSION_PATH = "/liveness/session"


@dataclass(frozen=True)
class Variant:
    """One client configuration.

    Attributes:
        name: Short id used on the command line and in the JSON.
        label: Table label.
        is_async: Whether ``call``/``close`` return awaitables.
        open: Build a client for a base URL.
        call: Do one request with a client; returns the decoded result.
        close: Close a client.
        needs: Modules that must be importable for the variant to run.
    """

    name: str
    label: str
    is_async: bool
    open: Callable[[str], Any]
    call: Callable[[Any], Any]
    close: Callable[[Any], Any]
    needs: tuple[str, ...] = ()

    @property
    def baseline(self) -> str:
        """The raw httpx variant its ratios are computed against."""
        return "raw-async" if self.is_async else "raw-sync"

    def missing(self) -> str | None:
        """Why the variant cannot run here, or None when it can."""
        for module in self.needs:
            if importlib.util.find_spec(module) is None:
                return f"{module} is not installed"
        if self.name.startswith("sdk"):
            import verisoul

            if not hasattr(verisoul, "AsyncVerisoul"):
                return "verisoul has no client yet"
        return None


def _raw_async(base_url: str) -> Any:
    import httpx

    return httpx.AsyncClient(base_url=base_url, headers={"x-api-key": API_KEY})


def _raw_async_aiohttp(base_url: str) -> Any:
    import httpx
    from httpx_aiohttp import AiohttpTransport

    return httpx.AsyncClient(
        base_url=base_url, headers={"x-api-key": API_KEY}, transport=AiohttpTransport()
    )


def _raw_sync(base_url: str) -> Any:
    import httpx

    return httpx.Client(base_url=base_url, headers={"x-api-key": API_KEY})


async def _raw_async_call(client: Any) -> Any:
    response = await client.get(SESSION_PATH)
    response.raise_for_status()
    return response.json()


def _raw_sync_call(client: Any) -> Any:
    response = client.get(SESSION_PATH)
    response.raise_for_status()
    return response.json()


def _sdk_async(transport: Literal["httpx", "aiohttp"] | None) -> Callable[[str], Any]:
    def open_client(base_url: str) -> Any:
        from verisoul import AsyncVerisoul

        return AsyncVerisoul(api_key=API_KEY, base_url=base_url, transport=transport)

    return open_client


def _sdk_sync(base_url: str) -> Any:
    from verisoul import Verisoul

    return Verisoul(api_key=API_KEY, base_url=base_url)


def _openai() -> Any:
    """The openai module (installed by ``nox -s bench`` only, so typed as Any here)."""
    return importlib.import_module("openai")


def _openai_model() -> Any:
    """The response model, as an openai resource would declare it (a pydantic model)."""
    fields = {"__annotations__": {"request_id": str, "session_id": str}}
    return type("LivenessSession", (_openai().BaseModel,), fields)


def _openai_async(base_url: str) -> Any:
    client = _openai().AsyncOpenAI(api_key=API_KEY, base_url=base_url)
    client._bench_model = _openai_model()
    return client


def _openai_sync(base_url: str) -> Any:
    client = _openai().OpenAI(api_key=API_KEY, base_url=base_url)
    client._bench_model = _openai_model()
    return client


def _openai_call(client: Any) -> Any:
    return client.get(SESSION_PATH, cast_to=client._bench_model)


def _sharded_async(shard_size: int) -> Callable[[str], Any]:
    def open_client(base_url: str) -> Any:
        import httpx

        from verisoul._config import DEFAULT_LIMITS
        from verisoul._pool import AsyncShardedTransport

        transport = AsyncShardedTransport(DEFAULT_LIMITS, shard_size)
        return httpx.AsyncClient(
            base_url=base_url, headers={"x-api-key": API_KEY}, transport=transport
        )

    return open_client


def _sharded_sync(shard_size: int) -> Callable[[str], Any]:
    def open_client(base_url: str) -> Any:
        import httpx

        from verisoul._config import DEFAULT_LIMITS
        from verisoul._pool import ShardedTransport

        transport = ShardedTransport(DEFAULT_LIMITS, shard_size)
        return httpx.Client(base_url=base_url, headers={"x-api-key": API_KEY}, transport=transport)

    return open_client


def _limited_async(connections: int, keepalive: int) -> Callable[[str], Any]:
    def open_client(base_url: str) -> Any:
        import httpx

        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=keepalive)
        return httpx.AsyncClient(base_url=base_url, headers={"x-api-key": API_KEY}, limits=limits)

    return open_client


def _limited_sync(connections: int, keepalive: int) -> Callable[[str], Any]:
    def open_client(base_url: str) -> Any:
        import httpx

        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=keepalive)
        return httpx.Client(base_url=base_url, headers={"x-api-key": API_KEY}, limits=limits)

    return open_client


def _session(client: Any) -> Any:
    return client.create_liveness_session()


def _aclose(client: Any) -> Any:
    return client.aclose()


def _close(client: Any) -> Any:
    return client.close()


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("raw-async", "raw httpx.AsyncClient", True, _raw_async, _raw_async_call, _aclose),
        Variant("raw-sync", "raw httpx.Client", False, _raw_sync, _raw_sync_call, _close),
        Variant("sdk-async", "AsyncVerisoul", True, _sdk_async(None), _session, _aclose),
        Variant("sdk-sync", "Verisoul", False, _sdk_sync, _session, _close),
        Variant(
            "sdk-async-aiohttp",
            "AsyncVerisoul, aiohttp transport",
            True,
            _sdk_async("aiohttp"),
            _session,
            _aclose,
            ("httpx_aiohttp",),
        ),
        Variant(
            "raw-async-aiohttp",
            "raw httpx + httpx-aiohttp transport",
            True,
            _raw_async_aiohttp,
            _raw_async_call,
            _aclose,
            ("httpx_aiohttp",),
        ),
        Variant(
            "openai-async",
            "openai.AsyncOpenAI",
            True,
            _openai_async,
            _openai_call,
            _close,  # AsyncOpenAI.close() is a coroutine
            ("openai",),
        ),
        Variant(
            "openai-sync", "openai.OpenAI", False, _openai_sync, _openai_call, _close, ("openai",)
        ),
    )
}

#: Pool designs tried for issue 16, raw httpx on each (``--variants``): the SDK's 256/256
#: limits split into shards of N connections (N=256: one pool, the SDK's pool before), and
#: httpx's own pool with other limits. ``--variants candidates`` selects them all.
SHARD_SIZES = (1, 4, 16, 256)
OTHER_LIMITS = ((1000, 100), (64, 64))
CANDIDATES: dict[str, Variant] = {
    v.name: v
    for v in (
        *(
            Variant(
                f"shards-of-{n}-async",
                f"raw httpx.AsyncClient, 256/256 in shards of {n}",
                True,
                _sharded_async(n),
                _raw_async_call,
                _aclose,
            )
            for n in SHARD_SIZES
        ),
        *(
            Variant(
                f"limits-{c}-{k}-async",
                f"raw httpx.AsyncClient, limits {c}/{k}",
                True,
                _limited_async(c, k),
                _raw_async_call,
                _aclose,
            )
            for c, k in OTHER_LIMITS
        ),
        *(
            Variant(
                f"shards-of-{n}-sync",
                f"raw httpx.Client, 256/256 in shards of {n}",
                False,
                _sharded_sync(n),
                _raw_sync_call,
                _close,
            )
            for n in SHARD_SIZES
        ),
        *(
            Variant(
                f"limits-{c}-{k}-sync",
                f"raw httpx.Client, limits {c}/{k}",
                False,
                _limited_sync(c, k),
                _raw_sync_call,
                _close,
            )
            for c, k in OTHER_LIMITS
        ),
    )
}
ALL_VARIANTS = {**VARIANTS, **CANDIDATES}
