"""Cold-start costs, each measured in a fresh interpreter.

``import verisoul`` time (and ``import httpx`` for scale), the ``-X importtime`` top offenders,
and import-to-first-result: import, construct a client, make the first call.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .procs import CLIENT_CORE, PROJECT_ROOT, pinned, python_argv, run_python
from .variants import API_KEY, SESSION_PATH

IMPORT_CODE = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)

_SYNC_FIRST_CALL = """
import json, time
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
client = {construct}
t2 = time.perf_counter()
{call}
t3 = time.perf_counter()
client.close()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2]))
"""

_ASYNC_FIRST_CALL = """
import json, time
t0 = time.perf_counter()
import asyncio
{imports}
t1 = time.perf_counter()
async def main():
    client = {construct}
    t2 = time.perf_counter()
    {call}
    t3 = time.perf_counter()
    await client.aclose()
    return t2, t3
t2, t3 = asyncio.run(main())
print(json.dumps([t1 - t0, t2 - t1, t3 - t2]))
"""

_RAW_CALL = f"client.get({SESSION_PATH!r}).raise_for_status().json()"
_SDK_CALL = "client.create_liveness_session()"
_RAW_ASYNC_CALL = f"(await client.get({SESSION_PATH!r})).raise_for_status().json()"

FIRST_CALL_CODE = {
    "raw-sync": (
        _SYNC_FIRST_CALL,
        "import httpx",
        "httpx.Client(base_url={url!r}, headers={{'x-api-key': {key!r}}})",
        _RAW_CALL,
    ),
    "sdk-sync": (
        _SYNC_FIRST_CALL,
        "import verisoul",
        "verisoul.Verisoul(api_key={key!r}, base_url={url!r})",
        _SDK_CALL,
    ),
    "raw-async": (
        _ASYNC_FIRST_CALL,
        "import httpx",
        "httpx.AsyncClient(base_url={url!r}, headers={{'x-api-key': {key!r}}})",
        _RAW_ASYNC_CALL,
    ),
    "sdk-async": (
        _ASYNC_FIRST_CALL,
        "import verisoul",
        "verisoul.AsyncVerisoul(api_key={key!r}, base_url={url!r})",
        "await " + _SDK_CALL,
    ),
}


def whole_processes() -> dict[str, list[str]]:
    """The commands timed as whole processes (start-up, work, exit), paired and rotated.

    ``verisoul --help`` is the console script of the venv that runs the benchmark; it is
    left out when that venv has none (``python -m bench.run`` outside ``nox -s bench``).
    """
    commands = {
        "python -c 'import httpx'": python_argv("-c", "import httpx"),
        "python -c 'import verisoul'": python_argv("-c", "import verisoul"),
        # ``import verisoul`` alone no longer loads httpx or the clients: this is what a
        # program that uses the SDK imports.
        "python -c 'from verisoul import AsyncVerisoul'": python_argv(
            "-c", "from verisoul import AsyncVerisoul"
        ),
    }
    script = Path(sys.executable).with_name("verisoul")
    if script.exists():
        commands["verisoul --help"] = [str(script), "--help"]
    return commands


def process_seconds(argv: list[str]) -> float:
    """Wall-clock seconds of one whole pinned process running ``argv``."""
    command = pinned(CLIENT_CORE, argv)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return time.perf_counter() - started


def import_seconds(module: str) -> float:
    """Seconds ``import module`` takes in a fresh interpreter."""
    return float(run_python(IMPORT_CODE.format(module=module)).stdout)


def first_call_seconds(variant: str, base_url: str) -> dict[str, float]:
    """Import, construct and first-call seconds for one variant in a fresh interpreter."""
    template, imports, construct, call = FIRST_CALL_CODE[variant]
    code = template.format(
        imports=imports, construct=construct.format(url=base_url, key=API_KEY), call=call
    )
    imported, constructed, called = json.loads(run_python(code).stdout)
    return {
        "import_s": imported,
        "construct_s": constructed,
        "first_call_s": called,
        "total_s": imported + constructed + called,
    }


def importtime_rows(code: str) -> list[dict[str, Any]]:
    """The ``-X importtime`` rows (module, self and cumulative microseconds) of ``code``."""
    rows = []
    for line in run_python(code, "-X", "importtime").stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        rows.append(
            {"module": name.strip(), "self_us": int(self_us), "cumulative_us": int(cumulative_us)}
        )
    return rows


def import_offenders(module: str, top: int = 12) -> list[dict[str, Any]]:
    """The modules ``import module`` loads with the largest self time (start-up excluded)."""
    at_startup = {row["module"] for row in importtime_rows("pass")}
    rows = [row for row in importtime_rows(f"import {module}") if row["module"] not in at_startup]
    return sorted(rows, key=lambda row: row["self_us"], reverse=True)[:top]
