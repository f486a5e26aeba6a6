"""Entry point of one measurement process: ``python -m bench.worker '<job json>'``.

Jobs:
    ``{"kind": "round", "variants", "base_url", "calls", "batches", "warmup", "concurrency",
    "bursts", "burst_seconds"}``: sequential latency/CPU, then calls/s at each concurrency
    level, the variants interleaved (see :mod:`bench.measure`).
    ``{"kind": "rss", "variant", "base_url", "calls"}``: peak RSS after that many calls.
    ``{"kind": "parse", "repeat"}``: verify-face response parsing time.

Prints one JSON line with the result.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from . import measure, parsing
from .variants import ALL_VARIANTS


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job and return its result."""
    kind = job["kind"]
    if kind == "parse":
        return parsing.measure(job["repeat"])
    if kind == "rss":
        return measure.peak_rss(ALL_VARIANTS[job["variant"]], job["base_url"], job["calls"])
    if kind == "round":
        variants = [ALL_VARIANTS[name] for name in job["variants"]]
        result: dict[str, Any] = measure.interleaved_round(variants, job["base_url"], job)
        return result
    raise ValueError(f"unknown job kind {kind!r}")


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
