"""Platform endpoints: sessions, accounts, lists, phone and email intelligence.

Retry class per endpoint (Verisoul documents no idempotency keys, so a write is retried
blindly only when sending it twice leaves the same state and the same answer):

============================================  ============  ===========================
Method                                        Retry class   Why
============================================  ============  ===========================
get_session, get_account,                     IDEMPOTENT    reads
get_account_sessions, get_linked_accounts,
list_lists, get_list
verify_phone (``POST /phone``)                IDEMPOTENT    a lookup; changes nothing
update_account (``PUT``)                      IDEMPOTENT    same body twice = same state
authenticate_session,                         IDEMPOTENT    an upsert keyed by session id
unauthenticated_session                                     (and account id): a repeat
                                                            re-evaluates the same session
                                                            with the same data and returns
                                                            the same kind of answer; at
                                                            worst one more evaluation is
                                                            recorded, which beats failing
                                                            a login on a lost response
delete_account, create_list, delete_list,     UNSAFE_WRITE  a repeat after a lost success
add_account_to_list,                                        answers 400 ("not found",
remove_account_from_list                                    "already exists") for a call
                                                            that worked
submit_email, submit_email_batch              UNSAFE_WRITE  a repeat analyses (and bills)
                                                            again and sends a second webhook
============================================  ============  ===========================

UNSAFE_WRITE calls are still retried when the request provably never left (connect
errors, pool timeouts) or was refused unprocessed (429); otherwise a transport failure is
raised with ``outcome_unknown=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._config import TimeoutTypes
from .._inputs import Account, EmailClaims, EmailEntry, email_batch_body, email_body
from .._models.account import (
    AccountDeletion,
    AccountReport,
    AccountSessions,
    LinkedAccounts,
    parse_account_deletion,
    parse_account_report,
    parse_account_sessions,
    parse_linked_accounts,
)
from .._models.email import (
    EmailBatchSubmission,
    EmailSubmission,
    parse_email_batch_submission,
    parse_email_submission,
)
from .._models.lists import (
    ListChange,
    ListDetails,
    Lists,
    parse_list_change,
    parse_list_details,
    parse_lists,
)
from .._models.phone import PhoneVerification, parse_phone_verification
from .._models.session import (
    Session,
    SessionEvaluation,
    parse_session,
    parse_session_evaluation,
)
from .._requests.platform import (
    account_path,
    accounts_linked_params,
    authenticate_body,
    create_list_body,
    list_account_path,
    list_path,
    phone_body,
    session_body,
    session_path,
)
from .._retry import RetryClass
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

        Returns:
            The decision, scores, session and account details.

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed (see the exception tree).
        """
        return await self._request(
            "POST",
            "/session/authenticate",
            parse_session_evaluation,
            params=accounts_linked_params(accounts_linked),
            json=authenticate_body(session_id, account),
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def unauthenticated_session(
        self,
        session_id: str,
        *,
        accounts_linked: bool = False,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SessionEvaluation:
        """Get a risk decision for a session without an account.

        ``POST /session/unauthenticated``.

        Args:
            session_id: The session id from Verisoul's frontend SDK.
            accounts_linked: Also return the linked accounts (``linked_accounts``).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Returns:
            The decision, scores and session details (``account`` is None).

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed (see the exception tree).
        """
        return await self._request(
            "POST",
            "/session/unauthenticated",
            parse_session_evaluation,
            params=accounts_linked_params(accounts_linked),
            json=session_body(session_id),
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def get_session(
        self,
        session_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Session:
        """Everything Verisoul observed in one session (``GET /session/{session_id}``).

        Args:
            session_id: The session id from Verisoul's frontend SDK.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``session_id`` (nothing is sent).
            APIError: The call failed; an unknown session is a 400.
        """
        return await self._request(
            "GET",
            session_path(session_id),
            parse_session,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    # -- accounts ---------------------------------------------------------------------

    async def get_account(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AccountReport:
        """An account's data, activity and risk verdict (``GET /account/{account_id}``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._request(
            "GET",
            account_path(account_id),
            parse_account_report,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def update_account(
        self,
        account: Account | Mapping[str, Any],
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AccountReport:
        """Replace the stored data of the account ``account.id`` (``PUT /account/{id}``).

        ``group`` and ``lists`` cannot be changed here (use the list methods).

        Args:
            account: The account's new data: an :class:`~verisoul.Account` or a dict with the
                same keys (``id`` says which account).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An invalid account, or one with ``group``/``lists`` set
                (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        checked = Account.from_value(account)
        return await self._request(
            "PUT",
            account_path(checked.id),
            parse_account_report,
            json=checked.to_update_json(),
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def delete_account(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AccountDeletion:
        """Delete an account (``DELETE /account/{account_id}``).

        Not retried once it may have reached Verisoul: a repeat of a deletion that worked
        would answer "Account not found".

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._request(
            "DELETE",
            account_path(account_id),
            parse_account_deletion,
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def get_account_sessions(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AccountSessions:
        """The ids of an account's sessions (``GET /account/{account_id}/sessions``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._request(
            "GET",
            account_path(account_id, "/sessions"),
            parse_account_sessions,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def get_linked_accounts(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> LinkedAccounts:
        """Accounts sharing signals with this one (``GET /account/{id}/accounts-linked``).

        Args:
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``account_id`` (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._request(
            "GET",
            account_path(account_id, "/accounts-linked"),
            parse_linked_accounts,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    # -- lists ------------------------------------------------------------------------

    async def list_lists(
        self,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Lists:
        """Every list in the project, built-in ``allow``/``block``/``main_account`` too.

        ``GET /list``.

        Args:
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            APIError: The call failed (see the exception tree).
        """
        return await self._request(
            "GET",
            "/list",
            parse_lists,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def get_list(
        self,
        list_name: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> ListDetails:
        """A list's description and account ids (``GET /list/{list_name}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``list_name`` (nothing is sent).
            APIError: The call failed; an unknown list is a 400.
        """
        return await self._request(
            "GET",
            list_path(list_name),
            parse_list_details,
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def create_list(
        self,
        name: str,
        description: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> ListChange:
        """Create a list (``POST /list/{name}``).

        Args:
            name: The new list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            description: What the list is for.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty name or a non-str description (nothing is sent).
            APIError: The call failed; an existing list is a 400 ("List already exists.").
        """
        return await self._request(
            "POST",
            list_path(name),
            parse_list_change,
            json=create_list_body(description),
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def delete_list(
        self,
        list_name: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> ListChange:
        """Delete a list (``DELETE /list/{list_name}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str ``list_name`` (nothing is sent).
            APIError: The call failed; an unknown list is a 400.
        """
        return await self._request(
            "DELETE",
            list_path(list_name),
            parse_list_change,
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def add_account_to_list(
        self,
        list_name: str,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> ListChange:
        """Put an account on a list (``POST /list/{list_name}/account/{account_id}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str name or id (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._request(
            "POST",
            list_account_path(list_name, account_id),
            parse_list_change,
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    async def remove_account_from_list(
        self,
        list_name: str,
        account_id: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> ListChange:
        """Take an account off a list (``DELETE /list/{list_name}/account/{account_id}``).

        Args:
            list_name: The list's name (sent percent-encoded: ``/``, ``?`` or spaces are fine).
            account_id: Your id for the account.
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str name or id (nothing is sent).
            APIError: The call failed; an unknown account is a 400.
        """
        return await self._request(
            "DELETE",
            list_account_path(list_name, account_id),
            parse_list_change,
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )

    # -- phone and email --------------------------------------------------------------

    async def verify_phone(
        self,
        phone_number: str,
        *,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> PhoneVerification:
        """Look up a phone number's validity, carrier and line type (``POST /phone``).

        Args:
            phone_number: The number to look up, preferably E.164 (``+14155550123``).
            timeout: Per-attempt timeout for this call (None: the client's).
            max_retries: Extra attempts for this call (None: the client's).
            deadline: Total seconds for this call, retries included (None: the client's).

        Raises:
            TypeError, ValueError: An empty or non-str number (nothing is sent).
            APIError: The call failed; an invalid number is a 400 ("Invalid phone number").
        """
        return await self._request(
            "POST",
            "/phone",
            parse_phone_verification,
            json=phone_body(phone_number),
            retry=RetryClass.IDEMPOTENT,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
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

        Raises:
            TypeError, ValueError: An invalid argument (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._request(
            "POST",
            "/email",
            parse_email_submission,
            json=email_body(email, claims, identity_intelligence),
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
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

        Raises:
            TypeError, ValueError: No entries, more than 1,000, or an invalid entry
                (nothing is sent).
            APIError: The call failed; check ``outcome_unknown`` on connection errors.
        """
        return await self._request(
            "POST",
            "/email",
            parse_email_batch_submission,
            json=email_batch_body(entries, batch_name, identity_intelligence),
            retry=RetryClass.UNSAFE_WRITE,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
        )
