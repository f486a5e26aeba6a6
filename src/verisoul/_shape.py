"""The contract between response parsers and the client core.

A parser takes the decoded JSON body (``object``) and returns a model, or raises
:class:`ResponseShapeError` naming the offending field. The core turns that into
:class:`verisoul.APIResponseValidationError` with the response attached, so parsers stay
pure functions with no knowledge of HTTP.
"""

from __future__ import annotations

__all__ = ["ResponseShapeError"]


class ResponseShapeError(ValueError):
    """A response body does not have the documented shape."""
