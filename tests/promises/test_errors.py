"""Promises of docs/errors.md: one exception type per failure, what each one carries."""

from __future__ import annotations

import httpx
import pytest

import verisoul

from ..conftest import TEST_KEY
from ._support import REQUEST_ID, SESSION_ID, Script, client, ok

STATUS_CLASSES = [
    (400, verisoul.BadRequestError),
    (401, verisoul.AuthenticationError),
    (403, verisoul.PermissionDeniedError),
    (404, verisoul.NotFoundError),
    (409, verisoul.ConflictError),
    (422, verisoul.UnprocessableEntityError),
    (429, verisoul.RateLimitError),
    (500, verisoul.InternalServerError),
    (502, verisoul.InternalServerError),
    (599, verisoul.InternalServerError),
    (418, verisoul.APIStatusError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_errors_md_each_status_has_its_exception(status: int, cls: type[Exception]) -> None:
    """docs/errors.md: "├── APIStatusError              Verisoul answered with a non-2xx
    status"
    docs/errors.md: "│   ├── BadRequestError             400 (also "not found": see below)"
    docs/errors.md: "│   └── InternalServerError         500 and above"
    """
    script = Script(httpx.Response(status, json={"message": "no"}))
    sdk, _ = client(script, max_retries=0)
    with sdk, pytest.raises(verisoul.APIStatusError) as caught:
        sdk.create_liveness_session()
    assert type(caught.value) is cls
    assert caught.value.status_code == status
    assert isinstance(caught.value, verisoul.APIError)
    assert isinstance(caught.value, verisoul.VerisoulError)


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (httpx.ConnectError("refused"), verisoul.APIConnectionError),
        (httpx.ReadError("reset"), verisoul.APIConnectionError),
        (httpx.RemoteProtocolError("bad"), verisoul.APIConnectionError),
        (httpx.ReadTimeout("slow"), verisoul.APITimeoutError),
        (httpx.ConnectTimeout("slow"), verisoul.APITimeoutError),
    ],
    ids=repr,
)
def test_errors_md_no_httpx_exception_escapes_and_it_is_the_cause(
    failure: Exception, cls: type[Exception]
) -> None:
    """docs/errors.md: "No `httpx`, `json` or `attrs` exception escapes a call: the httpx
    error, when there is one, is kept as the exception's `__cause__`."
    """
    script = Script(failure)
    sdk, _ = client(script, max_retries=0)
    with sdk, pytest.raises(verisoul.APIError) as caught:
        sdk.create_liveness_session()
    assert type(caught.value) is cls
    assert caught.value.__cause__ is failure
    assert caught.value.attempts == 1


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"<html>proxy</html>", headers={"content-type": "text/html"}),
        httpx.Response(200, content=b"{not json"),
        httpx.Response(200, json=[1, 2]),
        httpx.Response(200, json={"session_id": 5}),
        httpx.Response(200, content=b"[" * 100_000),
    ],
    ids=["html", "broken-json", "list", "wrong-type", "deep"],
)
def test_errors_md_a_2xx_with_a_bad_body_is_a_validation_error(response: httpx.Response) -> None:
    """docs/errors.md: "└── APIResponseValidationError  a 2xx whose body is not the documented
    shape"
    docs/errors.md: "No `httpx`, `json` or `attrs` exception escapes a call"
    """
    script = Script(response)
    sdk, _ = client(script)
    with sdk, pytest.raises(verisoul.APIResponseValidationError) as caught:
        sdk.create_liveness_session()
    assert caught.value.status_code == 200
    assert caught.value.response is not None
    assert len(script.requests) == 1


def test_errors_md_invalid_arguments_fail_before_anything_is_sent() -> None:
    """docs/errors.md: "Invalid arguments (a `session_id` that is not a UUID, a negative
    `timeout`...) raise the built-in `TypeError` or `ValueError` **before anything is
    sent**."
    """
    script = Script(ok())
    sdk, _ = client(script)
    with sdk:
        with pytest.raises(ValueError):
            sdk.verify_face("not-a-uuid")
        with pytest.raises(ValueError):
            sdk.create_liveness_session(timeout=-1.0)
        with pytest.raises(TypeError):
            sdk.verify_face(12345)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            sdk.create_liveness_session(max_retries=-1)
    assert script.requests == []


def test_errors_md_status_errors_carry_code_request_id_body_and_retry_after() -> None:
    """docs/errors.md: "`status_code`, `code` (Verisoul's machine-readable code, the body's
    `error` string, or `None`), `request_id` (quote it to Verisoul support;"
    docs/errors.md: "`message` (readable text, never the key), `request` (the last
    `httpx.Request`; its headers hold the key, so don't log them), `attempts` (HTTP attempts
    made)"
    """
    body = {"request_id": REQUEST_ID, "success": False, "error": "session_not_found"}
    response = httpx.Response(400, json=body, headers={"Retry-After": "7"})
    script = Script(response)
    sdk, _ = client(script)
    with sdk, pytest.raises(verisoul.BadRequestError) as caught:
        sdk.verify_face(SESSION_ID)
    err = caught.value
    assert (err.status_code, err.code, err.request_id, err.body) == (
        400,
        "session_not_found",
        REQUEST_ID,
        body,
    )
    assert err.retry_after == 7.0
    assert err.response.status_code == 400
    assert err.request is script.requests[-1]
    assert err.attempts == 1
    assert "session_not_found" in err.message
    assert TEST_KEY not in err.message
    assert TEST_KEY not in str(err)
    assert TEST_KEY not in repr(err)
    # Text bodies are kept as text; no Retry-After is None.
    script = Script(httpx.Response(502, text="Bad gateway from the proxy"))
    sdk, _ = client(script, max_retries=0)
    with sdk, pytest.raises(verisoul.InternalServerError) as caught_502:
        sdk.create_liveness_session()
    assert caught_502.value.body == "Bad gateway from the proxy"
    assert caught_502.value.code is None
    assert caught_502.value.request_id is None
    assert caught_502.value.retry_after is None
    assert "Bad gateway from the proxy" in str(caught_502.value)


@pytest.mark.parametrize(
    ("body", "code", "request_id", "text"),
    [
        (
            {"request_id": REQUEST_ID, "success": False, "error": "session_not_found"},
            "session_not_found",
            REQUEST_ID,
            "session_not_found",
        ),
        ({"error": "missing_project_id"}, "missing_project_id", None, "missing_project_id"),
        ({"statusCode": 400, "message": "Account not found"}, None, None, "Account not found"),
        (
            {"message": "email is required", "error": "Bad Request", "statusCode": 400},
            "Bad Request",
            None,
            "email is required",
        ),
    ],
    ids=["liveness", "redirect", "platform", "email"],
)
def test_errors_md_the_four_body_shapes(
    body: dict[str, object], code: str | None, request_id: str | None, text: str
) -> None:
    """docs/errors.md: "Verisoul answers **400** for every documented error, including "not
    found". The body has one of four shapes, and the SDK fills"
    docs/errors.md: "Where there is no machine-readable code, the readable text is in
    `exc.body["message"]` and in `str(exc)`."
    """
    script = Script(httpx.Response(400, json=body))
    sdk, _ = client(script)
    with sdk, pytest.raises(verisoul.BadRequestError) as caught:
        sdk.create_liveness_session()
    assert caught.value.code == code
    assert caught.value.request_id == request_id
    assert text in str(caught.value)
    assert caught.value.body == body
    assert len(script.requests) == 1  # 400 is never retried


def test_errors_md_local_rate_limit_error_says_what_was_sent() -> None:
    """docs/errors.md: "With `attempts == 0` nothing was sent. Otherwise a retry was refused:
    `attempts` were sent, and `__cause__` is the last one's error (Verisoul's answer)."
    docs/configuration.md: "Before the first attempt nothing was sent (`attempts == 0`); when a
    retry is refused, `attempts` says how many were sent and `__cause__` is the last one's
    error."
    """
    from verisoul._ratelimit._limiter import reset_budgets

    reset_budgets()
    try:
        limit = verisoul.RateLimit(1, period=30, max_wait=1)
        script = Script(httpx.Response(503), ok())
        sdk, _ = client(script, rate_limit=limit)
        with sdk:
            with pytest.raises(verisoul.LocalRateLimitError) as caught:
                sdk.create_liveness_session()
            with pytest.raises(verisoul.LocalRateLimitError) as refused:
                sdk.create_liveness_session()
        assert caught.value.attempts == 1
        assert isinstance(caught.value.__cause__, verisoul.InternalServerError)
        assert caught.value.local
        assert refused.value.attempts == 0
        assert refused.value.__cause__ is None
        assert len(script.requests) == 1
    finally:
        reset_budgets()
