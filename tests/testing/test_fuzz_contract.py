"""Schemathesis fuzzes the served fake against all eight OpenAPI files: 0 failures allowed.

For every operation of every file, Hypothesis draws schema-valid (positive) and
schema-violating (negative) requests, sends them with the fake's key to a ``FakeVerisoul``
served on loopback, and runs Schemathesis's response checks: no 5xx, a documented status
code, the documented content type and headers, a body that validates against the response
schema (error codes included), and a 4xx for every schema-violating request.

Checks left out, with the reason:

- ``positive_data_acceptance`` (a schema-valid request must not get 400): Verisoul answers
  400 to a well-formed request naming a session, account or list it does not know (its
  "not found" is a 400), and the fuzzer's random ids name nothing. A correct 400 and a wrong
  one look the same here; the stateful tests in ``test_contract.py`` cover acceptance.
- ``status_code_conformance`` for a request without the key (negative mode drops it): the
  files document no status for that. The fake answers 401 ``{"statusCode": 401, "message":
  "Unauthorized"}`` (the SDK's ``AuthenticationError``), asserted here instead.
- ``negative_data_rejection`` for ``GET /liveness/session`` and ``/public/liveness-redirect``
  without ``id`` under the ID Check file only: that file marks ``id`` required, the Face
  Match file does not list it, and both describe the same endpoint, where no ``id`` means a
  Face Match session. The fake follows the Face Match file.
- ``negative_data_rejection`` for query parameters no file lists: the fake ignores them, as
  HTTP APIs commonly do (the files say nothing either way).

The budget: ``VERISOUL_FUZZ_EXAMPLES`` examples per operation and generation mode (default
25, derandomized so CI is repeatable; raise it, or set ``VERISOUL_FUZZ_SEED``, to explore).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis import checks as st_checks  # noqa: E402

from verisoul.testing import FakeVerisoul  # noqa: E402

from .conftest import KEY  # noqa: E402

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"
SPECS = sorted(SPEC_DIR.glob("*.json"))
EXAMPLES = int(os.environ.get("VERISOUL_FUZZ_EXAMPLES", "25"))
SEED = os.environ.get("VERISOUL_FUZZ_SEED")

CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
    st_checks.negative_data_rejection,
]


def _operations() -> Iterator[Any]:
    for spec in SPECS:
        schema = schemathesis.openapi.from_path(spec)
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                yield pytest.param(
                    spec.name, operation, mode, id=f"{spec.stem[9:-8]}:{operation.label}:{mode}"
                )


OPERATIONS = list(_operations())


def test_all_eight_files_are_fuzzed() -> None:
    assert len(SPECS) == 8
    assert {param.values[0] for param in OPERATIONS} == {spec.name for spec in SPECS}
    assert len(OPERATIONS) == 2 * 26  # every operation, positive and negative


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    fake = FakeVerisoul(api_key=KEY, log_limit=100)
    with fake.serve() as url:
        yield url


def _declared_query(spec: str, method: str, path: str) -> set[str]:
    document = json.loads((SPEC_DIR / spec).read_text(encoding="utf-8"))
    parameters = document["paths"][path][method.lower()].get("parameters", [])
    return {item["name"] for item in parameters if item.get("in") == "query"}


def _checks_for(spec: str, case: Any, keyed: bool) -> list[Any]:
    """The checks for one request (see the module docstring for each exclusion)."""
    chosen = list(CHECKS)
    if not keyed:
        chosen.remove(st_checks.status_code_conformance)
    operation = case.operation
    query = case.query or {}
    no_id = spec == "verisoul-idcheck-openapi.json" and operation.method.upper() == "GET"
    no_id = no_id and "id" not in query
    unlisted = set(query) - _declared_query(spec, operation.method, operation.path)
    if no_id or unlisted:
        chosen.remove(st_checks.negative_data_rejection)
    return chosen


@pytest.mark.parametrize(("spec", "operation", "mode"), OPERATIONS)
def test_served_fake_conforms(served: str, spec: str, operation: Any, mode: Any) -> None:
    strategy = operation.as_strategy(generation_mode=mode)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(int(SEED or 0))
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=served, headers={"x-api-key": KEY})
        keyed = response.request.headers.get("x-api-key") == KEY
        public = operation.label == "GET /public/liveness-redirect"
        if not keyed and not public:
            assert response.status_code == 401
            assert response.json() == {"statusCode": 401, "message": "Unauthorized"}
        case.validate_response(response, checks=_checks_for(spec, case, keyed or public))

    check()
