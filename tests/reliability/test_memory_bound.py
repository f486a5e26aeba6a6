"""Peak memory of one call against a huge body or a gzip bomb, each in a fresh process.

In the test process earlier tests leave freed memory behind, which a later body can reuse
without raising the peak RSS; a fresh interpreter per case gives a clean figure. Each child
makes one normal call (imports, pool, TLS state all warm), resets its peak RSS
(``/proc/self/clear_refs``), makes the hostile call and reports the peak's growth.
Linux only (skipped elsewhere). Hand-written: it starts processes itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verisoul._body import DEFAULT_MAX_RESPONSE_BYTES

from .figures import measure, record

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
#: Interpreter, thread stacks, allocator slack: what a call may add besides its buffers.
SLACK = 16 * MIB

CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[3])
import anyio, verisoul
from tests._hostile import MIB, PeakMemory, Stream, bomb, endless, pieces_of, serve_hostile, sized
from tests._servers import json_action

case, flavour = sys.argv[1], sys.argv[2]
OK = json_action({"request_id": "r", "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"})
if case == "200 MB body":
    hostile = Stream(sized(200 * MIB), length=200 * MIB)
elif case == "gzip bomb, 1 GiB decoded":
    data = bomb(1024 * MIB, 31)
    hostile = Stream(pieces_of(data), length=len(data),
                     headers=(("content-encoding", "gzip"),))
else:
    hostile = Stream(endless(b" " * 65536))
answers = [OK, hostile]
result = {}
with serve_hostile(lambda _: answers.pop(0)) as server:
    if flavour == "sync":
        with verisoul.Verisoul(api_key="sk_test_memory", base_url=server.url,
                               max_retries=0) as client:
            client.create_liveness_session()
            with PeakMemory() as peak:
                try:
                    client.create_liveness_session()
                except verisoul.APIError as exc:
                    result["error"] = type(exc).__name__
    else:
        async def main():
            async with verisoul.AsyncVerisoul(api_key="sk_test_memory", base_url=server.url,
                                              max_retries=0) as client:
                await client.create_liveness_session()
                with PeakMemory() as peak:
                    try:
                        await client.create_liveness_session()
                    except verisoul.APIError as exc:
                        result["error"] = type(exc).__name__
                return peak
        peak = anyio.run(main, backend=flavour)
result["growth"] = peak.growth
print(json.dumps(result))
"""

CASES = ["200 MB body", "gzip bomb, 1 GiB decoded", "chunked body without end"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")
@pytest.mark.parametrize("flavour", ["sync", "asyncio", "trio"])
@pytest.mark.parametrize("case", CASES)
def test_peak_memory_of_one_hostile_call(case: str, flavour: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, case, flavour, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["error"] == "APIResponseValidationError"
    growth = result["growth"]
    if growth is None:
        pytest.skip("the peak RSS cannot be reset here")
    bound = 2 * DEFAULT_MAX_RESPONSE_BYTES + SLACK
    measure(
        f"memory: peak RSS growth of one call, fresh process, {case} ({flavour})",
        f"{growth / MIB:.1f} MiB (limit {DEFAULT_MAX_RESPONSE_BYTES // MIB} MiB)",
    )
    record("hardening: calls unbounded in time or memory", 0 if growth <= bound else 1)
    assert growth <= bound, f"{growth / MIB:.0f} MiB"
