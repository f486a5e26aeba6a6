#!/usr/bin/env python3
"""Measure cold ``import verisoul`` (and the clients, and httpx) and record it for the docs.

    python scripts/measure_startup.py [--runs 21] [--out bench/recorded/import-time.json]

Each import runs in a fresh interpreter (this one's), timed inside it with
``time.perf_counter`` (wall clock) and ``time.process_time`` (CPU: less sensitive to other
load on a shared machine); the record keeps every sample, the medians and the machine's
load, and ``scripts/figures.py`` renders the README's start-up figure from it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "import time; w = time.perf_counter(); c = time.process_time(); {statement}; "
    "print(time.perf_counter() - w, time.process_time() - c)"
)
#: What is timed: the lazy top level alone, the first use of the clients (which imports
#: httpx and the client code), and httpx alone for scale.
STATEMENTS = {
    "verisoul": "import verisoul",
    "verisoul_clients": "from verisoul import AsyncVerisoul, Verisoul",
    "httpx": "import httpx",
}


def sample(statement: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one cold import statement in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CODE.format(statement=statement)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    return float(out[0]) * 1000.0, float(out[1]) * 1000.0


def measure(statement: str, runs: int) -> dict[str, Any]:
    """Medians and samples of ``runs`` cold runs of an import ``statement``."""
    samples = [sample(statement) for _ in range(runs)]
    wall = [round(w, 1) for w, _ in samples]
    cpu = [round(c, 1) for _, c in samples]
    return {
        "wall_ms_median": round(statistics.median(wall)),
        "cpu_ms_median": round(statistics.median(cpu)),
        "wall_ms": wall,
        "cpu_ms": cpu,
    }


def main(argv: list[str] | None = None) -> None:
    """Measure and write the record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/recorded/import-time.json")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    result = {name: measure(code, args.runs) for name, code in STATEMENTS.items()}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    record = {
        "source": (
            f"python scripts/measure_startup.py --runs {args.runs}, {now}, "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
            f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
        ),
        "runs": args.runs,
        "statements": STATEMENTS,
        "import": result,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps({k: {m: v[m] for m in v if "median" in m} for k, v in result.items()}))


if __name__ == "__main__":
    main()
