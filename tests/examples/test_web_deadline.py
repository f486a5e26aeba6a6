"""The web examples bound every Verisoul call with a ``deadline`` (issue 15, item 7).

Without one, a 429 whose ``Retry-After`` says 60 s holds the handler (and the user) a
minute before the retry succeeds; with it, the handler answers at once.
"""

from __future__ import annotations

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import ClientSpy, ServeExample

pytestmark = pytest.mark.usefixtures("fake_url")


def test_a_long_retry_after_is_not_waited_for_in_a_handler(
    serve_example: ServeExample, fake: FakeVerisoul, sdk_clients: ClientSpy
) -> None:
    fake.fail_next(429, retry_after=60)
    with serve_example() as url:
        (client,) = sdk_clients.created
        assert client.deadline == 10.0
        response = httpx.post(f"{url}/face-match/start", json={"account_id": "a"}, timeout=30)
    # The 429 itself comes back at once (its wait does not fit in the deadline): the
    # examples answer "unavailable, try again" for a RateLimitError.
    assert response.status_code == 503, response.text
    assert fake.request_count == 1  # no retry: its wait would have passed the deadline
