"""What every response model can do besides holding fields: turn back into plain JSON data.

:class:`Model` is a slot-less mixin (``__slots__ = ()``) for the frozen attrs models, so it
adds methods and no per-instance cost, and it leaves parsing (``_models/_fields.py``) alone.

``to_dict()`` gives the JSON names Verisoul uses (``1_day``, not ``one_day``), tuples as
lists, nested models as dicts, datetimes and dates as ISO 8601 strings and enums as their
values, so ``json.dumps(model.to_dict())`` works and parsing the result gives the model back.
"""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Mapping
from typing import Any, Final

import attrs

__all__ = ["Model", "to_dict"]

_JSON_KEY: Final = "verisoul.json_key"  # the metadata key set by _models._fields.json_key
#: Exactly these types are JSON already (a str or int subclass, such as an enum, is not).
_SCALARS: Final = frozenset({str, int, float, bool, type(None)})

#: Per class: ``(attribute name, JSON key)`` for each field, built on first use.
_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def _keys(cls: type) -> tuple[tuple[str, str], ...] | None:
    """The field plan of an attrs class (cached), or None for any other type."""
    keys = _KEYS.get(cls)
    if keys is None and attrs.has(cls):
        keys = tuple(
            (field.name, field.metadata.get(_JSON_KEY, field.name)) for field in attrs.fields(cls)
        )
        _KEYS[cls] = keys
    return keys


def _plain(value: Any) -> Any:
    """``value`` as JSON data (dict, list, str, int, float, bool, None)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    keys = _keys(kind)
    if keys is not None:
        return {key: _plain(getattr(value, name)) for name, key in keys}
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    for base in (bool, int, float, str):  # a subclass of a JSON type
        if isinstance(value, base):
            return base(value)
    raise TypeError(f"cannot turn {type(value).__name__} into JSON data")


def to_dict(model: object) -> dict[str, Any]:
    """A response model as the JSON object Verisoul sent (with the JSON key names).

    Every field is present: one Verisoul left out is ``None``, an absent array ``[]``.

    Raises:
        TypeError: ``model`` is not an attrs model.
    """
    if not attrs.has(type(model)):
        raise TypeError(f"to_dict() takes a response model, not {type(model).__name__}")
    result: dict[str, Any] = _plain(model)
    return result


class Model:
    """Methods shared by every response model (a mixin without instance state)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """This result as plain JSON data, with the JSON names Verisoul uses.

        Nested results become dicts, arrays lists; a field Verisoul left out is ``None``
        (an array ``[]``). Parsing the dict again gives an equal model. Ready for
        ``json.dumps``, a database JSON column or a FastAPI response.

        Returns:
            A new ``dict`` (changing it does not change the model).
        """
        return to_dict(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """This result as a JSON string (``to_dict()`` encoded, non-ASCII kept as is).

        Args:
            indent: Pretty-print with this many spaces (None: one compact line).

        Returns:
            The JSON text.
        """
        separators: tuple[str, str] | None = (",", ":") if indent is None else None
        return json.dumps(self.to_dict(), indent=indent, separators=separators, ensure_ascii=False)
