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

if TYPE_CHECKING:
    from attrs import AttrsInstance

    from ._models.liveness import LivenessSession
    from ._sync.client import Verisoul

__all__ = ["API_COMMANDS", "GROUP_HELP", "ApiCommand", "to_json"]


@attrs.frozen
class ApiCommand:
    """One API subcommand.

    Attributes:
        name: The subcommand, e.g. ``liveness-session``, or ``group action`` (``list get``).
        help: One-line description for ``--help``.
        add_arguments: Adds the command's own flags to its parser.
        call: Runs the command with a ready client; returns a JSON-able result.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    call: Callable[[Verisoul, argparse.Namespace], object]


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
    hint = " (an ID Check case: add --id-check)" if value in ID_CHECK_SIMULATE_CASES else ""
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


def _liveness_session_arguments(parser: argparse.ArgumentParser) -> None:
    _new_session_arguments(parser)
    parser.add_argument(
        "--id-check", action="store_true", help="create an ID Check session (id=true)"
    )


def _liveness_session(client: Verisoul, args: argparse.Namespace) -> object:
    create = client.create_id_check_session if args.id_check else client.create_liveness_session
    simulate = _checked_simulate(args, args.id_check)
    return _session_result(client, create(args.referring_session_id, simulate=simulate), args)


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


def _simple(name: str, help_text: str, method: str, *positionals: str) -> ApiCommand:
    """A command passing its positional arguments, in order, to one client method."""

    def call(client: Verisoul, args: argparse.Namespace) -> object:
        values = [getattr(args, positional) for positional in positionals]
        return to_json(getattr(client, method)(*values))

    return ApiCommand(name, help_text, _positionals(*positionals), call)


#: The API subcommands, in ``--help`` order.
API_COMMANDS: list[ApiCommand] = [
    ApiCommand(
        "liveness-session",
        "create a Face Match (or --id-check) session and print it",
        _liveness_session_arguments,
        _liveness_session,
    ),
    ApiCommand(
        "id-check-session",
        "create an ID Check session and print it",
        _new_session_arguments,
        _id_check_session,
    ),
    _simple(
        "verify-face",
        "the Face Match report of a finished session",
        "verify_face",
        "session_id",
    ),
    _simple(
        "verify-id",
        "the ID Check report of a finished session",
        "verify_id",
        "session_id",
    ),
    _simple(
        "enroll",
        "tie a finished session's face (and ID) to an account",
        "enroll_account",
        "session_id",
        "account_id",
    ),
    _simple(
        "verify-identity",
        "1:1 check: is the session's face the account's enrolled face?",
        "verify_identity",
        "session_id",
        "account_id",
    ),
    _simple(
        "session get",
        "what Verisoul observed in a device session",
        "get_session",
        "session_id",
    ),
    ApiCommand(
        "session authenticate",
        "tie a device session to an account and print the risk evaluation",
        _authenticate_arguments,
        _authenticate,
    ),
    ApiCommand(
        "session unauthenticated",
        "evaluate a device session without an account",
        _unauthenticated_arguments,
        _unauthenticated,
    ),
    _simple(
        "account get",
        "an account's data, activity and scores",
        "get_account",
        "account_id",
    ),
    ApiCommand(
        "account update",
        "change an account's stored data (only the flags given)",
        _update_arguments,
        lambda client, args: to_json(client.update_account(_account(args))),
    ),
    _simple(
        "account delete",
        "delete an account",
        "delete_account",
        "account_id",
    ),
    _simple(
        "account sessions",
        "the ids of an account's sessions",
        "get_account_sessions",
        "account_id",
    ),
    _simple(
        "account linked",
        "accounts sharing an identity, device or network with this one",
        "get_linked_accounts",
        "account_id",
    ),
    _simple("list ls", "every list's name and description", "list_lists"),
    _simple(
        "list get",
        "a list's description and account ids",
        "get_list",
        "list_name",
    ),
    ApiCommand(
        "list create",
        "create a list",
        _create_list_arguments,
        lambda client, args: to_json(client.create_list(args.list_name, args.description)),
    ),
    _simple(
        "list delete",
        "delete a list",
        "delete_list",
        "list_name",
    ),
    _simple(
        "list add",
        "put an account on a list",
        "add_account_to_list",
        "list_name",
        "account_id",
    ),
    _simple(
        "list remove",
        "take an account off a list",
        "remove_account_from_list",
        "list_name",
        "account_id",
    ),
    _simple(
        "phone verify",
        "a phone number's validity, carrier and line type",
        "verify_phone",
        "phone_number",
    ),
    ApiCommand(
        "email submit",
        "submit one email for analysis (the result arrives by webhook)",
        _email_submit_arguments,
        _email_submit,
    ),
    ApiCommand(
        "email batch",
        "submit up to 1,000 emails for analysis",
        _email_batch_arguments,
        _email_batch,
    ),
]
