"""The hosted verification page URL and the redirect back from it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

import verisoul
from verisoul._hosted import (
    HOSTED_APP_URLS,
    LivenessRedirect,
    RedirectErrorCode,
    hosted_url,
    parse_redirect,
)

SESSION = "00022912-cbaa-4239-a3ec-51c32fcc0fc1"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


# --- hosted_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "prefix"),
    [
        ("sandbox", "https://app.sandbox.verisoul.ai/?"),
        ("production", "https://app.prod.verisoul.ai/?"),
        ("http://127.0.0.1:8123/hosted/", "http://127.0.0.1:8123/hosted/?"),
    ],
)
def test_hosted_url_per_environment(environment: str, prefix: str) -> None:
    url = hosted_url(SESSION, environment=environment)
    assert url == f"{prefix}session_id={SESSION}"


def test_default_environment_is_sandbox() -> None:
    assert hosted_url(SESSION).startswith(HOSTED_APP_URLS["sandbox"] + "?")


def test_redirect_url_and_lng_are_percent_encoded() -> None:
    redirect = "https://shop.example/verisoul/back?next=/cart&note=a%20b#top"
    url = hosted_url(SESSION, redirect_url=redirect, lng="pt-BR")
    query = urlsplit(url).query
    assert query == (
        f"session_id={SESSION}"
        "&redirect_url=https%3A%2F%2Fshop.example%2Fverisoul%2Fback%3Fnext%3D%2Fcart"
        "%26note%3Da%2520b%23top"
        "&lng=pt-BR"
    )
    assert query_of(url) == {"session_id": [SESSION], "redirect_url": [redirect], "lng": ["pt-BR"]}


def test_session_id_is_canonicalised() -> None:
    upper = SESSION.upper()
    assert query_of(hosted_url(upper))["session_id"] == [SESSION]
    assert query_of(hosted_url(uuid.UUID(SESSION)))["session_id"] == [SESSION]


@pytest.mark.parametrize("session_id", ["", "not-a-uuid", SESSION + "0", "../" + SESSION])
def test_bad_session_id_is_a_value_error(session_id: str) -> None:
    with pytest.raises(ValueError, match="session_id must be a UUID"):
        hosted_url(session_id)


@pytest.mark.parametrize("session_id", [None, 123, b"00022912cbaa4239a3ec51c32fcc0fc1"])
def test_session_id_of_wrong_type_is_a_type_error(session_id: Any) -> None:
    with pytest.raises(TypeError, match=r"session_id must be a str or uuid\.UUID"):
        hosted_url(session_id)


@pytest.mark.parametrize(
    "redirect_url",
    [
        "/relative/path",
        "shop.example/back",
        "javascript:alert(1)",
        "ftp://shop.example/back",
        "https://",
        "https://shop.example/a b",
        "https://shop.example/\nSet-Cookie: x",
    ],
)
def test_redirect_url_must_be_absolute_http(redirect_url: str) -> None:
    with pytest.raises(ValueError, match="redirect_url must"):
        hosted_url(SESSION, redirect_url=redirect_url)


@pytest.mark.parametrize("lng", ["en", "es", "pt-BR", "zh-Hant-TW", "fil"])
def test_language_tags_accepted(lng: str) -> None:
    assert query_of(hosted_url(SESSION, lng=lng))["lng"] == [lng]


@pytest.mark.parametrize(
    "lng", ["", "e", "english-language-tag", "en US", "en&x=1", "pt_BR", "en-"]
)
def test_bad_language_tags_rejected(lng: str) -> None:
    with pytest.raises(ValueError, match="lng must be a language tag"):
        hosted_url(SESSION, lng=lng)


def test_lng_of_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="lng must be a str"):
        hosted_url(SESSION, lng=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ("staging", "environment must be 'sandbox', 'production' or"),
        ("Production", "environment must be 'sandbox', 'production' or"),
        ("ftp://app.example/", "environment must be an absolute http"),
        ("https://app.example/?x=1", "must have no query or fragment"),
    ],
)
def test_unknown_environment_rejected(environment: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hosted_url(SESSION, environment=environment)


# --- parse_redirect ------------------------------------------------------------------------


def redirect_back(params: dict[str, str], base: str = "https://shop.example/back?") -> str:
    """What the hosted page sends the browser to: ``redirect_url`` plus its parameters."""
    return base + urlencode(params)


def test_successful_redirect() -> None:
    url = redirect_back({"session_id": SESSION, "success": "true"})
    assert parse_redirect(url) == LivenessRedirect(
        session_id=SESSION, success=True, error_message=None
    )


@pytest.mark.parametrize(
    "error_message",
    [
        RedirectErrorCode.INVALID_SESSION_ID,
        RedirectErrorCode.FAILED_TO_GET_CAMERA_PERMISSION,
        RedirectErrorCode.FAILED_TO_COMPLETE_FACE_SCAN,
        RedirectErrorCode.LIVENESS_CHECK_FAILED,
        RedirectErrorCode.FAILED_TO_PROCESS_ID_SCAN,
        RedirectErrorCode.FAILED_TO_COLLECT_DEVICE_DATA,
        "a_reason_added_later",
    ],
)
def test_failed_redirect_keeps_its_error_message(error_message: str) -> None:
    url = redirect_back(
        {"session_id": SESSION, "success": "false", "error_message": error_message}
    )
    assert parse_redirect(url) == LivenessRedirect(
        session_id=SESSION, success=False, error_message=error_message
    )


def test_failure_without_session_id() -> None:
    result = parse_redirect("success=false&error_message=session_id_not_found")
    assert result == LivenessRedirect(
        session_id=None, success=False, error_message=RedirectErrorCode.SESSION_ID_NOT_FOUND
    )


def test_failure_with_garbage_session_id_keeps_no_session() -> None:
    result = parse_redirect("session_id=abc&success=false&error_message=invalid_session_id")
    assert result.session_id is None
    assert result.error_message == RedirectErrorCode.INVALID_SESSION_ID


@pytest.mark.parametrize(
    "given",
    [
        f"https://shop.example/back?session_id={SESSION}&success=true",
        f"/back?session_id={SESSION}&success=true",
        f"?session_id={SESSION}&success=true",
        f"session_id={SESSION}&success=True",
        f"session_id={SESSION.upper()}&success=TRUE&error_message=ignored",
        {"session_id": SESSION, "success": "true"},
    ],
)
def test_accepted_forms(given: Any) -> None:
    assert parse_redirect(given) == LivenessRedirect(
        session_id=SESSION, success=True, error_message=None
    )


def test_encoded_values_are_decoded() -> None:
    result = parse_redirect("success=false&error_message=liveness%5Fcheck%5Ffailed")
    assert result.error_message == RedirectErrorCode.LIVENESS_CHECK_FAILED


def test_empty_error_message_is_none() -> None:
    assert (
        parse_redirect(f"session_id={SESSION}&success=false&error_message=").error_message is None
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "the 'success' parameter is missing"),
        ("https://shop.example/back", "the 'success' parameter is missing"),
        (f"session_id={SESSION}", "the 'success' parameter is missing"),
        (f"session_id={SESSION}&success=yes", "'success' must be true or false"),
        (f"session_id={SESSION}&success=", "'success' must be true or false"),
        ("success=true", "a successful redirect needs a UUID 'session_id'"),
        ("session_id=abc&success=true", "a successful redirect needs a UUID 'session_id'"),
        (f"session_id={SESSION}&success=true&success=false", "repeats success: ambiguous"),
        ("hello world", "not a query string"),
        ("a=1&&=2", "not a query string"),
    ],
)
def test_garbage_is_a_clear_value_error(given: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_redirect(given)


class MultiDict(Mapping[str, str]):
    """A minimal multidict (like aiohttp's ``request.query``): ``items()`` repeats keys."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = pairs

    def __getitem__(self, key: str) -> str:
        return next(value for name, value in self.pairs if name == key)

    def __iter__(self) -> Iterator[str]:
        return iter(name for name, _ in self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def items(self) -> Any:
        return list(self.pairs)


def test_multidict_with_a_repeated_key_is_ambiguous() -> None:
    query = MultiDict(("session_id", SESSION), ("success", "false"), ("success", "true"))
    with pytest.raises(ValueError, match="repeats success: ambiguous"):
        parse_redirect(query)
    single = MultiDict(("session_id", SESSION), ("success", "true"))
    assert parse_redirect(single).success is True


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="expected a URL, a query string or a mapping"):
        parse_redirect(b"success=true")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="redirect parameter 'success' must be a str"):
        parse_redirect({"success": ["true"]})  # type: ignore[dict-item]


def test_round_trip_through_the_hosted_page() -> None:
    """The redirect URL given to hosted_url comes back with the page's parameters appended."""
    redirect = "https://shop.example/verisoul/back"
    url = hosted_url(SESSION, redirect_url=redirect)
    (sent,) = query_of(url)["redirect_url"]
    back = redirect_back({"session_id": SESSION, "success": "true"}, base=sent + "?")
    assert parse_redirect(back).session_id == SESSION


# --- VERISOUL_BASE_URL and hosted_url() on a custom base_url (issue 14) ------------------------


def _client(client_class: str, **kwargs: Any) -> Any:
    """A client of either class that owns no pool (nothing to close)."""
    http = httpx.AsyncClient() if client_class == "AsyncVerisoul" else httpx.Client()
    return getattr(verisoul, client_class)(http_client=http, **kwargs)


@pytest.mark.parametrize("client_class", ["Verisoul", "AsyncVerisoul"])
def test_clients_read_verisoul_base_url(
    monkeypatch: pytest.MonkeyPatch, client_class: str
) -> None:
    monkeypatch.setenv("VERISOUL_BASE_URL", "http://127.0.0.1:8080/")
    client = _client(client_class, api_key="k")
    assert str(client.base_url) == "http://127.0.0.1:8080"
    assert client.environment is None
    assert client.hosted_url(SESSION) == f"http://127.0.0.1:8080/?session_id={SESSION}"
    explicit = _client(client_class, api_key="k", environment="production")
    assert str(explicit.base_url) == "https://api.prod.verisoul.ai"  # arguments beat env vars
    proxied = _client(client_class, api_key="k", base_url="https://proxy.example")
    assert str(proxied.base_url) == "https://proxy.example"
    assert proxied.hosted_url(SESSION).startswith(HOSTED_APP_URLS["sandbox"])


def test_verisoul_base_url_behind_a_proxy_keeps_verisouls_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VERISOUL_BASE_URL", "https://verisoul-proxy.internal")
    monkeypatch.setenv("VERISOUL_ENVIRONMENT", "production")
    client = _client("Verisoul", api_key="k")
    assert str(client.base_url) == "https://verisoul-proxy.internal"
    assert client.hosted_url(SESSION).startswith(HOSTED_APP_URLS["production"])
    monkeypatch.setenv("VERISOUL_BASE_URL", "")
    assert str(_client("Verisoul", api_key="k").base_url) == "https://api.prod.verisoul.ai"


def test_the_guides_code_works_on_a_custom_base_url() -> None:
    """`client.hosted_url(session, redirect_url=...)` as the FastAPI guide writes it."""
    from verisoul.testing import FakeVerisoul

    fake = FakeVerisoul()
    with fake.serve() as url, verisoul.Verisoul(api_key=fake.api_key, base_url=url) as client:
        session = client.create_liveness_session()
        hosted = client.hosted_url(session, redirect_url="https://shop.example/done")
    assert hosted.startswith(f"{url}/?session_id={session.session_id}&redirect_url=")
