"""The generated sync client mirrors the async one, method for method."""

from __future__ import annotations

import inspect

import verisoul


def _public_methods(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_async_method_has_a_sync_twin_with_the_same_signature() -> None:
    async_methods = _public_methods(verisoul.AsyncVerisoul)
    sync_methods = _public_methods(verisoul.Verisoul)
    assert "create_liveness_session" in async_methods
    renamed = {"aclose": "close"}
    assert {renamed.get(n, n) for n in async_methods} == set(sync_methods)
    for name, method in async_methods.items():
        twin = sync_methods[renamed.get(name, name)]
        if name not in {"with_options", "hosted_url"}:  # no I/O: plain methods on both
            assert inspect.iscoroutinefunction(method), name
        assert not inspect.iscoroutinefunction(twin), name
        a_sig, s_sig = inspect.signature(method), inspect.signature(twin)  # type: ignore[arg-type]
        assert list(a_sig.parameters) == list(s_sig.parameters), name
        for param in a_sig.parameters.values():
            other = s_sig.parameters[param.name]
            assert (param.kind, param.default) == (other.kind, other.default), (name, param)
    # The constructors differ only by what the blocking client cannot use.
    async_only = {"transport"}
    assert inspect.signature(verisoul.AsyncVerisoul).parameters.keys() - async_only == (
        inspect.signature(verisoul.Verisoul).parameters.keys()
    )
