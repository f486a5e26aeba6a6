"""Face Match and ID Check endpoints (``/liveness/...``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from .. import _endpoints as endpoints
from .._config import TimeoutTypes
from .._hosted import hosted_url
from .._models.liveness import (
    EnrollResult,
    LivenessSession,
    VerifyFaceResult,
    VerifyIdentityResult,
    VerifyIdResult,
)
from .._requests import liveness as build
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
        extra_headers: Mapping[str, str] | None = None,
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
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            The session token and Verisoul's request id.

        Raises:
            TypeError: ``referring_session_id`` is not a str or UUID.
            ValueError: ``referring_session_id`` is not a UUID, or ``simulate`` is empty.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.CREATE_LIVENESS_SESSION,
            build.create_liveness_session(referring_session_id, simulate),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def create_id_check_session(
        self,
        referring_session_id: str | uuid.UUID | None = None,
        *,
        simulate: str | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> LivenessSession:
        """Create a short-lived ID Check session token (``GET /liveness/session?id=true``).

        Like :meth:`create_liveness_session`, for the hosted ID Check page (face and
        document). Retried with the full policy: a retry can at worst leave an unused
        token that expires.

        Args:
            referring_session_id: The user's current Verisoul session id (a UUID); adds
                impersonation and link-sharing risk signals to the result.
            simulate: Sandbox only: an outcome for the hosted flow to simulate, such as
                ``"success"`` or ``"failed_to_process_id_scan"`` (passed through as is).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            The session token and Verisoul's request id.

        Raises:
            TypeError: ``referring_session_id`` is not a str or UUID.
            ValueError: ``referring_session_id`` is not a UUID, or ``simulate`` is empty.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.CREATE_ID_CHECK_SESSION,
            build.create_id_check_session(referring_session_id, simulate),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def verify_face(
        self,
        session_id: str | uuid.UUID,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> VerifyFaceResult:
        """Get the verdict of a finished Face Match session (``POST /liveness/verify-face``).

        Call it on your server when the user comes back from the hosted page, whatever the
        redirect said (the redirect can be forged). It only reads the result, so it is
        retried with the full policy.

        Args:
            session_id: The Face Match session (a UUID).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            The decision, risk score and flags, signals, session data and matching accounts.

        Raises:
            TypeError: ``session_id`` is not a str or UUID.
            ValueError: ``session_id`` is not a UUID.
            BadRequestError: Verisoul refused the session; ``code`` says why, for example
                ``"session_not_complete"`` or ``"liveness_check_failed"``.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.VERIFY_FACE,
            build.verify_face(session_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def verify_id(
        self,
        session_id: str | uuid.UUID,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> VerifyIdResult:
        """Get the verdict of a finished ID Check session (``POST /liveness/verify-id``).

        The ID Check counterpart of :meth:`verify_face`, with the document's signals and
        data added. It only reads the result, so it is retried with the full policy.

        Args:
            session_id: The ID Check session (a UUID).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            Face Match's fields plus ``document_signals`` and ``document_data``.

        Raises:
            TypeError: ``session_id`` is not a str or UUID.
            ValueError: ``session_id`` is not a UUID.
            BadRequestError: Verisoul refused the session; ``code`` says why, for example
                ``"id_scan_not_complete"`` or ``"id_scan_failed"``.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.VERIFY_ID,
            build.verify_id(session_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def enroll_account(
        self,
        session_id: str | uuid.UUID,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> EnrollResult:
        """Tie a verified session's face (and ID) to your account (``POST /liveness/enroll``).

        Later sessions are matched against it. Enroll within 30 days of the session's
        creation; a session can be tied to one account only.

        Not idempotent, so retried only when the request provably never reached Verisoul
        (connection refused, pool timeout) or was refused unprocessed (HTTP 429). If an
        attempt fails after sending (a read timeout, a dropped connection), the call raises
        :class:`APIConnectionError` / :class:`APITimeoutError` with ``outcome_unknown=True``
        instead of retrying: a blind retry of an enroll that was applied would answer
        ``session_already_tied_to_an_account``, turning a success into an error.

        Args:
            session_id: The verified Face Match or ID Check session (a UUID).
            account_id: Your id for the user's account (a non-empty string).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call, used only in the cases above
                (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            Whether the enrollment succeeded, and Verisoul's request id.

        Raises:
            TypeError: ``session_id`` is not a str or UUID, or ``account_id`` not a str.
            ValueError: ``session_id`` is not a UUID, or ``account_id`` is empty.
            BadRequestError: Verisoul refused; ``code`` says why, for example
                ``"session_already_tied_to_an_account"`` or ``"session_older_than_30_days"``.
            APIConnectionError: No answer; check ``outcome_unknown`` before acting on it.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.ENROLL_ACCOUNT,
            build.enroll_account(session_id, account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def verify_identity(
        self,
        session_id: str | uuid.UUID,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> VerifyIdentityResult:
        """Check a new Face Match session against an enrolled account (1:1 authentication).

        ``POST /liveness/verify-identity``. It compares and changes nothing, so it is
        retried with the full policy.

        Args:
            session_id: A new, finished Face Match session (a UUID).
            account_id: The enrolled account to compare with (a non-empty string).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            ``match`` is True when the face is the account's enrolled face. Treat anything
            but ``True`` (including ``None``) as "not the same person".

        Raises:
            TypeError: ``session_id`` is not a str or UUID, or ``account_id`` not a str.
            ValueError: ``session_id`` is not a UUID, or ``account_id`` is empty.
            BadRequestError: Verisoul refused; ``code`` says why, for example
                ``"account_not_found"`` or ``"session_not_complete"``.
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.VERIFY_IDENTITY,
            build.verify_identity(session_id, account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    def hosted_url(
        self,
        session: LivenessSession | str | uuid.UUID,
        *,
        redirect_url: str | None = None,
        lng: str | None = None,
        environment: str | None = None,
    ) -> str:
        """The hosted verification page for a session, in this client's environment.

        No request is made. See :func:`verisoul.hosted_url`.

        Args:
            session: A session from :meth:`create_liveness_session` /
                :meth:`create_id_check_session`, or its ``session_id``.
            redirect_url: Where the page sends the user back (absolute http(s) URL).
            lng: Language of the instructions, such as ``"en"`` or ``"pt-BR"``.
            environment: Override: ``"sandbox"``, ``"production"`` or a hosted page's base
                URL. Default: the client's environment; with a custom ``base_url``, the
                ``environment`` it was given (else ``VERISOUL_ENVIRONMENT``, else sandbox),
                or, for a loopback ``base_url`` (a local fake), the page at that address.

        Returns:
            The URL to send the user's browser to.

        Raises:
            TypeError, ValueError: A malformed argument.
        """
        session_id = session.session_id if isinstance(session, LivenessSession) else session
        chosen = environment if environment is not None else self._config.hosted_page
        return hosted_url(session_id, environment=chosen, redirect_url=redirect_url, lng=lng)
