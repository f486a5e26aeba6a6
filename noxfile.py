"""Developer and CI tasks. ``nox`` runs the default sessions: lint, typecheck, tests.

Sessions run on the interpreter that runs nox (CI has only 3.11); other versions are
listed in ``PYTHONS`` for ``nox -s tests --python 3.12`` on machines that have them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False
nox.options.sessions = [
    "lint",
    "typecheck",
    "unasync",
    "tests",
    "tests-aiohttp",
    "docs",
    "docs_browser",
    "browser",
]

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


@nox.session(venv_backend="none")
def unasync(session: nox.Session) -> None:
    """The committed sync client and tests are exactly what the async source generates."""
    session.run(sys.executable, "scripts/unasync.py", "--check")


def ensure_redis_server(session: nox.Session) -> None:
    """Install Debian's redis-server when missing and we may (root): the Redis rate
    budget tests need a real server, and fail instead of skipping when ``CI`` is set."""
    if shutil.which("redis-server") is not None:
        return
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        session.warn("redis-server not found and cannot be installed here: Redis tests skip")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    session.run("apt-get", "install", "-y", "-qq", "redis-server", external=True, env=env)


@nox.session(python=HERE)
def tests(session: nox.Session) -> None:
    """The whole test suite, async tests on asyncio and trio."""
    ensure_redis_server(session)
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=HERE, name="tests-aiohttp")
def tests_aiohttp(session: nox.Session) -> None:
    """The async tests again, on the optional aiohttp transport (asyncio only)."""
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "tests/_async",
        "tests/test_aiohttp_transport.py",
        *session.posargs,
        env={"VERISOUL_TEST_TRANSPORT": "aiohttp"},
    )


#: What ``nox -s bench`` compares the SDK with and runs it under, never package dependencies.
BENCH_PEERS = ["openai", "fastapi", "uvicorn"]


@nox.session(python=HERE)
def bench(session: nox.Session) -> None:
    """The benchmark suite (never part of the tests): ``nox -s bench [-- --quick]``.

    Writes ``bench/results/latest.json``; ``-- --record`` also writes the committed
    ``bench/recorded/<profile>.json`` that the README's figures come from.
    """
    # Not the [test] extra: with trio installed, httpcore imports it on the first client
    # construction (~120 ms here), a cost users without trio never pay. openai (the peer
    # in the tables) pulls in sniffio, which every httpx async client here then uses.
    session.install(".[aiohttp]", *BENCH_PEERS)
    session.run("python", "-m", "bench.run", *session.posargs)


#: ``nox -s reliability -- --soak-calls 100000``: option -> environment variable.
RELIABILITY_OPTIONS = {
    "--soak-calls": "VERISOUL_SOAK_CALLS",
    "--trio-soak-calls": "VERISOUL_TRIO_SOAK_CALLS",
    "--soak-concurrency": "VERISOUL_SOAK_CONCURRENCY",
    "--cancel-iterations": "VERISOUL_CANCEL_ITERATIONS",
}


@nox.session(python=HERE)
def reliability(session: nox.Session) -> None:
    """The reliability suite at full size (10,000-call soaks at 256 in flight).

    ``nox -s reliability -- --soak-calls 100000``; other arguments go to pytest.
    """
    session.install("-e", ".[test]")
    env = {
        "VERISOUL_SOAK_CALLS": "10000",
        "VERISOUL_TRIO_SOAK_CALLS": "10000",
        "VERISOUL_SOAK_CONCURRENCY": "256",
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
    ensure_redis_server(session)
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=HERE)
def demo(session: nox.Session) -> None:
    """The SDK's main job against the built-in fake: print a Face Match session."""
    session.install("-e", ".")
    session.run("verisoul", "--mock", "liveness-session")


@nox.session(python=HERE, name="ratelimit_bench")
def ratelimit_bench(session: nox.Session) -> None:
    """8 processes on one key against a 60-per-10-s server: no limiter, in-process, Redis.

    Starts its own redis-server and writes the table to bench/RATELIMIT.md (~2 minutes).
    """
    ensure_redis_server(session)
    session.install("-e", ".[redis]")
    session.run(
        "python", "bench/ratelimit_fleet.py", "--out", "bench/RATELIMIT.md", *session.posargs
    )


#: mkdocs-material prints a banner about MkDocs 2 on every build unless told not to.
DOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session(python=HERE)
def docs(session: nox.Session) -> None:
    """Build the documentation site; broken links or API references fail the build."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=DOCS_ENV)


def _ensure_chromium(session: nox.Session) -> None:
    """Debian's chromium, installed here when missing (CI runs as root on Debian)."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        session.error("chromium is missing: install Debian's package (apt-get install chromium)")
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-q", external=True, env=apt_env)
    session.run("apt-get", "install", "-y", "-q", "chromium", external=True, env=apt_env)


@nox.session(python=HERE, name="docs_browser")
def docs_browser(session: nox.Session) -> None:
    """Build the site, serve it on 127.0.0.1 and check it in headless Chromium."""
    _ensure_chromium(session)
    session.install("-e", ".[docs]")
    site = Path(session.create_tmp()).resolve() / "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", str(site), env=DOCS_ENV)
    session.run(
        "pytest", "tests/docs_browser", *session.posargs, env={"VERISOUL_DOCS_SITE": str(site)}
    )


@nox.session(python=HERE)
def browser(session: nox.Session) -> None:
    """The local Face Match flow in headless Chromium: ``examples/fastapi_app.py`` against
    ``verisoul mock serve``, through the stand-in hosted page and back (tests/browser)."""
    _ensure_chromium(session)
    session.install("-e", ".[test]", "playwright==1.65.2")
    session.run("pytest", "tests/browser", *session.posargs, env={"VERISOUL_BROWSER_TESTS": "1"})


@nox.session(python=HERE)
def mutation(session: nox.Session) -> None:
    """Mutation testing of the decision modules (slow: not in the default run).

    mutmut mutates ``_retry``, ``_response``, ``_config``, ``webhooks`` and the request
    builders (``[tool.mutmut]`` in pyproject.toml) and runs the fast tests against each
    mutant. Fails when a module kills under 95 % of its mutants, or when a mutant survives
    that ``tests/mutation/equivalent.txt`` does not list as equivalent (with the reason).
    ``nox -s mutation -- --max-children 2``: arguments go to ``mutmut run``.
    """
    session.install("-e", ".[test]", "mutmut==3.8.1")
    shutil.rmtree("mutants", ignore_errors=True)
    session.run("mutmut", "run", *session.posargs, success_codes=[0, 1])
    session.run("python", "scripts/mutation_report.py")
