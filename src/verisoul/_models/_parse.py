"""Declarative JSON-to-model parsing for the platform response models.

Each model is a frozen, keyword-only attrs class whose annotations say what the JSON
holds; :func:`parse_model` reads the annotations once per class (then caches a compiled
field table) and converts a decoded JSON object into the model. The rules give the
tolerance Verisoul's drifting docs call for (``verisoul-api.md`` section 13):

- Unknown keys are ignored; a key that is absent or ``null`` becomes ``None``.
- A field annotated without ``None`` is required: absent or ``null`` raises
  :class:`~verisoul._shape.ResponseShapeError`. The OpenAPI files mark almost no response
  field ``required``, so almost every field is optional.
- A value of the wrong JSON type raises :class:`ResponseShapeError` naming the field path
  (``body.account.email.domain_type``). Integers are accepted for floats, integral floats
  (``3.0``) for integers; booleans are never numbers.
- ``SomeEnum | str`` keeps an unknown value as the plain string.
- ``tuple[X, ...]`` reads a JSON array; ``Mapping[str, Any]`` a free-form JSON object;
  ``datetime`` an ISO 8601 string (``Z`` and nanosecond fractions accepted; ``""`` is None).

A JSON key that is not a Python name is mapped with :func:`json_field`.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs

from .._shape import ResponseShapeError, expect_object

__all__ = ["json_field", "parse_model"]

_M = TypeVar("_M")

_JSON_KEY = "verisoul.json_key"

# (value, where, key) -> converted value. ``where.key`` is the field's path, built only on error.
_Converter = Callable[[Any, str, str], Any]
# (json object, path) -> model
_ObjectParser = Callable[[Mapping[str, Any], str], Any]

_PARSERS: dict[type, _ObjectParser] = {}

_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def json_field(key: str) -> Any:
    """An optional model field read from the JSON key ``key`` (for keys such as ``1_day``)."""
    return attrs.field(default=None, metadata={_JSON_KEY: key})


def parse_model(cls: type[_M], data: object, where: str = "body") -> _M:
    """Convert decoded JSON ``data`` into the model ``cls``.

    Args:
        cls: A frozen attrs model class.
        data: The decoded JSON value (must be an object).
        where: The path of ``data`` used in error messages.

    Returns:
        The model instance.

    Raises:
        ResponseShapeError: ``data`` is not an object, a required field is missing, or a
            field has the wrong type.
    """
    obj = expect_object(data, where)
    parser = _PARSERS.get(cls)
    if parser is None:
        parser = _PARSERS[cls] = _compile(cls)
    result: _M = parser(obj, where)
    return result


def _wrong_type(where: str, key: str, expected: str, value: object) -> ResponseShapeError:
    got = _JSON_TYPE_NAMES.get(type(value), type(value).__name__)
    return ResponseShapeError(f"{where}.{key}: expected {expected}, got {got}")


def _to_str(value: Any, where: str, key: str) -> str:
    if type(value) is str:
        return value
    raise _wrong_type(where, key, "a string", value)


def _to_bool(value: Any, where: str, key: str) -> bool:
    if value is True or value is False:
        return value
    raise _wrong_type(where, key, "a boolean", value)


def _to_int(value: Any, where: str, key: str) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is float and value.is_integer():
        return int(value)
    raise _wrong_type(where, key, "an integer", value)


def _to_float(value: Any, where: str, key: str) -> float:
    kind = type(value)
    if kind is float:
        return float(value)
    if kind is int:
        return float(value)
    raise _wrong_type(where, key, "a number", value)


def _to_object(value: Any, where: str, key: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    raise _wrong_type(where, key, "an object", value)


_FRACTION = re.compile(r"\.(\d+)")


def _to_datetime(value: Any, where: str, key: str) -> datetime | None:
    text = _to_str(value, where, key)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    # Python 3.10 rejects "Z" and fractions that are not 3 or 6 digits (Verisoul sends 9).
    normalized = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    if normalized.endswith(("Z", "z")):
        normalized = normalized[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(normalized)
    except ValueError:
        raise ResponseShapeError(
            f"{where}.{key}: expected an ISO 8601 date-time, got {text!r}"
        ) from None


def _enum_or_str(enum_cls: type[enum.Enum]) -> _Converter:
    members = enum_cls._value2member_map_

    def convert(value: Any, where: str, key: str) -> Any:
        if type(value) is str:
            return members.get(value, value)
        raise _wrong_type(where, key, "a string", value)

    return convert


def _array_of(item: _Converter) -> _Converter:
    def convert(value: Any, where: str, key: str) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _wrong_type(where, key, "an array", value)
        if item is _to_str and all(type(element) is str for element in value):
            return tuple(value)
        return tuple(item(element, where, f"{key}[{i}]") for i, element in enumerate(value))

    return convert


def _nested(cls: type) -> _Converter:
    def convert(value: Any, where: str, key: str) -> Any:
        return parse_model(cls, value, f"{where}.{key}")

    return convert


_SCALARS: dict[object, _Converter] = {
    str: _to_str,
    bool: _to_bool,
    int: _to_int,
    float: _to_float,
    datetime: _to_datetime,
}


def _converter_for(hint: Any) -> tuple[_Converter, bool]:
    """The converter for one annotation, and whether the field is required."""
    if get_origin(hint) in (Union, types.UnionType):
        args = get_args(hint)
        present = tuple(arg for arg in args if arg is not type(None))
        required = len(present) == len(args)
        if len(present) == 1:
            return _plain_converter(present[0]), required
        enums = [a for a in present if isinstance(a, type) and issubclass(a, enum.Enum)]
        if len(present) == 2 and len(enums) == 1 and str in present:
            return _enum_or_str(enums[0]), required
        raise TypeError(f"unsupported model annotation: {hint!r}")
    return _plain_converter(hint), True


def _plain_converter(hint: Any) -> _Converter:
    scalar = _SCALARS.get(hint)
    if scalar is not None:
        return scalar
    origin = get_origin(hint)
    if origin is tuple:
        item_hint, ellipsis = get_args(hint)
        if ellipsis is not Ellipsis:
            raise TypeError(f"use tuple[X, ...] in models, not {hint!r}")
        return _array_of(_plain_converter(item_hint))
    if origin is Mapping:
        return _to_object
    if isinstance(hint, type) and attrs.has(hint):
        return _nested(hint)
    raise TypeError(f"unsupported model annotation: {hint!r}")


def _compile(cls: type) -> _ObjectParser:
    hints = typing.get_type_hints(cls)
    table: list[tuple[str, str, _Converter, bool]] = []
    for field in attrs.fields(cls):
        converter, required = _converter_for(hints[field.name])
        table.append((field.name, field.metadata.get(_JSON_KEY, field.name), converter, required))

    def parse(obj: Mapping[str, Any], where: str) -> Any:
        values: dict[str, Any] = {}
        for name, key, converter, required in table:
            value = obj.get(key)
            if value is None:
                if required:
                    state = "is null" if key in obj else "is missing"
                    raise ResponseShapeError(f"{where}.{key}: required field {state}")
                values[name] = None
            else:
                values[name] = converter(value, where, key)
        return cls(**values)

    return parse
