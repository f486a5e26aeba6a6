"""Parse cost: the plain-loop parser of ``verisoul._models._fields`` against ``exec``.

Issue 12 item 5: the parsers used to be generated with ``exec`` (one unrolled function per
model) to save part of the parse time. Keep that only if it matters against plain code.
This script builds both from the same plan (same field-by-field semantics) and times
them on the documented example bodies.

Run: ``python bench/parse_cost.py``. Prints the median microseconds per parse (CPU time)
for each body and the difference.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from verisoul._models import _fields
from verisoul._models.account import AccountReport
from verisoul._models.liveness import VerifyFaceResult, VerifyIdResult
from verisoul._models.session import SessionEvaluation
from verisoul._shape import ResponseShapeError

ROOT = Path(__file__).resolve().parent.parent / "tests"
ROUNDS = 21
CALLS = 2000


def _exec_parser(cls: type) -> Callable[[object, str], Any]:
    """The same plan as ``_fields.model_parser``, unrolled into generated source."""
    cached = _EXEC.get(cls)
    if cached is not None:
        return cached
    plan = _fields._plan(cls)
    lines = [
        "def parse(data, path):",
        "    if type(data) is not dict:",
        "        raise wrong_type(path, 'an object', data)",
        "    get = data.get",
    ]
    namespace: dict[str, Any] = {
        "cls": cls,
        "wrong_type": _fields._wrong_type,
        "required_field": _fields._required_field,
        "ResponseShapeError": ResponseShapeError,
    }
    for index, (key, _, step, shortcut, convert, recover, missing, essential) in enumerate(plan):
        namespace[f"shortcut{index}"] = shortcut
        namespace[f"convert{index}"] = convert
        namespace[f"recover{index}"] = recover
        namespace[f"missing{index}"] = missing
        lines += [
            f"    v{index} = get({key!r})",
            f"    if type(v{index}) is not shortcut{index}:",
            f"        if v{index} is not None:",
            "            try:",
            f"                v{index} = convert{index}(v{index}, path, {step!r})",
            "            except ResponseShapeError as problem:",
            f"                v{index} = recover{index}(v{index}, problem)",
            "        else:",
            f"            raise required_field(data, path, {key!r})"
            if essential
            else f"            v{index} = missing{index}",
        ]
    arguments = ", ".join(f"{name}=v{i}" for i, (_, name, *_rest) in enumerate(plan))
    lines.append(f"    return cls({arguments})")
    exec(compile("\n".join(lines) + "\n", f"<exec parser {cls.__qualname__}>", "exec"), namespace)
    parse: Callable[[object, str], Any] = namespace["parse"]
    _EXEC[cls] = parse
    return parse


_EXEC: dict[type, Callable[[object, str], Any]] = {}


def exec_parser(cls: type) -> Callable[[object, str], Any]:
    """Build exec parsers for ``cls`` and every nested model (nested ones exec too)."""
    plain = _fields.model_parser
    saved = dict(_fields._PARSERS)
    _fields._PARSERS.clear()
    _fields.model_parser = _exec_parser
    try:
        return _exec_parser(cls)
    finally:
        _fields.model_parser = plain
        _fields._PARSERS.clear()
        _fields._PARSERS.update(saved)


def _example(spec: str, method: str, path: str) -> Any:
    document = json.loads((ROOT / "openapi" / spec).read_text(encoding="utf-8"))
    media = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return (
        media["example"] if "example" in media else next(iter(media["examples"].values()))["value"]
    )


def cases() -> Iterator[tuple[str, type, Any]]:
    platform = json.loads((ROOT / "data" / "platform_examples.json").read_text())["responses"]
    yield (
        "verify-face",
        VerifyFaceResult,
        _example("verisoul-facematch-openapi.json", "post", "/liveness/verify-face"),
    )
    yield (
        "verify-id",
        VerifyIdResult,
        _example("verisoul-idcheck-openapi.json", "post", "/liveness/verify-id"),
    )
    yield "authenticate (linked)", SessionEvaluation, platform["session_authenticate_linked"]
    yield "get_account", AccountReport, platform["account_get"]


def median_us(parse: Callable[[object, str], Any], body: object) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(CALLS):
            parse(body, "body")
        samples.append((time.process_time() - start) / CALLS * 1e6)
    return statistics.median(samples)


def main() -> None:
    print(f"median CPU us per parse, {ROUNDS} rounds of {CALLS} calls")
    print(f"{'body':24} {'plain loop':>11} {'exec':>8} {'exec saves':>11}")
    for name, cls, body in cases():
        plain: Callable[[object, str], Any] = _fields.model_parser(cls)
        generated = exec_parser(cls)
        assert attrs.asdict(plain(body, "body")) == attrs.asdict(generated(body, "body"))
        plain_us, exec_us = median_us(plain, body), median_us(generated, body)
        print(f"{name:24} {plain_us:11.2f} {exec_us:8.2f} {plain_us - exec_us:11.2f}")


if __name__ == "__main__":
    main()
