"""Models for the Phone endpoint (``POST /phone``)."""

from __future__ import annotations

import attrs

from .._serialize import Model
from ._fields import model_parser

__all__ = ["PhoneDetails", "PhoneVerification", "parse_phone_verification"]


@attrs.frozen(kw_only=True)
class PhoneDetails(Model):
    """What Verisoul found about a phone number.

    Attributes:
        valid: Whether the number is valid (in the docs' example, not in the schema).
        phone_number: The formatted number (E.164 in the example, ``"+1234567890"``).
        calling_country_code: The dialling prefix without ``+`` (``"1"``).
        country_code: ISO 3166-1 alpha-2 code.
        carrier_name: The carrier or service provider (``"Verizon Wireless"``).
        line_type: ``"mobile"``, ``"landline"``... (kept as a string).
    """

    valid: bool | None = None
    phone_number: str | None = None
    calling_country_code: str | None = None
    country_code: str | None = None
    carrier_name: str | None = None
    line_type: str | None = None


@attrs.frozen(kw_only=True)
class PhoneVerification(Model):
    """The body of ``POST /phone``.

    Attributes:
        project_id: The Verisoul project (UUID).
        request_id: Verisoul's id for this API request (quote it to support).
        phone: What was found about the number.
    """

    project_id: str | None = None
    request_id: str | None = None
    phone: PhoneDetails | None = None


_parse_phone_verification = model_parser(PhoneVerification)


def parse_phone_verification(data: object) -> PhoneVerification:
    """Parse the body of ``POST /phone``."""
    return _parse_phone_verification(data, "body")
