"""A server or proxy that reflects the key in a response header never makes the SDK show it.

Success results (their header request id), raw responses and DEBUG logs are covered here;
errors are covered in the hostile-data tests.
"""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest

import verisoul

KEY = "sk-live-ECHOEDKEY-0123456789"
SESSION = str(uuid.uuid4())


def echoing_client() -> verisoul.Verisoul:
    def answer(request: httpx.Request) -> httpx.Response:
        key = request.headers["x-api-key"]
        return httpx.Response(
            200,
            json={"session_id": SESSION},  # no request_id in the body: the header is used
            headers={"x-request-id": f"req-{key}", "x-echo": key.lower()},
        )

    pool = httpx.Client(transport=httpx.MockTransport(answer))
    return verisoul.Verisoul(
        api_key=KEY, http_client=pool, default_headers={"x-gateway-token": "GATEWAYSECRET"}
    )


def test_a_header_request_id_echoing_the_key_is_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="verisoul")
    with echoing_client() as client:
        session = client.create_liveness_session()
        raw = client.with_raw_response.create_liveness_session()
    shown = [
        str(session.request_id),
        repr(session),
        session.to_json(),
        str(raw.request_id),
        repr(dict(raw.headers)),
        caplog.text,
    ]
    for text in shown:
        assert KEY not in text
        assert KEY.lower() not in text
        assert "GATEWAYSECRET" not in text
    assert session.request_id == "req-<redacted>"
    assert "x-gateway-token: <redacted>" in caplog.text


@pytest.mark.parametrize("method", ["verify_face", "verify_id"])
def test_a_verdict_about_another_session_is_refused(method: str) -> None:
    """A crossed or forged answer must never hand out another user's verdict."""
    from verisoul.testing import FakeVerisoul

    fake = FakeVerisoul()
    with fake.client() as client:
        create = (
            client.create_liveness_session
            if method == "verify_face"
            else (client.create_id_check_session)
        )
        mine, other = create(), create()
        fake.complete_session(mine.session_id)
        fake.complete_session(other.session_id)
        verdict = getattr(client, method)(other.session_id).to_dict()
        assert verdict["metadata"]["session_id"] == other.session_id

        def crossed(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json=verdict)

        pool = httpx.Client(transport=httpx.MockTransport(crossed))
        with verisoul.Verisoul(api_key=KEY, http_client=pool, max_retries=0) as victim:
            with pytest.raises(verisoul.APIResponseValidationError, match="session_id"):
                getattr(victim, method)(mine.session_id)
            assert getattr(victim, method)(other.session_id).decision == verdict["decision"]
