"""Every Verisoul operation, declared once.

An :class:`Endpoint` says how to call an operation (HTTP method, path template, retry
class) and how to read its answer (the model parser). The clients' public methods keep
their explicit signatures and docstrings and delegate to ``_call(ENDPOINT, parts, ...)``;
the CLI's subcommands, the README's method and retry tables
(``scripts/endpoint_tables.py``) and the tests that tie every endpoint to a fake route
and an OpenAPI operation all read :data:`ENDPOINTS`.

The table itself loads neither httpx nor the models (the CLI's ``--help`` reads it):
a parser is named ``"module:function"`` and imported on its first use.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._retry_class import RetryClass

if TYPE_CHECKING:
    from ._models.account import AccountDeletion, AccountReport, AccountSessions, LinkedAccounts
    from ._models.email import EmailBatchSubmission, EmailSubmission
    from ._models.lists import ListChange, ListDetails, Lists
    from ._models.liveness import (
        EnrollResult,
        LivenessSession,
        VerifyFaceResult,
        VerifyIdentityResult,
        VerifyIdResult,
    )
    from ._models.phone import PhoneVerification
    from ._models.session import Session, SessionEvaluation

__all__ = ["ENDPOINTS", "Endpoint", "RequestParts"]

_T = TypeVar("_T")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@attrs.frozen
class RequestParts:
    """What one call sends besides the endpoint's fixed parts.

    Built and checked by the pure builders in ``verisoul._requests`` before any I/O.

    Attributes:
        path_params: Values for the endpoint's ``{placeholders}``, percent-encoded later.
        params: Query parameters, or None.
        json: The JSON body, or None for no body.
    """

    path_params: Mapping[str, str] = attrs.field(factory=dict)
    params: Mapping[str, str] | None = None
    json: Any = None


@attrs.frozen
class Endpoint(Generic[_T]):
    """One Verisoul operation.

    Attributes:
        name: The client method (``verify_face``).
        method: The HTTP method.
        path: The path template, as Verisoul's OpenAPI files spell it
            (``/list/{list_name}/account/{account_id}``).
        retry: How safe the operation is to send twice (see ``docs/retries.md``).
        parser: ``"module:function"`` under ``verisoul._models`` that reads the answer.
        summary: One line for the docs' method table and the CLI's help.
        cli: The ``verisoul`` subcommand (``"list get"`` is action ``get`` of group
            ``list``).
        retry_reason: Why the retry class fits, for the docs' retry table.
    """

    name: str
    method: str
    path: str
    retry: RetryClass
    parser: str
    summary: str
    cli: str
    retry_reason: str
    _loaded: list[Callable[[object], _T]] = attrs.field(factory=list, eq=False, repr=False)

    @property
    def parse_function(self) -> Callable[[object], _T]:
        """The parser itself, imported on first use."""
        if not self._loaded:
            module, _, function = self.parser.partition(":")
            loaded = importlib.import_module(f"verisoul._models.{module}")
            self._loaded.append(getattr(loaded, function))
        return self._loaded[0]

    def parse(self, data: object) -> _T:
        """Read a decoded JSON answer into the endpoint's model."""
        return self.parse_function(data)

    @property
    def path_params(self) -> tuple[str, ...]:
        """The names of the path template's placeholders, in order."""
        return _placeholders(self.path)

    def render_path(self, values: Mapping[str, str]) -> str:
        """The path with each placeholder replaced by its value as ONE encoded segment.

        Raises:
            TypeError, ValueError: A value is not a non-empty str, or a whole ``.``/``..``.
            KeyError: ``values`` does not name exactly the template's placeholders (a
                builder's bug: a template must never be sent as is).
        """
        names = _placeholders(self.path)
        if values.keys() != set(names):
            raise KeyError(f"{self.name}: path values {sorted(values)} for {list(names)}")
        if not names:
            return self.path
        from ._urls import quote_segment  # loads httpx: not needed for the table itself

        return _PLACEHOLDER.sub(lambda m: quote_segment(values[m[1]], m[1]), self.path)


@functools.lru_cache(maxsize=64)
def _placeholders(path: str) -> tuple[str, ...]:
    return tuple(_PLACEHOLDER.findall(path))


_READ = "a read"
_UPSERT = "it evaluates a session; a repeat stores the same data"
_NOT_TWICE = 'a repeat of one that worked answers "not found" or "already exists"'
_NEW_SESSION = "a repeat at worst leaves an unused token that expires"
_VERIFY = "it only reads the verdict"
_EMAIL = "a repeat would analyse (and bill, and notify) twice"

# fmt: off
CREATE_LIVENESS_SESSION: Endpoint[LivenessSession] = Endpoint(
    "create_liveness_session", "GET", "/liveness/session", RetryClass.IDEMPOTENT,
    "liveness:parse_liveness_session", "Create a Face Match session token.",
    "liveness-session", _NEW_SESSION)
CREATE_ID_CHECK_SESSION: Endpoint[LivenessSession] = Endpoint(
    "create_id_check_session", "GET", "/liveness/session", RetryClass.IDEMPOTENT,
    "liveness:parse_liveness_session", "Create an ID Check session token (``?id=true``).",
    "id-check-session", _NEW_SESSION)
VERIFY_FACE: Endpoint[VerifyFaceResult] = Endpoint(
    "verify_face", "POST", "/liveness/verify-face", RetryClass.IDEMPOTENT,
    "liveness:parse_verify_face", "The Face Match verdict of a finished session.",
    "verify-face", _VERIFY)
VERIFY_ID: Endpoint[VerifyIdResult] = Endpoint(
    "verify_id", "POST", "/liveness/verify-id", RetryClass.IDEMPOTENT,
    "liveness:parse_verify_id", "The ID Check verdict (face and document) of a session.",
    "verify-id", _VERIFY)
ENROLL_ACCOUNT: Endpoint[EnrollResult] = Endpoint(
    "enroll_account", "POST", "/liveness/enroll", RetryClass.UNSAFE_WRITE,
    "liveness:parse_enroll", "Enroll a verified face under your account id.",
    "enroll", "a repeat of an applied enroll answers `session_already_tied_to_an_account`")
VERIFY_IDENTITY: Endpoint[VerifyIdentityResult] = Endpoint(
    "verify_identity", "POST", "/liveness/verify-identity", RetryClass.IDEMPOTENT,
    "liveness:parse_verify_identity", "Check a new session's face against an enrolled account.",
    "verify-identity", _VERIFY)
AUTHENTICATE_SESSION: Endpoint[SessionEvaluation] = Endpoint(
    "authenticate_session", "POST", "/session/authenticate", RetryClass.IDEMPOTENT,
    "session:parse_session_evaluation", "Tie a device session to an account; get a decision.",
    "session authenticate", _UPSERT)
UNAUTHENTICATED_SESSION: Endpoint[SessionEvaluation] = Endpoint(
    "unauthenticated_session", "POST", "/session/unauthenticated", RetryClass.IDEMPOTENT,
    "session:parse_session_evaluation", "A risk decision for a session with no account.",
    "session unauthenticated", _UPSERT)
GET_SESSION: Endpoint[Session] = Endpoint(
    "get_session", "GET", "/session/{session_id}", RetryClass.IDEMPOTENT,
    "session:parse_session", "A session's device, network and risk details.",
    "session get", _READ)
GET_ACCOUNT: Endpoint[AccountReport] = Endpoint(
    "get_account", "GET", "/account/{account_id}", RetryClass.IDEMPOTENT,
    "account:parse_account_report", "An account's decision, scores and details.",
    "account get", _READ)
UPDATE_ACCOUNT: Endpoint[AccountReport] = Endpoint(
    "update_account", "PUT", "/account/{account_id}", RetryClass.IDEMPOTENT,
    "account:parse_account_report", "Replace an account's stored data.",
    "account update", "`PUT` replaces the stored data with the same values")
DELETE_ACCOUNT: Endpoint[AccountDeletion] = Endpoint(
    "delete_account", "DELETE", "/account/{account_id}", RetryClass.UNSAFE_WRITE,
    "account:parse_account_deletion", "Delete an account.",
    "account delete", _NOT_TWICE)
GET_ACCOUNT_SESSIONS: Endpoint[AccountSessions] = Endpoint(
    "get_account_sessions", "GET", "/account/{account_id}/sessions", RetryClass.IDEMPOTENT,
    "account:parse_account_sessions", "The session ids seen for an account.",
    "account sessions", _READ)
GET_LINKED_ACCOUNTS: Endpoint[LinkedAccounts] = Endpoint(
    "get_linked_accounts", "GET", "/account/{account_id}/accounts-linked",
    RetryClass.IDEMPOTENT, "account:parse_linked_accounts",
    "Accounts linked to an account by shared signals.", "account linked", _READ)
LIST_LISTS: Endpoint[Lists] = Endpoint(
    "list_lists", "GET", "/list", RetryClass.IDEMPOTENT,
    "lists:parse_lists", "Every list of the project.",
    "list ls", _READ)
GET_LIST: Endpoint[ListDetails] = Endpoint(
    "get_list", "GET", "/list/{list_name}", RetryClass.IDEMPOTENT,
    "lists:parse_list_details", "A list and its accounts.",
    "list get", _READ)
CREATE_LIST: Endpoint[ListChange] = Endpoint(
    "create_list", "POST", "/list/{list_name}", RetryClass.UNSAFE_WRITE,
    "lists:parse_list_change", "Create a list.",
    "list create", _NOT_TWICE)
DELETE_LIST: Endpoint[ListChange] = Endpoint(
    "delete_list", "DELETE", "/list/{list_name}", RetryClass.UNSAFE_WRITE,
    "lists:parse_list_change", "Delete a list.",
    "list delete", _NOT_TWICE)
ADD_ACCOUNT_TO_LIST: Endpoint[ListChange] = Endpoint(
    "add_account_to_list", "POST", "/list/{list_name}/account/{account_id}",
    RetryClass.UNSAFE_WRITE, "lists:parse_list_change", "Add an account to a list.",
    "list add", _NOT_TWICE)
REMOVE_ACCOUNT_FROM_LIST: Endpoint[ListChange] = Endpoint(
    "remove_account_from_list", "DELETE", "/list/{list_name}/account/{account_id}",
    RetryClass.UNSAFE_WRITE, "lists:parse_list_change", "Remove an account from a list.",
    "list remove", _NOT_TWICE)
VERIFY_PHONE: Endpoint[PhoneVerification] = Endpoint(
    "verify_phone", "POST", "/phone", RetryClass.IDEMPOTENT,
    "phone:parse_phone_verification", "A phone number's validity, carrier and line type.",
    "phone verify", "a lookup")
SUBMIT_EMAIL: Endpoint[EmailSubmission] = Endpoint(
    "submit_email", "POST", "/email", RetryClass.UNSAFE_WRITE,
    "email:parse_email_submission", "Submit one email for analysis (result by webhook).",
    "email submit", _EMAIL)
SUBMIT_EMAIL_BATCH: Endpoint[EmailBatchSubmission] = Endpoint(
    "submit_email_batch", "POST", "/email", RetryClass.UNSAFE_WRITE,
    "email:parse_email_batch_submission", "Submit up to 1,000 emails (results by webhook).",
    "email batch", _EMAIL)
# fmt: on

#: Every operation, in the order of the docs' tables.
ENDPOINTS: tuple[Endpoint[Any], ...] = (
    CREATE_LIVENESS_SESSION,
    CREATE_ID_CHECK_SESSION,
    VERIFY_FACE,
    VERIFY_ID,
    ENROLL_ACCOUNT,
    VERIFY_IDENTITY,
    AUTHENTICATE_SESSION,
    UNAUTHENTICATED_SESSION,
    GET_SESSION,
    GET_ACCOUNT,
    UPDATE_ACCOUNT,
    DELETE_ACCOUNT,
    GET_ACCOUNT_SESSIONS,
    GET_LINKED_ACCOUNTS,
    LIST_LISTS,
    GET_LIST,
    CREATE_LIST,
    DELETE_LIST,
    ADD_ACCOUNT_TO_LIST,
    REMOVE_ACCOUNT_FROM_LIST,
    VERIFY_PHONE,
    SUBMIT_EMAIL,
    SUBMIT_EMAIL_BATCH,
)
