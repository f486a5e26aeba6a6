"""The docs and their tests stay linked, and every measured figure matches its record.

A behavioural promise in the docs carries a marker naming the test that holds it::

    The call raises at once. <!-- promise: tests/promises/test_retries.py::test_name -->

and that test's docstring quotes the promise, naming the file: ``docs/retries.md: "The
call raises at once."`` (one line per place the promise is written). This module checks
both directions: every marker names an existing test that quotes text really in that file,
and every test in ``tests/promises/`` is named by a marker in each file it quotes. A
reviewer finds a promise's test from the doc, and the promise from the test; rewording a
promise without looking at its test fails here.

It also runs ``scripts/figures.py --check``: every figure region in the docs must be what
its committed record renders to.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
#: The Markdown files that may hold promises.
DOC_GLOBS = ("README.md", "docs/**/*.md", "bench/**/*.md", "tests/**/README.md")
MARKER = re.compile(r"<!-- promise: (?P<file>tests/promises/[\w/]+\.py)::(?P<test>\w+) -->")
CITATION = re.compile(r'(?P<doc>[\w./-]+\.md): "(?P<quote>[^"]+)"')
#: The documents whose promises must all be marked (checked: each has markers).
COVERED = ("README.md", "docs/errors.md", "docs/retries.md", "docs/configuration.md")


def normalise(text: str) -> str:
    """Whitespace collapsed and promise markers dropped: a quote may wrap differently from
    the doc, and a marker may sit in the middle of the sentence it follows."""
    return " ".join(MARKER.sub(" ", text).split())


def doc_files() -> list[Path]:
    found: set[Path] = set()
    for pattern in DOC_GLOBS:
        found.update(p for p in ROOT.glob(pattern) if p.is_file())
    return sorted(p for p in found if not {".nox", ".venv"} & set(p.parts))


def markers() -> dict[tuple[str, str], set[str]]:
    """(test file, test name) -> the docs that mark it."""
    found: dict[tuple[str, str], set[str]] = {}
    for doc in doc_files():
        for match in MARKER.finditer(doc.read_text(encoding="utf-8")):
            key = (match.group("file"), match.group("test"))
            found.setdefault(key, set()).add(doc.relative_to(ROOT).as_posix())
    return found


def promise_tests() -> dict[tuple[str, str], str]:
    """(test file, test name) -> docstring, for every test in tests/promises but this file."""
    tests: dict[tuple[str, str], str] = {}
    for path in sorted(HERE.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                key = (path.relative_to(ROOT).as_posix(), node.name)
                tests[key] = ast.get_docstring(node) or ""
    return tests


def citations(docstring: str) -> list[tuple[str, str]]:
    return [(m.group("doc"), m.group("quote")) for m in CITATION.finditer(normalise(docstring))]


def test_every_marker_names_an_existing_promise_test() -> None:
    tests = promise_tests()
    missing = [
        f"{docs}: {file}::{name}"
        for (file, name), docs in markers().items()
        if (file, name) not in tests
    ]
    assert not missing, "markers naming no test in tests/promises:\n" + "\n".join(missing)


def test_every_promise_test_quotes_its_docs_and_is_marked_there() -> None:
    marked = markers()
    problems: list[str] = []
    for key, docstring in promise_tests().items():
        where = f"{key[0]}::{key[1]}"
        cited = citations(docstring)
        if not cited:
            problems.append(f'{where}: the docstring quotes no doc (`docs/x.md: "..."`)')
        for doc, quote in cited:
            path = ROOT / doc
            if not path.is_file():
                problems.append(f"{where}: quotes {doc}, which does not exist")
                continue
            if normalise(quote) not in normalise(path.read_text(encoding="utf-8")):
                problems.append(f'{where}: {doc} no longer says "{quote}"')
            if doc not in marked.get(key, set()):
                problems.append(f"{where}: {doc} has no marker <!-- promise: {where} -->")
        quoted = {doc for doc, _ in cited}
        problems.extend(
            f"{where}: marked in {doc} but quotes nothing from it"
            for doc in marked.get(key, set()) - quoted
        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", COVERED)
def test_the_main_docs_have_their_promises_marked(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert MARKER.search(text), f"{doc} marks no promise"


def test_figures_match_their_records() -> None:
    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    assert spec is not None
    assert spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("figures", figures)
    spec.loader.exec_module(figures)
    stale = figures.check(ROOT)
    assert not stale, "run python scripts/figures.py; stale figures:\n" + "\n".join(stale)
