"""The ``verisoul`` command: the sync client as a shell tool, plus a local fake server.

Every API subcommand prints its result as JSON on stdout. Errors are one line on stderr.
Exit codes: 0 success, 1 API or network error, 2 usage error (bad flags, no API key).
The API key is read only from ``VERISOUL_API_KEY`` and is never printed.

Adding an endpoint: append an :class:`ApiCommand` to :data:`API_COMMANDS` (in
:mod:`verisoul._cli_commands`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ._cli_commands import API_COMMANDS, GROUP_HELP, ApiCommand
from ._version import __version__

if TYPE_CHECKING:
    from ._sync.client import Verisoul

__all__ = ["API_COMMANDS", "ApiCommand", "main"]

ENV_KEY = "VERISOUL_API_KEY"
EXIT_OK, EXIT_API_ERROR, EXIT_USAGE = 0, 1, 2
MOCK_HELP = "talk to an in-process fake Verisoul: no key, no network"


class UsageError(Exception):
    """The command line cannot run as given (exit code 2)."""


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _client_options() -> argparse.ArgumentParser:
    """Flags every API subcommand shares (a parent parser)."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("client options")
    group.add_argument(
        "--environment",
        choices=["sandbox", "production"],
        help="API environment (default: sandbox)",
    )
    group.add_argument("--base-url", metavar="URL", help="API root, e.g. a proxy or `mock serve`")
    group.add_argument(
        "--timeout", type=_positive_float, metavar="S", help="per-attempt timeout in seconds"
    )
    group.add_argument(
        "--max-retries", type=_non_negative_int, metavar="N", help="extra attempts (default 2)"
    )
    group.add_argument(
        "--mock",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps a --mock given before the subcommand
        help=MOCK_HELP,
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="verisoul",
        description="Call the Verisoul API from the shell (key from $VERISOUL_API_KEY).",
        epilog=(
            "examples:\n"
            "  verisoul --mock liveness-session            # offline, against a fake\n"
            "  VERISOUL_API_KEY=... verisoul liveness-session --simulate success\n"
            "  verisoul mock serve --port 8080             # a local fake API server\n"
            "\nexit codes: 0 ok, 1 API or network error, 2 usage error"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--mock",
        action="store_true",
        help=MOCK_HELP,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parents = [_client_options()]
    groups: dict[str, Any] = {}
    for command in API_COMMANDS:
        group, _, action = command.name.rpartition(" ")
        where = commands
        if group:
            if group not in groups:
                group_parser = commands.add_parser(group, help=GROUP_HELP.get(group))
                groups[group] = group_parser.add_subparsers(
                    dest=f"{group}_command", metavar="ACTION", required=True
                )
            where = groups[group]
        sub = where.add_parser(action, help=command.help, parents=parents)
        command.add_arguments(sub)
        sub.set_defaults(api_command=command)
    mock = commands.add_parser("mock", help="run the fake Verisoul API locally")
    mock_commands = mock.add_subparsers(dest="mock_command", metavar="ACTION", required=True)
    serve = mock_commands.add_parser("serve", help="serve the fake on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=_port, default=0, help="TCP port (default: any free one)")
    serve.set_defaults(api_command=None)
    return parser


def _client_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    names = ("environment", "base_url", "timeout", "max_retries")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _real_client(args: argparse.Namespace) -> Verisoul:
    from . import Verisoul

    key = os.environ.get(ENV_KEY)
    if not key:
        raise UsageError(f"set {ENV_KEY} to your API key (or pass --mock to use a local fake)")
    return Verisoul(api_key=key, **_client_kwargs(args))


def _mock_client(args: argparse.Namespace) -> Verisoul:
    from .testing import FakeVerisoul

    if args.environment is not None or args.base_url is not None:
        raise UsageError("--mock cannot be combined with --environment or --base-url")
    kwargs = _client_kwargs(args)
    return FakeVerisoul().client(**kwargs)


def describe_error(error: BaseException) -> str:
    """One line naming the exception class, HTTP status, Verisoul code and request id."""
    from ._exceptions import APIStatusError

    parts = [type(error).__name__]
    if isinstance(error, APIStatusError):
        parts.append(f"HTTP {error.status_code}")
        if error.code:
            parts.append(f"code={error.code}")
    request_id = getattr(error, "request_id", None)
    if request_id:
        parts.append(f"request_id={request_id}")
    return f"{', '.join(parts)}: {error}"


def _run_api(command: ApiCommand, args: argparse.Namespace, out: TextIO) -> int:
    from ._exceptions import APIError, VerisoulError

    try:
        client = _mock_client(args) if args.mock else _real_client(args)
    except (VerisoulError, ValueError, TypeError) as error:
        raise UsageError(str(error)) from error
    with client:
        try:
            result = command.call(client, args)
        except (ValueError, TypeError) as error:
            raise UsageError(str(error)) from error
        except APIError as error:
            print(f"verisoul: {describe_error(error)}", file=sys.stderr)
            return EXIT_API_ERROR
    json.dump(result, out, indent=2)
    out.write("\n")
    return EXIT_OK


def _serve_mock(args: argparse.Namespace, out: TextIO) -> int:
    from .testing import FakeVerisoul

    fake = FakeVerisoul()
    try:
        with fake.serve(port=args.port) as base_url:
            print(f"Fake Verisoul API on {base_url} (accepts x-api-key: {fake.api_key})", file=out)
            print(
                f"Try: {ENV_KEY}={fake.api_key} verisoul liveness-session --base-url {base_url}",
                file=out,
            )
            print("Press Ctrl-C to stop.", file=out, flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", file=out)
    except OSError as error:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {error}") from error
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.api_command is None:
            return _serve_mock(args, sys.stdout)
        return _run_api(args.api_command, args, sys.stdout)
    except UsageError as error:
        print(f"verisoul: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
