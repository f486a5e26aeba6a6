#!/usr/bin/env python3
"""Per-module mutation scores after ``mutmut run``, checked against the equivalents list.

    python scripts/mutation_report.py [--equivalents tests/mutation/equivalent.txt]

Reads ``mutmut results --all true`` and, for each surviving mutant, its diff (``mutmut
show``). A survivor is accepted only when ``tests/mutation/equivalent.txt`` lists it as
equivalent: an entry names the function and the changed lines, so it survives renumbering::

    function: verisoul._retry.parse_retry_after
    - raw_ms = headers.get("retry-after-ms")
    + raw_ms = headers.get("RETRY-AFTER-MS")
    why: httpx.Headers looks names up case-insensitively.

Entries are separated by blank lines; ``#`` starts a comment line. Exits 1 when a module
kills less than 95 % of its non-equivalent mutants, when any survivor is not listed, or
when a mutant timed out or could not be checked; prints the table either way.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.95
NAME = re.compile(r"^(?P<function>.+?)__mutmut_\d+$")


@dataclass(frozen=True)
class Equivalent:
    """One listed equivalent mutant."""

    function: str
    removed: tuple[str, ...]
    added: tuple[str, ...]
    why: str


def split_name(mutant: str) -> tuple[str, str]:
    """(module, function) of a mutmut name: ``verisoul._retry.x_parse_retry_after__mutmut_4``
    is ``("verisoul._retry", "parse_retry_after")``, a method ``x\u01c1Class\u01c1name``
    is ``Class.name``."""
    match = NAME.match(mutant)
    base = match.group("function") if match else mutant
    if "\u01c1" in base:
        module, _, rest = base.partition(".x\u01c1")
        return module, rest.replace("\u01c1", ".")
    module, _, name = base.rpartition(".")
    return module, re.sub(r"^x_", "", name)


def function_of(mutant: str) -> str:
    """``module.function`` of a mutmut name (what the equivalents file says)."""
    return ".".join(split_name(mutant))


def read_equivalents(path: Path) -> list[Equivalent]:
    """Parse the equivalents file."""
    entries: list[Equivalent] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        if not lines:
            continue
        fields = {"function": "", "why": ""}
        removed: list[str] = []
        added: list[str] = []
        for line in lines:
            if line.startswith("- "):
                removed.append(" ".join(line[2:].split()))
            elif line.startswith("+ "):
                added.append(" ".join(line[2:].split()))
            else:
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
        if not fields["function"] or not fields["why"]:
            raise SystemExit(f"equivalents: an entry needs function: and why:\n{block}")
        entries.append(Equivalent(fields["function"], tuple(removed), tuple(added), fields["why"]))
    return entries


def mutmut(*args: str) -> str:
    return subprocess.run(
        ["mutmut", *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout


def diff_lines(mutant: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The removed and added lines of a mutant, whitespace-normalised."""
    removed: list[str] = []
    added: list[str] = []
    for line in mutmut("show", mutant).splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(" ".join(line[1:].split()))
        elif line.startswith("+"):
            added.append(" ".join(line[1:].split()))
    return tuple(removed), tuple(added)


def main(argv: list[str] | None = None) -> int:
    """Print the table; non-zero when the run does not meet the bar."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--equivalents", type=Path, default=ROOT / "tests" / "mutation" / "equivalent.txt"
    )
    args = parser.parse_args(argv)
    equivalents = read_equivalents(args.equivalents)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unlisted: list[str] = []
    used: set[Equivalent] = set()
    for line in mutmut("results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = split_name(name)[0]
        if status == "survived":
            removed, added = diff_lines(name)
            match = next(
                (
                    e
                    for e in equivalents
                    if e.function == function_of(name) and (e.removed, e.added) == (removed, added)
                ),
                None,
            )
            if match is None:
                unlisted.append(f"{name}\n    - {' | '.join(removed)}\n    + {' | '.join(added)}")
                counts[module]["survived"] += 1
            else:
                used.add(match)
                counts[module]["equivalent"] += 1
        else:
            counts[module][status] += 1
    failed = bool(unlisted)
    print(f"{'module':32} {'mutants':>8} {'killed':>7} {'equiv.':>7} {'other':>6} {'score':>7}")
    for module in sorted(counts):
        c = counts[module]
        total = sum(c.values())
        other = total - c["killed"] - c["equivalent"]
        live = total - c["equivalent"]
        score = c["killed"] / live if live else 1.0
        failed |= score < THRESHOLD or other > c["survived"]
        print(f"{module:32} {total:8} {c['killed']:7} {c['equivalent']:7} {other:6} {score:7.1%}")
    for text in unlisted:
        print(f"survived, not listed as equivalent: {text}")
    for entry in equivalents:
        if entry not in used:
            print(f"note: equivalent entry matched no survivor: {entry.function} {entry.removed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
