"""Client configuration: resolved once, at construction, never per call."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Final, Literal

import attrs
import httpx

from ._body import ACCEPT_ENCODING, DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes
from ._exceptions import VerisoulError
from ._secret import ApiKey
from ._validation import (
    check_deadline,
    check_max_retries,
    to_timeout,
    validate_api_key,
    validate_base_url,
    validate_headers,
)
from ._version import __version__

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ENVIRONMENTS",
    "TIMEOUT_NOT_GIVEN",
    "ClientConfig",
    "Environment",
    "TimeoutTypes",
    "resolve_config",
]

Environment = Literal["sandbox", "production"]
TimeoutTypes = float | int | httpx.Timeout

ENVIRONMENTS: Final[Mapping[str, str]] = {
    "sandbox": "https://api.sandbox.verisoul.ai",
    "production": "https://api.prod.verisoul.ai",
}

#: Per attempt: 5 s to connect (or to get a pooled connection), 30 s for the rest.
#: verify-face / verify-id answers can take seconds; a session token is quick.
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0, pool=5.0)
#: The constructors' default for ``timeout``: equal to DEFAULT_TIMEOUT but another object,
#: so ``timeout=DEFAULT_TIMEOUT`` passed explicitly is told apart from "not given".
TIMEOUT_NOT_GIVEN: Final = httpx.Timeout(DEFAULT_TIMEOUT)
DEFAULT_MAX_RETRIES: Final = 2
#: httpx keeps only 20 idle connections by default, so 64+ concurrent calls keep
#: reconnecting. Keep as many alive as we allow open.
DEFAULT_LIMITS: Final = httpx.Limits(
    max_connections=256, max_keepalive_connections=256, keepalive_expiry=30.0
)
USER_AGENT: Final = f"verisoul-python/{__version__}"

_LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain"})


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@attrs.frozen(repr=False)
class ClientConfig:
    """Everything a client needs, resolved and validated once."""

    api_key: ApiKey
    environment: str | None
    base_url: str  # no trailing slash: paths are appended as-is
    timeout: httpx.Timeout
    max_retries: int
    deadline: float | None
    headers: Mapping[str, str]
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    #: What ``hosted_url()`` uses: an environment name or a hosted page's base URL.
    hosted_page: str = "sandbox"

    def with_overrides(
        self,
        timeout: TimeoutTypes | None,
        max_retries: int | None,
        deadline: float | None,
        *,
        max_response_bytes: int | None = None,
    ) -> ClientConfig:
        """A copy with per-call or ``with_options`` overrides (None keeps the current value)."""
        if max_response_bytes is not None:
            limited = attrs.evolve(
                self, max_response_bytes=check_max_response_bytes(max_response_bytes)
            )
            return limited.with_overrides(timeout, max_retries, deadline)
        if timeout is None and max_retries is None and deadline is None:
            return self
        return attrs.evolve(
            self,
            timeout=self.timeout if timeout is None else to_timeout(timeout),
            max_retries=self.max_retries
            if max_retries is None
            else check_max_retries(max_retries),
            deadline=self.deadline if deadline is None else check_deadline(deadline),
        )


def resolve_config(
    *,
    api_key: str | None,
    environment: str | None,
    base_url: str | httpx.URL | None,
    timeout: TimeoutTypes,
    max_retries: int,
    deadline: float | None,
    default_headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ClientConfig:
    """Apply env-var fallbacks and validate every constructor argument.

    Raises:
        VerisoulError: No API key or one a header cannot carry, an unknown environment,
            a base URL with credentials, or a clear-text ``http://`` base URL to a
            non-loopback host without ``allow_insecure_http=True``.
        TypeError, ValueError: An argument of the wrong type or range.
    """
    if api_key is None:
        api_key = os.environ.get("VERISOUL_API_KEY")
    if api_key is None:
        raise VerisoulError(
            "No API key: pass api_key=... or set the VERISOUL_API_KEY environment variable."
        )
    api_key = validate_api_key(api_key)

    if base_url is None and environment is None:
        base_url = os.environ.get("VERISOUL_BASE_URL") or None
    if environment is not None or base_url is None:
        name = environment if environment is not None else os.environ.get("VERISOUL_ENVIRONMENT")
        name = (name or "sandbox").strip().lower()
        if name not in ENVIRONMENTS:
            raise VerisoulError(
                f"Unknown Verisoul environment {name!r}: use 'sandbox' or 'production' "
                "(argument environment= or env VERISOUL_ENVIRONMENT), or pass base_url=."
            )
        resolved_env: str | None = name
        resolved_base = ENVIRONMENTS[name]
        hosted_page = name
    if base_url is not None:
        url = validate_base_url(base_url)
        if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
            raise VerisoulError(
                f"Refusing clear-text base_url {str(url)!r}: the API key would travel "
                "unencrypted. Use https, or pass allow_insecure_http=True if you really mean it."
            )
        resolved_base = str(url).rstrip("/")
        resolved_env = None
        if environment is None:
            # A loopback API is a local fake (`verisoul mock serve`), which hosts the page
            # itself; behind a proxy the users still go to Verisoul's page.
            loopback = _is_loopback(url.host)
            fallback = (os.environ.get("VERISOUL_ENVIRONMENT") or "sandbox").strip().lower()
            hosted_page = resolved_base + "/" if loopback else fallback

    headers = {"x-api-key": api_key, "user-agent": USER_AGENT, "accept": "application/json"}
    headers["accept-encoding"] = ACCEPT_ENCODING  # what _body inflates under the size limit
    headers.update(validate_headers(default_headers, "default_headers"))

    return ClientConfig(
        api_key=ApiKey(api_key),
        environment=resolved_env,
        base_url=resolved_base,
        timeout=to_timeout(timeout),
        max_retries=check_max_retries(max_retries),
        deadline=check_deadline(deadline),
        headers=headers,
        max_response_bytes=check_max_response_bytes(max_response_bytes),
        hosted_page=hosted_page,
    )
