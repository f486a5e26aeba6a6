#!/usr/bin/env python3
"""Turn the "reliability figures" a pytest run prints into a record for the docs.

    pytest tests/reliability tests/_async/test_reliability_faults.py \\
        tests/_sync/test_reliability_faults.py | tee run.log
    python scripts/record_reliability.py run.log --source "CI size, 2026-11-30, ..." \\
        --out tests/reliability/recorded/ci-size.json

Each ``section: name: value`` line becomes ``figures.<section>.<name>`` with both keys
slugged (lower case, runs of other characters as ``_``): ``soak (asyncio, 64
concurrent): calls: 2000`` is ``figures.soak_asyncio_64_concurrent.calls``. Numbers stay
numbers; anything else (``-9 KiB (after the first: 140 KiB)``) is kept as text, with its
leading number also under ``<name>_number``. ``scripts/figures.py`` renders from it.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

HEADER = re.compile(r"=+ reliability figures =+")
LINE = re.compile(r"^(?P<section>[^:]+): (?P<name>[^:]+): (?P<value>.+)$")
NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def parse(log: str) -> dict[str, dict[str, Any]]:
    """The figures of the last "reliability figures" section of a pytest log."""
    parts = HEADER.split(log)
    if len(parts) < 2:
        raise SystemExit("no 'reliability figures' section in the log")
    figures: dict[str, dict[str, Any]] = {}
    for line in parts[-1].splitlines():
        match = LINE.match(line.strip())
        if not match:
            continue
        section = figures.setdefault(slug(match.group("section")), {})
        name, value = slug(match.group("name")), match.group("value").strip()
        if re.fullmatch(r"[-+]?\d+", value):
            section[name] = int(value)
            continue
        section[name] = value
        number = NUMBER.match(value)
        if number:
            section[f"{name}_number"] = float(number.group(0).replace(",", ""))
    return figures


def main(argv: list[str] | None = None) -> None:
    """Parse a log and write the record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--source", required=True, help="what ran, when, where")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    record = {"source": args.source, "figures": parse(args.log.read_text())}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
