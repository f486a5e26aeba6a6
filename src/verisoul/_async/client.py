"""``AsyncVerisoul``: the public async client, composed of the endpoint groups."""

from __future__ import annotations

from .liveness import AsyncLivenessAPI
from .platform import AsyncPlatformAPI
from .raw import AsyncRawResponses

__all__ = ["AsyncVerisoul"]


class AsyncVerisoul(AsyncLivenessAPI, AsyncPlatformAPI):
    """The async client for the Verisoul API.

    Create one per application (for example in your app's lifespan) and share it: it
    holds one keep-alive connection pool and is safe to use from many concurrent callers.

    Example:
        ```python
        async with AsyncVerisoul() as client:  # key from VERISOUL_API_KEY
            session = await client.create_liveness_session()
        ```
    """

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, each returning a ``RawResponse``: result plus HTTP details.

        ``raw = await client.with_raw_response.verify_face(session_id)`` gives
        ``raw.parsed`` (the ``VerifyFaceResult``), ``raw.status_code``, ``raw.headers``
        (the response's), ``raw.elapsed`` (seconds, retries included), ``raw.attempts``
        and ``raw.request_id``. Errors are raised as usual (they carry ``.response``).
        """
        return AsyncRawResponses(self)
