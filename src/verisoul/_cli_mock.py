"""``verisoul mock ...``: serve the fake, and drive a served fake from the shell.

``mock serve`` runs :class:`~verisoul.testing.FakeVerisoul` over HTTP with its stand-in
hosted page. The other actions call that server's control API (``/_fake/...``) at
``--base-url`` or ``$VERISOUL_BASE_URL``, so a shell script, a test suite in another
process or a person can finish sessions, choose verdicts, inject faults and read the log.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import httpx

__all__ = ["MOCK_ACTIONS", "add_mock_commands", "run_mock"]

#: How long a control call may take (the server is local).
CONTROL_TIMEOUT = 10.0

_OUTCOMES = (
    "success",
    "invalid_session_id",
    "session_id_not_found",
    "failed_to_get_camera_permission",
    "failed_to_complete_face_scan",
    "liveness_check_failed",
    "failed_to_process_id_scan",
    "failed_to_collect_device_data",
)


def _usage_error(message: str) -> Exception:
    from ._cli import UsageError

    return UsageError(message)


def _document_signal(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name or not value:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {text!r}")
    return value


def _scenario_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("how the session ends (what verify then reports)")
    group.add_argument(
        "--outcome",
        choices=_OUTCOMES,
        metavar="OUTCOME",
        help=f"the hosted page's outcome: {', '.join(_OUTCOMES)} (default success)",
    )
    group.add_argument(
        "--decision", choices=["Real", "Suspicious", "Fake"], help="the decision verify reports"
    )
    group.add_argument(
        "--risk-flag",
        dest="risk_flags",
        action="append",
        metavar="FLAG",
        help="a risk flag to report, e.g. vpn_detected (repeat for several; replaces the "
        "computed flags)",
    )
    group.add_argument("--risk-score", type=_score, metavar="X", help="the risk score, 0 to 1")
    group.add_argument(
        "--document-signal",
        dest="document_signals",
        action="append",
        type=_document_signal,
        metavar="NAME=VALUE",
        help="ID Check: a document signal, e.g. id_validity=likely_fake_id (repeatable)",
    )
    group.add_argument(
        "--same-face-as",
        metavar="ACCOUNT_ID",
        help="the user shows the face enrolled to this account (a repeat face)",
    )


def _scenario_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in ("outcome", "decision", "risk_flags", "risk_score", "same_face_as"):
        value = getattr(args, name)
        if value is not None:
            body[name] = value
    if args.document_signals:
        body["document_signals"] = dict(args.document_signals)
    return body


def _add_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; the control API needs no key, so "
        "anyone who can reach another address can drive the fake)",
    )
    parser.add_argument(
        "--port", type=_port_type, default=0, help="TCP port (default: any free one)"
    )


def _port_type(text: str) -> int:
    from ._cli import _port

    return _port(text)


def _add_complete(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session_id", metavar="SESSION_ID", help="a session the fake issued")
    parser.add_argument(
        "--face",
        metavar="LABEL",
        help="who is in front of the camera: equal labels are the same person",
    )
    _scenario_arguments(parser)


def _add_scenario(parser: argparse.ArgumentParser) -> None:
    _scenario_arguments(parser)
    parser.add_argument(
        "--clear", action="store_true", help="back to the default (a pass, computed verdict)"
    )


def _add_fault(parser: argparse.ArgumentParser) -> None:
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--status", type=int, metavar="CODE", help="answer this HTTP status")
    kind.add_argument("--delay", type=float, metavar="S", help="answer after S seconds")
    kind.add_argument("--drop", action="store_true", help="close the connection, no answer")
    kind.add_argument("--malformed", action="store_true", help="answer a truncated JSON body")
    kind.add_argument("--clear", action="store_true", help="disarm every fault")
    parser.add_argument(
        "--times", type=int, default=1, metavar="N", help="how many requests (default 1)"
    )
    parser.add_argument(
        "--route", metavar="ROUTE", help="only '/path' or 'METHOD /path' (default: any request)"
    )
    parser.add_argument(
        "--retry-after", metavar="S", help="with --status: the Retry-After header to send"
    )
    parser.add_argument(
        "--after-processing",
        action="store_true",
        help="with --drop: apply the request first (a response lost on its way back)",
    )


def _add_requests(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, metavar="N", help="only the newest N requests")
    parser.add_argument("--clear", action="store_true", help="empty the request log")


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


#: ``verisoul mock ACTION``: name -> (help, add_arguments).
MOCK_ACTIONS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "serve": ("serve the fake API and its stand-in hosted page until Ctrl-C", _add_serve),
    "sessions": ("list the served fake's liveness sessions", _no_arguments),
    "complete": ("finish a session as the user would, with the outcome you choose", _add_complete),
    "scenario": ("show or set how sessions end by default (page, simulate)", _add_scenario),
    "fault": ("make the served fake misbehave on the next requests", _add_fault),
    "requests": ("print the served fake's request log (key redacted)", _add_requests),
    "reset": ("forget every session, account, list, fault and log entry", _no_arguments),
}


def add_mock_commands(commands: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Add ``verisoul mock ACTION`` to the subcommands."""
    description = (
        "A local fake Verisoul: `mock serve` runs it; the other actions drive a served fake "
        "at --base-url or $VERISOUL_BASE_URL through its control API (/_fake/)."
    )
    mock = commands.add_parser(
        "mock", help="run and drive a local fake Verisoul", description=description
    )
    actions = mock.add_subparsers(dest="mock_command", metavar="ACTION", required=True)
    for name, (help_text, add_arguments) in MOCK_ACTIONS.items():
        sub = actions.add_parser(name, help=help_text, description=help_text, parents=parents)
        if name != "serve":
            sub.add_argument(
                "--base-url",
                metavar="URL",
                help="the served fake (default: $VERISOUL_BASE_URL)",
            )
        add_arguments(sub)
        sub.set_defaults(api_command=None, mock_action=name)


# -- running them -------------------------------------------------------------------------


def _control(args: argparse.Namespace, method: str, path: str, **kwargs: Any) -> Any:
    """Call the control API of the served fake; returns its JSON answer."""
    import httpx

    base_url = args.base_url or os.environ.get("VERISOUL_BASE_URL")
    if not base_url:
        raise _usage_error(
            "no fake to talk to: start `verisoul mock serve`, then pass its URL as --base-url "
            "or set VERISOUL_BASE_URL"
        )
    url = f"{base_url.rstrip('/')}{path}"
    try:
        with httpx.Client(timeout=CONTROL_TIMEOUT) as http:
            response = http.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise ControlFailed(f"cannot reach the fake at {base_url}: {error}") from None
    return _answer(response, base_url)


def _answer(response: httpx.Response, base_url: str) -> Any:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code == 200 and isinstance(data, dict):
        return data
    if isinstance(data, dict) and "message" in data and "error" in data:
        raise ControlFailed(f"{data['error']}: {data['message']}")
    raise ControlFailed(
        f"{base_url} answered HTTP {response.status_code}: is it `verisoul mock serve`?"
    )


class ControlFailed(Exception):
    """The served fake refused a control call or could not be reached (exit code 1)."""


def _fault_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {"times": args.times, "route": args.route}
    if args.status is not None:
        body.update(kind="status", status=args.status, retry_after=args.retry_after)
    elif args.delay is not None:
        body.update(kind="delay", seconds=args.delay)
    elif args.drop:
        body.update(kind="drop", after_processing=args.after_processing)
    else:
        body.update(kind="malformed")
    return body


def _call(args: argparse.Namespace) -> Any:
    action = args.mock_action
    if action == "sessions":
        return _control(args, "GET", "/_fake/sessions")
    if action == "complete":
        body = _scenario_body(args)
        if args.face is not None:
            body["face"] = args.face
        return _control(args, "POST", f"/_fake/sessions/{args.session_id}/complete", json=body)
    if action == "scenario":
        body = _scenario_body(args)
        if args.clear:
            return _control(args, "DELETE", "/_fake/scenario")
        if body:
            return _control(args, "PUT", "/_fake/scenario", json=body)
        return _control(args, "GET", "/_fake/scenario")
    if action == "fault":
        if args.clear:
            return _control(args, "DELETE", "/_fake/faults")
        return _control(args, "POST", "/_fake/faults", json=_fault_body(args))
    if action == "requests":
        if args.clear:
            return _control(args, "DELETE", "/_fake/requests")
        params = {} if args.limit is None else {"limit": str(args.limit)}
        return _control(args, "GET", "/_fake/requests", params=params)
    return _control(args, "POST", "/_fake/reset")


def run_mock(args: argparse.Namespace, out: TextIO) -> int:
    """Run one ``verisoul mock`` action; returns the exit code."""
    from ._cli import EXIT_API_ERROR, EXIT_OK, _print_error, print_result

    if args.mock_action == "serve":
        return _serve(args, out)
    try:
        result = _call(args)
    except ControlFailed as error:
        _print_error({"type": "ControlError", "message": str(error)}, f"verisoul: {error}")
        return EXIT_API_ERROR
    print_result(result, args.output, out)
    return EXIT_OK


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    import threading

    from ._cli import EXIT_OK, UsageError, one_line
    from .testing import FakeVerisoul

    fake = FakeVerisoul()
    loopback = args.host in ("127.0.0.1", "localhost", "::1")
    try:
        with fake.serve(args.port, host=args.host) as base_url:
            print(f"Fake Verisoul API on {base_url} (accepts x-api-key: {fake.api_key})", file=out)
            print(
                f"Hosted page: {base_url}/?session_id=...  Control API: {base_url}/_fake", file=out
            )
            print(
                f"Try: export VERISOUL_BASE_URL={base_url} VERISOUL_API_KEY={fake.api_key}; "
                "verisoul liveness-session",
                file=out,
            )
            if not loopback:
                print(
                    "warning: the control API and the hosted page need no key: anyone who "
                    f"can reach {args.host} can drive this fake",
                    file=sys.stderr,
                )
            print("Press Ctrl-C to stop.", file=out, flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", file=out)
    except OSError as error:
        raise UsageError(one_line(f"cannot listen on {args.host}:{args.port}: {error}")) from error
    return EXIT_OK
