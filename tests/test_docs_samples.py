"""Every fenced Python sample in ``docs/**/*.md`` and ``README.md`` runs, against a fake Verisoul.

Samples are collected automatically: a ```` ```python ```` (or ```` ```py ````) fence is a
test. Samples read ``VERISOUL_API_KEY`` from the environment like a user's code would, and
both environments ("sandbox", "production") point at a fake Verisoul served on 127.0.0.1 for
the duration of the sample, so the docs show real code and the tests run it unchanged.

A sample may ``await`` at top level; such a sample runs on asyncio and on trio. An HTML
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
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import anyio
import attrs
import pytest

import verisoul._config

from ._servers import Action, Received, json_action, serve
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
        previous: The page's previous sample, for ``continue`` chains.
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
        """True when the sample awaits at top level (then it needs an event loop)."""
        try:
            return bool(self.compile().co_flags & inspect.CO_COROUTINE)
        except SyntaxError:
            return False  # the test reports the error


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


def parse_samples(text: str, path: Path) -> list[Sample]:
    """The Python samples of one Markdown text, in order.

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
                previous=samples[-1] if samples else None,
            )
        )
    if pending is not None:
        raise SampleSyntaxError(f"{path}:{pending[2]}: marker not followed by a fence")
    return samples


def collect() -> list[Sample]:
    """Every sample of the documentation and the README."""
    found: list[Sample] = []
    for path in DOC_FILES:
        if path.exists():
            found.extend(parse_samples(path.read_text(encoding="utf-8"), path))
    return found


SAMPLES = collect()


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


def _stand_in(received: Received) -> Action:
    """Answer like Verisoul's liveness session endpoint (401 for a wrong key)."""
    if received.headers.get("x-api-key") != TEST_KEY:
        return json_action({"message": "Unauthorized", "statusCode": 401}, status=401)
    if received.method == "GET" and received.target.split("?")[0] == "/liveness/session":
        return json_action({"session_id": str(uuid.uuid4()), "request_id": str(uuid.uuid4())})
    return json_action({"message": "Cannot route", "statusCode": 404}, status=404)


@pytest.fixture
def fake_verisoul(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """Both environments point at a fake on loopback; the key is in the environment."""
    with serve(_stand_in) as server:
        for name in verisoul._config.ENVIRONMENTS:
            monkeypatch.setitem(verisoul._config.ENVIRONMENTS, name, server.url)
        monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
        monkeypatch.chdir(tmp_path)
        yield server.url


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


def _run_chain(chain: list[Sample], backend: str | None) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(chain[-1].path)}
    if backend is None:
        for part in chain:
            exec(part.compile(), namespace)
        return

    async def main() -> None:
        for part in chain:
            code = part.compile()
            if code.co_flags & inspect.CO_COROUTINE:
                await eval(code, namespace)
            else:
                exec(code, namespace)

    anyio.run(main, backend=backend)


@pytest.mark.usefixtures("fake_verisoul")
@pytest.mark.parametrize(("sample", "backend"), list(_run_params()))
def test_sample_runs(
    sample: Sample, backend: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample (after its ``continue`` ancestors) runs without error and leaks no key."""
    with _logging_restored():
        _run_chain(sample.chain(), backend)
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
"""


def test_parser_reads_markers_indentation_and_nested_fences() -> None:
    """Markers bind to the next fence, tabs are dedented, fences inside fences are text."""
    first, second, third, fourth = parse_samples(FIXTURE_PAGE, Path("page.md"))
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
