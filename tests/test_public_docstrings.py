"""Every public name of the package has a docstring, and documents its parameters.

ruff's pydocstyle rules (``D``) count everything in a ``_private`` module as private, and
the public classes live in private modules re-exported by ``verisoul``; so this test walks
what the package actually exports (``__all__``) instead. The API reference is generated
from these docstrings.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
import inspect
import re
from collections.abc import Callable, Iterator
from types import ModuleType

import attrs
import pytest

#: The public modules; the optional ones are checked once they exist.
MODULES = ("verisoul", "verisoul.testing", "verisoul.webhooks")


def _public_modules() -> list[ModuleType]:
    return [
        importlib.import_module(name)
        for name in MODULES
        if name == "verisoul" or importlib.util.find_spec(name) is not None
    ]


def _own_doc(obj: object) -> str:
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    return doc if isinstance(doc, str) else ""


def _ours(cls: type) -> list[type]:
    """The classes of ``cls``'s MRO that this package defines."""
    return [klass for klass in cls.__mro__ if klass.__module__.startswith("verisoul")]


def _documented_names(docs: str) -> set[str]:
    """Names listed in Google-style ``Args:`` / ``Attributes:`` sections (``name: text``)."""
    return set(re.findall(r"^\s+\*{0,2}(\w+)(?:\s*\([^)]*\))?:", docs, flags=re.MULTILINE))


def _parameters(function: Callable[..., object]) -> list[str]:
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if name not in ("self", "cls")
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]


def _problems_of_class(qualname: str, cls: type) -> Iterator[str]:
    if not _own_doc(cls).strip():
        yield f"{qualname}: no docstring"
    class_docs = "\n".join(_own_doc(klass) for klass in _ours(cls))
    if attrs.has(cls):
        for field in attrs.fields(cls):
            if field.name not in _documented_names(class_docs):
                yield f"{qualname}.{field.name}: attrs field not in the Attributes section"
    for klass in _ours(cls):
        for name in inspect.get_annotations(klass):
            if name.isupper():
                continue  # a named constant: its value says what it is
            if not name.startswith("_") and name not in _documented_names(class_docs):
                yield f"{qualname}.{name}: attribute not in the Attributes section"
    seen: set[str] = set()
    for klass in _ours(cls):
        for name, member in vars(klass).items():
            if name in seen or (name.startswith("_") and name != "__init__"):
                continue
            if name == "__init__" and attrs.has(cls):
                continue  # generated from the fields, checked above
            seen.add(name)
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                if not _own_doc(member).strip():
                    yield f"{qualname}.{name}: property without a docstring"
            elif inspect.isfunction(member):
                docs = _own_doc(member)
                if name == "__init__":
                    docs += class_docs
                elif not docs.strip():
                    yield f"{qualname}.{name}: method without a docstring"
                    continue
                missing = set(_parameters(member)) - _documented_names(docs)
                if missing:
                    yield f"{qualname}.{name}: parameters not documented: {sorted(missing)}"


def public_docstring_problems(module: ModuleType) -> list[str]:
    """Every public name of ``module`` without a docstring or with undocumented parameters."""
    problems: list[str] = []
    if not _own_doc(module).strip():
        problems.append(f"{module.__name__}: no module docstring")
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        qualname = f"{module.__name__}.{name}"
        if isinstance(obj, type) and not issubclass(obj, enum.Enum):
            problems.extend(_problems_of_class(qualname, obj))
        elif isinstance(obj, type) or inspect.isfunction(obj):
            if not _own_doc(obj).strip():
                problems.append(f"{qualname}: no docstring")
            elif inspect.isfunction(obj):
                missing = set(_parameters(obj)) - _documented_names(_own_doc(obj))
                if missing:
                    problems.append(f"{qualname}: parameters not documented: {sorted(missing)}")
    return problems


@pytest.mark.parametrize("module", _public_modules(), ids=lambda module: module.__name__)
def test_every_public_name_is_documented(module: ModuleType) -> None:
    """Classes, functions, methods, properties, fields and parameters all have docs."""
    assert public_docstring_problems(module) == []


def test_the_check_finds_what_is_missing() -> None:
    """An undocumented class, method, field and parameter are each reported."""
    module = ModuleType("verisoul.fixture", "A fixture module.")

    @attrs.frozen
    class Model:
        """A model.

        Attributes:
            known: Documented.
        """

        known: int
        unknown: int

    class Client:
        def call(self, documented: int, forgotten: int) -> None:
            """Call.

            Args:
                documented: Documented.
            """

        def bare(self) -> None:
            pass

    def helper() -> None:
        pass

    for obj in (Model, Client, helper):
        obj.__module__ = "verisoul.fixture"
    module.__dict__.update(Model=Model, Client=Client, helper=helper)
    module.__all__ = ["Model", "Client", "helper"]  # type: ignore[attr-defined]
    assert public_docstring_problems(module) == [
        "verisoul.fixture.Model.unknown: attrs field not in the Attributes section",
        "verisoul.fixture.Model.unknown: attribute not in the Attributes section",
        "verisoul.fixture.Client: no docstring",
        "verisoul.fixture.Client.call: parameters not documented: ['forgotten']",
        "verisoul.fixture.Client.bare: method without a docstring",
        "verisoul.fixture.helper: no docstring",
    ]
