"""Platform endpoints: sessions, accounts, lists, phone and email intelligence.

Each method's HTTP method, path and retry class are declared in
:mod:`verisoul._endpoints`; the retry table in ``docs/retries.md`` is generated from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import _endpoints as endpoints
from .._config import TimeoutTypes
from .._inputs import Account, EmailClaims, EmailEntry
from .._models.account import AccountDeletion, AccountReport, AccountSessions, LinkedAccounts
from .._models.email import EmailBatchSubmission, EmailSubmission
from .._models.lists import ListChange, ListDetails, Lists
from .._models.phone import PhoneVerification
from .._models.session import Session, SessionEvaluation
from .._requests import platform as build
from ._base import AsyncBaseClient

__all__ = ["AsyncPlatformAPI"]


class AsyncPlatformAPI(AsyncBaseClient):
    """Session, account, list, phone and email intelligence methods.

    Every method also takes ``timeout`` (per attempt), ``max_retries`` and ``deadline``
    (total seconds, retries included) to override the client's settings for one call.
    Verisoul reports missing records as HTTP 400, so "not found" raises
    :class:`~verisoul.BadRequestError` (its ``body`` holds Verisoul's ``message``).
    """

    # -- sessions ---------------------------------------------------------------------

    async def authenticate_session(
        self,
        session_id: str,
        account: Account | Mapping[str, Any],
        *,
        accounts_linked: bool = False,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> SessionEvaluation:
        """Tie a device session to your account and get a risk decision.

        ``POST /session/authenticate``. Creates or updates the account with the given
        data; lists named in ``account.lists`` are created when missing.

        Args:
            session_id: The session id from Verisoul's frontend SDK.
            account: An :class:`~verisoul.Account` or a dict with the same keys.
            accounts_linked: Also return the linked accounts (``linked_accounts``).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            The decision, scores, session and account details.

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.AUTHENTICATE_SESSION,
            build.authenticate_session(session_id, account, accounts_linked),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def unauthenticated_session(
        self,
        session_id: str,
        *,
        accounts_linked: bool = False,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> SessionEvaluation:
        """Get a risk decision for a session without an account.

        ``POST /session/unauthenticated``.

        Args:
            session_id: The session id from Verisoul's frontend SDK.
            accounts_linked: Also return the linked accounts (``linked_accounts``).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Returns:
            The decision, scores and session details (``account`` is None).

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.UNAUTHENTICATED_SESSION,
            build.unauthenticated_session(session_id, accounts_linked),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def get_session(
        self,
        session_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Session:
        """Everything Verisoul observed in one session (``GET /session/{session_id}``).

        Args:
            session_id: The session id from Verisoul's frontend SDK.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``session_id`` (nothing is sent).
            APIError: The call failed; an unknown session is a 400.
        """
        return await self._call(
            endpoints.GET_SESSION,
            build.get_session(session_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    # -- accounts ---------------------------------------------------------------------

    async def get_account(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AccountReport:
        """An account's data, activity and risk verdict (``GET /account/{account_id}``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.GET_ACCOUNT,
            build.get_account(account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def update_account(
        self,
        account: Account | Mapping[str, Any],
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AccountReport:
        """Replace the stored data of the account ``account.id`` (``PUT /account/{id}``).

        ``group`` and ``lists`` cannot be changed here (use the list methods).

        Args:
            account: The account's new data: an :class:`~verisoul.Account` or a dict with the
                same keys (``id`` says which account).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An invalid account, or one with ``group``/``lists`` set
                (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.UPDATE_ACCOUNT,
            build.update_account(account),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def delete_account(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AccountDeletion:
        """Delete an account (``DELETE /account/{account_id}``).

        Not retried once it may have reached Verisoul: a repeat of a deletion that worked
        would answer "Account not found".

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._call(
            endpoints.DELETE_ACCOUNT,
            build.delete_account(account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def get_account_sessions(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AccountSessions:
        """The ids of an account's sessions (``GET /account/{account_id}/sessions``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.GET_ACCOUNT_SESSIONS,
            build.get_account_sessions(account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def get_linked_accounts(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> LinkedAccounts:
        """Accounts sharing signals with this one (``GET /account/{id}/accounts-linked``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.GET_LINKED_ACCOUNTS,
            build.get_linked_accounts(account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    # -- lists ------------------------------------------------------------------------

    async def list_lists(
        self,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Lists:
        """Every list in the project, built-in ``allow``/``block``/``main_account`` too.

        ``GET /list``.

        Args:
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            APIError: The call failed (see the exception tree).
        """
        return await self._call(
            endpoints.LIST_LISTS,
            build.list_lists(),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def get_list(
        self,
        list_name: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ListDetails:
        """A list's description and account ids (``GET /list/{list_name}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``list_name`` (nothing is sent).
            APIError: The call failed; an unknown list is a 400.
        """
        return await self._call(
            endpoints.GET_LIST,
            build.get_list(list_name),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def create_list(
        self,
        name: str,
        description: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ListChange:
        """Create a list (``POST /list/{name}``).

        Args:
            name: The new list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            description: What the list is for.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty name or a non-str description (nothing is sent).
            APIError: The call failed; an existing list is a 400 ("List already exists.").
        """
        return await self._call(
            endpoints.CREATE_LIST,
            build.create_list(name, description),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def delete_list(
        self,
        list_name: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ListChange:
        """Delete a list (``DELETE /list/{list_name}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str ``list_name`` (nothing is sent).
            APIError: The call failed; an unknown list is a 400.
        """
        return await self._call(
            endpoints.DELETE_LIST,
            build.delete_list(list_name),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def add_account_to_list(
        self,
        list_name: str,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ListChange:
        """Put an account on a list (``POST /list/{list_name}/account/{account_id}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str name or id (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.ADD_ACCOUNT_TO_LIST,
            build.add_account_to_list(list_name, account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def remove_account_from_list(
        self,
        list_name: str,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ListChange:
        """Take an account off a list (``DELETE /list/{list_name}/account/{account_id}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str name or id (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._call(
            endpoints.REMOVE_ACCOUNT_FROM_LIST,
            build.remove_account_from_list(list_name, account_id),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    # -- phone and email --------------------------------------------------------------

    async def verify_phone(
        self,
        phone_number: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PhoneVerification:
        """Look up a phone number's validity, carrier and line type (``POST /phone``).

        Args:
            phone_number: The number to look up, preferably E.164 (``+14155550123``).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An empty or non-str number (nothing is sent).
            APIError: The call failed; an invalid number is a 400 ("Invalid phone number").
        """
        return await self._call(
            endpoints.VERIFY_PHONE,
            build.verify_phone(phone_number),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def submit_email(
        self,
        email: str,
        *,
        claims: EmailClaims | Mapping[str, Any] | None = None,
        identity_intelligence: bool = False,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> EmailSubmission:
        """Submit one email for analysis (``POST /email``); the result comes by webhook.

        Match the webhook event (see :mod:`verisoul.webhooks`) to this call by
        ``request_id``.

        Args:
            email: The address to analyse.
            claims: What the user claims (name, phone, country), checked against the
                identity data found.
            identity_intelligence: Also look up identity data (online accounts, names).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._call(
            endpoints.SUBMIT_EMAIL,
            build.submit_email(email, claims, identity_intelligence),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )

    async def submit_email_batch(
        self,
        entries: Iterable[EmailEntry | str | Mapping[str, Any]],
        *,
        batch_name: str | None = None,
        identity_intelligence: bool = False,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> EmailBatchSubmission:
        """Submit up to 1,000 emails for analysis (``POST /email`` with ``emails``).

        Each result arrives as its own webhook event carrying the batch's ``batch_id``.

        Args:
            entries: 1 to 1,000 entries: addresses, :class:`~verisoul.EmailEntry` or dicts.
            batch_name: Your label (Verisoul generates one when omitted).
            identity_intelligence: Default for entries that do not set their own.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).
            extra_headers: Headers added to this call only (a tracing id, say).

        Raises:
            TypeError, ValueError: No entries, more than 1,000, or an invalid entry
                (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._call(
            endpoints.SUBMIT_EMAIL_BATCH,
            build.submit_email_batch(entries, batch_name, identity_intelligence),
            timeout,
            max_retries,
            deadline,
            extra_headers,
        )
