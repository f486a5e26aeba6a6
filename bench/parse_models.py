"""Median time to parse the Face Match / ID Check response bodies from the spec examples.

Run: ``python bench/parse_models.py``. Parsing happens on every API call, so it should stay
far below the network round trip (target: <= 50 us median for a full verify-face body).

Two clocks: CPU time of this process (what the parse costs, even on a busy machine where
other processes take turns on the cores) and wall time (what a caller waits). For scale,
each line also shows ``json.loads`` of the same body, which every call pays anyway.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from verisoul._models.liveness import (
    parse_enroll,
    parse_verify_face,
    parse_verify_id,
    parse_verify_identity,
)

SPECS = Path(__file__).resolve().parent.parent / "tests" / "openapi"
ROUNDS = 31
CALLS_PER_ROUND = 2000


def example(spec: str, path: str) -> object:
    """The 200 example body of ``POST path`` in one of Verisoul's OpenAPI files."""
    document = json.loads((SPECS / spec).read_text(encoding="utf-8"))
    content = document["paths"][path]["post"]["responses"]["200"]["content"]
    return content["application/json"]["example"]


def median_us(parse: Callable[[object], object], body: object) -> tuple[float, float]:
    """Median over ``ROUNDS`` rounds of the mean (CPU, wall) time per call, in microseconds."""
    cpu, wall = [], []
    for _ in range(ROUNDS):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for _ in range(CALLS_PER_ROUND):
            parse(body)
        cpu.append((time.process_time() - cpu_start) / CALLS_PER_ROUND * 1e6)
        wall.append((time.perf_counter() - wall_start) / CALLS_PER_ROUND * 1e6)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    facematch, idcheck = "verisoul-facematch-openapi.json", "verisoul-idcheck-openapi.json"
    cases = [
        ("verify-face", parse_verify_face, facematch, "/liveness/verify-face"),
        ("verify-id", parse_verify_id, idcheck, "/liveness/verify-id"),
        ("verify-identity", parse_verify_identity, facematch, "/liveness/verify-identity"),
        ("enroll", parse_enroll, facematch, "/liveness/enroll"),
    ]
    print(f"median us per call over {ROUNDS} rounds of {CALLS_PER_ROUND} calls")
    for name, parse, spec, path in cases:
        body = example(spec, path)
        cpu, wall = median_us(parse, body)
        loads_cpu, _ = median_us(lambda text: json.loads(str(text)), json.dumps(body))
        print(
            f"{name:16} parse {cpu:7.2f} us CPU, {wall:7.2f} us wall"
            f"   (json.loads of the body: {loads_cpu:.2f} us CPU)"
        )


if __name__ == "__main__":
    main()
