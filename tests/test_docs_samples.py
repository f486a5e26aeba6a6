"""Every fenced Python sample in ``docs/**/*.md`` and ``README.md`` runs, against a fake Verisoul.

Samples are collected automatically: a ```` ```python ```` (or ```` ```py ````) fence is a
test. Samples read ``VERISOUL_API_KEY`` from the environment like a user's code would, and
both environments ("sandbox", "production") point at a fake Verisoul served on 127.0.0.1 for
the duration of the sample, so the docs show real code and the tests run it unchanged.

A sample may ``await`` at top level; such a sample runs on asyncio and on trio. Test
functions a sample defines (``def test_...``, ``async def test_...``, no fixtures) are
called after it, so pages can show pytest tests that really run. An HTML
comment right before a fence (blank lines allowed in between) changes how it runs::

    <!-- sample: continue -->          run in the namespace left by the page's previous sample
    <!-- sample: asyncio -->           an async sample that uses asyncio APIs: asyncio only
    <!-- sample: app examples/x.py --> not run here: the sample must be an excerpt of that
                                       file, and a test under tests/ must run the file

A fence that only includes files (``--8<-- "examples/x.py"``, pymdownx.snippets) is an app
sample for each included file.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import json
import logging
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import anyio
import attrs
import pytest

import verisoul._config
from verisoul._async._base import AsyncBaseClient
from verisoul._sync._base import BaseClient
from verisoul.testing import FakeVerisoul

from .conftest import TEST_KEY

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = (*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md")
PYTHON_LANGS = frozenset({"python", "py"})
BACKENDS = ("asyncio", "trio")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_MARKER = re.compile(r"^\s*<!--\s*sample:(?P<words>.*?)-->\s*$")
_SNIPPET = re.compile(r"^\s*-{1,2}8<-{1,2}\s+\"(?P<path>[^\"]+)\"\s*$")
_KNOWN_WORDS = frozenset({"continue", "asyncio", "app"})


class SampleSyntaxError(Exception):
    """A marker or fence the collector cannot make sense of."""


@attrs.frozen
class Sample:
    """One fenced Python block of a Markdown file.

    Attributes:
        path: The Markdown file.
        line: 1-based line number of the block's first code line.
        code: The block's code, dedented to the fence's indentation.
        words: The words of the sample marker before the block (``continue``...).
        app: For an app sample, the example files (repo-relative) it comes from.
        previous: The page's previous runnable (non-app) sample, for ``continue`` chains.
    """

    path: Path
    line: int
    code: str
    words: frozenset[str] = frozenset()
    app: tuple[str, ...] = ()
    previous: Sample | None = None

    @property
    def name(self) -> str:
        """A short test id: ``docs/errors.md:42``."""
        try:
            where = self.path.relative_to(ROOT)
        except ValueError:
            where = self.path
        return f"{where.as_posix()}:{self.line}"

    def chain(self) -> list[Sample]:
        """The samples to run, in order, for this one: its ``continue`` ancestors and itself."""
        chain = [self]
        while "continue" in chain[0].words:
            previous = chain[0].previous
            if previous is None:
                raise SampleSyntaxError(f"{self.name}: 'continue' without a previous sample")
            chain.insert(0, previous)
        return chain

    def compile(self) -> CodeType:
        """Compile with top-level ``await`` allowed; tracebacks point at the Markdown lines."""
        padded = "\n" * (self.line - 1) + self.code
        code: CodeType = compile(
            padded, str(self.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        return code

    def is_async(self) -> bool:
        """True when the sample awaits at top level or defines an async test function."""
        try:
            tree = ast.parse(self.code)
            awaits = bool(self.compile().co_flags & inspect.CO_COROUTINE)
        except SyntaxError:
            return False  # the test reports the error
        return awaits or any(
            isinstance(node, ast.AsyncFunctionDef) and node.name.startswith("test")
            for node in tree.body
        )


def _parse_marker(line: str, where: str) -> tuple[frozenset[str], tuple[str, ...]] | None:
    match = _MARKER.match(line)
    if match is None:
        return None
    words = match["words"].split()
    flags = {word for word in words if not word.startswith(("examples/", "./"))}
    paths = tuple(word for word in words if word not in flags)
    unknown = flags - _KNOWN_WORDS
    if unknown or not flags:
        raise SampleSyntaxError(f"{where}: unknown sample marker words {sorted(unknown)}")
    if ("app" in flags) != bool(paths):
        raise SampleSyntaxError(f"{where}: 'app' needs the example file it comes from")
    return frozenset(flags), paths


@attrs.frozen
class ConsoleSample:
    """One ```` ```console ```` block: ``$ verisoul ...`` commands and their output.

    Attributes:
        path: The Markdown file.
        line: 1-based line number of the block's first line.
        text: The block's text, dedented.
    """

    path: Path
    line: int
    text: str

    @property
    def name(self) -> str:
        """A short test id: ``docs/guides/cli.md:12``."""
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"


def parse_samples(
    text: str, path: Path, consoles: list[ConsoleSample] | None = None
) -> list[Sample]:
    """The Python samples of one Markdown text, in order (console blocks into ``consoles``).

    Raises:
        SampleSyntaxError: A dangling or malformed marker, an unclosed fence, or a fence
            that looks like Python but would not be run (``pycon``, ``python3``...).
    """
    lines = text.splitlines()
    samples: list[Sample] = []
    pending: tuple[frozenset[str], tuple[str, ...], int] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        where = f"{path}:{index + 1}"
        marker = _parse_marker(line, where)
        if marker is not None:
            if pending is not None:
                raise SampleSyntaxError(f"{where}: two sample markers in a row")
            pending = (*marker, index + 1)
            index += 1
            continue
        opening = _FENCE.match(line)
        if opening is None:
            if line.strip() and pending is not None:
                raise SampleSyntaxError(f"{path}:{pending[2]}: marker not followed by a fence")
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        lang = opening["info"].split(" ", 1)[0].strip().lstrip("{.").rstrip("}").lower()
        body: list[str] = []
        index += 1
        while True:
            if index >= len(lines):
                raise SampleSyntaxError(f"{where}: fence never closed")
            closing = _FENCE.match(lines[index])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[index][len(indent) :] if lines[index].startswith(indent) else "")
            index += 1
        index += 1
        if lang.startswith("py") and lang not in PYTHON_LANGS:
            raise SampleSyntaxError(f"{where}: use ```python (a {lang!r} fence is not run)")
        if lang == "console" and consoles is not None:
            consoles.append(ConsoleSample(path, int(where.rsplit(":", 1)[1]) + 1, "\n".join(body)))
        if lang not in PYTHON_LANGS:
            if pending is not None:
                raise SampleSyntaxError(f"{path}:{pending[2]}: marker before a non-Python fence")
            continue
        words, app = (pending[0], pending[1]) if pending is not None else (frozenset(), ())
        pending = None
        snippets = [m["path"] for m in map(_SNIPPET.match, body) if m is not None]
        if snippets:
            if len(snippets) != len([b for b in body if b.strip()]):
                raise SampleSyntaxError(f"{where}: mix of snippet includes and code")
            words, app = words | {"app"}, tuple(snippets)
        samples.append(
            Sample(
                path=path,
                line=int(where.rsplit(":", 1)[1]) + 1,
                code="\n".join(body) + "\n",
                words=words,
                app=app,
                previous=next((s for s in reversed(samples) if "app" not in s.words), None),
            )
        )
    if pending is not None:
        raise SampleSyntaxError(f"{path}:{pending[2]}: marker not followed by a fence")
    return samples


def collect() -> tuple[list[Sample], list[ConsoleSample]]:
    """Every sample of the documentation and the README."""
    found: list[Sample] = []
    consoles: list[ConsoleSample] = []
    for path in DOC_FILES:
        if path.exists():
            found.extend(parse_samples(path.read_text(encoding="utf-8"), path, consoles))
    return found, consoles


SAMPLES, CONSOLE_SAMPLES = collect()
#: Samples that a later ``continue`` sample goes on from.
CONTINUED = [sample.previous for sample in SAMPLES if "continue" in sample.words]


def _run_params() -> Iterator[Any]:
    for sample in SAMPLES:
        if "app" in sample.words:
            continue
        chain = sample.chain()
        if any(part.is_async() for part in chain):
            wanted = ("asyncio",) if any("asyncio" in part.words for part in chain) else BACKENDS
            for backend in wanted:
                yield pytest.param(sample, backend, id=f"{sample.name}[{backend}]")
        else:
            yield pytest.param(sample, None, id=sample.name)


# -- the fake Verisoul the samples talk to ------------------------------------------------


@pytest.fixture
def fake_verisoul(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeVerisoul]:
    """Both environments point at a fresh fake on loopback; the key is in the environment."""
    fake = FakeVerisoul(api_key=TEST_KEY)
    with fake.serve() as base_url:
        for name in verisoul._config.ENVIRONMENTS:
            monkeypatch.setitem(verisoul._config.ENVIRONMENTS, name, base_url)
        monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
        monkeypatch.chdir(tmp_path)
        yield fake


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """Samples may configure logging; the rest of the suite must not notice."""
    root = logging.getLogger()
    sdk = logging.getLogger("verisoul")
    saved = (list(root.handlers), root.level, sdk.level)
    try:
        yield
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        sdk.setLevel(saved[2])


def _sample_tests(namespace: dict[str, Any], sample: Sample) -> list[Callable[[], Any]]:
    """The ``test*`` functions a sample defines: docs show pytest tests, and they run."""
    found: list[Callable[[], Any]] = []
    for name, value in namespace.items():
        code = getattr(value, "__code__", None)
        if name.startswith("test") and inspect.isfunction(value) and code is not None:
            if code.co_filename != str(sample.path):
                continue  # imported, not written in the sample
            if inspect.signature(value).parameters:
                raise SampleSyntaxError(f"{sample.name}: sample test {name} takes fixtures")
            found.append(value)
    return found


def _open_clients(namespace: dict[str, Any]) -> list[AsyncBaseClient | BaseClient]:
    return [
        value
        for value in namespace.values()
        if isinstance(value, (AsyncBaseClient, BaseClient)) and not value.is_closed
    ]


async def _close_all(clients: list[AsyncBaseClient | BaseClient]) -> None:
    for client in clients:
        await client.aclose() if isinstance(client, AsyncBaseClient) else client.close()


def _leak_check(
    left_open: list[AsyncBaseClient | BaseClient], sample: Sample, continued: bool
) -> None:
    """Clients a sample left open: fine if a later sample closes them, a bug otherwise."""
    if left_open and not continued:
        names = sorted(type(client).__name__ for client in left_open)
        raise AssertionError(f"{sample.name} leaves clients open: {names}")


def _run_chain(chain: list[Sample], backend: str | None, *, continued: bool = False) -> None:
    """Run the samples in one namespace; then call the test functions they define.

    ``continued``: a later sample goes on from this one, so clients it leaves open are
    closed here instead of failing the test.
    """
    # Not "__main__": a sample's `if __name__ == "__main__":` starts servers or reads argv.
    namespace: dict[str, Any] = {"__name__": "docs_sample", "__file__": str(chain[-1].path)}
    if backend is None:
        for part in chain:
            exec(part.compile(), namespace)
        for test in _sample_tests(namespace, chain[-1]):
            test()
        left_open = _open_clients(namespace)
        anyio.run(_close_all, left_open)
        _leak_check(left_open, chain[-1], continued)
        return

    async def main() -> None:
        for part in chain:
            code = part.compile()
            if code.co_flags & inspect.CO_COROUTINE:
                await eval(code, namespace)
            else:
                exec(code, namespace)
        for test in _sample_tests(namespace, chain[-1]):
            if inspect.iscoroutinefunction(test):
                await test()
            else:
                test()
        left_open = _open_clients(namespace)
        await _close_all(left_open)
        _leak_check(left_open, chain[-1], continued)

    anyio.run(main, backend=backend)


@pytest.mark.usefixtures("fake_verisoul")
@pytest.mark.parametrize(("sample", "backend"), list(_run_params()))
def test_sample_runs(
    sample: Sample, backend: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample (after its ``continue`` ancestors) runs without error and leaks no key."""
    with _logging_restored():
        _run_chain(sample.chain(), backend, continued=sample in CONTINUED)
    out, err = capsys.readouterr()
    assert TEST_KEY not in out + err


def _tests_naming(example: str, root: Path) -> list[Path]:
    """Test modules (other than this one) that name the example file or module."""
    names = (example, Path(example).stem)
    return [
        test
        for test in (root / "tests").rglob("*.py")
        if test.name != Path(__file__).name
        and any(name in test.read_text(encoding="utf-8") for name in names)
    ]


def app_sample_problems(sample: Sample, root: Path = ROOT) -> list[str]:
    """Why an app sample is not trustworthy: a missing, untested or different example."""
    problems: list[str] = []
    for example in sample.app:
        source = root / example
        if not source.is_file():
            problems.append(f"{sample.name}: {example} does not exist")
            continue
        if not _tests_naming(example, root):
            problems.append(f"{sample.name}: no test under tests/ runs {example}")
        if "--8<--" in sample.code:
            continue  # the page includes the file itself: nothing can drift
        lines = iter(source.read_text(encoding="utf-8").splitlines())
        for wanted in (line.strip() for line in sample.code.splitlines() if line.strip()):
            if not any(line.strip() == wanted for line in lines):
                problems.append(f"{sample.name}: {wanted!r} is not in {example} (in this order)")
                break
    return problems


def test_app_samples_are_excerpts_of_tested_examples() -> None:
    """App samples are not run here: each must come from an example that a test runs."""
    app_samples = [sample for sample in SAMPLES if "app" in sample.words]
    assert [problem for sample in app_samples for problem in app_sample_problems(sample)] == []


def test_app_sample_check_catches_drift(tmp_path: Path) -> None:
    """The excerpt check fails for a missing file, an untested file and a drifted excerpt."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "examples" / "app.py").write_text("import x\n\napp = make()\nrun(app)\n")
    page = (
        "<!-- sample: app examples/app.py -->\n```python\napp = make()\nrun(app)\n```\n\n"
        "<!-- sample: app examples/app.py -->\n```python\nrun(app)\napp = make()\n```\n\n"
        "<!-- sample: app examples/gone.py -->\n```python\nx\n```\n"
    )
    good, drifted, missing = parse_samples(page, tmp_path / "page.md")
    assert app_sample_problems(good, tmp_path) == [
        f"{good.name}: no test under tests/ runs examples/app.py"
    ]
    (tmp_path / "tests" / "test_app.py").write_text('EXAMPLE = "examples/app.py"\n')
    assert app_sample_problems(good, tmp_path) == []
    assert "is not in examples/app.py" in app_sample_problems(drifted, tmp_path)[0]
    assert app_sample_problems(missing, tmp_path) == [
        f"{missing.name}: examples/gone.py does not exist"
    ]


# -- console samples: the CLI as documented -----------------------------------------------

_EXIT_COMMENT = re.compile(r"\s+#\s*exit code (?P<code>\d+)\s*$")


def console_steps(sample: ConsoleSample) -> list[tuple[str, int, list[str]]]:
    """``(command, expected exit code, expected output lines)`` for each ``$`` line."""
    steps: list[tuple[str, int, list[str]]] = []
    for line in sample.text.splitlines():
        if line.startswith("$ "):
            command = line[2:]
            match = _EXIT_COMMENT.search(command)
            code = int(match["code"]) if match else 0
            steps.append((command[: match.start()] if match else command, code, []))
        elif steps:
            steps[-1][2].append(line)
        elif line.strip():
            raise SampleSyntaxError(f"{sample.name}: output before the first '$ ' command")
    if not steps:
        raise SampleSyntaxError(f"{sample.name}: a console block without '$ ' commands")
    return steps


def _output_matches(expected: list[str], actual: str) -> bool:
    """JSON output: the same keys (values vary). Text: every line shown appears."""
    shown = "\n".join(expected).strip()
    if not shown:
        return True
    try:
        wanted = json.loads(shown)
    except ValueError:
        return all(line.split("...")[0].strip() in actual for line in expected if line.strip())
    try:
        got = json.loads(actual)
    except ValueError:
        return False
    return isinstance(got, dict) and isinstance(wanted, dict) and got.keys() == wanted.keys()


def _run_console(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    while words and "=" in words[0]:  # VAR=value prefixes
        name, _, value = words.pop(0).partition("=")
        env = {**env, name: value}
    if not words or words[0] != "verisoul":
        raise SampleSyntaxError(f"only the verisoul command runs in docs, not {command!r}")
    program = Path(sys.executable).with_name("verisoul")
    return subprocess.run(
        [str(program), *words[1:]], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("sample", CONSOLE_SAMPLES, ids=lambda sample: sample.name)
def test_console_sample_runs(sample: ConsoleSample) -> None:
    """Each command exits as shown and prints output of the shape shown."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERISOUL_")}
    for command, code, expected in console_steps(sample):
        done = _run_console(command, env)
        assert done.returncode == code, (command, done.stdout, done.stderr)
        assert _output_matches(expected, done.stdout + done.stderr), (command, done.stdout)
        assert TEST_KEY not in done.stdout + done.stderr


def test_console_steps_and_output_shapes() -> None:
    """The console format: commands, exit-code comments, JSON shapes and text lines."""
    block = ConsoleSample(
        ROOT / "p.md",
        1,
        '$ verisoul --mock x\n{\n  "a": "1"\n}\n$ verisoul y  # exit code 2\nerror: ...',
    )
    assert console_steps(block) == [
        ("verisoul --mock x", 0, ["{", '  "a": "1"', "}"]),
        ("verisoul y", 2, ["error: ..."]),
    ]
    assert _output_matches(['{"a": "1"}'], '{"a": "2"}')
    assert not _output_matches(['{"a": "1"}'], '{"b": "1"}')
    assert _output_matches(["error: ..."], "verisoul: error: no key")
    assert not _output_matches(["usage: verisoul"], "nothing")
    with pytest.raises(SampleSyntaxError, match="output before the first"):
        console_steps(ConsoleSample(ROOT / "p.md", 1, "just text"))
    with pytest.raises(SampleSyntaxError, match="without"):
        console_steps(ConsoleSample(ROOT / "p.md", 1, "\n"))


# -- the collector itself ----------------------------------------------------------------


def test_every_page_with_python_samples_is_collected() -> None:
    """Guard against a collector that silently finds nothing."""
    pages = {sample.path for sample in SAMPLES}
    assert ROOT / "docs" / "index.md" in pages
    assert len(SAMPLES) >= 10
    assert all(sample.code.strip() for sample in SAMPLES)


FIXTURE_PAGE = """\
# A page

```bash
pip install verisoul
```

```python
x = 1
```

=== "Tab"

    <!-- sample: continue -->
    ```python title="indented.py"
    assert x == 1
    ```

````markdown
```python
not collected: inside another fence
```
````

<!-- sample: app examples/fastapi_app.py -->
```py
app = FastAPI()
```

```python
--8<-- "examples/aiohttp_app.py"
```

<!-- sample: continue -->
```python
assert x == 1
```
"""


def test_parser_reads_markers_indentation_and_nested_fences() -> None:
    """Markers bind to the next fence, tabs are dedented, fences inside fences are text."""
    first, second, third, fourth, fifth = parse_samples(FIXTURE_PAGE, Path("page.md"))
    assert (first.code, first.line, first.words) == ("x = 1\n", 8, frozenset())
    assert (second.code, second.line, second.words) == (
        "assert x == 1\n",
        15,
        frozenset({"continue"}),
    )
    assert [sample.code for sample in second.chain()] == ["x = 1\n", "assert x == 1\n"]
    assert third.words == {"app"}
    assert third.app == ("examples/fastapi_app.py",)
    assert fourth.app == ("examples/aiohttp_app.py",)
    assert "app" in fourth.words
    assert fifth.chain() == [first, second, fifth]  # app samples are not run, nor continued


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<!-- sample: contineu -->\n```python\nx\n```\n", "unknown sample marker"),
        ("<!-- sample: app -->\n```python\nx\n```\n", "needs the example file"),
        ("<!-- sample: continue -->\ntext\n```python\nx\n```\n", "not followed by a fence"),
        ("<!-- sample: continue -->\n```bash\nx\n```\n", "before a non-Python fence"),
        ("<!-- sample: continue -->\n", "not followed by a fence"),
        ("```pycon\n>>> 1\n```\n", "is not run"),
        ("```python\nx = 1\n", "never closed"),
        ('```python\n--8<-- "examples/a.py"\nx = 1\n```\n', "mix of snippet includes"),
    ],
)
def test_parser_rejects_what_it_would_silently_skip(page: str, problem: str) -> None:
    """A typo in a marker or fence must fail, not turn a sample into untested prose."""
    with pytest.raises(SampleSyntaxError, match=problem):
        parse_samples(page, Path("page.md"))


def test_continue_needs_a_previous_sample() -> None:
    """The first sample of a page cannot continue anything."""
    (sample,) = parse_samples("<!-- sample: continue -->\n```python\nx\n```\n", Path("p.md"))
    with pytest.raises(SampleSyntaxError, match="without a previous sample"):
        sample.chain()


def test_top_level_await_makes_a_sample_async() -> None:
    """Async samples get an event loop (both backends); plain ones run without one."""
    plain, awaiting = parse_samples(
        "```python\nx = 1\n```\n\n```python\nawait anyio.sleep(0)\n```\n", Path("p.md")
    )
    assert not plain.is_async()
    assert awaiting.is_async()


def test_failing_sample_reports_the_markdown_line() -> None:
    """A traceback from a sample points at the documentation page and line."""
    (sample,) = parse_samples("text\n\n```python\nx = 1\nraise KeyError(x)\n```\n", Path("p.md"))
    with pytest.raises(KeyError) as caught:
        _run_chain([sample], None)
    frame = caught.traceback[-1]
    assert (str(frame.path), frame.lineno + 1) == ("p.md", 5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_test_functions_defined_by_a_sample_are_called(backend: str) -> None:
    """A page showing a pytest test really runs it, sync or async, but not imported ones."""
    sync_test, async_test = parse_samples(
        "```python\nfrom os.path import join as test_join\n\n"
        "def test_sync():\n    raise AssertionError('sync ran')\n```\n\n"
        "```python\nasync def test_async():\n    raise AssertionError('async ran')\n```\n",
        Path("p.md"),
    )
    assert not sync_test.is_async()
    assert async_test.is_async()
    with pytest.raises(AssertionError, match="sync ran"):
        _run_chain([sync_test], None)
    with pytest.raises(AssertionError, match="async ran"):
        _run_chain([async_test], backend)


def test_sample_test_functions_cannot_take_fixtures() -> None:
    """Fixtures are not provided: say so instead of a confusing TypeError."""
    (sample,) = parse_samples("```python\ndef test_x(tmp_path):\n    pass\n```\n", Path("p.md"))
    with pytest.raises(SampleSyntaxError, match="takes fixtures"):
        _run_chain([sample], None)


def test_a_sample_that_leaves_a_client_open_fails() -> None:
    """Docs must show clients being closed, unless a later sample on the page closes them."""
    (sample,) = parse_samples(
        "```python\nfrom verisoul import Verisoul\nc = Verisoul(api_key='k')\n```\n", Path("p.md")
    )
    with pytest.raises(AssertionError, match=r"leaves clients open: \['Verisoul'\]"):
        _run_chain([sample], None)
    _run_chain([sample], None, continued=True)  # the next sample would close it
