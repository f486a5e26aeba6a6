"""Build a fast, strict-but-tolerant parser for a frozen attrs model from its annotations.

Response models mirror the JSON: every attribute name is the JSON key. The annotation says
how the value is checked, so the model is the single place that describes a response:

=========================  ==================================================================
annotation                 JSON value accepted
=========================  ==================================================================
``str`` / ``bool``         that exact JSON type; required
``int``                    an integer (or an integral number such as ``16.0``); required
``float``                  a number (``1`` becomes ``1.0``); required
``X | None``               as ``X``; missing or ``null`` gives ``None``
``tuple[X, ...]``          a JSON array of ``X``; missing or ``null`` gives ``()``
``Mapping[str, Any]``      any JSON object, kept as decoded (free-form ``metadata``)
an attrs class             a JSON object parsed with that class's own plan, recursively
=========================  ==================================================================

A JSON key that is not a Python name (``1_day``) is read by an attribute declared with
:func:`json_key`.

Keys the model does not name are ignored (Verisoul adds fields over time); enum-like values
stay plain strings so new values parse. A JSON boolean is never a number. Any mismatch raises
:class:`ResponseShapeError` naming the path, for example
``body.session_data.device.cpu_cores: expected an integer, got string``.

The parser for each class is generated once, on first use, and cached: one dict lookup and
one cheap type check per field, unrolled (no loop, no attrs validators, which measured
slower). Generating on first use rather than at import keeps ``import verisoul`` light.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs

from .._shape import ResponseShapeError

__all__ = ["ModelParser", "json_key", "model_parser"]

T = TypeVar("T")

#: ``(value, parent_path, step) -> parsed value``; ``step`` is ``".key"`` or ``"[index]"``, and
#: the value's path (``parent_path + step``) is only built on error or descent.
_Convert = Callable[[Any, str, str], Any]
#: ``(data, path) -> model``
ModelParser = Callable[[object, str], T]

_REQUIRED: Final = object()
_JSON_KEY: Final = "verisoul.json_key"

_JSON_TYPE_NAMES: Final = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def _json_type(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _wrong_type(path: str, expected: str, value: object) -> ResponseShapeError:
    return ResponseShapeError(f"{path}: expected {expected}, got {_json_type(value)}")


def _exact(kind: type, expected: str) -> _Convert:
    """A converter accepting exactly one JSON scalar type (so ``bool`` is never an ``int``)."""

    def convert(value: Any, parent: str, step: str) -> Any:
        if type(value) is kind:
            return value
        raise _wrong_type(f"{parent}{step}", expected, value)

    return convert


def _number(value: Any, parent: str, step: str) -> float:
    kind = type(value)
    if kind is float:
        return value  # type: ignore[no-any-return]
    if kind is int:  # JSON has one number type: a 0-1 score may arrive as ``1``
        return float(value)
    raise _wrong_type(f"{parent}{step}", "a number", value)


def _integer(value: Any, parent: str, step: str) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():  # ``16.0`` from a float-only encoder
        return int(value)
    raise _wrong_type(f"{parent}{step}", "an integer", value)


_SCALARS: Final[dict[object, _Convert]] = {
    str: _exact(str, "a string"),
    bool: _exact(bool, "a boolean"),
    int: _integer,
    float: _number,
}


def _array_of(item: _Convert) -> _Convert:
    def convert(value: Any, parent: str, step: str) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _wrong_type(f"{parent}{step}", "an array", value)
        path = f"{parent}{step}"
        return tuple([item(element, path, f"[{index}]") for index, element in enumerate(value)])

    return convert


def _json_object(value: Any, parent: str, step: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    raise _wrong_type(f"{parent}{step}", "an object", value)


def _array_of_str(value: Any, parent: str, step: str) -> tuple[str, ...]:
    """Arrays of strings are the common case (risk flags, URLs): check them without a call each."""
    if type(value) is not list:
        raise _wrong_type(f"{parent}{step}", "an array", value)
    for index, element in enumerate(value):
        if type(element) is not str:
            raise _wrong_type(f"{parent}{step}[{index}]", "a string", element)
    return tuple(value)


def _unwrap_optional(annotation: object) -> tuple[object, bool]:
    """``X | None`` -> ``(X, True)``; anything else -> ``(annotation, False)``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0], True
    return annotation, False


def _converter(annotation: object, owner: type) -> _Convert:
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if isinstance(annotation, type) and attrs.has(annotation):
        nested = model_parser(annotation)
        return lambda value, parent, step: nested(value, f"{parent}{step}")
    if typing.get_origin(annotation) is Mapping:
        return _json_object
    if typing.get_origin(annotation) is tuple:
        item, ellipsis = typing.get_args(annotation)
        if ellipsis is Ellipsis:
            return _array_of_str if item is str else _array_of(_converter(item, owner))
    raise TypeError(f"{owner.__qualname__}: no JSON parser for annotation {annotation!r}")


class _NoShortcut:
    """The shortcut type of fields that always need their converter (no value has this type)."""


def _plan(cls: type) -> tuple[tuple[str, str, type, _Convert, object], ...]:
    """``(key, ".key", shortcut_type, converter, value_when_missing)`` per attribute of ``cls``.

    A value whose type is exactly ``shortcut_type`` is taken as is, saving a call per field.
    """
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, str, type, _Convert, object]] = []
    for field in attrs.fields(cls):
        annotation, optional = _unwrap_optional(hints[field.name])
        convert = _converter(annotation, cls)
        if typing.get_origin(annotation) is tuple:
            missing: object = ()
        elif optional:
            missing = None
        else:
            missing = _REQUIRED
        shortcut = (
            annotation if isinstance(annotation, type) and annotation in _SCALARS else _NoShortcut
        )
        key = field.metadata.get(_JSON_KEY, field.name)
        plan.append((key, f".{key}", shortcut, convert, missing))
    return tuple(plan)


_PARSERS: dict[type, Callable[[object, str], Any]] = {}


def _required_field(data: dict[str, Any], path: str, key: str) -> ResponseShapeError:
    why = "is null" if key in data else "is missing"
    return ResponseShapeError(f"{path}.{key}: required field {why}")


def _parser_source(cls: type, plan: tuple[tuple[str, str, type, _Convert, object], ...]) -> str:
    """Python source of ``parse(data, path)`` for ``cls``: the plan unrolled, field by field.

    Unrolling (instead of looping over the plan) saves about a third of the parse time:
    no per-field tuple unpacking, no kwargs dict. Names in the source are only indexes
    into the namespace built by :func:`model_parser`; JSON keys appear as ``repr`` literals.
    """
    lines = [
        "def parse(data, path):",
        "    if type(data) is not dict:",
        "        raise wrong_type(path, 'an object', data)",
        "    get = data.get",
    ]
    for index, (key, step, _shortcut, _convert, missing) in enumerate(plan):
        value = f"v{index}"
        lines += [
            f"    {value} = get({key!r})",
            f"    if type({value}) is not shortcut{index}:",
            f"        if {value} is not None:",
            f"            {value} = convert{index}({value}, path, {step!r})",
            "        else:",
            f"            raise required_field(data, path, {key!r})"
            if missing is _REQUIRED
            else f"            {value} = missing{index}",
        ]
    arguments = ", ".join(
        f"{field.name}=v{index}" for index, field in enumerate(attrs.fields(cls))
    )
    lines.append(f"    return cls({arguments})")
    return "\n".join(lines) + "\n"


def json_key(key: str) -> Any:
    """An optional attribute (default ``None``) read from the JSON key ``key``.

    For keys that are not Python names, such as ``1_day``: ``one_day: int | None =
    json_key("1_day")``.
    """
    return attrs.field(default=None, metadata={_JSON_KEY: key})


def model_parser(cls: type[T]) -> ModelParser[T]:
    """The parser for an attrs model whose attribute names are the JSON keys.

    The parser is generated on the first call for ``cls`` (like attrs generates
    ``__init__``) and cached, so later calls cost one dict lookup.

    Args:
        cls: A frozen attrs class annotated as described in this module's docstring.

    Returns:
        ``parse(data, path)``: checks ``data`` is a JSON object and builds ``cls``; raises
        :class:`ResponseShapeError` naming ``path.key`` on a missing required field or a
        value of the wrong type.

    Raises:
        TypeError: An annotation has no JSON parser (a programming error; the tests parse
            every model, so it is met in CI).
    """
    cached = _PARSERS.get(cls)
    if cached is not None:
        return cached
    plan = _plan(cls)
    namespace: dict[str, Any] = {
        "cls": cls,
        "dict": dict,
        "wrong_type": _wrong_type,
        "required_field": _required_field,
    }
    for index, (_key, _step, shortcut, convert, missing) in enumerate(plan):
        namespace[f"shortcut{index}"] = shortcut
        namespace[f"convert{index}"] = convert
        namespace[f"missing{index}"] = missing
    filename = f"<verisoul parser for {cls.__module__}.{cls.__qualname__}>"
    exec(compile(_parser_source(cls, plan), filename, "exec"), namespace)  # noqa: S102
    parse: ModelParser[T] = namespace["parse"]
    _PARSERS[cls] = parse
    return parse
