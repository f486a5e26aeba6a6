"""Hostile data without a client: odd response fields, malformed webhooks, key echoes.

Issue 13 items 7, 10 and 11, as properties over every documented example:

- one field of a documented response mutated (type swapped, null, removed) never costs the
  rest: the parse succeeds with every other field unchanged, unless the field is essential;
- any malformed webhook payload ends in ``WebhookPayloadError``;
- the key is scrubbed from server text however it is echoed.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import json
import logging
import re
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verisoul import WebhookPayloadError, webhooks
from verisoul._endpoints import ENDPOINTS, Endpoint
from verisoul._models import _fields
from verisoul._models.email_event import EmailIntelligenceEvent, parse_email_event_object
from verisoul._secret import REDACTED, scrub, scrub_json
from verisoul._shape import ResponseShapeError

from .conftest import TEST_KEY
from .reliability.conftest import (
    KEY_ECHOES_CHECKED,
    MALFORMED_PAYLOADS_TRIED,
    MUTATED_RESPONSES_PARSED,
    PATH_VALUES_CHECKED,
)
from .reliability.figures import record
from .test_webhooks import SECRET, SUCCESS_EVENT

ROOT = Path(__file__).parent
Path_ = tuple[str | int, ...]
Parser = Callable[[object], Any]


@pytest.fixture(autouse=True)
def _fresh_field_warnings() -> None:
    _fields.reset_warnings()


# --- the documented examples ---------------------------------------------------------------

_BY_ROUTE: dict[tuple[str, str], list[Endpoint[Any]]] = {}
for _endpoint in ENDPOINTS:
    _BY_ROUTE.setdefault((_endpoint.method, _endpoint.path), []).append(_endpoint)


def resolve(endpoint: Endpoint[Any]) -> Parser:
    """The parser function of an endpoint."""
    parse: Parser = endpoint.parse_function
    return parse


def _parse_event(data: object) -> EmailIntelligenceEvent:
    return parse_email_event_object(data)


def documented_examples() -> Iterator[tuple[str, Parser, type, dict[str, Any]]]:
    """``(label, parser, model, body)`` for every documented 2xx example."""
    for spec in sorted((ROOT / "openapi").glob("*.json")):
        document = json.loads(spec.read_text(encoding="utf-8"))
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                content = operation["responses"].get("200", {}).get("content", {})
                media = content.get("application/json", {})
                bodies = [media["example"]] if "example" in media else []
                bodies += [item["value"] for item in media.get("examples", {}).values()]
                endpoints = _BY_ROUTE.get((method.upper(), path), [])
                if not bodies or not endpoints:  # the hosted page's redirect: no JSON
                    continue
                if len(endpoints) > 1:  # POST /email: single or batch, by the spec's name
                    batch = "batch" in spec.name
                    endpoints = [e for e in endpoints if ("batch" in e.name) == batch]
                for index, body in enumerate(bodies):
                    parse = resolve(endpoints[0])
                    model = type(parse(copy.deepcopy(body)))
                    label = f"{spec.stem}:{method} {path}#{index}"
                    yield label, parse, model, body
    platform = json.loads((ROOT / "data" / "platform_examples.json").read_text())["responses"]
    from .test_models_platform import PARSERS

    for name, body in platform.items():
        parse, model = PARSERS[name]
        yield f"platform_examples:{name}", parse, model, body
    yield (
        "webhook:email.intelligence.completed",
        _parse_event,
        EmailIntelligenceEvent,
        (SUCCESS_EVENT),
    )


EXAMPLES = list(documented_examples())


def test_every_endpoint_has_a_documented_example() -> None:
    parsers = {parse for _, parse, _, _ in EXAMPLES}
    assert all(resolve(endpoint) in parsers for endpoint in ENDPOINTS)
    assert len(EXAMPLES) >= 40


# --- models as JSON trees ------------------------------------------------------------------


def _wire_key(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("verisoul.json_key", field.name))


def tree(model: Any) -> Any:
    """The model as JSON-like data keyed by wire names; None and empty arrays left out."""
    if attrs.has(type(model)):
        out = {}
        for field in attrs.fields(type(model)):
            value = tree(getattr(model, field.name))
            if value is not None and value != []:
                out[_wire_key(field)] = value
        return out
    if isinstance(model, tuple):
        return [tree(item) for item in model]
    return model


def _drop(data: Any, path: Path_) -> Any:
    """A copy of ``data`` without the value at ``path`` (if there is one)."""
    data = copy.deepcopy(data)
    holder = data
    for step in path[:-1]:
        try:
            holder = holder[step]
        except (KeyError, IndexError, TypeError):
            return data
    if isinstance(holder, dict):
        holder.pop(path[-1], None)
    return data


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def member_paths(data: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """The path of every object member, at every depth (inside arrays too)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from member_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from member_paths(value, (*prefix, index))


def _attribute(cls: type, key: str) -> tuple[object, bool] | None:
    """``(annotation without None, essential)`` of the attribute read from ``key``."""
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        if _wire_key(field) == key:
            annotation, optional = _fields._unwrap_optional(hints[field.name])
            is_array = typing.get_origin(annotation) is tuple
            if is_array:
                annotation = typing.get_args(annotation)[0]
            return annotation, not optional and not is_array
    return None


def is_essential(model: type, path: Path_) -> bool:
    """Whether the member at ``path`` is an essential field of its model."""
    owner: object = model
    essential = False
    for step in path:
        if isinstance(step, int):
            continue
        if not (isinstance(owner, type) and attrs.has(owner)):
            return False  # inside a free-form object, or a key the model does not read
        found = _attribute(owner, step)
        if found is None:
            return False
        owner, essential = found
    return essential


SWAPS: tuple[object, ...] = (12345, "text", True, {"x": 1}, [1], 0.5)
REMOVED = object()


def _same_json_type(a: object, b: object) -> bool:
    return type(a) is type(b)


def mutations(original: object) -> Iterator[object]:
    yield REMOVED
    if original is not None:
        yield None
    for swap in SWAPS:
        if not _same_json_type(swap, original):
            yield swap


def _sane_reading(value: object, sent: object) -> bool:
    """What a non-essential field may read as after receiving ``sent``."""
    if value is None or value == [] or value == {}:
        return True
    if sent is REMOVED or sent is None:
        return False
    if isinstance(sent, bool) or isinstance(value, bool):
        return value is sent
    return value == sent or value == str(sent) or (isinstance(value, list) and value == sent)


@pytest.mark.parametrize(
    ("parse", "model", "body"),
    [pytest.param(parse, model, body, id=label) for label, parse, model, body in EXAMPLES],
)
def test_one_mutated_field_never_costs_the_rest(
    parse: Parser, model: type, body: dict[str, Any]
) -> None:
    """Issue 13 item 11: type swap, null or removal of each field, one at a time."""
    baseline = tree(parse(copy.deepcopy(body)))
    parsed = 0
    for path in list(member_paths(body)):
        original = _get(body, path)
        essential = is_essential(model, path)
        for sent in mutations(original):
            data = copy.deepcopy(body)
            holder: Any = _get(data, path[:-1]) if len(path) > 1 else data
            if sent is REMOVED:
                del holder[path[-1]]
            else:
                holder[path[-1]] = copy.deepcopy(sent)
            label = f"{'.'.join(map(str, path))} <- {sent if sent is not REMOVED else 'removed'}"
            if essential:
                with pytest.raises(ResponseShapeError, match=re.escape(str(path[-1]))):
                    parse(data)
                continue
            result = tree(parse(data))
            parsed += 1
            assert _drop(result, path) == _drop(baseline, path), label
            assert _sane_reading(_get(result, path), sent), label
    record(MUTATED_RESPONSES_PARSED, parsed)


def test_verify_face_with_fractional_memory_keeps_the_decision() -> None:
    (verify_face,) = [e for e in ENDPOINTS if e.name == "verify_face"]
    (_, _, _, body) = next(x for x in EXAMPLES if "verify-face" in x[0])
    body = copy.deepcopy(body)
    body["session_data"]["device"]["memory"] = 0.5
    result = verify_face.parse(body)
    assert result.decision == body["decision"]
    assert result.session_data.device.memory == 0.5


def test_one_warning_per_field_name(caplog: pytest.LogCaptureFixture) -> None:
    (verify_face,) = [e for e in ENDPOINTS if e.name == "verify_face"]
    (_, _, _, body) = next(x for x in EXAMPLES if "verify-face" in x[0])
    odd = copy.deepcopy(body)
    odd["session_data"]["device"]["cpu_cores"] = "many"
    odd["risk_score"] = "high"
    for _ in range(5):
        verify_face.parse(copy.deepcopy(odd))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.name for r in warnings] == ["verisoul", "verisoul"]
    text = " ".join(r.getMessage() for r in warnings)
    assert "body.session_data.device.cpu_cores" in text
    assert "body.risk_score" in text
    assert "many" not in text  # the value itself is never logged
    assert "high" not in text


def _essential_paths(cls: type, prefix: str = "") -> list[str]:
    paths = []
    for key in _fields.essential_fields(cls):
        found = _attribute(cls, key)
        assert found is not None
        annotation, _ = found
        nested = (
            _essential_paths(annotation, f"{prefix}{key}.")
            if isinstance(annotation, type) and attrs.has(annotation)
            else []
        )
        paths += nested or [f"{prefix}{key}"]
    return paths


def test_docs_list_the_essential_fields() -> None:
    """docs/errors.md's table is exactly what the models require."""
    text = (ROOT.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    table = text.split("<!-- essential-fields")[1].split("<!-- /essential-fields -->")[0]
    documented: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        fields = set(re.findall(r"`([^`]+)`", cells[1]))
        for method in re.findall(r"`([^`]+)`", cells[0]):
            documented[method] = fields
    actual = {
        endpoint.name: set(_essential_paths(type(_example_model(endpoint))))
        for endpoint in ENDPOINTS
    }
    actual["webhooks.parse_email_event"] = set(_essential_paths(EmailIntelligenceEvent))
    assert {name: fields for name, fields in actual.items() if fields} == documented
    assert "every other method" in table


def _example_model(endpoint: Endpoint[Any]) -> Any:
    for _, parse, _, body in EXAMPLES:
        if parse is resolve(endpoint):
            return parse(copy.deepcopy(body))
    raise AssertionError(f"no example for {endpoint.name}")


# --- webhooks: any malformed payload is a WebhookPayloadError -------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)


def _parse_or_payload_error(payload: Any) -> None:
    with contextlib.suppress(WebhookPayloadError):
        webhooks.parse_email_event(payload)
    record(MALFORMED_PAYLOADS_TRIED)


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 100_000,
        "[" * 100_000,
        b'{"a":' * 100_000,
        b"[" * 100_000 + b"]" * 100_000,
        '{"data": ' * 50_000 + "1" + "}" * 50_000,
        b"\xff\xfe\xfd",
        b'{"request_id": "\xc3\x28"}',
        "\udcff",
        b"1" * 10_000,
        b"",
        b"\x00",
        b'{"request_id": "r", "event_type": "email.intelligence.completed"',
        b"NaN",
        b'"\\ud800"',
    ],
    ids=lambda p: repr(p[:24]),
)
def test_malformed_webhook_bodies(payload: bytes | str) -> None:
    """Issue 13 item 10: deep nesting, invalid UTF-8, truncation... never another error."""
    with pytest.raises(WebhookPayloadError):
        webhooks.parse_email_event(payload)
    record(MALFORMED_PAYLOADS_TRIED)


def test_malformed_bodies_with_a_valid_signature() -> None:
    """verify_and_parse: a signed but malformed body is a payload error, not a crash."""
    for payload in (b"[" * 100_000, b"\xff\xfe", "\udcff[", json.dumps([SUCCESS_EVENT])):
        raw = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else payload
        headers = {"content-type": "application/json", "x-event-id": "e", "x-event-type": "t"}
        signed = b".".join([b"1700000000", b"content-type x-event-id x-event-type"])
        signed += b".application/json.e.t." + raw
        digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        headers["x-signature"] = f"t=1700000000,h=content-type x-event-id x-event-type,v1={digest}"
        with pytest.raises(WebhookPayloadError):
            webhooks.verify_and_parse_email_event(payload, headers, SECRET, now=1700000000)
        record(MALFORMED_PAYLOADS_TRIED)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=64) | st.text(max_size=64))
def test_fuzz_raw_bodies(payload: bytes | str) -> None:
    _parse_or_payload_error(payload)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=12), _json_values, max_size=6))
def test_fuzz_decoded_objects(payload: dict[str, Any]) -> None:
    _parse_or_payload_error(payload)
    _parse_or_payload_error(json.dumps(payload))


def _event_paths() -> list[Path_]:
    return list(member_paths(SUCCESS_EVENT))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_event_paths()), _json_values)
def test_fuzz_one_field_of_a_real_event(path: Path_, value: Any) -> None:
    """Any value anywhere in a real event: an event or a WebhookPayloadError."""
    data = copy.deepcopy(SUCCESS_EVENT)
    holder: Any = _get(data, path[:-1]) if len(path) > 1 else data
    holder[path[-1]] = value
    _parse_or_payload_error(json.dumps(data).encode())


# --- scrubbing the key from server text ----------------------------------------------------

KEY = TEST_KEY


def echoes(key: str) -> list[str]:
    """How servers and proxies quote a request header back."""
    return [
        key,
        key.upper(),
        key[:10],
        key[: len(key) // 2],
        key[:-1],
        quote(key, safe=""),
        quote_plus(key),
        json.dumps(key)[1:-1].replace("/", "\\/"),
        f"x-api-key: {key}\r\nhost: api",
        f'{{"headers": {{"x-api-key": "{key}"}}}}',
        f"?api_key={quote(key, safe='')}&x=1",
        key + key,
    ]


@pytest.mark.parametrize("key", [KEY, "sk/live+with=odd/chars?&%", "short"])
def test_scrub_removes_every_likely_echo(key: str) -> None:
    for echo in echoes(key):
        if len(echo) < len(key) and len(echo) < 10:
            continue
        text = f"error: {echo} end"
        cleaned = scrub(text, key)
        assert key.lower() not in cleaned.lower()
        assert key[:10].lower() not in cleaned.lower(), (echo, cleaned)
        assert REDACTED in cleaned
        assert cleaned.startswith("error: ")
        assert cleaned.endswith(" end")
        record(KEY_ECHOES_CHECKED)


def test_scrub_json_reaches_any_depth_without_recursion() -> None:
    deep: Any = KEY
    for _ in range(50_000):
        deep = [deep]
    nested = {"a": [{"b": KEY}], KEY: 1, "c": deep}
    cleaned: Any = scrub_json(nested, KEY)
    assert KEY not in json.dumps({k: v for k, v in cleaned.items() if k != "c"})
    inner = cleaned["c"]
    while isinstance(inner, list):
        inner = inner[0]
    assert inner == REDACTED
    assert scrub("nothing here", KEY) == "nothing here"
    assert scrub("", KEY) == ""
    assert scrub("abc", None) == "abc"


# --- path values: what a normalising proxy sees is still the route ------------------------

_UNRESERVED = re.compile(r"%(2[dDeE]|5[fF]|7[eE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])")


def rfc3986_normalise(raw_path: str) -> list[str]:
    """The segments a normalising proxy routes on (RFC 3986 sections 6.2.2.2 and 5.2.4).

    Percent-encoded unreserved characters are decoded (``%2E`` is ``.``), then ``.`` and
    ``..`` segments are removed, as nginx, Envoy and most frameworks do.
    """
    decoded = _UNRESERVED.sub(lambda m: chr(int(m[1], 16)), raw_path)
    out: list[str] = []
    for segment in decoded.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    return out


_PATH_ENDPOINTS = [e for e in ENDPOINTS if e.path_params]
_tricky = st.text(alphabet="./%2eE\\?#; ~a\u00e9-_", max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_PATH_ENDPOINTS), st.lists(_tricky, min_size=2, max_size=2))
def test_path_values_keep_the_route_after_normalisation(
    endpoint: Endpoint[Any], values: list[str]
) -> None:
    """Issue 13 item 8: a value is refused, or every proxy still sees the same route."""
    params = dict(zip(endpoint.path_params, values, strict=False))
    record(PATH_VALUES_CHECKED)
    try:
        path = endpoint.render_path(params)
    except ValueError:
        assert any(v in (".", "..") or not v.strip() for v in params.values())
        return
    template = endpoint.path.split("/")[1:]
    segments = rfc3986_normalise(path)
    assert len(segments) == len(template), (path, segments)
    for fixed, segment in zip(template, segments, strict=True):
        if fixed.startswith("{"):
            assert unquote(segment) == params[fixed[1:-1]]
        else:
            assert segment == fixed


# --- the CLI's error line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"statusCode": 401, "message": f"Invalid API key: {KEY}"}),
        (400, {"request_id": KEY, "success": False, "error": quote(KEY, safe="")}),
        (502, f"<h1>Bad gateway</h1><pre>x-api-key: {KEY[:20]}</pre>"),
    ],
    ids=["message", "code and request id", "proxy page"],
)
def test_cli_error_line_never_shows_the_key(
    status: int,
    body: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from verisoul._cli import main

    from ._servers import Action, json_action, serve

    def echo(_: object) -> Action:
        if isinstance(body, str):
            return Action(status, body.encode(), (("content-type", "text/html"),))
        return json_action(body, status)

    monkeypatch.setenv("VERISOUL_API_KEY", KEY)
    with serve(echo) as server:
        code = main(["liveness-session", "--base-url", server.url, "--max-retries", "0"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("verisoul: ")
    for text in (captured.err, captured.out):
        assert KEY not in text
        assert KEY[:10] not in text
        assert quote(KEY[:10], safe="") not in text
    assert "<redacted>" in captured.err
    record(KEY_ECHOES_CHECKED)
