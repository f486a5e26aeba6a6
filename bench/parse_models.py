"""Median time to parse the Face Match / ID Check response bodies from the spec examples.

Run: ``python bench/parse_models.py``. Parsing happens on every API call, so it should stay
far below the network round trip (target: <= 50 us median for a full verify-face body).
For scale, the line also shows ``json.loads`` of the same body, which every call pays anyway.
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


def timings_us(parse: Callable[[object], object], body: object) -> tuple[float, float]:
    """Median and best of ``ROUNDS`` rounds of the mean time per call, in microseconds.

    The best round shows the cost on an idle core; the median what a busy machine sees.
    """
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(CALLS_PER_ROUND):
            parse(body)
        samples.append((time.perf_counter() - start) / CALLS_PER_ROUND * 1e6)
    return statistics.median(samples), min(samples)


def main() -> None:
    cases = [
        (
            "verify-face",
            parse_verify_face,
            "verisoul-facematch-openapi.json",
            "/liveness/verify-face",
        ),
        ("verify-id", parse_verify_id, "verisoul-idcheck-openapi.json", "/liveness/verify-id"),
        (
            "verify-identity",
            parse_verify_identity,
            "verisoul-facematch-openapi.json",
            "/liveness/verify-identity",
        ),
        ("enroll", parse_enroll, "verisoul-facematch-openapi.json", "/liveness/enroll"),
    ]
    for name, parse, spec, path in cases:
        body = example(spec, path)
        median, best = timings_us(parse, body)
        decoded, _ = timings_us(lambda text: json.loads(str(text)), json.dumps(body))
        print(
            f"{name:16} {median:7.2f} us median per parse (best round {best:.2f} us); "
            f"json.loads of the same body: {decoded:.2f} us median"
        )


if __name__ == "__main__":
    main()
