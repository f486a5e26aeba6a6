"""Developer and CI tasks. ``nox`` runs the default sessions: lint, typecheck, tests.

Sessions run on the interpreter that runs nox (CI has only 3.11); other versions are
listed in ``PYTHONS`` for ``nox -s tests --python 3.12`` on machines that have them.
"""

from __future__ import annotations

import sys

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False
nox.options.sessions = ["lint", "typecheck", "unasync", "tests"]

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


@nox.session(python=HERE)
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=HERE)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests and the scripts."""
    session.install("-e", ".[lint,test]")
    session.run("mypy")


@nox.session(python=HERE)
def unasync(session: nox.Session) -> None:
    """The committed sync client and tests are exactly what the async source generates."""
    session.run("python", "scripts/unasync.py", "--check")


@nox.session(python=HERE)
def tests(session: nox.Session) -> None:
    """The whole test suite, async tests on asyncio and trio."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


#: ``nox -s reliability -- --soak-calls 100000``: option -> environment variable.
RELIABILITY_OPTIONS = {
    "--soak-calls": "VERISOUL_SOAK_CALLS",
    "--trio-soak-calls": "VERISOUL_TRIO_SOAK_CALLS",
    "--soak-concurrency": "VERISOUL_SOAK_CONCURRENCY",
    "--cancel-iterations": "VERISOUL_CANCEL_ITERATIONS",
}


@nox.session(python=HERE)
def reliability(session: nox.Session) -> None:
    """The reliability suite at full size (10,000-call soaks, 1,000 cancellations each).

    ``nox -s reliability -- --soak-calls 100000``; other arguments go to pytest.
    """
    session.install("-e", ".[test]")
    env = {
        "VERISOUL_SOAK_CALLS": "10000",
        "VERISOUL_TRIO_SOAK_CALLS": "10000",
        "VERISOUL_CANCEL_ITERATIONS": "1000",
    }
    args = list(session.posargs)
    pytest_args: list[str] = []
    while args:
        arg = args.pop(0)
        name, _, value = arg.partition("=")
        if name in RELIABILITY_OPTIONS:
            env[RELIABILITY_OPTIONS[name]] = value or args.pop(0)
        else:
            pytest_args.append(arg)
    session.run(
        "pytest",
        "tests/reliability",
        "tests/_async/test_reliability_faults.py",
        "tests/_sync/test_reliability_faults.py",
        *pytest_args,
        env=env,
    )


@nox.session(python=PYTHONS, name="tests-all")
def tests_all(session: nox.Session) -> None:
    """The test suite on every supported Python found on this machine."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=HERE)
def demo(session: nox.Session) -> None:
    """The SDK's main job against the built-in fake: print a Face Match session."""
    session.install("-e", ".")
    session.run("verisoul", "--mock", "liveness-session")
