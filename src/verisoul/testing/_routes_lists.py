"""List endpoints: ``/list``, ``/list/{list_name}`` and ``/list/{list_name}/account/{id}``.

Names arrive percent-decoded, so ``vip/2024?x`` sent as one encoded segment is one list.
Every project starts with the special lists ``allow``, ``block`` and ``main_account``.
Messages follow the spec's examples, trailing full stops included ("List not found." on
delete, "List not found" on get).
"""

from __future__ import annotations

from ._http import FakeRequest, FakeResponse, json_response
from ._platform_requests import bad_request
from ._platform_state import ListRecord
from ._routing import Route
from ._state import FakeState

__all__ = ["ROUTES"]


def _done(request: FakeRequest, message: str) -> FakeResponse:
    body = {"request_id": request.request_id, "message": message, "success": True}
    return json_response(200, body)


def _list(request: FakeRequest, state: FakeState, missing: str) -> ListRecord | FakeResponse:
    record = state.platform.lists.get(request.params["list_name"])
    return record if record is not None else bad_request(missing)


def list_lists(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /list``: every list's name and description."""
    lists = [
        {"name": record.name, "description": record.description}
        for record in state.platform.lists.values()
    ]
    return json_response(200, {"request_id": request.request_id, "lists": lists})


def get_list(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /list/{list_name}``: the description and the member account ids."""
    record = _list(request, state, "List not found")
    if isinstance(record, FakeResponse):
        return record
    body = {
        "request_id": request.request_id,
        "description": record.description,
        "accounts": list(record.account_ids),
    }
    return json_response(200, body)


def create_list(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /list/{list_name}`` with ``{"list_description": ...}``."""
    name = request.params["list_name"]
    body = request.json_object()
    if body is None:
        return bad_request("body must be a JSON object")
    description = body.get("list_description", "")
    if not isinstance(description, str):
        return bad_request("list_description must be a string")
    lists = state.platform.lists
    if name in lists:
        return bad_request("List already exists.")
    lists[name] = ListRecord(name, description)
    return _done(request, f"List {name} created")


def delete_list(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``DELETE /list/{list_name}``."""
    record = _list(request, state, "List not found.")
    if isinstance(record, FakeResponse):
        return record
    del state.platform.lists[record.name]
    return _done(request, f"List {record.name} deleted")


def _change_membership(request: FakeRequest, state: FakeState, *, add: bool) -> FakeResponse:
    record = _list(request, state, "List not found.")
    if isinstance(record, FakeResponse):
        return record
    account_id = request.params["account_id"]
    known = state.platform.accounts if add else record.account_ids
    if account_id not in known:
        return bad_request("Account not found.")
    if add:
        state.platform.add_to_list(record.name, account_id)
        return _done(request, f"Account added to {record.name}")
    record.account_ids.remove(account_id)
    return _done(request, f"Account removed from {record.name}")


def add_account(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /list/{list_name}/account/{account_id}`` (adding a member again is a no-op)."""
    return _change_membership(request, state, add=True)


def remove_account(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``DELETE /list/{list_name}/account/{account_id}``: only a member can be removed."""
    return _change_membership(request, state, add=False)


ROUTES: tuple[Route, ...] = (
    Route("GET", "/list", list_lists),
    Route("GET", "/list/{list_name}", get_list),
    Route("POST", "/list/{list_name}", create_list),
    Route("DELETE", "/list/{list_name}", delete_list),
    Route("POST", "/list/{list_name}/account/{account_id}", add_account),
    Route("DELETE", "/list/{list_name}/account/{account_id}", remove_account),
)
