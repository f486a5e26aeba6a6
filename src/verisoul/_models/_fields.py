"""Read a frozen attrs model from decoded JSON, field by field, from its annotations.

Response models mirror the JSON: every attribute name is the JSON key. The annotation says
how the value is read, so the model is the single place that describes a response:

=========================  ==================================================================
annotation                 JSON value accepted
=========================  ==================================================================
``str`` / ``bool``         that exact JSON type
``int``                    an integer (or an integral number such as ``16.0``)
``float``                  a number (``1`` becomes ``1.0``)
``X | None``               as ``X``; missing or ``null`` gives ``None``
``tuple[X, ...]``          a JSON array of ``X``; missing or ``null`` gives ``()``
``Mapping[str, Any]``      any JSON object, kept as decoded (free-form ``metadata``)
an attrs class             a JSON object read with that class's own plan, recursively
=========================  ==================================================================

A JSON key that is not a Python name (``1_day``) is read by an attribute declared with
:func:`json_key`.

**Essential fields.** An attribute annotated without ``| None`` (and not a tuple) is
*essential*: the caller cannot do without it (a verdict, the session it is about). If it is
missing, null or of the wrong type, the parse fails with :class:`ResponseShapeError`
naming the path (``body.metadata.session_id: required field is missing``), which the
client raises as :class:`verisoul.APIResponseValidationError`. ``docs/errors.md`` lists
them per response.

**Every other field is read on its own.** One odd value never costs the rest of the
answer: a value of an unexpected type becomes a sane coercion when there is one (a number
where a string is expected becomes its text; an integral float an int) and ``None``
otherwise (``()`` for an array; an array keeps its readable items). Each such field is
logged once per process, as a WARNING of the ``verisoul`` logger naming the path and the
types, never the value.

Keys the model does not name are ignored (Verisoul adds fields over time); enum-like values
stay plain strings so new values parse. A JSON boolean is never a number.

The plan for each class is built once, on first use, and cached. It is read by a plain
loop: ``bench/parse_cost.py`` measured it against parsers generated with ``exec`` from the
same plan (the previous design): exec saved 3 to 7 us per response (verify-face 30 us
against 26 us of CPU, next to 15 us for ``json.loads``), too little to keep generated code.
"""

from __future__ import annotations

import logging
import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs

from .._shape import ResponseShapeError

__all__ = ["ModelParser", "essential_fields", "json_key", "model_parser", "reset_warnings"]

T = TypeVar("T")

#: ``(value, parent_path, step) -> parsed value``; ``step`` is ``".key"`` or ``"[index]"``, and
#: the value's path (``parent_path + step``) is only built on error or descent.
_Convert = Callable[[Any, str, str], Any]
#: ``(data, path) -> model``
ModelParser = Callable[[object, str], T]

_JSON_KEY: Final = "verisoul.json_key"
logger = logging.getLogger("verisoul")

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


def _required_field(data: dict[str, Any], path: str, key: str) -> ResponseShapeError:
    why = "is null" if key in data else "is missing"
    return ResponseShapeError(f"{path}.{key}: required field {why}")


# --- warnings, once per field ----------------------------------------------------------------

_warned: set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(field: str, problem: ResponseShapeError, outcome: str) -> None:
    """Log one WARNING per ``Model.field`` per process (never the value itself)."""
    with _warned_lock:
        if field in _warned:
            return
        _warned.add(field)
    logger.warning(
        "Verisoul sent an unexpected value (%s); %s. Further ones for %s are not logged.",
        problem,
        outcome,
        field,
    )


def reset_warnings() -> None:
    """Forget which fields were logged (for tests)."""
    with _warned_lock:
        _warned.clear()


# --- strict converters: the value has the documented type, or ResponseShapeError -------------


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


def _json_object(value: Any, parent: str, step: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    raise _wrong_type(f"{parent}{step}", "an object", value)


def _array_of(item: _Convert, field: str | None) -> _Convert:
    """A JSON array of ``item``; with ``field`` set, an unreadable item is dropped and logged."""

    def convert(value: Any, parent: str, step: str) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _wrong_type(f"{parent}{step}", "an array", value)
        path = f"{parent}{step}"
        if field is None:
            return tuple(
                [item(element, path, f"[{index}]") for index, element in enumerate(value)]
            )
        kept = []
        for index, element in enumerate(value):
            try:
                kept.append(item(element, path, f"[{index}]"))
            except ResponseShapeError as exc:
                _warn_once(field, exc, "the item was left out")
        return tuple(kept)

    return convert


def _unwrap_optional(annotation: object) -> tuple[object, bool]:
    """``X | None`` -> ``(X, True)``; anything else -> ``(annotation, False)``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0], True
    return annotation, False


def _converter(annotation: object, owner: type, field: str | None) -> _Convert:
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
            return _array_of(_converter(item, owner, None), field)
    raise TypeError(f"{owner.__qualname__}: no JSON parser for annotation {annotation!r}")


# --- lenient reading of the fields a caller can do without ----------------------------------

_NO_COERCION: Final = object()


def _coercion(annotation: object) -> Callable[[Any], Any]:
    """The sane reading of a value of the wrong type, or ``_NO_COERCION``."""
    if annotation is str:
        # A number where text is expected (a zip code, a version): its JSON text.
        return lambda value: str(value) if type(value) in (int, float) else _NO_COERCION
    return lambda _value: _NO_COERCION


#: ``(value, problem) -> what a non-essential field reads as`` after its converter failed.
_Recover = Callable[[Any, ResponseShapeError], Any]


def _recovery(annotation: object, missing: object, field: str) -> _Recover:
    """A coercion, or ``missing``, for a value of the wrong type (logged once per field)."""
    coerce = _coercion(annotation)
    fallback = "it reads as ()" if missing == () else "it reads as None"

    def recover(value: Any, problem: ResponseShapeError) -> Any:
        coerced = coerce(value)
        if coerced is _NO_COERCION:
            _warn_once(field, problem, fallback)
            return missing
        _warn_once(field, problem, f"it reads as {_json_type(coerced)} {coerced!r}")
        return coerced

    return recover


def _essential(_value: Any, problem: ResponseShapeError) -> Any:
    raise problem


#: ``(key, name, ".key", shortcut_type, converter, recover, value_when_missing, essential)``
#: per attribute.
_Step = tuple[str, str, str, type, _Convert, _Recover, object, bool]


class _NoShortcut:
    """The shortcut type of fields that always need their converter (no value has this type)."""


def _plan(cls: type) -> tuple[_Step, ...]:
    """How to read each attribute of ``cls``.

    A value whose type is exactly ``shortcut_type`` is taken as is, saving a call per field.
    """
    hints = typing.get_type_hints(cls)
    plan: list[_Step] = []
    for field in attrs.fields(cls):
        annotation, optional = _unwrap_optional(hints[field.name])
        is_array = typing.get_origin(annotation) is tuple
        essential = not optional and not is_array
        label = f"{cls.__qualname__}.{field.name}"
        convert = _converter(annotation, cls, None if essential else label)
        missing: object = () if is_array else None
        recover = _essential if essential else _recovery(annotation, missing, label)
        shortcut = (
            annotation if isinstance(annotation, type) and annotation in _SCALARS else _NoShortcut
        )
        key = field.metadata.get(_JSON_KEY, field.name)
        plan.append((key, field.name, f".{key}", shortcut, convert, recover, missing, essential))
    return tuple(plan)


def essential_fields(cls: type) -> tuple[str, ...]:
    """The JSON keys of ``cls`` a response cannot do without (see the module docstring)."""
    return tuple(step[0] for step in _plan(cls) if step[-1])


def json_key(key: str) -> Any:
    """An optional attribute (default ``None``) read from the JSON key ``key``.

    For keys that are not Python names, such as ``1_day``: ``one_day: int | None =
    json_key("1_day")``.
    """
    return attrs.field(default=None, metadata={_JSON_KEY: key})


_PARSERS: dict[type, Callable[[object, str], Any]] = {}


def model_parser(cls: type[T]) -> ModelParser[T]:
    """The parser for an attrs model whose attribute names are the JSON keys.

    The plan is built on the first call for ``cls`` and cached, so later calls cost one
    dict lookup.

    Args:
        cls: A frozen attrs class annotated as described in this module's docstring.

    Returns:
        ``parse(data, path)``: checks ``data`` is a JSON object and builds ``cls``; raises
        :class:`ResponseShapeError` naming ``path.key`` when an essential field is
        missing, null or of the wrong type.

    Raises:
        TypeError: An annotation has no JSON parser (a programming error; the tests parse
            every model, so it is met in CI).
    """
    cached = _PARSERS.get(cls)
    if cached is not None:
        return cached
    plan = _plan(cls)

    def parse(data: object, path: str) -> T:
        if type(data) is not dict:
            raise _wrong_type(path, "an object", data)
        get = data.get
        values = {}
        for key, name, step, shortcut, convert, recover, missing, essential in plan:
            value = get(key)
            if type(value) is not shortcut:
                if value is not None:
                    try:
                        value = convert(value, path, step)
                    except ResponseShapeError as problem:
                        value = recover(value, problem)
                elif essential:
                    raise _required_field(data, path, key)
                else:
                    value = missing
            values[name] = value
        return cls(**values)

    parse.__qualname__ = f"parse_{cls.__qualname__}"
    _PARSERS[cls] = parse
    return parse
