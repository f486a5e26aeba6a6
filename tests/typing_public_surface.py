"""Checked by mypy (``nox -s typecheck``), never run: what type checkers see of the surface.

``verisoul`` loads its names lazily at run time; type checkers must still see each public
name with its real type, and no catch-all: a moved or misspelt name is an error. With
``warn_unused_ignores`` (mypy --strict), each ``type: ignore`` below fails the check if
the name it expects to be missing ever resolves.
"""

from __future__ import annotations

import verisoul
from verisoul import AsyncVerisoul, Decision, NotFoundError, RedirectErrorCode
from verisoul.types import VerifyFaceResult as Result


async def handler(client: AsyncVerisoul, session_id: str) -> str:
    try:
        result: Result = await client.verify_face(session_id)
    except NotFoundError:
        return "gone"
    except verisoul.NotFoundErorr:  # type: ignore[attr-defined]
        return "typo"
    assert verisoul.VerifyFaceResult is not None  # type: ignore[attr-defined]
    assert "x" not in RedirectErrorCode
    return "ok" if result.decision == Decision.REAL else "no"
