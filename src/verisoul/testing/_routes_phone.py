"""``POST /phone``: phone lookups with deterministic answers.

A number is valid when it has the E.164 shape (``+``, a non-zero digit, 7 to 14 more
digits) and starts with a calling code in :data:`CALLING_CODES`; anything else answers
400 "Invalid phone number". Carrier and line type derive from the digits, so one number
always gets the same answer; numbers ending in ``0``-``5`` are ``mobile``, ``6``-``7``
``landline``, ``8``-``9`` ``voip``.
"""

from __future__ import annotations

import re

from ._http import FakeRequest, FakeResponse, json_response
from ._platform_requests import bad_request
from ._routing import Route
from ._state import FakeState

__all__ = ["CALLING_CODES", "ROUTES", "phone_details"]

INVALID_PHONE = "Invalid phone number"

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")

#: Calling code -> ISO country the fake answers for it (a common subset).
CALLING_CODES: dict[str, str] = {
    "1": "US",
    "7": "RU",
    "20": "EG",
    "27": "ZA",
    "30": "GR",
    "31": "NL",
    "32": "BE",
    "33": "FR",
    "34": "ES",
    "39": "IT",
    "41": "CH",
    "44": "GB",
    "45": "DK",
    "46": "SE",
    "47": "NO",
    "48": "PL",
    "49": "DE",
    "52": "MX",
    "55": "BR",
    "61": "AU",
    "62": "ID",
    "63": "PH",
    "64": "NZ",
    "65": "SG",
    "81": "JP",
    "82": "KR",
    "84": "VN",
    "86": "CN",
    "90": "TR",
    "91": "IN",
    "234": "NG",
    "351": "PT",
    "353": "IE",
    "358": "FI",
    "971": "AE",
    "972": "IL",
}

_LINE_TYPES = ("mobile",) * 6 + ("landline",) * 2 + ("voip",) * 2
_CARRIERS = {
    "mobile": ("Verizon Wireless", "T-Mobile", "Vodafone"),
    "landline": ("AT&T", "BT Group"),
    "voip": ("Bandwidth.com", "Twilio"),
}


def phone_details(number: str) -> dict[str, object] | None:
    """The ``phone`` object for ``number``, or None when the fake deems it invalid."""
    if not _E164.fullmatch(number):
        return None
    digits = number[1:]
    code = next((digits[:n] for n in (3, 2, 1) if digits[:n] in CALLING_CODES), None)
    if code is None:
        return None
    line_type = _LINE_TYPES[int(digits[-1])]
    carriers = _CARRIERS[line_type]
    return {
        "valid": True,
        "phone_number": number,
        "calling_country_code": code,
        "country_code": CALLING_CODES[code],
        "carrier_name": carriers[sum(map(int, digits)) % len(carriers)],
        "line_type": line_type,
    }


def verify_phone(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /phone`` with ``{"phone_number": ...}``."""
    body = request.json_object()
    number = body.get("phone_number") if body is not None else None
    details = phone_details(number) if isinstance(number, str) else None
    if details is None:
        return bad_request(INVALID_PHONE)
    payload = {"project_id": state.project_id, "request_id": request.request_id, "phone": details}
    return json_response(200, payload)


ROUTES: tuple[Route, ...] = (Route("POST", "/phone", verify_phone),)
