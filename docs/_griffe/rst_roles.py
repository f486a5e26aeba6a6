"""A griffe extension: Sphinx roles in docstrings (:class:`X`) render as inline code.

The package's docstrings are Google style, but some name other objects with Sphinx roles
(``:meth:`verify_face```). Markdown would show the role verbatim; this turns it into
`` `verify_face` `` when mkdocstrings loads the package.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|exc|mod|obj|const):`~?([^`]+)`")


def plain_roles(text: str) -> str:
    """``:class:`Decision``` becomes `` `Decision` ``."""
    return _ROLE.sub(r"`\1`", text)


class RstRoles(griffe.Extension):
    """Rewrite Sphinx roles in every loaded docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Called by griffe for each object it loads."""
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(obj.docstring.value)
