"""Models for the List endpoints (``/list/...``)."""

from __future__ import annotations

import attrs

from .._serialize import Model
from ._fields import model_parser

__all__ = [
    "ListChange",
    "ListDetails",
    "ListSummary",
    "Lists",
    "parse_list_change",
    "parse_list_details",
    "parse_lists",
]


@attrs.frozen(kw_only=True)
class ListSummary(Model):
    """One list's name and description.

    The built-in lists ``allow`` (accounts marked Real), ``block`` (marked Fake) and
    ``main_account`` (multiple-accounts score set to 0) appear here too.

    Attributes:
        name: The list's name, as used in the list paths (``"us_users"``).
        description: What the list is for.
    """

    name: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Lists(Model):
    """The body of ``GET /list``: every list in the project.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        lists: The lists, built-in ones included.
    """

    request_id: str | None = None
    lists: tuple[ListSummary, ...] = ()


@attrs.frozen(kw_only=True)
class ListDetails(Model):
    """The body of ``GET /list/{list_name}``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        description: What the list is for.
        accounts: Ids of the accounts on the list.
    """

    request_id: str | None = None
    description: str | None = None
    accounts: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ListChange(Model):
    """The body of the list writes: create, delete, add account, remove account.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        message: Verisoul's human-readable outcome (``"List us_users created"``).
        success: Whether the change was applied.
    """

    request_id: str | None = None
    message: str | None = None
    success: bool | None = None


_parse_lists = model_parser(Lists)
_parse_list_details = model_parser(ListDetails)
_parse_list_change = model_parser(ListChange)


def parse_lists(data: object) -> Lists:
    """Parse the body of ``GET /list``."""
    return _parse_lists(data, "body")


def parse_list_details(data: object) -> ListDetails:
    """Parse the body of ``GET /list/{list_name}``."""
    return _parse_list_details(data, "body")


def parse_list_change(data: object) -> ListChange:
    """Parse the body of a list create / delete / add-account / remove-account call."""
    return _parse_list_change(data, "body")
