"""The ``verisoul`` command: the sync client as a shell tool, plus a local fake server.

Every API subcommand prints its result on stdout, as JSON (the default) or as ``key: value``
lines (``--output text``). Errors are one line on stderr whatever the server's message holds
(line breaks and other control characters are escaped); with an explicit ``--output json``
that line is a JSON object, ``{"error": {"type", "status", "code", "request_id", "message"}}``.
Exit codes: 0 success, 1 API or network error, 2 usage error (bad flags, no API key).
The API key is read only from ``VERISOUL_API_KEY`` and is never printed. The API root is
``--base-url``, else ``VERISOUL_BASE_URL``, else the environment's.

Adding an endpoint: append an :class:`ApiCommand` to :data:`API_COMMANDS` (in
:mod:`verisoul._cli_commands`). The ``verisoul mock ...`` commands are in
:mod:`verisoul._cli_mock`.

This module is imported by every run, ``--help`` included: keep its imports light (the
client, httpx and the fake are imported inside the functions that need them).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from ._cli_commands import API_COMMANDS, GROUP_HELP, ApiCommand
from ._version import __version__

if TYPE_CHECKING:
    from ._sync.client import Verisoul

__all__ = ["API_COMMANDS", "ApiCommand", "main"]

ENV_KEY = "VERISOUL_API_KEY"
ENV_BASE_URL = "VERISOUL_BASE_URL"
ENV_ENVIRONMENT = "VERISOUL_ENVIRONMENT"
EXIT_OK, EXIT_API_ERROR, EXIT_USAGE = 0, 1, 2
MOCK_HELP = "talk to an in-process fake Verisoul: no key, no network"
OUTPUT_HELP = "print results as JSON (default) or as 'key: value' lines; errors too"

#: Words of the client's own messages -> the flag a shell user types instead.
_CLIENT_WORDS = {
    "allow_insecure_http=True": "--allow-insecure-http",
    "base_url=": "--base-url",
    "base_url": "--base-url",
    "environment=": "--environment",
    "argument environment=": "--environment",
    "max_retries": "--max-retries",
    "timeout": "--timeout",
}


class UsageError(Exception):
    """The command line cannot run as given (exit code 2)."""


def one_line(text: str) -> str:
    """``text`` with every line break and control character escaped, so it fits one line."""
    return "".join(
        char
        if char.isprintable() or char == " "
        else repr(char)[1:-1]
        if ord(char) < 0x10000
        else f"\\U{ord(char):08x}"
        for char in text
    )


# -- argument types: their errors name the flag (argparse adds "argument --flag: ") ----------


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds (a number), got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, in JSON with ``--output json``."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        _print_error(
            {"type": "UsageError", "message": message}, f"{self.prog}: error: {message}{hint}"
        )
        sys.exit(EXIT_USAGE)


#: Set by :func:`main` before parsing: whether errors are printed as JSON.
_json_errors = False


def _print_error(fields: Mapping[str, object], text: str) -> None:
    if _json_errors:
        line = json.dumps({"error": dict(fields)}, ensure_ascii=True)
    else:
        line = one_line(text)
    print(line, file=sys.stderr, flush=True)


def _shared_options(*, client: bool) -> _Parser:
    """Flags every subcommand shares (a parent parser); ``client``: the API client's too."""
    options = _Parser(add_help=False)
    group = options.add_argument_group("client options" if client else "output")
    if client:
        group.add_argument(
            "--environment",
            choices=["sandbox", "production"],
            help=f"API environment (default: ${ENV_ENVIRONMENT}, else sandbox)",
        )
        group.add_argument(
            "--base-url",
            metavar="URL",
            help=f"API root, e.g. a proxy or `verisoul mock serve` (default: ${ENV_BASE_URL})",
        )
        group.add_argument(
            "--timeout", type=_positive_float, metavar="S", help="per-attempt timeout in seconds"
        )
        group.add_argument(
            "--max-retries",
            type=_non_negative_int,
            metavar="N",
            help="extra attempts after a retryable failure (default 2)",
        )
        group.add_argument(
            "--allow-insecure-http",
            action="store_true",
            default=None,
            help="allow an http:// --base-url to a host other than this machine",
        )
        group.add_argument(
            "--mock",
            action="store_true",
            default=argparse.SUPPRESS,  # keeps a --mock given before the subcommand
            help=MOCK_HELP,
        )
    group.add_argument(
        "--output",
        choices=["json", "text"],
        default=argparse.SUPPRESS,  # keeps an --output given before the subcommand
        help=OUTPUT_HELP,
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    from ._cli_mock import add_mock_commands

    parser = _Parser(
        prog="verisoul",
        description=(
            f"Call the Verisoul API from the shell (key from ${ENV_KEY}, "
            f"API root from --base-url or ${ENV_BASE_URL})."
        ),
        epilog=(
            "examples:\n"
            "  verisoul --mock liveness-session            # offline, against a fake\n"
            f"  {ENV_KEY}=... verisoul liveness-session --simulate success\n"
            "  verisoul mock serve --port 8080             # a local fake API + hosted page\n"
            "\nexit codes: 0 ok, 1 API or network error, 2 usage error"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--mock", action="store_true", help=MOCK_HELP)
    parser.add_argument("--output", choices=["json", "text"], default="json", help=OUTPUT_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parents = [_shared_options(client=True)]
    groups: dict[str, Any] = {}
    for command in API_COMMANDS:
        group, _, action = command.name.rpartition(" ")
        where = commands
        if group:
            if group not in groups:
                group_help = GROUP_HELP.get(group)
                group_parser = commands.add_parser(group, help=group_help, description=group_help)
                groups[group] = group_parser.add_subparsers(
                    dest=f"{group}_command", metavar="ACTION", required=True
                )
            where = groups[group]
        sub = where.add_parser(
            action, help=command.help, description=command.help, parents=parents
        )
        command.add_arguments(sub)
        sub.set_defaults(api_command=command, mock_action=None, flag_names=_flag_names(sub))
    add_mock_commands(commands, [_shared_options(client=False)])
    return parser


def _flag_names(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Argument names with an underscore -> how the user writes them (flag or METAVAR)."""
    names: dict[str, str] = {}
    for action in parser._actions:
        if "_" not in action.dest or action.dest in _CLIENT_WORDS:
            continue
        if action.option_strings:
            names[action.dest] = action.option_strings[0]
        elif isinstance(action.metavar, str):
            names[action.dest] = action.metavar
    return names


def _client_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    names = ("environment", "base_url", "timeout", "max_retries", "allow_insecure_http")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _flag_terms(message: str, extra: Mapping[str, str] = {}) -> str:
    """A client message in the words of the command line (``base_url=`` -> ``--base-url``)."""
    words = {**_CLIENT_WORDS, **extra}
    pattern = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])(?:{pattern})(?![\w=])", lambda m: words[m.group(0)], message)


def _check_environment_variable(args: argparse.Namespace) -> None:
    value = os.environ.get(ENV_ENVIRONMENT)
    if args.environment is not None or args.base_url is not None or os.environ.get(ENV_BASE_URL):
        return
    if value is not None and value.strip().lower() not in ("", "sandbox", "production"):
        raise UsageError(
            f"{ENV_ENVIRONMENT} must be sandbox or production, got {value!r} "
            "(or pass --environment or --base-url)"
        )


def _real_client(args: argparse.Namespace) -> Verisoul:
    from . import Verisoul

    key = os.environ.get(ENV_KEY)
    if not key:
        raise UsageError(f"set {ENV_KEY} to your API key (or pass --mock to use a local fake)")
    _check_environment_variable(args)
    return Verisoul(api_key=key, **_client_kwargs(args))


def _mock_client(args: argparse.Namespace) -> Verisoul:
    from .testing import FakeVerisoul

    if args.environment is not None or args.base_url is not None:
        raise UsageError("--mock cannot be combined with --environment or --base-url")
    kwargs = _client_kwargs(args)
    kwargs.pop("allow_insecure_http", None)
    return FakeVerisoul().client(**kwargs)


def error_fields(error: BaseException) -> dict[str, object]:
    """The exception class, HTTP status, Verisoul code, request id and message of an error."""
    from ._exceptions import APIStatusError

    fields: dict[str, object] = {"type": type(error).__name__}
    if isinstance(error, APIStatusError):
        fields["status"] = error.status_code
        if error.code:
            fields["code"] = error.code
    request_id = getattr(error, "request_id", None)
    if request_id:
        fields["request_id"] = request_id
    fields["message"] = str(error)
    return fields


def describe_error(error: BaseException) -> str:
    """One line naming the exception class, HTTP status, Verisoul code and request id."""
    fields = error_fields(error)
    parts = [str(fields["type"])]
    if "status" in fields:
        parts.append(f"HTTP {fields['status']}")
    if "code" in fields:
        parts.append(f"code={fields['code']}")
    if "request_id" in fields:
        parts.append(f"request_id={fields['request_id']}")
    return one_line(f"{', '.join(parts)}: {fields['message']}")


def _flatten(value: object, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(value, Mapping):
        if not value and prefix:
            return [(prefix, "{}")]
        pairs: list[tuple[str, object]] = []
        for key, item in value.items():
            pairs += _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(value, (list, tuple)):
        if not value:
            return [(prefix, "[]")]
        pairs = []
        for index, item in enumerate(value):
            pairs += _flatten(item, f"{prefix}[{index}]")
        return pairs
    return [(prefix, value)]


def print_result(result: object, output: str, out: TextIO) -> None:
    """Print a JSON-able result as indented JSON or as ``key: value`` lines."""
    if output == "text":
        for key, value in _flatten(result):
            text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
            out.write(f"{key}: {one_line(str(text))}\n" if key else f"{one_line(str(text))}\n")
        return
    json.dump(result, out, indent=2)
    out.write("\n")


def _positional_names(args: argparse.Namespace) -> dict[str, str]:
    """This command's ``dest`` names with an underscore -> how the shell user wrote them."""
    names: dict[str, str] = getattr(args, "flag_names", {})
    return names


def _run_api(command: ApiCommand, args: argparse.Namespace, out: TextIO) -> int:
    from ._exceptions import APIError, VerisoulError

    names = _positional_names(args)
    try:
        client = _mock_client(args) if args.mock else _real_client(args)
    except (VerisoulError, ValueError, TypeError) as error:
        raise UsageError(_flag_terms(str(error))) from error
    with client:
        try:
            result = command.call(client, args)
        except (ValueError, TypeError) as error:
            raise UsageError(_flag_terms(str(error), names)) from error
        except APIError as error:
            _print_error(error_fields(error), f"verisoul: {describe_error(error)}")
            return EXIT_API_ERROR
    print_result(result, args.output, out)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    global _json_errors
    arguments = list(sys.argv[1:] if argv is None else argv)
    _json_errors = _asks_for_json(arguments)
    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        if args.api_command is None:
            from ._cli_mock import run_mock

            return run_mock(args, sys.stdout)
        return _run_api(args.api_command, args, sys.stdout)
    except UsageError as error:
        _print_error({"type": "UsageError", "message": str(error)}, f"verisoul: error: {error}")
        return EXIT_USAGE


def _asks_for_json(arguments: Sequence[str]) -> bool:
    """Whether ``--output json`` was given explicitly (errors stay text by default)."""
    chosen = None
    for index, word in enumerate(arguments):
        if word == "--output" and index + 1 < len(arguments):
            chosen = arguments[index + 1]
        elif word.startswith("--output="):
            chosen = word.partition("=")[2]
    return chosen == "json"


if __name__ == "__main__":
    sys.exit(main())
