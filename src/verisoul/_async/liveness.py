"""Face Match and ID Check endpoints (``/liveness/...``)."""

from __future__ import annotations

import uuid

from .._config import TimeoutTypes
from .._models.liveness import LivenessSession, parse_liveness_session
from .._requests.liveness import session_params
from .._retry import RetryClass
from ._base import AsyncBaseClient

__all__ = ["AsyncLivenessAPI"]


class AsyncLivenessAPI(AsyncBaseClient):
    """Face Match (liveness) and ID Check methods."""

    async def create_liveness_session(
        self,
        referring_session_id: str | uuid.UUID | None = None,
        *,
        simulate: str | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> LivenessSession:
        """Create a short-lived Face Match session token (``GET /liveness/session``).

        Call it right before sending the user to the hosted Face Match page. Retried
        with the full policy: a retry can at worst leave an unused token that expires.

        Args:
            referring_session_id: The user's current Verisoul session id (a UUID); adds
                impersonation and link-sharing risk signals to the result.
            simulate: Sandbox only: an outcome for the hosted flow to simulate, such as
                ``"success"`` or ``"liveness_check_failed"`` (passed through as is).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Returns:
            The session token and Verisoul's request id.

        Raises:
            TypeError: ``referring_session_id`` is not a str or UUID.
            ValueError: ``referring_session_id`` is not a UUID, or ``simulate`` is empty.
            APIError: The call failed (see the exception tree).
        """
        return await self._request(
            "GET",
            "/liveness/session",
            parse_liveness_session,
            params=session_params(referring_session_id, simulate, id_check=False),
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )
