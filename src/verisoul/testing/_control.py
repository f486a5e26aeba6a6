"""The fake's control API (``/_fake/...``) and its stand-in hosted page (``/``).

Other processes drive a served fake through these: a test suite, a shell script, the
``verisoul mock`` commands, a person with a browser. They need no API key, are never
faulted, rate limited or logged, and answer JSON (the page answers HTML). Errors are
``{"error": code, "message": text}`` with 400 (bad input) or 404 (unknown session).

=======  ====================================  ==========================================
Method   Path                                  What it does
=======  ====================================  ==========================================
GET      ``/_fake``                            this table, as JSON
GET      ``/_fake/sessions``                   every liveness session and its stage
POST     ``/_fake/sessions/{id}/complete``     finish a session (JSON: a scenario's fields,
                                               ``face``, ``document``)
GET      ``/_fake/scenario``                   the default scenario
PUT      ``/_fake/scenario``                   replace it (JSON: a scenario's fields)
DELETE   ``/_fake/scenario``                   back to the default (a computed pass)
GET      ``/_fake/faults``                     how many armed answers are pending
POST     ``/_fake/faults``                     arm a fault (JSON, see below)
DELETE   ``/_fake/faults``                     disarm every fault
GET      ``/_fake/requests``                   the request log (``?limit=N``: the newest N)
DELETE   ``/_fake/requests``                   empty the request log
POST     ``/_fake/reset``                      back to a fresh fake (key and project kept)
=======  ====================================  ==========================================

A fault is ``{"kind": "status"|"delay"|"drop"|"malformed", "times": 1, "route": null}``
plus, per kind, ``status`` and ``retry_after`` (status), ``seconds`` (delay),
``after_processing`` (drop), ``body`` (status, malformed; a string).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

import attrs

from ._hosted_page import (
    is_safe_redirect,
    page_response,
    parse_form,
    redirect_back,
    render_index,
    scenario_from_form,
)
from ._http import FakeResponse, json_response
from ._log import LoggedRequest
from ._scenario import Scenario
from ._state import FakeDocument

if TYPE_CHECKING:
    from ._fake import FakeVerisoul

__all__ = ["CONTROL_ROUTES", "handle_control", "is_control_path"]

#: ``(method, path)`` of each control route, for ``GET /_fake`` and the docs.
CONTROL_ROUTES = (
    ("GET", "/_fake/sessions"),
    ("POST", "/_fake/sessions/{session_id}/complete"),
    ("GET", "/_fake/scenario"),
    ("PUT", "/_fake/scenario"),
    ("DELETE", "/_fake/scenario"),
    ("GET", "/_fake/faults"),
    ("POST", "/_fake/faults"),
    ("DELETE", "/_fake/faults"),
    ("GET", "/_fake/requests"),
    ("DELETE", "/_fake/requests"),
    ("POST", "/_fake/reset"),
)


class ControlError(Exception):
    """A control request the fake refuses (400, or 404 for an unknown session)."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_request") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def is_control_path(path: str) -> bool:
    """Whether a raw path belongs to the page or the control API, not the Verisoul API."""
    return path == "/" or path == "/_fake" or path.startswith("/_fake/")


def _query(raw: str) -> dict[str, str]:
    return dict(reversed(parse_qsl(raw, keep_blank_values=True)))


def _json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise ControlError("the body must be JSON") from None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def _session_json(fake: FakeVerisoul, session_id: str) -> dict[str, Any]:
    record = fake._state.liveness.sessions[session_id]
    scenario = record.scenario
    return {
        "session_id": record.session_id,
        "product": record.product,
        "stage": record.stage,
        "error": record.error_code,
        "account_id": record.account_id,
        "outcome": None if scenario is None else scenario.outcome,
    }


def _logged_json(entry: LoggedRequest) -> dict[str, Any]:
    return {
        "method": entry.method,
        "path": entry.path,
        "query": [list(pair) for pair in entry.query],
        "headers": [list(pair) for pair in entry.headers],
        "body": entry.body.decode("utf-8", "replace"),
    }


def _complete(fake: FakeVerisoul, session_id: str, data: dict[str, Any]) -> FakeResponse:
    data = dict(data)
    face = data.pop("face", None)
    document = data.pop("document", None)
    if document is not None:
        if not isinstance(document, dict):
            raise ControlError("document must be a JSON object")
        try:
            document = FakeDocument(**document)
        except TypeError as error:
            raise ControlError(f"document: {error}") from None
    if face is not None and not isinstance(face, str):
        raise ControlError("face must be a string")
    scenario = attrs.evolve(fake.scenario, **_scenario_fields(data))
    try:
        fake.complete_session(session_id, face=face, document=document, scenario=scenario)
    except KeyError:
        raise ControlError(f"no session {session_id!r}", 404, "session_not_found") from None
    except (TypeError, ValueError) as error:
        raise ControlError(str(error)) from None
    with fake._state.lock:
        return json_response(200, _session_json(fake, session_id.strip().lower()))


def _scenario_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validated scenario fields from JSON (``risk_flags`` as a list)."""
    try:
        Scenario.from_json(data)
    except (TypeError, ValueError) as error:
        raise ControlError(str(error)) from None
    return data


def _arm_fault(fake: FakeVerisoul, data: dict[str, Any]) -> FakeResponse:
    kind = data.get("kind", "status")
    times = data.get("times", 1)
    route = data.get("route")
    body = data.get("body")
    raw = body.encode() if isinstance(body, str) else None
    try:
        if kind == "status":
            fake.fail_next(
                int(data["status"]),
                times=times,
                retry_after=data.get("retry_after"),
                body=raw,
                route=route,
            )
        elif kind == "delay":
            fake.delay_next(float(data["seconds"]), times=times, route=route)
        elif kind == "drop":
            after = bool(data.get("after_processing", False))
            fake.drop_next(times=times, route=route, after_processing=after)
        elif kind == "malformed":
            fake.malform_next(times=times, route=route, body=raw)
        else:
            raise ControlError("kind must be status, delay, drop or malformed")
    except KeyError as error:
        raise ControlError(f"a {kind} fault needs {error.args[0]!r}") from None
    except (TypeError, ValueError) as error:
        raise ControlError(str(error)) from None
    return json_response(200, {"pending": fake.pending_faults()})


def _page(fake: FakeVerisoul, query: dict[str, str], base_url: str) -> FakeResponse:
    session_id = query.get("session_id", "").strip().lower()
    redirect_url = query.get("redirect_url") or None
    if redirect_url is not None and not is_safe_redirect(redirect_url):
        raise ControlError("redirect_url must be an absolute http(s) URL")
    with fake._state.lock:
        if not session_id:
            if redirect_url is None:
                return render_index(base_url, fake._state.liveness.sessions.values())
            return redirect_back(redirect_url, None, "session_id_not_found")
        record = fake._state.liveness.sessions.get(session_id)
        if record is None or record.stage == "finished":
            return redirect_back(redirect_url, session_id, "invalid_session_id")
        record.stage = "started"
        accounts = list(fake._state.liveness.enrolled)
        return page_response(record, redirect_url, fake._state.scenario, accounts)


def _submit(fake: FakeVerisoul, body: bytes) -> FakeResponse:
    fields = parse_form(body)
    session_id = (fields.get("session_id") or [""])[0].strip().lower()
    redirect_url = (fields.get("redirect_url") or [""])[0] or None
    if redirect_url is not None and not is_safe_redirect(redirect_url):
        raise ControlError("redirect_url must be an absolute http(s) URL")
    try:
        scenario, face = scenario_from_form(fields, fake.scenario)
    except (TypeError, ValueError) as error:
        raise ControlError(str(error)) from None
    try:
        fake.complete_session(session_id, face=face, scenario=scenario)
    except KeyError:
        return redirect_back(redirect_url, session_id or None, "invalid_session_id")
    except ValueError as error:
        raise ControlError(str(error)) from None
    error_message = None if scenario.outcome == "success" else scenario.outcome
    return redirect_back(redirect_url, session_id, error_message)


def _route(
    fake: FakeVerisoul, method: str, path: str, query: dict[str, str], body: bytes, host: str
) -> FakeResponse:
    if path == "/":
        if method != "GET":
            raise ControlError("the hosted page answers GET", 405, "method_not_allowed")
        return _page(fake, query, f"http://{host}" if host else "")
    parts = [unquote(part) for part in path.strip("/").split("/")[1:]]
    key = (method, "/".join(part if index != 1 else "*" for index, part in enumerate(parts)))
    if (method, parts) == ("POST", ["hosted"]):
        return _submit(fake, body)
    if key == ("GET", ""):
        routes = [f"{m} {p}" for m, p in CONTROL_ROUTES]
        return json_response(200, {"routes": routes, "hosted_page": "GET /?session_id=..."})
    if key == ("GET", "sessions"):
        with fake._state.lock:
            ids = list(fake._state.liveness.sessions)
            return json_response(200, {"sessions": [_session_json(fake, sid) for sid in ids]})
    if key == ("POST", "sessions/*/complete"):
        return _complete(fake, parts[1], _json_body(body))
    if parts == ["scenario"]:
        if method == "PUT":
            try:
                fake.set_scenario(Scenario.from_json(_json_body(body)))
            except (TypeError, ValueError) as error:
                raise ControlError(str(error)) from None
        elif method == "DELETE":
            fake.set_scenario()
        elif method != "GET":
            raise ControlError("use GET, PUT or DELETE", 405, "method_not_allowed")
        return json_response(200, fake.scenario.to_json())
    if parts == ["faults"]:
        if method == "POST":
            return _arm_fault(fake, _json_body(body))
        if method == "DELETE":
            fake.clear_faults()
        elif method != "GET":
            raise ControlError("use GET, POST or DELETE", 405, "method_not_allowed")
        return json_response(200, {"pending": fake.pending_faults()})
    if parts == ["requests"]:
        if method == "DELETE":
            fake.clear_requests()
            return json_response(200, {"requests": []})
        if method != "GET":
            raise ControlError("use GET or DELETE", 405, "method_not_allowed")
        entries = fake.requests
        limit = query.get("limit")
        if limit is not None:
            if not limit.isdigit():
                raise ControlError("limit must be a whole number")
            entries = entries[len(entries) - int(limit) :] if int(limit) else ()
        return json_response(200, {"requests": [_logged_json(entry) for entry in entries]})
    if key == ("POST", "reset"):
        fake.reset()
        return json_response(200, {"reset": True})
    raise ControlError(f"no control route {method} {path}", 404, "not_found")


def handle_control(
    fake: FakeVerisoul,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes,
) -> FakeResponse:
    """Answer one request to the page or the control API."""
    try:
        return _route(fake, method, path, _query(query), body, headers.get("host", ""))
    except ControlError as error:
        payload = {"error": error.code, "message": str(error)}
        return json_response(error.status, payload)
