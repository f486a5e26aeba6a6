"""Promises of docs/configuration.md: options, defaults, headers, environment, lifecycle."""

from __future__ import annotations

import asyncio

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul, Verisoul

from .._servers import LoopbackServer
from ..conftest import TEST_KEY
from ._support import SESSION_ID, Script, client, ok


def test_configuration_md_a_missing_key_fails_at_construction() -> None:
    """docs/configuration.md: "With neither the argument nor the variable, construction raises
    [`VerisoulError`][verisoul.VerisoulError]."
    """
    with pytest.raises(verisoul.VerisoulError, match="API key"):
        Verisoul()
    with pytest.raises(verisoul.VerisoulError, match="API key"):
        AsyncVerisoul(api_key="")


@pytest.mark.parametrize(
    ("environment", "url"),
    [
        (None, "https://api.sandbox.verisoul.ai"),
        ("sandbox", "https://api.sandbox.verisoul.ai"),
        ("production", "https://api.prod.verisoul.ai"),
        ("  Production ", "https://api.prod.verisoul.ai"),
        ("SANDBOX", "https://api.sandbox.verisoul.ai"),
    ],
)
def test_configuration_md_environment_picks_the_host(environment: str | None, url: str) -> None:
    """docs/configuration.md: "Picks the API host: `https://api.sandbox.verisoul.ai` or
    `https://api.prod.verisoul.ai`. Case and surrounding spaces are ignored; any other name is
    a `VerisoulError`."
    """
    script = Script(ok())
    sdk, _ = client(script, environment=environment)
    with sdk:
        sdk.create_liveness_session()
        assert str(sdk.base_url).rstrip("/") == url
        assert sdk.environment == (environment or "sandbox").strip().lower()
    assert str(script.requests[0].url) == f"{url}/liveness/session"
    with pytest.raises(verisoul.VerisoulError):
        Verisoul(api_key=TEST_KEY, environment="staging")
    with pytest.raises(verisoul.VerisoulError):
        Verisoul(api_key=TEST_KEY, environment="staging", base_url="https://proxy.test")
    proxied = Verisoul(api_key=TEST_KEY, environment="production", base_url="https://proxy.test")
    with proxied:
        assert proxied.environment is None
        assert str(proxied.base_url).rstrip("/") == "https://proxy.test"
        # "With a `base_url`, the API goes there and the environment picks only the hosted
        # page"
        assert proxied.hosted_url(SESSION_ID).startswith("https://app.prod.verisoul.ai")


@pytest.mark.parametrize("url", ["ftp://example.com", "api.verisoul.ai", "/relative"])
def test_configuration_md_base_url_must_be_absolute_http(url: str) -> None:
    """docs/configuration.md: "Must be absolute `http(s)`." """
    with pytest.raises((verisoul.VerisoulError, ValueError)):
        Verisoul(api_key=TEST_KEY, base_url=url)


def test_configuration_md_a_bare_number_sets_all_four_timeouts() -> None:
    """docs/configuration.md: "A bare number sets all four httpx timeouts." """
    script = Script(ok())
    sdk, _ = client(script, timeout=7.5)
    with sdk:
        sdk.create_liveness_session()
        assert sdk.timeout == httpx.Timeout(7.5)
    assert script.timeouts == [{"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}]


def test_configuration_md_an_injected_client_keeps_its_timeout() -> None:
    """docs/configuration.md: "With an injected `http_client` and no `timeout` argument, that
    client's own timeout is used"
    """
    http = httpx.Client(timeout=httpx.Timeout(12.0, connect=3.0))
    with Verisoul(api_key=TEST_KEY, http_client=http) as sdk:
        assert sdk.timeout == httpx.Timeout(12.0, connect=3.0)
    with Verisoul(api_key=TEST_KEY, http_client=http, timeout=4.0) as sdk:
        assert sdk.timeout == httpx.Timeout(4.0)
    assert not http.is_closed  # "The SDK never closes a client it did not create."
    http.close()


def test_configuration_md_max_retries_zero_disables_retries() -> None:
    """docs/configuration.md: "Extra attempts after a retryable failure; `0` disables
    retries."
    """
    script = Script(httpx.Response(503), ok())
    sdk, sleeps = client(script, max_retries=0)
    with sdk, pytest.raises(verisoul.InternalServerError) as caught:
        sdk.create_liveness_session()
    assert caught.value.attempts == 1
    assert sleeps.delays == []
    script = Script(httpx.Response(503), httpx.Response(503), ok())
    sdk, _ = client(script, max_retries=3)
    with sdk:
        sdk.create_liveness_session()
    assert len(script.requests) == 3


def test_configuration_md_headers_sent_with_every_request() -> None:
    """docs/configuration.md: "Every request carries `User-Agent: verisoul-python/<version>`,
    `accept: application/json` and the key; header names you pass in `default_headers` are
    lower-cased and override the defaults (except the key)."
    docs/configuration.md: "and the names the SDK sets (`x-api-key`: use `api_key`;"
    """
    script = Script(ok())
    sdk, _ = client(script, default_headers={"X-Team": "fraud", "Accept": "application/x"})
    with sdk:
        sdk.create_liveness_session()
    headers = script.requests[0].headers
    assert headers["user-agent"] == f"verisoul-python/{verisoul.__version__}"
    assert headers["x-api-key"] == TEST_KEY
    assert headers["x-team"] == "fraud"
    assert headers["accept"] == "application/x"
    plain, _ = client(Script(ok()))
    with plain:
        plain.create_liveness_session()
    with pytest.raises((verisoul.VerisoulError, ValueError), match="api_key="):
        Verisoul(api_key=TEST_KEY, default_headers={"X-API-Key": "other"})


def test_configuration_md_accept_header_by_default() -> None:
    """docs/configuration.md: "Every request carries `User-Agent: verisoul-python/<version>`,
    `accept: application/json` and the key"
    """
    script = Script(ok())
    sdk, _ = client(script)
    with sdk:
        sdk.create_liveness_session()
    assert script.requests[0].headers["accept"] == "application/json"


def test_configuration_md_insecure_http_only_to_loopback() -> None:
    """docs/configuration.md: "Allow an `http://` `base_url` to a host that is not loopback.
    Off by default because the API key would travel in clear text. `http://127.0.0.1` and
    `http://localhost` are always allowed."
    """
    with pytest.raises(verisoul.VerisoulError):
        Verisoul(api_key=TEST_KEY, base_url="http://api.example.com")
    Verisoul(api_key=TEST_KEY, base_url="http://api.example.com", allow_insecure_http=True).close()
    Verisoul(api_key=TEST_KEY, base_url="http://127.0.0.1:9").close()
    Verisoul(api_key=TEST_KEY, base_url="http://localhost:9").close()


def test_configuration_md_environment_variables_are_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/configuration.md: "They are read when a client is created, never later"
    docs/configuration.md: "| `VERISOUL_ENVIRONMENT` | `environment` | the argument is `None`
    and no `base_url` is given |"
    """
    monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
    monkeypatch.setenv("VERISOUL_ENVIRONMENT", "production")
    script = Script(ok())
    http = httpx.Client(transport=httpx.MockTransport(script))
    sdk = Verisoul(http_client=http)
    monkeypatch.setenv("VERISOUL_API_KEY", "changed-later")
    monkeypatch.setenv("VERISOUL_ENVIRONMENT", "sandbox")
    with sdk:
        sdk.create_liveness_session()
    assert script.requests[0].headers["x-api-key"] == TEST_KEY
    assert script.requests[0].url.host == "api.prod.verisoul.ai"
    with Verisoul(api_key=TEST_KEY, environment="sandbox") as explicit:
        assert explicit.environment == "sandbox"  # the argument wins over the variable


def test_configuration_md_the_key_is_never_shown() -> None:
    """docs/configuration.md: "The key is not exposed, and `repr(client)` never shows it" """
    with Verisoul(api_key="sk-very-secret") as sdk:
        assert "sk-very-secret" not in repr(sdk)
        assert "sk-very-secret" not in str(sdk)
        public = [name for name in dir(sdk) if not name.startswith("_")]
        for name in public:
            value = getattr(sdk, name)
            if not callable(value):
                assert "sk-very-secret" not in repr(value), name


def test_configuration_md_per_call_none_means_the_client_setting() -> None:
    """docs/configuration.md: "Every API method also takes `timeout=`, `max_retries=` and
    `deadline=` keywords. `None` (the default) means "use the client's setting":"
    """
    script = Script(httpx.Response(503))
    sdk, _ = client(script, max_retries=1, timeout=9.0)
    with sdk:
        with pytest.raises(verisoul.InternalServerError) as default:
            sdk.create_liveness_session(timeout=None, max_retries=None, deadline=None)
        with pytest.raises(verisoul.InternalServerError) as override:
            sdk.create_liveness_session(timeout=3.0, max_retries=0)
    assert default.value.attempts == 2
    assert override.value.attempts == 1
    assert script.timeouts[0]["read"] == 9.0
    assert script.timeouts[-1]["read"] == 3.0


def test_configuration_md_with_options_shares_the_pool() -> None:
    """docs/configuration.md: "returns a copy that shares the original's connection pool" """
    script = Script(ok())
    sdk, _ = client(script)
    with sdk:
        copy = sdk.with_options(timeout=2.0, deadline=5.0)
        assert copy._http is sdk._http
        assert (copy.deadline, sdk.deadline) == (5.0, None)
        assert copy.timeout == httpx.Timeout(2.0)
        copy.create_liveness_session()
    assert script.timeouts == [{"connect": 2.0, "read": 2.0, "write": 2.0, "pool": 2.0}]


async def _serve_twice(client: AsyncVerisoul) -> str:
    await client.create_liveness_session()
    return (await client.create_liveness_session()).session_id


def test_configuration_md_a_client_belongs_to_the_first_loop_that_uses_it(
    ok_server: LoopbackServer,
) -> None:
    """docs/configuration.md: "An `AsyncVerisoul` belongs to the event loop that first used
    it; using it from another loop raises a `VerisoulError`"
    docs/guides/fastapi.md: "A module-level client created at import time works while only the
    server's loop uses it, but once another loop has used it first"
    """
    # Created outside any loop ("at import time"), then used by one loop: it works.
    module_level = AsyncVerisoul(api_key=TEST_KEY, base_url=ok_server.url)
    server_loop = asyncio.new_event_loop()
    try:
        assert server_loop.run_until_complete(_serve_twice(module_level)) == SESSION_ID
        # A second loop is refused before sending anything.
        with pytest.raises(verisoul.VerisoulError, match="first used in another event loop"):
            asyncio.run(module_level.create_liveness_session())
        assert ok_server.request_count == 2
        server_loop.run_until_complete(module_level.aclose())
    finally:
        server_loop.close()
