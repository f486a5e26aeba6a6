"""The ``verisoul`` command's API subcommands: one :class:`ApiCommand` per operation.

Each command adds its flags and calls one method of the sync client; the result model is
printed as JSON (attribute names, datetimes in ISO 8601). A name with a space (``"list
get"``) is an action inside a command group (``verisoul list get NAME``). Adding an
endpoint: append an :class:`ApiCommand` to :data:`API_COMMANDS`.
"""

from __future__ import annotations

import argparse
import enum
import json
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import _endpoints as ep
from ._endpoints import Endpoint

if TYPE_CHECKING:
    from attrs import AttrsInstance

    from ._models.liveness import LivenessSession
    from ._sync.client import Verisoul

__all__ = ["API_COMMANDS", "GROUP_HELP", "ApiCommand", "to_json"]


@attrs.frozen
class ApiCommand:
    """One API subcommand: the CLI face of one :data:`~verisoul._endpoints.ENDPOINTS` entry.

    Attributes:
        endpoint: The operation; its ``cli`` is the subcommand (``list get`` is action
            ``get`` of group ``list``) and its ``summary`` the ``--help`` line.
        add_arguments: Adds the command's own flags to its parser.
        call: Runs the command with a ready client; returns a JSON-able result.
    """

    endpoint: Endpoint[Any]
    add_arguments: Callable[[argparse.ArgumentParser], None]
    call: Callable[[Verisoul, argparse.Namespace], object]

    @property
    def name(self) -> str:
        """The subcommand, e.g. ``liveness-session`` or ``list get``."""
        return self.endpoint.cli

    @property
    def help(self) -> str:
        """One line for ``--help``: the endpoint's summary."""
        return self.endpoint.summary.rstrip(".").replace("``", "")


#: One-line help of each command group.
GROUP_HELP = {
    "session": "device sessions: get, authenticate, unauthenticated",
    "account": "accounts: get, update, delete, sessions, linked",
    "list": "lists: ls, get, create, delete, add, remove",
    "phone": "phone numbers: verify",
    "email": "email intelligence: submit, batch (results arrive by webhook)",
}


def _serialize(_instance: object, _field: object, value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return dict(value)
    return value


def to_json(model: AttrsInstance) -> object:
    """A result model as plain JSON data (tuples as lists, datetimes as ISO strings)."""
    return attrs.asdict(model, value_serializer=_serialize)


#: Help of each positional argument, by name.
POSITIONAL_HELP = {
    "session_id": "the session's id (a UUID for liveness sessions)",
    "account_id": "your id for the account (the user)",
    "list_name": "the list's name",
    "phone_number": "the number in E.164 form, e.g. +14155550123",
}


def _positionals(*names: str) -> Callable[[argparse.ArgumentParser], None]:
    """An ``add_arguments`` taking the given positional arguments (e.g. ``session_id``)."""

    def add(parser: argparse.ArgumentParser) -> None:
        for name in names:
            parser.add_argument(name, metavar=name.upper(), help=POSITIONAL_HELP.get(name))

    return add


# -- liveness ----------------------------------------------------------------------------


#: The documented ``simulate`` cases of a Face Match session; ID Check adds two.
SIMULATE_CASES = (
    "success",
    "invalid_session_id",
    "session_id_not_found",
    "failed_to_get_camera_permission",
    "failed_to_complete_face_scan",
    "liveness_check_failed",
)
ID_CHECK_SIMULATE_CASES = (
    *SIMULATE_CASES,
    "failed_to_process_id_scan",
    "failed_to_collect_device_data",
)


def _new_session_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--referring-session-id",
        metavar="ID",
        help="the user's current Verisoul session id (a UUID), for referring-session signals",
    )
    parser.add_argument(
        "--simulate",
        metavar="CASE",
        help="sandbox only: the hosted flow's outcome, one of "
        f"{', '.join(SIMULATE_CASES)} (ID Check also: failed_to_process_id_scan, "
        "failed_to_collect_device_data)",
    )
    parser.add_argument(
        "--simulate-unlisted",
        action="store_true",
        help="send a --simulate value that is not in the documented list (a newer case)",
    )
    parser.add_argument(
        "--redirect-url",
        metavar="URL",
        help="where the hosted page sends the user back (in the printed hosted_url)",
    )


def _checked_simulate(args: argparse.Namespace, id_check: bool) -> str | None:
    value: str | None = args.simulate
    cases = ID_CHECK_SIMULATE_CASES if id_check else SIMULATE_CASES
    if value is None or value in cases or args.simulate_unlisted:
        return value
    hint = " (an ID Check case: use id-check-session)" if value in ID_CHECK_SIMULATE_CASES else ""
    raise ValueError(
        f"--simulate must be one of {', '.join(cases)}, got {value!r}{hint}; "
        "pass --simulate-unlisted to send it anyway"
    )


def _session_result(
    client: Verisoul, session: LivenessSession, args: argparse.Namespace
) -> object:
    result = to_json(session)
    assert isinstance(result, dict)
    result["hosted_url"] = client.hosted_url(session, redirect_url=args.redirect_url)
    return result


def _liveness_session(client: Verisoul, args: argparse.Namespace) -> object:
    simulate = _checked_simulate(args, False)
    session = client.create_liveness_session(args.referring_session_id, simulate=simulate)
    return _session_result(client, session, args)


def _id_check_session(client: Verisoul, args: argparse.Namespace) -> object:
    simulate = _checked_simulate(args, True)
    session = client.create_id_check_session(args.referring_session_id, simulate=simulate)
    return _session_result(client, session, args)


# -- accounts and sessions ------------------------------------------------------------


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


_PROFILE_FLAGS = {
    "email": "the account's email address",
    "phone": "the account's phone number (E.164, e.g. +14155550123)",
    "first-name": "the account holder's first name",
    "last-name": "the account holder's last name",
    "username": "the account's username",
}


def _profile_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("account data")
    for flag, what in _PROFILE_FLAGS.items():
        group.add_argument(f"--{flag}", metavar="TEXT", help=what)
    group.add_argument(
        "--expected-country",
        dest="expected_countries",
        action="append",
        metavar="CC",
        help="ISO 3166-1 alpha-2 code; repeat for several",
    )
    group.add_argument("--metadata", type=_json_object, metavar="JSON", help="a JSON object")


_ACCOUNT_FLAGS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "username",
    "expected_countries",
    "metadata",
    "group",
    "lists",
)


def _account(args: argparse.Namespace) -> dict[str, Any]:
    fields = {name: getattr(args, name) for name in _ACCOUNT_FLAGS}
    fields["id"] = args.account_id
    return {name: value for name, value in fields.items() if value is not None}


def _authenticate_arguments(parser: argparse.ArgumentParser) -> None:
    _positionals("session_id", "account_id")(parser)
    _profile_arguments(parser)
    parser.add_argument("--group", metavar="NAME", help="projects with groups enabled only")
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="NAME",
        help="put the account on this list (created when missing); repeat for several",
    )
    _accounts_linked_argument(parser)


def _accounts_linked_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--accounts-linked", action="store_true", help="include the linked accounts"
    )


def _unauthenticated_arguments(parser: argparse.ArgumentParser) -> None:
    _positionals("session_id")(parser)
    _accounts_linked_argument(parser)


def _update_arguments(parser: argparse.ArgumentParser) -> None:
    _positionals("account_id")(parser)
    _profile_arguments(parser)
    parser.set_defaults(group=None, lists=None)


def _authenticate(client: Verisoul, args: argparse.Namespace) -> object:
    evaluation = client.authenticate_session(
        args.session_id, _account(args), accounts_linked=args.accounts_linked
    )
    return to_json(evaluation)


def _unauthenticated(client: Verisoul, args: argparse.Namespace) -> object:
    evaluation = client.unauthenticated_session(
        args.session_id, accounts_linked=args.accounts_linked
    )
    return to_json(evaluation)


# -- email ------------------------------------------------------------------------------


def _identity_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--identity-intelligence",
        action="store_true",
        help="also look up identity data (online accounts, names, phones)",
    )


def _email_submit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", metavar="EMAIL", help="the address to analyse")
    claims = parser.add_argument_group("claims (checked against the email's identity data)")
    for flag in ("first-name", "last-name", "phone", "country"):
        claims.add_argument(
            f"--claim-{flag}", metavar="TEXT", help=f"the {flag.replace('-', ' ')} the user gave"
        )
    _identity_argument(parser)


def _email_submit(client: Verisoul, args: argparse.Namespace) -> object:
    names = ("first_name", "last_name", "phone", "country")
    claims = {name: getattr(args, f"claim_{name}") for name in names}
    given = {name: value for name, value in claims.items() if value is not None}
    result = client.submit_email(
        args.email, claims=given or None, identity_intelligence=args.identity_intelligence
    )
    return to_json(result)


def _email_batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("emails", nargs="*", metavar="EMAIL", help="addresses to analyse")
    parser.add_argument(
        "--file", metavar="PATH", help="read more addresses, one per line ('-': stdin)"
    )
    parser.add_argument("--batch-name", metavar="NAME", help="your label for the batch")
    _identity_argument(parser)


def _read_addresses(source: str) -> list[str]:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read {source}: {error.strerror}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _email_batch(client: Verisoul, args: argparse.Namespace) -> object:
    emails = list(args.emails)
    if args.file is not None:
        emails += _read_addresses(args.file)
    result = client.submit_email_batch(
        emails, batch_name=args.batch_name, identity_intelligence=args.identity_intelligence
    )
    return to_json(result)


def _create_list_arguments(parser: argparse.ArgumentParser) -> None:
    _positionals("list_name")(parser)
    parser.add_argument("--description", default="", metavar="TEXT", help="what the list is for")


def _simple(endpoint: Endpoint[Any], *positionals: str) -> ApiCommand:
    """A command passing its positional arguments, in order, to the endpoint's method."""

    def call(client: Verisoul, args: argparse.Namespace) -> object:
        values = [getattr(args, positional) for positional in positionals]
        return to_json(getattr(client, endpoint.name)(*values))

    return ApiCommand(endpoint, _positionals(*positionals), call)


#: The API subcommands, in ``--help`` order.
API_COMMANDS: list[ApiCommand] = [
    ApiCommand(ep.CREATE_LIVENESS_SESSION, _new_session_arguments, _liveness_session),
    ApiCommand(ep.CREATE_ID_CHECK_SESSION, _new_session_arguments, _id_check_session),
    _simple(ep.VERIFY_FACE, "session_id"),
    _simple(ep.VERIFY_ID, "session_id"),
    _simple(ep.ENROLL_ACCOUNT, "session_id", "account_id"),
    _simple(ep.VERIFY_IDENTITY, "session_id", "account_id"),
    _simple(ep.GET_SESSION, "session_id"),
    ApiCommand(ep.AUTHENTICATE_SESSION, _authenticate_arguments, _authenticate),
    ApiCommand(ep.UNAUTHENTICATED_SESSION, _unauthenticated_arguments, _unauthenticated),
    _simple(ep.GET_ACCOUNT, "account_id"),
    ApiCommand(
        ep.UPDATE_ACCOUNT,
        _update_arguments,
        lambda client, args: to_json(client.update_account(_account(args))),
    ),
    _simple(ep.DELETE_ACCOUNT, "account_id"),
    _simple(ep.GET_ACCOUNT_SESSIONS, "account_id"),
    _simple(ep.GET_LINKED_ACCOUNTS, "account_id"),
    _simple(ep.LIST_LISTS),
    _simple(ep.GET_LIST, "list_name"),
    ApiCommand(
        ep.CREATE_LIST,
        _create_list_arguments,
        lambda client, args: to_json(client.create_list(args.list_name, args.description)),
    ),
    _simple(ep.DELETE_LIST, "list_name"),
    _simple(ep.ADD_ACCOUNT_TO_LIST, "list_name", "account_id"),
    _simple(ep.REMOVE_ACCOUNT_FROM_LIST, "list_name", "account_id"),
    _simple(ep.VERIFY_PHONE, "phone_number"),
    ApiCommand(ep.SUBMIT_EMAIL, _email_submit_arguments, _email_submit),
    ApiCommand(ep.SUBMIT_EMAIL_BATCH, _email_batch_arguments, _email_batch),
]
