#!/usr/bin/env python3
"""Write the measured figures in the docs from committed records, or check them.

    python scripts/figures.py          # re-render every figure region in place
    python scripts/figures.py --check  # exit 1 if any region differs from its record

A figure in README.md, docs/, bench/ or a README under tests/ is never typed by hand: it
sits in a region whose opening comment names the record it comes from and a template::

    import: <!-- figure: bench/recorded/x.json {import.verisoul.ms:.0f} ms -->85 ms<!-- /figure -->

    <!-- figure: tests/reliability/recorded/soak.json
    | calls | failures |
    |---|---|
    | {ci.calls:,} | {ci.failures} |
    -->

    | calls | failures |
    ...

    <!-- /figure -->

The text between ``-->`` and ``<!-- /figure -->`` is the template rendered with the record:
in the sentence when the template starts on the opening comment's line (it may wrap),
else as a block between blank lines (so Markdown sees a table or paragraph). A block's
field may be a whole Markdown table kept in the record as text (the ``tables`` of
``bench/recorded/quick.figures.json``, written by ``python -m bench.report RUN.json
--figures OUT.json`` from the run's JSON, so the docs show exactly what ``bench.report``
prints). Nothing else in the file is touched.

Templates. ``{PATH}`` or ``{PATH:SPEC}``: PATH is a dotted path into the record's JSON
(``results.sdk-async.p50_us``, list items by index: ``rounds.0``), SPEC a Python format
spec (``,`` for thousands, ``.1f``...). A field may also be arithmetic over paths and
numbers with ``+ - * / ( )``, operators between spaces: ``{a.rps / b.rps:.1f}`` (a ratio
is computed, never copied). ``{{`` and ``}}`` are literal braces. A template must not
contain ``-->``.

Records. Any JSON file in the repository, committed, written by the run that measured it
(``bench/recorded/*.json`` for ``nox -s bench``, ``tests/reliability/recorded/*.json``
for the soak). A record should carry a top-level ``"source"``: what was run, when, on
what machine; hand-made records (numbers copied from an older write-up) say so there.
To plug in a new run, commit its JSON and point the regions at it (or overwrite the
record they cite), then run this script; the check (``tests/promises/test_index.py``, in
the default test run) fails until the text matches the records again.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: The Markdown files whose figures must come from records.
DOC_GLOBS = ("README.md", "docs/**/*.md", "bench/**/*.md", "tests/**/README.md")

REGION = re.compile(
    r"<!-- figure: (?P<record>\S+)(?P<template>.*?)-->(?P<body>.*?)<!-- /figure -->",
    re.DOTALL,
)
FIELD = re.compile(r"\{\{|\}\}|\{(?P<expr>[^{}:]+)(?::(?P<spec>[^{}]*))?\}")
PATH = re.compile(r"[A-Za-z_][\w\-]*(?:\.[\w\-]+)*")
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.Name,
    ast.Load,
    ast.Constant,
)


class FigureError(Exception):
    """A region that cannot be rendered: unknown record, path or bad template."""


def doc_files(root: Path = ROOT) -> list[Path]:
    """Every Markdown file that may hold figures, sorted."""
    found: set[Path] = set()
    for pattern in DOC_GLOBS:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(p for p in found if ".nox" not in p.parts and ".venv" not in p.parts)


def lookup(record: Any, path: str) -> Any:
    """The value at a dotted ``path`` in a JSON document."""
    value = record
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise FigureError(f"no {path!r} in the record (stopped at {part!r})")
    return value


def evaluate(expr: str, record: Any) -> Any:
    """A field's value: one path, or arithmetic over paths and numbers."""
    expr = expr.strip()
    if PATH.fullmatch(expr):
        return lookup(record, expr)
    values: dict[str, Any] = {}

    def name(match: re.Match[str]) -> str:
        key = f"_v{len(values)}"
        values[key] = lookup(record, match.group(0))
        return key

    python = PATH.sub(name, expr)
    try:
        tree = ast.parse(python, mode="eval")
    except SyntaxError as exc:
        raise FigureError(f"bad expression {expr!r}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise FigureError(f"only + - * / over paths and numbers: {expr!r}")
    return eval(compile(tree, "<figure>", "eval"), {"__builtins__": {}}, values)  # noqa: S307


def render_template(template: str, record: Any) -> str:
    """Fill every field of ``template`` from ``record``."""

    def field(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        value = evaluate(match.group("expr"), record)
        try:
            return format(value, match.group("spec") or "")
        except (TypeError, ValueError) as exc:
            raise FigureError(f"cannot format {value!r} as {match.group('spec')!r}") from exc

    return FIELD.sub(field, template)


@dataclass(frozen=True)
class Region:
    """One figure region of a document."""

    doc: Path
    line: int
    record: str
    template: str
    body: str
    span: tuple[int, int]

    @property
    def block(self) -> bool:
        """True for a template that starts on its own line, rendered as a block between
        blank lines (a field may then be a whole table). A template that starts on the
        opening comment's line renders in the sentence, even if it wraps."""
        return self.template.lstrip(" ").startswith("\n")

    def where(self, root: Path = ROOT) -> str:
        """``path:line`` for messages."""
        return f"{self.doc.relative_to(root)}:{self.line}"


def regions(doc: Path) -> Iterator[Region]:
    """The figure regions of one document, in order."""
    text = doc.read_text(encoding="utf-8")
    for match in REGION.finditer(text):
        yield Region(
            doc=doc,
            line=text.count("\n", 0, match.start()) + 1,
            record=match.group("record"),
            template=match.group("template"),
            body=match.group("body"),
            span=match.span("body"),
        )


_records: dict[Path, Any] = {}


def load_record(name: str, root: Path = ROOT) -> Any:
    """A record by its path from the repository root (cached)."""
    path = (root / name).resolve()
    if root.resolve() not in path.parents:
        raise FigureError(f"record {name} is outside the repository")
    if path not in _records:
        try:
            _records[path] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise FigureError(f"no record {name}") from exc
        except json.JSONDecodeError as exc:
            raise FigureError(f"record {name} is not JSON: {exc}") from exc
    return _records[path]


def rendered_body(region: Region, root: Path = ROOT) -> str:
    """What the region's body must be."""
    record = load_record(region.record, root)
    if region.block:
        text = render_template(region.template.strip("\n ").strip("\n"), record)
        return f"\n\n{text}\n\n"
    return render_template(region.template.strip(), record)


def render_doc(doc: Path, root: Path = ROOT) -> tuple[str, list[str]]:
    """The document with every region re-rendered, and the regions that changed."""
    text = doc.read_text(encoding="utf-8")
    changed: list[str] = []
    out: list[str] = []
    last = 0
    for region in regions(doc):
        try:
            body = rendered_body(region, root)
        except FigureError as exc:
            raise FigureError(f"{region.where(root)}: {exc}") from exc
        start, end = region.span
        out.append(text[last:start])
        out.append(body)
        last = end
        if body != region.body:
            changed.append(f"{region.where(root)}: {region.body.strip()!r} -> {body.strip()!r}")
    out.append(text[last:])
    return "".join(out), changed


def check(root: Path = ROOT) -> list[str]:
    """Every region whose text differs from its record (or cannot be rendered)."""
    problems: list[str] = []
    for doc in doc_files(root):
        try:
            _, changed = render_doc(doc, root)
        except FigureError as exc:
            problems.append(str(exc))
            continue
        problems.extend(changed)
    return problems


def write(root: Path = ROOT) -> list[str]:
    """Re-render every region in place; returns what changed."""
    changed_all: list[str] = []
    for doc in doc_files(root):
        new, changed = render_doc(doc, root)
        if changed:
            doc.write_text(new, encoding="utf-8")
            changed_all.extend(changed)
    return changed_all


def main(argv: list[str] | None = None) -> int:
    """Command line: render in place, or ``--check``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a figure is stale")
    args = parser.parse_args(argv)
    try:
        lines = check() if args.check else write()
    except FigureError as exc:
        print(f"figures: {exc}", file=sys.stderr)
        return 1
    if args.check:
        for line in lines:
            print(f"figures: stale: {line}", file=sys.stderr)
        print(f"figures: {'STALE' if lines else 'ok'} ({len(lines)} region(s) differ)")
        return 1 if lines else 0
    for line in lines:
        print(f"figures: rendered {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
