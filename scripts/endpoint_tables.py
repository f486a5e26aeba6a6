#!/usr/bin/env python3
"""Write the docs' method and retry tables from the endpoint table.

    python scripts/endpoint_tables.py          # rewrite the marked regions
    python scripts/endpoint_tables.py --check  # fail if a region differs (CI: a test)

A region sits between ``<!-- endpoints:NAME -->`` and ``<!-- /endpoints:NAME -->`` in
README.md or docs/; NAME is ``methods`` (one row per operation: signature, HTTP, return
type, retry class) or ``retry`` (retry class and the reason, per operation). Everything
comes from ``verisoul._endpoints.ENDPOINTS`` and the signatures of ``AsyncVerisoul``.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from verisoul import AsyncVerisoul  # noqa: E402
from verisoul._endpoints import ENDPOINTS, Endpoint  # noqa: E402
from verisoul._retry import RetryClass  # noqa: E402

#: The per-call options every method takes; the tables say so once instead of per row.
CALL_OPTIONS = ("timeout", "max_retries", "deadline", "extra_headers")
#: Each file and the regions it must hold (a missing marker fails the check).
FILES = {
    "README.md": ("methods",),
    "docs/retries.md": ("retry",),
    "docs/reference/clients.md": ("methods",),
}
#: mkdocs cross-references (``[`X`][verisoul.X]``) become plain code where GitHub renders.
PLAIN = {"README.md"}
_XREF = re.compile(r"\[(`[^`]+`)\]\[[\w.]+\]")
REGION = re.compile(r"(<!-- endpoints:(\w+) -->\n)(.*?)(<!-- /endpoints:\2 -->)", re.DOTALL)
_RETRY_WORDS = {RetryClass.IDEMPOTENT: "idempotent", RetryClass.UNSAFE_WRITE: "unsafe write"}


def signature(endpoint: Endpoint[object]) -> str:
    """``name(arg, *, option=default)`` without self and the per-call options."""
    method = getattr(AsyncVerisoul, endpoint.name)
    params = [
        p
        for name, p in inspect.signature(method).parameters.items()
        if name != "self" and name not in CALL_OPTIONS
    ]
    parts: list[str] = []
    star = False
    for p in params:
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        parts.append(p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}")
    return f"{endpoint.name}({', '.join(parts)})"


def returns(endpoint: Endpoint[object]) -> str:
    annotation = inspect.signature(getattr(AsyncVerisoul, endpoint.name)).return_annotation
    return str(annotation).strip("'")


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def methods_table() -> str:
    rows = ["| method | HTTP | returns | retry |", "|---|---|---|---|"]
    rows += [
        f"| `{cell(signature(e))}` | `{e.method} {e.path}` | "
        f"[`{returns(e)}`][verisoul.types.{returns(e)}] | {_RETRY_WORDS[e.retry]} |"
        for e in ENDPOINTS
    ]
    return "\n".join(rows) + "\n"


def retry_table() -> str:
    rows = ["| Method | Retry class | Why |", "|---|---|---|"]
    rows += [
        f"| [`{e.name}`][verisoul.AsyncVerisoul.{e.name}] | `{e.retry.name}` | "
        f"{cell(e.retry_reason)} |"
        for e in ENDPOINTS
    ]
    return "\n".join(rows) + "\n"


RENDERERS: dict[str, Callable[[], str]] = {"methods": methods_table, "retry": retry_table}


def render(text: str, plain: bool = False) -> str:
    """``text`` with every endpoint region rewritten."""

    def table(m: re.Match[str]) -> str:
        body = RENDERERS[m[2]]()
        return m[1] + (_XREF.sub(r"\1", body) if plain else body) + m[4]

    return REGION.sub(table, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a region is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, regions in FILES.items():
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        found = [m[2] for m in REGION.finditer(text)]
        if sorted(found) != sorted(regions):
            print(f"{name}: expected the regions {list(regions)}, found {found}")
            return 1
        new = render(text, plain=name in PLAIN)
        if new != text:
            stale.append(name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(f"stale endpoint tables in {', '.join(stale)}: run scripts/endpoint_tables.py")
        return 1
    print("endpoint tables:", "stale" if stale and args.check else "up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
