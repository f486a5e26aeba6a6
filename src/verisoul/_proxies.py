"""The proxy a client's own pool uses, read from the environment once, at construction.

httpx reads ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` itself, for every origin, and
fails with ``ImportError`` or ``ValueError`` on a variable it cannot use. The SDK only ever
talks to one origin (``base_url``), so it decides here, for that origin alone:

* a loopback ``base_url`` (``FakeVerisoul.serve()``, a local sidecar) never goes through
  an environment proxy: the request, key included, would leave the machine, in clear
  text for an ``http://`` base_url;
* ``NO_PROXY`` / ``no_proxy`` is honoured (``*``, host names and their subdomains, IP
  addresses and networks);
* otherwise the first of ``<scheme>_proxy``, ``ALL_PROXY`` (lower case first, as urllib
  and httpx do; ``HTTP_PROXY`` is ignored in CGI scripts) is used, and one httpx cannot use
  (an unknown scheme, SOCKS without ``httpx[socks]``) raises :class:`VerisoulError` naming
  the variable, never its value (it may hold proxy credentials).

An injected ``http_client`` keeps its own proxy settings: none of this applies to it.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os

import httpx

from ._config import _is_loopback
from ._exceptions import VerisoulError

__all__ = ["env_proxy"]

_SOCKS = ("socks5", "socks5h")


def _variable(scheme: str) -> tuple[str, str] | None:
    """The proxy variable that applies to ``scheme``, and its value."""
    for key in (f"{scheme}_proxy", "all_proxy"):
        for name in (key, key.upper()):
            if name == "HTTP_PROXY" and "REQUEST_METHOD" in os.environ:
                continue  # httpoxy: in a CGI script HTTP_PROXY comes from a request header
            value = os.environ.get(name, "").strip()
            if value:
                return name, value
    return None


def _no_proxy_matches(entry: str, host: str, port: int) -> bool:
    entry = entry.strip().lower()
    if "://" in entry:
        entry = entry.split("://", 1)[1]
    if not entry:
        return False
    if entry == "*":
        return True
    try:
        network = ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        pass
    else:
        try:
            return ipaddress.ip_address(host.strip("[]")) in network
        except ValueError:
            return False
    name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    if entry_port and entry_port.isdigit() and int(entry_port) != port:
        return False
    name = name.lstrip("*").lstrip(".")
    return bool(name) and (host == name or host.endswith("." + name))


def _bypassed(url: httpx.URL) -> bool:
    raw = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    host = url.host.lower()
    port = url.port or (443 if url.scheme == "https" else 80)
    return any(_no_proxy_matches(entry, host, port) for entry in raw.split(","))


def env_proxy(base_url: str, *, socks_supported: bool = True) -> httpx.Proxy | None:
    """The environment's proxy for ``base_url``, or None to connect directly.

    Args:
        base_url: The client's resolved API root.
        socks_supported: False for a transport that cannot use a SOCKS proxy (aiohttp).

    Raises:
        VerisoulError: The variable that applies holds a proxy URL that cannot be used.
    """
    url = httpx.URL(base_url)
    if _is_loopback(url.host):
        return None
    found = _variable(url.scheme)
    if found is None or _bypassed(url):
        return None
    name, value = found
    if "://" not in value:
        value = "http://" + value
    try:
        proxy = httpx.Proxy(value)
    except (ValueError, TypeError, httpx.InvalidURL):
        scheme = value.split("://", 1)[0].lower()
        raise VerisoulError(
            f"The {name} environment variable holds a proxy URL that cannot be used "
            f"(scheme {scheme!r}; use http://, https:// or socks5://). Fix or unset it, "
            "or add the API host to NO_PROXY."
        ) from None
    if proxy.url.scheme in _SOCKS:
        if not socks_supported:
            raise VerisoulError(
                f"The {name} environment variable names a SOCKS proxy, which "
                "transport='aiohttp' cannot use: use the default transport, or an http:// "
                "proxy."
            )
        if importlib.util.find_spec("socksio") is None:
            raise VerisoulError(
                f"The {name} environment variable names a SOCKS proxy, which needs an extra "
                "package: pip install 'httpx[socks]'."
            )
    return proxy
