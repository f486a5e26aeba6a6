"""The stand-in for Verisoul's hosted Face Match / ID Check page: plain server-rendered HTML.

``GET /?session_id=...&redirect_url=...`` shows a form where the developer picks how the
session ends (a documented outcome, a repeat face, a decision, risk flags, ID document
signals). Submitting it (``POST /_fake/hosted``) finishes the session and answers 303 to
``redirect_url`` with the query Verisoul's page adds: ``session_id``, ``success`` and, on a
failure, ``error_message``. A session the fake never issued (or one already finished) is
sent back at once with ``invalid_session_id``; no ``session_id`` with ``session_id_not_found``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._http import FakeResponse
from ._scenario import (
    DECISIONS,
    DOCUMENT_SIGNAL_VALUES,
    FACE_MATCH_OUTCOMES,
    ID_CHECK_OUTCOMES,
    RISK_FLAGS,
    Scenario,
)
from ._state import LivenessSessionRecord

__all__ = ["DEFAULT_REDIRECT", "page_response", "parse_form", "redirect_back", "render_index"]

#: Where Verisoul's page sends the user when no ``redirect_url`` is given.
DEFAULT_REDIRECT = "https://verisoul.ai"

HTML_CONTENT_TYPE = "text/html; charset=utf-8"

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"
    "fieldset{margin:1rem 0}label{display:block;margin:.2rem 0}"
    ".flags{columns:2}button{font-size:1.1rem;padding:.4rem 1.2rem}"
    "code{background:#eee;padding:0 .2rem}"
)


_DEFAULT_LABEL = {"": "(passing default)"}
_COMPUTED_LABEL = {"": "(computed)"}


def redirect_back(
    redirect_url: str | None, session_id: str | None, error_message: str | None
) -> FakeResponse:
    """303 to ``redirect_url`` with Verisoul's ``session_id``/``success``/``error_message``."""
    target = redirect_url or DEFAULT_REDIRECT
    params = {
        "session_id": session_id or "",
        "success": "true" if error_message is None else "false",
    }
    if error_message is not None:
        params["error_message"] = error_message
    parts = urlsplit(target)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return FakeResponse(303, (("location", location), ("cache-control", "no-store")))


def is_safe_redirect(url: str) -> bool:
    """An absolute http(s) URL without whitespace (what ``hosted_url`` accepts)."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(char.isspace() or ord(char) < 0x20 for char in url)
    )


def html_response(status: int, body: str) -> FakeResponse:
    """A UTF-8 HTML page."""
    headers = (("content-type", HTML_CONTENT_TYPE), ("cache-control", "no-store"))
    return FakeResponse(status, headers, body.encode())


def _options(values: Iterable[str], selected: str | None, labels: Mapping[str, str] = {}) -> str:
    return "".join(
        f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
        f"{html.escape(labels.get(value, value))}</option>"
        for value in values
    )


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def page_response(
    record: LivenessSessionRecord,
    redirect_url: str | None,
    scenario: Scenario,
    enrolled_accounts: Iterable[str],
) -> FakeResponse:
    """The form for one session, its defaults taken from ``scenario``."""
    id_check = record.product == "id_check"
    product = "ID Check" if id_check else "Face Match"
    outcomes = ID_CHECK_OUTCOMES if id_check else FACE_MATCH_OUTCOMES
    esc = html.escape
    faces = ["new"] + [f"account:{account}" for account in enrolled_accounts]
    face_labels = {"new": "a new face (seen nowhere else)"}
    face_labels.update(
        {
            f"account:{a}": f"the face enrolled to account {a} (repeat face)"
            for a in enrolled_accounts
        }
    )
    chosen_face = f"account:{scenario.same_face_as}" if scenario.same_face_as else "new"
    chosen_flags = set(scenario.risk_flags or ())
    flags = "".join(
        f'<label><input type=checkbox name=risk_flags value="{flag}"'
        f"{' checked' if flag in chosen_flags else ''}> {flag}</label>"
        for flag in RISK_FLAGS
    )
    signals = ""
    if id_check:
        rows = "".join(
            f'<label>{name} <select name="signal_{name}" id="signal_{name}">'
            f"{_options(['', *values], scenario.document_signals.get(name, ''), _DEFAULT_LABEL)}"
            "</select></label>"
            for name, values in DOCUMENT_SIGNAL_VALUES.items()
        )
        signals = f"<fieldset><legend>ID document signals</legend>{rows}</fieldset>"
    score = "" if scenario.risk_score is None else str(scenario.risk_score)
    body = (
        f"<h1>Verisoul {product} (local fake)</h1>"
        "<p>This page stands in for Verisoul's hosted page: no camera, no ID. Pick how the "
        "session ends and press <b>Finish</b>; you are sent back to the app with the same "
        "query parameters Verisoul adds.</p>"
        f"<p>Session <code id=session-id>{esc(record.session_id)}</code><br>"
        f"Back to <code id=redirect-url>{esc(redirect_url or DEFAULT_REDIRECT)}</code></p>"
        '<form method=post action="/_fake/hosted">'
        f'<input type=hidden name=session_id value="{esc(record.session_id)}">'
        f'<input type=hidden name=redirect_url value="{esc(redirect_url or "")}">'
        "<fieldset><legend>Outcome</legend>"
        f"<label>Result <select name=outcome id=outcome>{_options(outcomes, scenario.outcome)}"
        "</select></label>"
        f"<label>Face <select name=face id=face>{_options(faces, chosen_face, face_labels)}"
        "</select></label></fieldset>"
        "<fieldset><legend>Verdict reported by verify (when it passed)</legend>"
        f"<label>Decision <select name=decision id=decision>"
        f"{_options(['', *DECISIONS], scenario.decision or '', _COMPUTED_LABEL)}</select></label>"
        f'<label>Risk score <input name=risk_score id=risk_score value="{score}" '
        'placeholder="computed" size=6></label>'
        f"<details><summary>Risk flags (replace the computed ones when any is ticked)</summary>"
        f"<div class=flags>{flags}</div></details></fieldset>"
        f"{signals}"
        "<button type=submit id=finish>Finish</button></form>"
    )
    return html_response(200, _page(f"Verisoul {product} (fake)", body))


def render_index(base_url: str, sessions: Iterable[LivenessSessionRecord]) -> FakeResponse:
    """``GET /`` without a session: what this server is and its open sessions."""
    esc = html.escape
    rows = "".join(
        f'<li><a href="/?session_id={esc(record.session_id)}">{esc(record.session_id)}</a> '
        f"({record.product}, {record.stage})</li>"
        for record in sessions
        if record.stage != "finished"
    )
    body = (
        "<h1>Fake Verisoul</h1>"
        f"<p>API and stand-in hosted pages at <code>{esc(base_url)}</code>. Control API: "
        "<code>/_fake/</code> (see the testing guide).</p>"
        f"<h2>Sessions waiting for the hosted page</h2><ul>{rows or '<li>none</li>'}</ul>"
    )
    return html_response(200, _page("Fake Verisoul", body))


def parse_form(body: bytes) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body: name -> values."""
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields


def scenario_from_form(
    fields: Mapping[str, list[str]], base: Scenario
) -> tuple[Scenario, str | None]:
    """The scenario the form asks for, and the face label (None: a new face).

    Raises:
        ValueError, TypeError: A value out of range.
    """

    def first(name: str) -> str:
        return (fields.get(name) or [""])[0].strip()

    face = first("face")
    same_face_as = face.removeprefix("account:") if face.startswith("account:") else None
    flags = fields.get("risk_flags")
    score = first("risk_score")
    signals = {
        name: first(f"signal_{name}") for name in DOCUMENT_SIGNAL_VALUES if first(f"signal_{name}")
    }
    scenario = Scenario(
        outcome=first("outcome") or base.outcome,
        decision=first("decision") or None,
        risk_flags=tuple(flags) if flags else None,
        risk_score=float(score) if score else None,
        document_signals=signals,
        same_face_as=same_face_as,
    )
    label = None if face in ("", "new") or same_face_as is not None else face
    return scenario, label
