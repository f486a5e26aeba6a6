"""The route table: ``METHOD /path/{param}`` templates mapped to pure handlers.

Each endpoint group lives in its own ``_routes_*.py`` module exposing a ``ROUTES`` tuple;
:data:`verisoul.testing._app.ROUTE_GROUPS` lists those tuples, so adding an endpoint group
means writing one module and adding one line there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote

import attrs

if TYPE_CHECKING:
    from ._http import FakeRequest, FakeResponse
    from ._state import FakeState

__all__ = ["Handler", "Route", "RouteMatch", "Router"]

#: A route handler: pure apart from the state it mutates (the app holds the state lock).
Handler = Callable[["FakeRequest", "FakeState"], "FakeResponse"]

_PARAM = re.compile(r"\{([a-z_]+)\}")


def _compile(template: str) -> re.Pattern[str]:
    parts = _PARAM.split(template)
    # split() alternates literal text and parameter names.
    pattern = "".join(
        f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(pattern)


@attrs.frozen
class Route:
    """One endpoint of the fake.

    Attributes:
        method: Upper-case HTTP method.
        template: Path template, e.g. ``/account/{account_id}``.
        handler: Builds the response from the request and the fake's state.
        auth: Whether the ``x-api-key`` header is required (only the public redirect is not).
    """

    method: str
    template: str
    handler: Handler
    auth: bool = True
    _pattern: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_pattern", _compile(self.template))

    def match_path(self, raw_path: str) -> dict[str, str] | None:
        """The percent-decoded path parameters when ``raw_path`` fits the template."""
        found = self._pattern.fullmatch(raw_path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


@attrs.frozen
class RouteMatch:
    """The result of routing one request.

    Attributes:
        route: The route for the method and path, or None.
        params: Its decoded path parameters.
        path_known: True when some route has this path (under another method: 405).
        allowed: The methods routes have for this path (the 405's ``Allow`` header).
    """

    route: Route | None
    params: Mapping[str, str]
    path_known: bool
    allowed: tuple[str, ...] = ()


class Router:
    """Finds the route for a method and a raw path."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes = tuple(routes)
        seen = [(route.method, route.template) for route in self._routes]
        if len(seen) != len(set(seen)):
            raise ValueError("two routes share a method and a path template")

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route, in matching order."""
        return self._routes

    def resolve(self, method: str, raw_path: str) -> RouteMatch:
        """Match ``method`` and ``raw_path`` against the table (first match wins)."""
        allowed: list[str] = []
        for route in self._routes:
            params = route.match_path(raw_path)
            if params is None:
                continue
            if route.method == method:
                return RouteMatch(route, params, True)
            allowed.append(route.method)
        return RouteMatch(None, {}, bool(allowed), tuple(dict.fromkeys(allowed)))
