"""The hosted verification page: the URL to send a user to, and the redirect that comes back.

Flow (Face Match and ID Check alike): create a session on your server, send the user's
browser to :func:`hosted_url`, and read the query Verisoul appends to your ``redirect_url``
with :func:`parse_redirect`. The redirect comes from the user's browser and can be forged:
it only tells you which page to show next. Always confirm with ``verify_face`` /
``verify_id`` on the server before trusting the result.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qs, quote, urlsplit

import attrs

from ._known_values import _KnownValues
from ._serialize import Model
from ._validation import canonical_uuid, validate_uuid

__all__ = [
    "HOSTED_APP_URLS",
    "LivenessRedirect",
    "RedirectErrorCode",
    "hosted_url",
    "parse_redirect",
]

#: The hosted page of each environment (§1 of the API notes; production is ``app.prod``).
HOSTED_APP_URLS: Final[Mapping[str, str]] = {
    "sandbox": "https://app.sandbox.verisoul.ai/",
    "production": "https://app.prod.verisoul.ai/",
}

# A short BCP 47-style language tag: "en", "es", "pt-BR", "zh-Hant-TW".
_LANGUAGE_TAG: Final = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")
_TRUE_FALSE: Final = {"true": True, "false": False}


class RedirectErrorCode(_KnownValues):
    """Known ``error_message`` values on a failed redirect (new ones are kept as is).

    Every failure needs a **new** session before the user can try again.
    """

    INVALID_SESSION_ID: Final = "invalid_session_id"
    """The session token expired or is not valid."""
    SESSION_ID_NOT_FOUND: Final = "session_id_not_found"
    """The hosted page was opened without a session token."""
    FAILED_TO_GET_CAMERA_PERMISSION: Final = "failed_to_get_camera_permission"
    FAILED_TO_COMPLETE_FACE_SCAN: Final = "failed_to_complete_face_scan"
    LIVENESS_CHECK_FAILED: Final = "liveness_check_failed"
    FAILED_TO_PROCESS_ID_SCAN: Final = "failed_to_process_id_scan"
    """ID Check only."""
    FAILED_TO_COLLECT_DEVICE_DATA: Final = "failed_to_collect_device_data"
    """ID Check only."""


@attrs.frozen
class LivenessRedirect(Model):
    """What the hosted page reported when it sent the user back to ``redirect_url``.

    Attributes:
        session_id: The session, as a canonical lowercase UUID string. ``None`` only on a
            failure whose ``session_id`` was absent or not a UUID (for example
            :attr:`RedirectErrorCode.SESSION_ID_NOT_FOUND`).
        success: Whether the user passed the hosted check. Not proof: verify on the server.
        error_message: Why it failed (see :class:`RedirectErrorCode`); ``None`` on success.
    """

    session_id: str | None
    success: bool
    error_message: str | None


def _absolute_http_url(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an absolute http(s) URL, got {value!r}")
    if any(char.isspace() or ord(char) < 0x20 for char in value):
        raise ValueError(f"{name} must not contain whitespace or control characters")
    return value


def _language_tag(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"lng must be a str, got {type(value).__name__}")
    if not _LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"lng must be a language tag such as 'en' or 'pt-BR', got {value!r}")
    return value


def _base_url(environment: object) -> str:
    if not isinstance(environment, str):
        raise TypeError(f"environment must be a str, got {type(environment).__name__}")
    known = HOSTED_APP_URLS.get(environment)
    if known is not None:
        return known
    if "://" not in environment:
        raise ValueError(
            f"environment must be 'sandbox', 'production' or the hosted page's base URL, "
            f"got {environment!r}"
        )
    base = _absolute_http_url(environment, "environment")
    parts = urlsplit(base)
    if parts.query or parts.fragment:
        raise ValueError(f"the hosted page's base URL must have no query or fragment: {base!r}")
    return base


def hosted_url(
    session_id: str | uuid.UUID,
    *,
    environment: str = "sandbox",
    redirect_url: str | None = None,
    lng: str | None = None,
) -> str:
    """The URL of Verisoul's hosted verification page for a session.

    Send the user's browser there right after creating the session (tokens are short-lived).
    Desktop users see a QR code to finish on their phone.

    Args:
        session_id: The ``session_id`` of a new Face Match or ID Check session.
        environment: ``"sandbox"``, ``"production"``, or the base URL of a hosted page
            (for example a local fake), used as is.
        redirect_url: Where the page sends the user back (absolute http(s) URL). Verisoul
            defaults to ``https://verisoul.ai``.
        lng: Language of the instructions, a short tag such as ``"en"`` or ``"pt-BR"``.
            Verisoul defaults to English.

    Returns:
        The URL, with each query value percent-encoded.

    Raises:
        TypeError: An argument has the wrong type.
        ValueError: ``session_id`` is not a UUID, ``redirect_url`` not an absolute http(s)
            URL, ``lng`` not a language tag, or ``environment`` unknown.
    """
    query = {"session_id": validate_uuid(session_id, "session_id")}
    if redirect_url is not None:
        query["redirect_url"] = _absolute_http_url(redirect_url, "redirect_url")
    if lng is not None:
        query["lng"] = _language_tag(lng)
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query.items())
    return f"{_base_url(environment)}?{encoded}"


def _query_of(url_or_query: object) -> dict[str, str]:
    """One value per parameter, from a URL, a query string or a mapping of parameters."""
    if isinstance(url_or_query, Mapping):
        query: dict[str, str] = {}
        for key, value in url_or_query.items():  # a multidict yields repeated keys here
            if not isinstance(value, str):
                raise TypeError(f"redirect parameter {key!r} must be a str, got {value!r}")
            if key in query:
                raise ValueError(f"redirect query repeats {key}: ambiguous")
            query[str(key)] = value
        return query
    if not isinstance(url_or_query, str):
        raise TypeError(
            f"expected a URL, a query string or a mapping, got {type(url_or_query).__name__}"
        )
    text = url_or_query.strip()
    if "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    text = text.removeprefix("?")
    try:
        values = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        raise ValueError(f"not a query string: {url_or_query!r}") from None
    repeated = sorted(key for key, found in values.items() if len(found) > 1)
    if repeated:
        raise ValueError(f"redirect query repeats {', '.join(repeated)}: ambiguous")
    return {key: found[0] for key, found in values.items()}


def parse_redirect(url_or_query: str | Mapping[str, str]) -> LivenessRedirect:
    """Read the parameters the hosted page adds to ``redirect_url``.

    Args:
        url_or_query: The full redirect URL, its query string (with or without ``?``), or
            the already-parsed query parameters (a framework's ``request.query_params``).

    Returns:
        The redirect's ``session_id``, ``success`` and ``error_message``.

    Raises:
        TypeError: ``url_or_query`` is not a string or a mapping.
        ValueError: ``success`` is missing or not ``true``/``false``, a successful redirect
            has no valid ``session_id``, or a parameter is repeated.
    """
    query = _query_of(url_or_query)
    raw_success = query.get("success")
    if raw_success is None:
        raise ValueError("not a Verisoul redirect: the 'success' parameter is missing")
    success = _TRUE_FALSE.get(raw_success.strip().lower())
    if success is None:
        raise ValueError(f"redirect 'success' must be true or false, got {raw_success!r}")
    raw_session_id = query.get("session_id") or ""
    session_id = canonical_uuid(raw_session_id.strip()) if raw_session_id else None
    if success:
        if session_id is None:
            raise ValueError(
                f"a successful redirect needs a UUID 'session_id', got {raw_session_id!r}"
            )
        return LivenessRedirect(session_id=session_id, success=True, error_message=None)
    error_message = query.get("error_message") or None
    return LivenessRedirect(session_id=session_id, success=False, error_message=error_message)
