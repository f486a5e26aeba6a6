"""``examples/script.py`` run as a subprocess against a FakeVerisoul served on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from verisoul.testing import FakeVerisoul

from ..conftest import TEST_KEY
from .conftest import EXAMPLES, back_from_hosted_page

SCRIPT = EXAMPLES / "script.py"
TIMEOUT = 30


def run_script(*args: str, base_url: str, key: str | None = TEST_KEY) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``python examples/script.py ARGS``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("VERISOUL_")}
    env["VERISOUL_BASE_URL"] = base_url
    if key is not None:
        env["VERISOUL_API_KEY"] = key
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert TEST_KEY not in done.stdout + done.stderr
    return done.returncode, done.stdout, done.stderr


def printed(stdout: str, label: str) -> str:
    """The value the script printed on its ``label:`` line."""
    (line,) = [line for line in stdout.splitlines() if line.startswith(f"{label}:")]
    return line.split(":", 1)[1].strip()


def test_start_then_enroll(fake: FakeVerisoul, fake_url: str) -> None:
    referring = str(uuid.uuid4())
    status, out, _ = run_script(
        "start",
        "--referring-session-id",
        referring,
        "--redirect-url",
        "https://example.com/back",
        base_url=fake_url,
    )
    assert status == 0
    session_id = printed(out, "session")
    hosted = printed(out, "open")
    assert hosted.startswith(f"{fake_url}/?session_id={session_id}&")  # the fake's page
    assert back_from_hosted_page(hosted).startswith("https://example.com/back?session_id=")
    (created,) = fake.requests
    assert ("referring_session_id", referring) in created.query

    fake.complete_session(session_id)
    status, out, _ = run_script("enroll", session_id, "acct-1", base_url=fake_url)

    assert status == 0
    assert printed(out, "decision") == "Real (risk score 0.05)"
    assert printed(out, "enrolled") == f"session {session_id} -> account acct-1"
    assert fake.enrolled_account(session_id) == "acct-1"


def test_enrolling_a_tied_session_again_fails_with_verisouls_code(
    fake: FakeVerisoul, fake_url: str
) -> None:
    with fake.client() as client:
        session_id = client.create_liveness_session().session_id
        fake.complete_session(session_id)
        client.enroll_account(session_id, "acct-1")

    status, _, err = run_script("enroll", session_id, "acct-2", base_url=fake_url)

    assert status == 1
    assert "session_already_tied_to_an_account" in err
    assert err.startswith("Verisoul error: ")
    assert fake.enrolled_account(session_id) == "acct-1"


def test_an_unfinished_session_is_refused(fake: FakeVerisoul, fake_url: str) -> None:
    with fake.client() as client:
        session_id = client.create_liveness_session().session_id

    status, out, err = run_script("enroll", session_id, "acct-1", base_url=fake_url)

    assert (status, out) == (1, "")
    assert "session_not_started" in err
    assert fake.enrolled_account(session_id) is None


def test_a_declined_face_is_not_enrolled(fake: FakeVerisoul, fake_url: str) -> None:
    with fake.client() as client:
        first, second = (client.create_liveness_session().session_id for _ in range(2))
        fake.complete_session(first, face="alice")
        client.enroll_account(first, "acct-1")
        fake.complete_session(second, face="alice")

    status, out, err = run_script("enroll", second, "acct-2", base_url=fake_url)

    assert status == 1
    assert printed(out, "decision").startswith("Fake")
    assert err == "not enrolled: Face Match declined\n"
    assert fake.enrolled_account(second) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enroll", "not-a-uuid", "acct-1"), "invalid UUID value: 'not-a-uuid'"),
        (("start", "--referring-session-id", "x"), "invalid UUID value: 'x'"),
        (("start", "--redirect-url", "not a url"), "not an absolute http(s) URL"),
        ((), "the following arguments are required: command"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    fake: FakeVerisoul, fake_url: str, args: tuple[str, ...], message: str
) -> None:
    status, out, err = run_script(*args, base_url=fake_url)

    assert (status, out) == (2, "")
    assert message in err
    assert fake.request_count == 0


def test_no_api_key_exits_2(fake: FakeVerisoul, fake_url: str) -> None:
    status, _, err = run_script("start", base_url=fake_url, key=None)

    assert status == 2
    assert "VERISOUL_API_KEY" in err
    assert fake.request_count == 0


def test_a_wrong_api_key_is_reported_without_the_key(fake_url: str) -> None:
    status, _, err = run_script("start", base_url=fake_url, key="sk_wrong_key_0123456789")

    assert status == 1
    assert "401" in err
    assert "sk_wrong_key" not in err
