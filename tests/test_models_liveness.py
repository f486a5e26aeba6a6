"""Face Match / ID Check response models, checked against the examples in Verisoul's specs.

The example bodies are read from the OpenAPI files committed under ``tests/openapi/`` so
the tests follow the spec when it changes.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from verisoul._models import _fields
from verisoul._models import liveness_enums as enums
from verisoul._models._fields import essential_fields, model_parser
from verisoul._models.liveness import (
    EnrollResult,
    LivenessLinkedAccount,
    VerifyFaceResult,
    VerifyIdentityResult,
    VerifyIdResult,
    parse_enroll,
    parse_liveness_session,
    parse_verify_face,
    parse_verify_id,
    parse_verify_identity,
)
from verisoul._shape import ResponseShapeError

OPENAPI = Path(__file__).parent / "openapi"
FACEMATCH = "verisoul-facematch-openapi.json"
IDCHECK = "verisoul-idcheck-openapi.json"

Parser = Callable[[object], Any]


def spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((OPENAPI / name).read_text(encoding="utf-8"))
    return loaded


def example(name: str, path: str, method: str = "post") -> dict[str, Any]:
    """A fresh copy of the 200 example body of ``method path`` in spec ``name``."""
    response = spec(name)["paths"][path][method]["responses"]["200"]
    return copy.deepcopy(response["content"]["application/json"]["example"])


def verify_face_body() -> dict[str, Any]:
    return example(FACEMATCH, "/liveness/verify-face")


def verify_id_body() -> dict[str, Any]:
    return example(IDCHECK, "/liveness/verify-id")


def as_json(model: Any) -> Any:
    """The model back as JSON-like data, leaving out ``None`` (what a missing key parses to)."""
    if attrs.has(type(model)):
        values = {
            name: as_json(value) for name, value in attrs.asdict(model, recurse=False).items()
        }
        return {name: value for name, value in values.items() if value is not None}
    if isinstance(model, tuple):
        return [as_json(item) for item in model]
    return model


def leaf_paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path to a value inside ``data`` (objects, arrays and scalars alike)."""
    children: Any = ()
    if isinstance(data, dict):
        children = data.items()
    elif isinstance(data, list):
        children = enumerate(data)
    for key, value in children:
        yield (*prefix, key)
        yield from leaf_paths(value, (*prefix, key))


def dotted(path: tuple[str | int, ...]) -> str:
    text = "body"
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def get_in(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def set_in(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    get_in(data, path[:-1])[path[-1]] = value


ALL_BODIES: list[tuple[str, Parser, Callable[[], dict[str, Any]]]] = [
    ("verify-face", parse_verify_face, verify_face_body),
    ("verify-id", parse_verify_id, verify_id_body),
    (
        "verify-identity",
        parse_verify_identity,
        lambda: example(FACEMATCH, "/liveness/verify-identity"),
    ),
    ("enroll-facematch", parse_enroll, lambda: example(FACEMATCH, "/liveness/enroll")),
    ("enroll-idcheck", parse_enroll, lambda: example(IDCHECK, "/liveness/enroll")),
]
BODY_IDS = [name for name, _, _ in ALL_BODIES]


# --- the spec's examples -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "parse", "body"), ALL_BODIES, ids=BODY_IDS)
def test_spec_example_round_trips(
    name: str, parse: Parser, body: Callable[[], dict[str, Any]]
) -> None:
    """Every key of the example lands on the same-named attribute with the same value."""
    original = body()
    assert as_json(parse(original)) == original


def test_verify_face_example_values() -> None:
    result = parse_verify_face(verify_face_body())
    assert isinstance(result, VerifyFaceResult)
    assert result.decision == enums.Decision.FAKE
    assert result.risk_score == 0.8
    assert result.risk_flags == (enums.RiskFlag.REPEAT_FACE,)
    assert result.metadata is not None
    assert result.metadata.account_id == "john-doe-1"
    assert result.session_data is not None
    assert result.session_data.device is not None
    assert result.session_data.device.category == enums.DeviceCategory.DESKTOP
    assert result.session_data.device.cpu_cores == 16
    assert result.matches is not None
    assert result.matches.accounts_linked == (
        LivenessLinkedAccount(account_id="john-doe-2", match_types=("face", "ip_address")),
    )
    assert result.photo_urls is not None
    assert result.photo_urls.id_scan_front is None
    assert len(result.video_urls) == 2


def test_verify_id_example_has_document_and_id_scans() -> None:
    result = parse_verify_id(verify_id_body())
    assert isinstance(result, VerifyIdResult)
    assert not isinstance(result, VerifyFaceResult)
    assert result.photo_urls is not None
    assert result.photo_urls.id_scan_front is not None
    assert result.photo_urls.id_scan_front.endswith("/id_scan_front.jpg")
    assert result.photo_urls.id_scan_back is not None
    assert result.photo_urls.id_scan_back.endswith("/id_scan_back.jpg")
    assert result.document_signals is not None
    assert result.document_signals.id_age == 25
    assert result.document_signals.face_age_estimate == enums.FaceAgeEstimate.OVER21
    assert result.document_data is not None
    assert result.document_data.template_info is not None
    assert result.document_data.template_info.template_type == enums.TemplateType.DRIVER_LICENSE
    assert result.document_data.user_data is not None
    assert result.document_data.user_data.date_of_birth == "02/26/1997"
    assert result.document_data.user_data.address is not None
    assert result.document_data.user_data.address.city == "Austin"


def test_small_examples() -> None:
    assert parse_enroll(example(FACEMATCH, "/liveness/enroll")) == EnrollResult(
        request_id="8757569c-61e6-454b-afc9-59232e861496", success=True
    )
    assert parse_verify_identity(
        example(FACEMATCH, "/liveness/verify-identity")
    ) == VerifyIdentityResult(
        request_id="43eb9f8e-769c-4380-a3df-94925671746b", success=True, match=False
    )
    session = parse_liveness_session(example(IDCHECK, "/liveness/session", "get"))
    assert session.session_id == "000ff417-cfe3-4d32-8323-59cb05b854cb"


def test_models_are_frozen() -> None:
    result = parse_verify_face(verify_face_body())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.decision = "Real"  # type: ignore[misc]


# --- numbers -------------------------------------------------------------------------------


def test_ints_are_accepted_for_floats() -> None:
    body = verify_id_body()  # its example sends "risk_score": 1 and "proxy": 0
    assert body["risk_score"] == 1
    assert type(body["risk_score"]) is int
    result = parse_verify_id(body)
    assert result.risk_score == 1.0
    assert type(result.risk_score) is float
    assert result.device_network_signals is not None
    assert type(result.device_network_signals.proxy) is float


def test_integral_floats_are_accepted_for_ints() -> None:
    body = verify_face_body()
    body["session_data"]["device"]["cpu_cores"] = 16.0
    body["matches"]["num_accounts_linked"] = 1.0
    result = parse_verify_face(body)
    assert result.session_data is not None
    assert result.session_data.device is not None
    assert result.session_data.device.cpu_cores == 16
    assert type(result.session_data.device.cpu_cores) is int
    assert result.matches is not None
    assert type(result.matches.num_accounts_linked) is int


@pytest.fixture(autouse=True)
def _fresh_field_warnings() -> None:
    """Each test sees the once-per-field warnings afresh."""
    _fields.reset_warnings()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("risk_score",), True, "a number, got boolean"),
        (("session_data", "device", "cpu_cores"), 16.5, "an integer, got number"),
        (("session_data", "device", "memory"), False, "a number, got boolean"),
        (("matches", "num_accounts_linked"), "1", "an integer, got string"),
    ],
)
def test_booleans_and_fractions_are_not_numbers_of_that_kind(
    path: tuple[str, ...], value: object, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Not read as numbers: the field reads as None, logged with its path, the rest kept."""
    body = verify_face_body()
    set_in(body, path, value)
    result = as_json(parse_verify_face(body))
    get_in(body, path[:-1]).pop(path[-1])
    assert result == body
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert f"{dotted(path)}: expected {expected}" in warning.getMessage()


def test_fractional_device_memory_keeps_the_verdict() -> None:
    """Browsers report 0.25 or 0.5 GB although the spec says integer (issue 13 item 11)."""
    for memory in (0.25, 0.5, 8, 8.0):
        body = verify_face_body()
        body["session_data"]["device"]["memory"] = memory
        result = parse_verify_face(body)
        assert result.decision == body["decision"]
        assert result.session_data is not None
        assert result.session_data.device is not None
        assert result.session_data.device.memory == memory


# --- forward compatibility -----------------------------------------------------------------


def test_unknown_enum_values_parse_and_round_trip() -> None:
    body = verify_id_body()
    body["decision"] = "Inconclusive"
    body["risk_flags"].append("brand_new_flag")
    body["session_data"]["device"]["category"] = "vr_headset"
    body["matches"]["accounts_linked"][0]["match_types"].append("phone")
    signals = body["document_signals"]
    signals["face_age_estimate"] = "over100"
    signals["id_barcode_status"] = "no_barcode_specified_by_template"
    signals["id_validity"] = "likely_new_verdict"
    body["document_data"]["template_info"]["template_type"] = "military_id"
    result = parse_verify_id(body)
    assert result.decision == "Inconclusive"
    assert result.decision not in enums.Decision.KNOWN
    assert result.risk_flags[-1] == "brand_new_flag"
    assert result.document_signals is not None
    assert result.document_signals.face_age_estimate == "over100"
    assert as_json(result) == body


def test_extra_fields_are_ignored_everywhere() -> None:
    plain = parse_verify_id(verify_id_body())
    body = verify_id_body()
    for path in list(leaf_paths(body)):
        holder = get_in(body, path)
        if isinstance(holder, dict):
            holder["added_later"] = {"nested": [1, "two"]}
    body["added_later"] = True
    assert parse_verify_id(body) == plain


def test_null_face_age_estimate_is_none() -> None:
    body = verify_id_body()
    body["document_signals"]["face_age_estimate"] = None
    result = parse_verify_id(body)
    assert result.document_signals is not None
    assert result.document_signals.face_age_estimate is None


# --- missing fields -----------------------------------------------------------------------

REQUIRED = {
    "verify-face": {"decision", "metadata", "metadata.session_id"},
    "verify-id": {"decision", "metadata", "metadata.session_id"},
    "verify-identity": {"match"},
    "enroll-facematch": {"success"},
    "enroll-idcheck": {"success"},
}


def test_essential_fields_are_the_verdicts_and_their_session() -> None:
    """The caller cannot do without these; every other field may be missing or odd."""
    assert essential_fields(VerifyFaceResult) == ("metadata", "decision")
    assert essential_fields(VerifyIdResult) == ("metadata", "decision")
    assert "session_id" in essential_fields(type(parse_verify_face(verify_face_body()).metadata))
    assert essential_fields(VerifyIdentityResult) == ("match",)
    assert essential_fields(EnrollResult) == ("success",)
    for name in (FACEMATCH, IDCHECK):  # never more than what the spec requires, if it does
        schemas = spec(name)["components"]["schemas"]
        assert set(essential_fields(EnrollResult)) <= set(schemas["EnrollResponse"]["required"])


def missing_field_cases() -> Iterator[Any]:
    for name, parse, body in ALL_BODIES:
        for path in leaf_paths(body()):
            if not isinstance(path[-1], int):
                yield pytest.param(name, parse, body, path, id=f"{name}:{dotted(path)}")


@pytest.mark.parametrize(("name", "parse", "body", "path"), list(missing_field_cases()))
def test_each_missing_field(
    name: str,
    parse: Parser,
    body: Callable[[], dict[str, Any]],
    path: tuple[str | int, ...],
) -> None:
    """A missing required field names its path; a missing optional one reads as empty."""
    data = body()
    removed = get_in(data, path[:-1]).pop(path[-1])
    if ".".join(map(str, path)) in REQUIRED.get(name, set()):
        with pytest.raises(
            ResponseShapeError, match=rf"^{re.escape(dotted(path))}: required field is missing$"
        ):
            parse(data)
        return
    parsed = as_json(parse(data))
    if isinstance(removed, list):  # a missing array reads as an empty one
        set_in(data, path, [])
    assert parsed == data


def test_required_null_is_reported_as_null() -> None:
    with pytest.raises(ResponseShapeError, match=r"^body\.success: required field is null$"):
        parse_enroll({"request_id": "x", "success": None})


def test_optional_nulls_read_as_missing() -> None:
    body = verify_face_body()
    for key in list(body):
        if key not in REQUIRED["verify-face"]:
            body[key] = None
    for key in list(body["metadata"]):
        if key != "session_id":
            body["metadata"][key] = None
    result = parse_verify_face(body)
    assert result.risk_score is None
    assert result.risk_flags == ()
    assert result.video_urls == ()
    assert as_json(result) == {
        "decision": body["decision"],
        "metadata": {"session_id": body["metadata"]["session_id"]},
        "risk_flags": [],
        "video_urls": [],
    }


# --- wrong types ---------------------------------------------------------------------------

JSON_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
}
EXPECTED = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",  # every int in the examples sits in a float field or an int field
    float: "a number",
}


def wrong_type_cases() -> Iterator[Any]:
    for name, parse, body in ALL_BODIES:
        for path in leaf_paths(body()):
            yield pytest.param(name, parse, body, path, id=f"{name}:{dotted(path)}")


@pytest.mark.parametrize(("name", "parse", "body", "path"), list(wrong_type_cases()))
def test_each_wrong_type_names_its_path(
    name: str,
    parse: Parser,
    body: Callable[[], dict[str, Any]],
    path: tuple[str | int, ...],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An essential field fails naming its path; any other is logged naming it."""
    data = body()
    original = get_in(data, path)
    wrong: Any = "oops" if not isinstance(original, str) else ["oops"]
    set_in(data, path, wrong)
    if ".".join(map(str, path)) in REQUIRED.get(name, set()):
        with pytest.raises(ResponseShapeError) as caught:
            parse(data)
        message = str(caught.value)
    else:
        parse(data)
        (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
        message = warning.getMessage()
        message = message[message.index("(") + 1 : message.index(")")]
    assert message.startswith(f"{dotted(path)}: expected ")
    assert message.endswith(f", got {JSON_NAMES[type(wrong)]}")
    if type(original) is not int:
        assert f"expected {EXPECTED[type(original)]}," in message


@pytest.mark.parametrize("body", [[], "text", 3, None, True])
@pytest.mark.parametrize("parse", [parse_verify_face, parse_verify_id, parse_enroll])
def test_body_must_be_an_object(parse: Parser, body: object) -> None:
    with pytest.raises(ResponseShapeError, match=r"^body: expected an object, got "):
        parse(body)


def test_array_items_name_their_index(caplog: pytest.LogCaptureFixture) -> None:
    body = verify_face_body()
    body["matches"]["accounts_linked"].append("john-doe-3")
    result = parse_verify_face(body)
    assert result.matches is not None
    assert len(result.matches.accounts_linked) == 1  # the unreadable item is left out
    (warning,) = caplog.records
    assert "body.matches.accounts_linked[1]: expected an object, got string" in (
        warning.getMessage()
    )


def test_shape_errors_are_value_errors() -> None:
    assert issubclass(ResponseShapeError, ValueError)


# --- enum constants ------------------------------------------------------------------------


def schema_enum(name: str, *path: str) -> set[str]:
    node: Any = spec(name)["components"]["schemas"]
    for step in path:
        node = node[step]
    return set(node["enum"])


@pytest.mark.parametrize("name", [FACEMATCH, IDCHECK])
def test_constants_cover_the_spec_enums(name: str) -> None:
    schema = "VerifyFaceResponse" if name == FACEMATCH else "VerifyIDResponse"
    properties = (schema, "properties")
    assert schema_enum(name, *properties, "decision") <= enums.Decision.KNOWN
    device = (*properties, "session_data", "properties", "device", "properties", "category")
    assert schema_enum(name, *device) <= enums.DeviceCategory.KNOWN
    linked = (*properties, "matches", "properties", "accounts_linked", "items", "properties")
    assert schema_enum(name, *linked, "match_types", "items") <= enums.MatchType.KNOWN


def test_document_constants_cover_the_spec_enums() -> None:
    document = ("VerifyIDResponse", "properties", "document_signals", "properties")
    pairs: list[tuple[str, type[Any]]] = [
        ("face_age_estimate", enums.FaceAgeEstimate),
        ("id_barcode_status", enums.IdBarcodeStatus),
        ("id_face_status", enums.IdFaceStatus),
        ("id_text_status", enums.IdTextStatus),
        ("is_id_digital_spoof", enums.IsIdDigitalSpoof),
        ("is_full_id_captured", enums.IsFullIdCaptured),
        ("id_validity", enums.IdValidity),
    ]
    for field, constants in pairs:
        assert schema_enum(IDCHECK, *document, field) <= constants.KNOWN, field
    template = ("VerifyIDResponse", "properties", "document_data", "properties", "template_info")
    assert (
        schema_enum(IDCHECK, *template, "properties", "template_type") <= enums.TemplateType.KNOWN
    )


def test_known_sets_hold_only_their_constants() -> None:
    assert {"Real", "Suspicious", "Fake", "Unknown"} == enums.Decision.KNOWN
    assert "KNOWN" not in enums.RiskFlag.KNOWN
    assert enums.RiskFlag.REPEAT_ID in enums.RiskFlag.KNOWN


# --- the parser generator ------------------------------------------------------------------


@attrs.frozen
class _Unsupported:
    counts: dict[str, int]


def test_unsupported_annotation_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match=r"_Unsupported: no JSON parser for annotation"):
        model_parser(_Unsupported)


def test_parsers_are_generated_once() -> None:
    assert model_parser(VerifyIdResult) is model_parser(VerifyIdResult)
