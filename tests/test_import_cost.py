"""``import verisoul`` stays light: what only some programs need is imported on use.

Every serverless cold start and CLI run pays the import (issue 7: <= 80 ms), so the fake,
the CLI, webhooks and the optional aiohttp transport must not load with the package.
"""

from __future__ import annotations

import subprocess
import sys

#: Modules (and their submodules) that ``import verisoul`` must not load.
LAZY = (
    "verisoul.testing",
    "verisoul._cli",
    "verisoul.webhooks",
    "verisoul._ratelimit",
    "verisoul._aiohttp_transport",
    "httpx_aiohttp",
    "aiohttp",
    # httpcore imports trio when installed (~120 ms here), at the first client construction.
    "trio",
    # Loaded by the first async call; sync and trio programs never need asyncio (~25 ms).
    "asyncio",
    "anyio",
)


def modules_after(code: str) -> set[str]:
    """``sys.modules`` of a fresh interpreter after running ``code``."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


def test_import_verisoul_loads_only_the_package_itself() -> None:
    loaded = modules_after("import verisoul")
    assert sorted(m for m in loaded if m.startswith("verisoul")) == [
        "verisoul",
        "verisoul._version",
    ]
    assert "httpx" not in loaded


def test_importing_the_clients_loads_no_optional_parts() -> None:
    loaded = modules_after("from verisoul import AsyncVerisoul, Verisoul, VerisoulError")
    assert {"verisoul._async.client", "verisoul._sync.client", "httpx"} <= loaded
    unwanted = sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in LAZY))
    assert unwanted == []


def test_the_aiohttp_transport_loads_on_demand() -> None:
    loaded = modules_after(
        "import asyncio, verisoul\n"
        "asyncio.run(verisoul.AsyncVerisoul(api_key='k', transport='aiohttp').aclose())"
    )
    assert {"verisoul._aiohttp_transport", "aiohttp", "httpx_aiohttp"} <= loaded
