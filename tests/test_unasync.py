"""scripts/unasync.py: what the sync twin leaves out, and the async words it refuses."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "unasync.py"


@pytest.fixture(scope="module")
def unasync() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SOURCE = '''\
from .x import (
    shared,
    only_async,  # unasync: drop
)


class AsyncThing:
    """A thing.

    (AsyncVerisoul only) A paragraph about the event loop
        that goes on here.
    """

    async def aclose(self, transport: str) -> None:
        """Close it.

        Args:
            transport: (AsyncVerisoul only) The connection layer,
                on asyncio only.
            other: Kept.

        Raises:
            VerisoulError: (AsyncVerisoul only) From another event loop.
        """
        await shared()
'''

EXPECTED = '''\
from .x import (
    shared,
)


class Thing:
    """A thing."""

    def close(self, transport: str) -> None:
        """Close it.

        Args:
            other: Kept.
        """
        shared()
'''


def test_async_only_lines_entries_and_sections_are_left_out(unasync: ModuleType) -> None:
    fired: set[str] = set()
    assert unasync.unasync_text(SOURCE, fired) == EXPECTED
    assert {unasync.DROP_LINE, unasync.ASYNC_ONLY_TEXT} <= fired


@pytest.mark.parametrize(
    "text",
    [
        '"""Runs on the event loop."""\n',
        "# works under trio too\n",
        'x = "call asyncio.run() first"\n',
        '"""Await the result."""\n',
    ],
)
def test_async_words_left_in_text_are_reported(
    unasync: ModuleType, tmp_path: Path, text: str
) -> None:
    generated = tmp_path / "src" / "verisoul" / "_sync"
    generated.mkdir(parents=True)
    (generated / "mod.py").write_text(text)
    (tmp_path / "tests" / "_sync").mkdir(parents=True)
    problems = unasync.leftovers(tmp_path)
    assert len(problems) == 1
    assert "async word" in problems[0]


def test_the_committed_sync_code_has_no_async_words(unasync: ModuleType) -> None:
    assert unasync.leftovers(SCRIPT.parent.parent) == []


@pytest.mark.parametrize(
    "source",
    [
        "if x:\n    a()\nelse:  # unasync: drop\n    b()\n",
        "call(  # unasync: drop\n    1,\n)\n",
        'raise VerisoulError(\n    "(AsyncVerisoul only) a message"\n)\n',
        'x = f("(AsyncVerisoul only)")\n',
    ],
)
def test_markers_that_would_change_the_code_are_refused(unasync: ModuleType, source: str) -> None:
    with pytest.raises(unasync.MarkerError):
        unasync.unasync_text(source, set())


def test_an_async_only_paragraph_goes_up_to_its_blank_line(unasync: ModuleType) -> None:
    source = '"""Summary.\n\n(AsyncVerisoul only) One\nparagraph, two lines.\n\nKept.\n"""\n'
    assert unasync.unasync_text(source, set()) == '"""Summary.\n\nKept.\n"""\n'


@pytest.mark.parametrize(
    "word", ["a nursery", "the task group", "a cancel scope", "runs asynchronously"]
)
def test_structured_concurrency_words_are_async_words(unasync: ModuleType, word: str) -> None:
    assert unasync.VOCABULARY.search(word)
