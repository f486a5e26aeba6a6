"""The ``verisoul`` command, run as a subprocess: exit codes, JSON out, one-line errors."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import TEST_KEY

TIMEOUT = 60


def run_cli(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("VERISOUL_")}
    if key is not None:
        env["VERISOUL_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "verisoul._cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture
def fake() -> FakeVerisoul:
    return FakeVerisoul(api_key=TEST_KEY)


@pytest.fixture
def base_url(fake: FakeVerisoul) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def _session_json(stdout: str) -> dict[str, str]:
    data = json.loads(stdout)
    assert set(data) == {"session_id", "request_id", "hosted_url"}
    assert uuid.UUID(data["session_id"])
    assert uuid.UUID(data["request_id"])
    assert f"?session_id={data['session_id']}" in data["hosted_url"]
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "args",
    [
        ("--mock", "liveness-session"),
        ("liveness-session", "--mock"),
        ("liveness-session", "--mock", "--simulate", "success", "--max-retries", "0"),
        ("liveness-session", "--mock", "--referring-session-id", str(uuid.uuid4())),
    ],
)
def test_mock_needs_no_key_and_prints_json(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    _session_json(result.stdout)
    assert result.stderr == ""


def test_against_a_served_fake(fake: FakeVerisoul, base_url: str) -> None:
    result = run_cli(
        "liveness-session", "--base-url", base_url, "--simulate", "success", key=TEST_KEY
    )
    assert result.returncode == 0, result.stderr
    session = _session_json(result.stdout)
    assert fake.issued_sessions() == (session["session_id"],)
    assert dict(fake.requests[0].query) == {"simulate": "success"}
    assert TEST_KEY not in result.stdout + result.stderr


def test_id_check_session(fake: FakeVerisoul, base_url: str) -> None:
    referring = str(uuid.uuid4())
    result = run_cli(
        "id-check-session",
        "--referring-session-id",
        referring,
        "--base-url",
        base_url,
        key=TEST_KEY,
    )
    assert result.returncode == 0, result.stderr
    session = _session_json(result.stdout)
    assert dict(fake.requests[0].query) == {"id": "true", "referring_session_id": referring}
    fake.complete_session(session["session_id"])
    with fake.client() as client:
        report = client.verify_id(session["session_id"])
    assert report.document_data is not None


def test_missing_key_is_a_usage_error() -> None:
    result = run_cli("liveness-session")
    assert result.returncode == 2
    assert "VERISOUL_API_KEY" in result.stderr
    assert result.stdout == ""


def test_http_error_is_one_line_with_status_code_and_request_id(base_url: str) -> None:
    fake_with_groups = FakeVerisoul(api_key=TEST_KEY, groups_enabled=True)
    with fake_with_groups.serve() as url:
        result = run_cli("liveness-session", "--base-url", url, key=TEST_KEY)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("verisoul: BadRequestError, HTTP 400, code=groups_enabled, request_id=")
    assert TEST_KEY not in result.stderr


def test_injected_server_errors_exhaust_retries(fake: FakeVerisoul, base_url: str) -> None:
    fake.fail_next(503, times=2, retry_after=0)
    result = run_cli(
        "liveness-session", "--base-url", base_url, "--max-retries", "1", key=TEST_KEY
    )
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("verisoul: InternalServerError, HTTP 503")
    assert fake.request_count == 2


def test_wrong_key_is_an_api_error(base_url: str) -> None:
    result = run_cli("liveness-session", "--base-url", base_url, key="sk_wrong_key")
    assert result.returncode == 1
    assert "AuthenticationError, HTTP 401" in result.stderr
    assert "sk_wrong_key" not in result.stderr


def test_network_error_exit_code() -> None:
    with FakeVerisoul().serve() as url:
        pass  # closed: nothing listens on this port any more
    result = run_cli("liveness-session", "--base-url", url, "--max-retries", "0", key=TEST_KEY)
    assert result.returncode == 1
    assert result.stderr.startswith("verisoul: APIConnectionError")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("liveness-session", "--max-retries", "-1"),
        ("liveness-session", "--timeout", "0"),
        ("liveness-session", "--environment", "staging"),
        ("liveness-session", "--mock", "--referring-session-id", "not-a-uuid"),
        ("liveness-session", "--mock", "--base-url", "http://127.0.0.1:9"),
        ("liveness-session", "--mock", "--simulate", ""),
        ("mock", "serve", "--port", "70000"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.strip()
    assert result.stdout == ""


def test_help_lists_commands_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for text in ("liveness-session", "mock", "--mock", "exit codes", "VERISOUL_API_KEY"):
        assert text in result.stdout
    sub = run_cli("liveness-session", "--help")
    for flag in ("--referring-session-id", "--simulate", "--base-url", "--timeout"):
        assert flag in sub.stdout


def test_console_script_is_declared() -> None:
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "verisoul"]
    assert script.value == "verisoul._cli:main"


def test_mock_serve_until_interrupted() -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("VERISOUL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "verisoul._cli", "mock", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" on ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert "test-key" in banner
        response = httpx.get(
            f"{url}/liveness/session", headers={"x-api-key": "test-key"}, timeout=TIMEOUT
        )
        assert response.status_code == 200
        assert uuid.UUID(response.json()["session_id"])
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "stopped" in out


# -- the other API subcommands -------------------------------------------------------------


def run_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """Run the command in this process (fast); returns (exit code, stdout, stderr)."""
    from verisoul._cli import main

    monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
    try:
        code = main(list(args))
    except SystemExit as exited:  # argparse exits by itself on bad flags
        code = exited.code if isinstance(exited.code, int) else -1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def api_cli(
    base_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., dict[str, Any]]:
    """Runs a command that must succeed against the served fake; returns its JSON output."""

    def run(*args: str) -> dict[str, Any]:
        code, out, err = run_main(capsys, monkeypatch, *args, "--base-url", base_url)
        assert (code, err) == (0, "")
        data = json.loads(out)
        assert isinstance(data, dict)
        return data

    return run


def test_liveness_commands(
    fake: FakeVerisoul,
    base_url: str,
    api_cli: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = api_cli

    first = str(run("liveness-session", "--simulate", "success")["session_id"])
    report = run("verify-face", first)
    assert report["decision"] == "Real"
    assert run("enroll", first, "acct-1")["success"] is True
    second = str(run("liveness-session")["session_id"])
    fake.complete_session(second, face=f"face-{first}")
    assert run("verify-identity", second, "acct-1")["match"] is True
    id_session = str(run("id-check-session", "--simulate", "success")["session_id"])
    document = run("verify-id", id_session)["document_data"]
    assert isinstance(document, dict)
    code, out, err = run_main(capsys, monkeypatch, "verify-id", first, "--base-url", base_url)
    assert (code, out) == (1, "")
    assert "code=session_not_valid_for_this_endpoint" in err


def test_platform_commands(fake: FakeVerisoul, api_cli: Callable[..., dict[str, Any]]) -> None:
    run = api_cli

    session_id = fake.create_platform_session()
    evaluation = run(
        "session", "authenticate", session_id, "ann",
        "--email", "ann@example.com",
        "--expected-country", "US", "--expected-country", "CA",
        "--metadata", '{"plan": "pro"}',
        "--list", "vip/2024?",
        "--accounts-linked",
    )  # fmt: skip
    assert evaluation["lists"] == ["vip/2024?"]
    assert evaluation["linked_accounts"] == []
    assert run("session", "get", session_id)["account_ids"] == ["ann"]
    assert run("session", "unauthenticated", session_id)["session_id"] == session_id
    account = run("account", "get", "ann")
    assert account["account"] == {
        "id": "ann",
        "email": "ann@example.com",
        "phone": "",
        "first_name": "",
        "last_name": "",
        "username": "",
        "expected_countries": ["US", "CA"],
        "metadata": {"plan": "pro"},
        "group": "",
    }
    assert isinstance(account["first_seen"], str)  # a datetime, printed in ISO 8601
    updated = run("account", "update", "ann", "--username", "annie")
    assert updated["account"]["username"] == "annie"
    assert run("account", "sessions", "ann")["sessions"] == [session_id]
    assert run("account", "linked", "ann")["accounts_linked"] == []
    assert run("list", "create", "q a", "--description", "QA")["success"] is True
    assert run("list", "add", "q a", "ann")["message"] == "Account added to q a"
    details = run("list", "get", "q a")
    assert uuid.UUID(str(details.pop("request_id")))
    assert details == {"description": "QA", "accounts": ["ann"]}
    names = [item["name"] for item in run("list", "ls")["lists"]]
    assert names == ["allow", "block", "main_account", "vip/2024?", "q a"]
    assert run("list", "remove", "q a", "ann")["success"] is True
    assert run("list", "delete", "q a")["message"] == "List q a deleted"
    assert run("phone", "verify", "+14155550123")["phone"]["country_code"] == "US"
    fake.configure_email_webhook("secret")
    submitted = run("email", "submit", "ann@example.com", "--claim-first-name", "Ann")
    assert submitted["webhook_configured"] is True
    assert json.loads(fake.email_events()[0].body)["data"]["input"]["claims"] == {
        "name": {"first": "Ann"}
    }
    assert run("account", "delete", "ann")["success"] is True


def test_email_batch_reads_a_file(
    base_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    addresses = tmp_path / "emails.txt"
    addresses.write_text("b@example.com\n\n  c@example.com \n", encoding="utf-8")
    code, out, err = run_main(
        capsys, monkeypatch,
        "email", "batch", "a@example.com", "--file", str(addresses),
        "--batch-name", "march", "--base-url", base_url,
    )  # fmt: skip
    assert (code, err) == (0, "")
    batch = json.loads(out)
    assert (batch["batch_name"], batch["total_count"]) == ("march", 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("session", "authenticate", "s", "a", "--expected-country", "usa"), "--expected-country"),
        (("session", "authenticate", "s", "a", "--metadata", "[1]"), "JSON object"),
        (("email", "batch"), "entr"),
        (("email", "batch", "--file", "/nonexistent/emails.txt"), "cannot read"),
        (("account", "update", "a", "--phone", "555"), "E.164"),
        (("list",), "ACTION"),
        (("list", "add", "only-a-name"), "ACCOUNT_ID"),
    ],
)
def test_platform_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run_main(capsys, monkeypatch, *args, "--mock")
    assert (code, out) == (2, "")
    assert message in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--mock", "phone", "verify", "+442071234567"), '"country_code": "GB"'),
        (("list", "ls", "--mock"), '"name": "main_account"'),
        (("--mock", "email", "submit", "a@example.com"), '"webhook_configured": false'),
    ],
)
def test_platform_commands_as_a_subprocess(args: tuple[str, ...], expected: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert isinstance(json.loads(result.stdout), dict)


def test_platform_api_error_is_one_line() -> None:
    result = run_cli("--mock", "account", "get", "nobody")
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("verisoul: BadRequestError, HTTP 400")
    assert line.endswith("Account not found")


def test_help_lists_the_command_groups() -> None:
    result = run_cli("--help")
    for name in ("verify-face", "enroll", "session", "account", "list", "phone", "email"):
        assert name in result.stdout
    sub = run_cli("list", "--help")
    for action in ("ls", "get", "create", "delete", "add", "remove"):
        assert action in sub.stdout


# -- issue 14: one-line errors, --output, flag-worded errors, the hosted URL ------------------


def test_server_message_with_line_breaks_stays_on_one_line() -> None:
    """Whatever the server's message holds (newlines, escapes, NUL), stderr is one line."""
    fake = FakeVerisoul(api_key=TEST_KEY)
    body = json.dumps({"statusCode": 400, "message": "bad\nline two\r\x1b[31mred\x00\u2028end"})
    fake.fail_next(400, body=body.encode())
    with fake.serve() as url:
        result = run_cli("liveness-session", "--base-url", url, key=TEST_KEY)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("verisoul: BadRequestError, HTTP 400")
    assert "bad\\nline two\\r\\x1b[31mred\\x00\\u2028end" in line
    assert result.stderr.count("\n") == 1


def test_output_json_makes_errors_json_too() -> None:
    fake = FakeVerisoul(api_key=TEST_KEY)
    fake.fail_next(400, body=b'{"statusCode": 400, "message": "no\\nway"}')
    with fake.serve() as url:
        result = run_cli("liveness-session", "--base-url", url, "--output", "json", key=TEST_KEY)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert (error["type"], error["status"]) == ("BadRequestError", 400)
    assert "no\nway" in error["message"]
    usage = run_cli("--output", "json", "liveness-session", "--timeout", "abc")
    assert usage.returncode == 2
    (line,) = usage.stderr.splitlines()
    assert json.loads(line)["error"]["type"] == "UsageError"


def test_output_text_prints_key_value_lines() -> None:
    result = run_cli("--mock", "liveness-session", "--output", "text")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert set(lines) == {"session_id", "request_id", "hosted_url"}


@pytest.mark.parametrize(
    ("args", "wanted", "unwanted"),
    [
        (("liveness-session", "--timeout", "abc"), "argument --timeout: expected seconds", "_"),
        (("liveness-session", "--timeout", "nan"), "argument --timeout:", "_positive"),
        (("liveness-session", "--max-retries", "x"), "argument --max-retries:", "_non_neg"),
        (("mock", "serve", "--port", "http"), "argument --port:", "_port"),
        (("liveness-session", "--referring-session-id", "x"), "--referring-session-id", "_id"),
        (("liveness-session", "--simulate", "nope"), "--simulate-unlisted", "simulate="),
    ],
)
def test_argument_errors_speak_in_flags(args: tuple[str, ...], wanted: str, unwanted: str) -> None:
    result = run_cli(*args, "--mock") if args[0] != "mock" else run_cli(*args)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert wanted in line
    assert unwanted not in line.split("(see")[0].replace("--", "").replace("-", "")


def test_bad_environment_variable_is_named() -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("VERISOUL_")}
    env.update(VERISOUL_API_KEY=TEST_KEY, VERISOUL_ENVIRONMENT="staging")
    result = subprocess.run(
        [sys.executable, "-m", "verisoul._cli", "liveness-session"],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert "VERISOUL_ENVIRONMENT" in result.stderr
    assert "base_url=" not in result.stderr


def test_simulate_is_checked_with_an_escape_hatch(fake: FakeVerisoul, base_url: str) -> None:
    known = run_cli("--mock", "id-check-session", "--simulate", "failed_to_process_id_scan")
    assert known.returncode == 0, known.stderr
    unlisted = run_cli(
        "liveness-session", "--simulate", "brand_new_case", "--simulate-unlisted",
        "--base-url", base_url, key=TEST_KEY,
    )  # fmt: skip
    assert unlisted.returncode == 0, unlisted.stderr
    assert dict(fake.requests[0].query) == {"simulate": "brand_new_case"}


def test_every_subcommand_and_argument_has_help() -> None:
    from verisoul._cli import build_parser

    def walk(parser: argparse.ArgumentParser, name: str) -> Iterator[tuple[str, Any]]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                for sub_name, sub in action.choices.items():
                    assert helps.get(sub_name), f"{name} {sub_name} has no help"
                    yield from walk(sub, f"{name} {sub_name}")
            elif action.help != argparse.SUPPRESS:
                yield name, action

    actions = list(walk(build_parser(), "verisoul"))
    assert len(actions) > 100
    missing = [f"{name}: {action.dest}" for name, action in actions if not action.help]
    assert missing == []


def test_the_mock_commands_chain_through_a_served_fake(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mock serve`, then liveness-session, `mock complete` and verify-face, as in the docs."""
    fake = FakeVerisoul(api_key=TEST_KEY)
    with fake.serve() as url:
        monkeypatch.setenv("VERISOUL_BASE_URL", url)

        def run(*args: str) -> dict[str, Any]:
            code, out, err = run_main(capsys, monkeypatch, *args)
            assert (code, err) == (0, "")
            data = json.loads(out)
            assert isinstance(data, dict)
            return data

        session = run("liveness-session")
        assert session["hosted_url"].startswith(f"{url}/?session_id=")
        done = run(
            "mock", "complete", session["session_id"], "--decision", "Suspicious",
            "--risk-flag", "vpn_detected", "--risk-score", "0.7",
        )  # fmt: skip
        assert done["stage"] == "finished"
        report = run("verify-face", session["session_id"])
        assert (report["decision"], report["risk_flags"], report["risk_score"]) == (
            "Suspicious",
            ["vpn_detected"],
            0.7,
        )
        assert run("mock", "fault", "--status", "503", "--times", "2")["pending"] == 2
        assert run("mock", "fault", "--clear")["pending"] == 0
        assert run("mock", "scenario", "--outcome", "liveness_check_failed")["outcome"] == (
            "liveness_check_failed"
        )
        assert fake.scenario.outcome == "liveness_check_failed"
        logged = run("mock", "requests", "--limit", "1")["requests"]
        assert logged[0]["path"] == "/liveness/verify-face"
        assert [s["session_id"] for s in run("mock", "sessions")["sessions"]] == [
            session["session_id"]
        ]
        assert run("mock", "reset") == {"reset": True}
        assert fake.issued_sessions() == ()
        code, out, err = run_main(capsys, monkeypatch, "mock", "complete", str(uuid.uuid4()))
        assert (code, out) == (1, "")
        assert "session_not_found" in err


def test_mock_control_without_a_server_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERISOUL_BASE_URL", raising=False)
    code, out, err = run_main(capsys, monkeypatch, "mock", "reset")
    assert (code, out) == (2, "")
    assert "VERISOUL_BASE_URL" in err
