"""How long the SDK takes to turn a full verify-face response into models.

Measured apart from the network: ``json.loads`` of the fixture body (what raw httpx pays too)
and the SDK's parser on the decoded object (what the SDK adds).
"""

from __future__ import annotations

import importlib
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("fixtures") / "verify_face.json"
PARSER_LOCATIONS = ("verisoul._models.liveness", "verisoul._models.face_match", "verisoul._models")
BATCHES = 7


def find_parser() -> Callable[[object], Any] | None:
    """The SDK's verify-face parser, or None while the SDK has none."""
    for module_name in PARSER_LOCATIONS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        parser = getattr(module, "parse_verify_face", None)
        if parser is not None:
            return parser  # type: ignore[no-any-return]
    return None


def per_call_us(func: Callable[[], object], repeat: int) -> float:
    """Median over a few batches of the mean time of one call, in microseconds."""
    func()
    batches = []
    for _ in range(BATCHES):
        start = time.perf_counter_ns()
        for _ in range(repeat):
            func()
        batches.append((time.perf_counter_ns() - start) / repeat / 1000)
    return statistics.median(batches)


def measure(repeat: int) -> dict[str, Any]:
    """Parse timings in microseconds (``parse_us`` is None while the SDK has no parser)."""
    body = json.dumps(json.loads(FIXTURE.read_text()), separators=(",", ":")).encode()
    data = json.loads(body)
    parser = find_parser()
    return {
        "body_bytes": len(body),
        "json_loads_us": per_call_us(lambda: json.loads(body), repeat),
        "parse_us": None if parser is None else per_call_us(lambda: parser(data), repeat),
    }
