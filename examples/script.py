"""Face Match from a command line script, with the blocking client.

Start a session and open the printed URL (on a phone, or a desktop for a QR code)::

    VERISOUL_API_KEY=... python examples/script.py start

Then, once the hosted page is done, verify the face and enroll it to an account::

    VERISOUL_API_KEY=... python examples/script.py enroll SESSION_ID ACCOUNT_ID

Exit status: 0 done, 1 Verisoul refused or declined, 2 bad arguments or configuration.
Configuration comes from the environment: ``VERISOUL_API_KEY``, ``VERISOUL_ENVIRONMENT``
and, to use another API such as a ``FakeVerisoul``, ``VERISOUL_BASE_URL``.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from urllib.parse import urlsplit

import verisoul


def start(client: verisoul.Verisoul, args: argparse.Namespace) -> int:
    session = client.create_liveness_session(referring_session_id=args.referring_session_id)
    url = client.hosted_url(session, redirect_url=args.redirect_url)
    print(f"session: {session.session_id}")
    print(f"open:    {url}")
    return 0


def enroll(client: verisoul.Verisoul, args: argparse.Namespace) -> int:
    result = client.verify_face(args.session_id)
    print(f"decision: {result.decision} (risk score {result.risk_score})")
    if result.decision != verisoul.Decision.REAL:
        print("not enrolled: Face Match declined", file=sys.stderr)
        return 1
    client.enroll_account(args.session_id, args.account_id)
    print(f"enrolled: session {args.session_id} -> account {args.account_id}")
    return 0


def web_url(value: str) -> str:
    """An absolute http(s) URL, checked before anything is sent."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise argparse.ArgumentTypeError(f"not an absolute http(s) URL: {value!r}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Verisoul Face Match from the command line")
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="create a session, print the hosted URL")
    start_parser.add_argument("--referring-session-id", type=uuid.UUID, metavar="UUID")
    start_parser.add_argument("--redirect-url", type=web_url, help="where to come back to")
    start_parser.set_defaults(run=start)
    enroll_parser = commands.add_parser("enroll", help="verify a finished session, enroll it")
    enroll_parser.add_argument("session_id", type=uuid.UUID)
    enroll_parser.add_argument("account_id")
    enroll_parser.set_defaults(run=enroll)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with verisoul.Verisoul() as client:  # VERISOUL_API_KEY, VERISOUL_BASE_URL...
            status: int = args.run(client, args)
            return status
    except verisoul.APIError as error:  # the message never contains the API key
        print(f"Verisoul error: {error}", file=sys.stderr)
        return 1
    except verisoul.VerisoulError as error:  # no API key, an unknown environment...
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
