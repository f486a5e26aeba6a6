"""The ``bench`` nox session, to merge into the project's noxfile.py (kept here until it exists).

Paste below the other sessions (``nox`` and ``Path`` are already imported there).
"""

from __future__ import annotations

import nox


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmark suite (never part of the tests): ``nox -s bench [-- --quick]``."""
    # The aiohttp extra only; no [test] extra: with trio installed, httpcore imports it on the
    # first client construction (~120 ms here), which is not what users without trio pay.
    session.install(".[aiohttp]")
    session.run("python", "-m", "bench.run", *session.posargs)
