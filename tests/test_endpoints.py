"""The endpoint table is the one declaration of every operation, and everything agrees with it.

Adding an operation means one ``Endpoint`` entry, one typed method on the async client
(the sync twin is generated), one model parser and one fake route; each test below fails
when one of those is missing or disagrees (see CONTRIBUTING.md).
"""

from __future__ import annotations

import inspect
import json
import typing
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

import verisoul
from verisoul._async.liveness import AsyncLivenessAPI
from verisoul._async.platform import AsyncPlatformAPI
from verisoul._cli_commands import API_COMMANDS
from verisoul._endpoints import ENDPOINTS, Endpoint
from verisoul._sync.liveness import LivenessAPI
from verisoul._sync.platform import PlatformAPI
from verisoul.testing._app import ROUTE_GROUPS

from .conftest import TEST_KEY

OPENAPI = Path(__file__).parent / "openapi"
#: OpenAPI operations that are not API calls: the hosted page's redirect (see hosted_url).
NOT_API_CALLS = {("GET", "/public/liveness-redirect")}
#: Client methods that send nothing.
LOCAL_METHODS = {"hosted_url"}

SESSION = str(uuid.uuid4())
#: Arguments that make a valid request for each operation.
SAMPLE_ARGS: dict[str, tuple[Any, ...]] = {
    "create_liveness_session": (SESSION,),
    "create_id_check_session": (SESSION,),
    "verify_face": (SESSION,),
    "verify_id": (SESSION,),
    "enroll_account": (SESSION, "acct-1"),
    "verify_identity": (SESSION, "acct-1"),
    "authenticate_session": ("sess-1", {"id": "acct-1"}),
    "unauthenticated_session": ("sess-1",),
    "get_session": ("sess-1",),
    "get_account": ("acct-1",),
    "update_account": ({"id": "acct-1", "email": "a@example.com"},),
    "delete_account": ("acct-1",),
    "get_account_sessions": ("acct-1",),
    "get_linked_accounts": ("acct-1",),
    "list_lists": (),
    "get_list": ("vip",),
    "create_list": ("vip", "VIP users"),
    "delete_list": ("vip",),
    "add_account_to_list": ("vip", "acct-1"),
    "remove_account_from_list": ("vip", "acct-1"),
    "verify_phone": ("+14155550123",),
    "submit_email": ("a@example.com",),
    "submit_email_batch": (["a@example.com"],),
}


def _key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), path


def openapi_operations() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for spec in OPENAPI.glob("*.json"):
        for path, operations in json.loads(spec.read_text())["paths"].items():
            for method in operations:
                if method in {"get", "post", "put", "delete", "patch"}:
                    found.add(_key(method, path))
    return found


def fake_routes() -> set[tuple[str, str]]:
    return {(r.method, r.template) for group in ROUTE_GROUPS for r in group}


def sending_methods(*classes: type) -> set[str]:
    return {
        name
        for cls in classes
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_") and name not in LOCAL_METHODS
    }


def test_names_and_cli_commands_are_unique() -> None:
    assert len({e.name for e in ENDPOINTS}) == len(ENDPOINTS)
    assert len({e.cli for e in ENDPOINTS}) == len(ENDPOINTS)


def test_every_client_method_is_an_endpoint_and_back() -> None:
    declared = {e.name for e in ENDPOINTS}
    assert sending_methods(AsyncLivenessAPI, AsyncPlatformAPI) == declared
    assert sending_methods(LivenessAPI, PlatformAPI) == declared


def test_every_endpoint_is_a_documented_openapi_operation_and_back() -> None:
    declared = {_key(e.method, e.path) for e in ENDPOINTS}
    assert declared == openapi_operations() - NOT_API_CALLS


def test_every_endpoint_has_a_fake_route_and_back() -> None:
    routes = fake_routes()
    declared = {_key(e.method, e.path) for e in ENDPOINTS}
    assert declared <= routes
    api_routes = {r for r in routes if not r[1].startswith(("/_fake", "/public", "/hosted"))}
    assert api_routes <= declared


def test_every_endpoint_is_a_cli_command_and_back() -> None:
    assert {c.name for c in API_COMMANDS} == {e.cli for e in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_the_parser_returns_what_the_method_promises(endpoint: Endpoint[Any]) -> None:
    parsed_type = typing.get_type_hints(endpoint.parse_function)["return"]
    for cls in (verisoul.AsyncVerisoul, verisoul.Verisoul):
        # Resolvable at run time too (pydantic's validate_call, beartype, FastAPI...).
        assert typing.get_type_hints(getattr(cls, endpoint.name))["return"] is parsed_type
    assert getattr(verisoul.types, parsed_type.__name__) is parsed_type


def recording_client(sent: list[httpx.Request]) -> verisoul.Verisoul:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"message": "recorded"})

    pool = httpx.Client(transport=httpx.MockTransport(answer))
    return verisoul.Verisoul(api_key=TEST_KEY, http_client=pool, max_retries=0)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_method_sends_its_declared_operation(endpoint: Endpoint[Any]) -> None:
    """The sync twin, generated from the async source, calls what the table says."""
    sent: list[httpx.Request] = []
    with recording_client(sent) as client, pytest.raises(verisoul.BadRequestError):
        getattr(client, endpoint.name)(*SAMPLE_ARGS[endpoint.name])
    [request] = sent
    assert request.method == endpoint.method
    assert "%7B" not in str(request.url)  # no template placeholder sent as is
    template = next(
        r
        for group in ROUTE_GROUPS
        for r in group
        if (r.method, r.template) == (endpoint.method, endpoint.path)
    )
    assert template.match_path(request.url.raw_path.decode().split("?")[0]) is not None


@pytest.mark.anyio
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
async def test_each_async_method_sends_its_declared_operation(endpoint: Endpoint[Any]) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"message": "recorded"})

    pool = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    async with verisoul.AsyncVerisoul(api_key=TEST_KEY, http_client=pool, max_retries=0) as c:
        with pytest.raises(verisoul.BadRequestError):
            await getattr(c, endpoint.name)(*SAMPLE_ARGS[endpoint.name])
    await pool.aclose()
    [request] = sent
    assert (request.method, request.url.path.count("/")) == (
        endpoint.method,
        endpoint.path.count("/"),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_builder_must_fill_exactly_the_placeholders(endpoint: Endpoint[Any]) -> None:
    names = endpoint.path_params
    with pytest.raises(KeyError):
        endpoint.render_path({**dict.fromkeys(names, "x"), "unexpected": "x"})
    if names:
        with pytest.raises(KeyError):
            endpoint.render_path({})


def test_every_public_method_has_resolvable_annotations() -> None:
    for cls in (verisoul.AsyncVerisoul, verisoul.Verisoul):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                typing.get_type_hints(member)


def test_path_values_are_one_segment_each() -> None:
    from verisoul._endpoints import ADD_ACCOUNT_TO_LIST

    path = ADD_ACCOUNT_TO_LIST.render_path({"list_name": "vip/2024?x", "account_id": "a b"})
    assert path == "/list/vip%2F2024%3Fx/account/a%20b"


def test_the_docs_tables_are_generated_from_the_endpoint_table() -> None:
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "scripts" / "endpoint_tables.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
