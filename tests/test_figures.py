"""scripts/figures.py: regions render from records, and a stale figure is caught."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("figures", module)
    spec.loader.exec_module(module)
    return module


figures = load_figures()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "rec").mkdir()
    record = {
        "source": "a test",
        "rps": {"sdk-aiohttp": 757, "sdk-async": 143},
        "rounds": [0.5, 0.25],
        "name": "x",
    }
    (tmp_path / "rec" / "run.json").write_text(json.dumps(record))
    figures._records.clear()
    return tmp_path


def test_inline_and_block_regions_render(repo: Path) -> None:
    doc = repo / "README.md"
    doc.write_text(
        "Speed-up: <!-- figure: rec/run.json {rps.sdk-aiohttp / rps.sdk-async:.1f}x -->6.4x"
        "<!-- /figure --> here.\n\n"
        "<!-- figure: rec/run.json\n| a | b |\n|---|---|\n| {rps.sdk-async:,} | {rounds.1} |\n"
        "-->\nold table\n<!-- /figure -->\n{not a field}\n"
    )
    problems = figures.check(repo)
    assert len(problems) == 2
    assert "README.md:1: '6.4x' -> '5.3x'" in problems[0]
    assert figures.write(repo)
    text = doc.read_text()
    assert "-->5.3x<!-- /figure --> here." in text
    assert "-->\n\n| a | b |\n|---|---|\n| 143 | 0.25 |\n\n<!-- /figure -->" in text
    assert text.endswith("{not a field}\n")  # outside a region: untouched
    assert figures.check(repo) == []


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("{rps.nope}", "no 'rps.nope' in the record"),
        ("{rounds.7}", "no 'rounds.7' in the record"),
        ("{rps.sdk-async ** 2}", "only + - * / over paths and numbers"),
        ("{name:.1f}", "cannot format 'x'"),
        ("{__import__('os')}", "no '__import__' in the record"),
    ],
)
def test_bad_regions_are_reported(repo: Path, template: str, error: str) -> None:
    (repo / "README.md").write_text(f"<!-- figure: rec/run.json {template} -->1<!-- /figure -->\n")
    (problem,) = figures.check(repo)
    assert problem.startswith("README.md:1: ")
    assert error in problem


def test_a_missing_record_is_reported(repo: Path) -> None:
    (repo / "README.md").write_text("<!-- figure: rec/none.json {a} -->1<!-- /figure -->\n")
    (problem,) = figures.check(repo)
    assert "no record rec/none.json" in problem


def test_literal_braces(repo: Path) -> None:
    assert figures.render_template("{{x}} {name}", {"name": "y"}) == "{x} y"


def test_bench_figure_records_are_what_bench_report_computes() -> None:
    """``bench/recorded/*.figures.json`` (the tables and ratios the docs quote from a recorded
    run) are exactly what ``python -m bench.report RUN --figures OUT`` computes from the run
    they name: re-recording a run without regenerating them fails here."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import report

    derived = sorted((ROOT / "bench" / "recorded").glob("*.figures.json"))
    assert derived, "no bench figures record"
    for path in derived:
        record = json.loads(path.read_text(encoding="utf-8"))
        run = json.loads((ROOT / record["derived_from"]).read_text(encoding="utf-8"))
        expected = json.loads(json.dumps(report.figures(run, record["derived_from"])))
        assert record == expected, f"{path.name} is stale: python -m bench.report --figures"


def test_a_wrapped_template_stays_in_the_sentence_and_a_field_may_be_a_table(
    repo: Path,
) -> None:
    record = json.loads((repo / "rec" / "run.json").read_text())
    record["table"] = "| a |\n|---|\n| 1 |"
    (repo / "rec" / "run.json").write_text(json.dumps(record))
    doc = repo / "README.md"
    doc.write_text(
        "Ran <!-- figure: rec/run.json {rps.sdk-async} calls,\nthen {rounds.0} -->x"
        "<!-- /figure -->.\n"
        "<!-- figure: rec/run.json\n{table}\n-->old<!-- /figure -->\n"
    )
    assert figures.write(repo)
    text = doc.read_text()
    assert "-->143 calls,\nthen 0.5<!-- /figure -->." in text
    assert "-->\n\n| a |\n|---|\n| 1 |\n\n<!-- /figure -->" in text
