"""``to_dict()`` / ``to_json()`` on every model: Verisoul's JSON names, and a round trip.

The documented examples (the OpenAPI files under ``tests/openapi/``, the platform examples
in ``tests/data/``, the webhook example) are parsed, turned back into data and parsed
again: the model must come back equal, and every value Verisoul sent must be in the dict
under the same JSON key.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from verisoul import parse_redirect, types
from verisoul._models.account import UniqueCounts, parse_account_report
from verisoul._models.email_event import parse_email_event_object
from verisoul._serialize import Model, to_dict

from .test_models_liveness import ALL_BODIES, BODY_IDS
from .test_models_platform import EXAMPLES, PARSERS
from .test_webhooks import BODY as WEBHOOK_BODY

Parser = Callable[[object], Any]


def documented_examples() -> list[Any]:
    cases = [
        pytest.param(parse, body(), id=f"liveness-{name}")
        for (name, parse, body), _ in zip(ALL_BODIES, BODY_IDS, strict=True)
    ]
    cases += [
        pytest.param(PARSERS[name][0], EXAMPLES[name], id=f"platform-{name}")
        for name in sorted(PARSERS)
    ]
    cases.append(
        pytest.param(parse_email_event_object, json.loads(WEBHOOK_BODY), id="webhook-email")
    )
    return cases


def sent_values_are_kept(sent: Any, dumped: Any, path: str = "body") -> None:
    """Every non-null value of ``sent`` that the model knows is in ``dumped``, unchanged."""
    if isinstance(sent, dict):
        assert isinstance(dumped, dict), path
        for key, value in sent.items():
            if key in dumped and value is not None:
                sent_values_are_kept(value, dumped[key], f"{path}.{key}")
    elif isinstance(sent, list):
        assert isinstance(dumped, list), path
        assert len(dumped) == len(sent), path
        for index, (a, b) in enumerate(zip(sent, dumped, strict=True)):
            sent_values_are_kept(a, b, f"{path}[{index}]")
    else:
        assert dumped == sent, path


@pytest.mark.parametrize(("parse", "body"), documented_examples())
def test_documented_examples_round_trip(parse: Parser, body: Any) -> None:
    model = parse(body)
    dumped = model.to_dict()
    assert parse(dumped) == model
    assert parse(json.loads(model.to_json())) == model
    assert json.loads(model.to_json(indent=2)) == dumped
    sent_values_are_kept(body, dumped)
    assert sum(key in dumped for key in body) >= len(body) - 1  # at most countries[] unknown


def test_json_names_not_python_names() -> None:
    report = parse_account_report(EXAMPLES["account_get"])
    assert report.unique_devices is not None
    dumped = report.to_dict()
    assert set(dumped["unique_devices"]) == {"1_day", "7_day"}
    assert dumped["unique_devices"]["1_day"] == report.unique_devices.one_day
    assert "one_day" not in report.to_json()


def test_missing_fields_are_null_and_arrays_empty() -> None:
    verdict = types.VerifyFaceResult(
        metadata=types.LivenessMetadata(
            project_id=None,
            session_id="s",
            account_id=None,
            referring_session_id=None,
            request_id=None,
            timestamp=None,
        ),
        decision="Real",
        risk_score=None,
        risk_flags=(),
        device_network_signals=None,
        referring_session_signals=None,
        photo_urls=None,
        video_urls=(),
        session_data=None,
        matches=None,
    )
    dumped = verdict.to_dict()
    assert dumped["decision"] == "Real"
    assert dumped["risk_flags"] == []
    assert dumped["risk_score"] is None
    assert dumped["metadata"]["project_id"] is None
    assert verdict.to_json().startswith('{"metadata":{"project_id":null,"session_id":"s"')


def test_the_dict_is_a_copy() -> None:
    report = parse_account_report(EXAMPLES["account_get"])
    dumped = report.to_dict()
    dumped["account"]["metadata"]["changed"] = True
    dumped["lists"].append("x")
    assert report.to_dict() != dumped


def test_non_ascii_is_kept() -> None:
    counts = types.LivenessLocation(
        continent="EU",
        country_code="FR",
        state="Île-de-France",
        city="Paris",
        zip_code=None,
        timezone=None,
        latitude=None,
        longitude=1.0,
    )
    assert '"state":"Île-de-France"' in counts.to_json()


def test_datetimes_dates_and_enums_become_json() -> None:
    """Models keep Verisoul's timestamps as strings; other values are converted anyway."""

    class Color(enum.Enum):
        RED = "red"

    @attrs.frozen
    class Sample(Model):
        at: datetime.datetime
        day: datetime.date
        color: Color
        data: Any

    value = Sample(
        at=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        day=datetime.date(2026, 1, 2),
        color=Color.RED,
        data={"k": (1, 2)},
    )
    assert value.to_dict() == {
        "at": "2026-01-02T03:04:05+00:00",
        "day": "2026-01-02",
        "color": "red",
        "data": {"k": [1, 2]},
    }

    class Tag(str):
        pass

    tagged = Sample(at=value.at, day=value.day, color=Color.RED, data=[Tag("x"), True, 1.5])
    assert tagged.to_dict()["data"] == ["x", True, 1.5]
    assert type(tagged.to_dict()["data"][0]) is str
    with pytest.raises(TypeError, match="takes a response model"):
        to_dict({"a": 1})
    with pytest.raises(TypeError, match="cannot turn object into JSON"):
        Sample(at=value.at, day=value.day, color=Color.RED, data=object()).to_dict()


def test_every_public_model_has_to_dict_and_to_json() -> None:
    models = [
        value
        for name, value in vars(types).items()
        if inspect.isclass(value) and attrs.has(value) and name in types.__all__
    ]
    assert len(models) > 40
    lacking = [
        m.__name__ for m in models if m is not types.RawResponse and not issubclass(m, Model)
    ]
    assert lacking == []
    assert UniqueCounts(one_day=1, seven_day=2).to_dict() == {"1_day": 1, "7_day": 2}


def test_redirect_to_dict() -> None:
    redirect = parse_redirect("success=false&error_message=liveness_check_failed")
    assert redirect.to_dict() == {
        "session_id": None,
        "success": False,
        "error_message": "liveness_check_failed",
    }
