"""The base of the constant classes (``Decision``, ``RiskFlag``, ``RedirectErrorCode``...).

Verisoul adds values over time, so models keep such fields as plain ``str``; these classes
name the values known today, iterate over them (``list(Decision)``) and test membership
(``"Real" in Decision``), and a value the SDK has never seen still passes through.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

__all__ = ["_KnownValues"]


class _KnownValuesMeta(type):
    """Lets a value namespace be iterated and tested like an enum.

    ``list(Decision)``, ``"Real" in Decision`` and ``len(Decision)`` work, while the
    values stay plain ``str``.
    """

    _ordered: tuple[str, ...]

    def __iter__(cls) -> Iterator[str]:
        return iter(cls._ordered)

    def __len__(cls) -> int:
        return len(cls._ordered)

    def __contains__(cls, value: object) -> bool:
        return value in cls._ordered


class _KnownValues(metaclass=_KnownValuesMeta):
    """Base of the value namespaces: collects the upper-case string constants into ``KNOWN``.

    The values stay plain ``str`` (a value Verisoul adds later still parses); the class
    iterates over the known ones in declaration order.
    """

    KNOWN: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        ordered = tuple(
            dict.fromkeys(
                value
                for klass in reversed(cls.__mro__)  # a subclass extends its parent's values
                for name, value in vars(klass).items()
                if name.isupper() and isinstance(value, str)
            )
        )
        cls._ordered = ordered
        cls.KNOWN = frozenset(ordered)
