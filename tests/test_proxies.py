"""Which environment proxy the SDK's own pool uses (docs/configuration.md, issue 13 item 6)."""

from __future__ import annotations

import pytest

import verisoul
from verisoul._proxies import env_proxy

API = "https://api.sandbox.verisoul.ai"
VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def proxy_host(base_url: str = API) -> str | None:
    proxy = env_proxy(base_url)
    return None if proxy is None else proxy.url.host


def test_no_variable_no_proxy() -> None:
    assert env_proxy(API) is None


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"HTTPS_PROXY": "http://tls.proxy:3128"}, "tls.proxy"),
        ({"https_proxy": "http://lower.proxy:3128"}, "lower.proxy"),
        ({"ALL_PROXY": "http://all.proxy:3128"}, "all.proxy"),
        ({"HTTP_PROXY": "http://plain.proxy:3128"}, None),  # not for https
        ({"HTTPS_PROXY": "http://a:1", "ALL_PROXY": "http://b:1"}, "a"),  # scheme first
        ({"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:1"}, "lower"),
        ({"HTTPS_PROXY": "bare.proxy:3128"}, "bare.proxy"),  # no scheme: http://
    ],
)
def test_the_variable_that_applies(
    variables: dict[str, str], expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert proxy_host() == expected


def test_http_proxy_is_ignored_in_cgi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://from-a-request-header:1")
    monkeypatch.setenv("REQUEST_METHOD", "GET")
    assert proxy_host("http://api.example.test") is None


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9", "http://x.localhost"],
)
def test_loopback_never_uses_a_proxy(base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://all.proxy:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://plain.proxy:3128")
    assert env_proxy(base_url) is None


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [
        ("*", True),
        ("api.sandbox.verisoul.ai", True),
        ("verisoul.ai", True),
        (".verisoul.ai", True),
        ("*.verisoul.ai", True),
        ("other.example, verisoul.ai", True),
        ("sandbox.verisoul.ai:443", True),
        ("sandbox.verisoul.ai:8443", False),
        ("isoul.ai", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_no_proxy(no_proxy: str, bypassed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://tls.proxy:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert (proxy_host() is None) is bypassed


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [("10.1.2.3", True), ("10.0.0.0/8", True), ("192.168.0.0/16", False)],
)
def test_no_proxy_addresses(
    no_proxy: str, bypassed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://tls.proxy:3128")
    monkeypatch.setenv("no_proxy", no_proxy)
    assert (proxy_host("https://10.1.2.3") is None) is bypassed


def test_socks_on_aiohttp_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://user:pw@proxy:1080")
    with pytest.raises(verisoul.VerisoulError, match="ALL_PROXY") as info:
        env_proxy(API, socks_supported=False)
    assert "pw@" not in str(info.value)


def test_the_clients_pool_uses_the_chosen_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://tls.proxy:3128")
    with verisoul.Verisoul(api_key="sk_test_proxy") as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert type(pool).__name__ == "HTTPProxy"
    monkeypatch.setenv("NO_PROXY", "verisoul.ai")
    with verisoul.Verisoul(api_key="sk_test_proxy") as client:
        # No proxy for the API host: the SDK's own sharded pool, proxy-free.
        assert type(client._http._transport).__name__ == "ShardedTransport"
