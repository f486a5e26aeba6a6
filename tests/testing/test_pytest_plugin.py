"""The ``pytest11`` plugin: a user's suite gets the fixtures with no set-up code."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

USER_TESTS = """
import anyio
import httpx
import pytest

from verisoul import Decision


def test_sync(verisoul_fake, verisoul_client):
    session = verisoul_client.create_liveness_session()
    verisoul_fake.complete_session(session.session_id, decision="Suspicious")
    assert verisoul_client.verify_face(session.session_id).decision == Decision.SUSPICIOUS


def test_a_fresh_fake_per_test(verisoul_fake):
    assert verisoul_fake.issued_sessions() == ()


@pytest.mark.anyio
async def test_async(verisoul_fake, verisoul_async_client):
    async with verisoul_async_client as client:
        session = await client.create_liveness_session(simulate="success")
        assert (await client.verify_face(session.session_id)).decision == Decision.REAL
    assert len(verisoul_fake.issued_sessions()) == 1


def test_served(verisoul_fake, verisoul_base_url):
    response = httpx.get(f"{verisoul_base_url}/_fake/sessions")
    assert response.json() == {"sessions": []}
"""


def test_entry_point_is_declared() -> None:
    (plugin,) = [ep for ep in entry_points(group="pytest11") if ep.name == "verisoul"]
    assert plugin.value == "verisoul.testing.pytest_plugin"


#: The guide's sample: a user's test file, run here as the user would run it.
EXAMPLE = "examples/test_with_fixtures.py"


def test_a_users_suite_uses_the_fixtures_without_set_up(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS), encoding="utf-8")
    example = Path(__file__).resolve().parents[2] / EXAMPLE
    (tmp_path / "test_example.py").write_text(example.read_text(encoding="utf-8"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERISOUL_")}
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout  # test_async runs on asyncio and trio


def test_the_fixtures_are_here_too(verisoul_fake: object, verisoul_client: object) -> None:
    """The project's own suite runs with the plugin loaded."""
    from verisoul import Verisoul
    from verisoul.testing import FakeVerisoul

    assert isinstance(verisoul_fake, FakeVerisoul)
    assert isinstance(verisoul_client, Verisoul)


def test_plugin_can_be_disabled(tmp_path: Path) -> None:
    (tmp_path / "test_none.py").write_text(
        "def test_missing(request):\n"
        "    import pytest\n"
        "    with pytest.raises(pytest.FixtureLookupError):\n"
        "        request.getfixturevalue('verisoul_fake')\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:verisoul", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
