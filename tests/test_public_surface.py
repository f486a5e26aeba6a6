"""The public surface (issue 12): small top level, models in verisoul.types, names that say
what a thing is."""

from __future__ import annotations

import subprocess
import sys

import pytest

import verisoul
import verisoul.types
from verisoul._known_values import _KnownValues


def test_the_top_level_is_clients_errors_config_inputs_and_constants() -> None:
    assert len(verisoul.__all__) < 40
    for name in verisoul.__all__:
        assert getattr(verisoul, name) is not None
    assert not set(verisoul.__all__) & set(verisoul.types.__all__)
    assert "RetryClass" not in verisoul.__all__
    # The lazy table names each exception by hand: none may be missing from it.
    from verisoul import _exceptions

    assert set(_exceptions.__all__) <= set(verisoul.__all__)


@pytest.mark.parametrize("name", verisoul.types.__all__)
def test_a_model_at_the_top_level_says_where_it_moved(name: str) -> None:
    with pytest.raises(AttributeError, match=rf"verisoul\.types import {name}"):
        getattr(verisoul, name)


def test_unknown_names_are_plain_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        verisoul.nope  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(verisoul, "_private")


def test_exceptions_show_their_public_path() -> None:
    error = verisoul.NotFoundError.__new__(verisoul.NotFoundError)
    assert type(error).__module__ == "verisoul"
    assert f"{type(error).__module__}.{type(error).__qualname__}" == "verisoul.NotFoundError"
    done = subprocess.run(
        [sys.executable, "-c", "import verisoul; raise verisoul.VerisoulError('x')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "verisoul.VerisoulError: x" in done.stderr


def test_the_redirect_codes_are_constants_not_an_exception() -> None:
    assert not issubclass(verisoul.RedirectErrorCode, BaseException)
    assert "liveness_check_failed" in verisoul.RedirectErrorCode


@pytest.mark.parametrize(
    "constants",
    [verisoul.Decision, verisoul.RiskFlag, verisoul.RedirectErrorCode, verisoul.types.MatchType],
)
def test_constant_classes_iterate_like_enums(constants: type[_KnownValues]) -> None:
    values = list(constants)
    assert values
    assert len(constants) == len(values) == len(set(values))
    assert set(values) == constants.KNOWN
    assert all(isinstance(v, str) and v in constants for v in values)
    assert "a value Verisoul adds next year" not in constants


def test_decision_lists_the_documented_verdicts_in_order() -> None:
    assert list(verisoul.Decision) == ["Real", "Suspicious", "Fake", "Unknown"]


def test_a_subclass_extends_the_known_values() -> None:
    class Local(verisoul.Decision):
        LATER = "Later"

    assert list(Local) == [*verisoul.Decision, "Later"]
    assert "Real" in Local
    assert "Later" not in verisoul.Decision
