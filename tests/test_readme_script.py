"""The README's first Python sample runs as a saved script (issue 15, item 8).

The docs runner allows top-level ``await``; a file run with ``python`` does not. This test
saves the sample to a file and runs it in a fresh interpreter, the way a reader would.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .test_docs_samples import ROOT, parse_samples


def first_readme_sample() -> str:
    readme = ROOT / "README.md"
    samples = parse_samples(readme.read_text(encoding="utf-8"), readme)
    return samples[0].code


def test_first_sample_is_a_valid_script() -> None:
    code = first_readme_sample()
    compile(code, "face_match.py", "exec")  # no top-level await flag: a SyntaxError otherwise
    tree = ast.parse(code)
    assert any(isinstance(node, ast.AsyncFunctionDef) for node in tree.body)


def test_first_sample_runs_with_python(tmp_path: Path) -> None:
    script = tmp_path / "face_match.py"
    script.write_text(first_readme_sample(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Real" in done.stdout
